"""One read of a data folder: the bytes of every table and of datapackage.json, read once and hashed once.

What is validated, parsed and named by a verdict is these bytes, never a second read of the folder: a file saved
while evsupply works (an editor, `git stash pop`) can cost a re-validation, never a verdict for content that was
not checked (issue 26, F1).
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from evsupply.core.paths import data_dir

DESCRIPTOR = "datapackage.json"
# A descriptor is a few hundred kB; anything far larger (or endless, such as /dev/zero) is not one.
MAX_DESCRIPTOR_BYTES = 16 * 1024 * 1024
# A table file larger than this is refused before it is read (the 1,000,000-row benchmark table is ~560 MB).
MAX_TABLE_BYTES = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One file of the folder as read: its bytes, or why they could not be read (`problem`)."""

    name: str
    data: bytes | None
    problem: str | None = None  # "missing", "not a file", "too large", "unreadable: ..."

    @functools.cached_property
    def digest(self) -> str | None:
        """The SHA-256 of the bytes read (None when nothing could be read), computed once."""
        return None if self.data is None else hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Snapshot:
    """The folder's `*.csv` files and datapackage.json as read once; `digest` is the hash of exactly these bytes."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    def release(self, name: str) -> None:
        """Let go of a file's bytes once they are parsed (a large table need not be held twice); its digest and
        the folder's stay as they were."""
        _ = self.digest
        entry = self.entries.get(name)
        if entry is not None and entry.data is not None:
            _ = entry.digest
            released = Entry(name, None, "released")
            released.__dict__["digest"] = entry.digest
            self.entries[name] = released

    def get(self, name: str) -> Entry:
        """The entry of a file name (a `missing` entry when the folder had no such file)."""
        return self.entries.get(name) or Entry(name, None, "missing")

    @functools.cached_property
    def digest(self) -> str:
        """The SHA-256 of the folder as read (computed once, as `evsupply.core.paths.data_digest` does)."""
        digest = hashlib.sha256()
        for name in sorted(self.entries):
            entry = self.entries[name]
            if entry.problem == "missing":
                continue
            digest.update(name.encode() + b"\0")
            if entry.data is not None:
                digest.update(entry.data)
            elif entry.problem == "not a file":
                digest.update(b"(not a file)")
            else:
                digest.update(b"(unreadable)")
            digest.update(b"\0")
        return digest.hexdigest()


def read_bytes(file: Path, limit: int) -> Entry:
    """A file's bytes, read once without following it into a FIFO or a device, and at most `limit` of them."""
    name = file.name
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return Entry(name, None, "missing")
    except IsADirectoryError:
        return Entry(name, None, "not a file")
    except OSError as exc:
        return Entry(name, None, f"unreadable: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Entry(name, None, "not a file")
        if info.st_size > limit:
            return Entry(name, None, f"too large: {info.st_size} bytes, more than {limit}")
        # One read of the file's size (plus a byte, to tell a file that grew): no list of chunks joined into a
        # second copy, and bytes, which pandas and Frictionless read without copying them again.
        data = os.read(fd, info.st_size + 1)
        chunks = [data]
        size = len(data)
        while data and (data := os.read(fd, 1 << 20)):  # short read, or the file grew while being read
            chunks.append(data)
            size += len(data)
            if size > limit:
                return Entry(name, None, f"too large: more than {limit} bytes")
        return Entry(name, chunks[0] if len(chunks) == 1 else b"".join(chunks))
    except OSError as exc:
        return Entry(name, None, f"unreadable: {exc.strerror or exc}")
    finally:
        os.close(fd)


def take(path: str | os.PathLike[str] | None = None) -> Snapshot:
    """Read the data folder once: each `*.csv` entry and datapackage.json (a folder that is missing gives none)."""
    folder = data_dir(path)
    entries: dict[str, Entry] = {}
    if folder.is_dir():
        for file in sorted(folder.glob("*.csv")):
            if file.is_symlink() and not file.exists():
                entries[file.name] = Entry(file.name, None, "not a file")  # hashed by name, as data_digest does
                continue
            entries[file.name] = read_bytes(file, MAX_TABLE_BYTES)
        descriptor = read_bytes(folder / DESCRIPTOR, MAX_DESCRIPTOR_BYTES)
        if descriptor.problem != "missing":
            entries[DESCRIPTOR] = descriptor
    return Snapshot(folder, entries)
