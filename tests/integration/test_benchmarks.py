"""Every benchmark in benchmarks/ runs at a tiny size (`--smoke`), so none can rot unseen: a check that it works and
prints its key line, not a timing. A new benchmark is picked up by the glob; it must accept `--smoke` and declare
`KEY_OUTPUT`, a regular expression its output matches."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("*.py"))


def key_output(script: Path) -> str | None:
    """The script's module-level `KEY_OUTPUT` string, read without importing it."""
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "KEY_OUTPUT" for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def test_the_benchmarks_are_found() -> None:
    assert {"load.py", "render.py", "flows_scale.py", "policy.py", "suite.py"} <= {p.name for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_benchmark_runs_at_a_tiny_size(script: Path, tmp_path: Path) -> None:
    pattern = key_output(script)
    assert pattern, f"{script.name}: declare KEY_OUTPUT, a regular expression for the line a --smoke run prints"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        cwd=BENCHMARKS.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,  # a smoke run takes seconds; the limit only stops a hang on a very busy machine
    )
    assert done.returncode == 0, f"{script.name} --smoke exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    assert re.search(pattern, done.stdout, re.MULTILINE), f"{script.name}: no line matches {pattern!r}:\n{done.stdout}"
