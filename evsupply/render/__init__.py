"""Render notebooks × parameter sets into an offline HTML report site (see `evsupply render --help`).

The public names are imported on first use, so `evsupply --help` stays quick.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


def skip_optional_iri_grammar() -> None:
    """Keep jsonschema from importing its optional IRI checker, rfc3987_syntax (about 1 s of grammar compiling).

    jsonschema only uses it to check the "iri" string formats, which neither nbformat's notebook schema nor plotly
    uses; both work the same without it. It must run before jsonschema is imported, so it runs when the render
    machinery (render process, its workers, the kernel zygote and so every report kernel) is first imported.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None means "not installed"


skip_optional_iri_grammar()

_EXPORTS = {
    "Job": "job",
    "Result": "job",
    "render_one": "job",
    "ManifestError": "manifest",
    "Report": "manifest",
    "load_manifest": "manifest",
    "render": "runner",
    "summary": "runner",
    "RenderError": "errors",
    "RenderBusyError": "errors",
    "RenderInterrupted": "errors",
    "SiteError": "errors",
    "Kernels": "kernels",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"evsupply.render.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'evsupply.render' has no attribute {name!r}")
