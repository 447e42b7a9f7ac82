"""A data release built from the committed data: a valid data package, SQLite and Parquet that give back
`evsupply.load()`'s frames, zips with their README and metadata, checksums, byte-identical rebuilds, and notes that
list what `evsupply changes` reports (issue 27)."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import frictionless
import pandas as pd
import pytest

import evsupply
from evsupply.core.paths import data_dir
from evsupply.data import release, schema
from evsupply.data.changes import changes
from evsupply.render.site import download_link, index_html

pq = pytest.importorskip("pyarrow.parquet", reason="Parquet needs the optional extra: pip install 'evsupply[release]'")

# Commit e61295d ("EU price undertakings: the note records that no second undertaking ... was found up to 2026-12")
# rewrote the note of trade_measures row eu_cvd_bev_china_vw_anhui_undertaking on the same source: a correction.
BEFORE = "e61295d7b8034c60743aa4eb114e6124e3d7a682^"
CORRECTED = ("trade_measures", "eu_cvd_bev_china_vw_anhui_undertaking", "note")
DATA = data_dir()
VERSION = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["version"]


def csv_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows, read with the csv module (not with evsupply)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two releases of the committed data built one after the other into two folders."""
    first = release.build(tmp_path_factory.mktemp("first"), since=BEFORE)
    second = release.build(tmp_path_factory.mktemp("second"), since=BEFORE)
    return first, second


@pytest.fixture(scope="module")
def built(builds: tuple[Path, Path]) -> Path:
    return builds[0]


@pytest.fixture(scope="module")
def loaded() -> evsupply.Tables:
    return evsupply.load()


def expected(loaded: evsupply.Tables, name: str) -> pd.DataFrame:
    """`evsupply.load()`'s frame of a table, its schema columns only (plants and ports lose their geometry)."""
    return pd.DataFrame(loaded[name][schema.tables()[name].field_names]).reset_index(drop=True)


def test_the_release_folder_is_named_by_the_data_version(built: Path) -> None:
    assert built.name == VERSION
    assert (built / "COMMIT").read_text(encoding="utf-8").startswith("commit ")
    for name in ("datapackage.json", "evsupply.sqlite", "RELEASE_NOTES.md", "CITATION.cff", ".zenodo.json"):
        assert (built / name).is_file(), name
    assert (built / f"evsupply-data-{VERSION}.zip").is_file()


