"""The case brief: five lines from the state of play, each linked to the manifest's detail report for the case."""

from __future__ import annotations

import pytest

import evsupply
from evsupply.core.paths import NOTEBOOKS_DIR
from evsupply.pages import brief
from evsupply.render.manifest import load_manifest


@pytest.fixture(scope="module")
def tables():
    return evsupply.load()


def test_the_brief_reads_its_manifest_names_as_the_render_does():
    ours = {r.name for r in brief.manifest_reports()}
    theirs = {r.name for r in load_manifest(NOTEBOOKS_DIR / "reports.yml")}
    assert ours == theirs


def test_busan_brief_links_each_line_to_its_detail_report(tables):
    p = brief.SPEC.check({"case": "busan_polestar_4", "on_date": "2026-11-27"}, tables)
    r = brief.build(tables, p)
    assert r.links == {
        "sale": "market_access",
        "duty": "market_access",
        "counted": "flows_busan",
        "controller": "ownership",
        "plant": "atlas",
    }
    block = brief.brief_block(r)
    assert block.markup.count("<li>") == 5
    assert 'href="flows_busan.html"' in block.markup
    # The index's headline is the first line: the sale, with the US barred from model year 2027.
    assert block.metadata["evsupply"]["findings"][0]["key"] == "state_sale:busan_polestar_4"


def test_a_case_without_its_own_report_links_to_the_matrix_report_or_the_atlas(tables):
    p = brief.SPEC.check({"case": "ridgeville_polestar_3", "on_date": "2026-11-27"}, tables)
    links = brief.build(tables, p).links
    assert links["counted"] == "flows_case-volvo_ridgeville"  # the manifest's flows_case matrix
    assert links["sale"] == "atlas"  # no market-access report for the Polestar 3


def test_links_from_a_hand_made_manifest(tables):
    reports = [
        brief.ManifestReport("atlas", "atlas", {}),
        brief.ManifestReport("ownership_case-byd", "ownership", {"company": "byd"}),
        brief.ManifestReport("flows_x", "flows", {"origin": "byd_szeged", "compare_with": "byd_changsha"}),
    ]
    p = brief.SPEC.check({"case": "byd_szeged_case", "on_date": "2026-11-27"}, tables)
    links = brief.build(tables, p, reports).links
    assert links["controller"] == "ownership_case-byd"
    assert links["counted"] == "atlas"  # a comparison run is not the plant's own flows report
