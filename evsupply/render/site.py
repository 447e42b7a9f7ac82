"""The report list, `<site>/index.html`: every report of the manifest with its latest render record.

The records travel inside the page (a JSON <script>), so a later `--only` render, even on another
clone, still knows how every other report was last rendered.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evsupply.io import write_atomic
from evsupply.render.manifest import Report

RECORDS_ID = "evsupply-render-records"
_RECORDS_RE = re.compile(
    rf'<script type="application/json" id="{RECORDS_ID}">(.*?)</script>', re.DOTALL
)

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid #ddd; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #26734d; } .failed { color: #b3261e; } .stale { color: #8a5a00; } .missing { color: #666; }
code { font-size: 90%; }
"""


def read_records(index: Path) -> dict[str, dict[str, Any]]:
    """The records embedded in an existing index page, by report name ({} if none)."""
    try:
        match = _RECORDS_RE.search(index.read_text(encoding="utf-8"))
        return {r["name"]: r for r in json.loads(match.group(1))} if match else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def merge_records(
    previous: dict[str, dict[str, Any]], results: Iterable[dict[str, Any]], site: Path
) -> dict[str, dict[str, Any]]:
    """New records over old ones; a failure keeps a pointer to the last good render, whose HTML is kept."""
    merged = dict(previous)
    for new in results:
        old = previous.get(new["name"])
        record = dict(new)
        if new["status"] != "ok":
            last_good = None
            if old is not None:
                last_good = old.get("last_good") if old["status"] != "ok" else {
                    k: old.get(k) for k in ("rendered_at", "data_version", "parameters", "html")}
            if last_good and (site / str(last_good.get("html"))).is_file():
                record["last_good"] = last_good
                record["html"] = last_good["html"]
            else:
                record["html"] = None
        merged[new["name"]] = record
    return merged


def _status_cell(record: dict[str, Any] | None) -> str:
    if record is None:
        return '<td class="missing">not rendered yet</td>'
    if record["status"] == "ok":
        return '<td class="ok">ok</td>'
    text = f'<span class="failed">failed: {html.escape(record.get("error") or "")}</span>'
    if record.get("last_good"):
        good = record["last_good"]
        text += (f'<br><span class="stale">stale: showing the render of {html.escape(str(good["rendered_at"]))}'
                 f' (data {html.escape(str(good["data_version"]))})</span>')
    if record.get("failed_notebook"):
        text += f'<br>executed notebook: <code>{html.escape(record["failed_notebook"])}</code>'
    return f"<td>{text}</td>"


def _row(report: Report, record: dict[str, Any] | None, current_data: str) -> str:
    title = html.escape(report.title)
    href = record.get("html") if record else None
    link = f'<a href="{html.escape(href)}">{title}</a>' if href else title
    params = html.escape(", ".join(f"{k}={v!r}" for k, v in report.parameters.items()))
    status = record["status"] if record else "missing"
    if record and record.get("last_good"):
        status = "stale"
    data = str(record.get("data_version", "")) if record else ""
    data_note = "" if not data or data == current_data else ' <span class="stale">(older data)</span>'
    duration = f'{record["duration_s"]:.1f} s' if record else ""
    rendered = html.escape(str(record.get("rendered_at", ""))) if record else ""
    return (
        f'<tr id="report-{html.escape(report.name)}" data-status="{status}">'
        f"<td>{link}</td><td><code>{params}</code></td>{_status_cell(record)}"
        f'<td class="num">{duration}</td><td>{rendered}</td><td><code>{html.escape(data)}</code>{data_note}</td></tr>'
    )


def index_html(reports: list[Report], records: dict[str, dict[str, Any]], current_data: str) -> str:
    """The index page for `reports` (manifest order) and their records."""
    rows = [_row(report, records.get(report.name), current_data) for report in reports]
    listed = [records[r.name] for r in reports if r.name in records]
    payload = json.dumps(listed, indent=1).replace("<", "\\u003c")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>evsupply reports</title>
<style>{STYLE}</style>
</head>
<body>
<h1>evsupply reports</h1>
<p>Data version now: <code>{html.escape(current_data)}</code> (a hash of <code>data/</code>).</p>
<table>
<thead><tr><th>Report</th><th>Parameters</th><th>Status</th><th>Duration</th><th>Rendered (UTC)</th>
<th>Data version</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<script type="application/json" id="{RECORDS_ID}">{payload}</script>
</body>
</html>
"""


def write_index(site: Path, reports: list[Report], results: Iterable[dict[str, Any]], current_data: str) -> None:
    """Merge `results` into the records of `<site>/index.html` and rewrite it."""
    index = site / "index.html"
    records = merge_records(read_records(index), results, site)
    write_atomic(index, index_html(reports, records, current_data))
