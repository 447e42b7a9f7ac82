"""What a report shows, as HTML for the page and plain text for nbval: tables, findings, citations, downloads.

Every text that comes from the data is escaped here, where it enters HTML; links are built only from URLs that
pass the same check as validation. Tables are plain HTML (sortable and filterable in the rendered report by the
report's own script), each with its data embedded in the page, so a saved file works offline.

Downloads are data, not display text: every table and chart offers a CSV (one header row, then the raw values:
numbers as numbers rounded to their precision, ISO dates, status and bounds in their own columns, units in the
column names, source ids joined by ";", text a spreadsheet would run neutralised; UTF-8 with a byte-order mark so
a spreadsheet keeps "Türkiye" intact) and a Frictionless data package of that one CSV naming the data version, the
data's content hash, the report's as-of date, the licence, every source it cites resolved (publisher, title, date,
URL) and each column's type and meaning. Their file names carry the report, its subject (case, plant, model,
company or markets) and the data version: `brief-busan_polestar_4-state_of_play-data-0.3.0.csv`. Both load with
`pd.read_csv` / `json.load`.
"""

from __future__ import annotations

import html
import json
import math
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from evsupply.core import evidence
from evsupply.core.finding import Finding
from evsupply.core.io import spreadsheet_safe
from evsupply.core.tables import is_missing
from evsupply.data.metadata.fields import URL, field_header
from evsupply.data.metadata.labels import code_words, coded_columns
from evsupply.data.names import source_label

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
    """Links to the references of a report: [label, label] (without brackets in a table's source column); each link
    reads as the source's short label (publisher, year), its id in the tooltip."""
    ids = [str(s) for s in dict.fromkeys(source_ids) if s is not None and str(s) and not is_missing(s)]
    if not ids:
        return ""
    links = ", ".join(
        f'<a class="evsupply-cite" href="#{anchor(s)}" title="{esc(s)}">{esc(source_label(s))}</a>' for s in ids
    )
    return f'<span class="evsupply-sources">[{links}]</span>' if brackets else links


def cite_text(source_ids: Iterable[Any]) -> str:
    """The same citation in plain text."""
    ids = [str(s) for s in dict.fromkeys(source_ids) if s is not None and str(s) and not is_missing(s)]
    return f" [{', '.join(ids)}]" if ids else ""


# --- tables ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """How a table shows one column: its header (with the unit) and how a value is written."""

    label: str
    fmt: Callable[[Any], str] | str = "text"  # "text", "int", "float1", "pct", "date", "money", "sources", "bool"
    numeric: bool = False
    key: str = ""  # the download's column name when the frame's own lacks its unit ("" = the frame's name)


def number(digits: int = 0) -> Callable[[Any], str]:
    """Format with thousands separators and `digits` decimals; missing values as an en dash."""
    return lambda v: "–" if is_missing(v) else f"{float(v):,.{digits}f}"


FORMATS: dict[str, Callable[[Any], str]] = {
    "text": lambda v: "–" if is_missing(v) else str(v),
    "int": number(0),
    "float1": number(1),
    "float2": number(2),
    "pct": lambda v: "–" if is_missing(v) else f"{float(v):,.{0 if float(v) == int(float(v)) else 2}f}%",
    "date": lambda v: "–" if is_missing(v) else f"{pd.Timestamp(v):%Y-%m-%d}",
    "bool": lambda v: "–" if is_missing(v) else ("yes" if bool(v) else "no"),
    "sources": lambda v: ", ".join(str(s) for s in (v if isinstance(v, list | tuple) else [v]) if not is_missing(s)),
}
NUMERIC_FORMATS = {"int", "float1", "float2", "pct"}


def _formatter(col: Column) -> Callable[[Any], str]:
    return col.fmt if callable(col.fmt) else FORMATS[col.fmt]


def _with_words(column: str, spec: Column) -> Column:
    """A column as a reader sees it: a header from the schema's field (label, unit) when the page gives none, and a
    coded column's cells in words ('in production', 'Country unknown'); the download keeps the codes."""
    label = spec.label or field_header(column)
    fmt = spec.fmt
    if fmt == "text" and (column in coded_columns() or column.endswith("country_code")):
        fmt = lambda v, c=column: "–" if is_missing(v) else code_words(c, v)  # noqa: E731
    return Column(label, fmt, spec.numeric, spec.key)


