"""The flows report's sentences: barred lanes, what was counted on each lane against the plan, the what-if, the
comparison with another plant, the longest sea leg."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evsupply.analysis.cases.atlas import barred_from
from evsupply.analysis.counts.observed import counts_from_elsewhere, period_months
from evsupply.analysis.trade.policy import market_access
from evsupply.core import evidence as ev
from evsupply.core.claims import mid_year
from evsupply.core.finding import Finding
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import code_words
from evsupply.data.names import name_of
from evsupply.findings.market_access import authorisation_words


def _name(tables: Tables, table: str, key: str, value: object) -> str:
    column = {"plants": "plant_name", "markets": "market_name", "models": "model_name"}[table]
    found = tables[table].set_index(key)[column]
    return str(found.get(value, value))


def lane_label(tables: Tables, lane: pd.Series, with_model: bool = False) -> str:
    """'Busan → Canada' (with the model first when several models are shown)."""
    plant = name_of(tables, "plant_id", lane["plant_id"])
    text = f"{plant} → {name_of(tables, 'market_id', lane['market_id'])}"
    return f"{name_of(tables, 'model_id', lane['model_id'])}, {text}" if with_model else text


def lane_findings(
    tables: Tables, lanes: pd.DataFrame, plan: pd.DataFrame, year: int, scenario: str, other: pd.DataFrame | None = None
) -> list[Finding]:
    """The findings of a flows run, most important first: barred lanes, what was counted on each lane (or none
    found), the plan (or the what-if), the comparison with another plant's lanes, the longest sea leg."""
    several = lanes["model_id"].nunique() > 1
    day = mid_year(year)
    out: list[Finding] = []
    out += barred_lane_findings(tables, lanes, year, several)
    out += count_findings(tables, lanes, plan, several)
    out += plan_findings(tables, lanes, year, scenario, several)
    if other is not None and len(other):
        out += comparison_findings(tables, lanes, other, day)
    out += longest_leg_findings(tables, lanes, several)
    return out


def barred_lane_findings(tables: Tables, lanes: pd.DataFrame, year: int, several: bool = False) -> list[Finding]:
    """A finding for each lane whose car a sales ban bars in model year `year` or later (read on 1 July of `year`,
    with the policy engine's authorisation decisions)."""
    day = mid_year(year)
    out = []
    for _, lane in lanes.iterrows():
        barred = barred_from(tables, str(lane["model_id"]), str(lane["plant_id"]), str(lane["market_id"]), day)
        if barred is None:
            continue
        label = lane_label(tables, lane, several)
        why = authorisation_words(barred.authorisation)
        why = f" ({why})" if why else ""
        volume = lane.get("volume_units_per_year")
        if barred.model_year <= int(year):
            text = f"Barred in {year}: {label} may not be sold from model year {barred.model_year}{why}"
            if volume is not None and not pd.isna(volume):
                text += f"; the {volume:,.0f} cars a year shown on this lane cannot be sold there"
        else:
            text = f"{label}: may be sold in model year {year}, barred from model year {barred.model_year}{why}"
        out.append(
            Finding(
                f"lane_barred:{lane['lane_id']}",
                text + ".",
                "derived",
                barred.source_ids,
                day,
                {"barred_from_model_year": barred.model_year, "year": int(year)},
            )
        )
    return out


def count_findings(tables: Tables, lanes: pd.DataFrame, plan: pd.DataFrame, several: bool = False) -> list[Finding]:
    """What was counted on each lane (observed), set against a like period of the plan; or none found."""
    out = []
    by_lane = lanes.set_index("lane_id")
    for row in plan.itertuples():
        lane = by_lane.loc[row.lane_id]
        label = lane_label(tables, pd.Series({**lane.to_dict(), "lane_id": row.lane_id}), several)
        if not pd.isna(row.observed_vehicles):
            n = period_months(row.observed_period_start, row.observed_period_end)
            text = f"Counted on {label}: {row.observed_text}"
            numbers: dict[str, float | int | None] = {"observed_vehicles": int(row.observed_vehicles), "months": n}
            sources = [row.observed_source_id]
            if not pd.isna(row.planned_units_per_year) and row.plan_basis == "scenario":
                like = row.planned_units_per_year * n / 12
                text += (
                    f", against about {like:,.0f} planned for {n} month{'s' if n > 1 else ''} "
                    f"({row.planned_units_per_year:,.0f} a year × {n}/12)"
                )
                numbers["planned_for_period"] = like
                sources.append(row.plan_source_id)
            code = "observed" if row.observed_basis == "reported" else ev.from_data(str(row.observed_basis))
            out.append(Finding(f"lane_count:{row.lane_id}", text + ".", code, tuple(sources), None, numbers))
            continue
        if lane["is_counterfactual"] and pd.isna(row.production_status):
            status = "no production claim puts these cars on this lane"
        else:
            since = "" if pd.isna(lane.get("production_start")) else f" since {lane['production_start']:%Y-%m}"
            status = (
                f"latest production claim: {code_words('production_status', row.production_status)}{since}, "
                f"{code_words('evidence', row.production_evidence)}"
            )
        out.append(
            Finding(
                f"lane_count:{row.lane_id}",
                f"No count found for {label} ({status}).",
                "none_found",
                (lane["production_source_id"],),
                None,
                {"observed_vehicles": None},
            )
        )
        elsewhere = counts_from_elsewhere(tables, str(row.model_id), str(row.market_id), str(row.plant_id))
        if len(elsewhere):
            e = elsewhere.iloc[0]
            market = name_of(tables, "market_id", row.market_id)
            out.append(
                Finding(
                    f"market_count_elsewhere:{row.lane_id}",
                    f"{market} was counted receiving {name_of(tables, 'model_id', row.model_id)} cars built "
                    f"in {e['origin_country_code']}: {e['text']}.",
                    "observed" if e["basis"] == "reported" else ev.from_data(str(e["basis"])),
                    (e["source_id"],),
                    None,
                    {"vehicles_count": int(e["vehicles_count"])},
                )
            )
    return out


