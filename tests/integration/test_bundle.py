"""The reports' plotly.js is evsupply's partial bundle: every trace type a report draws must be in it.

The bundle's trace types are read out of the bundle file itself (each trace module is registered from an object
`{moduleType:"trace",name:"<type>",...}`), never from a list kept beside it. The types the reports use come from
the code that makes their figures (every `go.<Trace>(` in evsupply/ and in the notebooks) and, in the browser
tests, from the figures of a rendered site (`trace_types_in_page`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType

from evsupply.core.paths import NOTEBOOKS_DIR, PACKAGE_DIR
from evsupply.render.assets import FULL_PLOTLY_JS, PLOTLY_JS, asset_texts

TRACE_MODULE = re.compile(r'moduleType:"trace",name:"(\w+)"')
CONSTRUCTOR = re.compile(r"\bgo\.([A-Z]\w*)\(")
FIGURE_JSON = re.compile(r'<script class="evsupply-plotly" type="application/json">(.*?)</script>', re.S)


def bundle_trace_types(text: str) -> set[str]:
    """The trace types a (minified) plotly.js registers, read from its trace modules."""
    return set(TRACE_MODULE.findall(text))


def trace_type(class_name: str) -> str | None:
    """The plotly.js type of a `plotly.graph_objects` class name (`Scattergeo` -> 'scattergeo'), None if no trace."""
    cls = getattr(go, class_name, None)
    if isinstance(cls, type) and issubclass(cls, BaseTraceType):
        return cls().type
    return None


def sources() -> dict[str, str]:
    """The code that makes the reports' figures: the package and the notebooks' code cells."""
    out = {str(p.relative_to(PACKAGE_DIR.parent)): p.read_text(encoding="utf-8") for p in PACKAGE_DIR.rglob("*.py")}
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        out[path.name] = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return out


def trace_types_in_code() -> dict[str, set[str]]:
    """Trace type -> the files whose code constructs such a trace."""
    found: dict[str, set[str]] = {}
    for name, text in sources().items():
        for class_name in CONSTRUCTOR.findall(text):
            kind = trace_type(class_name)
            if kind:
                found.setdefault(kind, set()).add(name)
    return found


def trace_types_in_page(html: str) -> set[str]:
    """The trace types of every figure a report page carries (plotly's default type is scatter)."""
    types = set()
    for text in FIGURE_JSON.findall(html):
        figure = json.loads(text)
        types |= {t.get("type", "scatter") for t in figure.get("data", [])}
    return types


def test_the_reader_finds_the_trace_types_of_a_bundle() -> None:
    # Checked on plotly's full bundle, whose types plotly.py also knows: the regex reads real registrations.
    full = bundle_trace_types(FULL_PLOTLY_JS.read_text(encoding="utf-8"))
    assert len(full) >= 40 and {"scatter", "bar", "sankey", "scattergeo", "choropleth", "heatmap"} <= full
    assert {trace_type(name) for name in dir(go) if trace_type(name)} <= full


def test_the_bundle_is_partial_and_is_what_the_site_ships() -> None:
    text = PLOTLY_JS.read_text(encoding="utf-8")
    types = bundle_trace_types(text)
    assert "scatter" in types and len(types) < 10  # a partial bundle, not plotly's ~47 trace types
    assert asset_texts()["plotly.min.js"] == text
    assert PLOTLY_JS.stat().st_size < 2_000_000  # the full plotly.min.js is 4.8 MB


def test_the_bundle_is_the_plotly_js_of_the_installed_plotly() -> None:
    from plotly.offline import get_plotlyjs_version

    head = PLOTLY_JS.read_text(encoding="utf-8")[:300]
    assert f"plotly.js v{get_plotlyjs_version()} " in head  # else rebuild it: `make plotlyjs`
    assert (PLOTLY_JS.parent / "LICENSE.txt").read_text(encoding="utf-8").count("plotly.js") >= 1


def test_every_trace_type_the_reports_draw_is_in_the_bundle() -> None:
    used = trace_types_in_code()
    assert {"bar", "sankey", "scatter", "scattergeo"} <= set(used)  # what the reports draw today: the scan sees it
    missing = {kind: sorted(files) for kind, files in used.items() if kind not in bundle_trace_types_now()}
    assert not missing, (
        f"trace types drawn by {missing} are not in {PLOTLY_JS.name}: add them to tools/plotlyjs/entry.js "
        "and run `make plotlyjs`"
    )


def test_no_figure_comes_from_plotly_express() -> None:
    # plotly.express picks trace types at run time, which the scan above cannot see: figures keep to graph_objects.
    figure_code = {
        name: text
        for name, text in sources().items()
        if name.startswith(("evsupply/figures/", "evsupply/pages/")) or name.endswith(".ipynb")
    }
    assert len(figure_code) > 10
    users = [name for name, text in figure_code.items() if re.search(r"\bplotly\.express\b|\bpx\.\w+\(", text)]
    assert users == []


def test_the_check_fails_on_a_bundle_without_a_trace_type_in_use() -> None:
    # The gate shown failing: the same bundle with its sankey module renamed lacks sankey, and sankey is in use.
    text = PLOTLY_JS.read_text(encoding="utf-8").replace(
        'moduleType:"trace",name:"sankey"', 'moduleType:"trace",name:"x"'
    )
    assert "sankey" in trace_types_in_code() and "sankey" not in bundle_trace_types(text)


def test_trace_types_in_page_reads_report_figures() -> None:
    page = (
        '<div></div><script class="evsupply-plotly" type="application/json">'
        '{"data":[{"type":"bar"},{"x":[1]}],"layout":{}}</script>'
    )
    assert trace_types_in_page(page) == {"bar", "scatter"}


def bundle_trace_types_now() -> set[str]:
    """The trace types of the bundle the reports load."""
    return bundle_trace_types(PLOTLY_JS.read_text(encoding="utf-8"))


def assert_site_in_bundle(site: Path) -> None:
    """Every figure of every page of a rendered site uses only trace types of the bundle (browser tests call it)."""
    shipped = bundle_trace_types((site / "assets" / "plotly.min.js").read_text(encoding="utf-8"))
    for page in sorted(site.glob("*.html")):
        missing = trace_types_in_page(page.read_text(encoding="utf-8")) - shipped
        assert not missing, f"{page.name} draws {sorted(missing)}, which the site's plotly.js lacks"


def test_pages_carry_plotlys_default_template_once() -> None:
    import plotly.io as pio

    from evsupply.render.assets import page_figure

    default = json.loads(pio.to_json(go.Figure(go.Bar(x=[1], y=[2]))))
    assert "template" in default["layout"]  # as a notebook stores a figure
    stripped = page_figure(default)
    assert "template" not in stripped["layout"] and stripped["data"] == default["data"]
    shipped = asset_texts()["report.js"].split("window.evsupplyPlotlyTemplate = ", 1)[1].split(";\n", 1)[0]
    assert json.loads(shipped) == default["layout"]["template"]  # report.js puts back exactly what was taken
    # A figure with a template of its own keeps it: report.js only fills in the default when none is given.
    own = json.loads(pio.to_json(go.Figure(go.Bar(x=[1], y=[2]), layout={"template": "plotly_dark"})))
    assert page_figure(own)["layout"]["template"] == own["layout"]["template"]
