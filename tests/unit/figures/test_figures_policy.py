"""Ownership, policy and capacity figures, tested on their data (fig.to_dict())."""

from __future__ import annotations

import pandas as pd
import pytest
from kit import case_tables

import evsupply
from evsupply.analysis.ownership import direct_stakes, shareholder_history
from evsupply.analysis.trade.landed import landed_cost_timeline
from evsupply.figures.capacity import scenario_figure, utilisation_figure
from evsupply.figures.ownership import ownership_graph_figure, shareholder_timeline_figure
from evsupply.figures.policy import duty_timeline_figure, landed_cost_figure


@pytest.fixture(scope="module")
def t(tmp_path_factory: pytest.TempPathFactory) -> evsupply.Tables:
    return case_tables(tmp_path_factory.mktemp("figs"))


def test_ownership_graph_figure(t: evsupply.Tables) -> None:
    edges = direct_stakes(t, "2025-07-01")
    d = ownership_graph_figure(edges, t["companies"]).to_dict()
    texts = [x for trace in d["data"] for x in trace["text"]]
    assert "Li Shufu" in texts and "Polestar" in texts
    # The colour encoding (country) has a legend: one named trace per country.
    assert {trace["name"] for trace in d["data"]} >= {"China", "Sweden", "United Kingdom", "South Korea", "France"}
    labels = {a["text"] for a in d["layout"]["annotations"] if a.get("text")}
    assert {"44.00%", "16.00%", "52.82%"} <= labels
    # Owners sit above what they own.
    y = {n: yy for trace in d["data"] for n, yy in zip(trace["customdata"], trace["y"], strict=True)}
    assert y["li_shufu"] > y["psd_investment"] > y["polestar"]


def test_shareholder_timeline_figure(t: evsupply.Tables) -> None:
    fig = shareholder_timeline_figure(shareholder_history(t, "renault_korea"), "2026-12-31")
    d = fig.to_dict()
    renault = next(tr for tr in d["data"] if tr["name"] == "Renault Group")
    assert list(renault["text"]) == ["80.04%", "52.82%"]
    assert renault["base"][0].startswith("2020-12-31")


def test_duty_and_landed_cost_figures(t: evsupply.Tables) -> None:
    frame, _ = landed_cost_timeline(
        t,
        "polestar_4",
        ["renault_korea_busan", "geely_hangzhou_bay"],
        ["USA"],
        "2024-01-01",
        "2025-12-31",
        customs_value_usd=50_000,
    )
    d = duty_timeline_figure(frame).to_dict()
    busan = next(tr for tr in d["data"] if tr["name"] == "renault_korea_busan → USA")
    assert busan["line"]["shape"] == "hv"
    assert dict(zip(busan["x"], busan["y"], strict=True))["2025-11-01"] == pytest.approx(15.0)
    lc = landed_cost_figure(frame).to_dict()
    hzb = next(tr for tr in lc["data"] if tr["name"] == "geely_hangzhou_bay → USA")
    assert dict(zip(hzb["x"], hzb["y"], strict=True))["2024-09-27"] == pytest.approx(50_000 * 2.025)


def test_capacity_figures() -> None:
    util = pd.DataFrame(
        {
            "year": [2022, 2023],
            "output_units": [170_000, 126_156],
            "bound": ["approximate", "lower_bound"],
            "output_note": ["whole plant", "sum"],
            "capacity_units_per_year": [300_000, 300_000],
        }
    )
    d = utilisation_figure(util).to_dict()
    assert list(d["data"][0]["text"]) == ["≈170,000", "≥126,156"]
    scen = pd.DataFrame(
        {"scenario": ["plan"], "utilisation_pct": [45.385], "added_units_per_year": [10_000], "total_units": [136_156]}
    )
    s = scenario_figure(scen).to_dict()
    assert list(s["data"][0]["y"]) == [45.4]