def plan_findings(
    tables: Tables, lanes: pd.DataFrame, year: int, scenario: str, several: bool = False
) -> list[Finding]:
    """The announced plan on the lanes (planned), the volumes of counterfactual lanes (what-if), or no plan found."""
    out = []
    planned = lanes[lanes["volume_basis"] == "scenario"]
    plants = sorted(set(lanes["plant_id"]))
    origin = name_of(tables, "plant_id", plants[0]) if len(plants) == 1 else "these plants"
    plan_words = scenario.replace("_", " ")
    if len(planned):
        total = float(planned["volume_units_per_year"].sum())
        out.append(
            Finding(
                f"plan:{':'.join(plants)}:{year}",
                f"Announced: about {total:,.0f} cars a year on the {len(planned)} lane{'s' if len(planned) > 1 else ''}"
                f" shown from {origin} in {year}, from the {plan_words} volume plan split equally over the plant's "
                "lanes.",
                "planned",
                tuple(planned["volume_source_id"]),
                None,
                {"planned_units_per_year": total, "lanes": len(planned)},
                ("The plant's plan is split equally over its lanes (our assumption).",),
            )
        )
    for _, lane in lanes[lanes["volume_basis"] == "counterfactual"].iterrows():
        label = lane_label(tables, lane, several)
        out.append(
            Finding(
                f"what_if:{lane['lane_id']}",
                f"What-if: {label} is not a planned lane; it is shown carrying the "
                f"{lane['volume_units_per_year']:,.0f} cars a year planned for the same market from the model's "
                "actual plant(s), moved here.",
                "what_if",
                (lane["volume_source_id"],),
                None,
                {"what_if_units_per_year": float(lane["volume_units_per_year"])},
                ("The volume of the actual lane, moved to this plant.",),
            )
        )
    if lanes["volume_units_per_year"].isna().all():
        out.append(
            Finding(
                f"plan:{':'.join(plants)}:{year}",
                f"No volume plan found for {origin} in {year} under the {plan_words} scenario: lanes carry no volume.",
                "none_found",
                (),
                None,
                {"planned_units_per_year": None},
            )
        )
    return out


def comparison_findings(tables: Tables, lanes: pd.DataFrame, other: pd.DataFrame, day: dt.date) -> list[Finding]:
    """Per market, a lane against the other plant's lane to it: the difference in km and days at sea, sea-leg CO2e
    per car and duty points (a positive difference: the first lane's is larger)."""
    out = []
    for _, a in lanes.iterrows():
        match = other[(other["market_id"] == a["market_id"]) & (other["model_id"] == a["model_id"])]
        if match.empty or a.get("is_domestic") or match.iloc[0].get("is_domestic"):
            continue
        b = match.iloc[0]
        da = market_access(tables, str(a["model_id"]), str(a["plant_id"]), str(a["market_id"]), day)
        db = market_access(tables, str(b["model_id"]), str(b["plant_id"]), str(b["market_id"]), day)
        km = float(a["sea_distance_km"] - b["sea_distance_km"])
        days = float(a["sea_transit_days"] - b["sea_transit_days"])
        co2 = float(a["co2e_kg_per_vehicle"] - b["co2e_kg_per_vehicle"])
        co2_low = float(a["co2e_kg_per_vehicle_low"] - b["co2e_kg_per_vehicle_low"])
        co2_high = float(a["co2e_kg_per_vehicle_high"] - b["co2e_kg_per_vehicle_high"])
        duty = None if da.total_duty_pct is None or db.total_duty_pct is None else da.total_duty_pct - db.total_duty_pct
        pa, pb = name_of(tables, "plant_id", a["plant_id"]), name_of(tables, "plant_id", b["plant_id"])
        market = name_of(tables, "market_id", a["market_id"])
        text = (
            f"Into {market}, from {pa} rather than {pb}: {_diff(km, ',.0f')} km at sea, {_diff(days, '.1f')} days, "
            f"{_diff_range(co2_low, co2_high)} kg CO2e per car at sea (between the low and high cited factors; "
            f"{abs(co2):,.0f} with the default factor; estimates from sourced factors), "
            + ("duty difference unknown" if duty is None else f"{_diff(duty, 'g')} duty points on {day}")
            + "."
        )
        sources = [
            a.get("emission_factor_source_id"),
            a.get("emission_factor_low_source_id"),
            a.get("emission_factor_high_source_id"),
            a.get("speed_source_id"),
            a.get("mass_source_id"),
            *da.source_ids,
            *db.source_ids,
        ]
        out.append(
            Finding(
                f"compare:{a['lane_id']}:{b['lane_id']}",
                text,
                "estimated",
                tuple(sources),
                day,
                {
                    "sea_km_difference": km,
                    "sea_days_difference": days,
                    "co2e_kg_difference": co2,
                    "co2e_kg_difference_low": co2_low,
                    "co2e_kg_difference_high": co2_high,
                    "duty_pct_difference": duty,
                },
                (
                    "Routes are shortest paths on searoute's network; CO2e charges each car its curb mass "
                    "times the sea distance.",
                ),
            )
        )
    return out


