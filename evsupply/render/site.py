"""The site folder: its marker, its lock, its render records and its report list (`index.html`).

    <site>/index.html              the report list (templates/site/index.html.j2), rewritten after every render
    <site>/<name>.html             one page per report; assets/ holds what they share
    <site>/data/<name>/            the report's data as one Frictionless data package: every table's and chart's
                                   CSV download and a datapackage.json describing them all
    <site>/.evsupply/site.json     the marker: this folder is an evsupply site, so render may write it
    <site>/.evsupply/records.json  the latest render record of every report, so a later `--only` render, even
                                   on another clone, still knows how every other report was last rendered
    <site>/.evsupply/lock          held (flock) by the render writing the site; it names that render's pid

`render` writes only into a folder that is new, empty (a README aside), already marked, or an evsupply site
from before the marker (its records are then read once from its index page); any other folder is refused.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import re
import shutil
import socket
import urllib.parse
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import pandas as pd

from evsupply.core import evidence
from evsupply.core.io import sweep_temps, temp_path, why_not_creatable, write_atomic
from evsupply.core.paths import data_dir, data_release
from evsupply.data import release
from evsupply.pages.html import csv_text
from evsupply.render import explorer as explorer_mod
from evsupply.render.assets import asset_texts
from evsupply.render.bundle import bundle_name, report_bundle
from evsupply.render.errors import RenderBusyError, SiteError
from evsupply.render.explorer import Explorer
from evsupply.render.manifest import NOTEBOOKS_DIR, Report, day_words

META_DIR = ".evsupply"
MARKER = "site.json"
RECORDS = "records.json"
LOCK = "lock"
FORMAT = 1
# Files a folder may hold and still count as empty: a placeholder such as the repository's reports/README.md.
PLACEHOLDERS = frozenset({"README", "README.md", "README.txt", ".gitignore", ".gitkeep"})
TEMPLATES = Path(__file__).parent / "templates" / "site"
# Sites written before the marker kept their records in the index page; read once, when such a site is adopted.
_LEGACY_RECORDS_RE = re.compile(
    r'<script type="application/json" id="evsupply-render-records">(.*?)</script>', re.DOTALL
)


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class Site:
    """One report site folder."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).absolute()
        self.meta = self.path / META_DIR

    def __str__(self) -> str:
        return str(self.path)

    # -- is it ours? ------------------------------------------------------------------------------------------

    def is_marked(self) -> bool:
        """True if the folder carries the evsupply site marker."""
        return (self.meta / MARKER).is_file()

    def _legacy_records(self) -> dict[str, dict[str, Any]] | None:
        """The records in an index page written before the marker existed, or None if it is not one."""
        try:
            match = _LEGACY_RECORDS_RE.search((self.path / "index.html").read_text(encoding="utf-8"))
            return {r["name"]: r for r in json.loads(match.group(1))} if match else None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return None

    def check(self) -> None:
        """Raise SiteError unless render may write here; changes nothing on disk."""
        path = self.path
        if path.exists() and not path.is_dir():
            raise SiteError(f"site folder {path} is a file, not a folder")
        if not path.exists():
            reason = why_not_creatable(path)
            if reason:
                raise SiteError(f"cannot create the site folder {path}: {reason}")
            return
        if self.meta.exists() and not self.meta.is_dir():
            raise SiteError(f"{self.meta} is not a folder: {path} is not an evsupply site")
        if self.is_marked():
            if not os.access(path, os.W_OK | os.X_OK):
                raise SiteError(f"site folder {path} is not writable")
            return
        if self.meta.is_dir() and any(self.meta.iterdir()):
            # An unmarked .evsupply/ with content is someone else's folder: refused before the marker is written
            raise SiteError(f"{self.meta} exists without the evsupply site marker: {path} is not an evsupply site")
        try:
            others = sorted(set(os.listdir(path)) - PLACEHOLDERS - {META_DIR})  # a marker not yet written
        except OSError as exc:
            raise SiteError(f"cannot read the site folder {path}: {_reason(exc)}") from None
        if others and self._legacy_records() is None:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            raise SiteError(
                f"{path} is not an evsupply site (no {META_DIR}/{MARKER}) and not empty ({shown}); "
                "render into a new or empty folder"
            )
        if not os.access(path, os.W_OK | os.X_OK):
            raise SiteError(f"site folder {path} is not writable")

    def create(self) -> None:
        """Create the folder and its marker (after `check`); adopt an unmarked older evsupply site's records."""
        try:
            self.meta.mkdir(parents=True, exist_ok=True)
            if not self.is_marked():
                legacy = self._legacy_records()
                if legacy and not (self.meta / RECORDS).exists():
                    self._write_records(legacy)
                write_atomic(self.meta / MARKER, json.dumps({"evsupply_site": FORMAT}) + "\n")
        except OSError as exc:
            raise SiteError(f"cannot write the site folder {self.path}: {_reason(exc)}") from None

    # -- one render at a time ---------------------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the site's lock, or raise RenderBusyError naming the render that holds it.

        An flock: the kernel releases it when its holder ends, however it ends, so a lock file left by a killed
        render is simply taken over. The descriptor is close-on-exec and the render process never forks
        without exec, so no other process inherits it.
        """
        path = self.meta / LOCK
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise SiteError(f"cannot open the lock {path}: {_reason(exc)}") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                    raise SiteError(f"cannot lock {path}: {_reason(exc)}") from None
                raise RenderBusyError(_busy_message(self.path, path, fd)) from None
            holder = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(holder) + "\n").encode(), 0)
            yield
        finally:
            os.close(fd)  # releases the flock

    def sweep(self) -> int:
        """Delete temporary files that dead writers left in the site (its own folders only)."""
        return sweep_temps(self.path, self.path / "assets", self.path / NOTEBOOKS_DIR, self.meta)

    # -- records and the report list --------------------------------------------------------------------------

    def records(self) -> dict[str, dict[str, Any]]:
        """The latest render record of each report, by name ({} for a new site)."""
        path = self.meta / RECORDS
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise SiteError(f"cannot read {path}: {exc}; delete it to start the report list afresh") from None
        if not isinstance(data, dict) or not isinstance(data.get("records"), dict):
            raise SiteError(f"{path} is not an evsupply records file; delete it to start the report list afresh")
        return data["records"]

    def _write_records(self, records: dict[str, dict[str, Any]]) -> None:
        text = json.dumps({"format": FORMAT, "records": records}, indent=1, sort_keys=True, default=str)
        write_atomic(self.meta / RECORDS, text + "\n")

    def update(
        self,
        reports: list[Report],
        results: Iterable[dict[str, Any]],
        current_data: str,
        early: Future[Explorer | None] | None = None,
    ) -> None:
        """Merge `results` into the records, then rewrite the records, the report list of `reports` and, for a
        site of case reports, the pages around them (sources, changes) and the links between them."""
        records = merge_records(self.records(), results, self.path)
        site_data = explore(reports, records, early)
        try:
            self._write_records(records)
            has_assets = (self.path / "assets" / "plotly.min.js").is_file()
            if site_data is not None:
                write_site_pages(self.path, site_data, current_data, write_js=has_assets)
            elif has_assets:  # every report page loads it: a site without cases has no links to add
                write_atomic(self.path / "assets" / "site-data.js", "window.evsupplySite = {};\n")
            page = index_html(
                reports,
                records,
                current_data,
                previews=has_assets,
                explorer=site_data,
                download=download_link(self.path),
            )
            write_atomic(self.path / "index.html", page)
        except OSError as exc:
            raise SiteError(f"cannot write the report list of {self.path}: {_reason(exc)}") from None


DATA_DIR = "data"


class _Downloads(HTMLParser):
    """The file name and content of every download link of a page (`<a class="evsupply-download" ...>` and its
    `evsupply-metadata` sibling), whatever the order of their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.files: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = str(found.get("class") or "").split()
        href, filename = str(found.get("href") or ""), str(found.get("download") or "")
        if tag != "a" or not {"evsupply-download", "evsupply-metadata"} & set(classes):
            return
        if href.startswith("data:") and "," in href and filename and "/" not in filename and filename[0] != ".":
            self.files.setdefault(filename, urllib.parse.unquote(href.split(",", 1)[1]))


