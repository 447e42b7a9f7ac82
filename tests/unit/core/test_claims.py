"""The one rule for time (evsupply.core.claims) on small hand-made frames: periods, claims, ties, look-ahead, citations.

The frames are test data; every expected row is read off the frame by the rule written in claims.py's docstring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from evsupply.core.claims import Cited, cite, holds_on, known_on, latest, latest_row, source_ids_of

T = pd.Timestamp
NAT = pd.NaT


def periods() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["jan", "open_start", "open_end", "always"],
            "valid_from": [T("2024-01-01"), NAT, T("2024-03-01"), NAT],
            "valid_to": [T("2024-01-31"), T("2024-02-15"), NAT, NAT],
        }
    )


def names(df: pd.DataFrame, column: str = "name") -> list[str]:
    return list(df[column])


# --- periods ---


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2023-06-01", ["open_start", "always"]),  # before every start: only the open start holds
        ("2024-01-01", ["jan", "open_start", "always"]),  # first day included
        ("2024-01-31", ["jan", "open_start", "always"]),  # last day included
        ("2024-02-01", ["open_start", "always"]),
        ("2024-02-15", ["open_start", "always"]),  # last day of an open start
        ("2024-02-16", ["always"]),
        ("2024-03-01", ["open_end", "always"]),  # first day of an open end
        ("2099-12-31", ["open_end", "always"]),  # an open end still holds
    ],
)
def test_holds_on_inclusive_and_open_ends(day: str, expected: list[str]) -> None:
    assert names(holds_on(periods(), day)) == expected


def test_holds_on_accepts_dates_timestamps_and_other_columns() -> None:
    df = periods().rename(columns={"valid_from": "start_date", "valid_to": "end_date"})
    for day in (dt.date(2024, 1, 31), T("2024-01-31"), "2024-01-31"):
        assert names(holds_on(df, day, start="start_date", end="end_date")) == ["jan", "open_start", "always"]


# --- claims ---


def claims_frame() -> pd.DataFrame:
    """Claims about keys a, b, c (file order = row order)."""
    return pd.DataFrame(
        {
            "key": ["a", "a", "a", "b", "c"],
            "as_of_date": [T("2024-01-01"), T("2024-06-01"), T("2025-01-01"), T("2024-03-01"), T("2025-06-01")],
            "value": ["a1", "a2", "a3", "b1", "c1"],
        }
    )


def test_known_on_is_on_or_before_the_day() -> None:
    df = claims_frame()
    assert names(known_on(df, "2024-06-01"), "value") == ["a1", "a2", "b1"]  # the day itself is included
    assert names(known_on(df, "2024-05-31"), "value") == ["a1", "b1"]
    assert names(known_on(df, None), "value") == ["a1", "a2", "a3", "b1", "c1"]
    assert known_on(df, "2023-12-31").empty


def test_latest_has_no_look_ahead() -> None:
    df = claims_frame()
    # On 2024-12-31 the a-claim of 2025-01-01 is not known yet: a2 (2024-06-01) holds; c has no claim at all.
    assert names(latest(df, ["key"], "2024-12-31"), "value") == ["a2", "b1"]
    assert names(latest(df, ["key"], "2025-01-01"), "value") == ["a3", "b1"]  # known from its date on
    assert names(latest(df, ["key"]), "value") == ["a3", "b1", "c1"]  # no day: the newest of all


def test_latest_keeps_file_order() -> None:
    df = claims_frame().iloc[::-1]  # c1, b1, a3, a2, a1
    assert names(latest(df, ["key"], "2025-12-31"), "value") == ["c1", "b1", "a3"]


def test_allow_later_gives_the_earliest_later_claim_only_where_none_is_known() -> None:
    df = claims_frame()
    got = latest(df, ["key"], "2024-12-31", allow_later=True)
    # a and b keep their known claims (a2, not the later a3); c gets its earliest later claim, whose date shows it.
    assert names(got, "value") == ["a2", "b1", "c1"]
    assert got.loc[got["key"] == "c", "as_of_date"].iloc[0] > T("2024-12-31")
    # Before every claim: the earliest claim of each key.
    assert names(latest(df, ["key"], "2023-01-01", allow_later=True), "value") == ["a1", "b1", "c1"]


def test_latest_by_several_keys_and_another_date_column() -> None:
    df = pd.DataFrame(
        {
            "company_id": ["x", "x", "x", "y"],
            "measure_id": ["m", "m", "n", "m"],
            "decision_date": [T("2026-05-01"), T("2026-06-25"), T("2026-05-26"), T("2026-01-01")],
            "decision": ["granted", "refused", "granted", "granted"],
        }
    )
    got = latest(df, ["company_id", "measure_id"], "2026-06-01", date_col="decision_date")
    assert names(got, "decision") == ["granted", "granted", "granted"]
    assert list(got.index) == [0, 2, 3]


# --- ties: the same date ---


def tied(preferred: list[object] | None) -> pd.DataFrame:
    df = pd.DataFrame({"key": ["k", "k", "k"], "as_of_date": [T("2024-05-01")] * 3, "value": ["first", "mid", "last"]})
    if preferred is not None:
        df["is_preferred"] = pd.array(preferred, dtype="boolean")
    return df


@pytest.mark.parametrize(
    ("preferred", "winner"),
    [
        (None, "last"),  # no is_preferred column: the row further down the file wins
        ([False, False, False], "last"),
        ([True, False, False], "first"),  # is_preferred beats file order
        ([False, True, False], "mid"),
        ([True, True, False], "mid"),  # among preferred rows, the later one
        ([None, None, None], "last"),  # missing counts as not preferred
        ([True, None, None], "first"),
    ],
)
def test_tie_rule(preferred: list[object] | None, winner: str) -> None:
    df = tied(preferred)
    assert names(latest(df, ["key"], "2024-05-01"), "value") == [winner]
    assert latest_row(df, "2024-05-01")["value"] == winner


def test_preference_only_breaks_ties_of_one_date() -> None:
    # A preferred claim is overtaken by a newer one that is not preferred.
    df = pd.DataFrame(
        {
            "key": ["k", "k"],
            "as_of_date": [T("2024-01-01"), T("2024-02-01")],
            "value": ["old", "new"],
            "is_preferred": pd.array([True, False], dtype="boolean"),
        }
    )
    assert latest_row(df, "2024-03-01")["value"] == "new"


def test_allow_later_ties_follow_the_same_rule() -> None:
    df = pd.DataFrame(
        {
            "key": ["k"] * 4,
            "as_of_date": [T("2025-01-01"), T("2025-01-01"), T("2025-01-01"), T("2025-06-01")],
            "value": ["p", "q", "r", "late"],
            "is_preferred": pd.array([False, True, False, True], dtype="boolean"),
        }
    )
    # The earliest later date wins; on it, the preferred row q.
    assert latest_row(df, "2024-01-01", allow_later=True)["value"] == "q"
    assert latest_row(df, "2024-01-01", allow_later=True)["as_of_date"] == T("2025-01-01")


# --- latest_row ---


def test_latest_row() -> None:
    df = claims_frame()[lambda d: d["key"] == "a"]
    row = latest_row(df, "2024-07-01")
    assert isinstance(row, pd.Series) and row["value"] == "a2"
    assert latest_row(df, "2023-12-31") is None  # nothing known yet
    assert latest_row(df, "2023-12-31", allow_later=True)["value"] == "a1"
    assert latest_row(df)["value"] == "a3"
    assert latest_row(df.iloc[0:0], "2024-07-01") is None
    assert "_key" not in latest_row(df, "2024-07-01").index  # the helper column does not leak


# --- citations ---


def test_cited_is_its_text() -> None:
    line = Cited("The duty is 10%.", ("src_a",))
    assert str(line) == "The duty is 10%." and line.source_ids == ("src_a",)
    assert Cited("No source.").source_ids == ()


def test_cite_drops_empty_and_missing_ids_and_keeps_duplicates_once() -> None:
    line = cite("text", "b", "", None, float("nan"), np.nan, "a", "b", "a")
    assert line == Cited("text", ("b", "a"))  # order of first use
    assert cite("text").source_ids == ()


def test_cite_drops_pandas_missing_values() -> None:
    missing = pd.Series(["a", None], dtype="string")  # the dtype schema.read_table gives id columns
    assert cite("text", *missing, pd.NaT).source_ids == ("a",)


def test_source_ids_of_frames() -> None:
    frame = pd.DataFrame(
        {
            "source_id": ["s1", None, "s1"],
            "mass_source_id": [None, "m1", "m2"],
            "status_source_ids": [("t1", "s1"), (), ("t2",)],
            "note": ["not_an_id", "x", "y"],
        }
    )
    # Column by column, row by row; missing values and non-source columns skipped; each id once.
    assert source_ids_of([frame]) == ["s1", "m1", "m2", "t1", "t2"]


def test_source_ids_of_objects() -> None:
    @dataclass(frozen=True)
    class Decision:
        source_ids: tuple[str, ...]

    frame = pd.DataFrame({"case_source_id": ["c1"], "source_ids": [("d2", "c1")]})
    items = [cite("x", "a", "b"), Decision(("b", "d1")), [cite("y", "c"), [frame]], 7]
    assert source_ids_of(items) == ["a", "b", "d1", "c", "c1", "d2"]
    assert source_ids_of([]) == []


def test_source_ids_of_takes_plain_ids_in_lists() -> None:
    # A report passes the ids it collected as a list of strings: each is a source id, not a sequence of letters.
    assert source_ids_of([["a_source", "b_source"], "c_source", ""]) == ["a_source", "b_source", "c_source"]
