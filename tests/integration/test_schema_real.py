"""One schema, defined once: shared column names mean the same everywhere; the dictionary is generated."""

from __future__ import annotations

import json
from pathlib import Path

from evsupply.core.paths import data_dir

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())


def test_every_resource_declares_keys_and_utf8() -> None:
    for res in json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
        assert res["encoding"] == "utf-8", res["name"]
        assert res["schema"]["primaryKey"], res["name"]
