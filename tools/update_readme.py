"""Regenerate the README's parameter tables from the report specs (`make readme`; a test keeps them in step)."""

from __future__ import annotations

from pathlib import Path

from evsupply.core.io import write_atomic
from evsupply.pages import parameter_tables

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- parameters:start -->\n", "<!-- parameters:end -->"

if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    write_atomic(README, head + START + parameter_tables() + END + tail)
    print(f"updated the parameter tables in {README}")
