"""The cells' leg upstream of each case: cell plant → its port → sea → the car plant's port → car plant, or why none.

Rules (one place; the batteries report and any flows map read `cell_legs`):
- The cell plant is the one named by the claim `batteries.battery_origin` prefers on the day. No plant named, no
  leg: the row says in words what is known (the cells' country, the maker) or that nothing is, and has no geometry.
  A plant, port or route is never guessed.
- Cell plant and car plant in the same country, or in two countries of one customs union on the day (as flows
  treat a car sold inside its union): a land leg, the road estimate of `routes.land_km` (geodesic × a road factor).
- Otherwise a sea leg. The cell plant's port is its `battery_plant_ports` link (the nearest to the plant if
  several). The car plant's inbound port is its `plant_ports` link, the port its cars leave from, taken as the port
  its cells arrive at: an assumption, named on the row. A plant with no port link gets no leg, and the row says so;
  no nearest-port guess. The sea route is `routes.sea_routes` (searoute, offline, cached per port pair) at the
  default ship speed of `vessel_speeds`, as flows use.
- Evidence: the weakest of the supply claim, the plants' locations, the port links and the route and road models
  (our estimates), by `evidence.derived_from`. A row without a leg carries the evidence of the supply claim.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString

from evsupply.analysis.batteries.cells import BatteryOrigin, battery_origin, case_models
from evsupply.analysis.shipping.emissions import default_row
from evsupply.analysis.shipping.routes import MAX_SPEED_KNOTS, ROAD_CIRCUITY_FACTOR, RouteCache, land_km, sea_routes
from evsupply.analysis.trade.policy import unions_of
from evsupply.core import evidence as ev
from evsupply.core.parameters import check_date, check_number, check_str_list, check_unique, ids
from evsupply.core.tables import Tables
from evsupply.data.names import names_by_id

LEG_COLUMNS = [
    "case_id",
    "case_name",
    "model_id",
    "model_name",
    "plant_id",
    "plant_name",
    "supply_id",
    "cell_maker_id",
    "battery_plant_id",
    "battery_plant_name",
    "cell_country_code",
    "leg_kind",
    "origin_port_id",
    "dest_port_id",
    "land_origin_km",
    "sea_distance_km",
    "sea_distance_nm",
    "land_destination_km",
    "road_distance_km",
    "total_distance_km",
    "passages",
    "speed_knots",
    "sea_transit_days",
    "leg_text",
    "evidence",
    "assumptions",
    "source_ids",
    "on_date",
    "geometry",
]
# What `leg_kind` says: a leg by sea (with its land ends), a leg by land only, or no leg (the row says why).
LEG_KINDS = ("sea", "land", "none")
ROAD_ASSUMPTION = f"Road distance = geodesic distance × {ROAD_CIRCUITY_FACTOR:g}, an assumed road factor."
ROUTE_ASSUMPTION = "Sea distance along searoute's maritime network (offline), our estimate of the ship's route."
UNKNOWN = "cell origin unknown"


@dataclass
class _Leg:
    """One row of `cell_legs` being filled in."""

    kind: str
    text: str
    evidence: str
    source_ids: list[str]
    assumptions: list[str] = field(default_factory=list)
    numbers: dict[str, object] = field(default_factory=dict)
    geometry: MultiLineString | None = None
    ends: tuple[tuple[float, float], ...] = ()  # a sea leg's cell plant, its port, the car plant's port, car plant


def cell_legs(
    tables: Tables,
    on_date: dt.date | str,
    cases: Sequence[str] | str | None = None,
    speed_knots: float | None = None,
    cache: RouteCache | None = None,
) -> gpd.GeoDataFrame:
    """For every case and model on `on_date`: the cells' leg from the cell plant to the car plant (`leg_kind` sea or
    land, with `land_origin_km`, `sea_distance_km`, `land_destination_km`, `total_distance_km`, `sea_transit_days`,
    ports, evidence, assumptions, source ids and the line), or `leg_kind` none and, in `leg_text`, why not.

    `cases` case_ids (None or [] = every case); `speed_knots` the ship speed (default: the `vessel_speeds` default).
    """
    # Check the parameters
    day = check_date("on_date", on_date)
    chosen = check_unique("cases", check_str_list("cases", cases or [], ids("cases", "case_id")(tables)))
    if speed_knots is None:
        row = default_row(tables, "vessel_speeds")
        speed, speed_sources = float(row["speed_knots"]), [str(row["source_id"])]
    else:
        speed = float(check_number("speed_knots", speed_knots, minimum=0.1, maximum=MAX_SPEED_KNOTS))
        speed_sources = []

    # The cells of each case's models on the day
    pairs = case_models(tables)
    if chosen:
        pairs = pairs[pairs["case_id"].isin(chosen)]
    models = names_by_id(tables, "model_id")
    plants = tables["plants"].set_index("plant_id")
    cell_plants = tables["battery_plants"].set_index("battery_plant_id")
    rows = []
    for case in pairs.itertuples():
        origin = battery_origin(tables, case.model_id, case.plant_id, day) if pd.notna(case.model_id) else None
        named = origin.battery_plant_id if origin else None
        rows.append(
            {
                "case_id": case.case_id,
                "case_name": case.case_name,
                "model_id": case.model_id if pd.notna(case.model_id) else None,
                "model_name": models.get(case.model_id, case.model_id) if pd.notna(case.model_id) else None,
                "plant_id": case.plant_id,
                "plant_name": plants.loc[case.plant_id, "plant_name"],
                "supply_id": origin.supply_id if origin else None,
                "cell_maker_id": origin.cell_maker_id if origin else None,
                "battery_plant_id": named,
                "battery_plant_name": cell_plants.loc[named, "battery_plant_name"] if named else None,
                "cell_country_code": origin.cell_country_code if origin else None,
                "on_date": day,
                "_origin": origin,
            }
        )

    # The leg of each: none (and why), by land, or by sea
    legs = [_leg(tables, r["_origin"], r["plant_id"], day) for r in rows]
    sea = [leg for leg in legs if leg.kind == "sea"]
    if sea:
        pairs_needed = [(leg.numbers["origin_port_id"], leg.numbers["dest_port_id"]) for leg in sea]
        routes = sea_routes(pairs_needed, tables["ports"], speed, cache).set_index(["origin_port_id", "dest_port_id"])
        for leg in sea:
            _add_sea(leg, routes.loc[(leg.numbers["origin_port_id"], leg.numbers["dest_port_id"])], speed_sources)

    # One row per case model
    out = []
    for r, leg in zip(rows, legs, strict=True):
        r.pop("_origin")
        out.append(
            {
                **r,
                **leg.numbers,
                "leg_kind": leg.kind,
                "leg_text": leg.text,
                "evidence": leg.evidence,
                "assumptions": tuple(leg.assumptions),
                "source_ids": tuple(dict.fromkeys(leg.source_ids)),
                "geometry": leg.geometry,
            }
        )
    frame = pd.DataFrame(out).reindex(columns=LEG_COLUMNS)
    for col in LEG_COLUMNS:
        if col.endswith(("_km", "_nm", "_days", "_knots")):
            frame[col] = frame[col].astype(float)
        elif col not in ("assumptions", "source_ids", "on_date", "geometry"):
            frame[col] = frame[col].astype("string")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def _leg(tables: Tables, origin: BatteryOrigin | None, plant_id: str, day: dt.date) -> _Leg:
    """The leg of one case model, before its sea route is looked up: kind, words, evidence, sources, land km."""
    if origin is None:
        return _Leg("none", "no model recorded at the plant yet; cell origin unknown", "none_found", [])
    supply_sources = list(origin.source_ids) if origin.supply_id else []
    if origin.supply_id is None:
        return _Leg("none", f"{UNKNOWN} (no cell-supply claim recorded)", "none_found", [])
    if not origin.is_known:
        return _Leg("none", UNKNOWN, origin.evidence, supply_sources)
    if origin.battery_plant_id is None:
        return _Leg("none", _unnamed_plant(tables, origin), origin.evidence, supply_sources)

    cell_plant = tables["battery_plants"].set_index("battery_plant_id").loc[origin.battery_plant_id]
    car_plant = tables["plants"].set_index("plant_id").loc[plant_id]
    a = (float(cell_plant["longitude"]), float(cell_plant["latitude"]))
    b = (float(car_plant["longitude"]), float(car_plant["latitude"]))
    sources = [*supply_sources, str(cell_plant["source_id"]), str(car_plant["source_id"])]
    inputs = [origin.evidence, ev.from_data(str(cell_plant["location_basis"]))]
    inputs.append(ev.from_data(str(car_plant["location_basis"])))
    by_land = _by_land(tables, str(cell_plant["country_code"]), str(car_plant["country_code"]), day)
    if by_land:
        return _land_leg(a, b, f"cell plant in {by_land}", inputs, sources)

    cell_port = _linked_port(tables, "battery_plant_ports", "battery_plant_id", origin.battery_plant_id, a)
    if cell_port is None:
        return _no_port(str(cell_plant["battery_plant_name"]), origin.evidence, supply_sources)
    car_port = _linked_port(tables, "plant_ports", "plant_id", plant_id, b)
    if car_port is None:
        return _no_port(str(car_plant["plant_name"]), origin.evidence, supply_sources)
    if cell_port["port_id"] == car_port["port_id"]:
        return _land_leg(a, b, f"cell plant and car plant share the port {cell_port['port_id']}", inputs, sources)

    ports = tables["ports"].set_index("port_id")
    p, q = (ports.loc[port["port_id"]] for port in (cell_port, car_port))
    p_xy, q_xy = (float(p["longitude"]), float(p["latitude"])), (float(q["longitude"]), float(q["latitude"]))
    assumptions = [
        f"The car plant's inbound port for cells is taken to be {car_port['port_id']}, the port its cars leave "
        "from (plant_ports).",
        ROUTE_ASSUMPTION,
        ROAD_ASSUMPTION,
    ]
    if cell_port["basis"] != "reported":
        assumptions.insert(0, f"Port of {cell_plant['battery_plant_name']}: {cell_port['method']}")
    sources += [str(cell_port["source_id"]), str(car_port["source_id"]), str(p["source_id"]), str(q["source_id"])]
    inputs += [ev.from_data(str(cell_port["basis"])), "estimated", ev.from_data(str(p["location_basis"]))]
    inputs.append(ev.from_data(str(q["location_basis"])))
    names = (str(cell_plant["battery_plant_name"]), str(p["port_name"]), str(q["port_name"]), car_plant["plant_name"])
    return _Leg(
        "sea",
        " → ".join(names),
        ev.derived_from(*inputs),
        sources,
        assumptions,
        {
            "origin_port_id": str(cell_port["port_id"]),
            "dest_port_id": str(car_port["port_id"]),
            "land_origin_km": float(land_km(*a, *p_xy)[0]),
            "land_destination_km": float(land_km(*q_xy, *b)[0]),
        },
        ends=(a, p_xy, q_xy, b),
    )


def _add_sea(leg: _Leg, route: pd.Series, speed_sources: list[str]) -> None:
    """Complete a sea leg with its route: distances, days at sea, the whole line and the words."""
    a, p_xy, q_xy, b = leg.ends
    sea_km = float(route["sea_distance_km"])
    land = float(leg.numbers["land_origin_km"]) + float(leg.numbers["land_destination_km"])
    days = float(route["sea_transit_days"])
    leg.numbers.update(
        {
            "sea_distance_km": sea_km,
            "sea_distance_nm": float(route["sea_distance_nm"]),
            "road_distance_km": land,
            "total_distance_km": land + sea_km,
            "passages": str(route["passages"]),
            "speed_knots": float(route["speed_knots"]),
            "sea_transit_days": days,
        }
    )
    leg.text = f"by sea: {leg.text}, {land + sea_km:,.0f} km, {days:.1f} days at sea"
    leg.assumptions.append(f"Ships sail at {float(route['speed_knots']):g} kn, the ship speed flows use.")
    leg.source_ids += speed_sources
    # The whole chain as one line: road to the port, the sea route, road from the port.
    parts = [LineString([a, p_xy]), *route["geometry"].geoms, LineString([q_xy, b])]
    leg.geometry = MultiLineString(parts)


def _land_leg(
    a: tuple[float, float], b: tuple[float, float], where: str, inputs: list[str], sources: list[str]
) -> _Leg:
    km = float(land_km(*a, *b)[0])
    return _Leg(
        "land",
        f"{where}: by land, {km:,.0f} km",
        ev.derived_from(*inputs, "estimated"),
        sources,
        [ROAD_ASSUMPTION],
        {"land_origin_km": km, "land_destination_km": 0.0, "road_distance_km": km, "total_distance_km": km},
        MultiLineString([LineString([a, b])]),
    )


def _no_port(name: str, evidence: str, sources: list[str]) -> _Leg:
    return _Leg("none", f"no port linked to {name}", evidence, sources)


def _unnamed_plant(tables: Tables, origin: BatteryOrigin) -> str:
    """'cell plant not named; cells from China (reported)', or what else is known of the cells."""
    word = ev.word(origin.evidence)
    if origin.cell_country_code:
        where = names_by_id(tables, "market_id").get(origin.cell_country_code)
        return f"cell plant not named; cells from {where or origin.cell_country_code} ({word})"
    maker = names_by_id(tables, "company_id").get(origin.cell_maker_id)
    return f"cell plant not named; cells by {maker or origin.cell_maker_id}, country not known ({word})"


def _by_land(tables: Tables, cell_country: str, car_country: str, day: dt.date) -> str | None:
    """'the same country' or 'the same customs union (European Union)' when cells go by land, else None."""
    if cell_country == car_country:
        return "the same country"
    shared = sorted(unions_of(tables, cell_country, day) & unions_of(tables, car_country, day))
    if not shared:
        return None
    return f"the same customs union ({names_by_id(tables, 'market_id').get(shared[0])})"


def _linked_port(
    tables: Tables, table: str, key: str, value: str, point: tuple[float, float]
) -> dict[str, object] | None:
    """The port `table` links to `value` (the nearest to `point` if several): port_id, basis, method, source_id."""
    links = tables[table]
    links = links[links[key] == value]
    if links.empty:
        return None
    ports = tables["ports"].set_index("port_id")
    xy = ports.loc[links["port_id"], ["longitude", "latitude"]].astype(float).to_numpy()
    nearest = int(np.argmin(land_km(point[0], point[1], xy[:, 0], xy[:, 1])))
    return links.iloc[nearest][["port_id", "basis", "method", "source_id"]].to_dict()
