"""The browser tests' shared site: the project's reports, rendered once for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest

from evsupply.paths import NOTEBOOKS_DIR
from evsupply.render import load_manifest, render


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every report of notebooks/reports.yml, rendered afresh (once: the browser tests only read it)."""
    root = tmp_path_factory.mktemp("project")
    reports = load_manifest(NOTEBOOKS_DIR / "reports.yml")
    results = render(reports, site=root / "site", state=root / "state", progress=False)
    assert {r.name: r.error for r in results if r.status != "ok"} == {}
    return root / "site"
