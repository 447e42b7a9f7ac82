"""A report's "download everything" zip: its CSVs, its data package and a README with how to cite them,
byte-identical from one render to the next."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from typing import Any

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the bytes depend on the files alone
LICENCE_WORDS = "Creative Commons Attribution 4.0 (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/"


def bundle_name(report: str, data_version: str) -> str:
    """The zip's file name: the report (with its case or subject) and the data version."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", report).strip("._") or "report"
    version = re.sub(r"[^A-Za-z0-9._-]+", "_", data_version).strip("._")
    return f"{stem}-data-{version}.zip" if version else f"{stem}.zip"


def citation(title: str, report: str, day: str, version: str, content_hash: str) -> str:
    """How to cite a report's data, in one line."""
    what = f"evsupply contributors, “{title}” (report {report})"
    when = f", read on {day}" if day else ""
    data = f", data version {version}" if version else ""
    content = f" (content {content_hash})" if content_hash else ""
    return f"{what}{when}{data}{content}. Licence: CC BY 4.0."


def bundle_readme(package: Mapping[str, Any], title: str, report: str, day: str) -> str:
    """The README of a report's zip: what each file holds, where the numbers come from, how to cite them."""
    version = str(package.get("version") or "")
    content_hash = str(package.get("evsupply_content_hash") or "")
    lines = [
        f"# {title}",
        "",
        f"The data behind the evsupply report `{report}`" + (f", read on {day}" if day else "") + ".",
        f"Data version {version or 'unknown'}" + (f" (content hash {content_hash})" if content_hash else "") + ".",
        "",
        "## Files",
        "",
    ]
    for r in package.get("resources", []):
        lines.append(f"- `{r.get('path')}`: {r.get('title') or r.get('name')}")
    lines += [
        "- `datapackage.json`: every file's columns (type, title, rounding) and every source the files cite, with its",
        "  publisher, title, date and URL (Frictionless data package).",
        "",
        "The CSV files are UTF-8 with a byte-order mark (spreadsheets keep accents intact), one header row, numbers",
        "rounded to their precision (as datapackage.json says per column), ISO dates, source ids joined by `;`.",
        "Each source id resolves in datapackage.json (`sources`) and on the site's sources page (sources.html).",
        "",
        "## How to cite",
        "",
        citation(title, report, day, version, content_hash),
        "",
        f"Licence: {LICENCE_WORDS}. Cite the original sources too when you quote a number.",
        "",
    ]
    return "\n".join(lines)


def report_bundle(files: Mapping[str, bytes | str], title: str, report: str, day: str) -> bytes:
    """A report's "download everything" zip: `files` (its CSVs and datapackage.json, by name) and a README.md;
    deterministic (sorted names, fixed times and permissions)."""
    try:
        package = json.loads(files.get("datapackage.json") or "{}")
    except ValueError:
        package = {}
    content = {name: (data.encode("utf-8") if isinstance(data, str) else data) for name, data in files.items()}
    content["README.md"] = bundle_readme(package, title, report, day).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(content):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix: the same bytes on every machine
            archive.writestr(info, content[name], compresslevel=9)
    return out.getvalue()
