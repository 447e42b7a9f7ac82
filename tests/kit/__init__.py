"""The one test kit: small, valid data folders and typed tables built from hand-made rows (test data, not facts);
`kit.render` holds the render tests' helpers (fixture manifests, the render command, the processes it leaves).

Two ways in to test data:
- `write_data` / `load_tables`: a tiny valid data folder for the flow tests, loaded (and validated) like real data;
- `build_tables`: the repository's real trade tables (`sources`, `trade_measures`, `trade_authorisations`,
  `model_prices`, `markets`, `market_members`) plus hand-made companies, stakes, plants and models, typed without
  validation (fast), for ownership, policy, landed cost and capacity tests.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

import evsupply
from evsupply.core.paths import DATA_DIR
from evsupply.core.tables import Tables
from evsupply.data import schema

FQ = "fixture quote"
ROWS: dict[str, list[dict[str, str]]] = {
    "sources": [
        {
            "source_id": "fixture_source",
            "publisher": "Test",
            "title": "Fixture",
            "url": "https://example.org/fixture",
            "accessed_date": "2026-11-27",
            "source_kind": "reference",
            "language": "en",
        },
        {
            "source_id": "fixture_plan",
            "publisher": "Test",
            "title": "Plan",
            "url": "https://example.org/plan",
            "published_date": "2023-11-16",
            "accessed_date": "2026-11-27",
            "source_kind": "press",
            "language": "en",
        },
    ],
    "companies": [
        {
            "company_id": "renault_korea",
            "company_name": "Renault Korea",
            "entity_type": "company",
            "country_code": "KOR",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
        {
            "company_id": "geely_holding",
            "company_name": "Geely Holding",
            "entity_type": "company",
            "country_code": "CHN",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
        {
            "company_id": "polestar",
            "company_name": "Polestar",
            "entity_type": "company",
            "country_code": "SWE",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
    ],
    "plants": [
        {
            "plant_id": "renault_korea_busan",
            "plant_name": "Busan plant",
            "operator_id": "renault_korea",
            "country_code": "KOR",
            "city_name": "Busan",
            "latitude": "35.083",
            "longitude": "128.86",
            "location_basis": "estimated",
            "location_method": "fixture",
            "plant_status": "operating",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
        {
            "plant_id": "geely_hangzhou_bay",
            "plant_name": "Hangzhou Bay",
            "operator_id": "geely_holding",
            "country_code": "CHN",
            "city_name": "Cixi",
            "latitude": "30.30",
            "longitude": "121.20",
            "location_basis": "estimated",
            "location_method": "fixture",
            "plant_status": "operating",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
    ],
    "models": [
        {
            "model_id": "polestar_4",
            "model_name": "Polestar 4",
            "brand_id": "polestar",
            "powertrain": "BEV",
            "curb_mass_kg": "2230",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
    ],
    "markets": [
        {"market_id": m, "market_name": n, "market_type": "country", "region": r}
        for m, n, r in (
            ("KOR", "South Korea", "Asia"),
            ("USA", "United States", "North America"),
            ("CAN", "Canada", "North America"),
            ("CHN", "China", "Asia"),
        )
    ],
    "ports": [
        {
            "port_id": p,
            "port_name": n,
            "country_code": c,
            "latitude": la,
            "longitude": lo,
            "location_basis": "reported",
            "port_role": role,
            "source_id": "fixture_source",
            "source_quote": FQ,
        }
        for p, n, c, la, lo, role in (
            ("KRPUS", "Busan", "KOR", "35.0833", "129.1", "export"),
            ("CNNGB", "Ningbo", "CHN", "29.8667", "121.5167", "export"),
            ("CNSHA", "Shanghai", "CHN", "31.36", "121.60", "export"),
            ("USLAX", "Los Angeles", "USA", "33.73", "-118.2625", "import"),
            ("USBAL", "Baltimore", "USA", "39.275", "-76.5845", "import"),
            ("CAVAN", "Vancouver", "CAN", "49.17", "-122.94", "import"),
        )
    ],
    "plant_ports": [
        {
            "plant_id": "renault_korea_busan",
            "port_id": "KRPUS",
            "basis": "reported",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
        {
            "plant_id": "geely_hangzhou_bay",
            "port_id": "CNNGB",
            "basis": "assumed",
            "method": "nearest",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
        {
            "plant_id": "geely_hangzhou_bay",
            "port_id": "CNSHA",
            "basis": "assumed",
            "method": "alternative",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
    ],
    "market_ports": [
        {
            "market_id": m,
            "port_id": p,
            "is_default": d,
            "basis": "assumed",
            "method": "fixture",
            "source_id": "fixture_source",
            "source_quote": FQ,
        }
        for m, p, d in (("USA", "USLAX", "true"), ("USA", "USBAL", "false"), ("CAN", "CAVAN", "true"))
    ],
    "production": [
        {
            "model_id": "polestar_4",
            "plant_id": pl,
            "market_id": m,
            "production_status": st,
            "evidence": "observed" if st in ("pilot", "in_production", "ended") else "announced",
            "start_date": sd,
            "as_of_date": asof,
            "source_id": "fixture_source",
            "source_quote": FQ,
            "checked_on": "2026-11-27",
        }
        for pl, m, st, sd, asof in (
            ("geely_hangzhou_bay", "CHN", "in_production", "2023-11-01", "2023-11-15"),
            ("geely_hangzhou_bay", "USA", "announced", "2024-01-01", "2023-11-15"),
            ("geely_hangzhou_bay", "USA", "ended", "2024-01-01", "2025-06-01"),  # the later claim wins
            ("renault_korea_busan", "USA", "pilot", "2025-07-01", "2025-11-20"),
            ("renault_korea_busan", "CAN", "confirmed", "2025-07-01", "2025-11-20"),
            ("renault_korea_busan", "KOR", "unconfirmed", "2025-07-01", "2025-11-20"),
        )
    ],
    "emission_factors": [
        {
            "emission_factor_id": "glec_fixture",
            "kg_co2e_per_tonne_km": "0.1002",
            "scope": "well_to_wheel",
            "ship_class": "vehicle carrier <29,999 GT",
            "fuel": "VLSFO",
            "framework": "GLEC v3.0",
            "is_default": "true",
            "basis": "reported",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
        {
            "emission_factor_id": "half_fixture",
            "kg_co2e_per_tonne_km": "0.0501",
            "scope": "tank_to_wheel",
            "ship_class": "test",
            "fuel": "HFO",
            "framework": "test",
            "is_default": "false",
            "basis": "reported",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
    ],
    "vessel_speeds": [
        {
            "speed_id": "carrier_15",
            "ship_type": "vehicle carrier",
            "speed_knots": "15",
            "is_default": "true",
            "basis": "reported",
            "source_id": "fixture_source",
            "source_quote": FQ,
        },
    ],
    "volume_scenarios": [
        {
            "scenario_id": "default",
            "plant_id": "renault_korea_busan",
            "year": "2025",
            "volume_units_per_year": "10000",
            "basis": "planned",
            "method": "fixture plan",
            "source_id": "fixture_plan",
            "source_quote": FQ,
        },
    ],
}


def _write_csv(folder: Path, name: str, rows: Iterable[Mapping[str, object]]) -> None:
    table = schema.tables()[name]
    with open(folder / table.path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=table.field_names, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in table.field_names})


def write_data(folder: Path, rows: Mapping[str, list[dict[str, str]]] | None = None) -> Path:
    """Write a valid data folder: the schema's datapackage.json and `rows` (every other table: header only)."""
    rows = ROWS if rows is None else rows
    folder.mkdir(parents=True, exist_ok=True)
    (folder / schema.DESCRIPTOR).write_text(schema.descriptor_text(), encoding="utf-8")
    for name in schema.tables():
        _write_csv(folder, name, rows.get(name, []))
    return folder


