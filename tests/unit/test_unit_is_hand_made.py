"""The unit part never touches the repository's data/: no module under tests/unit/ loads it (read from the modules'
source), and tests/unit/conftest.py refuses it at run time (`load()` under any name, and the `data_copy` fixture)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import evsupply

UNIT = Path(__file__).resolve().parent
REAL_DATA_NAMES = {"DATA_DIR", "data_dir", "data_copy"}  # the real folder, its resolver, the fixture copying it


def real_data_uses(file: Path, root: Path = UNIT) -> list[str]:
    """Each place a module reaches the real data: `load()` (or `evsupply.load()`) with no folder, the names of the
    real folder, or a test asking for the `data_copy` fixture."""
    found = []
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        where = f"{file.relative_to(root)} line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and not node.args and not node.keywords:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name == "load":
                found.append(f"{where}: load() of the default (real) data folder")
        elif isinstance(node, ast.Name) and node.id in REAL_DATA_NAMES:
            found.append(f"{where}: {node.id}")
        elif isinstance(node, ast.alias) and (node.asname or node.name).split(".")[-1] in REAL_DATA_NAMES:
            found.append(f"{where}: imports {node.name}")
        elif isinstance(node, ast.arg) and node.arg in REAL_DATA_NAMES:
            found.append(f"{where}: asks for {node.arg}")
    return found


def test_no_unit_module_reaches_the_real_data() -> None:
    files = [f for f in sorted(UNIT.rglob("*.py")) if f.name != "conftest.py" and f != Path(__file__).resolve()]
    assert len(files) >= 20, files  # the unit part is there to be checked
    found = [use for file in files for use in real_data_uses(file)]
    assert not found, "\n".join(found)


def test_the_source_check_sees_a_real_data_load(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text("import evsupply\n\n\ndef test_x(data_copy):\n    evsupply.load()\n", encoding="utf-8")
    assert real_data_uses(sample, tmp_path) == [
        "test_sample.py line 4: asks for data_copy",
        "test_sample.py line 5: load() of the default (real) data folder",
    ]


def test_a_real_data_load_fails_a_unit_test() -> None:
    with pytest.raises(RuntimeError, match="move this test to tests/integration/"):
        evsupply.load()
    with pytest.raises(RuntimeError, match="move this test to tests/integration/"):
        evsupply.data.load.load(None)  # under its own name too


def test_the_data_copy_fixture_is_refused(request: pytest.FixtureRequest) -> None:
    with pytest.raises(RuntimeError, match="it asked for data_copy"):
        request.getfixturevalue("data_copy")
