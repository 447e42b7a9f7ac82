"""Signed verdicts of validation, kept in this user's private cache (`evsupply.core.cache`): "this data folder is valid"
(read by `load`) and "this table passes its schema checks" (read by `validate`, which then checks only the tables
that changed). A verdict names the content's SHA-256 and the fingerprint of the rules; any doubt means check again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from evsupply._version import __version__
from evsupply.core.cache import open_store
from evsupply.core.paths import PACKAGE_DIR

# The code that decides validity: a verdict is reused only while these files are unchanged.
RULE_FILES = (
    "data/validate.py",
    "data/rules.py",
    "data/verdicts.py",
    "data/snapshot.py",
    "data/vectorised.py",
    "data/schema.py",
    "data/freshness.py",
    "data/trade_frames.py",
    "core/claims.py",
    "data/geo.py",
    "data/metadata/fields.py",
    "data/metadata/resources.py",
)
SUB = "verdicts"


def rules_fingerprint() -> str:
    """A hash of evsupply's version and of the code that decides validity."""
    digest = hashlib.sha256(__version__.encode())
    for name in RULE_FILES:
        digest.update((PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def tables_known_sound(digests: Mapping[str, str | None]) -> set[str]:
    """Of the tables given with their content digests (`snapshot.Entry.digest`), those with a signed verdict that
    this content passes the schema checks under the current rules."""
    store = open_store(sub=SUB)
    if store is None:
        return set()
    fingerprint = rules_fingerprint()
    known = set()
    for name, digest in digests.items():
        text = store.read(_table_entry(name, digest, fingerprint)) if digest else None
        if text and store.verify(text.decode("ascii", errors="replace").strip(), "table", name, digest, fingerprint):
            known.add(name)
    return known


def remember_sound(digests: Mapping[str, str | None]) -> None:
    """Store a signed verdict "passes its schema checks" for each table given with the digest of the bytes that
    were checked (never a digest taken again afterwards: a file may have changed since)."""
    store = open_store(sub=SUB)
    if store is None:
        return
    fingerprint = rules_fingerprint()
    for name, digest in digests.items():
        if digest:
            store.write(_table_entry(name, digest, fingerprint), store.sign("table", name, digest, fingerprint) + "\n")


def _table_entry(name: str, digest: str | None, fingerprint: str) -> str:
    return f"table-{name}-{digest}-{fingerprint}.sound"
