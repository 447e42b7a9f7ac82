"""evsupply's maps draw offline anywhere: no plotly.js base layer is on and no trace places data by `locationmode`
(either would make plotly.js fetch world_110m.json from its CDN); the countries travel as the first traces."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import shapely

from evsupply.figures.atlas import atlas_map
from evsupply.figures.maps import (
    BASE_LAYERS,
    BASE_MAP_NAME,
    OCEAN_NAME,
    base_map_traces,
    country_outlines,
    outlines_within,
)

# plotly.js 4.1 (src/plots/geo/geo.js, `needsTopojson`) fetches the topojson when any of these layout keys is true.
PLOTLY_FETCHING_LAYERS = {"showcoastlines", "showland", "showocean", "showlakes", "showrivers", "showcountries"}


def assert_draws_offline(figure: go.Figure) -> None:
    """What plotly.js sees (the figure's JSON, as a notebook stores it) asks for no base map from the network."""
    fig = json.loads(pio.to_json(figure))
    geo = fig["layout"]["geo"]
    # Explicitly off in the layout, so no template (plotly's default turns land and lakes on) can turn one on.
    assert {f"show{layer}" for layer in BASE_LAYERS} >= PLOTLY_FETCHING_LAYERS
    for layer in BASE_LAYERS:
        assert geo[f"show{layer}"] is False, layer
    for trace in fig["data"]:
        assert "locationmode" not in trace and "locations" not in trace, trace.get("name")
    names = [t.get("name") for t in fig["data"]]
    assert names[:2] == [OCEAN_NAME, BASE_MAP_NAME]  # drawn first, under the data
    for base in fig["data"][:2]:
        assert base["hoverinfo"] == "skip" and base["showlegend"] is False and base["fill"] == "toself"


def test_atlas_map_draws_offline() -> None:
    cases = pd.DataFrame(
        {
            "case_id": ["a", "b"],
            "case_name": ["A", "B"],
            "plant_name": ["Ghent", "Szeged"],
            "relationship": ["own_plant", "joint_venture"],
            "status": ["producing", "planned"],
            "capacity_units": [200_000.0, None],
            "longitude": [3.8, 20.1],
            "latitude": [51.1, 46.3],
        }
    )
    figure = atlas_map(cases)
    assert_draws_offline(figure)
    layout = figure.to_dict()["layout"]
    # The world view, then the regional views; the Europe view (10 W..31 E, 35..56 N) frames both plants.
    europe = layout["geo2"]
    assert europe["lonaxis"]["range"] == [-10.0, 31.0] and europe["lataxis"]["range"] == [35.0, 56.0]
    for key in ("geo", "geo2", "geo3", "geo4", "geo5", "geo6"):
        assert not any(layout[key].get(f"show{layer}") for layer in BASE_LAYERS), key
    # The base map is drawn in every view, before the data.
    base = [t["geo"] if "geo" in t else "geo" for t in figure.to_dict()["data"] if t.get("name") == BASE_MAP_NAME]
    assert sorted(base) == ["geo", "geo2", "geo3", "geo4", "geo5", "geo6"]


def rings() -> list[shapely.Polygon]:
    lons, lats = country_outlines()
    out, ring = [], []
    for lon, lat in zip(lons, lats, strict=True):
        if lon is None:
            out.append(shapely.Polygon(ring))
            ring = []
        else:
            ring.append((lon, lat))
    return out


def test_the_base_map_is_the_world() -> None:
    polygons = rings()
    # Natural Earth 1:110m has 177 countries; islands under one square degree are left out, big ones kept.
    assert 150 <= len(polygons) <= 300
    land = shapely.union_all([p.buffer(0) for p in polygons])
    # Points whose side of the coast is known: Busan's plant (129.0E 35.1N, Korea), Paris, the middle of the
    # Pacific and of the Atlantic.
    assert land.contains(shapely.Point(128.9, 35.2)) and land.contains(shapely.Point(2.35, 48.85))
    assert not land.contains(shapely.Point(-150, 0)) and not land.contains(shapely.Point(-30, 30))
    lons, _ = country_outlines()
    assert all(v is None or round(v, 1) == v for v in lons)  # rounded to 0.1°: small JSON


def test_base_map_json_stays_small() -> None:
    # The two base traces ride in every map's JSON; the index's previews take figures of up to 60 KB.
    size = sum(len(json.dumps(t.to_plotly_json(), separators=(",", ":"))) for t in base_map_traces())
    assert size < 45_000


def test_a_regional_base_map_keeps_the_countries_that_reach_into_it_and_only_those() -> None:
    europe_lon, europe_lat = (-10.0, 31.0), (35.0, 56.0)  # the atlas's Europe view
    lons, lats = outlines_within(europe_lon, europe_lat)
    rings, ring = [], []
    for lon, lat in zip(lons, lats, strict=True):
        if lon is None:
            rings.append(ring)
            ring = []
        else:
            ring.append((lon, lat))
    assert 0 < len(rings) < country_outlines()[0].count(None)
    for points in rings:  # every kept ring reaches into the box widened by 10 degrees
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        assert min(xs) <= 41 and max(xs) >= -20 and min(ys) <= 66 and max(ys) >= 25
    polygons = [shapely.Polygon(points) for points in rings if len(points) >= 4]
    berlin, sydney = shapely.Point(13.4, 52.5), shapely.Point(151.2, -33.9)
    assert any(p.contains(berlin) for p in polygons)  # Germany is drawn
    assert not any(p.contains(sydney) for p in polygons)  # Australia is not
