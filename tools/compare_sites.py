"""Compare two rendered sites as a reader meets them: the visible text of every page and every CSV download.

    python tools/compare_sites.py BEFORE_SITE AFTER_SITE

Prints each difference and exits 1 when there is one. Render timestamps, content hashes and the commit are masked
(they change with every render); everything else must be identical, word for word and byte for byte. Used to show
that a refactoring changed no behaviour (`evsupply render --out BEFORE` on the old commit, `--out AFTER` on the new).
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

# What legitimately changes between two renders of the same content.
MASKS = (
    (re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| UTC)?"), "<time>"),
    (re.compile(r"\b[0-9a-f]{12,64}\b"), "<hash>"),
    (re.compile(r"^\d+(\.\d+)? s$"), "<seconds>"),  # the index's render time of each report
)


def visible_text(html: str) -> list[str]:
    """The page's text as a reader sees it, one line per block, with render-specific values masked."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template", "noscript"]):
        tag.decompose()
    lines = [" ".join(line.split()) for line in soup.get_text("\n").splitlines()]
    out = []
    for line in lines:
        if not line:
            continue
        for pattern, word in MASKS:
            line = pattern.sub(word, line)
        out.append(line)
    return out


def compare(before: Path, after: Path) -> list[str]:
    """Every difference between the two sites' pages and downloads, as printable lines."""
    problems: list[str] = []
    kinds = {"*.html": "page", "data/**/*.csv": "download"}
    for pattern, kind in kinds.items():
        old = {p.relative_to(before) for p in before.glob(pattern)}
        new = {p.relative_to(after) for p in after.glob(pattern)}
        problems += [f"{kind} only before: {p}" for p in sorted(old - new)]
        problems += [f"{kind} only after: {p}" for p in sorted(new - old)]
        for rel in sorted(old & new):
            a, b = (before / rel).read_bytes(), (after / rel).read_bytes()
            if kind == "download":
                if a != b:
                    problems.append(f"download differs: {rel}")
                continue
            ta, tb = visible_text(a.decode("utf-8")), visible_text(b.decode("utf-8"))
            if ta != tb:
                diff = difflib.unified_diff(ta, tb, f"before/{rel}", f"after/{rel}", n=0, lineterm="")
                problems.append("\n".join(list(diff)[:40]))
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    before, after = (Path(a) for a in argv)
    problems = compare(before, after)
    pages = len(list(after.glob("*.html")))
    downloads = len(list(after.glob("data/**/*.csv")))
    for problem in problems:
        print(problem)
    print(f"{pages} pages and {downloads} downloads compared: {len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
