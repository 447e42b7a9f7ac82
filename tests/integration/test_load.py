"""The loader returns every table typed as the schema says, plants and ports as GeoDataFrames."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

import evsupply
from evsupply.data.schema import tables as schema_tables

DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}


@pytest.fixture(scope="module")
def tables() -> evsupply.Tables:
    return evsupply.load()


def test_every_table_with_schema_types(tables: evsupply.Tables) -> None:
    declared = schema_tables()
    assert list(tables) == list(declared)
    for name, table in declared.items():
        df = tables[name]
        for field in table.fields:
            dtype = df[field["name"]].dtype
            if field["type"] == "date":
                assert pd.api.types.is_datetime64_dtype(dtype), (name, field["name"])
            elif field["type"] == "boolean" and field.get("constraints", {}).get("required"):
                assert str(dtype) == "bool", (name, field["name"], dtype)  # a required flag has no NA
            else:
                assert str(dtype) == DTYPES[field["type"]], (name, field["name"], dtype)


def test_geo_tables(tables: evsupply.Tables) -> None:
    for name in ("plants", "ports"):
        gdf = tables[name]
        assert isinstance(gdf, gpd.GeoDataFrame) and gdf.crs.to_epsg() == 4326
        assert (gdf.geometry.x == gdf["longitude"]).all() and (gdf.geometry.y == gdf["latitude"]).all()


def test_attribute_and_key_access(tables: evsupply.Tables) -> None:
    assert tables.plants is tables["plants"]
    with pytest.raises(KeyError, match="no table 'plantz'"):
        tables["plantz"]
    assert len(tables.version) == 12


def test_founding_article_facts_are_in_the_tables(tables: evsupply.Tables) -> None:
    cap = tables.plant_capacity
    busan = cap[(cap["plant_id"] == "renault_korea_busan") & cap["is_preferred"]]
    assert 300_000 in set(busan["capacity_units_per_year"].dropna())
    assert 2_000 in set(busan["employees_count"].dropna())
    out = tables.plant_output
    bounded = out[(out["plant_id"] == "renault_korea_busan") & (out["bound"] == "upper_bound")]
    assert {2020, 2021, 2022} <= set(bounded.loc[bounded["output_units"] == 200_000, "year"])
    sh = tables.shareholders
    geely = sh[(sh["owned_id"] == "renault_korea") & (sh["stake_pct"] == 34.02)]
    assert not geely.empty and (geely["valid_from"].dt.year == 2022).all()
    prod = tables.production
    busan_p4 = prod[(prod["model_id"] == "polestar_4") & (prod["plant_id"] == "renault_korea_busan")]
    assert {"USA", "CAN", "KOR"} <= set(busan_p4["market_id"])
    assert (busan_p4["start_date"].dropna() >= pd.Timestamp("2025-07-01")).all()
    china = prod[
        (prod["model_id"] == "polestar_4")
        & (prod["plant_id"] == "geely_hangzhou_bay")
        & (prod["source_id"] == "founding_article_econotimes_2023")
    ]
    assert set(china["market_id"]) == {"CHN"}


def test_a_cached_load_types_every_column_as_a_validating_load(data_copy, tmp_path, monkeypatch) -> None:
    # The first load of a folder validates it (the column checks type the frames); the second trusts the signed
    # verdict and parses the file. Both must give the same dtypes: a cache is never an authority (a required flag such
    # as is_preferred was `boolean` on the first and `bool` on the second).
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(tmp_path / "cache"))
    first = evsupply.load(data_copy)
    second = evsupply.load(data_copy)
    for name in schema_tables():
        assert first[name].dtypes.to_dict() == second[name].dtypes.to_dict(), name
    assert str(first["shareholders"]["is_preferred"].dtype) == "bool"
