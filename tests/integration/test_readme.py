"""The README is a front door: short, narrow, every link leads to a file of the repository, its Python example prints
what it says it prints, and every `make` target it names exists. The links of docs/ are checked the same way."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

# The repository root, wherever in tests/ this file sits (tests/, tests/unit/ ...).
REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
MAX_LINES, MAX_WIDTH = 150, 120
# [text](target) and ![alt](target); a target ends at the first space or closing bracket.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def links(text: str) -> list[str]:
    """The targets of the Markdown links and images of `text`, outside code blocks and code spans."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (but - and _), spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, flags=re.M)}


def broken_links(path: Path, root: Path = REPO) -> list[str]:
    """Each relative link of a Markdown file whose file (or heading) is not in the repository `root`, with why."""
    broken = []
    for target in links(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: ... leave the repository
            broken.append(f"{target}: not a file of the repository")
            continue
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.is_file() or not resolved.is_relative_to(root):
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no heading #{anchor} in {resolved.relative_to(root)}")
    return broken


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


def test_no_readme_line_is_wider_than_120_characters() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    wide = [(n, len(line)) for n, line in enumerate(lines, 1) if len(line) > MAX_WIDTH]
    assert not wide, f"README.md lines (number, width) wider than {MAX_WIDTH}: {wide}"


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_resolves(path: Path) -> None:
    assert not broken_links(path)


def test_the_link_check_sees_links_and_fails_on_a_broken_one(tmp_path: Path) -> None:
    # Without this the check above could pass by finding no link at all.
    assert len(links(README.read_text(encoding="utf-8"))) >= 10
    page = REPO / "docs" / "README.md"
    assert "api.md" in links(page.read_text(encoding="utf-8"))
    fake = tmp_path / "x.md"
    fake.write_text(
        "# A `code` heading\n[a](nope.md) [b](https://example.org) `[c](code.md)` ![d](x.md) [e](x.md#a-code-heading)"
        " [f](x.md#no-such-heading) [g](../outside.md)\n"
    )
    (tmp_path.parent / "outside.md").write_text("outside the repository\n")
    assert broken_links(fake, root=tmp_path) == [
        "nope.md: no such file",
        "https://example.org: not a file of the repository",
        "x.md#no-such-heading: no heading #no-such-heading in x.md",
        "../outside.md: no such file",
    ]


def test_the_readme_shows_a_report_picture_under_200_kb() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text(encoding="utf-8"))
    assert images and all(t.startswith("docs/img/") and t.endswith(".png") for t in images), images
    for target in images:
        assert (REPO / target).stat().st_size <= 200_000, target


def test_every_make_target_the_readme_names_exists() -> None:
    named = set(re.findall(r"`make ([a-z][a-z-]*)`|^make ([a-z][a-z-]*)", README.read_text(encoding="utf-8"), re.M))
    targets = {a or b for a, b in named}
    assert {"reports", "test", "test-fast"} <= targets, targets
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    missing = sorted(t for t in targets if not re.search(rf"^{re.escape(t)}:", makefile, re.M))
    assert not missing, f"the README names make targets the Makefile lacks: {missing}"


def test_the_python_example_prints_what_the_readme_says() -> None:
    text = README.read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    shown = text.split("```python\n", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown
    # The numbers from the sources, by hand. US duty on 2026-11-27: a Busan car pays the Korea rate of Section 232
    # under the US-Korea deal, 15% all-in (ghy_2025_korea_15pct, over the KORUS 0% base: ustr_korus_auto_provisions);
    # a Hangzhou Bay car pays the 2.5% MFN base (btlaw_2025_auto_tariffs) + 100% Section 301
    # (livingston_2024_section301) + 25% Section 232 (omnitrans_2025_section232) = 127.5%. Model year 2027 is barred:
    # Polestar's authorisation under the connected-vehicle rule was refused (rbtfl_2026_polestar_us_ban). Geely
    # Automobile Holdings holds 34.02% of Renault Korea through Centurion Industries
    # (automotiveworld_geely_rkm_2022_05_10). 304 Polestar 4 exported to Canada in November 2025 (donga_2025_12_01).
    assert shown.splitlines()[:4] == [
        f"renault_korea_busan {15.0} True",
        f"geely_hangzhou_bay {2.5 + 100 + 25} True",
        "False",
        "34.02",
    ]
    assert "304 exported in November 2025" in shown
