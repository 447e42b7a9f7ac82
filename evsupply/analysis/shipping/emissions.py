"""Sea-leg emissions per car: curb mass × sea distance × the emission factor (kg CO2e per tonne-km), with the range
given by the factors marked as its low and high ends (`emission_factors.range_role`)."""

from __future__ import annotations

import pandas as pd

from evsupply.core.parameters import check_choice
from evsupply.core.tables import Tables


def default_row(tables: Tables, table: str) -> pd.Series:
    """The row of `table` with is_default true (validation guarantees exactly one)."""
    rows = tables[table]
    return rows[rows["is_default"]].iloc[0]


def range_factors(tables: Tables, chosen: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The factors at the low and high ends of the range (`range_role`); the chosen factor stands in for an end
    the table does not mark, and widens the range if it falls outside it."""
    factors = tables["emission_factors"]
    role = factors["range_role"] if "range_role" in factors else pd.Series(pd.NA, index=factors.index)
    ends = []
    for end, pick in (("low", min), ("high", max)):
        marked = factors[role == end]
        row = marked.iloc[0] if len(marked) else chosen
        row = pick((row, chosen), key=lambda r: float(r["kg_co2e_per_tonne_km"]))
        ends.append(row)
    return ends[0], ends[1]


def with_emissions(lanes: pd.DataFrame, tables: Tables, emission_factor_id: str | None = None) -> pd.DataFrame:
    """Sea-leg CO2e per vehicle = curb mass (t) × sea distance (km) × factor (kg CO2e per t-km), and per year; also
    per vehicle with the low and high factors of the range (`co2e_kg_per_vehicle_low` / `_high`)."""
    factors = tables["emission_factors"]
    if emission_factor_id is None:
        factor = default_row(tables, "emission_factors")
    else:
        check_choice("emission_factor_id", emission_factor_id, list(factors["emission_factor_id"]))
        factor = factors[factors["emission_factor_id"] == emission_factor_id].iloc[0]
    low, high = range_factors(tables, factor)
    models = tables["models"].set_index("model_id")
    out = lanes
    out["curb_mass_kg"] = out["model_id"].map(models["curb_mass_kg"]).astype(float)
    out["mass_source_id"] = out["model_id"].map(models["source_id"]).astype("string")
    out["emission_factor_id"] = str(factor["emission_factor_id"])
    out["emission_factor_source_id"] = str(factor["source_id"])
    out["kg_co2e_per_tonne_km"] = float(factor["kg_co2e_per_tonne_km"])
    tonne_km = out["curb_mass_kg"] / 1000.0 * out["sea_distance_km"]
    at_sea = out["sea_distance_km"] > 0  # no sea leg: nothing emitted at sea
    out["co2e_kg_per_vehicle"] = (tonne_km * out["kg_co2e_per_tonne_km"]).where(at_sea, 0.0)
    out["co2e_kg_per_vehicle_low"] = (tonne_km * float(low["kg_co2e_per_tonne_km"])).where(at_sea, 0.0)
    out["co2e_kg_per_vehicle_high"] = (tonne_km * float(high["kg_co2e_per_tonne_km"])).where(at_sea, 0.0)
    out["emission_factor_low_source_id"] = str(low["source_id"])
    out["emission_factor_high_source_id"] = str(high["source_id"])
    out["co2e_t_per_year"] = out["co2e_kg_per_vehicle"] * out["volume_units_per_year"] / 1000.0
    return out
