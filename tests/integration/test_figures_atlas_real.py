"""The atlas map: a world view plus Europe, Southeast Asia and Thailand's Eastern Seaboard, labelled and sized."""

from __future__ import annotations

import pandas as pd
import pytest

import evsupply
from evsupply.analysis.cases.atlas import capacity_of, case_table
from evsupply.figures.atlas import (
    EUROPE_VIEW,
    JAVA_VIEW,
    RUSSIA_VIEW,
    SOUTHEAST_ASIA_VIEW,
    THAILAND_VIEW,
    VIEWS,
    atlas_map,
    map_label,
)

DAY = "2026-11-27"
# The plants a reader must tell apart at each scale (plant_ids of data/plants.csv).
EUROPE_PLANTS = {
    "volvo_ghent",  # Ghent
    "magna_steyr_graz",  # Graz
    "volvo_kosice",  # Košice
    "byd_szeged",  # Szeged
    "stellantis_tychy",  # Tychy
    "stellantis_zaragoza",  # Zaragoza
    "ebro_zona_franca",  # Barcelona
}
SOUTHEAST_ASIA_PLANTS = {"byd_rayong", "proton_tanjung_malim_ev", "stellantis_gurun", "byd_subang"}
THAI_PLANTS = {"byd_rayong", "gwm_rayong", "gac_aion_rayong", "changan_rayong", "saic_cp_chonburi"}
# West Java: Handal at Bekasi and Purwakarta, SGMW at Cikarang, BYD at Subang, within about 80 km.
JAVA_PLANTS = {"handal_pondok_ungu", "handal_purwakarta", "sgmw_cikarang", "byd_subang"}
# Russia and Belarus: Tula and Kaluga south of Moscow (east of the Europe view), Kaliningrad, Borisov.
RUSSIA_PLANTS = {"gwm_tula", "avtomobilnye_tekhnologii_kaluga", "avtotor_kaliningrad", "belgee_borisov"}


@pytest.fixture(scope="module")
def tables() -> evsupply.Tables:
    return evsupply.load()


@pytest.fixture(scope="module")
def cases(tables: evsupply.Tables) -> pd.DataFrame:
    """The atlas input as the atlas report builds it: the case table plus plant location, name and capacity."""
    out = case_table(tables, DAY)
    plants = tables["plants"].set_index("plant_id")
    out["longitude"] = out["plant_id"].map(plants["longitude"])
    out["latitude"] = out["plant_id"].map(plants["latitude"])
    out["plant_name"] = out["plant_id"].map(plants["plant_name"])
    out["capacity_units"] = [capacity_of(tables, p, DAY) for p in out["plant_id"]]
    return out


@pytest.fixture(scope="module")
def fig(cases: pd.DataFrame) -> dict:
    return atlas_map(cases).to_dict()


def drawn_in(fig: dict, geo: str) -> dict[str, str]:
    """case_id -> label text of the plant markers drawn in one geo subplot."""
    out = {}
    for trace in fig["data"]:
        if trace.get("geo", "geo") == geo and trace.get("customdata") is not None:
            out.update(zip(trace["customdata"], trace.get("text") or [""] * len(trace["customdata"]), strict=True))
    return out


@pytest.mark.parametrize(
    ("view", "plant_ids"),
    [
        (EUROPE_VIEW, EUROPE_PLANTS),
        (SOUTHEAST_ASIA_VIEW, SOUTHEAST_ASIA_PLANTS),
        (THAILAND_VIEW, THAI_PLANTS),
        (RUSSIA_VIEW, RUSSIA_PLANTS),
        (JAVA_VIEW, JAVA_PLANTS),
    ],
)
def test_regional_views_hold_their_plants(
    tables: evsupply.Tables, cases: pd.DataFrame, fig: dict, view, plant_ids: set[str]
) -> None:
    layout = fig["layout"][view.geo]
    (west, east), (south, north) = layout["lonaxis"]["range"], layout["lataxis"]["range"]
    assert layout["fitbounds"] is False  # the ranges, not the markers, set the extent
    plants = tables["plants"].set_index("plant_id")
    for plant in plant_ids:
        lon, lat = plants.loc[plant, "longitude"], plants.loc[plant, "latitude"]
        assert west <= lon <= east and south <= lat <= north, plant
    drawn = drawn_in(fig, view.geo)
    wanted = set(cases.loc[cases["plant_id"].isin(plant_ids), "case_id"])
    assert wanted <= set(drawn)


