"""Files evsupply writes for people: whole or not at all (a hidden temporary name in the same folder, then a rename),
and CSV cells that a spreadsheet reads as text, never runs as a formula."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pandas as pd

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


# OWASP "CSV injection": a cell starting with one of these is a formula (or the start of one) to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that is a plain number (e.g. "-12.5", "-1,234", "+3%"): a spreadsheet reads it as a number, never runs it.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def spreadsheet_safe_text(value: str) -> str:
    """`value` with a leading single quote if a spreadsheet would run it as a formula (plain numbers stay)."""
    if not value.startswith(FORMULA_START) or value in ("-", "+"):  # a lone sign is a placeholder, not a formula
        return value
    if any(c.isdigit() for c in value) and _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` for a CSV download: text cells and column names a spreadsheet would run as formulas (a
    leading =, +, -, @, tab or carriage return) get a leading single quote (the OWASP rule). Numbers, including
    negative ones, and text that is a plain number stay as they are."""
    out = frame.copy()
    out.columns = [spreadsheet_safe_text(c) if isinstance(c, str) else c for c in out.columns]
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        cells = values.astype(object).tolist()
        safe = [spreadsheet_safe_text(v) if isinstance(v, str) else v for v in cells]
        if safe != cells:
            out.isetitem(position, pd.Series(safe, index=out.index, dtype=object))
    return out
