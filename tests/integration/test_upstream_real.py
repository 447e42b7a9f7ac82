"""The cells' leg upstream on the real tables: today's answers for Busan and Szeged (no leg can be drawn), and the
validation of battery_plant_ports rows on a copy of data/ (the hand-made cases are in tests/unit/analysis)."""

from __future__ import annotations

from pathlib import Path

from kit import read_rows, write_rows

import evsupply
from evsupply.analysis.batteries import upstream
from evsupply.data.validate import validate

Q = "test row"


# --- today's answer on the real tables ---


def test_today_no_cell_leg_can_be_drawn_for_busan_or_szeged() -> None:
    frame = upstream.cell_legs(evsupply.load(), "2026-12-03", cases=["busan_polestar_4", "byd_szeged_case"])
    rows = {r["model_id"]: r for r in frame.to_dict("records")}
    # fnnews_busan_2024_08_13_battery: "Korean batteries considered for Busan production next year"; nothing later.
    busan = rows["polestar_4"]
    assert (busan["leg_kind"], busan["leg_text"], busan["evidence"]) == ("none", "cell origin unknown", "none_found")
    assert busan["source_ids"] == ("fnnews_busan_2024_08_13_battery",)
    # vg_2024_08_byd_szeged_batteries: "they bring them from China and fit them into the cars at Szeged"; no plant.
    for model in ("byd_dolphin_surf", "byd_atto_2"):
        szeged = rows[model]
        assert (szeged["leg_kind"], szeged["leg_text"]) == ("none", "cell plant not named; cells from China (reported)")
        assert szeged["source_ids"] == ("vg_2024_08_byd_szeged_batteries",)
    # No claim names a cell plant today: not one line is drawn.
    assert frame.geometry.isna().all()


# --- battery_plant_ports in the schema ---


def link_row(battery_plant_id: str, method: str = "assumed for the test") -> list[str]:
    return [battery_plant_id, "KRPUS", "assumed", method, "enwiki_port_of_busan", "a test quote", ""]


def test_a_port_link_to_an_unknown_battery_plant_is_refused(data_copy: Path) -> None:
    file = data_copy / "battery_plant_ports.csv"
    write_rows(file, [*read_rows(file), link_row("atlantis_cells")])
    problems = validate(data_copy)
    assert [(Path(p.file).name, p.rule, p.line, p.column) for p in problems] == [
        ("battery_plant_ports.csv", "foreign key", 2, "battery_plant_id")
    ]


def test_an_assumed_port_link_needs_its_method(data_copy: Path) -> None:
    file = data_copy / "battery_plant_ports.csv"
    write_rows(file, [*read_rows(file), link_row("sk_on_seosan")])
    assert validate(data_copy) == []
    write_rows(file, [read_rows(file)[0], link_row("sk_on_seosan", method="")])
    assert [(p.rule, p.column) for p in validate(data_copy)] == [("method required", "method")]
