"""Hostile text stays inert: CSV downloads carry no formula a spreadsheet would run (the OWASP rule), and validation
refuses control characters and blank-only names and flags bidi overrides in names, each located."""

from __future__ import annotations

from pathlib import Path

from kit import set_cell

from evsupply.data.validate import validate

# --- validation ------------------------------------------------------------------------------------------------


def problems_of(folder: Path, rule: str) -> list:
    found = [p for p in validate(folder) if p.rule == rule]
    assert found, f"no {rule!r} problem found"
    return found


# One broken copy per rule (validation of the whole data takes seconds): each case in its own cell.
CONTROL_CASES = {
    "NUL": ("plants.csv", 1, "plant_name", "Busan\x00plant"),
    "escape": ("companies.csv", 1, "company_name", "Renault\x1b[2J Korea"),  # a terminal escape: clears the screen
    "tab": ("sources.csv", 1, "title", "A\ttitle"),
    "newline": ("sources.csv", 2, "title", "two\nlines"),
    "DEL": ("ports.csv", 1, "port_name", "Busan\x7f"),
    "C1": ("ports.csv", 2, "source_quote", "quote\x85"),  # C1 "next line"
}


def test_control_characters_are_refused(data_copy: Path) -> None:
    for file, row, column, value in CONTROL_CASES.values():
        set_cell(data_copy / file, row, column, value)
    found = problems_of(data_copy, "control character")
    assert {p.level for p in found} == {"error"}
    assert sorted((Path(p.file).name, p.line, p.column, p.value) for p in found) == sorted(
        (file, row + 1, column, value) for file, row, column, value in CONTROL_CASES.values()
    )
    for problem in found:
        shown = str(problem)
        assert repr(problem.value) in shown and "\x00" not in shown and "\x1b" not in shown  # escaped when printed


BLANKS = ["   ", "\u00a0", "\u200b"]  # spaces, a no-break space, a zero-width space


def test_blank_only_names_are_refused(data_copy: Path) -> None:
    for row, value in enumerate(BLANKS, start=1):
        set_cell(data_copy / "plants.csv", row, "plant_name", value)
    found = problems_of(data_copy, "blank name")
    assert {p.level for p in found} == {"error"}
    assert sorted((Path(p.file).name, p.line, p.column, p.value) for p in found) == [
        ("plants.csv", row + 1, "plant_name", value) for row, value in enumerate(BLANKS, start=1)
    ]


BIDI = ["\u202e", "\u202a", "\u2066", "\u2069"]


def test_bidi_overrides_in_names_are_flagged(data_copy: Path) -> None:
    for row, char in enumerate(BIDI, start=1):
        set_cell(data_copy / "companies.csv", row, "company_name", f"Geely{char}ylee")
    problems = validate(data_copy)
    found = [p for p in problems if p.rule == "bidi override"]
    assert {p.level for p in found} == {"warning"}  # flagged, the data stays usable
    assert not [p for p in problems if p.level == "error"]
    assert sorted((Path(p.file).name, p.line, p.column) for p in found) == [
        ("companies.csv", row + 1, "company_name") for row in range(1, len(BIDI) + 1)
    ]
    for problem in found:
        assert repr(problem.value) in str(problem) and not any(c in str(problem) for c in BIDI)
