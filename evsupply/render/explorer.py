"""What the site shows around its reports, computed once per render from the data and the render records: the
headline line, the atlas map and the table of every case on the index, the search index, the sources page, the
"what changed" page and the links between a case and its pages (assets/site-data.js).

Nothing here decides a fact: the cases' rows come from `evsupply.analysis.cases.atlas.case_table` and
`evsupply.analysis.cases.state.state_of_play` on the edition's day (so the index says what the briefs say), the
map is `evsupply.figures.atlas.atlas_map`, the changes are `evsupply.data.changes`. This module lays them out as
plain data (lists of dicts of text) that the site's templates escape.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import evsupply
from evsupply.analysis.cases.atlas import capacity_of, case_table
from evsupply.analysis.cases.state import state_of_play
from evsupply.core import evidence
from evsupply.core.paths import data_dir
from evsupply.core.tables import Tables, names
from evsupply.data.changes import ChangesError, changes
from evsupply.data.metadata.labels import BOUND_WORDS, RELATIONSHIP_WORDS
from evsupply.data.schema import tables as schema_tables
from evsupply.figures.atlas import atlas_map
from evsupply.figures.ownership import country_name
from evsupply.findings.batteries import cells_from
from evsupply.pages.html import safe_url
from evsupply.render.manifest import Report

# The report whose page is a case's own page (one per row of cases.csv, from the manifest's matrix).
CASE_NOTEBOOK = "brief.ipynb"
# Report parameters that name a plant, a model or a company: a report with one of a case's is about that case.
PLANT_PARAMETERS = ("origin", "plant", "plants", "compare_with")
MODEL_PARAMETERS = ("model",)
COMPANY_PARAMETERS = ("company",)
CASE_PARAMETERS = ("case", "cases")
STATUS_ORDER = {"exporting": 0, "producing": 1, "announced": 2, "stopped": 3}
# Countries of plants whose names neither the markets table nor the figures' list gives (ISO 3166 short names).
MORE_COUNTRIES = {"POL": "Poland", "BEL": "Belgium", "SVK": "Slovakia", "RUS": "Russia", "UZB": "Uzbekistan"}
SOURCE_COLUMNS = re.compile(r"(^|_)source_ids?$")
TEXT_COLUMNS = ("note", "method", "comparator_method")  # prose that may name a further source by its id


@dataclass
class Explorer:
    """The site's own data for one edition (one day)."""

    day: str
    headline: str
    cases: list[dict[str, Any]]
    map_figure: dict[str, Any] | None
    search: list[dict[str, str]]
    sources: list[dict[str, Any]]
    changes: dict[str, Any]
    nav: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple | set):
        return list(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return []
    return [value]


def fold(text: str) -> str:
    """Text as the search compares it: lower case, accents dropped ('Camaçari' is found by 'camacari')."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _country(code: Any, markets: Mapping[str, str]) -> str:

    code = str(code)
    return MORE_COUNTRIES.get(code) or country_name(code, dict(markets))


def _pct(value: float | None) -> str:
    return "unknown" if value is None or pd.isna(value) else f"{value:g}%"


def _day(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def case_pages(reports: Sequence[Report], records: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """The page of each case (its brief), by case id, for the reports that rendered."""
    out = {}
    for r in reports:
        case = r.parameters.get("case")
        if r.notebook.name == CASE_NOTEBOOK and isinstance(case, str):
            html_page = (records.get(r.name) or {}).get("html")
            if html_page:
                out.setdefault(case, str(html_page))
    return out


def case_rows(tables: Tables, day: str, pages: Mapping[str, str]) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """One row per case on `day`, as the index table shows it, and the case table the map draws (case_table with
    the plant's place, capacity and names)."""

    frame = case_table(tables, day)
    plants = tables["plants"].set_index("plant_id")
    companies = names(tables, "companies", "company_id", "company_name")
    markets = names(tables, "markets", "market_id", "market_name")
    frame["longitude"] = frame["plant_id"].map(plants["longitude"])
    frame["latitude"] = frame["plant_id"].map(plants["latitude"])
    frame["plant_name"] = frame["plant_id"].map(plants["plant_name"])
    frame["capacity_units"] = [capacity_of(tables, p, day) for p in frame["plant_id"]]
    rows = []
    for case in frame.itertuples():
        state = state_of_play(tables, case.case_id, day)
        cells = cells_from(tables, state.model_id, state.plant_id, day)
        sold, duty = [], []
        for m in state.markets:
            if m.is_allowed and m.barred_from_model_year is None:
                sold.append(f"{m.market_name}: yes")
            elif m.is_allowed:
                sold.append(f"{m.market_name}: yes, not from model year {m.barred_from_model_year}")
            else:
                sold.append(f"{m.market_name}: no")
            if m.china_access is not None:
                text = f"{m.market_name} {_pct(m.duty_pct)} against {_pct(m.china_duty_pct)}"
            else:
                text = f"{m.market_name} {_pct(m.duty_pct)}"
            duty.append(text)
        count, count_sort = "none found", -1.0
        if state.count is not None:
            c = state.count
            bound = BOUND_WORDS.get(str(c["bound"]), "")
            age = state.count_age_months
            count = (
                f"{bound}{int(c['vehicles_count']):,} ({c['period_end']:%Y}, {age} month{'s' if age != 1 else ''} old)"
            )
            count_sort = float(c["vehicles_count"])
        method = str(plants.at[case.plant_id, "location_method"]) if case.plant_id in plants.index else ""
        rows.append(
            {
                "case_id": case.case_id,
                "case_name": case.case_name,
                "href": pages.get(case.case_id, ""),
                "country": _country(case.country_code, markets),
                "maker": str(companies.get(case.brand_id, case.brand_id)),
                "china_link": str(companies.get(case.china_link_id, case.china_link_id)),
                "plant": str(case.plant_name),
                "model": state.model_name or "",
                "relationship": RELATIONSHIP_WORDS.get(case.relationship, str(case.relationship)),
                "status": str(case.status),
                "status_sort": STATUS_ORDER.get(str(case.status), 9),
                "sold": "; ".join(sold) or "no market named",
                "duty": "; ".join(duty) or "–",
                "count": count,
                "count_sort": count_sort,
                "cells": f"{cells.text.removeprefix('Cells from: ')} ({evidence.word(cells.evidence)})",
                "location": "estimated" if str(plants.at[case.plant_id, "location_basis"]) == "estimated" else "exact",
                "location_method": method,
                "duty_avoided": [
                    m.china_duty_pct - m.duty_pct
                    for m in state.markets
                    # where the car may be sold (a barred route avoids nothing)
                    if m.china_access is not None
                    and m.duty_pct is not None
                    and m.china_duty_pct is not None
                    and m.is_allowed
                    and not m.is_barred
                ],
            }
        )
    return rows, frame


def headline(rows: Sequence[Mapping[str, Any]]) -> str:
    """One line of headline numbers: how many cases, in how many countries, by status, and in how many of the
    markets compared (where the car may be sold) building outside China lowers the duty against the China-built
    car, and by how many points (each number counted from the case rows)."""
    if not rows:
        return "No case is recorded."
    statuses = pd.Series([r["status"] for r in rows]).value_counts()
    by_status = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items(), key=lambda x: STATUS_ORDER.get(x[0], 9)))
    countries = len({r["country"] for r in rows})
    plants = "plant" if len(rows) == 1 else "plants"
    where = "country" if countries == 1 else "countries"
    text = f"{len(rows)} China-linked car {plants} outside China in {countries} {where} ({by_status})"
    compared = [a for r in rows for a in r["duty_avoided"]]
    cuts = [a for a in compared if a > 0]
    if cuts:
        text += (
            f"; building there instead of in China lowers the import duty in {len(cuts)} of the {len(compared)} "
            f"markets compared, by {min(cuts):g} to {max(cuts):g} points"
        )
    return text + "."


