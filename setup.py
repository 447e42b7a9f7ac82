"""Build hook: ship the data and the report notebooks inside the package (`evsupply/bundled/`), so an installed
evsupply loads its validated data and renders its reports from any folder. All other metadata is in
pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = {"data": ("*.csv", "datapackage.json", "LICENSE", "CHANGELOG.md"), "notebooks": ("*.ipynb", "reports.yml")}


class BuildWithBundle(build_py):
    """build_py, then copy data/ and the notebooks into the built package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "evsupply" / "bundled"
        for folder, patterns in BUNDLED.items():
            for pattern in patterns:
                for file in sorted((ROOT / folder).glob(pattern)):
                    dest = target / folder / file.name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(file, dest)


setup(cmdclass={"build_py": BuildWithBundle})