def table(
    df: pd.DataFrame,
    columns: Mapping[str, Column | str],
    name: str,
    caption: str = "",
    note: str = "",
    source_ids: Sequence[Any] = (),
    empty: str = "",
    data: pd.DataFrame | None = None,
) -> Html:
    """An HTML table of `columns` (name -> Column or header) with its data as a download; plain text for nbval.

    The download holds the raw values of those columns, or `data` when the shown frame is display text (a grid of
    "15% · barred"). An empty frame gives the `empty` line instead, or a line saying there are no rows: an empty
    table is never drawn."""
    if df.empty:
        return paragraph(empty or (f"{caption}: no rows." if caption else "No rows."))
    cols = {c: _with_words(c, spec if isinstance(spec, Column) else Column(spec)) for c, spec in columns.items()}
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
            if numeric[c] and not is_missing(value):
                sort_key = f' data-sort="{float(value)!r}"'
            elif spec.fmt == "date" and not is_missing(value):
                sort_key = f' data-sort="{esc(cells[c][i])}"'
            tds.append(f"<td{num if numeric[c] else ''}{sort_key}>{content}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    plain = pd.DataFrame({spec.label: cells[c] for c, spec in cols.items()})
    if data is None:
        raw = shown.rename(columns={c: spec.key for c, spec in cols.items() if spec.key})
        labels = {spec.key or c: spec.label for c, spec in cols.items()}
    else:
        raw, labels = data, {}
    cited = [*source_ids, *_cited_in(raw)]
    filterable = " data-filter" if len(shown) > FILTER_ROWS else ""
    markup = (
        f'<figure class="evsupply-table-block" data-name="{esc(name)}">'
        + (f"<figcaption>{esc(caption)}</figcaption>" if caption else "")
        + f'<div class="evsupply-table-scroll"><table class="evsupply-table" data-sortable{filterable}>'
        + f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        + '<p class="evsupply-table-foot">'
        + (f"{esc(note)} " if note else "")
        + (f"Sources: {cite_html(source_ids)} " if len(source_ids) else "")
        + downloads(raw, name, title=caption, source_ids=cited, labels=labels)
        + "</p></figure>"
    )
    text = (f"{caption}\n" if caption else "") + plain.to_string(index=False)
    return Html(markup, text)


# --- downloads -------------------------------------------------------------------------------------------------

LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


@dataclass(frozen=True)
class Provenance:
    """What every download of a report names: the data's version and content hash and the report's as-of date."""

    data_version: str = ""
    content_hash: str = ""
    as_of: str = ""
    report: str = ""  # the report's notebook (brief, flows, ...), the first part of every download's name
    subject: str = ""  # what it is about: its case, plant, model, company or markets ("" for every case)
    sources: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # source id -> publisher, title, date, url


# Set once per report by `evsupply.pages.common.setup` (each report runs in a kernel of its own).
_provenance = Provenance()


def set_provenance(provenance: Provenance) -> None:
    """Name the data version, content hash and as-of date that this report's downloads carry."""
    global _provenance
    _provenance = provenance


def provenance() -> Provenance:
    """The data version, content hash and as-of date this report's downloads carry."""
    return _provenance


# Decimals a number keeps in a download, by the unit its column name ends with (STYLE: the unit is the suffix).
# Any other number keeps 10 significant digits: enough for every value in data/, and no binary noise
# (13.267800000000001 is written 13.2678).
PRECISION = {
    "_km": 0,
    "_pct": 2,
    "_kg_per_vehicle": 0,
    "_kg": 0,
    "_t": 1,
    "_days": 1,
    "_hours": 1,
    "_count": 0,
    "_units": 0,
    "_units_per_year": 0,
    "_usd": 0,
    "_per_car": 0,
    "_knots": 1,
}
SIGNIFICANT_DIGITS = 10
BOM = "\ufeff"


def decimals_of(column: str) -> int | None:
    """The decimals a column's numbers are rounded to in a download (None: 10 significant digits)."""
    for suffix, digits in sorted(PRECISION.items(), key=lambda kv: -len(kv[0])):
        if str(column).endswith(suffix):
            return digits
    return None


def number_text(value: Any, decimals: int | None = None) -> str:
    """A number as a download writes it: rounded to `decimals` (else 10 significant digits), no trailing '.0'."""
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    x = float(value)
    if not math.isfinite(x):
        return ""
    x = round(x, decimals) if decimals is not None else float(f"{x:.{SIGNIFICANT_DIGITS}g}")
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def csv_text(frame: pd.DataFrame) -> str:
    """A frame as a download's CSV text: a byte-order mark, one header row, numbers rounded to their precision
    (`decimals_of` each column), "\\n" line ends. Text is written as it is (neutralise it first)."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            digits = decimals_of(str(col))
            out[col] = [number_text(v, digits) for v in out[col]]
        elif out[col].dtype == object:
            out[col] = [number_text(v) if isinstance(v, float) and not is_missing(v) else v for v in out[col]]
    return BOM + out.to_csv(index=False, lineterminator="\n")


def download_name(name: str, ext: str = "csv") -> str:
    """A download's file name: report, subject, table, data version (`flows-renault_korea_busan-lanes-data-0.3.0.csv`),
    from this report's provenance; the table's name alone when the report named none."""
    prov = provenance()
    parts = [_file_part(p) for p in (prov.report, prov.subject, name) if p]
    stem = "-".join(p for p in parts if p) or "table"
    if prov.data_version:
        stem += f"-data-{_file_part(prov.data_version)}"
    return f"{stem}.{ext}"


def _file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._]+", "_", str(text)).strip("._")[:60]


def resolved_sources(ids: Iterable[str]) -> list[dict[str, str]]:
    """Each source id with its publisher, title, date and URL (from this report's provenance; an id the data does
    not hold says so)."""
    known = provenance().sources
    out = []
    for sid in ids:
        s = known.get(sid)
        if s is None:
            out.append(
                {"source_id": sid, "title": sid, "publisher": "", "date": "", "path": "", "note": "not in sources.csv"}
            )
        else:
            out.append({"source_id": sid, **{k: str(v) for k, v in s.items()}})
    return out


def download_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The values of `frame` as a download holds them: numbers as numbers, dates as ISO dates, lists of source ids
    joined by ";", booleans as true/false, geometry left out, text neutralised for spreadsheets."""
    out = pd.DataFrame(index=range(len(frame)))
    for col in frame.columns:
        values = frame[col].reset_index(drop=True)
        if str(values.dtype) == "geometry" or col == "geometry":
            continue
        if pd.api.types.is_bool_dtype(values):
            out[col] = values.map(lambda v: pd.NA if is_missing(v) else ("true" if v else "false")).astype("string")
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[col] = values.map(lambda v: pd.NA if is_missing(v) else _iso(v)).astype("string")
        elif pd.api.types.is_numeric_dtype(values):
            out[col] = values
        else:
            out[col] = [_cell(v) for v in values]
    return spreadsheet_safe(out)


def _iso(value: Any) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp:%Y-%m-%d}" if stamp == stamp.normalize() else stamp.isoformat()


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value if not is_missing(v))
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return _iso(value)
    return pd.NA if is_missing(value) else value


