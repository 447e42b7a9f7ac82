"""The files a report needs in the browser: plotly.js, the base map, the page style and the figure drawer.

They are written once to `<site>/assets/` and linked from every report, or inlined into a standalone
report. All come from installed packages or from evsupply itself; nothing is fetched from a CDN.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import plotly
from jupyter_core.paths import jupyter_path

from evsupply.io import write_atomic
from evsupply.paths import WORLD_TOPOJSON

ASSETS_DIR = "assets"
STATIC = Path(__file__).parent / "templates" / "static"  # evsupply's own: the figure drawer, the page style
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# plotly.js asks for `<scope>_<resolution>m`; only world_110m is shipped, so the other scopes and the
# 50m resolution draw from it (coarser, but a map instead of a blank box offline). USA needs its own
# file (states): not aliased, so such a figure fails the browser test instead of passing unnoticed.
GEO_ALIASES = [
    "world_50m",
    *(f"{s}_{r}" for s in ("europe", "asia", "africa", "north-america", "south-america") for r in ("110m", "50m")),
]

# As nbconvert's HTMLExporter re-serialises it (BeautifulSoup), so inline_assets() can find it.
CSS_LINK = f'<link href="{ASSETS_DIR}/report.css" rel="stylesheet"/>'


def _find_lab_css(name: str) -> Path:
    for root in jupyter_path("nbconvert", "templates"):
        candidate = Path(root) / "lab" / "static" / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"nbconvert's lab template file static/{name} not found")


@cache
def asset_texts() -> dict[str, str]:
    """The asset files by name: plotly.min.js, geo.js, report.css, report.js, index.js."""
    topojson = json.loads(WORLD_TOPOJSON.read_text(encoding="utf-8"))
    geo = (
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
        "(function (t) {\n"
        f"  t.world_110m = {json.dumps(topojson, separators=(',', ':'))};\n"
        f"  {json.dumps(GEO_ALIASES)}.forEach(function (n) {{ if (!t[n]) {{ t[n] = t.world_110m; }} }});\n"
        "})(window.PlotlyGeoAssets.topojson);\n"
    )
    css = "\n".join(_find_lab_css(n).read_text(encoding="utf-8") for n in ("index.css", "theme-light.css"))
    return {
        "plotly.min.js": PLOTLY_JS.read_text(encoding="utf-8"),
        "geo.js": geo,
        "report.css": css + "\n" + (STATIC / "report-extra.css").read_text(encoding="utf-8"),
        "report.js": (STATIC / "report.js").read_text(encoding="utf-8"),
        "index.js": (STATIC / "index.js").read_text(encoding="utf-8"),
    }


def write_assets(site: Path) -> None:
    """Write (or refresh) `<site>/assets/`; unchanged files are left alone."""
    for name, text in asset_texts().items():
        path = site / ASSETS_DIR / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            write_atomic(path, data)


def _inline_script(text: str) -> str:
    return "<script>\n" + text.replace("</script", "<\\/script") + "\n</script>"


def head_html() -> str:
    """What a report's <head> gets: links to the style sheet, the base map and plotly.js."""
    return "\n".join(
        [
            CSS_LINK,
            f'<script src="{ASSETS_DIR}/geo.js"></script>',
            f'<script src="{ASSETS_DIR}/plotly.min.js"></script>',
        ]
    )


def footer_html() -> str:
    """What ends a report's <body>: the script that draws the figures."""
    return f'<script src="{ASSETS_DIR}/report.js"></script>'


def inline_assets(page: str) -> str:
    """Replace a report's asset links by the assets themselves: one self-contained file."""
    texts = asset_texts()
    replacements = {
        CSS_LINK: "<style>\n" + texts["report.css"] + "\n</style>",
        **{
            f'<script src="{ASSETS_DIR}/{n}"></script>': _inline_script(texts[n])
            for n in ("geo.js", "plotly.min.js", "report.js")
        },
    }
    for link, inline in replacements.items():
        if link not in page:
            raise ValueError(f"report page lacks the asset link {link!r}")
        page = page.replace(link, inline, 1)
    return page