def test_thai_cluster_is_labelled_in_its_own_view(cases: pd.DataFrame, fig: dict) -> None:
    thai = cases[cases["plant_id"].isin(THAI_PLANTS)]
    assert len(thai) == 5  # BYD, GWM, GAC Aion, Changan, SAIC-CP: within about 30 km of each other
    labels = drawn_in(fig, THAILAND_VIEW.geo)
    shown = [labels[c] for c in thai["case_id"]]
    assert all(shown) and len(set(shown)) == 5
    # In the Southeast Asia view the same five are drawn without labels (they would overprint), and a frame points
    # to the Eastern Seaboard view.
    sea = drawn_in(fig, SOUTHEAST_ASIA_VIEW.geo)
    assert all(sea[c] == "" for c in thai["case_id"])
    assert any(
        t.get("geo") == SOUTHEAST_ASIA_VIEW.geo and t.get("mode") == "text" and "5 plants" in t["text"][0]
        for t in fig["data"]
    )


def test_world_view_and_legend(cases: pd.DataFrame, fig: dict) -> None:
    assert {v.geo for v in VIEWS} <= set(fig["layout"])
    world = drawn_in(fig, "geo")
    assert set(world) == set(cases["case_id"])  # every case on the world view
    legend = [t["name"] for t in fig["data"] if t.get("showlegend") is not False and t.get("legendgroup")]
    assert {"Own plant", "Joint venture", "Minority partner", "Contract manufacturing", "not published"} <= set(legend)
    # The size legend: 50,000 and 150,000 a year and the largest published capacity (Renault's Ayrton Senna complex,
    # 380,000 a year, autodata_2025_12_renault_geely).
    assert {"50,000 a year", "150,000 a year", "380,000 a year"} <= set(legend)


def test_text_from_data_is_escaped() -> None:
    frame = pd.DataFrame(
        {
            "case_id": ["x"],
            "case_name": ["<b>Evil</b> at <i>Rayong</i>"],
            "plant_name": ["<script>alert(1)</script>"],
            "relationship": ["own_plant"],
            "status": ["producing"],
            "capacity_units": [float("nan")],
            "longitude": [101.1],
            "latitude": [13.0],
        }
    )
    fig = atlas_map(frame).to_dict()
    markers = [t for t in fig["data"] if t.get("customdata") is not None]
    assert markers and all("<script>" not in h and "&lt;script&gt;" in h for t in markers for h in t["hovertext"])
    labelled = [t for t in markers if t["geo"] == THAILAND_VIEW.geo]
    assert labelled[0]["text"] == ["&lt;b&gt;Evil&lt;/b&gt;"]
    assert map_label("BYD at Rayong, Thailand (own plant)") == "BYD"


@pytest.mark.parametrize(("view", "plant_ids"), [(JAVA_VIEW, JAVA_PLANTS), (RUSSIA_VIEW, RUSSIA_PLANTS)])
def test_close_plants_get_labels_of_their_own(cases: pd.DataFrame, fig: dict, view, plant_ids: set[str]) -> None:
    # Every case at these plants is labelled in its view, and no two cases share a label.
    mine = cases[cases["plant_id"].isin(plant_ids)]
    labels = drawn_in(fig, view.geo)
    shown = [labels[c] for c in mine["case_id"]]
    assert all(shown) and len(set(shown)) == len(mine)


def test_the_java_cluster_is_unlabelled_in_southeast_asia(cases: pd.DataFrame, fig: dict) -> None:
    java = cases[cases["plant_id"].isin(JAVA_PLANTS)]
    sea = drawn_in(fig, SOUTHEAST_ASIA_VIEW.geo)
    assert all(sea[c] == "" for c in java["case_id"])
    assert any(
        t.get("geo") == SOUTHEAST_ASIA_VIEW.geo and t.get("mode") == "text" and "4 plants" in t["text"][0]
        for t in fig["data"]
    )
