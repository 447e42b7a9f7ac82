"""Test helpers for ownership, policy, landed cost and capacity: small typed tables built in a temporary folder.

The trade tables (`trade_measures`, `trade_authorisations`, `model_prices`) and `sources` are the repository's
real files, so the policy tests pin the engine on the sourced data; companies, shareholders, plants and models
are small hand-made tables (test data, not facts).
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from evsupply.load import Tables, read_tables
from evsupply.paths import DATA_DIR

REAL = ("sources", "trade_measures", "trade_authorisations", "model_prices", "markets")
Q = "test row"


def write_table(folder: Path, name: str, rows: Iterable[Mapping[str, object]]) -> None:
    """Write rows (dicts; missing columns empty) as the CSV of table `name`, columns in schema order."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r["name"] == name)
    columns = [f["name"] for f in res["schema"]["fields"]]
    with (folder / res["path"]).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})


def build_tables(folder: Path, made: Mapping[str, Iterable[Mapping[str, object]]]) -> Tables:
    """Typed Tables of the real trade tables plus the hand-made ones in `made` (no schema validation: fast)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA_DIR / "datapackage.json", folder / "datapackage.json")
    for name in REAL:
        if name not in made:
            shutil.copy(DATA_DIR / f"{name}.csv", folder / f"{name}.csv")
    for name, rows in made.items():
        write_table(folder, name, rows)
    frames, _ = read_tables(folder, only=[*REAL, *made])
    return Tables(frames, folder, "test")


def company(company_id: str, country: str = "SWE", kind: str = "company") -> dict[str, object]:
    """A hand-made companies row."""
    return {"company_id": company_id, "company_name": company_id.replace("_", " ").title(), "entity_type": kind,
            "country_code": country, "source_id": "test_source", "source_quote": Q}


def stake(owner: str, owned: str, pct: float, start: str = "2020-01-01", end: str | None = None,
          preferred: bool = True) -> dict[str, object]:
    """A hand-made shareholders row (a shareholding)."""
    return {"owner_id": owner, "owned_id": owned, "interest_type": "shareholding", "stake_pct": pct,
            "valid_from": start, "valid_to": end,
            "is_preferred": "true" if preferred else "false", "basis": "reported", "source_id": f"src_{owner}",
            "source_quote": Q}


def control(owner: str, owned: str, start: str = "2020-01-01", end: str | None = None) -> dict[str, object]:
    """A hand-made shareholders row: control with no published stake."""
    return {**stake(owner, owned, 0, start, end), "interest_type": "control", "stake_pct": None}


def graph_tables(folder: Path, stakes: list[dict[str, object]], countries: Mapping[str, str] | None = None) -> Tables:
    """Tables holding only the companies named in `stakes` (and `countries`), for ownership tests."""
    countries = dict(countries or {})
    ids = sorted({str(s["owner_id"]) for s in stakes} | {str(s["owned_id"]) for s in stakes} | set(countries))
    return build_tables(folder, {
        "companies": [company(i, countries.get(i, "SWE")) for i in ids],
        "shareholders": stakes,
    })


# A hand-made picture of the case (test data: stakes rounded from research-notes §3, holdings above the
# listed companies invented where the notes give none).
CASE_COUNTRIES = {
    "li_shufu": "CHN", "zhejiang_geely_holding": "CHN", "geely_automobile_holdings": "CYM", "psd_investment": "HKG",
    "volvo_cars": "SWE", "polestar": "GBR", "renault_group": "FRA", "renault_korea": "KOR", "samsung_card": "KOR",
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
    {"plant_id": "renault_korea_busan", "plant_name": "Busan", "operator_id": "renault_korea", "country_code": "KOR",
     "city_name": "Busan", "latitude": 35.1, "longitude": 128.9, "location_basis": "estimated",
     "location_method": "test", "plant_status": "operating", "source_id": "test_source", "source_quote": Q},
    {"plant_id": "geely_hangzhou_bay", "plant_name": "Hangzhou Bay", "operator_id": "zhejiang_geely_holding",
     "country_code": "CHN", "city_name": "Cixi", "latitude": 30.3, "longitude": 121.2, "location_basis": "estimated",
     "location_method": "test", "plant_status": "operating", "source_id": "test_source", "source_quote": Q},
    {"plant_id": "volvo_ridgeville", "plant_name": "Ridgeville", "operator_id": "volvo_cars", "country_code": "USA",
     "city_name": "Ridgeville", "latitude": 33.1, "longitude": -80.3, "location_basis": "estimated",
     "location_method": "test", "plant_status": "operating", "source_id": "test_source", "source_quote": Q},
]
MODELS = [
    {"model_id": "polestar_4", "model_name": "Polestar 4", "brand_id": "polestar", "powertrain": "BEV",
     "source_id": "test_source", "source_quote": Q},
    {"model_id": "volvo_ex_test", "model_name": "Volvo test car", "brand_id": "volvo_cars", "powertrain": "BEV",
     "source_id": "test_source", "source_quote": Q},
    {"model_id": "petrol_test", "model_name": "Petrol test car", "brand_id": "renault_group", "powertrain": "ICE",
     "source_id": "test_source", "source_quote": Q},
]


def case_tables(folder: Path, stakes: list[dict[str, object]] | None = None) -> Tables:
    """The real trade tables with the hand-made case: companies, stakes, the Busan/Hangzhou Bay/Ridgeville plants."""
    chosen = CASE_STAKES if stakes is None else stakes
    return build_tables(folder, {
        "companies": [company(i, c) for i, c in CASE_COUNTRIES.items()],
        "shareholders": chosen,
        "plants": PLANTS,
        "models": MODELS,
    })


def capacity_tables(folder: Path, capacity: list[dict[str, object]], output: list[dict[str, object]],
                    volumes: list[dict[str, object]] | None = None) -> Tables:
    """Case tables plus hand-made plant_capacity, plant_output and volume_scenarios rows."""
    made: dict[str, Iterable[Mapping[str, object]]] = {
        "companies": [company(i, c) for i, c in CASE_COUNTRIES.items()], "plants": PLANTS, "models": MODELS,
        "plant_capacity": capacity, "plant_output": output,
    }
    if volumes is not None:
        made["volume_scenarios"] = volumes
    return build_tables(folder, made)
