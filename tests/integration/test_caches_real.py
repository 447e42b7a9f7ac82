"""Verdict caches on a copy of the real data: a forged, foreign or shared verdict never makes invalid data load, and a
cache that cannot be used costs speed, never a crash (route caches on hand-made ports are in tests/unit/core)."""

from __future__ import annotations

import builtins
import errno
import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest
from kit import PORTS, set_cell

import evsupply
from evsupply import cli
from evsupply.analysis.shipping.routes import RouteCache, sea_route
from evsupply.core import cache as cache_mod
from evsupply.core import paths
from evsupply.data import schema, validate
from evsupply.data.load import rules_fingerprint
from evsupply.errors import DataError

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


def break_data(folder: Path) -> None:
    set_cell(folder / "plants.csv", 1, "plant_status", "dreaming")


def verdict_names(folder: Path) -> list[str]:
    """Every name a verdict for this folder's content may have had: the short hash (before) and the full one."""
    full = hashlib.sha256()
    for file in sorted([*folder.glob("*.csv"), *folder.glob("datapackage.json")]):
        full.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    fingerprint = rules_fingerprint()
    return [f"{full.hexdigest()[:12]}-{fingerprint}.valid", f"{full.hexdigest()}-{fingerprint}.valid"]


# --- verdicts --------------------------------------------------------------------------------------------------


def test_a_forged_verdict_does_not_make_invalid_data_load(data_copy: Path, cache_home: Path) -> None:
    break_data(data_copy)
    verdicts = cache_home / "verdicts"
    verdicts.mkdir(parents=True)
    for name in verdict_names(data_copy):  # written by hand: empty, or a digest made without the key
        (verdicts / name).write_text(hashlib.sha256(name.encode()).hexdigest() + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="dreaming"):
        evsupply.load(data_copy)


def test_a_verdict_signed_by_another_cache_is_not_trusted(data_copy: Path, tmp_path: Path, monkeypatch) -> None:
    mine = tmp_path / "mine"
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(mine))
    evsupply.load(data_copy)  # valid: a signed verdict in "mine"
    (name,) = [p.name for p in (mine / "verdicts").glob("*.valid")]
    break_data(data_copy)
    # Another cache (another user's key) holding a genuine verdict, renamed to the broken content's name.
    other = tmp_path / "other"
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(other))
    store = cache_mod.open_store(sub="verdicts")
    assert store is not None and store.key != cache_mod.open_store(mine, "verdicts").key
    broken = paths.data_digest(data_copy)
    fingerprint = rules_fingerprint()
    (other / "verdicts" / f"{broken}-{fingerprint}.valid").write_bytes((mine / "verdicts" / name).read_bytes())
    with pytest.raises(DataError, match="dreaming"):
        evsupply.load(data_copy)


def test_a_verdict_is_stored_signed_and_reused(data_copy: Path, cache_home: Path, monkeypatch) -> None:
    evsupply.load(data_copy)
    key = cache_home / "verdicts" / ".key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    assert not (cache_home / "verdicts").stat().st_mode & 0o022

    def no_validation(*args, **kwargs):
        raise AssertionError("validated again although a signed verdict exists")

    monkeypatch.setattr(validate, "check", no_validation)
    assert len(evsupply.load(data_copy).plants) > 0


def test_only_the_tables_that_changed_are_checked_again(data_copy: Path, cache_home: Path, monkeypatch) -> None:
    assert validate.validate(data_copy) == []  # every table passes: a signed verdict per table
    assert len(list((cache_home / "verdicts").glob("table-*.sound"))) == len(schema.tables())
    checked: list[str] = []
    original = validate.check_table_schema

    def recording(where, data, table):
        checked.append(table.name)
        return original(where, data, table)

    monkeypatch.setattr(validate, "check_table_schema", recording)
    break_data(data_copy)
    problems = validate.validate(data_copy)
    assert checked == ["plants"]
    assert [(p.rule, p.value) for p in problems if p.level == "error"] == [("constraint", "dreaming")]


