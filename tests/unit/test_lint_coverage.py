"""Lint and format see every tracked Python file: no exclude pattern in pyproject.toml hides one."""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())


def tracked_python_files() -> set[str]:
    """The `.py` files git tracks, relative to the checkout."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files", "*.py"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return {line for line in out.splitlines() if line}


def ruff() -> str:
    """The ruff executable installed beside this interpreter."""
    exe = Path(sys.executable).with_name("ruff")
    return str(exe) if exe.exists() else "ruff"


def test_ruff_check_sees_every_tracked_python_file() -> None:
    listed = subprocess.run([ruff(), "check", "--show-files", "."], cwd=REPO, capture_output=True, text=True).stdout
    seen = {str(Path(line.strip()).resolve().relative_to(REPO)) for line in listed.splitlines() if line.strip()}
    missing = sorted(tracked_python_files() - seen)
    assert not missing, f"ruff check skips tracked files (an exclude pattern in pyproject.toml?): {missing}"


def test_no_format_exclude_matches_a_tracked_python_file() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    patterns = [*config.get("format", {}).get("exclude", []), *config.get("exclude", [])]
    hidden = sorted(f for f in tracked_python_files() for p in patterns if fnmatch.fnmatch(f, p) or p in Path(f).parts)
    assert not hidden, f"ruff format skips tracked files: {hidden}"


def test_make_test_lints_and_formats_the_whole_checkout() -> None:
    recipe = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "ruff format --check .\n" in recipe and "ruff check .\n" in recipe
