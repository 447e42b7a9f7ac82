"""The render pipeline: manifest, strict parameters, nothing lost, no state leak, executors."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from kit.render import GOOD, NOTEBOOKS, write_manifest

from evsupply.render import ManifestError, load_manifest, render
from evsupply.render.site import read_records

BAD = [
    {"name": "raises", "notebook": "fails.ipynb", "title": "Raises"},
    {"name": "bad-name", "notebook": "scatter.ipynb", "title": "Bad name", "parameters": {"nn": 5}},
    {"name": "bad-choice", "notebook": "geo.ipynb", "title": "Bad choice", "parameters": {"port": "XXPUS"}},
    {"name": "bad-type", "notebook": "scatter.ipynb", "title": "Bad type", "parameters": {"n": "five"}},
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One render of two good and four failing reports (shared by the tests below)."""
    root = tmp_path_factory.mktemp("render")
    manifest = write_manifest(root, [dict(r) for r in GOOD + BAD])
    reports = load_manifest(manifest)
    results = render(reports, site=root / "site", state=root / "state", jobs=2, progress=False)
    return {"root": root, "reports": reports, "results": {r.name: r for r in results}}


def test_manifest_expands_matrix_and_resolves_paths(tmp_path: Path) -> None:
    manifest = write_manifest(
        tmp_path,
        [
            {
                "name": "map",
                "notebook": "geo.ipynb",
                "title": "Map",
                "parameters": {"x": 1},
                "matrix": {"port": ["KRPUS", "CNNGB"]},
            }
        ],
    )
    reports = load_manifest(manifest)
    assert [r.name for r in reports] == ["map-krpus", "map-cnngb"]
    assert reports[1].parameters == {"x": 1, "port": "CNNGB"}
    assert reports[0].notebook == NOTEBOOKS / "geo.ipynb"


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"name": "a", "notebook": "geo.ipynb", "colour": 1}, "unknown key"),
        ({"name": "A b", "notebook": "geo.ipynb"}, "name must match"),
        ({"name": "a", "notebook": "missing.ipynb"}, "not found"),
    ],
)
def test_manifest_errors_name_the_problem(tmp_path: Path, entry: dict, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        load_manifest(write_manifest(tmp_path, [entry]))


def test_good_reports_render_with_their_figures(site: dict) -> None:
    for name in ("scatter", "map"):
        result = site["results"][name]
        assert result.status == "ok", result.error
        page = (site["root"] / "site" / f"{name}.html").read_text()
        assert page.count('class="evsupply-plotly"') == 1  # the figure JSON made it into the page
        assert 'src="assets/plotly.min.js"' in page and "require.js" not in page
        assert "http://" not in page.split("<body", 1)[0] and "https://" not in page.split("<body", 1)[0]
    assert "Scattergeo".lower() in (site["root"] / "site" / "map.html").read_text().lower()
    # The map carries its base map as traces; no topojson file is shipped or needed (unit/figures/test_figures_maps.py).
    assert not (site["root"] / "site" / "assets" / "geo.js").exists()


def test_each_good_report_links_its_executed_notebook(site: dict) -> None:
    page = (site["root"] / "site" / "scatter.html").read_text()
    link = re.search(r'<a ([^>]*)href="notebooks/scatter\.ipynb"([^>]*)>executed notebook', page)
    assert link and "download" in link.group(1) + link.group(2)
    nb = nbformat.read(site["root"] / "site" / "notebooks" / "scatter.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "n = 5" in injected[0].source  # the manifest's parameters, as run
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code")  # executed, with its outputs
    for name in ("raises", "bad-choice"):  # a failed report's notebook stays outside the site
        assert not (site["root"] / "site" / "notebooks" / f"{name}.ipynb").exists()


def test_failures_are_reported_with_the_first_line_of_the_error(site: dict) -> None:
    results = site["results"]
    assert results["raises"].error == "ZeroDivisionError: division by zero"
    assert results["bad-name"].error.startswith("ParameterError: parameter 'nn': unknown parameter name")
    assert "'n'" in results["bad-name"].error and "'title'" in results["bad-name"].error  # the valid choices
    assert results["bad-choice"].error.startswith("ParameterError: parameter 'port': 'XXPUS' is not a valid")
    assert results["bad-type"].error.startswith("ParameterError: parameter 'n': 'five' is a str, expected int")
    for name in ("raises", "bad-name", "bad-choice", "bad-type"):
        assert results[name].status == "failed"
        assert not (site["root"] / "site" / f"{name}.html").exists()


def test_parameter_error_is_raised_in_the_first_cell_after_parameters(site: dict) -> None:
    nb = nbformat.read(site["root"] / "state" / "failed" / "bad-choice.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    injected = next(i for i, c in enumerate(code) if "injected-parameters" in c.metadata.get("tags", []))
    errors = [o for o in code[injected + 1].outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "ParameterError"
    assert not (site["root"] / "state" / "failed" / "bad-name.ipynb").exists()  # refused before execution


def test_index_lists_every_report_with_status_and_data_version(site: dict) -> None:
    index = site["root"] / "site" / "index.html"
    records = read_records(site["root"] / "site")
    assert set(records) == {r.name for r in site["reports"]}
    assert records["scatter"]["status"] == "ok" and records["raises"]["status"] == "failed"
    assert all(len(r["data_version"]) == 12 for r in records.values())
    text = index.read_text()
    assert "failed: ZeroDivisionError: division by zero" in text
    assert '<a href="scatter.html">Scatter</a>' in text


def test_no_temporary_file_is_left(site: dict) -> None:
    leftovers = [p for p in site["root"].rglob("*") if "evsupply-tmp" in p.name]
    assert leftovers == []


def test_a_failing_rerender_keeps_the_good_copy_and_the_others(site: dict, tmp_path: Path) -> None:
    root = site["root"]
    before = {p.name: p.read_bytes() for p in (root / "site").glob("*.html") if p.name != "index.html"}
    manifest = write_manifest(
        tmp_path, [{"name": "scatter", "notebook": "scatter.ipynb", "title": "Scatter", "parameters": {"n": "oops"}}]
    )
    results = render(
        load_manifest(manifest),
        site=root / "site",
        state=root / "state",
        listed=site["reports"],
        jobs=1,
        progress=False,
    )
    assert results[0].status == "failed"
    after = {p.name: p.read_bytes() for p in (root / "site").glob("*.html") if p.name != "index.html"}
    assert after == before  # the previous good scatter.html and every other report untouched
    records = read_records(root / "site")
    assert records["scatter"]["status"] == "failed" and records["scatter"]["html"] == "scatter.html"
    assert records["scatter"]["last_good"]["parameters"] == {"n": 5, "title": "Five"}
    assert records["map"]["status"] == "ok"  # kept from the first render
    lines = (root / "site" / "index.html").read_text().splitlines()
    row = next(line for line in lines if 'id="log-scatter"' in line)  # the render log's row
    assert 'data-status="stale"' in row and "stale: showing the render of" in row


def test_no_state_leaks_between_reports_in_one_worker(tmp_path: Path) -> None:
    manifest = write_manifest(
        tmp_path,
        [
            {"name": "set", "notebook": "leak.ipynb", "parameters": {"mode": "set"}},
            {"name": "check", "notebook": "leak.ipynb", "parameters": {"mode": "check"}},
        ],
    )
    results = render(load_manifest(manifest), site=tmp_path / "site", state=tmp_path / "state", jobs=1, progress=False)
    assert {r.name: (r.status, r.error) for r in results} == {"set": ("ok", None), "check": ("ok", None)}


def test_dask_scheduler_runs_the_same_renders(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    manifest = write_manifest(tmp_path, [dict(r) for r in GOOD])
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        results = render(
            load_manifest(manifest),
            site=tmp_path / "site",
            state=tmp_path / "state",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
    assert {r.name: r.status for r in results} == {"scatter": "ok", "map": "ok"}
    assert (tmp_path / "site" / "map.html").is_file()
