"""Caches that cannot lie: a verdict or a route is used only if this user's evsupply wrote it for this content, and
a cache that cannot be used (a file, read-only, full, shared) costs speed, never a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from kit import PORTS

from evsupply.analysis.shipping import routes
from evsupply.analysis.shipping.routes import RouteCache, sea_route
from evsupply.core import cache as cache_mod

# Busan (KRPUS) to Vancouver (CAVAN): the great-circle distance is about 8,200 km (kit coordinates; WGS 84), so a
# "route" of 1 km between them is a forgery, not a shortcut.
ORIGIN, DEST = "KRPUS", "CAVAN"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def ports() -> pd.DataFrame:
    return pd.DataFrame(PORTS)


def points(ports: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    found = routes.port_points(ports)
    return found[ORIGIN], found[DEST]


def test_a_key_others_may_read_is_not_used(cache_home: Path) -> None:
    store = cache_mod.open_store(sub="verdicts")
    assert store is not None
    os.chmod(store.folder / cache_mod.KEY_FILE, 0o644)
    assert cache_mod.open_store(sub="verdicts") is None


# --- routes ------------------------------------------------------------------------------------------------------


def route_file(cache: RouteCache, ports: pd.DataFrame) -> Path:
    origin, dest = points(ports)
    return cache.folder / f"{routes.route_key(origin, dest)}.json"


@pytest.fixture(scope="module")
def genuine(ports: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A route computed once, and the file the cache wrote for it."""
    cache = RouteCache(folder=tmp_path_factory.mktemp("routes"))
    route = sea_route(ORIGIN, DEST, ports, speed_knots=15, cache=cache)
    return {"km": route.distance_km, "entry": json.loads(route_file(cache, ports).read_text(encoding="utf-8"))}


@pytest.mark.parametrize(
    "content",
    [
        "{}",
        "[]",
        "null",
        '{"record": {}, "digest": "00"}',
        '{"record": {"coordinates": "x", "distance_km": "far", "passages": 3}}',
        "\x00\xff not json",
    ],
    ids=["empty object", "list", "null", "empty record", "wrong types", "binary"],
)
def test_a_damaged_route_file_is_recomputed(ports: pd.DataFrame, tmp_path: Path, genuine: dict, content) -> None:
    cache = RouteCache(folder=tmp_path)
    file = route_file(cache, ports)
    file.write_text(content, encoding="utf-8", errors="surrogateescape")
    route = sea_route(ORIGIN, DEST, ports, speed_knots=15, cache=cache)
    assert (cache.computed, cache.disk_hits) == (1, 0)
    assert route.distance_km == pytest.approx(genuine["km"])
    again = RouteCache(folder=tmp_path)  # the recomputed route replaced the damaged file
    sea_route(ORIGIN, DEST, ports, speed_knots=15, cache=again)
    assert (again.computed, again.disk_hits) == (0, 1)


def test_a_well_formed_fake_route_is_not_used(ports: pd.DataFrame, tmp_path: Path, genuine: dict) -> None:
    cache = RouteCache(folder=tmp_path)
    origin, dest = points(ports)
    fake = {"coordinates": [list(origin), list(dest)], "distance_km": 1.0, "passages": []}
    # The old unsigned format and the new one with a made-up digest: neither is believed.
    for entry in (fake, {"record": fake, "digest": "0" * 64}):
        route_file(cache, ports).write_text(json.dumps(entry), encoding="utf-8")
        cache.clear_memory()
        route = sea_route(ORIGIN, DEST, ports, speed_knots=15, cache=cache)
        assert route.distance_km == pytest.approx(genuine["km"])
    assert cache.disk_hits == 0


@pytest.mark.parametrize(
    "change",
    [
        {"distance_km": 1.0},  # far shorter than the great circle (about 8,200 km)
        {"distance_km": float("inf")},
        {"distance_km": -5.0},
        {"coordinates": "ends elsewhere"},
        {"passages": [1, 2]},
    ],
    ids=["too short", "infinite", "negative", "ends elsewhere", "passages not names"],
)
def test_a_signed_but_implausible_route_is_recomputed(ports, tmp_path: Path, genuine: dict, change: dict) -> None:
    """Even an entry signed with the cache's own key (a bug in an older evsupply) must look like a route."""
    cache = RouteCache(folder=tmp_path)
    origin, dest = points(ports)
    record = dict(genuine["entry"]["record"])
    record.update(change)
    if record["coordinates"] == "ends elsewhere":  # a real line, moved 10 degrees north of both ports
        record["coordinates"] = [[lon, lat + 10] for lon, lat in genuine["entry"]["record"]["coordinates"]]
    store = cache.store()
    key = routes.route_key(origin, dest)
    payload = json.dumps(record, sort_keys=True, separators=(",", ":"), allow_nan=True)
    entry = {"record": record, "digest": store.sign("route", key, payload)}
    route_file(cache, ports).write_text(json.dumps(entry), encoding="utf-8")
    route = sea_route(ORIGIN, DEST, ports, speed_knots=15, cache=cache)
    assert (cache.computed, cache.disk_hits) == (1, 0)
    assert route.distance_km == pytest.approx(genuine["km"])


def test_a_genuine_route_passes_the_plausibility_check(ports: pd.DataFrame, genuine: dict) -> None:
    origin, dest = points(ports)
    assert routes.route_problem(genuine["entry"]["record"], origin, dest) is None
    assert routes.route_problem(genuine["entry"]["record"], dest, origin) is not None  # ends at the wrong ports
