"""Strict parameters: unknown names, wrong types and ids not in the tables are errors that list the choices."""

from __future__ import annotations

import datetime as dt

import pytest

from evsupply.errors import ParameterError
from evsupply.parameters import Param, check, check_choice, check_date, ids

SPEC = {
    "as_of": Param("date", "a date"),
    "plant": Param("str", "a plant", choices=lambda t: t["plants"]),
    "markets": Param("str_list", "markets", choices=["USA", "CAN"]),
    "volume": Param("float", "a volume"),
}
TABLES = {"plants": ["busan", "hangzhou"]}


def namespace(**over: object) -> dict[str, object]:
    base = {
        "as_of": "2025-01-01",
        "plant": "busan",
        "markets": ["USA"],
        "volume": 10,
        "In": [],
        "_": None,
        "dt": dt,
        "check": check,
    }
    return base | over


def test_valid_parameters_are_normalised() -> None:
    got = check(namespace(), SPEC, TABLES)
    assert got == {"as_of": dt.date(2025, 1, 1), "plant": "busan", "markets": ["USA"], "volume": 10.0}


def test_unknown_name_lists_the_parameters() -> None:
    with pytest.raises(ParameterError) as info:
        check(namespace(plnat="busan"), SPEC, TABLES)
    assert info.value.name == "plnat"
    assert info.value.choices == ("as_of", "plant", "markets", "volume")
    assert "plnat" in str(info.value) and "'plant'" in str(info.value)


def test_id_not_in_tables_lists_the_ids() -> None:
    with pytest.raises(ParameterError) as info:
        check(namespace(plant="atlantis"), SPEC, TABLES)
    assert info.value.name == "plant" and info.value.choices == ("busan", "hangzhou")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("as_of", "2025-02-30"),
        ("as_of", 20250101),
        ("volume", "ten"),
        ("volume", True),
        ("markets", "USA"),
        ("plant", 3),
    ],
)
def test_wrong_type(name: str, value: object) -> None:
    with pytest.raises(ParameterError) as info:
        check(namespace(**{name: value}), SPEC, TABLES)
    assert info.value.name == name


def test_list_items_are_checked() -> None:
    with pytest.raises(ParameterError) as info:
        check(namespace(markets=["USA", "MEX"]), SPEC, TABLES)
    assert "'MEX'" in str(info.value) and info.value.choices == ("CAN", "USA")


def test_missing_parameter() -> None:
    ns = namespace()
    del ns["volume"]
    with pytest.raises(ParameterError, match="volume"):
        check(ns, SPEC, TABLES)


def test_tables_and_spec_are_not_parameters() -> None:
    assert check(namespace(tables=TABLES, SPEC=SPEC), SPEC, TABLES)["plant"] == "busan"


def test_helpers() -> None:
    assert check_date("d", "2024-09-27") == dt.date(2024, 9, 27)
    assert check_choice("m", "USA", ["USA"]) == "USA"
    with pytest.raises(ParameterError):
        check_choice("m", "usa", ["USA"])


def test_ids_lists_a_tables_distinct_values_sorted() -> None:
    import pandas as pd

    tables = {"plants": pd.DataFrame({"plant_id": ["b", "a", "b", None]})}
    assert ids("plants", "plant_id")(tables) == ["a", "b"]
    spec = {"plant": Param("str", "a plant", choices=ids("plants", "plant_id"))}
    with pytest.raises(ParameterError) as info:
        check({"plant": "c"}, spec, tables)
    assert info.value.choices == ("a", "b")
