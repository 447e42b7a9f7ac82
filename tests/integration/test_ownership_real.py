"""Ownership look-through: hand-made graphs (chains, diamonds, cycles) and the real tables."""

from __future__ import annotations

import pytest

import evsupply
from evsupply.analysis.ownership import (
    look_through,
    look_through_table,
    ultimate_controller,
)


@pytest.fixture(scope="module")
def real() -> evsupply.Tables:
    return evsupply.load()


def test_real_renault_korea_shareholders(real: evsupply.Tables) -> None:
    # Yonhap 2023-06-22 (yonhap_2023_06_22): Renault 52.82%, Geely Automobile Holdings 34.02%, Samsung Card 13.13%.
    assert ultimate_controller(real, "renault_korea", "2023-06-22").controller_id == "renault_group"
    assert look_through(real, "renault_group", "renault_korea", "2023-06-22") == pytest.approx(52.82)
    assert look_through(real, "geely_automobile_holdings", "renault_korea", "2023-06-22") == pytest.approx(34.02)
    # JoongAng 2021-08 (joongang_2021_08): Renault 80.04% at end-2020.
    assert look_through(real, "renault_group", "renault_korea", "2021-01-01") == pytest.approx(80.04)


def test_real_li_shufu_controls_polestar(real: evsupply.Tables) -> None:
    # electrive 2025-06-17 (electrive_2025_06_17): PSD 44%, Volvo Cars 16%, and Li Shufu 66% in all, so the
    # Geely subsidiary holds 66 - 44 = 22% (derived); the PIPE closed on 2025-07-23 (sec_polestar_6k_h1_2025_equity).
    # ainvest 2025-06-17 (ainvest_2025_06_17_psd): PSD is controlled by Li Shufu; Geely Sweden Holdings is a
    # Geely Holding subsidiary (logomoney_2024_02_01_volvo_polestar); Li Shufu holds 90% of Geely Holding
    # (svwiki_zhejiang_geely_holding), which holds 78.7% of Volvo Cars (yicai_2023_11_20).
    # Superseded by the 2026-12 audit: the 13D/A of 2025-12-19 (stocktitan_13da_2025_12_19_psny) gives PSD 44.1%,
    # Volvo Cars 16.5% and, by difference, Geely Sweden 22.3%, so on 2025-12-01 Li Shufu controls
    # 44.1 + 16.5 + 22.3 = 82.9%, the filing's own 82.9% of the class.
    result = ultimate_controller(real, "polestar", "2025-12-01")
    assert result.controller_id == "li_shufu"
    assert "82.90%" in result.lines[-1].text
    assert look_through(real, "li_shufu", "polestar", "2025-12-01") == pytest.approx(0.9 * 0.787 * 16.5)


def test_real_stakes_stay_within_100(real: evsupply.Tables) -> None:
    for day in ("2021-01-01", "2023-06-22", "2024-06-01", "2025-12-01"):
        table = look_through_table(real, "polestar", day)
        top = table[table["owner_id"].isin(["li_shufu"])]["look_through_stake_pct"]
        assert (top <= 100 + 1e-9).all()
