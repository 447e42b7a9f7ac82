"""Which port a plant exports from and which port a market imports through: data first, stated fall-backs after."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd

from evsupply.analysis.markets import market_points, members
from evsupply.analysis.shipping.routes import land_km
from evsupply.core.tables import Tables
from evsupply.errors import DataError, Problem

EXPORT_COLUMNS = ["plant_id", "export_port_id", "export_port_basis", "export_link_source_id"]
IMPORT_COLUMNS = ["market_id", "import_port_id", "import_port_basis", "import_link_source_id"]


def nearest_port(
    tables: Tables, countries: Collection[str], lon: float, lat: float, roles: tuple[str, ...]
) -> str | None:
    """The port of `countries` with one of `roles` nearest to (lon, lat), or None."""
    ports = tables["ports"]
    candidates = ports[ports["country_code"].isin(list(countries)) & ports["port_role"].isin(roles)]
    if candidates.empty:
        return None
    km = land_km(lon, lat, candidates["longitude"], candidates["latitude"])
    return str(candidates["port_id"].iloc[int(np.argmin(km))])


def export_port_choice(
    tables: Tables, plant_ids: Sequence[str], overrides: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The export port of each plant: the override ("user"), else its `plant_ports` link ("link"; the nearest if
    several), else the nearest export port of the plant's country ("nearest", an assumption the lane shows)."""
    overrides = dict(overrides or {})
    wanted = pd.DataFrame({"plant_id": pd.Series(list(plant_ids), dtype="string")})
    plants = tables["plants"][["plant_id", "country_code", "longitude", "latitude"]]
    ports = tables["ports"][["port_id", "longitude", "latitude"]].rename(
        columns={"longitude": "plon", "latitude": "plat"}
    )
    links = tables["plant_ports"][["plant_id", "port_id", "source_id"]]
    links = links[links["plant_id"].isin(wanted["plant_id"])]
    links = links.merge(plants, on="plant_id", validate="m:1").merge(ports, on="port_id", validate="m:1")
    # Several linked ports: take the nearest (vectorised, one row per link).
    links = links.assign(km=land_km(links["longitude"], links["latitude"], links["plon"], links["plat"]))
    links = links.sort_values(["plant_id", "km"], kind="stable").drop_duplicates("plant_id")
    out = wanted.merge(links[["plant_id", "port_id", "source_id"]], on="plant_id", how="left", validate="1:1")
    out.columns = ["plant_id", "export_port_id", "export_link_source_id"]
    out["export_port_basis"] = pd.Series("link", index=out.index, dtype="string").where(out["export_port_id"].notna())
    user = out["plant_id"].isin(list(overrides))
    out.loc[user, "export_port_id"] = out.loc[user, "plant_id"].map(overrides)
    out.loc[user, "export_port_basis"] = "user"
    out.loc[user, "export_link_source_id"] = pd.NA
    by_id = plants.set_index("plant_id")
    for i in out.index[out["export_port_id"].isna()]:  # no link: the nearest export port of the country
        plant_id = out.at[i, "plant_id"]
        plant = by_id.loc[plant_id]
        port = nearest_port(tables, [plant["country_code"]], plant["longitude"], plant["latitude"], ("export", "both"))
        # Else any port of the country (one recorded for imports), still marked as our nearest-port assumption.
        port = port or nearest_port(tables, [plant["country_code"]], plant["longitude"], plant["latitude"], ("import",))
        if port is None:
            raise DataError(
                [
                    Problem(
                        "plant_ports.csv",
                        "port link",
                        f"plant '{plant_id}' has no export port "
                        "and its country none (add a plant_ports row or pass export_ports)",
                        column="plant_id",
                        value=plant_id,
                    )
                ]
            )
        out.loc[i, ["export_port_id", "export_port_basis"]] = [port, "nearest"]
    return out[EXPORT_COLUMNS].astype("string")


def import_port_choice(
    tables: Tables, market_ids: Sequence[str], overrides: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The import port of each market: the override ("user"), else its `market_ports` default ("link"), else the
    import port of the market's countries nearest its market point ("nearest", an assumption the lane shows)."""
    links = tables["market_ports"]
    defaults = links[links["is_default"]].set_index("market_id")
    rows = []
    for market_id in market_ids:
        if overrides and market_id in overrides:
            row = (overrides[market_id], "user", pd.NA)
        elif market_id in defaults.index:
            row = (defaults.loc[market_id, "port_id"], "link", defaults.loc[market_id, "source_id"])
        else:
            point = market_points(tables, [market_id]).iloc[0]
            port = nearest_port(
                tables, members(tables, market_id), point["longitude"], point["latitude"], ("import", "both")
            )
            if port is None:
                raise DataError(
                    [
                        Problem(
                            "market_ports.csv",
                            "port link",
                            f"market '{market_id}' has no default "
                            "import port and no port of its own (add a market_ports row with "
                            "is_default true, or pass import_ports)",
                            column="market_id",
                            value=market_id,
                        )
                    ]
                )
            row = (port, "nearest", pd.NA)
        rows.append(dict(zip(IMPORT_COLUMNS, (market_id, *row), strict=True)))
    return pd.DataFrame(rows, columns=IMPORT_COLUMNS).astype("string")


def with_ports(
    lanes: pd.DataFrame, tables: Tables, import_ports: Mapping[str, str], export_ports: Mapping[str, str]
) -> pd.DataFrame:
    """Lanes with their export and import ports (none for a lane by land)."""
    sea = ~lanes["is_domestic"]
    exp = export_port_choice(tables, lanes.loc[sea, "plant_id"].unique().tolist(), export_ports)
    imp = import_port_choice(tables, lanes.loc[sea, "market_id"].unique().tolist(), import_ports)
    out = lanes.merge(exp, on="plant_id", how="left", validate="m:1").merge(
        imp, on="market_id", how="left", validate="m:1"
    )
    for col in EXPORT_COLUMNS[1:] + IMPORT_COLUMNS[1:]:
        out[col] = out[col].astype("string").where(~out["is_domestic"], pd.NA)
    return out
