"""Sea-leg emissions per car: curb mass × sea distance × the emission factor (kg CO2e per tonne-km)."""

from __future__ import annotations

import pandas as pd

from evsupply.parameters import check_choice
from evsupply.tables import Tables


def default_row(tables: Tables, table: str) -> pd.Series:
    """The row of `table` with is_default true (validation guarantees exactly one)."""
    rows = tables[table]
    return rows[rows["is_default"].fillna(False).astype(bool)].iloc[0]


def with_emissions(lanes: pd.DataFrame, tables: Tables, emission_factor_id: str | None = None) -> pd.DataFrame:
    """Sea-leg CO2e per vehicle = curb mass (t) × sea distance (km) × factor (kg CO2e per t-km), and per year."""
    factors = tables["emission_factors"]
    if emission_factor_id is None:
        factor = default_row(tables, "emission_factors")
    else:
        check_choice("emission_factor_id", emission_factor_id, list(factors["emission_factor_id"]))
        factor = factors[factors["emission_factor_id"] == emission_factor_id].iloc[0]
    models = tables["models"].set_index("model_id")
    out = lanes
    out["curb_mass_kg"] = out["model_id"].map(models["curb_mass_kg"]).astype(float)
    out["mass_source_id"] = out["model_id"].map(models["source_id"]).astype("string")
    out["emission_factor_id"] = str(factor["emission_factor_id"])
    out["emission_factor_source_id"] = str(factor["source_id"])
    out["kg_co2e_per_tonne_km"] = float(factor["kg_co2e_per_tonne_km"])
    at_sea = out["curb_mass_kg"] / 1000.0 * out["sea_distance_km"] * out["kg_co2e_per_tonne_km"]
    out["co2e_kg_per_vehicle"] = at_sea.where(out["sea_distance_km"] > 0, 0.0)  # no sea leg: nothing emitted at sea
    out["co2e_t_per_year"] = out["co2e_kg_per_vehicle"] * out["volume_units_per_year"] / 1000.0
    return out
