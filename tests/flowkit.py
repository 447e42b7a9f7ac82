"""Shared test data for the flow tests: a tiny, valid data folder (the real datapackage.json, a few rows)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from evsupply.paths import DATA_DIR

Q = "fixture quote"
TABLES = ("sources", "companies", "plants", "models", "markets", "ports", "plant_ports", "market_ports", "production",
          "emission_factors", "vessel_speeds", "volume_scenarios")
ROWS: dict[str, list[dict[str, str]]] = {
    "sources": [
        {"source_id": "fixture_source", "publisher": "Test", "title": "Fixture", "url": "https://example.org/fixture",
         "accessed_date": "2026-11-27", "source_kind": "reference", "language": "en"},
        {"source_id": "fixture_plan", "publisher": "Test", "title": "Plan", "url": "https://example.org/plan",
         "published_date": "2023-11-16", "accessed_date": "2026-11-27", "source_kind": "press", "language": "en"},
    ],
    "companies": [
        {"company_id": "renault_korea", "company_name": "Renault Korea", "entity_type": "company",
         "country_code": "KOR", "source_id": "fixture_source", "source_quote": Q},
        {"company_id": "geely_holding", "company_name": "Geely Holding", "entity_type": "company",
         "country_code": "CHN", "source_id": "fixture_source", "source_quote": Q},
        {"company_id": "polestar", "company_name": "Polestar", "entity_type": "company",
         "country_code": "SWE", "source_id": "fixture_source", "source_quote": Q},
    ],
    "plants": [
        {"plant_id": "renault_korea_busan", "plant_name": "Busan plant", "operator_id": "renault_korea",
         "country_code": "KOR", "city_name": "Busan", "latitude": "35.083", "longitude": "128.86",
         "location_basis": "estimated", "location_method": "fixture", "plant_status": "operating",
         "source_id": "fixture_source", "source_quote": Q},
        {"plant_id": "geely_hangzhou_bay", "plant_name": "Hangzhou Bay", "operator_id": "geely_holding",
         "country_code": "CHN", "city_name": "Cixi", "latitude": "30.30", "longitude": "121.20",
         "location_basis": "estimated", "location_method": "fixture", "plant_status": "operating",
         "source_id": "fixture_source", "source_quote": Q},
    ],
    "models": [
        {"model_id": "polestar_4", "model_name": "Polestar 4", "brand_id": "polestar", "powertrain": "BEV",
         "curb_mass_kg": "2230", "source_id": "fixture_source", "source_quote": Q},
    ],
    "markets": [
        {"market_id": m, "market_name": n, "region": r}
        for m, n, r in (("KOR", "South Korea", "Asia"), ("USA", "United States", "North America"),
                        ("CAN", "Canada", "North America"), ("CHN", "China", "Asia"))
    ],
    "ports": [
        {"port_id": p, "port_name": n, "country_code": c, "latitude": la, "longitude": lo, "location_basis": "reported",
         "port_role": role, "source_id": "fixture_source", "source_quote": Q}
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
        {"plant_id": "renault_korea_busan", "port_id": "KRPUS", "basis": "reported", "source_id": "fixture_source",
         "source_quote": Q},
        {"plant_id": "geely_hangzhou_bay", "port_id": "CNNGB", "basis": "assumed", "method": "nearest",
         "source_id": "fixture_source", "source_quote": Q},
        {"plant_id": "geely_hangzhou_bay", "port_id": "CNSHA", "basis": "assumed", "method": "alternative",
         "source_id": "fixture_source", "source_quote": Q},
    ],
    "market_ports": [
        {"market_id": m, "port_id": p, "is_default": d, "basis": "assumed", "method": "fixture",
         "source_id": "fixture_source", "source_quote": Q}
        for m, p, d in (("USA", "USLAX", "true"), ("USA", "USBAL", "false"), ("CAN", "CAVAN", "true"))
    ],
    "production": [
        {"model_id": "polestar_4", "plant_id": pl, "market_id": m, "production_status": st, "start_date": sd,
         "as_of_date": asof, "source_id": "fixture_source", "source_quote": Q}
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
        {"emission_factor_id": "glec_fixture", "kg_co2e_per_tonne_km": "0.1002", "scope": "well_to_wheel",
         "ship_class": "vehicle carrier <29,999 GT", "fuel": "VLSFO", "framework": "GLEC v3.0", "is_default": "true",
         "basis": "reported", "source_id": "fixture_source", "source_quote": Q},
        {"emission_factor_id": "half_fixture", "kg_co2e_per_tonne_km": "0.0501", "scope": "tank_to_wheel",
         "ship_class": "test", "fuel": "HFO", "framework": "test", "is_default": "false",
         "basis": "reported", "source_id": "fixture_source", "source_quote": Q},
    ],
    "vessel_speeds": [
        {"speed_id": "carrier_15", "ship_type": "vehicle carrier", "speed_knots": "15", "is_default": "true",
         "basis": "reported", "source_id": "fixture_source", "source_quote": Q},
    ],
    "volume_scenarios": [
        {"scenario_id": "default", "plant_id": "renault_korea_busan", "year": "2025",
         "volume_units_per_year": "10000", "basis": "planned", "method": "fixture plan", "source_id": "fixture_plan",
         "source_quote": Q},
    ],
}


def write_data(folder: Path, rows: dict[str, list[dict[str, str]]] | None = None) -> Path:
    """Write a valid data folder: the repository's datapackage.json and `rows` (every other table: header only)."""
    rows = ROWS if rows is None else rows
    folder.mkdir(parents=True, exist_ok=True)
    # Only the tables the flows use (and what they refer to): other engineers' tables may be mid-edit.
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in TABLES]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    for resource in descriptor["resources"]:
        names = [f["name"] for f in resource["schema"]["fields"]]
        with open(folder / resource["path"], "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
            writer.writeheader()
            for row in rows.get(resource["name"], []):
                writer.writerow({n: row.get(n, "") for n in names})
    return folder


# Ports as a plain frame, for route tests that need no data folder.
PORTS = [{"port_id": r["port_id"], "longitude": float(r["longitude"]), "latitude": float(r["latitude"])}
         for r in ROWS["ports"]]


def load_tables(folder: Path):  # -> evsupply.Tables
    """Write the fixture data into `folder` and load it (validated, typed)."""
    import evsupply

    return evsupply.load(write_data(folder))
