"""`evsupply changes`: rows added, changed and removed since a git revision, checked on hand-made git histories."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from kit import write_data

from evsupply.data import schema
from evsupply.data.changes import NEW_COLUMN, ChangesError, changes, compare_table, data_versions, format_text, main

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
AUDIT_BASE = "0e174d6"  # data 0.1.0, before the 2026-11 audit


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def port(port_id: str, name: str, country: str = "USA") -> dict[str, str]:
    return {
        "port_id": port_id,
        "port_name": name,
        "country_code": country,
        "latitude": "1",
        "longitude": "2",
        "location_basis": "reported",
        "port_role": "import",
        "source_id": "s1",
        "source_quote": "q",
    }


def market_port(port_id: str, default: str, method: str = "") -> dict[str, str]:
    return {
        "market_id": "USA",
        "port_id": port_id,
        "is_default": default,
        "basis": "assumed",
        "method": method,
        "source_id": "s1",
        "source_quote": "q",
    }


BEFORE = {
    "sources": [
        {
            "source_id": "s1",
            "publisher": "P",
            "title": "T",
            "url": "https://example.org",
            "accessed_date": "2026-11-27",
            "source_kind": "reference",
            "language": "en",
        }
    ],
    "ports": [port("KRPUS", "Busan", "KOR"), port("USLAX", "Los Angeles"), port("USBQK", "Brunswick")],
    "market_ports": [market_port("USLAX", "true"), market_port("USBQK", "false")],
}
AFTER = {
    **BEFORE,
    "ports": [port("KRPUS", "Busan", "KOR"), port("USLAX", "Port of Los Angeles"), port("USSSI", "Brunswick")],
    "market_ports": [market_port("USLAX", "true", "nearest"), market_port("USSSI", "false")],
}


@pytest.fixture(autouse=True)
def _own_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Git sees only the test's repositories: none of the caller's GIT_* variables, no repository above tmp_path."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A git repository whose data/ holds BEFORE, committed, then AFTER in the working tree."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.org")
    folder = write_data(repo / "data", BEFORE)
    git(repo, "add", "data")
    git(repo, "commit", "--quiet", "-m", "data 1")
    write_data(folder, AFTER)
    return folder


def as_set(frame: pd.DataFrame) -> set[tuple[str, ...]]:
    return set(frame.itertuples(index=False, name=None))


def test_rows_added_removed_and_cells_changed_by_primary_key(data: Path) -> None:
    assert as_set(changes("HEAD", data)) == {
        ("ports", "added", "USSSI", "", "", ""),
        ("ports", "removed", "USBQK", "", "", ""),
        ("ports", "changed", "USLAX", "port_name", "Los Angeles", "Port of Los Angeles"),
        ("market_ports", "added", "USA|USSSI", "", "", ""),
        ("market_ports", "removed", "USA|USBQK", "", "", ""),
        ("market_ports", "changed", "USA|USLAX", "method", "", "nearest"),
    }


def test_only_the_tables_asked_for(data: Path) -> None:
    assert as_set(changes("HEAD", data, ["market_ports", "sources"])) == {
        ("market_ports", "added", "USA|USSSI", "", "", ""),
        ("market_ports", "removed", "USA|USBQK", "", "", ""),
        ("market_ports", "changed", "USA|USLAX", "method", "", "nearest"),
    }


def test_no_change_since_the_working_tree_was_committed(data: Path) -> None:
    git(data.parent, "commit", "--quiet", "-am", "data 2")
    assert changes("HEAD", data).empty
    assert len(changes("HEAD~1", data)) == 6


def write_csv(file: Path, rows: list[list[str]]) -> None:
    with file.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_new_and_removed_columns_and_tables(data: Path) -> None:
    # The old layout: ports with a `port_code` since dropped and no `note` yet; a `legacy` table since removed;
    # no `cases` table yet. The old datapackage.json declares legacy's key and data version 0.0.1.
    write_csv(
        data / "ports.csv",
        [["port_id", "port_name", "port_code"], ["USLAX", "Los Angeles", "LAX"], ["KRPUS", "Busan", "PUS"]],
    )
    write_csv(data / "legacy.csv", [["legacy_id", "value"], ["a", "1"], ["b", "2"]])
    (data / "cases.csv").unlink()
    package = {
        "version": "0.0.1",
        "resources": [{"name": "legacy", "path": "legacy.csv", "schema": {"primaryKey": ["legacy_id"]}}],
    }
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    git(data.parent, "add", "-A", "data")
    git(data.parent, "commit", "--quiet", "-m", "old layout")

    write_data(data, {**BEFORE, "cases": [{"case_id": "c1", "case_name": "Case"}]})
    write_csv(
        data / "ports.csv",
        [["port_id", "port_name", "note"], ["USLAX", "Port of LA", "main port"], ["KRPUS", "Busan", ""]],
    )
    (data / "legacy.csv").unlink()
    (data / "datapackage.json").write_text(json.dumps({"version": "0.0.2"}), encoding="utf-8")

    assert as_set(changes("HEAD", data, ["ports", "cases", "legacy"])) == {
        ("ports", "added", "", "note", "", ""),
        ("ports", "removed", "", "port_code", "", ""),
        ("ports", "changed", "USLAX", "port_name", "Los Angeles", "Port of LA"),
        ("ports", "changed", "USLAX", "note", NEW_COLUMN, "main port"),  # KRPUS's empty note is no news
        ("cases", "added", "", "", "", ""),
        ("cases", "added", "c1", "", "", ""),
        ("legacy", "removed", "", "", "", ""),
        ("legacy", "removed", "a", "", "", ""),
        ("legacy", "removed", "b", "", "", ""),
    }
    assert data_versions(data, "HEAD") == ("0.0.1", "0.0.2")


def test_text_report(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--since", "HEAD", "--data-dir", str(data), "--table", "ports", "market_ports"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"changes since HEAD (data version {schema.data_version()} then, {schema.data_version()} now)"
    assert out[1:] == [
        "",
        "ports: 1 row added, 1 removed, 1 changed (1 cell)",
        "  added USSSI",
        "  removed USBQK",
        "  USLAX: port_name: 'Los Angeles' -> 'Port of Los Angeles'",
        "",
        "market_ports: 1 row added, 1 removed, 1 changed (1 cell)",
        "  added USA|USSSI",
        "  removed USA|USBQK",
        "  USA|USLAX: method: '' -> 'nearest'",
    ]


def test_text_report_names_new_columns_and_unchanged_tables() -> None:
    found = pd.DataFrame(
        [
            ("t", "added", "", "b", "", ""),
            ("t", "removed", "", "c", "", ""),
            ("t", "changed", "k", "b", NEW_COLUMN, "x"),
            ("u", "added", "", "", "", ""),
        ],
        columns=["table", "change", "key", "column", "old", "new"],
    )
    assert format_text(found, "v1", ("1.0.0", "1.1.0"), ["t", "u", "w"]).splitlines() == [
        "changes since v1 (data version 1.0.0 then, 1.1.0 now)",
        "",
        "t: 0 rows added, 0 removed, 1 changed (1 cell)",
        "  new columns: b",
        "  removed or renamed columns: c",
        "  k: b: (new column) -> 'x'",
        "",
        "u: new table: 0 rows added, 0 removed, 0 changed (0 cells)",
        "",
        "unchanged: w",
    ]


def test_csv_report(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--since", "HEAD", "--data-dir", str(data), "--table", "ports", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["table", "change", "key", "column", "old", "new"]
    assert sorted(rows[1:]) == [
        ["ports", "added", "USSSI", "", "", ""],
        ["ports", "changed", "USLAX", "port_name", "Los Angeles", "Port of Los Angeles"],
        ["ports", "removed", "USBQK", "", "", ""],
    ]


def test_csv_report_carries_no_spreadsheet_formula(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A changed value that a spreadsheet would run (the OWASP rule) is written with a leading quote."""
    hostile = {**AFTER, "ports": [port("KRPUS", "Busan", "KOR"), port("USLAX", '=HYPERLINK("http://x")')]}
    write_data(data, hostile)
    assert main(["--since", "HEAD", "--data-dir", str(data), "--table", "ports", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert ["ports", "changed", "USLAX", "port_name", "Los Angeles", '\'=HYPERLINK("http://x")'] in rows


def test_a_repeated_primary_key_is_refused() -> None:
    old = pd.DataFrame({"port_id": ["A", "A"], "port_name": ["x", "y"]})
    with pytest.raises(ChangesError, match=r"ports at v1: primary key \(port_id\) repeats 'A'"):
        compare_table("ports", old, old.iloc[:1], ["port_id"], "v1")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--since", "nope"], "error: unknown revision 'nope' in the git repository of "),
        (["--since", "HEAD", "--table", "nope"], "error: parameter '--table': no table named nope now or at HEAD."),
    ],
)
def test_errors_are_one_line(data: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main([*argv, "--data-dir", str(data)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_a_folder_outside_git_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_data(tmp_path / "data", BEFORE)
    assert main(["--since", "HEAD", "--data-dir", str(folder)]) == 1
    assert capsys.readouterr().err == f"error: {folder} is not inside a git repository: nothing to compare with\n"


def test_the_command_line_runs_as_a_process(data: Path) -> None:
    code = "import sys; from evsupply.data.changes import main; sys.exit(main())"
    args = [str(REPO / ".venv" / "bin" / "python"), "-c", code, "--data-dir", str(data), "--format", "csv"]
    ok = subprocess.run([*args, "--since", "HEAD"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "ports,changed,USLAX,port_name,Los Angeles,Port of Los Angeles" in ok.stdout
    bad = subprocess.run([*args, "--since", "nope"], capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and bad.stderr.startswith("error: unknown revision 'nope'") and bad.stdout == ""


def test_the_2026_audit_in_the_real_history() -> None:
    has = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{AUDIT_BASE}^{{commit}}"], capture_output=True, check=False
    )
    if has.returncode != 0:
        pytest.skip(f"the repository has no commit {AUDIT_BASE} (shallow clone or not a git checkout)")
    found = changes(AUDIT_BASE, REPO / "data", ["ports", "trade_measures"])
    rows = as_set(found)
    assert ("ports", "removed", "USBQK", "", "", "") in rows
    assert ("ports", "added", "USSSI", "", "", "") in rows
    assert ("trade_measures", "changed", "us_ieepa_china_10_nov2025", "valid_to", "", "2026-02-23") in rows
    assert data_versions(REPO / "data", AUDIT_BASE)[0] == "0.1.0"


def test_the_2026_12_audit_in_the_real_history() -> None:
    # Data 0.2.0 as reviewed (3883468) against the working tree: the 2026-12 corrections appear by primary key.
    base = "3883468"
    has = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{base}^{{commit}}"], capture_output=True, check=False
    )
    if has.returncode != 0:
        pytest.skip(f"the repository has no commit {base} (shallow clone or not a git checkout)")
    found = changes(base, REPO / "data", ["shareholders", "production", "observations", "companies", "open_questions"])
    rows = as_set(found)
    # From 2026-02-05 PSD's estimate recomputed from the 13D/A holdings (stocktitan_13da_2025_12_19_psny): 29.9 -> 30.0.
    assert (
        "shareholders",
        "changed",
        "psd_investment|polestar|2026-02-05|pubt_ttm_2026_02_02_polestar_equity",
        "stake_pct",
        "29.9",
        "30.0",
    ) in rows
    # 2025-12-23: the reported 36.7 is a new row (stocktitan_13da_2025_12_23_psny).
    assert (
        "shareholders",
        "added",
        "psd_investment|polestar|2025-12-23|stocktitan_13da_2025_12_23_psny",
        "",
        "",
        "",
    ) in rows
    # The Busan → US lane ends (benchmark_2026_polestar_refused); the US upper bound tightens to 776.
    assert (
        "production",
        "added",
        "polestar_4|renault_korea_busan|USA|2026-06-29|benchmark_2026_polestar_refused",
        "",
        "",
        "",
    ) in rows
    assert ("observations", "changed", "busan_polestar4_us_exports_2025_upper", "vehicles_count", "3723", "776") in rows
    assert ("companies", "changed", "exor", "country_code", "ZZZ", "NLD") in rows
    assert ("open_questions", "added", "geely_conversion_closed", "", "", "") in rows
    # The base commit is data 0.2.0; the working tree is the version its datapackage.json declares.
    declared = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert data_versions(REPO / "data", base) == ("0.2.0", declared)
