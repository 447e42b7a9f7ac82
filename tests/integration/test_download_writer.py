"""Downloads a journalist can use (issue 25, item 8): a byte-order mark, numbers rounded to their precision, file
names that carry the report, its subject and the data version, metadata that resolves every source id, and one
deterministic "download everything" zip per report."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import evsupply
from evsupply.core.paths import data_dir
from evsupply.pages.common import provenance_of
from evsupply.pages.html import Provenance, csv_text, download_name, downloads, set_provenance
from evsupply.render.bundle import report_bundle
from evsupply.render.site import write_report_data

LINK = re.compile(r'download="([^"]+)" href="data:[a-z/]+;charset=utf-8,([^"]*)"')


@pytest.fixture
def busan_flows():
    """The provenance a flows report about Busan sets, with the real sources table."""
    tables = evsupply.load()
    chosen = provenance_of(tables, {"origin": "renault_korea_busan", "on_date": "2026-12-08"}, "flows.ipynb")
    set_provenance(chosen)
    yield chosen
    set_provenance(Provenance())


def _files(markup: str) -> dict[str, str]:
    return {m.group(1): urllib.parse.unquote(m.group(2)) for m in LINK.finditer(markup)}


def test_a_csv_starts_with_a_byte_order_mark_and_keeps_its_accents() -> None:
    text = csv_text(pd.DataFrame({"country_name": ["Türkiye", "Camaçari"]}))
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")  # what tells Excel the file is UTF-8
    assert data.decode("utf-8-sig") == "country_name\nTürkiye\nCamaçari\n"


def test_numbers_are_rounded_to_their_precision() -> None:
    frame = pd.DataFrame(
        {
            # the study's examples (§3): a stake, a capacity, a sea distance, a CO2e, a plain ratio
            "look_through_stake_pct": [13.267800000000001],
            "capacity_units": [300000.0],
            "sea_distance_km": [9717.703266275865],
            "co2e_kg_per_vehicle": [230.47805396977614],
            "utilisation": [66.66666666666667],
            "missing_km": [float("nan")],
        }
    )
    lines = csv_text(frame).removeprefix("\ufeff").splitlines()
    # by hand: 13.2678 to 2 decimals is 13.27; 300000.0 is a whole number; 9717.70 km to the km is 9718; 230.48 kg
    # to the kg is 230; 66.666... to 10 significant digits is 66.66666667; a missing value is an empty cell
    assert lines[1] == "13.27,300000,9718,230,66.66666667,"


def test_file_names_carry_the_report_its_subject_and_the_data_version(busan_flows: Provenance) -> None:
    version = busan_flows.data_version
    assert version  # the data package's version (data/datapackage.json)
    assert download_name("lanes") == f"flows-renault_korea_busan-lanes-data-{version}.csv"
    set_provenance(provenance_of(evsupply.load(), {"case": "gwm_tula_case"}, "brief.ipynb"))
    assert download_name("parameters") == f"brief-gwm_tula_case-parameters-data-{version}.csv"
    assert download_name("parameters") != "parameters.csv"


def test_the_metadata_resolves_every_source_id(busan_flows: Provenance) -> None:
    with (data_dir() / "sources.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["source_id"]: r for r in csv.DictReader(handle)}
    cited = [*sorted(rows)[:3], "rkm_release_2023_11_10"]
    frame = pd.DataFrame({"value_km": [1.0] * len(cited), "source_id": cited})
    files = _files(downloads(frame, "lanes", source_ids=cited))
    package = json.loads(files[download_name("lanes", "datapackage.json")])
    resolved = {s["source_id"]: s for s in package["sources"]}
    assert set(resolved) == set(cited)
    for sid in cited:
        assert resolved[sid]["publisher"] == rows[sid]["publisher"]
        assert resolved[sid]["title"] == rows[sid]["title"]
        assert resolved[sid]["date"] == rows[sid]["published_date"]
        assert resolved[sid]["path"] == rows[sid]["url"] and rows[sid]["url"].startswith("http")
    assert files[download_name("lanes")].startswith("\ufeff")


def test_an_unknown_source_id_says_so(busan_flows: Provenance) -> None:
    files = _files(downloads(pd.DataFrame({"x": [1]}), "t", source_ids=["no_such_source"]))
    (entry,) = json.loads(files[download_name("t", "datapackage.json")])["sources"]
    assert entry["note"] == "not in sources.csv"


def test_download_everything_is_one_deterministic_zip_with_a_readme(busan_flows: Provenance, tmp_path: Path) -> None:
    page = downloads(pd.DataFrame({"plant_name": ["Košice"], "sea_distance_km": [9806.4]}), "lanes")
    page += downloads(pd.DataFrame({"total_duty_pct": [6.1]}), "duties")
    one = write_report_data(tmp_path / "a", "flows_busan", page, "Busan flows", "2026-12-08")
    two = write_report_data(tmp_path / "b", "flows_busan", page, "Busan flows", "2026-12-08")
    version = busan_flows.data_version
    (zip_one,) = one.glob("*.zip")
    assert zip_one.name == f"flows_busan-data-{version}.zip"
    assert zip_one.read_bytes() == (two / zip_one.name).read_bytes()  # the same files give the same bytes
    with zipfile.ZipFile(zip_one) as archive:
        names = archive.namelist()
        readme = archive.read("README.md").decode("utf-8")
        lanes = archive.read(download_name("lanes")).decode("utf-8-sig")
    assert names == sorted(names) and "datapackage.json" in names and download_name("duties") in names
    assert "## How to cite" in readme and "Busan flows" in readme and "2026-12-08" in readme and version in readme
    assert "CC BY 4.0" in readme
    assert pd.read_csv(io.StringIO(lanes)).to_dict("records") == [{"plant_name": "Košice", "sea_distance_km": 9806}]


def test_a_bundle_lists_what_it_holds() -> None:
    package = {"version": "1.2.3", "resources": [{"path": "a.csv", "title": "Lanes"}]}
    data = report_bundle({"a.csv": "x\n1\n", "datapackage.json": json.dumps(package)}, "T", "r", "2026-12-08")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["README.md", "a.csv", "datapackage.json"]
        assert "- `a.csv`: Lanes" in archive.read("README.md").decode("utf-8")