def write_report_data(
    site: str | os.PathLike[str], name: str, page: str, title: str = "", day: str = "", data_version: str = ""
) -> Path:
    """Write the report's downloads (the `data:` links of its page) to `<site>/data/<name>/` as one data package:
    each CSV as it is, a datapackage.json whose resources are those of every download's own package, and the
    "download everything" zip of them all with a README (`evsupply.render.bundle.report_bundle`).

    The package is written whole into a hidden sibling folder, then swapped in by renames: a full disk or a kill
    leaves the old package as it was (and no partial new one), never a folder missing some of its files.
    """
    parser = _Downloads()
    parser.feed(page)
    folder = Path(site) / DATA_DIR / name
    folder.parent.mkdir(parents=True, exist_ok=True)
    _sweep_package_temps(folder)
    fresh = temp_path(folder)
    try:
        fresh.mkdir()
        _write_package(fresh, name, parser.files, title, day, data_version)
        _swap_in(fresh, folder)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
    return folder


def _write_package(folder: Path, name: str, files: dict[str, str], title: str, day: str, data_version: str) -> None:
    """The package's files in `folder`: the CSVs, the merged datapackage.json and the zip of them all."""
    written: dict[str, str] = {}
    package: dict[str, Any] = {}
    resources: list[dict[str, Any]] = []
    sources: dict[str, dict[str, Any]] = {}
    for filename, content in files.items():
        if filename.endswith(".datapackage.json"):
            one = json.loads(content)
            package = package or {k: v for k, v in one.items() if k not in ("name", "title", "resources", "sources")}
            resources += one.get("resources", [])
            sources.update({str(s.get("source_id")): s for s in one.get("sources", [])})
        elif filename.endswith(".csv"):
            write_atomic(folder / filename, content)
            written[filename] = content
    package.update(
        name=re.sub(r"[^a-z0-9._-]+", "-", name.lower()),
        title=name,
        sources=[sources[k] for k in sorted(sources)],
        resources=resources,
    )
    text = json.dumps(package, indent=1, ensure_ascii=False) + "\n"
    write_atomic(folder / "datapackage.json", text)
    version = data_version or str(package.get("version") or "")
    bundle = report_bundle({**written, "datapackage.json": text}, title or name, name, day)
    write_atomic(folder / bundle_name(name, version), bundle)


