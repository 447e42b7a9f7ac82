"""F7: two `-p` variants whose values differ only in case or punctuation get the same page name; the second is
refused instead of silently replacing the first's page and record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evsupply.render.manifest import ManifestError, Report, check_variant_name, with_overrides


def _site_with(tmp_path: Path, report: Report) -> Path:
    meta = tmp_path / "site" / ".evsupply"
    meta.mkdir(parents=True)
    record = {"name": report.name, "parameters": report.parameters, "status": "ok"}
    (meta / "records.json").write_text(json.dumps({"records": [record]}), encoding="utf-8")
    return tmp_path / "site"


def test_a_variant_folding_onto_another_is_refused(tmp_path: Path) -> None:
    base = Report(name="capacity", notebook=tmp_path / "c.ipynb", title="Capacity", parameters={"year": 2026})
    first = with_overrides(base, ['scenarios={"Plan": 10000}'])
    second = with_overrides(base, ['scenarios={"plan": 10000}'])
    assert first.name == second.name == "capacity--scenarios-plan-10000"  # the fold that made them collide
    site = _site_with(tmp_path, first)
    check_variant_name(site, first)  # the same variant again: re-rendered in place
    with pytest.raises(ManifestError, match="taken"):
        check_variant_name(site, second)