def test_the_data_package_validates_and_loads(built: Path, loaded: evsupply.Tables) -> None:
    report = frictionless.validate(str(built / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    again = evsupply.load(data_dir=built)
    assert again.data_version == VERSION
    for name in schema.tables():
        pd.testing.assert_frame_equal(expected(again, name), expected(loaded, name), check_dtype=True)


def test_sqlite_gives_back_the_loaded_frames(built: Path, loaded: evsupply.Tables) -> None:
    frames = release.read_sqlite(built / "evsupply.sqlite")
    for name in schema.tables():
        pd.testing.assert_frame_equal(frames[name], expected(loaded, name), check_dtype=True)
    # Read without evsupply: row counts as in the CSV files, and a rate as data/trade_measures.csv gives it.
    db = sqlite3.connect(built / "evsupply.sqlite")
    for name, table in schema.tables().items():
        (count,) = db.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        assert count == len(csv_rows(DATA / table.path)), name
    # "All other cooperating companies: 20.7%." (wisetechacademy_eu_bev_cvd_2024), XPeng's row.
    rate = db.execute("SELECT tariff_rate_pct FROM trade_measures WHERE measure_id = 'eu_cvd_bev_china_xpeng'")
    assert rate.fetchone() == (20.7,)


def test_sqlite_declares_types_and_keys(built: Path) -> None:
    db = sqlite3.connect(built / "evsupply.sqlite")
    info = {row[1]: row for row in db.execute("PRAGMA table_info(shareholders)")}
    assert {c: info[c][2] for c in ("owner_id", "stake_pct", "valid_from", "is_preferred")} == {
        "owner_id": "TEXT",
        "stake_pct": "REAL",
        "valid_from": "DATE",
        "is_preferred": "BOOLEAN",
    }
    # docs/data-dictionary.md: shareholders' primary key is (owner_id, owned_id, valid_from, source_id).
    assert sorted((row[5], name) for name, row in info.items() if row[5]) == [
        (1, "owner_id"),
        (2, "owned_id"),
        (3, "valid_from"),
        (4, "source_id"),
    ]
    links = {(row[2], row[3], row[4]) for row in db.execute("PRAGMA foreign_key_list(trade_authorisations)")}
    assert ("trade_measures", "measure_id", "measure_id") in links
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    scratch = sqlite3.connect(":memory:")  # a copy: the release file stays as built
    db.backup(scratch)
    copy = "SELECT 'x', ship_type, {speed}, is_default, basis, method, source_id, source_quote, note FROM vessel_speeds"
    scratch.execute(f"INSERT INTO vessel_speeds {copy.format(speed='16')}")  # a number is taken
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):  # text in a number column is not
        scratch.execute(f"INSERT INTO vessel_speeds {copy.format(speed=repr('fast'))}".replace("'x'", "'y'"))


def test_sqlite_metadata_names_version_hash_licence_citation_sources(built: Path, loaded: evsupply.Tables) -> None:
    meta = release.read_metadata(built / "evsupply.sqlite")
    assert meta["data_version"] == VERSION
    assert meta["content_hash"].startswith(loaded.version)  # the hash evsupply.load() reports for data/
    assert meta["licence"].startswith("CC-BY-4.0")
    assert VERSION in meta["citation"]
    assert int(meta["source_count"]) == len(csv_rows(DATA / "sources.csv"))
    assert meta["parquet"] == "included"


def test_parquet_gives_back_the_loaded_frames_with_their_types(built: Path, loaded: evsupply.Tables) -> None:
    frames = release.read_parquet(built)
    for name in schema.tables():
        pd.testing.assert_frame_equal(frames[name], expected(loaded, name), check_dtype=True)
    types = {f.name: str(f.type) for f in pq.read_schema(built / "parquet" / "shareholders.parquet")}
    assert types["stake_pct"] == "double" and types["valid_from"] == "date32[day]"
    assert types["is_preferred"] == "bool" and types["owner_id"] == "string"
    plain = pd.read_parquet(built / "parquet" / "trade_measures.parquet")  # as a user reads it
    assert plain.set_index("measure_id").loc["eu_cvd_bev_china_xpeng", "tariff_rate_pct"] == 20.7
    assert len(plain) == len(csv_rows(DATA / "trade_measures.csv"))


def test_the_data_package_describes_the_parquet_files(built: Path) -> None:
    package = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert (built / resource["parquet"]["path"]).is_file()
        assert (built / resource["path"]).read_bytes() == (DATA / resource["path"]).read_bytes()
    assert package["evsupply_release"]["data_version"] == VERSION


def test_a_release_without_pyarrow_says_parquet_was_left_out() -> None:
    info = release.build_info(since=BEFORE)
    reason = "left out: pyarrow is not installed"
    package = release.release_descriptor(info, reason)
    assert "parquet" not in package["resources"][0]
    assert package["evsupply_release"]["parquet"] == reason
    assert reason in release.release_readme(info, reason)
    assert ("parquet", reason) in release.metadata_rows(info, 1, reason)


def test_every_table_zip_holds_its_csv_readme_and_metadata(built: Path) -> None:
    for name, table in schema.tables().items():
        with zipfile.ZipFile(built / "zip" / f"{name}.zip") as archive:
            assert sorted(archive.namelist()) == sorted(["README.md", table.path, f"{name}.metadata.json"])
            assert archive.read(table.path) == (DATA / table.path).read_bytes()
            meta = json.loads(archive.read(f"{name}.metadata.json"))
            readme = archive.read("README.md").decode("utf-8")
        assert meta["schema"] == table.resource()["schema"] and meta["data_version"] == VERSION
        assert "## How to cite" in readme and f"data version {VERSION}" in readme
    # The sources plant_ports rests on, read from its CSV: each is in its README and its metadata.
    cited = {row["source_id"] for row in csv_rows(DATA / "plant_ports.csv")}
    with zipfile.ZipFile(built / "zip" / "plant_ports.zip") as archive:
        readme = archive.read("README.md").decode("utf-8")
        listed = {s["source_id"] for s in json.loads(archive.read("plant_ports.metadata.json"))["sources"]}
    assert listed == cited
    assert all(f"`{source_id}`" in readme for source_id in cited)


def test_the_everything_zip_holds_every_format(built: Path) -> None:
    top = f"evsupply-data-{VERSION}"
    with zipfile.ZipFile(built / f"{top}.zip") as archive:
        names = set(archive.namelist())
    assert {f"{top}/datapackage.json", f"{top}/evsupply.sqlite", f"{top}/RELEASE_NOTES.md"} <= names
    assert {f"{top}/{t.path}" for t in schema.tables().values()} <= names
    assert {f"{top}/parquet/{t}.parquet" for t in schema.tables()} <= names


def test_sha256sums_cover_every_other_file(built: Path) -> None:
    lines = (built / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    sums = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(sums) == set(every_file(built)) - {"SHA256SUMS"}
    for path, digest in sums.items():
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == digest, path


def test_a_second_build_is_byte_identical(builds: tuple[Path, Path]) -> None:
    first, second = every_file(builds[0]), every_file(builds[1])
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_the_notes_list_a_correction_evsupply_changes_reports(built: Path) -> None:
    table, key, column = CORRECTED
    found = changes(BEFORE)
    row = found[found["table"].eq(table) & found["key"].eq(key) & found["column"].eq(column)]
    assert row["change"].tolist() == ["changed"]
    assert "No other accepted undertaking found up to the stored copies" in row["old"].iloc[0]
    notes = (built / "RELEASE_NOTES.md").read_text(encoding="utf-8")
    corrections = notes.split("## Corrections", 1)[1].split("\n## ", 1)[0]
    line = next(li for li in corrections.splitlines() if f"`{table}` `{key}`: `{column}`" in li)
    assert "found up to the stored copies" in line and "found up to 2026-12" in line


def test_changes_are_classified_by_rule() -> None:
    found = pd.DataFrame(
        [
            ("t", "added", "a", "", "", ""),
            ("t", "changed", "b", "note", "x", "y"),
            ("t", "changed", "c", "value", "1", "2"),
            ("t", "changed", "c", "source_id", "old_src", "new_src"),
            ("t", "removed", "d", "", "", ""),
        ],
        columns=["table", "change", "key", "column", "old", "new"],
    )
    assert release.classify(found).tolist() == ["addition", "correction", "revision", "revision", "removal"]


def test_the_site_index_links_the_release_and_its_citation(tmp_path: Path) -> None:
    link = download_link(tmp_path / "site")
    assert link is not None and link["href"].endswith(f"releases/{VERSION}/evsupply-data-{VERSION}.zip")
    page = index_html([], {}, "abc123", download=link)
    assert 'id="download-data"' in page and f'href="{link["href"]}"' in page
    assert f"data version {VERSION}" in page and "Download the data" in page


def test_the_previous_release_is_the_newest_older_data_tag(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "start")
    for tag in ("data-v0.1.0", "data-v0.2.0", "data-v0.10.0", "data-v0.3.0", "v9.0.0"):
        git("tag", tag)
    assert release.previous_tag(tmp_path, "0.3.0") == "data-v0.2.0"  # its own tag is not its baseline
    assert release.previous_tag(tmp_path, "0.11.0") == "data-v0.10.0"  # 10 > 3: versions compare as numbers
    assert release.previous_tag(tmp_path, "0.1.0") is None


def test_text_from_the_data_cannot_start_markdown() -> None:
    text = release._md("[click](https://example.org) *bold* <b>|x|</b>")
    assert "[" not in text.replace("\\[", "") and "*" not in text.replace("\\*", "")
    assert "<" not in text.replace("\\<", "") and "|" not in text.replace("\\|", "")
    assert release._code("a `b` c") == "`` a `b` c ``"