# Ports as a plain frame, for route tests that need no data folder.
PORTS = [
    {"port_id": r["port_id"], "longitude": float(r["longitude"]), "latitude": float(r["latitude"])}
    for r in ROWS["ports"]
]


def load_tables(folder: Path) -> Tables:
    """Write the fixture data into `folder` and load it (validated, typed)."""
    return evsupply.load(write_data(folder))


# --- hand-made tables beside the real trade tables ---------------------------------------------------------

REAL = ("sources", "trade_measures", "trade_authorisations", "model_prices", "markets", "market_members")
Q = "test row"


def build_tables(folder: Path, made: Mapping[str, Iterable[Mapping[str, object]]]) -> Tables:
    """Typed Tables: the real trade tables, the hand-made ones in `made`, every other table empty (no validation)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / schema.DESCRIPTOR).write_text(schema.descriptor_text(), encoding="utf-8")
    for name in schema.tables():
        if name in made:
            _write_csv(folder, name, made[name])
        elif name in REAL:
            (folder / f"{name}.csv").write_bytes((DATA_DIR / f"{name}.csv").read_bytes())
        else:
            _write_csv(folder, name, [])
    declared = schema.tables()
    return Tables({n: schema.read_table(folder, t) for n, t in declared.items()}, folder, "test")


def company(company_id: str, country: str = "SWE", kind: str = "company") -> dict[str, object]:
    """A hand-made companies row."""
    return {
        "company_id": company_id,
        "company_name": company_id.replace("_", " ").title(),
        "entity_type": kind,
        "country_code": country,
        "source_id": "test_source",
        "source_quote": Q,
    }


def stake(
    owner: str, owned: str, pct: float, start: str = "2020-01-01", end: str | None = None, preferred: bool = True
) -> dict[str, object]:
    """A hand-made shareholders row (a shareholding)."""
    return {
        "owner_id": owner,
        "owned_id": owned,
        "interest_type": "shareholding",
        "stake_pct": pct,
        "valid_from": start,
        "valid_to": end,
        "is_preferred": "true" if preferred else "false",
        "basis": "reported",
        "source_id": f"src_{owner}",
        "source_quote": Q,
        "checked_on": "2026-11-27",
    }


def control(owner: str, owned: str, start: str = "2020-01-01", end: str | None = None) -> dict[str, object]:
    """A hand-made shareholders row: control with no published stake."""
    return {**stake(owner, owned, 0, start, end), "interest_type": "control", "stake_pct": None}


def graph_tables(folder: Path, stakes: list[dict[str, object]], countries: Mapping[str, str] | None = None) -> Tables:
    """Tables holding only the companies named in `stakes` (and `countries`), for ownership tests."""
    countries = dict(countries or {})
    ids = sorted({str(s["owner_id"]) for s in stakes} | {str(s["owned_id"]) for s in stakes} | set(countries))
    return build_tables(
        folder,
        {
            "companies": [company(i, countries.get(i, "SWE")) for i in ids],
            "shareholders": stakes,
        },
    )


# A hand-made picture of the case (test data: stakes rounded from research-notes §3, holdings above the
# listed companies invented where the notes give none).
CASE_COUNTRIES = {
    "li_shufu": "CHN",
    "zhejiang_geely_holding": "CHN",
    "geely_automobile_holdings": "CYM",
    "psd_investment": "HKG",
    "volvo_cars": "SWE",
    "polestar": "GBR",
    "renault_group": "FRA",
    "renault_korea": "KOR",
    "samsung_card": "KOR",
    "centurion_industries": "HKG",
}
CASE_STAKES = [
    stake("li_shufu", "zhejiang_geely_holding", 90),
    stake("li_shufu", "psd_investment", 100),
    stake("zhejiang_geely_holding", "volvo_cars", 78.7, "2023-11-20"),
    stake("volvo_cars", "polestar", 48.3, "2023-11-22", "2024-02-22"),
    stake("psd_investment", "polestar", 39.2, "2023-11-22", "2025-06-16"),
    stake("volvo_cars", "polestar", 18.0, "2024-02-23", "2025-06-16"),
    stake("volvo_cars", "polestar", 16.0, "2025-06-17"),
    stake("psd_investment", "polestar", 44.0, "2025-06-17"),
    stake("zhejiang_geely_holding", "geely_automobile_holdings", 41),
    stake("geely_automobile_holdings", "centurion_industries", 100, "2022-05-10"),
    stake("centurion_industries", "renault_korea", 34.02, "2022-05-10"),
    stake("renault_group", "renault_korea", 80.04, "2020-12-31", "2022-05-09"),
    stake("samsung_card", "renault_korea", 19.9, "2020-12-31", "2022-05-09"),
    stake("renault_group", "renault_korea", 52.82, "2022-05-10"),
    stake("samsung_card", "renault_korea", 13.13, "2022-05-10"),
]
PLANTS = [
    {
        "plant_id": "renault_korea_busan",
        "plant_name": "Busan",
        "operator_id": "renault_korea",
        "country_code": "KOR",
        "city_name": "Busan",
        "latitude": 35.1,
        "longitude": 128.9,
        "location_basis": "estimated",
        "location_method": "test",
        "plant_status": "operating",
        "source_id": "test_source",
        "source_quote": Q,
    },
    {
        "plant_id": "geely_hangzhou_bay",
        "plant_name": "Hangzhou Bay",
        "operator_id": "zhejiang_geely_holding",
        "country_code": "CHN",
        "city_name": "Cixi",
        "latitude": 30.3,
        "longitude": 121.2,
        "location_basis": "estimated",
        "location_method": "test",
        "plant_status": "operating",
        "source_id": "test_source",
        "source_quote": Q,
    },
    {
        "plant_id": "volvo_ridgeville",
        "plant_name": "Ridgeville",
        "operator_id": "volvo_cars",
        "country_code": "USA",
        "city_name": "Ridgeville",
        "latitude": 33.1,
        "longitude": -80.3,
        "location_basis": "estimated",
        "location_method": "test",
        "plant_status": "operating",
        "source_id": "test_source",
        "source_quote": Q,
    },
]
MODELS = [
    {
        "model_id": "polestar_4",
        "model_name": "Polestar 4",
        "brand_id": "polestar",
        "powertrain": "BEV",
        "source_id": "test_source",
        "source_quote": Q,
    },
    {
        "model_id": "volvo_ex_test",
        "model_name": "Volvo test car",
        "brand_id": "volvo_cars",
        "powertrain": "BEV",
        "source_id": "test_source",
        "source_quote": Q,
    },
    {
        "model_id": "petrol_test",
        "model_name": "Petrol test car",
        "brand_id": "renault_group",
        "powertrain": "ICE",
        "source_id": "test_source",
        "source_quote": Q,
    },
]


def case_tables(folder: Path, stakes: list[dict[str, object]] | None = None) -> Tables:
    """The real trade tables with the hand-made case: companies, stakes, the Busan/Hangzhou Bay/Ridgeville plants."""
    chosen = CASE_STAKES if stakes is None else stakes
    return build_tables(
        folder,
        {
            "companies": [company(i, c) for i, c in CASE_COUNTRIES.items()],
            "shareholders": chosen,
            "plants": PLANTS,
            "models": MODELS,
        },
    )


def capacity_tables(
    folder: Path,
    capacity: list[dict[str, object]],
    output: list[dict[str, object]],
    volumes: list[dict[str, object]] | None = None,
) -> Tables:
    """Case tables plus hand-made plant_capacity, plant_output and volume_scenarios rows."""
    made: dict[str, Iterable[Mapping[str, object]]] = {
        "companies": [company(i, c) for i, c in CASE_COUNTRIES.items()],
        "plants": PLANTS,
        "models": MODELS,
        "plant_capacity": capacity,
        "plant_output": output,
    }
    if volumes is not None:
        made["volume_scenarios"] = volumes
    return build_tables(folder, made)


# --- editing CSV files cell by cell (tests that break a copy of data/) --------------------------------------


def read_rows(file: Path) -> list[list[str]]:
    """The CSV rows of a file, header first."""
    with file.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(file: Path, rows: list[list[str]]) -> None:
    """Write rows back as CSV."""
    with file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(file: Path, row: int, column: str, value: str) -> None:
    """Set one cell (row 1 = the first data row) of a CSV file."""
    rows = read_rows(file)
    rows[row][rows[0].index(column)] = value
    write_rows(file, rows)


def cell(file: Path, row: int, column: str) -> str:
    """Read one cell (row 1 = the first data row) of a CSV file."""
    rows = read_rows(file)
    return rows[row][rows[0].index(column)]


def open_question(question_id: str = "where_is_the_count", **values: str) -> dict[str, str]:
    """A hand-made open_questions row (test data): it names the fixture plan's volume row as the row it would change."""
    return {
        "question_id": question_id,
        "question": "How many cars were shipped?",
        "why_it_matters": "The volume on the lane.",
        "rows_affected": "volume_scenarios:default/renault_korea_busan",
        "looked_on_date": "2026-12-01",
        "look_again_date": "2027-01-15",
        "source_id": "",
        **values,
    }


def one_row(df: pd.DataFrame, **match: object) -> pd.Series:
    """The one row of `df` with these values (a test fails when none or several match)."""
    hit = df
    for column, value in match.items():
        hit = hit[hit[column] == value]
    assert len(hit) == 1, f"{len(hit)} rows match {match}"
    return hit.iloc[0]
