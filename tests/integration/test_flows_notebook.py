"""The flows notebook on the kit's data: a bad parameter stops it at its first cell (the flow model's own tests are
tests/unit/analysis/test_flows.py)."""

from __future__ import annotations

import pytest
from kit import write_data


def test_notebook_stops_at_first_cell_on_a_bad_parameter(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    papermill = pytest.importorskip("papermill")
    from evsupply.core.paths import PACKAGE_DIR

    monkeypatch.setenv("EVSUPPLY_DATA_DIR", str(write_data(tmp_path / "data")))
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(papermill.PapermillExecutionError) as err:
        papermill.execute_notebook(
            str(PACKAGE_DIR.parent / "notebooks" / "flows.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"origin": "busan"},
            progress_bar=False,
            kernel_name="python3",
        )
    assert err.value.ename == "ParameterError"
    assert "parameter 'origin'" in err.value.evalue and "'renault_korea_busan'" in err.value.evalue
    assert "setup(report.SPEC, globals())" in err.value.source  # the first cell after the (injected) parameters
