"""The package's layering is true: no import cycle, no import against the README's layer order, and every
evsupply import at the top of its module (where a reader sees what a module depends on)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "evsupply"
LAYER_LINE = re.compile(r"^\s+(\d) [a-z]+:\s+(.+)$")


def unit(module: str) -> str:
    """The README's name for a module: its first part below `evsupply` (figures, reports, render, metadata...)."""
    parts = module.split(".")
    return "evsupply" if len(parts) == 1 else parts[1]


def layers() -> dict[str, int]:
    """The README's layer of each unit, from the Layout section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## Layout") :]
    found = {}
    for line in block.splitlines():
        match = LAYER_LINE.match(line)
        if match:
            for name in match.group(2).split():
                found[name] = int(match.group(1))
    return found


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    out = {}
    for file in PACKAGE.rglob("*.py"):
        parts = list(file.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = file
    return out


LAZY = "# lazy:"  # an import inside a function, on purpose: the comment says why


def imports(file: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(imported evsupply module, line, at module top or marked lazy) for each evsupply import of a file."""
    text = file.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    top = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module for a in node.names
            ]
        for target in targets:
            if target == "evsupply" or target.startswith("evsupply."):
                while target not in known:
                    target = target.rsplit(".", 1)[0]
                lazy = LAZY in lines[node.lineno - 1]
                out.append((target, node.lineno, id(node) in top or lazy))
    return out


def graph() -> nx.DiGraph:
    found = modules()
    g = nx.DiGraph()
    for name, file in found.items():
        g.add_node(name)
        for target, line, at_top in imports(file, set(found)):
            g.add_edge(name, target, line=line, at_top=at_top)
    return g


def test_no_import_cycle() -> None:
    g = graph()
    # A package's __init__ may re-export from its own modules; a module importing its package is the cycle risk.
    edges = [(a, b) for a, b in g.edges if not (b != "evsupply" and a == b.rsplit(".", 1)[0])]
    cycles = list(nx.simple_cycles(nx.DiGraph(edges)))
    assert not cycles, cycles


def test_every_evsupply_import_is_at_the_top_of_its_module() -> None:
    # Or, rarely, inside a function with a `# lazy:` comment giving the reason (the render command imports its
    # runner while the kernel helper starts).
    inside = [f"{a} line {d['line']} imports {b}" for a, b, d in graph().edges(data=True) if not d["at_top"]]
    assert not inside, inside


def test_imports_follow_the_readme_layers() -> None:
    order = layers()
    g = graph()
    missing = sorted({unit(m) for m in g.nodes} - set(order))
    assert not missing, f"modules missing from the README's layer list: {missing}"
    against = [
        f"{a} (layer {order[unit(a)]}) imports {b} (layer {order[unit(b)]})"
        for a, b in g.edges
        if order[unit(b)] > order[unit(a)]
    ]
    assert not against, against