def _cited_in(frame: pd.DataFrame) -> list[str]:
    """Source ids named in the columns of `frame` that hold them (`source_id`, `*_source_id`, `source_ids`...)."""
    ids: list[str] = []
    for col in frame.columns:
        if col == "source_ids" or col.endswith("source_id") or col.endswith("source_ids"):
            for v in frame[col]:
                items = v if isinstance(v, list | tuple | set) else [v]
                ids += [str(x) for x in items if not is_missing(x) and str(x)]
    return ids


def _field_type(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_integer_dtype(values):
        return "integer"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    present = [v for v in values if not is_missing(v)]
    if present and all(isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in present):
        return "date"
    if present and all(v in ("true", "false") for v in present):
        return "boolean"
    return "string"


def data_package(
    frame: pd.DataFrame, name: str, title: str = "", source_ids: Iterable[Any] = (), labels: Mapping[str, str] = {}
) -> dict[str, Any]:
    """A Frictionless data package describing the download of `frame` (already a download frame): its file
    (`download_name`), each column's type, title and rounding, every cited source resolved."""
    prov = provenance()
    ids = sorted({str(s) for s in source_ids if not is_missing(s) and str(s)})
    fields = []
    for col in frame.columns:
        field: dict[str, Any] = {"name": str(col), "type": _field_type(frame[col])}
        if labels.get(col):
            field["title"] = labels[col]
        if field["type"] == "number":
            digits = decimals_of(str(col))
            field["description"] = (
                f"rounded to {digits} decimal{'s' if digits != 1 else ''}"
                if digits is not None
                else f"rounded to {SIGNIFICANT_DIGITS} significant digits"
            )
        fields.append(field)
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "table",
        "title": title or name,
        "version": prov.data_version,
        "evsupply_content_hash": prov.content_hash,
        "as_of_date": prov.as_of,
        "licenses": [LICENCE],
        "evsupply_report": prov.report,
        "evsupply_subject": prov.subject,
        "sources": resolved_sources(ids),
        "resources": [
            {
                "name": re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "table",
                "path": download_name(name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",  # UTF-8 with a byte-order mark
                "schema": {"fields": fields},
            }
        ],
    }
    return package


def downloads(
    frame: pd.DataFrame,
    name: str,
    title: str = "",
    source_ids: Iterable[Any] = (),
    labels: Mapping[str, str] = {},
    label: str = "Download CSV",
) -> str:
    """The links that save a table's or chart's data: its CSV and its data package (`download_name`)."""
    data = download_frame(frame)
    csv = csv_text(data)
    package = json.dumps(data_package(data, name, title, source_ids, labels), separators=(",", ":"), ensure_ascii=False)
    return (
        download_link(csv, download_name(name), label)
        + " · "
        + download_link(
            package, download_name(name, "datapackage.json"), "metadata (JSON)", "application/json", "evsupply-metadata"
        )
    )


def download_link(
    content: str,
    filename: str,
    label: str = "Download CSV",
    mediatype: str = "text/csv",
    css: str = "evsupply-download",
) -> str:
    """A link that saves `content` as `filename`: the data travels in the page (works offline from a saved file)."""
    href = f"data:{mediatype};charset=utf-8," + urllib.parse.quote(content, safe="")
    return f'<a class="{css}" download="{esc(filename)}" href="{href}" data-filename="{esc(filename)}">{esc(label)}</a>'


def chart_note(data: pd.DataFrame, name: str, source_ids: Sequence[Any], note: str = "", title: str = "") -> Html:
    """The line under a chart: what it shows, its sources (linked) and its data as a download."""
    cited = [*source_ids, *_cited_in(data)]
    markup = (
        f'<p class="evsupply-chart-note">{esc(note)} '
        + (f"Sources: {cite_html(source_ids)} " if len(source_ids) else "")
        + downloads(data, name, title=title, source_ids=cited, label="Download the chart's data (CSV)")
        + "</p>"
    )
    return Html(markup, (note + cite_text(source_ids)).strip())


# --- findings and references -----------------------------------------------------------------------------------


def findings_block(items: Sequence[Finding], as_of: str = "", checked: str = "") -> Html:
    """The findings that open a report: each sentence with its evidence word (core.evidence) and its sources."""
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
        "content": provenance().content_hash,  # the data this report's kernel loaded (the render labels it so)
        "release": provenance().data_version,
    }
    return Html(
        markup, "Key findings" + (f" ({meta})" if meta else "") + "\n" + "\n".join(lines), {"evsupply": summary}
    )


def references_block(sources: pd.DataFrame) -> Html:
    """The references of a report: one anchored entry per source, linking to its URL; weak sources marked."""
    items, lines = [], []
    for row in sources.sort_values("source_id").itertuples():
        date = f"{row.published_date:%Y-%m-%d}" if not is_missing(row.published_date) else "undated"
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
