"""Shared fixtures: a private copy of data/ that a test may break; a private TMPDIR per pytest-xdist worker."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from evsupply.core.paths import data_dir

# Notebooks under tests/fixtures are inputs of the render tests, not notebooks for nbval to check.
collect_ignore = ["fixtures"]


@pytest.fixture(scope="session", autouse=True)
def private_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each worker (and every process it starts) gets its own TMPDIR, so a test that looks at the temporary folder
    (for a kernel folder left behind, say) sees only what its own worker made."""
    folder = tmp_path_factory.getbasetemp() / "tmp"
    folder.mkdir(exist_ok=True)
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again
    yield folder
    if saved[0] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = saved[0]
    tempfile.tempdir = saved[1]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the repository's data/ folder."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target
