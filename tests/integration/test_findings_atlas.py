"""Atlas findings (findings.atlas.atlas_findings): a car that may not be sold is never the 'largest duty avoided'."""

from __future__ import annotations

import pandas as pd
import pytest

import evsupply
from evsupply.analysis.cases.atlas import duty_comparison
from evsupply.findings.atlas import atlas_findings


@pytest.fixture(scope="module")
def tables():
    return evsupply.load()


def cases_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": ["ridgeville_polestar_3", "byd_szeged_case"],
            "relationship": ["contract_manufacturing", "own_plant"],
            "status": ["exporting", "producing"],
            "case_source_id": ["s_case_1", "s_case_2"],
            "status_source_ids": [("s_status_1",), ("s_status_2", "s_status_3")],
        }
    )


def duty_row(case_id, market_id, china, local, barred_year, sources):
    return {
        "case_id": case_id,
        "market_id": market_id,
        "china_duty_pct": china,
        "local_duty_pct": local,
        "duty_avoided_pct": china - local,
        "local_allowed": True,
        "local_barred_from_model_year": barred_year,
        "local_barred": barred_year is not None,
        "duty_avoided_per_car": float("nan"),
        "currency_code": None,
        "source_ids": sources,
    }


def test_a_barred_car_is_not_headlined_and_is_marked_barred(tables):
    # Hand-made: Ridgeville into the US 127.5% against 0% but barred from model year 2027; Szeged into the EU 27%
    # against 0%. The headline is Szeged's 27 points; Ridgeville is named as barred.
    duties = pd.DataFrame(
        [
            duty_row("ridgeville_polestar_3", "USA", 127.5, 0.0, 2027, ("a", "b", "c", "d", "e", "f")),
            duty_row("byd_szeged_case", "EUU", 27.0, 0.0, None, ("g",)),
        ]
    )
    shipping = pd.DataFrame(columns=["case_id", "market_id", "sea_km_difference", "source_ids"])
    found = {f.key: f for f in atlas_findings(tables, "2026-11-27", cases_frame(), duties, shipping)}
    top = found["atlas_largest_duty_avoided:byd_szeged_case:EUU"]
    assert top.text.startswith("Largest duty avoided on a car that may be sold: BYD at Szeged")
    assert "27 points" in top.text and top.numbers["duty_avoided_pct"] == 27.0
    barred = found["atlas_barred:ridgeville_polestar_3:USA"]
    assert "may not be sold in the United States from model year 2027" in barred.text
    assert barred.source_ids == ("a", "b", "c", "d", "e", "f")  # every source, never cut to 5
    assert not any("Ridgeville" in f.text and f.key.startswith("atlas_largest") for f in found.values())
    assert found["atlas_status"].source_ids == ("s_status_1", "s_status_2", "s_status_3")


def test_on_the_real_tables_ridgeville_into_the_us_is_barred_on_2026_11_27(tables):
    # Polestar refused a US authorisation on 2026-06-25 (rbtfl_2026_polestar_us_ban); the rule binds from model year
    # 2027 (us_cv_china_nexus_my2027), which is on sale from 2026.
    duties = duty_comparison(tables, "2026-11-27", ["ridgeville_polestar_3"]).set_index("market_id")
    assert duties.loc["USA", "local_barred"] and duties.loc["USA", "local_barred_from_model_year"] == 2027
    assert "rbtfl_2026_polestar_us_ban" in duties.loc["USA", "source_ids"]
    found = atlas_findings(
        tables,
        "2026-11-27",
        cases_frame().iloc[:1],
        duties.reset_index(),
        pd.DataFrame(columns=["case_id", "market_id", "sea_km_difference", "source_ids"]),
    )
    assert not any(f.key == "atlas_largest_duty_avoided:ridgeville_polestar_3:USA" for f in found)
    assert any(f.key == "atlas_barred:ridgeville_polestar_3:USA" for f in found)
