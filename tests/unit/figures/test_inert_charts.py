"""F2 of the 2026-12 reliability round: text from data never becomes plotly markup. Plotly renders `<a href>`,
`<span style>`, `<b>`, `<i>`, `<br>`, `<sub>`, `<sup>` inside SVG; a name carrying them made an opened report
fetch a remote URL and hold a live external link. Every name column of hand-made inputs is poisoned here."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from evsupply.figures.atlas import atlas_map
from evsupply.figures.bars import Series, grouped_bars
from evsupply.figures.capacity import scenario_figure, utilisation_figure
from evsupply.figures.maps import plants_ports_map
from evsupply.figures.policy import duty_timeline_figure, landed_cost_figure
from evsupply.figures.text import inert

PAYLOAD = (
    'Busan <span style="fill:url(https://evil.example/beacon.svg#a)">.</span>'
    '<a href="https://evil.example/login">x</a><sub>s</sub><sup>t</sup><i>i</i><b>b</b> & co'
)
# Markup the builders write themselves (line breaks, a bold name, plotly's <extra> hover box).
OWN_MARKUP = re.compile(r"<(?:br|b|/b|extra|/extra)>")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "tolist"):
        return _strings(value.tolist())
    return []


def assert_inert(figure: Any) -> None:
    """No string of the figure holds markup other than the builder's own; the payload is there, as text."""
    texts = _strings(figure.to_dict())
    leftover = [t for t in texts if "<" in OWN_MARKUP.sub("", t)]
    assert leftover == []
    assert any("&lt;span style=" in t and "&amp; co" in t for t in texts)


def test_inert_escapes_what_plotly_reads_and_keeps_ordinary_names() -> None:
    assert inert("Renault Korea Busan plant") == "Renault Korea Busan plant"  # no visible change for names
    assert inert("Hyundai Motor Group Metaplant America (HMGMA)") == "Hyundai Motor Group Metaplant America (HMGMA)"
    assert inert("<a href='x'>&") == "&lt;a href='x'&gt;&amp;"
    frame = inert(pd.DataFrame({"n": pd.Series(["<b>", None], dtype="string"), "v": [1, 2]}))
    assert frame["n"].tolist()[0] == "&lt;b&gt;" and frame["n"].isna().tolist() == [False, True]
    assert frame["v"].tolist() == [1, 2]
    assert inert({"<k>": ["<v>"]}) == {"&lt;k&gt;": ["&lt;v&gt;"]}


def test_atlas_map() -> None:
    cases = pd.DataFrame(
        {
            "case_id": ["a"],
            "case_name": [PAYLOAD + " at Rayong"],
            "plant_name": [PAYLOAD],
            "relationship": ["own_plant"],
            "status": [PAYLOAD],
            "capacity_units": [100_000.0],
            "longitude": [101.1],
            "latitude": [13.0],
        }
    )
    assert_inert(atlas_map(cases, title=PAYLOAD))


def test_capacity_figures() -> None:
    util = pd.DataFrame(
        {
            "year": [2022],
            "output_units": [170_000],
            "bound": ["approximate"],
            "output_note": [PAYLOAD],
            "capacity_units_per_year": [300_000],
        }
    )
    assert_inert(utilisation_figure(util, title=PAYLOAD))
    scen = pd.DataFrame(
        {"scenario": [PAYLOAD], "utilisation_pct": [45.4], "added_units_per_year": [10_000], "total_units": [136_156]}
    )
    assert_inert(scenario_figure(scen))


def test_policy_timelines() -> None:
    timeline = pd.DataFrame(
        {
            "plant_id": ["p", "p"],
            "market_id": ["USA", "USA"],
            "plant_name": [PAYLOAD] * 2,
            "market_name": [PAYLOAD] * 2,
            "on_date": pd.to_datetime(["2026-01-01", "2027-01-01"]),
            "total_duty_pct": [15.0, 25.0],
            "landed_cost_usd": [50_000.0, 55_000.0],
            "is_allowed": [True, False],
            "measure_ids": [[PAYLOAD], [PAYLOAD]],
        }
    )
    assert_inert(duty_timeline_figure(timeline))
    assert_inert(landed_cost_figure(timeline, title=PAYLOAD))


def test_grouped_bars_keep_their_template_and_escape_the_data() -> None:
    bars = Series(name=PAYLOAD, values=[1.0], colour="#000", hover="%{y}: %{x}<extra></extra>", text=[PAYLOAD])
    figure = grouped_bars([PAYLOAD], [bars], title=PAYLOAD, x_title="x", row_px=40, legend_y=-0.2)
    assert_inert(figure)
    assert figure.to_dict()["data"][0]["hovertemplate"] == "%{y}: %{x}<extra></extra>"


def test_plants_and_ports_map() -> None:
    plants = pd.DataFrame(
        {
            "plant_id": ["p"],
            "plant_name": [PAYLOAD],
            "country_code": ["KOR"],
            "operator_id": ["o"],
            "plant_status": ["producing"],
            "location_basis": ["reported"],
            "source_id": ["s"],
            "city_name": [PAYLOAD],
            "longitude": [129.0],
            "latitude": [35.1],
        }
    )
    ports = pd.DataFrame(
        {
            "port_id": ["KRPUS"],
            "port_role": ["export"],
            "port_name": [PAYLOAD],
            "city_name": [PAYLOAD],
            "country_code": ["KOR"],
            "location_basis": ["reported"],
            "source_id": ["s"],
            "longitude": [129.0],
            "latitude": [35.1],
        }
    )
    assert_inert(plants_ports_map(plants, ports))
