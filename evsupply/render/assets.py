"""The files a report needs in the browser: plotly.js, the page style and the figure drawer.

They are written once to `<site>/assets/` and linked from every report, or inlined into a standalone report. All
ship with evsupply; nothing is fetched from a CDN. plotly.js is evsupply's partial bundle (the trace types its
figures draw, built by `make plotlyjs`, evsupply/core/assets/plotly/); maps need no base map file, since evsupply's maps
carry their countries as traces (evsupply/figures/maps.py).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
import plotly.io as pio

from evsupply.core.io import write_atomic
from evsupply.core.paths import ASSETS_DIR as PACKAGE_ASSETS

ASSETS_DIR = "assets"
STATIC = Path(__file__).parent / "templates" / "static"  # evsupply's own: the figure drawer, the page style
PLOTLY_JS = PACKAGE_ASSETS / "plotly" / "plotly-evsupply.min.js"  # what the reports load (as assets/plotly.min.js)
FULL_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"  # every trace type, 4.8 MB
DEFAULT_TEMPLATE = "plotly"  # plotly.py's default: every figure would carry it (6.5 KB); a page carries it once

# As nbconvert's HTMLExporter re-serialises it (BeautifulSoup), so inline_assets() can find it.
CSS_LINK = f'<link href="{ASSETS_DIR}/report.css" rel="stylesheet"/>'


@cache
def _default_template() -> dict[str, Any]:
    # As a figure carries it in its JSON (what a notebook stores), so the two compare equal.
    return json.loads(pio.to_json(go.Figure(layout={"template": DEFAULT_TEMPLATE})))["layout"]["template"]


def page_figure(figure: dict[str, Any]) -> dict[str, Any]:
    """A figure as a report page carries it: without plotly's default template, which report.js puts back."""
    layout = figure.get("layout")
    if not isinstance(layout, dict) or layout.get("template") != _default_template():
        return figure
    return {**figure, "layout": {k: v for k, v in layout.items() if k != "template"}}


@cache
def asset_texts() -> dict[str, str]:
    """The asset files by name: plotly.min.js, report.css, report.js, index.js."""
    template = json.dumps(_default_template(), separators=(",", ":")).replace("<", "\\u003c")
    return {
        "plotly.min.js": PLOTLY_JS.read_text(encoding="utf-8"),
        "report.css": "\n".join(
            (STATIC / n).read_text(encoding="utf-8") for n in ("report-base.css", "report-extra.css")
        ),
        "report.js": f"window.evsupplyPlotlyTemplate = {template};\n"
        + (STATIC / "report.js").read_text(encoding="utf-8"),
        "index.js": (STATIC / "index.js").read_text(encoding="utf-8"),
        "site.js": (STATIC / "site.js").read_text(encoding="utf-8"),
    }


def write_assets(site: Path) -> None:
    """Write (or refresh) `<site>/assets/`; unchanged files are left alone, files of older versions removed."""
    texts = asset_texts()
    for name, text in texts.items():
        path = site / ASSETS_DIR / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            write_atomic(path, data)
    stale = site / ASSETS_DIR / "geo.js"  # the base map that plotly.js needed before evsupply's maps carried theirs
    if stale.is_file():
        stale.unlink()


def _inline_script(text: str) -> str:
    return "<script>\n" + text.replace("</script", "<\\/script") + "\n</script>"


def head_html() -> str:
    """What a report's <head> gets: links to the style sheet and plotly.js."""
    return "\n".join([CSS_LINK, f'<script src="{ASSETS_DIR}/plotly.min.js"></script>'])


# The site's links between a case and its pages (written by the render after every render; a standalone page,
# which has no site around it, drops them).
SITE_SCRIPTS = f'<script src="{ASSETS_DIR}/site-data.js"></script><script src="{ASSETS_DIR}/site.js"></script>'


def footer_html() -> str:
    """What ends a report's <body>: the script that draws the figures, then the site's links."""
    return f'<script src="{ASSETS_DIR}/report.js"></script>' + SITE_SCRIPTS


def inline_assets(page: str) -> str:
    """Replace a report's asset links by the assets themselves: one self-contained file."""
    texts = asset_texts()
    replacements = {
        CSS_LINK: "<style>\n" + texts["report.css"] + "\n</style>",
        **{
            f'<script src="{ASSETS_DIR}/{n}"></script>': _inline_script(texts[n])
            for n in ("plotly.min.js", "report.js")
        },
    }
    for link, inline in replacements.items():
        if link not in page:
            raise ValueError(f"report page lacks the asset link {link!r}")
        page = page.replace(link, inline, 1)
    return page.replace(SITE_SCRIPTS, "", 1)
