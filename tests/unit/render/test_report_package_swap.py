"""F6: a report's data package is replaced whole: on a full disk the old package stays complete (the round saw 1
or 5 of 7 files and no datapackage.json after the old folder had been deleted)."""

from __future__ import annotations

import errno
import json
import urllib.parse
from pathlib import Path

import pytest

from evsupply.render import site as site_module
from evsupply.render.site import write_report_data


def _page(tables: dict[str, str]) -> str:
    links = []
    for name, csv_text in tables.items():
        links.append(
            f'<a class="evsupply-download" download="{name}.csv" '
            f'href="data:text/csv;charset=utf-8,{urllib.parse.quote(csv_text)}">csv</a>'
        )
        package = json.dumps({"resources": [{"name": name, "path": f"{name}.csv"}], "sources": []})
        links.append(
            f'<a class="evsupply-metadata" download="{name}.datapackage.json" '
            f'href="data:application/json;charset=utf-8,{urllib.parse.quote(package)}">json</a>'
        )
    return "<html><body>" + "".join(links) + "</body></html>"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_full_disk_keeps_the_old_package_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = write_report_data(tmp_path, "capacity", _page({"a": "x\n1\n", "b": "y\n2\n", "c": "z\n3\n"}))
    before = _files(old)
    # The CSVs, their data package and the download-everything zip (issue 25; no data version in this test).
    assert sorted(before) == ["a.csv", "b.csv", "c.csv", "capacity.zip", "datapackage.json"]
    real = site_module.write_atomic
    written: list[Path] = []

    def fills_the_disk(path: Path, data: bytes | str) -> None:
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        real(path, data)

    monkeypatch.setattr(site_module, "write_atomic", fills_the_disk)
    with pytest.raises(OSError, match="No space"):
        write_report_data(tmp_path, "capacity", _page({"a": "x\n9\n", "b": "y\n9\n", "d": "w\n9\n"}))
    assert _files(old) == before  # the old package, every file of it
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["capacity"]  # no temporary folder left


def test_a_new_package_replaces_the_old_one_entirely(tmp_path: Path) -> None:
    write_report_data(tmp_path, "capacity", _page({"a": "x\n1\n", "gone": "g\n1\n"}))
    folder = write_report_data(tmp_path, "capacity", _page({"a": "x\n2\n"}))
    assert sorted(_files(folder)) == ["a.csv", "capacity.zip", "datapackage.json"]
    assert _files(folder)["a.csv"] == b"x\n2\n"
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["capacity"]
