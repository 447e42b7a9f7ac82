"""nbval compares the plain-text rendering of each tagged cell; the HTML of the same outputs is checked by the
browser test on the rendered reports (tests/browser), so HTML details (classes, links) do not fail nbval."""

from __future__ import annotations

import pytest

SKIP_HTML = "text/html"


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add text/html to the mimetypes nbval does not compare, for every collected notebook."""
    for item in items:
        notebook = getattr(item, "parent", None)
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and SKIP_HTML not in skip:
            notebook.skip_compare = (*skip, SKIP_HTML)
