"""Plant capacity against output by year, and what added model volumes do to utilisation."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from evsupply.core import claims
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding
from evsupply.core.parameters import check_choice, ids
from evsupply.core.tables import Tables
from evsupply.errors import ParameterError

ALL_MODELS = "all"
BOUND_RANK = {"exact": 0, "approximate": 1, "lower_bound": 2, "upper_bound": 3}


def capacity_in_year(tables: Tables, plant_id: str, year: int) -> pd.Series | None:
    """The preferred capacity claim for `year`: the latest made by 31 December; else the earliest later one (a
    capacity published later is the best figure for earlier years, and its as_of_date shows it), or None."""
    cap = tables["plant_capacity"]
    cap = cap[
        (cap["plant_id"] == plant_id)
        & cap["capacity_units_per_year"].notna()
        & cap["is_preferred"].fillna(False).astype(bool)
    ]
    return claims.latest_row(cap, f"{int(year)}-12-31", allow_later=True)


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
    if volumes is not None and not isinstance(volumes, Mapping):
        raise ParameterError("volumes", f"{volumes!r} is not a mapping of scenario name to added vehicles a year")
    util = utilisation(tables, plant_id)
    if util.empty:
        raise ParameterError("plant_id", f"no output recorded for {plant_id!r}, so no base for the scenarios")
    if base_year is None:
        base_year = int(util["year"].max())
    check_choice("base_year", base_year, [int(y) for y in util["year"]])
    base = util[util["year"] == base_year].iloc[0]
    if volumes is None:
        volumes = _data_volumes(tables, plant_id)
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


def _data_volumes(tables: Tables, plant_id: str) -> dict[str, int]:
    """Each scenario's volume for the plant in its latest year in `volume_scenarios`."""
    vs = tables["volume_scenarios"]
    vs = vs[vs["plant_id"] == plant_id]
    vs = vs.assign(from_date=pd.to_datetime(vs["year"].astype(str) + "-01-01"))
    latest = claims.latest(vs, ["scenario_id"], date_col="from_date")
    return {str(r.scenario_id): int(r.volume_units_per_year) for r in latest.itertuples()}


# --- findings ----------------------------------------------------------------------------------------------------

OUTPUT_BOUND_WORDS = {"exact": "", "approximate": "about ", "upper_bound": "under ", "lower_bound": "at least "}
PCT_BOUND_WORDS = {"exact": "", "approximate": "about ", "upper_bound": "under ", "lower_bound": "at least "}
PCT_BOUND_NAMES = {"upper_bound": "utilisation_pct_max", "lower_bound": "utilisation_pct_min"}


def _output_evidence(bound: str) -> str:
    """An exact output is a count; an approximate one or a bound is weaker: our reading of it, derived."""
    return "observed" if bound == "exact" else "derived"


def utilisation_findings(tables: Tables, plant_id: str, base_year: int | None = None) -> list[Finding]:
    """The capacity findings, most important first: the latest year's output and utilisation (a bound when the
    output is one), the lowest exact year, and each recorded volume plan's effect on utilisation."""
    util = utilisation(tables, plant_id)
    plant = str(tables["plants"].set_index("plant_id")["plant_name"].get(plant_id, plant_id))
    if util.empty:
        return [
            Finding(
                f"utilisation:{plant_id}",
                f"No output is recorded for {plant}: utilisation cannot be computed.",
                "none_found",
                numbers={"utilisation_pct": None},
            )
        ]
    out = []
    exact = util[util["bound"].isin(["exact", "approximate"])]
    latest = (exact if len(exact) else util).iloc[-1]
    cap = latest["capacity_units_per_year"]
    bound = str(latest["bound"])
    pct_name = PCT_BOUND_NAMES.get(bound, "utilisation_pct")
    if pd.isna(cap):
        cap_text, numbers = "no recorded capacity, so utilisation is unknown", {"utilisation_pct": None}
    else:
        cap_text = (
            f"{PCT_BOUND_WORDS[bound]}{latest['utilisation_pct']:.0f}% of its {int(cap):,} capacity "
            f"(claim of {latest['capacity_as_of_date']:%Y})"
        )
        numbers = {pct_name: float(latest["utilisation_pct"]), "capacity_units_per_year": int(cap)}
    out.append(
        Finding(
            f"utilisation:{plant_id}:{int(latest['year'])}",
            f"{plant} built {OUTPUT_BOUND_WORDS[bound]}{int(latest['output_units']):,} vehicles in "
            f"{int(latest['year'])}: {cap_text}.",
            ev.derived_from(_output_evidence(bound), "reported"),
            (*latest["output_source_ids"], latest["capacity_source_id"]),
            None,
            {"year": int(latest["year"]), "output_units": int(latest["output_units"]), **numbers},
        )
    )
    exact_only = util[util["bound"].eq("exact") & util["utilisation_pct"].notna()]
    if len(exact_only) > 1:
        low = exact_only.sort_values("utilisation_pct", kind="stable").iloc[0]
        out.append(
            Finding(
                f"lowest_utilisation:{plant_id}",
                f"The lowest year with an exact count is {int(low['year'])}: {int(low['output_units']):,} vehicles, "
                f"{low['utilisation_pct']:.0f}% of capacity.",
                "derived",
                (*low["output_source_ids"], low["capacity_source_id"]),
                None,
                {
                    "year": int(low["year"]),
                    "output_units": int(low["output_units"]),
                    "utilisation_pct": low["utilisation_pct"],
                },
            )
        )
    recorded = scenario_utilisation(tables, plant_id, base_year=base_year)
    plans = tables["volume_scenarios"]
    for row in recorded.itertuples():
        sources = plans.loc[(plans["plant_id"] == plant_id) & (plans["scenario_id"] == row.scenario), "source_id"]
        out.append(
            Finding(
                f"plan_utilisation:{plant_id}:{row.scenario}",
                f"Scenario '{row.scenario}' (a plan): adding {row.added_units_per_year:,} vehicles a year to the "
                f"{row.base_year} output would use "
                + ("an unknown share" if pd.isna(row.utilisation_pct) else f"{row.utilisation_pct:.0f}%")
                + " of capacity.",
                "planned",
                tuple(sources),
                None,
                {"added_units_per_year": row.added_units_per_year, "utilisation_pct": row.utilisation_pct},
                (f"The {row.base_year} output is held constant.",),
            )
        )
    return out
