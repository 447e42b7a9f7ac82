"""The cells' leg upstream (`upstream.cell_legs`): drawn only from a named cell plant and linked ports, in
words otherwise; on hand-made tables (test data, not facts) and, for today's answer, on the real tables.

Hand calculations: a land leg is the WGS 84 geodesic × 1.3 (the road factor of `routes.land_km`). One degree of
latitude along a meridian is the meridian arc M(φ)·π/180 with M(φ) = a(1 − e²)/(1 − e² sin² φ)^1.5 (a = 6,378,137 m,
e² = 0.00669438) at the mid latitude: 110.86 km at 30.37°N, 110.95 km at 35.60°N, 110.97 km at 36.60°N, so 144.11,
144.24 and 144.26 km of road.
"""

from __future__ import annotations

import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kit import build_tables

import evsupply
from evsupply.analysis.batteries import upstream
from evsupply.analysis.shipping.routes import sea_route
from evsupply.errors import ParameterError
from evsupply.figures.flows import cell_leg_map
from evsupply.figures.maps import OCEAN_NAME

ON = "2026-12-01"
Q = "test row"
# Ports at the coordinates of the real KRPUS and CNNGB rows.
PORTS = [
    {
        "port_id": "CNNGB",
        "port_name": "Ningbo",
        "country_code": "CHN",
        "latitude": 29.86667,
        "longitude": 121.51667,
        "location_basis": "reported",
        "port_role": "both",
        "source_id": "port_source",
        "source_quote": Q,
    },
    {
        "port_id": "KRPUS",
        "port_name": "Busan",
        "country_code": "KOR",
        "latitude": 35.10389,
        "longitude": 129.07889,
        "location_basis": "reported",
        "port_role": "both",
        "source_id": "port_source",
        "source_quote": Q,
    },
]


def place(key: str, country: str, lon: float, lat: float, **extra: object) -> dict[str, object]:
    """A hand-made plant row (vehicle or battery plant) at a point, located as `estimated`."""
    return {
        "country_code": country,
        "longitude": lon,
        "latitude": lat,
        "location_basis": "estimated",
        "location_method": "test point",
        "source_id": f"{key}_source",
        "source_quote": Q,
        **extra,
    }


def car_plant(plant_id: str, country: str, lon: float, lat: float) -> dict[str, object]:
    return place(plant_id, country, lon, lat, plant_id=plant_id, plant_name=f"{plant_id} plant", operator_id="maker")


def cell_plant(plant_id: str, country: str, lon: float, lat: float) -> dict[str, object]:
    return place(
        plant_id,
        country,
        lon,
        lat,
        battery_plant_id=plant_id,
        battery_plant_name=f"{plant_id} cell plant",
        operator_id="cell_maker",
    )


def supply(model: str, plant: str, evidence: str = "trade_press", **values: object) -> dict[str, object]:
    return {
        "supply_id": f"{model}_claim",
        "model_id": model,
        "plant_id": plant,
        "supply_evidence": evidence,
        "is_preferred": "true",
        "as_of_date": "2025-01-01",
        "source_id": f"{model}_claim_source",
        "source_quote": Q,
        **values,
    }


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> evsupply.Tables:
    models = ["car_sea", "car_land", "car_noport", "car_country", "car_unknown", "car_eu"]
    return build_tables(
        tmp_path_factory.mktemp("upstream"),
        {
            "companies": [
                {"company_id": c, "company_name": c.replace("_", " ").title(), "entity_type": "company"}
                for c in ("maker", "cell_maker")
            ],
            # Each test plant 1° of latitude north of its port (or of the other plant), on the same meridian.
            "plants": [
                car_plant("car_kor", "KOR", 129.07889, 36.10389),
                car_plant("car_hun", "HUN", 20.15, 46.25),
                car_plant("car_bel", "BEL", 3.78, 51.10),
            ],
            "battery_plants": [
                cell_plant("cells_chn", "CHN", 121.51667, 30.86667),
                cell_plant("cells_kor", "KOR", 129.07889, 37.10389),
                cell_plant("cells_unlinked", "CHN", 117.3, 34.8),
                cell_plant("cells_deu", "DEU", 10.98, 50.86),
            ],
            "ports": PORTS,
            "battery_plant_ports": [
                {
                    "battery_plant_id": "cells_chn",
                    "port_id": "CNNGB",
                    "basis": "assumed",
                    "method": "nearest large port (test)",
                    "source_id": "cell_link_source",
                    "source_quote": Q,
                }
            ],
            "plant_ports": [
                {
                    "plant_id": "car_kor",
                    "port_id": "KRPUS",
                    "basis": "reported",
                    "source_id": "car_link_source",
                    "source_quote": Q,
                }
            ],
            "models": [{"model_id": m, "model_name": f"{m} model", "brand_id": "maker"} for m in models],
            "battery_supply": [
                supply("car_sea", "car_kor", battery_plant_id="cells_chn", cell_maker_id="cell_maker"),
                supply("car_land", "car_kor", battery_plant_id="cells_kor"),
                supply("car_noport", "car_kor", battery_plant_id="cells_unlinked"),
                supply("car_country", "car_hun", "stated_by_maker", cell_country_code="CHN"),
                supply("car_unknown", "car_hun", "unknown"),
                supply("car_eu", "car_bel", battery_plant_id="cells_deu"),
            ],
            "cases": [
                {"case_id": f"{p}_case", "case_name": f"{p} case", "plant_id": p, "brand_id": "maker"}
                for p in ("car_kor", "car_hun", "car_bel")
            ],
            "vessel_speeds": [
                {
                    "speed_id": "carrier_15",
                    "ship_type": "vehicle carrier",
                    "speed_knots": "15",
                    "is_default": "true",
                    "basis": "reported",
                    "source_id": "speed_source",
                    "source_quote": Q,
                }
            ],
        },
    )


