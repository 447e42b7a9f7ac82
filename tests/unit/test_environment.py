"""environment.yml (conda) and pyproject.toml (pip) list the same dependencies with the same bounds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
# conda-forge names that differ from PyPI names.
CONDA_TO_PYPI = {"jupyter_client": "jupyter-client", "python-kaleido": "kaleido"}


def pyproject_requirements() -> dict[str, str]:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(meta["dependencies"]) + [r for extra in meta["optional-dependencies"].values() for r in extra]
    parsed = [Requirement(r) for r in reqs]
    return {canonicalize_name(r.name): str(r.specifier) for r in parsed}


def conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    for dep in env["dependencies"]:
        if not isinstance(dep, str) or dep.split(">")[0].split("=")[0].split("<")[0] in {"python", "pip"}:
            continue
        req = Requirement(dep.replace(" ", ""))
        out[canonicalize_name(CONDA_TO_PYPI.get(req.name, req.name))] = str(req.specifier)
    return out


def test_same_packages_and_bounds() -> None:
    assert conda_requirements() == pyproject_requirements()


def test_python_version_agrees() -> None:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda_python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert conda_python == "python" + meta["requires-python"]
