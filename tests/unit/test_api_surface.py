"""What the README and docs/ promise a Python user is there: every name they write resolves from `import evsupply`
alone, `from evsupply import *` works, and an evsupply error in IPython shows its message without a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import evsupply
from evsupply.errors import ParameterError

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
# The README and every page of docs/ (the API guide in docs/api.md holds the table of the main functions).
TEXTS = {
    p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8")
    for p in [REPO / "README.md", *(REPO / "docs").glob("*.md")]
}
API = TEXTS["docs/api.md"]
IDENTIFIER = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def resolve(dotted: str) -> object:
    """`evsupply.a.b` by attribute access from the package, as a user types it (no import of a submodule)."""
    obj: object = evsupply
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def names_in_text() -> set[str]:
    """Every `evsupply.x.y` the README and docs/ write (code, prose and tables)."""
    pattern = re.compile(r"(?<![\w/.-])(?<!-m )evsupply(\.[A-Za-z_]\w*)+")
    found = {m.group(0).rstrip(".") for text in TEXTS.values() for m in pattern.finditer(text)}
    return {name for name in found if name.rsplit(".", 1)[-1] not in FILE_SUFFIXES}  # `evsupply.sqlite` is a file


FILE_SUFFIXES = {"sqlite", "csv", "json", "zip", "parquet", "md", "html", "yml", "py", "ipynb"}


def usage_table() -> list[tuple[str, list[str]]]:
    """docs/api.md's table of the main functions: (module, names of its functions and classes).

    A name is a backticked identifier or call outside parentheses: those inside describe a result's fields
    (`Access` (measures, `total_duty_pct`, ...)), not the module's attributes."""
    section = API.split("## The main functions", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = line.split("|")
        if len(cells) < 4 or not cells[1].strip().startswith("`evsupply."):
            continue
        module = cells[1].strip().strip("`").removesuffix(".*")
        names, depth = [], 0
        for i, chunk in enumerate(re.split(r"(`[^`]*`)", cells[2])):
            if i % 2:  # a backticked chunk
                token = chunk.strip("`").split("(", 1)[0]
                if depth == 0 and IDENTIFIER.fullmatch(token):
                    names.append(token)
            else:
                depth += chunk.count("(") - chunk.count(")")
        rows.append((module, names))
    return rows


def test_the_usage_table_is_read() -> None:
    # The parser must see the table docs/api.md has: ten modules or more, build_flows first (else it proves nothing).
    rows = dict(usage_table())
    assert len(rows) >= 10, rows
    assert rows["evsupply.analysis.shipping.flows"][0] == "build_flows"
    assert (
        "Access" in rows["evsupply.analysis.trade.policy"]
        and "total_duty_pct" not in rows["evsupply.analysis.trade.policy"]
    )
    assert "flows.flow_map" in rows["evsupply.figures"]


@pytest.mark.parametrize(("module", "names"), usage_table(), ids=[m for m, _ in usage_table()])
def test_every_name_of_the_usage_table_resolves(module: str, names: list[str]) -> None:
    assert names, f"no name found for {module}"
    for name in names:
        assert resolve(f"{module}.{name}") is not None


@pytest.mark.parametrize("dotted", sorted(names_in_text()))
def test_every_evsupply_name_in_the_docs_resolves(dotted: str) -> None:
    resolve(dotted)


def test_figures_modules_are_attributes() -> None:
    # As the docs write it: evsupply.figures.flows.flow_map, no explicit import of the submodule.
    assert callable(evsupply.figures.flows.flow_map)
    assert callable(evsupply.figures.atlas.atlas_map)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        evsupply.figures.nope  # noqa: B018


def test_star_import_works_in_a_fresh_interpreter() -> None:
    code = "from evsupply import *; print(sorted(n for n in dir() if not n.startswith('_')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for name in ("load", "ParameterError", "DataError", "flows", "policy", "figures"):
        assert f"'{name}'" in done.stdout


def test_every_name_of_all_exists() -> None:
    for name in evsupply.__all__:
        assert getattr(evsupply, name) is not None, name


def test_parameter_error_shows_one_line_in_ipython(capsys: pytest.CaptureFixture[str]) -> None:
    interactive = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactive.InteractiveShell.instance()
    shell.run_cell(
        "from evsupply.errors import ParameterError\n"
        "def check():\n"
        "    raise ParameterError('year', 'must be an integer', [2025, 2026])\n"
        "check()\n"
    )
    shown = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert shown == [
        "ParameterError: parameter 'year': must be an integer. Valid choices: 2025, 2026",
    ]


def test_render_traceback_is_the_message() -> None:
    error = ParameterError("markets", "unknown market 'XXX'")
    assert error._render_traceback_() == ["ParameterError: parameter 'markets': unknown market 'XXX'"]
