"""Files appear whole or not at all: write to a hidden temporary name in the same folder, then rename."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

TMP_GLOB = ".*.evsupply-tmp*"


def temp_path(path: Path) -> Path:
    """A unique hidden temporary name next to `path` (same filesystem, so the rename is atomic)."""
    return path.with_name(f".{path.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.evsupply-tmp{path.suffix}")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path`; readers see the old file or the new one, never a partial one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as handle:  # open() honours the umask: a published page stays world-readable
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def move_atomic(src: Path, dest: Path) -> None:
    """Rename `src` onto `dest` (same filesystem), creating dest's folder."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dest)


def sweep_temps(*folders: Path) -> int:
    """Delete temporary files a killed writer left behind in `folders`; return how many."""
    count = 0
    for folder in folders:
        if folder.is_dir():
            for tmp in folder.rglob(TMP_GLOB):
                tmp.unlink(missing_ok=True)
                count += 1
    return count
