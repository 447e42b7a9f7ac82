"""Files appear whole or not at all: write to a hidden temporary name in the same folder, then rename."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

TMP_GLOB = ".*.evsupply-tmp*"
# `.<stem>.<pid>-<8 hex>.evsupply-tmp<suffix>`: the pid says whether the writer may still be at work.
_TMP_RE = re.compile(r"^\..*\.(\d+)-[0-9a-f]{8}\.evsupply-tmp[^/]*$")


def why_not_creatable(path: Path) -> str | None:
    """Why `path` (which does not exist) cannot be created, or None when its nearest existing ancestor is a
    writable folder."""
    ancestor = Path(path).parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"{ancestor} is not a folder"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"the folder {ancestor} is not writable"
    return None


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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep_temps(*folders: Path) -> int:
    """Delete the temporary files that writers who have since died left directly in `folders`; return how many.

    Only the folders themselves are searched, not their subfolders, and only files named by `temp_path` whose
    writer's process is gone: a live writer's file (another render sharing a state folder) is left alone.
    """
    count = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for tmp in folder.glob(TMP_GLOB):
            match = _TMP_RE.match(tmp.name)
            if not match or tmp.is_symlink() or not tmp.is_file():
                continue
            pid = int(match.group(1))
            if pid != os.getpid() and _pid_alive(pid):
                continue
            tmp.unlink(missing_ok=True)
            count += 1
    return count
