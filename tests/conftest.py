"""Shared fixtures: a private copy of data/ that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evsupply.paths import data_dir

# Notebooks under tests/fixtures are inputs of the render tests, not notebooks for nbval to check.
collect_ignore = ["fixtures"]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the repository's data/ folder."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target
