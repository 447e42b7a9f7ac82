"""Strict parameters: unknown names, wrong types and ids not in the tables are errors that list the choices."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from evsupply.core.parameters import check_choice, check_date, check_dates, check_str_list, ids
from evsupply.errors import ParameterError
from evsupply.pages.spec import Param, Params, ReportSpec

SPEC = ReportSpec(
    "test.ipynb",
    {
        "as_of": Param("date", "2025-01-01", "a date"),
        "plant": Param("str", "busan", "a plant", choices=lambda t: t["plants"]),
        "markets": Param("str_list", ["USA"], "markets", choices=["USA", "CAN"]),
        "volume": Param("float", 10, "a volume"),
        "volumes": Param("mapping", {}, "volumes"),
    },
)
TABLES = {"plants": ["busan", "hangzhou"]}


def namespace(**over: object) -> dict[str, object]:
    base = {
        "as_of": "2025-01-01",
        "plant": "busan",
        "markets": ["USA"],
        "volume": 10,
        "volumes": {},
        "In": [],
        "_": None,
        "dt": dt,
        "ReportSpec": ReportSpec,
    }
    return base | over


def test_valid_parameters_are_normalised() -> None:
    got = SPEC.check(namespace(), TABLES)
    assert dict(got) == {
        "as_of": dt.date(2025, 1, 1),
        "plant": "busan",
        "markets": ["USA"],
        "volume": 10.0,
        "volumes": {},
    }
    assert got.plant == "busan" and isinstance(got, Params)


def test_unknown_name_lists_the_parameters() -> None:
    with pytest.raises(ParameterError) as info:
        SPEC.check(namespace(plnat="busan"), TABLES)
    assert info.value.name == "plnat"
    assert info.value.choices == ("as_of", "plant", "markets", "volume", "volumes")
    assert "plnat" in str(info.value) and "'plant'" in str(info.value)


def test_a_second_run_in_the_same_kernel_is_not_an_unknown_name() -> None:
    # What a first run leaves in the namespace: the checked Params, tables, results (objects, not literals).
    first = SPEC.check(namespace(), TABLES)
    again = namespace(p=first, tables=object(), r=object(), frame=pd.DataFrame({"x": [1]}))
    assert SPEC.check(again, TABLES) == first


def test_id_not_in_tables_lists_the_ids() -> None:
    with pytest.raises(ParameterError) as info:
        SPEC.check(namespace(plant="atlantis"), TABLES)
    assert info.value.name == "plant" and info.value.choices == ("busan", "hangzhou")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("as_of", "2025-02-30"),
        ("as_of", 20250101),
        ("volume", "ten"),
        ("volume", True),
        ("volume", float("nan")),
        ("markets", 3),
        ("markets", ["USA", 1]),
        ("plant", 3),
        ("volumes", {"USA": float("nan")}),
    ],
)
def test_wrong_type(name: str, value: object) -> None:
    with pytest.raises(ParameterError) as info:
        SPEC.check(namespace(**{name: value}), TABLES)
    assert info.value.name == name


def test_a_string_where_a_list_is_expected_is_a_list_of_one() -> None:
    assert SPEC.check(namespace(markets="CAN"), TABLES)["markets"] == ["CAN"]
    assert check_str_list("markets", "USA") == ["USA"]
    assert check_dates("dates", "2025-01-02") == [dt.date(2025, 1, 2)]


def test_list_items_are_checked() -> None:
    with pytest.raises(ParameterError) as info:
        SPEC.check(namespace(markets=["USA", "MEX"]), TABLES)
    assert "'MEX'" in str(info.value) and info.value.choices == ("CAN", "USA")


def test_missing_parameter() -> None:
    ns = namespace()
    del ns["volume"]
    with pytest.raises(ParameterError, match="volume"):
        SPEC.check(ns, TABLES)


def test_parameters_cell_and_table_come_from_the_spec() -> None:
    cell = SPEC.parameters_cell()
    namespace_ = {}
    exec(cell, {}, namespace_)
    assert namespace_ == SPEC.defaults()
    table = SPEC.markdown()
    assert table.splitlines()[0] == "| parameter | default | meaning |"
    assert (
        "| `plant` | `'busan'` | a plant" in table
        and "| `markets` | `['USA']` | markets One of 'USA', 'CAN'. |" in table
    )


def test_helpers() -> None:
    assert check_date("d", "2024-09-27") == dt.date(2024, 9, 27)
    assert check_date("d", pd.Timestamp("2024-09-27")) == dt.date(2024, 9, 27)
    assert check_choice("m", "USA", ["USA"]) == "USA"
    with pytest.raises(ParameterError):
        check_choice("m", "usa", ["USA"])


def test_ids_lists_a_tables_distinct_values_sorted() -> None:
    tables = {"plants": pd.DataFrame({"plant_id": ["b", "a", "b", None]})}
    assert ids("plants", "plant_id")(tables) == ["a", "b"]
    spec = ReportSpec("x.ipynb", {"plant": Param("str", "a", "a plant", choices=ids("plants", "plant_id"))})
    with pytest.raises(ParameterError) as info:
        spec.check({"plant": "c"}, tables)
    assert info.value.choices == ("a", "b")


def test_a_missing_pandas_time_is_not_a_date() -> None:
    # pd.NaT is an instance of datetime; before this rule check_date returned it as a "date" and the analyses
    # compared NaT with every row's dates.
    with pytest.raises(ParameterError, match="'on_date': NaT"):
        check_date("on_date", pd.NaT)
    assert check_date("on_date", pd.Timestamp("2026-12-03")) == dt.date(2026, 12, 3)
