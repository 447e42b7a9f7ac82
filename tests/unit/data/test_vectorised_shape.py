"""The column-wise judge hands on every table whose rows are not all the header's width (pandas alone would fill a
short row with empty cells and take a row with one cell too many as an index); hand-made tables."""

from __future__ import annotations

import pytest

from evsupply.data import vectorised
from evsupply.data.schema import Table

TABLE = Table(
    name="t",
    path="t.csv",
    title="t",
    description="hand-made",
    fields=(
        {"name": "t_id", "type": "string", "constraints": {"required": True, "pattern": "^[a-z]+$"}},
        {"name": "count", "type": "integer", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "note", "type": "string"},
    ),
    primary_key=("t_id",),
    foreign_keys=(),
)


def test_a_sound_table_passes_with_quoted_commas() -> None:
    text = vectorised.text_frame(b't_id,count,note\na,1,"x, y"\nb,,\n', TABLE)
    assert text is not None and vectorised.sound(text, TABLE)
    assert text["note"].tolist() == ["x, y", ""]


@pytest.mark.parametrize(
    "data",
    [
        b"t_id,count,note\na,1\nb,2,z\n",  # a short row whose missing cell is optional
        b"t_id,count,note\na,1,x\nb,2,z,extra\n",  # one cell too many, mid-table
        b"t_id,count,note\na,1,x,extra\nb,2,z\n",  # one cell too many on the first row
        b"t_id,count,note\na,1,x\n\nb,2,z\n",  # a blank line
    ],
)
def test_a_ragged_table_is_handed_on(data: bytes) -> None:
    text = vectorised.text_frame(data, TABLE)
    assert text is None or not vectorised.sound(text, TABLE)
    assert vectorised.text_frame(data, TABLE) is None  # the shape check itself refuses it


@pytest.mark.parametrize("cell", ["+5", "5.0", "1_0", "５", "101", "-1", "1e1", " 5"])
def test_a_doubtful_or_bad_integer_is_handed_on(cell: str) -> None:
    text = vectorised.text_frame(f"t_id,count,note\na,{cell},x\n".encode(), TABLE)
    assert text is not None and not vectorised.sound(text, TABLE)
