"""Downloads of real report blocks: the duty grid keeps the duty and the ban apart, and a chart with nothing planned
is a sentence (the download writer on hand-made frames is in tests/unit/pages)."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from typing import Any

import pandas as pd
import pytest

import evsupply
from evsupply.pages import common, flows, market_access
from evsupply.pages.html import Html, download_name

LINK = re.compile(r'href="data:([a-z/]+);charset=utf-8,([^"]*)"[^>]*data-filename="([^"]+)"')


def downloads_of(markup: str) -> dict[str, str]:
    """The files a block's download links save, by file name."""
    return {m.group(3): urllib.parse.unquote(m.group(2)) for m in LINK.finditer(markup)}


def csv_and_package(block: Html, name: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    files = downloads_of(block.markup)
    csv_file, package = download_name(name), download_name(name, "datapackage.json")
    return pd.read_csv(io.StringIO(files[csv_file])), json.loads(files[package])


@pytest.fixture(scope="module")
def tables() -> evsupply.Tables:
    return evsupply.load()


def test_the_duty_grid_download_has_the_duty_and_the_ban_apart(tables: evsupply.Tables) -> None:
    # main: the download held the grid's display text, "15% · barred" (issue 15).
    namespace = {
        "model": "polestar_4",
        "plants": ["renault_korea_busan"],
        "markets": ["USA"],
        "dates": ["2024-06-01", "2027-01-01"],
        "start": "2023-01-01",
        "end": "2027-12-31",
        "customs_value_usd": 0.0,
        "freight_usd": 0.0,
        "in_quota": "auto",
    }
    _, p = common.setup(market_access.SPEC, namespace)
    block = market_access.grid_block(market_access.build(tables, p))
    assert "15% · barred" in block.markup  # the page's grid
    data, package = csv_and_package(block, "duty_by_date")
    assert not data.astype(str).apply(lambda c: c.str.contains("barred")).to_numpy().any()
    rows = data.set_index("on_date")
    # ghy_2025_korea_15pct: Korean cars pay 15% into the US from 2025-11-01;
    # rbtfl_2026_polestar_us_ban: Polestar may not sell model year 2027 or later in the US.
    assert rows.loc["2027-01-01", "total_duty_pct"] == 15.0
    assert bool(rows.loc["2027-01-01", "is_allowed"]) is False
    assert bool(rows.loc["2024-06-01", "is_allowed"]) is True
    assert package["version"] == tables.data_version and package["evsupply_content_hash"] == tables.version
    assert package["as_of_date"] == "2027-01-01"  # the report's last date
    assert {"ghy_2025_korea_15pct", "rbtfl_2026_polestar_us_ban"} <= {s["source_id"] for s in package["sources"]}


def test_a_chart_with_nothing_planned_is_a_sentence(tables: evsupply.Tables, monkeypatch) -> None:
    # main: flows_hangzhou_bay drew "Planned: 0 cars a year" over an empty Sankey (issue 15).
    shown: list[Any] = []
    monkeypatch.setattr(common, "display", shown.append)
    namespace = {
        "origin": "geely_hangzhou_bay",
        "markets": [],
        "year": 2026,
        "volumes": {},
        "scenario": "default",
        "import_ports": {},
        "compare_with": "",
    }
    _, p = common.setup(flows.SPEC, namespace)
    r = flows.build(tables, p)
    assert r.lanes["volume_units_per_year"].fillna(0).eq(0).all()  # no sourced plan for Hangzhou Bay's lanes
    flows.show_sankey(r)
    assert len(shown) == 1 and isinstance(shown[0], Html)
    assert "no source gives a planned volume" in shown[0].text and "Planned: 0" not in shown[0].markup
