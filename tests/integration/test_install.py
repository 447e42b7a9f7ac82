"""The package works when pip-installed: a wheel in a fresh environment loads its bundled data and renders the
bundled reports from a folder outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from evsupply.data.metadata import PACKAGE
from evsupply.render import load_manifest

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(cmd)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fresh virtual environment with the built wheel installed (its dependencies come from this one's)."""
    root = tmp_path_factory.mktemp("install")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(root / "wheel"),
            str(REPO),
        ],
        cwd=root,
    )
    wheel = next((root / "wheel").glob("evsupply-*.whl"))
    fresh = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], cwd=root)
    python = fresh / "bin" / "python"
    run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        cwd=root,
    )
    # The dependencies (not evsupply) from this environment: a plain path entry, whose .pth files (the editable
    # install of the checkout) are not processed, so `import evsupply` finds only the installed wheel.
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=root).strip()
    Path(site, "_deps_from_test_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    work = root / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVSUPPLY_")}
    env |= {
        "EVSUPPLY_CACHE_DIR": str(root / "cache"),
        "PATH": f"{fresh / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        # The dependencies' data files (nbconvert's templates), which a real install puts in the environment.
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
    }
    return {"python": python, "bin": fresh / "bin", "work": work, "env": env, "site": Path(site)}


def test_installed_package_loads_its_bundled_data_from_any_folder(installed: dict) -> None:
    out = run(
        [
            str(installed["python"]),
            "-c",
            "import evsupply; t = evsupply.load(); print(evsupply.__file__); print(t.data_dir); "
            "print(len(t.cases), t.data_version)",
        ],
        cwd=installed["work"],
        env=installed["env"],
    )
    module, folder, counts = out.strip().splitlines()
    assert module.startswith(str(installed["site"]))
    assert folder == str(installed["site"] / "evsupply" / "bundled" / "data")
    cases = sum(1 for _ in open(REPO / "data" / "cases.csv", encoding="utf-8")) - 1
    assert counts.split() == [str(cases), PACKAGE["version"]]


def test_installed_package_still_reads_a_users_own_copy(installed: dict, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "mydata"
    shutil.copytree(REPO / "data", copy)
    out = run(
        [str(installed["python"]), "-c", f"import evsupply; print(evsupply.load({str(copy)!r}).data_dir)"],
        cwd=installed["work"],
        env=installed["env"],
    )
    assert out.strip() == str(copy)


def test_installed_package_renders_the_bundled_reports(installed: dict) -> None:
    """Every bundled notebook renders from the installed package, outside the repository: the first report of each
    (a matrix's other reports run the same notebook with other parameters; the browser tests render them all)."""
    firsts: dict[str, str] = {}
    for report in load_manifest(REPO / "notebooks" / "reports.yml"):
        firsts.setdefault(report.notebook.name, report.name)
    assert len(firsts) >= 8
    site = installed["work"] / "site"
    run(
        [str(installed["bin"] / "evsupply"), "render", "--out", str(site), "--quiet", "--only", *firsts.values()],
        cwd=installed["work"],
        env=installed["env"],
        timeout=900,
    )
    pages = {p.name for p in site.glob("*.html")}
    assert {"index.html", *(f"{name}.html" for name in firsts.values())} <= pages
    assert {"flows_busan.html", "atlas.html", "market_access.html", "batteries.html"} <= pages
    assert "Key findings" in (site / "flows_busan.html").read_text(encoding="utf-8")
