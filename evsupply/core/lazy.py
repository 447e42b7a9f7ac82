"""Import a heavy library only when it is first used, from an import statement at the top of a module."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """The module `name`, loaded on first attribute access (already imported: the module itself).

    For libraries only some code paths need (Frictionless to validate, pyogrio to read shapes): a loaded,
    already-validated data folder never pays for importing them.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


_LAZY_TYPE = getattr(importlib.util, "_LazyModule", ())  # the class a lazy module has until it is loaded


def _is_unloaded(module: object) -> bool:
    """Whether `module` is a lazy module (from `lazy_module`) whose library has not been loaded yet."""
    return isinstance(module, _LAZY_TYPE)


@contextmanager
def unloaded_set_aside() -> Iterator[list[str]]:
    """Within the block, lazy modules not loaded yet are out of `sys.modules`, so code that walks it (ipykernel
    reads every module's `__file__` at start) does not load them; they are put back after. Yields their names."""
    aside = {name: module for name, module in list(sys.modules.items()) if _is_unloaded(module)}
    for name in aside:
        del sys.modules[name]
    try:
        yield list(aside)
    finally:
        for name, module in aside.items():
            sys.modules.setdefault(name, module)


def submodule(package: str, name: str) -> ModuleType:
    """The module `package.name`, imported on first attribute access of a package (a package's `__getattr__`);
    AttributeError when the folder has no such module."""
    if name.startswith("_"):
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    try:
        return importlib.import_module(f"{package}.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"{package}.{name}":
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        raise
