"""docs/ is right about the code: its generated parts are what `make docs` writes today, and every name the README
gave before it became a front door (functions, modules, commands, options, make targets, environment variables) is
still documented there, under its new home where it moved."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

# The repository root, wherever in tests/ this file sits (tests/, tests/unit/ ...).
REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())


def generator() -> ModuleType:
    """tools/update_docs.py, imported from its file (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("update_docs", REPO / "tools" / "update_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = generator()
PARTS = [(file, name) for file, parts in GENERATOR.PARTS.items() for name in parts]


def part(file: str, name: str) -> str:
    text = (REPO / "docs" / file).read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    return text[text.index(start) + len(start) : text.index(end)]


def docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md")))


@pytest.mark.parametrize(("file", "name"), PARTS, ids=[f"{f}:{n}" for f, n in PARTS])
def test_each_generated_part_is_current(file: str, name: str) -> None:
    assert part(file, name) == GENERATOR.PARTS[file][name](), "run `make docs`"


def test_the_parameter_tables_are_the_report_specs() -> None:
    from evsupply.pages import parameter_tables

    assert part("parameters.md", "parameters") == parameter_tables(), "run `make docs`"
    # One parameter by hand, as the flows spec describes it: the Busan plant is the default origin.
    assert "| `origin` | `'renault_korea_busan'` |" in part("parameters.md", "parameters")


def test_the_guide_lists_each_function_under_the_module_that_defines_it() -> None:
    # A function re-exported from its old module after a move must be listed at its new home.
    import evsupply

    rows = re.findall(r"^\| `(evsupply\.[\w.]+)` \| (.+?) \|", part("api.md", "usage"), flags=re.M)
    assert len(rows) >= 10
    for module, calls in rows:
        if module == "evsupply.figures":
            continue
        for name in re.findall(r"`(\w+)[(`]", calls):
            obj = getattr(importlib.import_module(module), name)
            assert obj.__module__ == module, f"{name} is listed under {module}, defined in {obj.__module__}"
    assert evsupply.flows.build_flows.__module__ in part("api.md", "usage")


def test_a_guide_name_defined_twice_stops_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    # `data_version` is defined in evsupply.core.paths and in evsupply.data.schema: the guide cannot pick one.
    monkeypatch.setattr(GENERATOR, "GUIDE", ("data_version",))
    with pytest.raises(SystemExit, match="'data_version' is defined in 2 modules"):
        GENERATOR.usage_table()


def test_a_file_without_its_markers_stops_the_generator(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no <!-- usage:start -->"):
        GENERATOR.regenerated("no markers here\n", {"usage": lambda: ""}, tmp_path / "api.md")


# What the README documented before it became a front door (2026-12-08): each must still be written in docs/.
CONTRACTS = (
    # functions and modules, by the names the README gave them
    "evsupply.load",
    "evsupply.flows.build_flows",
    "evsupply.observed.plan_vs_observed",
    "evsupply.policy.market_access",
    "evsupply.state.state_of_play",
    "evsupply.findings.Finding",
    "evsupply.freshness.open_questions_for",
    "evsupply.io.spreadsheet_safe",
    "evsupply.landed.access_timeline",
    "evsupply.figures.atlas.atlas_map",
    "evsupply.figures.maps.map_figure",
    "evsupply.DataError",
    "evsupply.ParameterError",
    "evsupply.Problem",
    "evsupply.claims",
    "evsupply.evidence",
    "look_through_bounds",
    "ultimate_controller",
    "StateOfPlay.barred_markets",
    "battery_findings",
    "cell_legs",
    # the command line and its options
    "evsupply validate [--data-dir DIR] [--stale-days N] [--strict] [--today YYYY-MM-DD]",
    "evsupply render [--only NAME...] [-p KEY=VALUE ...] [--jobs N] [--out DIR] [--standalone]",
    "--scheduler ADDRESS",
    "--no-fork",
    "--state DIR",
    "evsupply changes --since REV [--table NAME ...] [--format text|csv]",
    "evsupply export --gpkg PATH [--origin all|PLANT_ID] [--year 2026] [--data-dir DIR] [--force]",
    "evsupply schema",
    # make targets and environment variables
    *(
        f"make {t}"
        for t in "setup reports test validate schema dictionary notebooks docs lab plotlyjs bench clean".split()
    ),
    "EVSUPPLY_DATA_DIR",
    "EVSUPPLY_CACHE_DIR",
    "EVSUPPLY_BROWSER_SITE",
    "CI=true",
    "PYTHON=python3.11",
    "conda env create -f environment.yml",
    "pip install .",
)


@pytest.mark.parametrize("name", CONTRACTS)
def test_every_name_the_readme_gave_is_documented(name: str) -> None:
    assert name in docs_text(), f"{name!r} is no longer documented in docs/"
