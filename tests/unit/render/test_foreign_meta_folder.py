"""F18: a folder holding the user's own `.evsupply/` is refused before anything is written, so it is never marked
as a site."""

from __future__ import annotations

from pathlib import Path

import pytest

from evsupply.render.errors import SiteError
from evsupply.render.site import Site


def test_a_users_own_meta_folder_is_refused_and_left_unmarked(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")
    own = tmp_path / ".evsupply"
    own.mkdir()
    (own / "config.txt").write_text("mine\n", encoding="utf-8")
    site = Site(tmp_path)
    with pytest.raises(SiteError, match="not an evsupply site"):
        site.check()
    assert sorted(p.name for p in own.iterdir()) == ["config.txt"]
