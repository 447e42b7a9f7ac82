"""The unit part runs on hand-made data only (tests/kit): `evsupply.load()` of the repository's data/ folder, and the
`data_copy` fixture (a copy of it), fail the test that tries them, so a correction to the data never fails a unit
test. Tests on the real tables belong in tests/integration/."""

from __future__ import annotations

from pathlib import Path

import pytest

from evsupply.core.paths import DATA_DIR, data_dir
from evsupply.data import load as load_module

REAL_DATA = DATA_DIR.resolve()
REFUSED = (
    "a unit test loads hand-made data (tests/kit), not the repository's data/: move this test to tests/integration/"
)


@pytest.fixture(autouse=True)
def no_real_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """`load()` (under any of its names: `evsupply.load`, `evsupply.data.load.load`...) refuses the real data folder."""

    def resolve(path: str | Path | None = None) -> Path:
        folder = data_dir(path)
        if folder == REAL_DATA:
            raise RuntimeError(f"{REFUSED} (it loaded {folder})")
        return folder

    monkeypatch.setattr(load_module, "resolve_data_dir", resolve)


@pytest.fixture
def data_copy() -> Path:
    """Refused here: a copy of data/ is the real data (tests/conftest.py gives it to integration tests)."""
    raise RuntimeError(f"{REFUSED} (it asked for data_copy)")
