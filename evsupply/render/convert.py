"""Executed notebook → report HTML, with plotly figures drawn and no network access."""

from __future__ import annotations

import html
import json
import threading
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.utils.base import NbConvertBase
from traitlets.config import Config

from evsupply.render.assets import footer_html, head_html, inline_assets, page_figure
from evsupply.render.bundle import bundle_name
from evsupply.render.manifest import Report, day_words

TEMPLATES = Path(__file__).parent / "templates"
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def plotly_json(figure: Any) -> str:
    """Figure JSON safe inside a <script> element (no '<' can close it), without plotly's default template."""
    figure = json.loads(figure) if isinstance(figure, str) else figure
    return json.dumps(page_figure(figure), separators=(",", ":")).replace("<", "\\u003c")


def banner_html(report: Report, data_version: str, rendered_at: str, release: str = "") -> str:
    """The line above each report: back to the list, the one day the page is read on, its parameters (folded),
    the data version and the time of rendering; the site's script adds the case and related pages to it."""
    params = ", ".join(f"{k}={v!r}" for k, v in report.parameters.items()) or "no parameters"
    day = report.day
    return (
        '<nav class="evsupply-banner">'
        '<a href="index.html">← all reports</a>'
        + (
            f'<strong class="evsupply-day" data-day="{html.escape(day)}">Read on {html.escape(day_words(day))}</strong>'
            if day
            else ""
        )
        + f'<a href="{html.escape(report.executed)}" download>executed notebook (.ipynb)</a>'
        '<details class="evsupply-parameters"><summary>parameters</summary>'
        f"<code>{html.escape(params)}</code></details>"
        + (
            f'<a class="evsupply-bundle" href="data/{html.escape(report.name)}/'
            f'{html.escape(bundle_name(report.name, release))}" download>download everything (zip)</a>'
            if release
            else ""
        )
        + f"<span>data version {html.escape(data_version)}</span>"
        f"<span>rendered {html.escape(rendered_at)}</span>"
        "</nav>"
        # What a chart saved as an image carries under it (assets/report.js): title, source line, licence, version.
         + f'<span id="evsupply-credit" hidden data-title="{html.escape(report.title)}" '
        f'data-name="{html.escape(report.name)}" data-version="{html.escape(release)}" '
        f'data-credit="{html.escape(credit_line(report, release))}"></span>'
    )


def credit_line(report: Report, release: str) -> str:
    """The line a saved chart image carries: where it comes from, its day, data version and licence."""
    day = f", read on {day_words(report.day)}" if report.day else ""
    version = f", data {release}" if release else ""
    return f"evsupply: {report.title}{day}{version}. Licence CC BY 4.0."


# One exporter per show_code setting, built once (loading templates is slow) and used under a lock: an
# exporter is not thread-safe, and converting is CPU work that threads could not overlap anyway.
_exporters: dict[bool, HTMLExporter] = {}
_lock = threading.RLock()


def exporter(show_code: bool) -> HTMLExporter:
    """The HTMLExporter for the evsupply_report template; use it while holding `_lock`."""
    with _lock:
        if show_code not in _exporters:
            _exporters[show_code] = _new_exporter(show_code)
        return _exporters[show_code]


def _new_exporter(show_code: bool) -> HTMLExporter:
    config = Config()
    default_priority = NbConvertBase().display_data_priority
    config.NbConvertBase.display_data_priority = [PLOTLY_MIME, *default_priority]
    exp = HTMLExporter(
        config=config,
        template_name="evsupply_report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=True,
    )
    exp.register_filter("plotly_json", plotly_json)
    return exp


def warm_up() -> None:
    """Build the exporters and render an empty notebook once, so the first report does not wait for templates."""
    with _lock:
        for show_code in (False, True):
            exporter(show_code).from_notebook_node(
                nbformat.v4.new_notebook(),
                resources={"evsupply": {"head": head_html(), "footer": footer_html(), "banner": ""}},
            )


def stable_cell_ids(nb: nbformat.NotebookNode) -> None:
    """Give every cell an id that depends only on its place: papermill's injected cell gets a random one,
    which would make two renders of the same report differ."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"


def to_html(
    nb: nbformat.NotebookNode,
    report: Report,
    *,
    data_version: str,
    rendered_at: str,
    standalone: bool,
    release: str = "",
) -> str:
    """Render an executed notebook as a report page."""
    nb.metadata["title"] = report.title
    stable_cell_ids(nb)
    resources = {
        "evsupply": {
            "head": head_html(),
            "footer": footer_html(),
            "banner": banner_html(report, data_version, rendered_at, "" if standalone else release),
        }
    }
    with _lock:
        page, _ = exporter(report.show_code).from_notebook_node(nb, resources=resources)
    return inline_assets(page) if standalone else page
