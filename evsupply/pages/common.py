"""What every report does: load and check, name things for people, say how fresh the facts are, cite sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from IPython.display import display

import evsupply
from evsupply.core import claims
from evsupply.core.tables import Tables, is_missing
from evsupply.data import freshness
from evsupply.data.metadata.labels import BOUND_WORDS
from evsupply.data.names import id_columns, name_of, names_by_id
from evsupply.pages.html import (
    Column,
    Html,
    Provenance,
    bullet_list,
    chart_note,
    esc,
    paragraph,
    references_block,
    set_provenance,
    table,
)
from evsupply.pages.spec import Params, ReportSpec

# A count's `bound` in words: exact, about, at most, at least.
BOUND_COLUMN = Column("Exact or bound", lambda v: BOUND_WORDS.get(v, "").strip() or str(v))


def setup(spec: ReportSpec, namespace: Mapping[str, Any]) -> tuple[Tables, Params]:
    """The report's first step: load the validated tables, then check the parameters (errors name the parameter);
    the report's downloads then name the data version, content hash and as-of date."""
    tables = evsupply.load()
    params = spec.check(namespace, tables)
    set_provenance(provenance_of(tables, params, spec.notebook))
    return tables, params


# The parameters that say what a report is about, in the order a download's name takes the first one set.
SUBJECT_PARAMETERS = ("case", "origin", "plant", "model", "company", "markets")


def subject_of(params: Mapping[str, Any]) -> str:
    """What a report is about, for its downloads' names: its case, plant, model, company or markets."""
    for name in SUBJECT_PARAMETERS:
        value = params.get(name)
        if isinstance(value, list | tuple):
            value = "_".join(str(v) for v in value)
        if value:
            return str(value)
    return ""


def source_lookup(tables: Tables) -> dict[str, dict[str, str]]:
    """Every source id with what a download's metadata names of it: publisher, title, date and URL."""
    out = {}
    for s in tables["sources"].itertuples():
        date = "" if is_missing(s.published_date) else f"{pd.Timestamp(s.published_date):%Y-%m-%d}"
        out[str(s.source_id)] = {
            "title": "" if is_missing(s.title) else str(s.title),
            "publisher": "" if is_missing(s.publisher) else str(s.publisher),
            "date": date,
            "path": "" if is_missing(s.url) else str(s.url),
        }
    return out


def provenance_of(tables: Tables, params: Mapping[str, Any], notebook: str = "") -> Provenance:
    """What a report's downloads name: the data's version and content hash, and the report's as-of date (its
    `as_of` or `on_date` parameter, else the last of its `dates`, else the day its facts were last checked)."""
    day: Any = params.get("as_of") or params.get("on_date")
    if not day and params.get("dates"):
        day = max(params["dates"])
    if not day:
        day = freshness.checked_span(tables)[1]
    as_of = "" if day is None or is_missing(day) else f"{pd.Timestamp(day):%Y-%m-%d}"
    return Provenance(
        data_version=tables.data_version,
        content_hash=tables.version,
        as_of=as_of,
        report=notebook.removesuffix(".ipynb"),
        subject=subject_of(params),
        sources=source_lookup(tables),
    )


