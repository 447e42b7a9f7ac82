"""The package's layering is true: every import runs down the layer table below (never up, never sideways between
`findings` and `figures`), no import cycle (nor one between the sub-folders of `analysis/`), no old module name
(`evsupply.flows`...) inside the package, and every evsupply import at the top of its module (where a reader sees
what a module depends on)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import evsupply

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
PACKAGE = REPO / "evsupply"

# The layers from the bottom, written here (not read from the docs): each unit (a folder of the package, or a module
# at its top) and the units it may import besides its own. `findings` and `figures` sit side by side above
# `analysis`: findings write sentences from the analyses' numbers; figures draw frames they are given, using only
# `core` and the data layer's labels, so neither imports the other and figures import no analysis.
BELOW: dict[str, set[str]] = {}
BELOW["core"] = {"errors", "_version"}
BELOW["errors"] = BELOW["_version"] = set()  # the ground floor, with `core`
BELOW["data"] = {"core", *BELOW["core"]}
BELOW["analysis"] = {"data", *BELOW["data"]}
BELOW["findings"] = {"analysis", *BELOW["analysis"]}
BELOW["figures"] = {"data", *BELOW["data"]}
BELOW["pages"] = {"findings", "figures", *BELOW["findings"], *BELOW["figures"]}
BELOW["render"] = {"pages", *BELOW["pages"]}
TOP = ("cli", "export", "evsupply")  # the command line, the GIS export, the package's __init__: may import any layer
for name in TOP:
    BELOW[name] = {"render", *BELOW["render"], *(t for t in TOP if t != name)}

LAZY = "# lazy:"  # an import inside a function, on purpose: the comment says why
OLD_NAMES = set(evsupply.MOVED)  # `evsupply.flows` ... : names kept for users, never used inside the package


def unit(module: str) -> str:
    """A module's unit: its first part below `evsupply` (core, data, analysis, ..., cli), or `evsupply` itself."""
    parts = module.split(".")
    return "evsupply" if len(parts) == 1 else parts[1]


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    out = {}
    for file in PACKAGE.rglob("*.py"):
        parts = list(file.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = file
    return out


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


def old_names(file: Path) -> list[str]:
    """Each use of an old module name in a file: `import evsupply.flows`, `from evsupply.policy import ...`,
    `from evsupply import state`, or `evsupply.flows...` reached as an attribute of the package."""
    found = []
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "evsupply" else [node.module]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "evsupply":
            names = [f"evsupply.{node.attr}"]
        for name in names:
            parts = name.split(".")
            if parts[0] == "evsupply" and len(parts) > 1 and parts[1] in OLD_NAMES:
                found.append(f"{file.relative_to(REPO)} line {node.lineno}: {name}")
    return found


def graph() -> nx.DiGraph:
    found = modules()
    g = nx.DiGraph()
    for name, file in found.items():
        g.add_node(name)
        for target, line, at_top in imports(file, set(found)):
            g.add_edge(name, target, line=line, at_top=at_top)
    return g


def imported_as(target: str, g: nx.DiGraph) -> set[str]:
    """The units an import of `target` brings in. `import evsupply` runs only the package's own top imports
    (`load`, `Tables`, the errors: the data layer; the rest it reaches lazily, on first use), so importing the package
    counts as importing those units, not the top."""
    if target != "evsupply":
        return {unit(target)}
    return {unit(b) for b in g.successors("evsupply") if b != "evsupply"}


def against_the_layers(g: nx.DiGraph) -> list[str]:
    out = []
    for a, b, data in g.edges(data=True):
        for layer in sorted(imported_as(b, g) - {unit(a)} - BELOW[unit(a)]):
            allowed = sorted(BELOW[unit(a)])
            out.append(f"{a} ({unit(a)}) line {data['line']} imports {b} ({layer}); {unit(a)} may import {allowed}")
    return out


def test_the_layer_table_reads_one_way() -> None:
    # The table itself: a unit stands only on units of the table, and no two units stand on each other.
    assert all(below <= set(BELOW) for below in BELOW.values())
    below_only = nx.DiGraph([(a, b) for a, below in BELOW.items() for b in below if a not in TOP or b not in TOP])
    assert nx.is_directed_acyclic_graph(below_only), list(nx.simple_cycles(below_only))
    assert "findings" not in BELOW["analysis"] and not {"analysis", "findings"} & BELOW["figures"]
    assert "figures" not in BELOW["findings"]


def test_every_unit_of_the_package_is_in_the_layer_table() -> None:
    missing = sorted({unit(m) for m in modules()} - set(BELOW))
    assert not missing, f"folders or top modules missing from the layer table in {Path(__file__).name}: {missing}"


def test_imports_follow_the_layer_table() -> None:
    against = against_the_layers(graph())
    assert not against, "\n".join(against)


def test_no_import_cycle() -> None:
    g = graph()
    # A package's __init__ may re-export from its own modules; a module importing its package is the cycle risk.
    edges = [(a, b) for a, b in g.edges if not (b != "evsupply" and a == b.rsplit(".", 1)[0])]
    cycles = list(nx.simple_cycles(nx.DiGraph(edges)))
    assert not cycles, cycles


def analysis_part(module: str) -> str:
    """The sub-folder of analysis/ a module sits in (shipping, trade, ...), or its own name at the root (markets...)."""
    return module.split(".")[2] if module.count(".") >= 2 else "analysis"


def test_the_sub_folders_of_analysis_import_each_other_without_a_cycle() -> None:
    g = graph()
    parts = nx.DiGraph()
    for a, b in g.edges:
        if unit(a) == unit(b) == "analysis" and analysis_part(a) != analysis_part(b):
            parts.add_edge(analysis_part(a), analysis_part(b))
    assert len(parts) >= 5, sorted(parts)  # shipping, trade, batteries, cases and the root modules they stand on
    cycles = list(nx.simple_cycles(parts))
    assert not cycles, cycles


def test_no_old_module_name_inside_the_package() -> None:
    assert {"flows", "policy", "state"} <= OLD_NAMES
    found = [use for file in sorted(modules().values()) for use in old_names(file)]
    assert not found, found


def test_every_evsupply_import_is_at_the_top_of_its_module() -> None:
    # Or, rarely, inside a function with a `# lazy:` comment giving the reason (the render command imports its
    # runner while the kernel helper starts).
    inside = [f"{a} line {d['line']} imports {b}" for a, b, d in graph().edges(data=True) if not d["at_top"]]
    assert not inside, inside
