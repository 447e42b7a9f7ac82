"""F1/F3 of the 2026-12 reliability round: a file saved while evsupply validates or loads never earns a verdict
for content that was not checked, and a load returns exactly the content its `version` names."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

import evsupply
from evsupply import cli
from evsupply.data import validate
from evsupply.errors import DataError

STAKE = b"34.02"  # the preferred Centurion stake in Renault Korea (shareholders.csv, line 5)
OVER = b"94.02"  # with Renault's 52.82% and Samsung Card's 13.13%: 160% of one company, which is refused


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(folder))
    return folder


def _versions(data: Path) -> tuple[Path, bytes, bytes]:
    file = data / "shareholders.csv"
    good = file.read_bytes()
    assert good.count(STAKE) >= 1
    return file, good, good.replace(STAKE, OVER, 1)


def _put(file: Path, content: bytes) -> None:
    """Replace the file atomically, as an editor's save or `git stash pop` does."""
    tmp = file.with_name(file.name + ".swap")
    tmp.write_bytes(content)
    os.replace(tmp, file)


def _flipping(target, file: Path, during: bytes, after: bytes):
    """`target` wrapped so that the file holds `during` while it runs and `after` once it returns."""

    def wrapped(*args, **kwargs):
        _put(file, during)
        try:
            return target(*args, **kwargs)
        finally:
            _put(file, after)

    return wrapped


def test_a_file_switched_during_load_gets_no_verdict(data_copy: Path, cache_home: Path, monkeypatch) -> None:
    file, good, bad = _versions(data_copy)
    _put(file, bad)  # hashed as the invalid content...
    real = validate.check
    monkeypatch.setattr(validate, "check", _flipping(real, file, good, bad))  # ...and read as the valid one
    try:
        evsupply.load(data_copy)
    except DataError:
        pass  # checking the hashed bytes finds the error at once: the right outcome too
    monkeypatch.setattr(validate, "check", real)  # (not undo(): that would also drop the private cache)
    with pytest.raises(DataError, match="stakes over 100%"):  # the folder holds the invalid content: refused
        evsupply.load(data_copy)


def test_a_file_switched_during_validate_gets_no_verdict(data_copy: Path, cache_home: Path, monkeypatch) -> None:
    file, good, bad = _versions(data_copy)
    _put(file, bad)
    real = cli.validate
    monkeypatch.setattr(cli, "validate", _flipping(real, file, good, bad))
    cli.main(["validate", "--data-dir", str(data_copy)])
    monkeypatch.setattr(cli, "validate", real)
    with pytest.raises(DataError, match="stakes over 100%"):
        evsupply.load(data_copy)


def test_a_load_returns_the_content_it_hashed(data_copy: Path, cache_home: Path, monkeypatch) -> None:
    """A verdict for the valid content exists; the file changes right after it was hashed: the load returns the
    hashed (valid) content, labelled with its hash, never the new content unchecked."""
    from evsupply.data import load as load_module

    file, _, bad = _versions(data_copy)
    first = evsupply.load(data_copy)  # valid: a verdict for it is stored
    assert len(first.version) == 12
    real = load_module.is_known_valid

    def known_then_switched(digest: str) -> bool:
        answer = real(digest)
        _put(file, bad)  # saved between the hash and any read of the tables
        return answer

    monkeypatch.setattr(load_module, "is_known_valid", known_then_switched)
    tables = evsupply.load(data_copy)
    assert not (tables.shareholders["stake_pct"] == 94.02).any()
    assert tables.version == first.version


def test_a_bounded_race_never_loads_invalid_data(data_copy: Path, cache_home: Path) -> None:
    """Another writer flips the file between the valid and the invalid content for a few seconds while we load:
    every load either returns the valid stakes or raises DataError, and no verdict is left for the invalid one."""
    file, good, bad = _versions(data_copy)
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            for content in (good, bad):
                _put(file, content)
                time.sleep(0.003)

    writer = threading.Thread(target=flip, daemon=True)
    writer.start()
    outcomes = {"valid": 0, "refused": 0}
    deadline = time.monotonic() + 4.0
    try:
        while time.monotonic() < deadline or sum(outcomes.values()) < 3:  # a few loads, even on a slow machine
            try:
                tables = evsupply.load(data_copy)
            except DataError:
                outcomes["refused"] += 1
                continue
            assert not (tables.shareholders["stake_pct"] == 94.02).any(), outcomes
            outcomes["valid"] += 1
    finally:
        stop.set()
        writer.join()
    _put(file, bad)
    with pytest.raises(DataError, match="stakes over 100%"):
        evsupply.load(data_copy)
    assert sum(outcomes.values()) >= 2, outcomes