def map_figure(frame: pd.DataFrame, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The atlas map of the cases, its hover saying how precise each location is and that a click opens the case."""

    by_id = {r["case_id"]: r for r in rows}
    fig = atlas_map(frame, title="")
    fig.update_layout(height=900, margin={"l": 0, "r": 0, "t": 28, "b": 0}, title=None)
    figure = json.loads(fig.to_json())  # with its template: the index has no report.js to put it back
    for trace in figure.get("data", []):
        ids = trace.get("customdata")
        hover = trace.get("hovertext")
        if not ids or not isinstance(hover, list):
            continue
        texts = []
        for case_id, text in zip(ids, hover, strict=True):
            row = by_id.get(str(case_id), {})
            where = "location estimated (no source gives coordinates)" if row.get("location") == "estimated" else ""
            text = re.sub(r"<br>id [^<]*$", "", str(text))
            texts.append(
                text
                + (f"<br>{html.escape(where)}" if where else "")
                + ("<br>click to open the case" if row.get("href") else "")
            )
        trace["hovertext"] = texts
    return figure


def related(reports: Sequence[Report], tables: Tables) -> dict[str, list[str]]:
    """The case ids each report is about: its `case`, or a plant, model or company of a case among its
    parameters (a report about every case, such as the atlas, is about none in particular)."""
    cases = tables["cases"]
    production = tables["production"]
    models_at = production.groupby("plant_id")["model_id"].agg(lambda s: set(s.dropna()))
    plants = tables["plants"].set_index("plant_id")
    out: dict[str, list[str]] = {}
    for r in reports:
        p = r.parameters
        named = {
            k: {str(v) for v in _as_list(p.get(k))}
            for k in (*PLANT_PARAMETERS, *MODEL_PARAMETERS, *COMPANY_PARAMETERS, *CASE_PARAMETERS)
        }
        found = []
        for c in cases.itertuples():
            operator = str(plants.at[c.plant_id, "operator_id"]) if c.plant_id in plants.index else ""
            models = models_at.get(c.plant_id, set())
            if (
                any(c.case_id in named[k] for k in CASE_PARAMETERS)
                or any(c.plant_id in named[k] for k in PLANT_PARAMETERS[:3])
                or any(m in named["model"] for m in models)
                or named["company"] & {str(c.brand_id), operator}
            ):
                found.append(str(c.case_id))
        out[r.name] = found
    return out


def search_index(
    tables: Tables, rows: Sequence[Mapping[str, Any]], reports: Sequence[Report], records: Mapping[str, Any]
) -> list[dict[str, str]]:
    """What the index's search box looks through: every case, plant, company, model and source, each with the
    text it is found by (folded: lower case, no accents) and the page it opens."""
    items: list[dict[str, str]] = []
    for r in rows:
        items.append(
            {
                "kind": "case",
                "label": r["case_name"],
                "detail": f"{r['maker']} · {r['country']} · {r['status']}",
                "href": r["href"] or f"#case-{r['case_id']}",
                "text": fold(
                    " ".join([r["case_name"], r["maker"], r["country"], r["plant"], r["model"], r["china_link"]])
                ),
            }
        )
    by_plant = {r["case_id"]: r for r in rows}
    cases = tables["cases"]
    plant_case = {str(c.plant_id): by_plant.get(str(c.case_id)) for c in cases.itertuples()}
    ok = {name for name, rec in records.items() if (rec or {}).get("html")}
    company_page = {}
    for r in reports:
        company = r.parameters.get("company")
        if r.notebook.name == "ownership.ipynb" and isinstance(company, str) and r.name in ok:
            company_page.setdefault(company, r.page)
    for p in tables["plants"].itertuples():
        case = plant_case.get(str(p.plant_id))
        items.append(
            {
                "kind": "plant",
                "label": str(p.plant_name),
                "detail": " · ".join(
                    x for x in (str(p.city_name) if pd.notna(p.city_name) else "", str(p.country_code)) if x
                ),
                "href": (case or {}).get("href") or ("atlas.html" if "atlas" in ok else ""),
                "text": fold(f"{p.plant_name} {p.city_name if pd.notna(p.city_name) else ''} {p.country_code}"),
            }
        )
    brand_case = {}
    for r in rows:
        brand_case.setdefault(r["maker"], r)
    for c in tables["companies"].itertuples():
        name = str(c.company_name)
        case = brand_case.get(name)
        href = company_page.get(str(c.company_id)) or (case or {}).get("href") or ""
        if not href:
            continue  # a company no page is about: nothing to open
        items.append({"kind": "company", "label": name, "detail": "", "href": href, "text": fold(name)})
    model_case = {r["model"]: r for r in rows if r["model"]}
    for m in tables["models"].itertuples():
        case = model_case.get(str(m.model_name))
        href = (case or {}).get("href") or next(
            (rep.page for rep in reports if rep.parameters.get("model") == m.model_id and rep.name in ok), ""
        )
        if href:
            items.append(
                {
                    "kind": "model",
                    "label": str(m.model_name),
                    "detail": "",
                    "href": href,
                    "text": fold(str(m.model_name)),
                }
            )
    for s in tables["sources"].itertuples():
        items.append(
            {
                "kind": "source",
                "label": str(s.title),
                "detail": f"{s.publisher} · {_day(s.published_date) or 'undated'}",
                "href": f"sources.html#{source_anchor(str(s.source_id))}",
                "text": fold(f"{s.publisher} {s.title} {s.source_id}"),
            }
        )
    return items


def source_anchor(source_id: str) -> str:
    """The id of a source's entry on the sources page (the reports' own rule for their references)."""
    return "src-" + re.sub(r"[^a-z0-9_]", "-", source_id.lower())


def citing_rows(tables: Tables) -> dict[str, list[str]]:
    """For each source id, the table rows that cite it ('plants: renault_korea_busan', by primary key): in a
    source column, or named in a note or method (where a row cites a second source in its text)."""

    keys = {t.name: list(t.primary_key or ()) for t in schema_tables().values()}
    known = set(tables["sources"]["source_id"].astype(str))
    out: dict[str, list[str]] = {}
    for name, frame in tables.items():
        if name == "sources" or frame.empty:
            continue
        key = [k for k in keys.get(name, []) if k in frame.columns] or list(frame.columns[:1])
        labels = [
            f"{name}: " + " | ".join(_key_text(v) for v in values) for values in frame[key].itertuples(index=False)
        ]
        for col in frame.columns:
            is_source = bool(SOURCE_COLUMNS.search(str(col)))
            if not is_source and col not in TEXT_COLUMNS:
                continue
            for label, cell in zip(labels, frame[col], strict=True):
                if is_source:
                    ids = [str(x) for x in _as_list(cell)]
                elif isinstance(cell, str):
                    ids = [t for t in re.findall(r"[a-z0-9][a-z0-9_]{5,}", cell) if t in known]
                else:
                    continue
                for sid in ids:
                    listed = out.setdefault(sid, [])
                    if label not in listed:
                        listed.append(label)
    return out


def _key_text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    return f"{pd.Timestamp(value):%Y-%m-%d}" if isinstance(value, pd.Timestamp | dt.date) else str(value)


def source_rows(tables: Tables) -> list[dict[str, Any]]:
    """Every source with its publisher, title, date, URL, kind and the rows that cite it."""

    cited = citing_rows(tables)
    out = []
    for s in tables["sources"].sort_values("source_id").itertuples():
        out.append(
            {
                "source_id": str(s.source_id),
                "anchor": source_anchor(str(s.source_id)),
                "publisher": str(s.publisher),
                "title": str(s.title),
                "date": _day(s.published_date) or "undated",
                "accessed": _day(s.accessed_date),
                "url": safe_url(s.url) or "",
                "url_text": "" if pd.isna(s.url) else str(s.url),
                "kind": str(s.source_kind).replace("_", " "),
                "rows": cited.get(str(s.source_id), []),
            }
        )
    return out


def changelog_sections(text: str) -> list[dict[str, Any]]:
    """data/CHANGELOG.md as sections (a version heading, then paragraphs and bullet lists as plain text)."""
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    block: list[str] = []
    kind = ""

    def flush() -> None:
        nonlocal block, kind
        if block and current is not None:
            current["blocks"].append({"kind": kind or "p", "items": block})
        block, kind = [], ""

    for line in text.splitlines():
        if line.startswith("## "):
            flush()
            current = {"title": line[3:].strip(), "blocks": []}
            sections.append(current)
        elif line.startswith("# "):
            continue
        elif not line.strip():
            flush()
        elif line.startswith("- "):
            if kind != "ul":
                flush()
                kind = "ul"
            block.append(line[2:].strip())
        elif line.startswith("  ") and block:
            block[-1] += " " + line.strip()
        else:
            if kind == "ul":
                flush()
            kind = "p"
            if block:
                block[-1] += " " + line.strip()
            else:
                block.append(line.strip())
    flush()
    return sections


def data_changes(folder: Path, sections: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The counts `evsupply changes --since <commit>` gives for the commit the latest changelog entry names (rows
    added, removed and changed per table), or why they cannot be given (no git history, e.g. an installed copy)."""

    since = ""
    for section in sections[:1]:
        for block in section["blocks"]:
            for item in block["items"]:
                found = re.search(r"evsupply changes --since ([0-9a-f]{6,40})", item)
                if found and not since:
                    since = found.group(1)
    if not since:
        return {"since": "", "tables": [], "error": "the latest changelog entry names no commit to compare with"}
    try:
        found = changes(since, folder)
    except (ChangesError, OSError) as exc:
        return {"since": since, "tables": [], "error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}
    tables = []
    for name, t in found.groupby("table", sort=True):
        rows = t[t["key"].ne("") & t["column"].eq("")]
        tables.append(
            {
                "table": str(name),
                "added": int(rows["change"].eq("added").sum()),
                "removed": int(rows["change"].eq("removed").sum()),
                "changed": int(t.loc[t["change"].eq("changed") & t["key"].ne(""), "key"].nunique()),
            }
        )
    return {"since": since, "tables": tables, "error": ""}


def nav_data(
    reports: Sequence[Report], records: Mapping[str, Any], tables: Tables, rows: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """What assets/site-data.js tells every page: each page's title and cases, each case's name and page."""
    about = related(reports, tables)
    ok = {name for name, rec in records.items() if (rec or {}).get("html")}
    pages = {
        r.page: {"title": r.title, "cases": about.get(r.name, []), "case_page": r.notebook.name == CASE_NOTEBOOK}
        for r in reports
        if r.name in ok
    }
    cases = {r["case_id"]: {"name": r["case_name"], "href": r["href"]} for r in rows}
    return {"pages": pages, "cases": cases}


def build(
    reports: Sequence[Report], records: Mapping[str, Mapping[str, Any]], day: str, tables: Tables | None = None
) -> Explorer:
    """The site's own data for the edition's `day`."""

    tables = tables if tables is not None else evsupply.load()
    pages = case_pages(reports, records)
    rows, frame = case_rows(tables, day, pages)
    notes = []
    try:
        figure = map_figure(frame, rows)
    except Exception as exc:  # a map that cannot be drawn leaves the table and the search
        figure, notes = None, [f"The map could not be drawn: {type(exc).__name__}: {exc}"]
    folder = data_dir()
    try:
        log = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    except OSError:
        log = ""
    sections = changelog_sections(log)
    return Explorer(
        day=day,
        headline=headline(rows),
        cases=sorted(rows, key=lambda r: (r["status_sort"], r["country"], r["case_name"])),
        map_figure=figure,
        search=search_index(tables, rows, reports, records),
        sources=source_rows(tables),
        changes={"sections": sections, **data_changes(folder, sections)},
        nav=nav_data(reports, records, tables, rows),
        notes=notes,
    )


def script_json(value: Any) -> str:
    """JSON to place inside a <script> element: no '<' can close it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str).replace("<", "\\u003c")
