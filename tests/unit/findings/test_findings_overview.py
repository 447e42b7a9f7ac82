"""Data-overview findings (evsupply.findings.data_overview.overview_findings) on the kit's small data folder."""

from __future__ import annotations

import evsupply
from evsupply.findings.data_overview import overview_findings
from tests import kit


def test_coverage_and_no_count_is_none_found(tmp_path):
    t = evsupply.load(kit.write_data(tmp_path))
    found = {f.key: f for f in overview_findings(t, "renault_korea_busan", "2026-11-27")}
    # The kit holds 2 sources, 2 plants, 6 ports and 4 markets; no case.
    assert found["data_coverage"].text.endswith(
        "cite 2 sources; 0 cases of China-linked production outside China, 2 plants, 6 ports, 4 markets."
    )
    assert found["yearly_count:renault_korea_busan"].evidence == "none_found"
    assert found["yearly_count:renault_korea_busan"].text == (
        "No yearly production count of Busan plant was found by 2026-11-27."
    )
    # Six production rows, two of them for Hangzhou Bay -> USA: five claims stand, 3 observed and 2 announced.
    claims = found["production_claims"]
    assert claims.numbers["claims"] == 5
    assert claims.numbers["observed"] + claims.numbers["announced"] == 5
