"""One schema, defined once: shared column names mean the same everywhere; the dictionary is generated."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from evsupply.data.schema import data_dictionary, tables

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())


def test_a_column_name_has_one_definition() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for table in tables().values():
        for field in table.fields:
            # Whether a column is required is the table's business; its type and rules are the name's.
            spec = {k: v for k, v in field.items() if k != "description"}
            spec["constraints"] = {k: v for k, v in spec.get("constraints", {}).items() if k != "required"}
            seen[field["name"]].add(json.dumps(spec, sort_keys=True))
    differing = {name: specs for name, specs in seen.items() if len(specs) > 1}
    assert not differing, differing


def test_units_are_in_column_names() -> None:
    numeric = [f["name"] for t in tables().values() for f in t.fields if f["type"] in {"number", "integer"}]
    unitless_ok = {"year", "latitude", "longitude", "rank", "model_year", "model_year_from"}
    suffixes = (
        "_pct",
        "_kg",
        "_km",
        "_nm",
        "_kwh",
        "_count",
        "_units",
        "_per_year",
        "_days",
        "_usd",
        "_krw",
        "_knots",
        "_kn",
        "_tonne_km",
        "_units_per_year",
        "_factor",
    )
    # A money amount in several currencies carries its unit in a column beside it.
    unit_beside = {"price_amount": "currency_code", "trade_value_amount": "currency_code"}
    for table in tables().values():
        for name, unit in unit_beside.items():
            if name in table.field_names:
                assert unit in table.field_names, (table.name, name)
    bad = [
        n
        for n in numeric
        if n not in unitless_ok and n not in unit_beside and not n.endswith(suffixes) and "_per_" not in n
    ]
    assert not bad, bad


def test_data_dictionary_is_up_to_date() -> None:
    committed = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary() + "\n", "run `make dictionary` and commit docs/data-dictionary.md"
