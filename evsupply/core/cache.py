"""On-disk caches that cannot lie: a folder only this user can write, and entries signed with a key kept in it.

A cache is an optimisation, never an authority. An entry is trusted only when its keyed digest (HMAC-SHA256 with a
secret from a 0600 key file in the same folder) matches: a file written by hand, by another user or by another
program is ignored. A folder that is not ours, that others may write, or that cannot be created, read or written
is no cache at all: the caller computes again (slower, never wrong, never a crash).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from evsupply.core.io import temp_path, write_atomic
from evsupply.core.paths import cache_dir

KEY_FILE = ".key"
KEY_BYTES = 32
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a route or a verdict is far smaller; anything bigger is not ours


@dataclass(frozen=True)
class Store:
    """A private cache folder and its key: `sign` and `verify` entries, `read` and `write` them (never raising)."""

    folder: Path
    key: bytes

    def sign(self, kind: str, *parts: str) -> str:
        """The keyed digest of an entry of `kind` ("verdict", "route", ...) made of `parts`."""
        message = "\0".join((kind, *parts)).encode("utf-8")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def verify(self, digest: object, kind: str, *parts: str) -> bool:
        """True if `digest` is the keyed digest of these parts (compared in constant time)."""
        return isinstance(digest, str) and hmac.compare_digest(digest, self.sign(kind, *parts))

    def read(self, name: str) -> bytes | None:
        """The bytes of entry `name`, or None if it is missing, not a regular file of ours, or unreadable."""
        return _read_private(self.folder / name, limit=MAX_ENTRY_BYTES, exact_mode=False)

    def write(self, name: str, data: bytes | str) -> bool:
        """Write entry `name` atomically; False (nothing left behind) when the disk refuses."""
        try:
            write_atomic(self.folder / name, data)
        except OSError:
            return False
        return True


def open_store(folder: Path | None = None, sub: str = "") -> Store | None:
    """The private cache `folder/sub` (default folder: `cache_dir()`), created if need be; None if it is unusable.

    Usable means: a folder (not a link), owned by this user, that neither group nor others may write, holding (or
    now given) a key file owned by this user that only this user may read.
    """
    try:
        base = Path(folder) if folder is not None else cache_dir()
        path = base / sub if sub else base
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to put ~/.cache in
        return None
    if not is_private_dir(base) or not is_private_dir(path):
        return None
    key = _key(path)
    return Store(path, key) if key is not None else None


def is_private_dir(path: Path) -> bool:
    """True if `path` is a real folder owned by this user that neither group nor others may write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _key(folder: Path) -> bytes | None:
    """This folder's secret key, created (0600, atomically) when there is none; None if it cannot be trusted."""
    file = folder / KEY_FILE
    key = _read_private(file, limit=KEY_BYTES + 1, exact_mode=True)
    if key is not None or file.exists() or file.is_symlink():
        return key if key is not None and len(key) == KEY_BYTES else None
    tmp = temp_path(file)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, file)  # fails if another process made the key first: then theirs is the key
    except FileExistsError:
        pass
    except OSError:
        return None
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
    key = _read_private(file, limit=KEY_BYTES + 1, exact_mode=True)
    return key if key is not None and len(key) == KEY_BYTES else None


def _read_private(file: Path, limit: int, exact_mode: bool) -> bytes | None:
    """Read a regular file owned by this user (not through a link); with `exact_mode`, only if no one else may
    read or write it. None when it is missing, not ours, too big or unreadable."""
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:  # missing, a link (ELOOP), unreadable, a folder...
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > limit:
                return None
            if exact_mode and info.st_mode & 0o077:
                return None
            return handle.read(limit + 1)
        except OSError:
            return None
