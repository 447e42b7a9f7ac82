"""What a report shows, as HTML for the page and plain text for nbval: tables, findings, citations, downloads.

Every text that comes from the data is escaped here, where it enters HTML; links are built only from URLs that
pass the same check as validation. Tables are plain HTML (sortable and filterable in the rendered report by the
report's own script), each with a CSV download embedded in the page, so it works from a saved file offline.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from evsupply import evidence
from evsupply.findings import Finding
from evsupply.io import spreadsheet_safe
from evsupply.metadata.fields import URL

URL_RE = re.compile(URL)
LOW_CONFIDENCE_KINDS = ("repost", "aggregator")
# Rows above which a table gets a filter box in the rendered report.
FILTER_ROWS = 12


def esc(value: Any) -> str:
    """Text made safe to place in HTML (quotes too, so it can also go in an attribute)."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) address (no quotes, spaces or angle brackets), else None."""
    return url if isinstance(url, str) and URL_RE.fullmatch(url) else None


def anchor(source_id: str) -> str:
    """The id of a source's entry in a report's references."""
    return "src-" + re.sub(r"[^a-z0-9_]", "-", str(source_id).lower())


class Html:
    """A block of a report: HTML for the page, plain text for nbval and the terminal, and optional metadata that
    travels with the output in the executed notebook (the render reads a report's findings from it)."""

    def __init__(self, markup: str, text: str, metadata: dict[str, Any] | None = None) -> None:
        self.markup = markup
        self.text = text
        self.metadata = metadata

    def _repr_html_(self) -> str | tuple[str, dict[str, Any]]:
        return (self.markup, self.metadata) if self.metadata else self.markup

    def __repr__(self) -> str:
        return self.text

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + other.markup, f"{self.text}\n{other.text}".strip("\n"))


def cite_html(source_ids: Iterable[Any], brackets: bool = True) -> str:
    """Links to the references of a report: [id, id] (without brackets in a table's source column)."""
    ids = [str(s) for s in dict.fromkeys(source_ids) if s is not None and str(s) and not _is_na(s)]
    if not ids:
        return ""
    links = ", ".join(f'<a class="evsupply-cite" href="#{anchor(s)}">{esc(s)}</a>' for s in ids)
    return f'<span class="evsupply-sources">[{links}]</span>' if brackets else links


def cite_text(source_ids: Iterable[Any]) -> str:
    """The same citation in plain text."""
    ids = [str(s) for s in dict.fromkeys(source_ids) if s is not None and str(s) and not _is_na(s)]
    return f" [{', '.join(ids)}]" if ids else ""


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- tables ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """How a table shows one column: its header (with the unit) and how a value is written."""

    label: str
    fmt: Callable[[Any], str] | str = "text"  # "text", "int", "float1", "pct", "date", "money", "sources", "bool"
    numeric: bool = False


def number(digits: int = 0) -> Callable[[Any], str]:
    """Format with thousands separators and `digits` decimals; missing values as an en dash."""
    return lambda v: "–" if _is_na(v) else f"{float(v):,.{digits}f}"


FORMATS: dict[str, Callable[[Any], str]] = {
    "text": lambda v: "–" if _is_na(v) else str(v),
    "int": number(0),
    "float1": number(1),
    "float2": number(2),
    "pct": lambda v: "–" if _is_na(v) else f"{float(v):,.{0 if float(v) == int(float(v)) else 2}f}%",
    "date": lambda v: "–" if _is_na(v) else f"{pd.Timestamp(v):%Y-%m-%d}",
    "bool": lambda v: "–" if _is_na(v) else ("yes" if bool(v) else "no"),
    "sources": lambda v: ", ".join(str(s) for s in (v if isinstance(v, list | tuple) else [v]) if not _is_na(s)),
}
NUMERIC_FORMATS = {"int", "float1", "float2", "pct"}


def _formatter(col: Column) -> Callable[[Any], str]:
    return col.fmt if callable(col.fmt) else FORMATS[col.fmt]


