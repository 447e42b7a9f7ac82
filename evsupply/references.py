"""Reference lists generated from the `sources` table."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def cited_sources(tables: object, frames: Iterable[pd.DataFrame] | None = None) -> pd.DataFrame:
    """The sources cited by `frames` (their `source_id` columns), or every source when None."""
    sources = tables["sources"]  # type: ignore[index]
    if frames is None:
        return sources
    ids = set()
    for frame in frames:
        if "source_id" in frame:
            ids |= set(frame["source_id"].dropna())
    return sources[sources["source_id"].isin(ids)]


def format_reference(row: pd.Series) -> str:
    """One source as a reference line: publisher, title, date, URL, access date and kind."""
    date = f"{row['published_date']:%Y-%m-%d}" if pd.notna(row["published_date"]) else "undated"
    line = f"[{row['source_id']}] {row['publisher']}, \u201c{row['title']}\u201d, {date}. {row['url']} "
    line += f"(accessed {row['accessed_date']:%Y-%m-%d}; {row['source_kind'].replace('_', ' ')})"
    return line


def reference_list(tables: object, frames: Iterable[pd.DataFrame] | None = None) -> str:
    """A Markdown list of the sources cited by `frames`, sorted by id."""
    cited = cited_sources(tables, frames).sort_values("source_id")
    return "\n".join(f"- {format_reference(row)}" for _, row in cited.iterrows())