def test_a_forged_table_verdict_does_not_pass_a_broken_table(data_copy: Path, cache_home: Path) -> None:
    break_data(data_copy)
    digest = hashlib.sha256((data_copy / "plants.csv").read_bytes()).hexdigest()
    folder = cache_home / "verdicts"
    folder.mkdir(parents=True)
    name = f"table-plants-{digest}-{rules_fingerprint()}.sound"  # written by hand, without the key
    (folder / name).write_text(hashlib.sha256(name.encode()).hexdigest() + "\n", encoding="utf-8")
    assert (folder / name).exists()
    with pytest.raises(DataError, match="dreaming"):
        evsupply.load(data_copy)


def test_validate_command_stores_its_verdict(data_copy: Path, cache_home: Path, monkeypatch) -> None:
    assert cli.main(["validate", "--data-dir", str(data_copy)]) == 0

    def no_validation(*args, **kwargs):
        raise AssertionError("load() validated again after `evsupply validate` found the data valid")

    monkeypatch.setattr(validate, "check", no_validation)
    assert len(evsupply.load(data_copy).plants) > 0


def test_a_cache_others_may_write_is_not_used(data_copy: Path, cache_home: Path) -> None:
    cache_home.mkdir(mode=0o777)
    os.chmod(cache_home, 0o777)  # a shared folder: anyone could have put a verdict there
    evsupply.load(data_copy)
    assert not (cache_home / "verdicts").exists() or cache_mod.open_store(sub="verdicts") is None
    (cache_home / "verdicts").mkdir(exist_ok=True)
    os.chmod(cache_home / "verdicts", 0o777)
    assert cache_mod.open_store(sub="verdicts") is None
    break_data(data_copy)
    with pytest.raises(DataError):
        evsupply.load(data_copy)


# --- caches that cannot be used ----------------------------------------------------------------------------------


def test_cache_dir_that_is_a_file_costs_speed_only(data_copy: Path, tmp_path: Path, monkeypatch, ports) -> None:
    file = tmp_path / "not-a-folder"
    file.write_text("x", encoding="utf-8")
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(file))
    assert len(evsupply.load(data_copy).plants) > 0
    route = sea_route(ORIGIN, DEST, ports, speed_knots=15, cache=RouteCache())
    assert route.distance_km > 8_000
    assert file.read_text(encoding="utf-8") == "x"


class ReadOnlyDisk:
    """Every attempt to create or write a file fails as on a read-only (or full) file system."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
        self.code = code
        real_open, real_os_open = builtins.open, os.open

        def guarded_open(file, mode="r", *args, **kwargs):
            if any(flag in mode for flag in "wax+"):
                raise OSError(code, os.strerror(code), str(file))
            return real_open(file, mode, *args, **kwargs)

        def guarded_os_open(path, flags, *args, **kwargs):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                raise OSError(code, os.strerror(code), str(path))
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded_open)
        monkeypatch.setattr(os, "open", guarded_os_open)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_unwritable_cache_costs_speed_only(data_copy: Path, cache_home: Path, monkeypatch, ports, code) -> None:
    cache_home.mkdir()
    ReadOnlyDisk(monkeypatch, code)
    assert len(evsupply.load(data_copy).plants) > 0
    first = RouteCache()
    route = sea_route(ORIGIN, DEST, ports, speed_knots=15, cache=first)
    assert route.distance_km > 8_000 and first.computed == 1
    monkeypatch.undo()
    leftovers = [p for p in cache_home.rglob("*") if p.is_file()]
    assert leftovers == [], "a refused write left a file behind"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_cache_dir_costs_speed_only(data_copy: Path, cache_home: Path, ports) -> None:
    cache_home.mkdir()
    os.chmod(cache_home, 0o500)
    try:
        assert len(evsupply.load(data_copy).plants) > 0
        assert sea_route(ORIGIN, DEST, ports, speed_knots=15, cache=RouteCache()).distance_km > 8_000
    finally:
        os.chmod(cache_home, 0o700)
