"""Every CSV download of a report is data an analyst can load and cite: numbers as numbers, status and bounds in
their own columns, units in the headers, text a spreadsheet would run neutralised, and beside it a data package
naming the data version, content hash, as-of date, licence and sources. An empty chart or table is a sentence."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from typing import Any

import pandas as pd
import pytest

from evsupply.pages.html import Column, Html, Provenance, download_name, set_provenance, table
from evsupply.render.site import write_report_data

LINK = re.compile(r'href="data:([a-z/]+);charset=utf-8,([^"]*)"[^>]*data-filename="([^"]+)"')


def downloads_of(markup: str) -> dict[str, str]:
    """The files a block's download links save, by file name."""
    return {m.group(3): urllib.parse.unquote(m.group(2)) for m in LINK.finditer(markup)}


def csv_and_package(block: Html, name: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    files = downloads_of(block.markup)
    csv_file, package = download_name(name), download_name(name, "datapackage.json")
    return pd.read_csv(io.StringIO(files[csv_file])), json.loads(files[package])


@pytest.fixture
def provenance() -> Provenance:
    chosen = Provenance(data_version="9.9.9", content_hash="abc123def456", as_of="2026-11-27")
    set_provenance(chosen)
    yield chosen
    set_provenance(Provenance())


def test_a_table_download_holds_numbers_under_unit_names(provenance: Provenance) -> None:
    # The page shows "200,000" and "15%"; the download holds 200000 and 15.0 under names that carry the unit.
    frame = pd.DataFrame(
        {
            "plant_name": ["Busan"],
            "volume_units_per_year": pd.array([200_000], dtype="Int64"),
            "total_duty_pct": [15.0],
            "valid_from": pd.to_datetime(["2025-11-01"]),
            "is_allowed": pd.array([False], dtype="boolean"),
            "source_ids": [("fixture_a", "fixture_b")],
        }
    )
    block = table(
        frame,
        {
            "plant_name": "Plant",
            "volume_units_per_year": Column("Cars a year (plan)", "int"),
            "total_duty_pct": Column("Duty (%)", "pct"),
            "valid_from": Column("Since", "date"),
            "is_allowed": Column("May be sold", "bool"),
            "source_ids": Column("Sources", "sources"),
        },
        "lanes",
        caption="Lanes",
    )
    assert "200,000" in block.markup  # the page keeps its display form
    data, package = csv_and_package(block, "lanes")
    assert list(data.columns) == [
        "plant_name",
        "volume_units_per_year",
        "total_duty_pct",
        "valid_from",
        "is_allowed",
        "source_ids",
    ]
    row = data.iloc[0]
    assert row["volume_units_per_year"] == 200_000 and pd.api.types.is_integer_dtype(data["volume_units_per_year"])
    # A number, written without float noise: 15, not 15.0 (the data package still types it "number").
    assert row["total_duty_pct"] == 15.0 and pd.api.types.is_numeric_dtype(data["total_duty_pct"])
    assert row["valid_from"] == "2025-11-01"
    assert data["is_allowed"].dtype == bool and not row["is_allowed"]
    assert row["source_ids"] == "fixture_a;fixture_b"
    fields = {f["name"]: f["type"] for f in package["resources"][0]["schema"]["fields"]}
    assert fields == {
        "plant_name": "string",
        "volume_units_per_year": "integer",
        "total_duty_pct": "number",
        "valid_from": "date",
        "is_allowed": "boolean",
        "source_ids": "string",
    }
    assert package["resources"][0]["path"] == "lanes-data-9.9.9.csv"  # the name carries the data version
    assert (package["version"], package["evsupply_content_hash"], package["as_of_date"]) == (
        "9.9.9",
        "abc123def456",
        "2026-11-27",
    )
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert [s["source_id"] for s in package["sources"]] == ["fixture_a", "fixture_b"]


def test_text_a_spreadsheet_would_run_is_neutralised(provenance: Provenance) -> None:
    frame = pd.DataFrame({"note": ['=HYPERLINK("http://x","y")', "+1 call", "plain"], "change_pct": [-5.0, 1.0, 0.0]})
    data, _ = csv_and_package(table(frame, {"note": "Note", "change_pct": "Change (%)"}, "notes"), "notes")
    assert data["note"].tolist() == ['\'=HYPERLINK("http://x","y")', "'+1 call", "plain"]
    assert data["change_pct"].tolist() == [-5.0, 1.0, 0.0]  # a negative number stays a number


def test_an_empty_table_is_one_sentence() -> None:
    block = table(pd.DataFrame({"a": []}), {"a": "A"}, "nothing", caption="Counts")
    assert "<table" not in block.markup and "Download" not in block.markup
    assert block.text == "Counts: no rows."


def test_a_reports_data_is_written_as_one_data_package(provenance: Provenance, tmp_path) -> None:
    first = table(
        pd.DataFrame({"sea_distance_km": [9806.0], "source_id": ["fixture_a"]}),
        {"sea_distance_km": "Km", "source_id": "Src"},
        "lanes",
    )
    second = table(
        pd.DataFrame({"total_duty_pct": [15.0], "source_ids": [("fixture_b",)]}),
        {"total_duty_pct": "Duty", "source_ids": Column("Sources", "sources")},
        "duties",
    )
    folder = write_report_data(tmp_path, "flows_busan", (first + second).markup)
    zip_name = "flows_busan-data-9.9.9.zip"  # the "download everything" of the report
    assert sorted(p.name for p in folder.iterdir()) == [
        "datapackage.json",
        "duties-data-9.9.9.csv",
        "flows_busan-data-9.9.9.zip",
        "lanes-data-9.9.9.csv",
    ]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "flows_busan" and package["version"] == "9.9.9"
    assert package["evsupply_content_hash"] == "abc123def456" and package["as_of_date"] == "2026-11-27"
    assert [r["path"] for r in package["resources"]] == ["lanes-data-9.9.9.csv", "duties-data-9.9.9.csv"]
    assert [s["source_id"] for s in package["sources"]] == ["fixture_a", "fixture_b"]
    assert pd.read_csv(folder / "lanes-data-9.9.9.csv")["sea_distance_km"].tolist() == [9806]
    frictionless = pytest.importorskip("frictionless")
    assert frictionless.validate(folder / "datapackage.json").valid  # the package and its CSVs agree
    # A later render without the duties table leaves no stale file behind.
    folder = write_report_data(tmp_path, "flows_busan", first.markup)
    assert sorted(p.name for p in folder.iterdir()) == ["datapackage.json", zip_name, "lanes-data-9.9.9.csv"]


def test_report_data_is_found_whatever_the_attribute_order(tmp_path) -> None:
    # nbconvert writes a link's attributes in its own order (data-filename, download, href, class...).
    page = (
        '<p><a data-filename="a.csv" download="a.csv" href="data:text/csv;charset=utf-8,x_km%0A1%0A" '
        'class="evsupply-download">CSV</a> <a download="../b.csv" class="evsupply-download" '
        'href="data:text/csv;charset=utf-8,y%0A2%0A">no</a></p>'
    )
    folder = write_report_data(tmp_path, "r", page)
    assert (folder / "a.csv").read_text(encoding="utf-8") == "x_km\n1\n"
    assert not (tmp_path / "data" / "b.csv").exists() and not (folder / "b.csv").exists()  # no path leaves the folder
