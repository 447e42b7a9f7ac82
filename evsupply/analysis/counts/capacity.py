"""Plant capacity against output by year, and what added model volumes do to utilisation."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from evsupply.core import claims
from evsupply.core.parameters import check_choice, check_year, ids
from evsupply.core.tables import Tables
from evsupply.errors import ParameterError

ALL_MODELS = "all"
BOUND_RANK = {"exact": 0, "approximate": 1, "lower_bound": 2, "upper_bound": 3}


def capacity_in_year(tables: Tables, plant_id: str, year: int) -> pd.Series | None:
    """The preferred capacity claim for `year`: the latest made by 31 December; else the earliest later one (a
    capacity published later is the best figure for earlier years, and its as_of_date shows it), or None."""
    year = check_year("year", year)
    check_choice("plant_id", plant_id, ids("plants", "plant_id")(tables))
    cap = tables["plant_capacity"]
    cap = cap[(cap["plant_id"] == plant_id) & cap["capacity_units_per_year"].notna() & cap["is_preferred"]]
    return claims.latest_row(cap, f"{year}-12-31", allow_later=True)


def yearly_production(tables: Tables, plant_id: str) -> pd.DataFrame:
    """Counted production of the whole plant over calendar years (observations), in plant_output's columns."""
    obs = tables["observations"]
    obs = obs[
        (obs["plant_id"] == plant_id)
        & (obs["quantity"] == "production")
        & obs["model_id"].isna()
        & (obs["vehicle_scope"] == "all_vehicles")
    ]
    whole_year = (
        (obs["period_start"].dt.strftime("%m-%d") == "01-01")
        & (obs["period_end"].dt.strftime("%m-%d") == "12-31")
        & (obs["period_start"].dt.year == obs["period_end"].dt.year)
    )
    obs = obs[whole_year]
    return pd.DataFrame(
        {
            "year": obs["period_start"].dt.year,
            "model_scope": ALL_MODELS,
            "output_units": obs["vehicles_count"],
            "bound": obs["bound"],
            "source_id": obs["source_id"],
        }
    )


def output_by_year(tables: Tables, plant_id: str) -> pd.DataFrame:
    """Output per year: the most precise whole-plant figure of `plant_output` or of the counted production in
    `observations`, else the sum of model rows (a lower bound)."""
    out = tables["plant_output"]
    out = out[out["plant_id"] == plant_id][["year", "model_scope", "output_units", "bound", "source_id"]]
    out = pd.concat([out, yearly_production(tables, plant_id)], ignore_index=True)
    rows = []
    for year, group in out.groupby("year"):
        whole = group[group["model_scope"] == ALL_MODELS]
        if not whole.empty:
            whole = whole.sort_values("bound", key=lambda b: b.map(BOUND_RANK), kind="stable")
            r = whole.iloc[0]  # the most precise claim: exact, then approximate, then a bound
            rows.append(
                {
                    "year": int(year),
                    "output_units": int(r["output_units"]),
                    "bound": r["bound"],
                    "output_note": "whole plant",
                    "output_source_ids": (str(r["source_id"]),),
                }
            )
        else:
            models = ", ".join(group["model_scope"])
            rows.append(
                {
                    "year": int(year),
                    "output_units": int(group["output_units"].sum()),
                    "bound": "lower_bound",
                    "output_note": f"sum of the models reported ({models}): a lower bound of the plant total",
                    "output_source_ids": tuple(dict.fromkeys(group["source_id"])),
                }
            )
    return pd.DataFrame(rows, columns=["year", "output_units", "bound", "output_note", "output_source_ids"])


def utilisation(tables: Tables, plant_id: str) -> pd.DataFrame:
    """Capacity, output and utilisation (output / capacity, percent) of a plant, one row per year with output."""
    check_choice("plant_id", plant_id, ids("plants", "plant_id")(tables))
    out = output_by_year(tables, plant_id)
    caps, cap_sources, cap_dates = [], [], []
    for year in out["year"]:
        claim = capacity_in_year(tables, plant_id, int(year))
        caps.append(None if claim is None else int(claim["capacity_units_per_year"]))
        cap_sources.append(None if claim is None else claim["source_id"])
        cap_dates.append(None if claim is None else claim["as_of_date"])
    out["capacity_units_per_year"] = pd.array(caps, dtype="Int64")
    out["capacity_as_of_date"] = pd.to_datetime(pd.Series(cap_dates, dtype="object"))
    out["capacity_source_id"] = pd.array(cap_sources, dtype="string")
    out["utilisation_pct"] = (100.0 * out["output_units"] / out["capacity_units_per_year"]).astype("float64")
    return out


def scenario_utilisation(
    tables: Tables, plant_id: str, base_year: int | None = None, volumes: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """Utilisation if a plant's output of `base_year` (default: its latest year) is joined by each added volume.

    `volumes` maps a scenario name to added vehicles a year (e.g. Polestar 4 volumes); by default the plant's rows
    of `volume_scenarios` (their latest year's volume). The base output is held at its `base_year` level: an
    assumption, stated in the `base_note` column.
    """
    check_choice("plant_id", plant_id, ids("plants", "plant_id")(tables))
    if volumes is not None and not (isinstance(volumes, Mapping) and all(isinstance(k, str) for k in volumes)):
        raise ParameterError("volumes", f"{volumes!r} is not a mapping of scenario name to added vehicles a year")
    util = utilisation(tables, plant_id)
    if util.empty:
        raise ParameterError("plant_id", f"no output recorded for {plant_id!r}, so no base for the scenarios")
    if base_year is None:
        base_year = int(util["year"].max())
    check_choice("base_year", base_year, [int(y) for y in util["year"]])
    base = util[util["year"] == base_year].iloc[0]
    if volumes is None:
        volumes = data_volumes(tables, plant_id)
    for name, units in volumes.items():
        if isinstance(units, bool) or not isinstance(units, int) or units < 0:
            raise ParameterError("volumes", f"scenario {name!r}: {units!r} is not a whole number of vehicles >= 0")
    cap = base["capacity_units_per_year"]
    rows = []
    for name, units in volumes.items():
        total = int(base["output_units"]) + int(units)
        rows.append(
            {
                "scenario": name,
                "added_units_per_year": int(units),
                "base_year": base_year,
                "base_output_units": int(base["output_units"]),
                "base_bound": base["bound"],
                "total_units": total,
                "capacity_units_per_year": cap,
                "utilisation_pct": float("nan") if pd.isna(cap) else 100.0 * total / int(cap),
                "base_note": f"{base_year} output held constant (assumption); {base['output_note']}",
            }
        )
    return pd.DataFrame(rows)


def data_volumes(tables: Tables, plant_id: str) -> dict[str, int]:
    """Each scenario's volume for the plant in its latest year in `volume_scenarios`."""
    vs = tables["volume_scenarios"]
    vs = vs[vs["plant_id"] == plant_id]
    vs = vs.assign(from_date=pd.to_datetime(vs["year"].astype(str) + "-01-01"))
    latest = claims.latest(vs, ["scenario_id"], date_col="from_date")
    return {str(r.scenario_id): int(r.volume_units_per_year) for r in latest.itertuples()}
