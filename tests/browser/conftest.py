"""The project's rendered site, shared by the browser tests (rendered once per session).

`EVSUPPLY_BROWSER_SITE=DIR` checks an already rendered site instead (e.g. `evsupply render --only NAME --out DIR`),
for a quick local run; its failed reports are then left out rather than failing the fixture.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evsupply.paths import NOTEBOOKS_DIR
from evsupply.render import load_manifest, render


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every report of notebooks/reports.yml, rendered afresh (or the site EVSUPPLY_BROWSER_SITE names)."""
    given = os.environ.get("EVSUPPLY_BROWSER_SITE")
    if given:
        return Path(given)
    root = tmp_path_factory.mktemp("reports")
    reports = load_manifest(NOTEBOOKS_DIR / "reports.yml")
    results = render(reports, site=root / "site", state=root / "state", progress=False)
    assert {r.name: r.error for r in results if r.status != "ok"} == {}
    return root / "site"