def co2e_range_words(point: float, low: float, high: float) -> str:
    """Sea-leg CO2e per car led by its range (the factor is uncertain), the default factor's value beside it:
    '678 to 2,171 kg CO2e per car at sea (between the low and high cited factors; the default factor gives 2,171,
    the top of the range; estimates)'."""
    where = " the top of the range" if point == high else (" the bottom of the range" if point == low else "")
    return (
        f"{low:,.0f} to {high:,.0f} kg CO2e per car at sea (between the low and high cited factors; the default "
        f"factor gives {point:,.0f},{where}; estimates from sourced factors)"
    ).replace(",;", ";")


def _diff_range(low: float, high: float) -> str:
    """A range of differences in words: '400 to 1,300 more', '100 less to 200 more'."""
    if (low >= 0) == (high >= 0):
        a, b = sorted((abs(low), abs(high)))
        return f"{a:,.0f} to {b:,.0f} {'more' if max(low, high) > 0 else 'less'}"
    return f"{abs(min(low, high)):,.0f} less to {max(low, high):,.0f} more"


def _diff(value: float, fmt: str) -> str:
    """A difference in words: '981 more', '6.1 fewer'... ('no difference' at zero)."""
    if value == 0:
        return "no difference in"
    return f"{format(abs(value), fmt)} {'more' if value > 0 else 'less'}"


def longest_leg_findings(tables: Tables, lanes: pd.DataFrame, several: bool = False) -> list[Finding]:
    """The longest sea leg (km, days, sea-leg CO2e per car: an estimate), and each land lane's road distance."""
    out = []
    sea = lanes[~lanes["is_domestic"].astype(bool)]
    if len(sea):
        far = sea.sort_values("sea_distance_km", kind="stable").iloc[-1]
        out.append(
            Finding(
                f"longest_sea_leg:{far['lane_id']}",
                f"Longest sea leg: {lane_label(tables, far, several)}, {far['sea_distance_km']:,.0f} km "
                f"({far['sea_transit_days']:.1f} days at {far['speed_knots']:g} knots) and "
                + co2e_range_words(
                    far["co2e_kg_per_vehicle"], far["co2e_kg_per_vehicle_low"], far["co2e_kg_per_vehicle_high"]
                )
                + ".",
                "estimated",
                (
                    far["emission_factor_source_id"],
                    far["emission_factor_low_source_id"],
                    far["emission_factor_high_source_id"],
                    far["speed_source_id"],
                    far["mass_source_id"],
                ),
                None,
                {
                    "sea_distance_km": float(far["sea_distance_km"]),
                    "sea_transit_days": float(far["sea_transit_days"]),
                    "co2e_kg_per_vehicle": float(far["co2e_kg_per_vehicle"]),
                    "co2e_kg_per_vehicle_low": float(far["co2e_kg_per_vehicle_low"]),
                    "co2e_kg_per_vehicle_high": float(far["co2e_kg_per_vehicle_high"]),
                },
            )
        )
    for _, lane in lanes[lanes["is_domestic"].astype(bool)].iterrows():
        out.append(
            Finding(
                f"road:{lane['lane_id']}",
                f"{lane_label(tables, lane, several)} is a land lane: about {lane['road_distance_km']:,.0f} km by road "
                "(the geodesic distance times a road factor, an estimate), no sea leg.",
                "estimated",
                (),
                None,
                {"road_distance_km": float(lane["road_distance_km"]), "sea_distance_km": None},
                ("Road distance = geodesic distance × an assumed road factor.",),
            )
        )
    return out