@pytest.fixture(scope="module")
def legs(tables: evsupply.Tables) -> dict[str, dict[str, object]]:
    frame = upstream.cell_legs(tables, ON)
    return {row["model_id"]: row for row in frame.to_dict("records")}


def test_a_named_cell_plant_across_a_sea_gets_land_plus_sea_plus_land(
    tables: evsupply.Tables, legs: dict[str, dict[str, object]]
) -> None:
    leg = legs["car_sea"]
    assert (leg["leg_kind"], leg["origin_port_id"], leg["dest_port_id"]) == ("sea", "CNNGB", "KRPUS")
    # Land ends: 1° of latitude north of each port (hand calculation in the module docstring).
    assert leg["land_origin_km"] == pytest.approx(144.11, abs=0.05)
    assert leg["land_destination_km"] == pytest.approx(144.24, abs=0.05)
    # The sea leg is the route evsupply gives for the same port pair; days at sea = nm / 15 kn / 24 h.
    route = sea_route("CNNGB", "KRPUS", ports=tables["ports"], speed_knots=15.0)
    assert leg["sea_distance_km"] == pytest.approx(route.distance_km)
    assert leg["sea_transit_days"] == pytest.approx(route.distance_km / 1.852 / 15 / 24)
    assert leg["total_distance_km"] == pytest.approx(144.11 + route.distance_km + 144.24, abs=0.1)
    assert leg["road_distance_km"] == pytest.approx(144.11 + 144.24, abs=0.1)
    # The line runs from the cell plant to the car plant.
    coords = shapely.get_coordinates(leg["geometry"])
    assert tuple(coords[0]) == pytest.approx((121.51667, 30.86667))
    assert tuple(coords[-1]) == pytest.approx((129.07889, 36.10389))
    # A sea route and an assumed port are our estimates; the assumptions and every source are named.
    assert leg["evidence"] == "estimated"
    assert any("KRPUS" in a and "port its cars leave from" in a for a in leg["assumptions"])
    assert any(a.startswith("Port of cells_chn cell plant: nearest large port (test)") for a in leg["assumptions"])
    assert {"car_sea_claim_source", "cell_link_source", "car_link_source", "port_source", "speed_source"} <= set(
        leg["source_ids"]
    )
    assert str(leg["leg_text"]).startswith("by sea: cells_chn cell plant → Ningbo → Busan → car_kor plant, ")


def test_a_named_cell_plant_in_the_same_country_goes_by_land(legs: dict[str, dict[str, object]]) -> None:
    leg = legs["car_land"]
    assert leg["leg_kind"] == "land"
    assert leg["total_distance_km"] == pytest.approx(144.26, abs=0.05)  # 1° of latitude at 36.60°N, × 1.3
    assert leg["leg_text"] == "cell plant in the same country: by land, 144 km"
    assert leg["sea_distance_km"] != leg["sea_distance_km"]  # NaN: no sea leg, never 0
    assert leg["origin_port_id"] is None and leg["geometry"] is not None


