"""The atlas map: a world view plus Europe, Southeast Asia and Thailand's Eastern Seaboard, labelled and sized."""

from __future__ import annotations

import math

import pytest

from evsupply.figures.atlas import (
    marker_size,
)

DAY = "2026-11-27"
# The plants a reader must tell apart at each scale (plant_ids of data/plants.csv).
EUROPE_PLANTS = {
    "volvo_ghent",  # Ghent
    "magna_steyr_graz",  # Graz
    "volvo_kosice",  # Košice
    "byd_szeged",  # Szeged
    "stellantis_tychy",  # Tychy
    "stellantis_zaragoza",  # Zaragoza
    "ebro_zona_franca",  # Barcelona
}
SOUTHEAST_ASIA_PLANTS = {"byd_rayong", "proton_tanjung_malim_ev", "stellantis_gurun", "byd_subang"}
THAI_PLANTS = {"byd_rayong", "gwm_rayong", "gac_aion_rayong", "changan_rayong", "saic_cp_chonburi"}


def test_marker_size_by_hand() -> None:
    # Area grows with capacity: 10 px + 30 px x sqrt(share of the largest).
    assert marker_size(380_000, 380_000) == pytest.approx(40.0)
    assert marker_size(95_000, 380_000) == pytest.approx(10.0 + 30.0 * 0.5)  # sqrt(1/4) = 0.5
    assert marker_size(float("nan"), 380_000) == 8.0
    assert math.isclose(marker_size(0, 380_000), 10.0)
