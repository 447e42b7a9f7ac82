"""F3: a report is labelled with the content hash of the data its kernel loaded, not the hash the render took
when it started (data edited during a render)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from evsupply.pages.html import Provenance, findings_block, set_provenance
from evsupply.render import job as job_module
from evsupply.render.job import Job, render_one, report_summary
from evsupply.render.manifest import Report


def _notebook(content: str) -> nbformat.NotebookNode:
    set_provenance(Provenance(data_version="9.9.9", content_hash=content, as_of="2026-12-01"))
    block = findings_block([], checked="hand-made")
    output = nbformat.v4.new_output(
        "display_data", data={"text/html": block.markup}, metadata={"text/html": block.metadata}
    )
    cell = nbformat.v4.new_code_cell("findings_block(...)", outputs=[output])
    return nbformat.v4.new_notebook(cells=[cell])


def test_the_findings_block_names_the_loaded_content() -> None:
    summary = report_summary(_notebook("aaaaaaaaaaaa"))
    assert (summary["content"], summary["release"]) == ("aaaaaaaaaaaa", "9.9.9")


class _Kernels:
    stopped = False

    def check_open(self) -> None:
        pass


def test_a_report_is_labelled_with_what_its_kernel_loaded(tmp_path: Path, monkeypatch) -> None:
    nb = _notebook("bbbbbbbbbbbb")  # the kernel loaded content bbbb...
    monkeypatch.setattr(job_module, "execute", lambda report, keep_as, kernels: nb)
    (tmp_path / "one.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
    report = Report(name="one", notebook=tmp_path / "one.ipynb", title="One")
    # ...while the render hashed the folder as aaaa... when it started
    job = Job(report=report, site=tmp_path / "site", state=tmp_path / "state", standalone=True, data_version="a" * 12)
    result = render_one(job, _Kernels())
    assert result.status == "ok", result.error
    assert result.data_version == "bbbbbbbbbbbb"
    page = (tmp_path / "site" / "one.html").read_text(encoding="utf-8")
    assert "9.9.9 (content bbbbbbbbbbbb)" in page and "aaaaaaaaaaaa" not in page