def test_a_cell_plant_in_the_same_customs_union_goes_by_land(legs: dict[str, dict[str, object]]) -> None:
    # Germany and Belgium are both in the EU on the day (the real market_members rows).
    leg = legs["car_eu"]
    assert leg["leg_kind"] == "land"
    assert str(leg["leg_text"]).startswith("cell plant in the same customs union (European Union): by land, ")
    # About 7.2° of longitude at 51°N: 7.2 × 111.3 × cos 51° ≈ 504 km straight, about 655 km by road.
    assert 620 < float(leg["total_distance_km"]) < 690


@pytest.mark.parametrize(
    ("model", "text", "evidence"),
    [
        ("car_country", "cell plant not named; cells from China (reported)", "reported"),
        ("car_unknown", "cell origin unknown", "none_found"),
        ("car_noport", "no port linked to cells_unlinked cell plant", "reported"),
    ],
)
def test_no_leg_is_drawn_where_an_input_is_unknown(
    legs: dict[str, dict[str, object]], model: str, text: str, evidence: str
) -> None:
    leg = legs[model]
    assert (leg["leg_kind"], leg["leg_text"], leg["evidence"]) == ("none", text, evidence)
    assert leg["geometry"] is None
    assert leg["total_distance_km"] != leg["total_distance_km"]  # NaN, not 0
    assert leg["source_ids"] == (f"{model}_claim_source",)


def test_cases_choose_the_rows(tables: evsupply.Tables) -> None:
    frame = upstream.cell_legs(tables, ON, cases=["car_hun_case"])
    assert sorted(frame["model_id"]) == ["car_country", "car_unknown"]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"on_date": "2026-13-01"}, "on_date"),
        ({"on_date": "yesterday"}, "on_date"),
        ({"on_date": ON, "cases": ["atlantis_case"]}, "cases"),
        ({"on_date": ON, "speed_knots": 0}, "speed_knots"),
    ],
)
def test_bad_arguments_are_parameter_errors(tables: evsupply.Tables, kwargs: dict[str, object], name: str) -> None:
    with pytest.raises(ParameterError, match=name):
        upstream.cell_legs(tables, **kwargs)


# --- the report's map of the legs ---


def test_the_map_draws_only_the_drawn_legs_offline(tables: evsupply.Tables) -> None:
    frame = upstream.cell_legs(tables, ON)
    frame["evidence_word"] = frame["evidence"].map(evsupply.core.evidence.word)
    fig = cell_leg_map(frame, tables).to_dict()
    # Offline: every plotly.js base layer is off; the base map is the figure's own first traces.
    assert not any(v for k, v in fig["layout"]["geo"].items() if k.startswith("show") and k != "showframe")
    assert fig["data"][0]["name"] == OCEAN_NAME
    lines = {t["name"]: t for t in fig["data"] if t.get("mode") == "lines" and t["name"].endswith("plant")}
    # Three legs can be drawn (sea, same country, same union); the country-only, unknown and unlinked ones cannot.
    assert sorted(lines) == [
        "car_eu model at car_bel plant",
        "car_land model at car_kor plant",
        "car_sea model at car_kor plant",
    ]
    sea = lines["car_sea model at car_kor plant"]
    assert (sea["lon"][0], sea["lat"][0]) == pytest.approx((121.51667, 30.86667))
    assert (sea["lon"][-1], sea["lat"][-1]) == pytest.approx((129.07889, 36.10389))
    cells = next(t for t in fig["data"] if t["name"] == "Cell plants")
    assert sorted(cells["text"]) == ["cells_chn cell plant", "cells_deu cell plant", "cells_kor cell plant"]


HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "2026-02-30", "car_kor_case", ["car_kor_case", "car_kor_case"], ["nowhere"], pd.NaT, {}]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(on_date=st.one_of(HOSTILE, st.dates().map(str)), cases=HOSTILE, speed=HOSTILE)
def test_hostile_arguments_give_a_result_or_a_parameter_error(
    tables: evsupply.Tables, on_date: object, cases: object, speed: object
) -> None:
    try:
        frame = upstream.cell_legs(tables, on_date, cases=cases, speed_knots=speed)
    except ParameterError:
        return
    assert set(frame["leg_kind"]) <= set(upstream.LEG_KINDS)
    assert frame.loc[frame["leg_kind"] == "none"].geometry.isna().all()