def table(
    df: pd.DataFrame,
    columns: Mapping[str, Column | str],
    name: str,
    caption: str = "",
    note: str = "",
    source_ids: Sequence[Any] = (),
    empty: str = "",
) -> Html:
    """An HTML table of `columns` (name -> Column or header) with a CSV download; plain text for nbval. An empty
    frame with an `empty` text gives that line instead."""
    if df.empty and empty:
        return paragraph(empty)
    cols = {c: (spec if isinstance(spec, Column) else Column(spec)) for c, spec in columns.items()}
    shown = df[list(cols)].reset_index(drop=True)
    cells = {c: [_formatter(spec)(v) for v in shown[c]] for c, spec in cols.items()}
    numeric = {
        c: spec.numeric or (isinstance(spec.fmt, str) and spec.fmt in NUMERIC_FORMATS) for c, spec in cols.items()
    }
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if numeric[c] else ""}>{esc(spec.label)}</th>' for c, spec in cols.items())
    body = []
    for i in range(len(shown)):
        tds = []
        for c, spec in cols.items():
            value = shown.at[i, c]
            if spec.fmt == "sources":
                content = cite_html(value if isinstance(value, list | tuple) else [value], brackets=False)
            else:
                content = esc(cells[c][i])
            sort_key = ""
            if numeric[c] and not _is_na(value):
                sort_key = f' data-sort="{float(value)!r}"'
            elif spec.fmt == "date" and not _is_na(value):
                sort_key = f' data-sort="{esc(cells[c][i])}"'
            tds.append(f"<td{num if numeric[c] else ''}{sort_key}>{content}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    plain = pd.DataFrame({spec.label: cells[c] for c, spec in cols.items()})
    csv = spreadsheet_safe(plain).to_csv(index=False, lineterminator="\n")
    filterable = " data-filter" if len(shown) > FILTER_ROWS else ""
    markup = (
        f'<figure class="evsupply-table-block" data-name="{esc(name)}">'
        + (f"<figcaption>{esc(caption)}</figcaption>" if caption else "")
        + f'<div class="evsupply-table-scroll"><table class="evsupply-table" data-sortable{filterable}>'
        + f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        + '<p class="evsupply-table-foot">'
        + (f"{esc(note)} " if note else "")
        + (f"Sources: {cite_html(source_ids)} " if len(source_ids) else "")
        + download_link(csv, f"{name}.csv")
        + "</p></figure>"
    )
    text = (f"{caption}\n" if caption else "") + (plain.to_string(index=False) if len(plain) else "(no rows)")
    return Html(markup, text)


def download_link(csv: str, filename: str, label: str = "Download CSV") -> str:
    """A link that saves `csv` as `filename`: the data travels in the page (works offline from a saved file)."""
    href = "data:text/csv;charset=utf-8," + urllib.parse.quote(csv, safe="")
    return (
        f'<a class="evsupply-download" download="{esc(filename)}" href="{href}" '
        f'data-filename="{esc(filename)}">{esc(label)}</a>'
    )


def chart_note(data: pd.DataFrame, name: str, source_ids: Sequence[Any], note: str = "") -> Html:
    """The line under a chart: what it shows, its sources (linked) and its data as a CSV download."""
    csv = spreadsheet_safe(data).to_csv(index=False, lineterminator="\n")
    markup = (
        f'<p class="evsupply-chart-note">{esc(note)} '
        + (f"Sources: {cite_html(source_ids)} " if len(source_ids) else "")
        + download_link(csv, f"{name}.csv", "Download the chart's data (CSV)")
        + "</p>"
    )
    return Html(markup, (note + cite_text(source_ids)).strip())


# --- findings and references -----------------------------------------------------------------------------------


def findings_block(items: Sequence[Finding], as_of: str = "", checked: str = "") -> Html:
    """The findings that open a report: each sentence with its evidence word (evsupply.evidence) and its sources."""
    lis, lines = [], []
    for f in items:
        label = evidence.word(f.evidence)
        meaning = esc(evidence.meaning(f.evidence))
        badge = f'<span class="evsupply-basis evsupply-basis-{esc(f.evidence)}" title="{meaning}">{esc(label)}</span>'

        lis.append(f"<li>{badge} {esc(f.text)} {cite_html(f.source_ids)}</li>")
        lines.append(f"- ({label}) {f.text}{cite_text(f.source_ids)}")
    meta = " · ".join(x for x in (f"facts as of {as_of}" if as_of else "", checked) if x)
    markup = (
        '<section class="evsupply-findings" id="key-findings"><h2>Key findings</h2>'
        + (f'<p class="evsupply-findings-meta">{esc(meta)}</p>' if meta else "")
        + f"<ul>{''.join(lis)}</ul></section>"
    )
    summary = {
        "findings": [
            {
                "key": f.key,
                "text": f.text,
                "evidence": f.evidence,
                "word": evidence.word(f.evidence),
                "basis": f.evidence,
            }
            for f in items
        ],
        "meta": meta,
    }
    return Html(
        markup, "Key findings" + (f" ({meta})" if meta else "") + "\n" + "\n".join(lines), {"evsupply": summary}
    )


def references_block(sources: pd.DataFrame) -> Html:
    """The references of a report: one anchored entry per source, linking to its URL; weak sources marked."""
    items, lines = [], []
    for row in sources.sort_values("source_id").itertuples():
        date = f"{row.published_date:%Y-%m-%d}" if not _is_na(row.published_date) else "undated"
        url = safe_url(row.url)
        link = f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>' if url else esc(row.url)
        weak = row.source_kind in LOW_CONFIDENCE_KINDS
        badge = (
            ' <span class="evsupply-weak">lower confidence: ' + esc(str(row.source_kind).replace("_", " ")) + "</span>"
            if weak
            else ""
        )
        items.append(
            f'<li id="{anchor(row.source_id)}"><span class="evsupply-ref-id">{esc(row.source_id)}</span> '
            f"{esc(row.publisher)}, “{esc(row.title)}”, {esc(date)}. {link} "
            f"(accessed {row.accessed_date:%Y-%m-%d}; {esc(str(row.source_kind).replace('_', ' '))}){badge}</li>"
        )
        lines.append(
            f"[{row.source_id}] {row.publisher}, “{row.title}”, {date}. {row.url}"
            + (" (lower confidence)" if weak else "")
        )
    markup = f'<ol class="evsupply-references">{"".join(items)}</ol>'
    return Html(markup, "\n".join(lines))


def paragraph(text: str, source_ids: Sequence[Any] = ()) -> Html:
    """A paragraph of generated text, escaped, with linked sources."""
    return Html(f"<p>{esc(text)} {cite_html(source_ids)}</p>", text + cite_text(source_ids))


def bullet_list(items: Sequence[tuple[str, Sequence[Any]]]) -> Html:
    """A list of generated sentences, each with its linked sources."""
    lis = "".join(f"<li>{esc(t)} {cite_html(ids)}</li>" for t, ids in items)
    return Html(f"<ul>{lis}</ul>", "\n".join(f"- {t}{cite_text(ids)}" for t, ids in items))
