"""nbval compares the plain-text rendering of each tagged cell; the HTML of the same outputs is checked by the
browser test on the rendered reports (tests/browser), so HTML details (classes, links) do not fail nbval."""

from __future__ import annotations

import pytest

SKIP_HTML = "text/html"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add text/html to the mimetypes nbval does not compare, for every collected notebook; under pytest-xdist
    (`--dist loadgroup`) the cells of a notebook run in one worker, in order, as they share its kernel."""
    for item in items:
        path = item.nodeid.split("::")[0]
        if path.endswith(".ipynb"):
            item.add_marker(pytest.mark.xdist_group(path))
        notebook = getattr(item, "parent", None)
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and SKIP_HTML not in skip:
            notebook.skip_compare = (*skip, SKIP_HTML)
