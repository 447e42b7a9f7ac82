"""The browser tests' shared site: the project's reports, rendered once for the whole run, even when the browser
modules run in different pytest-xdist workers (the first to ask renders, under a lock; the others wait, then read).

`EVSUPPLY_BROWSER_SITE=DIR` checks an already rendered site instead (e.g. `evsupply render --only NAME --out DIR`),
for a quick local run.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from evsupply.core.paths import NOTEBOOKS_DIR
from evsupply.render import load_manifest, render


def _render_project(root: Path) -> Path:
    """Render every report of notebooks/reports.yml into `root`/site; fail on any report that did not render."""
    reports = load_manifest(NOTEBOOKS_DIR / "reports.yml")
    results = render(reports, site=root / "site", state=root / "state", progress=False)
    assert {r.name: r.error for r in results if r.status != "ok"} == {}
    return root / "site"


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """Every report of notebooks/reports.yml, rendered afresh once per run (or the site EVSUPPLY_BROWSER_SITE names)."""
    given = os.environ.get("EVSUPPLY_BROWSER_SITE")
    if given:
        return Path(given)
    if worker_id == "master":  # one process (-n 0)
        return _render_project(tmp_path_factory.mktemp("project"))
    shared = tmp_path_factory.getbasetemp().parent / "project"  # this run's folder, common to its workers
    shared.mkdir(exist_ok=True)
    done = shared / "rendered"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                _render_project(shared)
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return shared / "site"