def _swap_in(fresh: Path, folder: Path) -> None:
    """Put the folder `fresh` in the place of `folder` (a table the report no longer has must not stay behind)."""
    if not folder.exists():
        os.replace(fresh, folder)
        return
    old = temp_path(folder)
    os.replace(folder, old)  # two renames apart: a kill between them leaves no package, never half of one
    try:
        os.replace(fresh, folder)
    except BaseException:
        os.replace(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _sweep_package_temps(folder: Path) -> None:
    """Remove the hidden package folders of `folder` that writers who have since died left behind."""
    for tmp in folder.parent.glob(f".{folder.name}.*.evsupply-tmp*"):
        match = _PACKAGE_TMP_RE.match(tmp.name)
        if match and tmp.is_dir() and not tmp.is_symlink() and not _alive(int(match.group(1))):
            shutil.rmtree(tmp, ignore_errors=True)


_PACKAGE_TMP_RE = re.compile(r"^\..*\.(\d+)-[0-9a-f]{8}\.evsupply-tmp$")


def read_records(site: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """The render records of the site folder `site`, by report name."""
    return Site(site).records()


def _busy_message(site: Path, lock: Path, fd: int) -> str:
    try:
        holder = json.loads(os.pread(fd, 4096, 0) or b"{}")
        pid = int(holder["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return f"another render is writing {site} (it holds {lock}); wait for it to finish"
    if _alive(pid):
        return (
            f"another render (pid {pid}, started {holder.get('started', '?')}) is writing {site}; "
            "wait for it to finish or stop it"
        )
    others = [p for p in _holders(lock) if p != os.getpid()]
    return (
        f"{lock} is held by process(es) {', '.join(map(str, others)) or '?'} left over from render pid {pid}, "
        "which has ended; stop them, then render again"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holders(path: Path) -> list[int]:
    """The processes that have `path` open (Linux /proc; [] elsewhere)."""
    target, pids = str(path.resolve()), []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if any(os.readlink(fd) == target for fd in (proc / "fd").iterdir()):
                pids.append(int(proc.name))
        except OSError:
            continue
    return sorted(pids)


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
                last_good = (
                    old.get("last_good")
                    if old.get("status") != "ok"
                    else {k: old.get(k) for k in ("rendered_at", "data_version", "parameters", "html")}
                )
            if last_good and (site / str(last_good.get("html"))).is_file():
                record["last_good"] = last_good
                record["html"] = last_good["html"]
            else:
                record["html"] = None
        merged[new["name"]] = record
    return merged


# The notebook of the case briefs: the index shows them first, each with its state of play.
BRIEF_NOTEBOOK = "brief.ipynb"
BRIEF_LINES = 5


def shown_finding(finding: Any) -> dict[str, str] | None:
    """A finding of a render record as the index shows it: its text, its evidence code and the vocabulary's word
    for it (records written before the vocabulary carry a data code in `basis`, mapped the same way); None if it
    is not a finding."""
    if not isinstance(finding, dict) or not finding.get("text"):
        return None
    code = str(finding.get("evidence") or finding.get("basis") or "")
    if code not in evidence.VOCABULARY:
        code = evidence.DATA_CODES.get(code, "")
    return {
        "text": str(finding["text"]),
        "evidence": code,
        "word": evidence.word(code) if code else "",
        "meaning": evidence.meaning(code) if code else "",
    }


def _row(report: Report, record: dict[str, Any] | None, current_data: str) -> dict[str, Any]:
    record = record or {}
    status = "missing" if not record else ("stale" if record.get("last_good") else str(record.get("status")))
    data = str(record.get("data_version") or "")
    findings = [f for f in map(shown_finding, record.get("findings") or []) if f]
    preview = record.get("preview")
    return {
        "name": report.name,
        "title": report.title,
        "question": report.question,
        "is_brief": report.notebook.name == BRIEF_NOTEBOOK,
        "lines": findings[:BRIEF_LINES],
        "headline": findings[0] if findings else None,
        "more": len(findings) - 1 if findings else 0,
        "facts": record.get("facts") or "",
        # JSON inside a <script> element: no "<" may close it; marked safe, the template does not escape it.
        "preview_json": markupsafe.Markup(json.dumps(preview, separators=(",", ":")).replace("<", "\\u003c"))
        if preview
        else None,
        "href": record.get("html"),
        "data_href": f"{DATA_DIR}/{report.name}/datapackage.json" if record.get("html") else None,
        "parameters": ", ".join(f"{k}={v!r}" for k, v in report.parameters.items()),
        "status": status,
        "ok": record.get("status") == "ok",
        "error": record.get("error") or "",
        "last_good": record.get("last_good") or None,
        "failed_notebook": record.get("failed_notebook"),
        "duration": f"{float(record.get('duration_s') or 0):.1f} s" if record else "",
        "rendered_at": record.get("rendered_at") or "",
        "data": data,
        "older_data": bool(data) and data != current_data,
    }


def explore(
    reports: list[Report], records: dict[str, dict[str, Any]], early: Future[Explorer | None] | None = None
) -> Explorer | None:
    """The site's own data (map, case table, search, sources, changes) when the site holds case briefs, read on
    the edition's day; None for a site without cases (the index is then the report list alone). `early` is the
    same data built while the reports rendered (`explore_early`), as if every report rendered: it is used when
    the records agree (every report it links has a page). A failure here leaves the report list without them:
    it is written to the terminal, not raised."""
    if not any(r.notebook.name == BRIEF_NOTEBOOK for r in reports):
        return None
    if early is not None:
        try:
            built = early.result()
        except Exception:
            built = None
        has_page = {r.page for r in reports if (records.get(r.name) or {}).get("html") == r.page}
        if built is not None and set(built.nav.get("pages", {})) == has_page:
            return built
    day = next((r.day for r in reports if r.day), "") or dt.date.today().isoformat()
    try:
        return explorer_mod.build(reports, records, day)
    except Exception as exc:  # the reports are rendered; the index must still list them
        print(f"evsupply render: the site's map, case table and search were not built: {type(exc).__name__}: {exc}")
        return None


def explore_early(reports: list[Report]) -> Future[Explorer | None] | None:
    """Start building the site's own data in a thread while the reports render (it reads the data, not the
    reports), as if every report renders; `explore` checks that assumption. None for a site without cases."""
    if not any(r.notebook.name == BRIEF_NOTEBOOK for r in reports):
        return None
    assumed = {r.name: {"html": r.page} for r in reports}
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evsupply-site")
    future = pool.submit(lambda: explore(reports, assumed))
    pool.shutdown(wait=False)
    return future


def write_site_pages(site: Path, data: Explorer, current_data: str, write_js: bool = True) -> None:
    """sources.html, changes.html, data/sources.csv (with a byte-order mark) and assets/site-data.js (the links
    between a case and its pages, which every report page reads)."""
    release = _release()
    common = {
        "index_js": _index_js(),
        "day": data.day,
        "day_words": day_words(data.day),
        "data_release": release,
        "current_data": current_data,
    }
    write_atomic(
        site / "sources.html", _templates().get_template("sources.html.j2").render(sources=data.sources, **common)
    )
    write_atomic(
        site / "changes.html", _templates().get_template("changes.html.j2").render(changes=data.changes, **common)
    )
    frame = pd.DataFrame(
        [{k: s[k] for k in ("source_id", "publisher", "title", "date", "url_text", "kind")} for s in data.sources]
    ).rename(columns={"date": "published_date", "url_text": "url", "kind": "source_kind"})
    write_atomic(site / DATA_DIR / "sources.csv", csv_text(frame))
    if write_js:
        text = "window.evsupplySite = " + explorer_mod.script_json({"day": data.day, **data.nav}) + ";\n"
        write_atomic(site / "assets" / "site-data.js", text)


def _index_js() -> markupsafe.Markup:
    """The index's script, to inline (a standalone site has no assets folder); no "</script" can end it early."""
    return markupsafe.Markup(asset_texts()["index.js"].replace("</script", "<\\/script"))


def _release() -> str:
    try:
        return data_release() or ""
    except Exception:
        return ""


CASE_COLUMNS = (
    ("case_name", "Case"),
    ("country", "Country"),
    ("maker", "Maker"),
    ("relationship", "Relationship"),
    ("status", "Status"),
    ("sold", "May it be sold?"),
    ("duty", "Duty from here against China-built"),
    ("count", "Latest count (age)"),
    ("cells", "Cells from"),
)


def download_link(site: str | os.PathLike[str], data: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """The index's "download the data" block: the release of the data version the site is rendered from (its zip
    of everything and its folder, relative to the site: `make release` writes them), whether it is built, and its
    citation text. None when the data folder declares no version."""
    version = data_release(data)
    if not version:
        return None
    folder = release.release_dir(version)
    return {
        "version": version,
        "href": os.path.relpath(folder / release.bundle_name(version), Path(site).resolve()),
        "folder": os.path.relpath(folder, Path(site).resolve()) + "/",
        "built": (folder / release.bundle_name(version)).is_file(),
        "citation": release.citation_text(version, release.release_date(data_dir(data), version)),
    }


def index_html(
    reports: list[Report],
    records: dict[str, dict[str, Any]],
    current_data: str,
    previews: bool = False,
    explorer: Explorer | None = None,
    download: dict[str, Any] | None = None,
) -> str:
    """The report list for `reports`. With `explorer` (a site of cases) it opens with the edition's day, one line of
    headline numbers, a search box and the atlas map, then the table of every case; the metadata and open questions
    are folded. Then the case briefs (each with its state of play in five lines), the other reports grouped by the
    question they answer (manifest order), each with its headline finding and a small preview of its first chart
    (drawn with the site's plotly.js when `previews`), then the render log of every report. Evidence is named with
    the words of `evsupply.core.evidence`, as in the reports."""
    rows = [_row(report, records.get(report.name), current_data) for report in reports]
    briefs = [row for row in rows if row["is_brief"]]
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if not row["is_brief"]:
            groups.setdefault(row["question"] or "Other reports", []).append(row)
    facts = next((r["facts"] for r in rows if r["facts"]), "")
    vocabulary = [
        {"code": e.code, "word": e.word, "meaning": e.meaning}
        for e in sorted(evidence.VOCABULARY.values(), key=lambda e: -e.strength)
    ]
    return (
        _templates()
        .get_template("index.html.j2")
        .render(
            rows=rows,
            briefs=briefs,
            brief_question=next((b["question"] for b in briefs if b["question"]), "") or "Case briefs",
            vocabulary=vocabulary,
            groups=list(groups.items()),
            current_data=current_data,
            facts=facts,
            previews=previews and (explorer is not None or any(r["preview_json"] for r in rows)),
            explorer=explorer,
            day_words=day_words(explorer.day) if explorer else "",
            data_release=_release() if explorer else "",
            statuses=sorted({c["status"] for c in explorer.cases}, key=lambda s: explorer_mod.STATUS_ORDER.get(s, 9))
            if explorer
            else [],
            case_columns=CASE_COLUMNS,
            index_js=_index_js() if explorer else "",
            search_json=markupsafe.Markup(explorer_mod.script_json(explorer.search)) if explorer else "",
            map_json=markupsafe.Markup(explorer_mod.script_json(explorer.map_figure))
            if explorer and explorer.map_figure
            else "",
            download=download,
        )
    )