def with_names(df: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """`df` with a human-name column beside each id column it has (`plant_id` -> `plant_name`...); an id the
    tables do not hold raises DataError (`evsupply.data.names`)."""
    out = df.copy()
    for col in df.columns:
        if col in id_columns():
            target = col[:-3] + "_name" if col.endswith("_id") else col + "_name"
            if target not in out:
                known = out[col].isna() | out[col].isin(names_by_id(tables, col).index)
                if not known.all():
                    name_of(tables, col, out.loc[~known, col].iloc[0])  # raises, naming the table and the id
                out[target] = out[col].map(names_by_id(tables, col)).astype("string")
    return out


def freshness_note(tables: Tables, cited: Iterable[str] = (), today: dt.date | None = None) -> str:
    """The data version, when the facts were last checked, any stale fact among the cited sources' rows, and the open
    questions those rows rest on."""
    oldest, newest = freshness.checked_span(tables)
    text = f"Data {tables.data_version or '(unversioned)'}"
    if newest is not None:
        text += f"; facts last checked {newest:%Y-%m-%d}"
        if oldest != newest:
            text += f" (the oldest check of a current fact: {oldest:%Y-%m-%d})"
    text += "."
    stale = freshness.stale_rows(tables, today)
    used = stale[stale["source_id"].isin(set(cited))]
    if len(used):
        rows = "; ".join(f"{r.table} {r.key} (checked {r.checked_on:%Y-%m-%d})" for r in used.itertuples())
        text += f" Not checked for over {freshness.STALE_DAYS} days and used here: {rows}."
    questions = freshness.open_questions_for(tables, cited)
    if len(questions):
        # The questions in a short list (their look-again dates are in data/open_questions.csv and the warnings of
        # `evsupply validate`); the note opens every report and the index, so it stays brief.
        asked = "; ".join(str(q.question) for q in questions.itertuples())
        due = questions["look_again_date"].min()
        text += (
            f" Rests on {len(questions)} open question{'s' if len(questions) > 1 else ''} (looked for, not found; "
            "the first to look at again on "
            f"{due:%Y-%m-%d}): {asked}"
        )
    return text


def references(tables: Tables, *things: Any) -> Html:
    """The report's references: every source cited by the frames and cited results given, anchored and linked."""
    ids = claims.source_ids_of(things)
    sources = tables["sources"]
    cited = sources[sources["source_id"].isin(ids)]
    return references_block(cited)


def heading(text: str, level: int = 2) -> Html:
    """A generated heading (escaped)."""
    return Html(f"<h{level}>{esc(text)}</h{level}>", text)


def parameters_block(spec: ReportSpec, p: Params, tables: Tables) -> Html:
    """The parameters this report was run with, and what each means."""
    rows = []
    for name, param in spec.params.items():
        value = p[name]
        if isinstance(value, dt.date):
            shown = value.isoformat()
        elif isinstance(value, list) and value and all(isinstance(v, dt.date) for v in value):
            shown = ", ".join(v.isoformat() for v in value)
        else:
            shown = repr(value)
        rows.append({"parameter": name, "value": shown, "meaning": param.description.replace("`", "")})
    frame = pd.DataFrame(rows)
    return table(frame, {"parameter": "Parameter", "value": "Value", "meaning": "Meaning"}, "parameters")


def show_chart(
    fig: Any,
    data: pd.DataFrame,
    name: str,
    source_ids: Iterable[Any],
    note: str = "",
    values: Iterable[str] = (),
    empty: str = "",
) -> None:
    """Display a chart, then the line under it: its note, its sources (linked) and its data as a download.

    A chart with nothing to draw (no rows, or every one of its `values` columns missing or zero) is left out: one
    sentence (`empty`, or a generic one) says why, so a plot never shows 0 for "none"."""
    if not has_values(data, values):
        display(paragraph(empty or "No chart: none of its values is known."))
        return
    display(fig)
    title = ""
    layout_title = getattr(getattr(fig, "layout", None), "title", None)
    if layout_title is not None and getattr(layout_title, "text", None):
        title = str(layout_title.text)
    display(chart_note(data, name, list(source_ids), note, title=title))


def has_values(data: pd.DataFrame, values: Iterable[str] = ()) -> bool:
    """True if `data` has rows and, of its `values` columns (numbers), at least one non-missing, non-zero cell."""
    if data.empty:
        return False
    cols = [c for c in values if c in data]
    if not cols:
        return True
    numbers = data[cols].apply(pd.to_numeric, errors="coerce")
    return bool((numbers.notna() & (numbers != 0)).to_numpy().any())


def caveats_block(items: Iterable[str]) -> Html:
    """The caveats, as a list."""
    return bullet_list([(text, ()) for text in items])
