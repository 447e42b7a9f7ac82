"""Regenerate the parts of docs/ written from the code (`make docs`; `--check` fails if one is out of date).

Each generated part sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` in its file; the text around it is
written by hand. The parts introspect the package, so they follow a function that moves to another module:
- `docs/api.md`: the table of the main functions (each found in the module that defines it today) and the reference
  of every public function and class, with its signature and the first paragraph of its docstring;
- `docs/evidence.md`: the evidence words, from `evsupply.core.evidence`;
- `docs/parameters.md`: every report notebook's parameters, from the report specs (`evsupply/pages/<report>.py`);
- `docs/architecture.md`: the layer folders and their modules, from the package and module docstrings;
- `docs/cli.md`: every `evsupply` command's options, from its argument parser.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import evsupply

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"

# The main functions and classes, in the order the guide shows them; each is listed under the module that defines it.
GUIDE = (
    "build_flows flow_routes summary per_car_comparison sources_used",
    "sea_route",
    "lane_observations plan_vs_observed",
    "look_through look_through_bounds look_through_table ultimate_controller direct_stakes ownership_graph"
    " shareholder_history controllers",
    "market_access Access access_table",
    "landed_cost_timeline default_customs_value access_timeline",
    "state_of_play StateOfPlay",
    "utilisation scenario_utilisation",
    "battery_origin BatteryOrigin battery_table battery_duty market_conditions undecided_conditions",
    "cell_legs",
    "case_table duty_comparison shipping_comparison case_status",
    "holds_on known_on latest latest_row Cited cite source_ids_of",
    "open_questions_for",
    "lane_findings access_findings control_findings utilisation_findings overview_findings battery_findings"
    " atlas_findings",
)
# The figures the guide names, as `module.function` under `evsupply.figures`.
GUIDE_FIGURES = (
    "flows.flow_map flows.flow_sankey flows.plan_vs_observed_figure flows.cell_leg_map"
    " ownership.ownership_graph_figure policy.duty_timeline_figure capacity.utilisation_figure atlas.atlas_map"
    " maps.map_figure maps.base_geo_layout"
)
# The layers, lowest first: the folders of the package (and the modules at its top), as docs/architecture.md lists them.
LAYERS = ("core", "data", "analysis", "findings", "figures", "pages", "render")
TOP_MODULES = ("errors", "export", "cli")
# Where the reference looks for public functions: the layers a Python user calls (pages and render are the reports').
REFERENCE_SCOPE = ("errors", "core", "data", "analysis", "findings", "figures", "export")


def modules(prefix: str) -> list[ModuleType]:
    """`evsupply.<prefix>` and every module below it, in the order of the folders (packages before their modules)."""
    root = importlib.import_module(f"evsupply.{prefix}")
    found = [root]
    if hasattr(root, "__path__"):
        for info in pkgutil.walk_packages(root.__path__, f"{root.__name__}."):
            if not info.name.rsplit(".", 1)[1].startswith("_"):  # a private module is no part of the documented API
                found.append(importlib.import_module(info.name))
    return found


def public(module: ModuleType) -> list[tuple[str, object]]:
    """The functions and classes a module defines itself (not those it imports), in the order it defines them."""
    return [
        (name, obj)
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and getattr(obj, "__module__", None) == module.__name__
    ]


def old_names() -> dict[str, str]:
    """The name a module had before the layers had folders, by its name today (`evsupply.flows` ...)."""
    return {f"evsupply.{new}": f"evsupply.{old}" for old, new in evsupply.MOVED.items()}


def signature(name: str, obj: object) -> str:
    """`name(arg, key=default)`: the call without annotations (a class is its name alone)."""
    if inspect.isclass(obj):
        return name
    sig = inspect.signature(obj)  # type: ignore[arg-type]
    params = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    return f"{name}{sig.replace(parameters=params, return_annotation=inspect.Signature.empty)}"


def summary(obj: object) -> str:
    """The first paragraph of an object's docstring, on one line."""
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def definitions() -> dict[str, list[tuple[str, object]]]:
    """Each public name of the analysis-side layers, with the modules that define it."""
    found: dict[str, list[tuple[str, object]]] = {}
    for prefix in ("core", "data", "analysis", "findings"):
        for module in modules(prefix):
            for name, obj in public(module):
                found.setdefault(name, []).append((module.__name__, obj))
    return found


def usage_table() -> str:
    """The guide's table: the module that defines each main function today, its old name, and the calls."""
    found, rows = definitions(), {}
    for name in " ".join(GUIDE).split():
        homes = found.get(name, [])
        if len(homes) != 1:
            raise SystemExit(f"update_docs: {name!r} is defined in {len(homes)} modules: {[m for m, _ in homes]}")
        module, obj = homes[0]
        rows.setdefault(module, []).append(f"`{signature(name, obj)}`".replace("|", "\\|"))  # a | would end the cell
    figures = []
    for dotted in GUIDE_FIGURES.split():
        module, name = dotted.split(".")
        obj = getattr(importlib.import_module(f"evsupply.figures.{module}"), name)
        figures.append(f"`{module}.{signature(name, obj)}`")
    rows["evsupply.figures"] = figures
    moved = old_names()
    lines = ["| module | functions and classes | also reachable as |", "|---|---|---|"]
    for module, calls in rows.items():
        lines.append(f"| `{module}` | {', '.join(calls)} | {f'`{moved[module]}`' if module in moved else ''} |")
    return "\n".join(lines) + "\n"


def reference() -> str:
    """Every public function and class of the layers a Python user calls, module by module."""
    moved, parts = old_names(), []
    for prefix in REFERENCE_SCOPE:
        for module in modules(prefix):
            names = public(module)
            if not names or module.__name__.startswith("evsupply.data.metadata"):
                continue
            also = f" (also `{moved[module.__name__]}`)" if module.__name__ in moved else ""
            parts += [f"### `{module.__name__}`{also}", "", summary(module), ""]
            parts += [f"- `{signature(name, obj)}`: {summary(obj)}" for name, obj in names]
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def evidence_words() -> str:
    """The evidence vocabulary, strongest first, and how the data's codes map onto it."""
    from evsupply.core import evidence

    lines = ["| word | code | meaning |", "|---|---|---|"]
    for e in sorted(evidence.VOCABULARY.values(), key=lambda e: -e.strength):
        lines.append(f"| {e.word} | `{e.code}` | {e.meaning} |")
    lines += ["", "| data code (`basis`, `evidence`) | word the reports show |", "|---|---|"]
    lines += [f"| `{code}` | {evidence.word(to)} |" for code, to in evidence.DATA_CODES.items()]
    return "\n".join(lines) + "\n"


def parameters() -> str:
    from evsupply.pages import parameter_tables

    return parameter_tables()


def architecture() -> str:
    """Each layer folder: its package docstring, its modules with the first line of theirs, then its folders."""
    parts: list[str] = []

    def folder(package: ModuleType, depth: str) -> None:
        parts.extend(
            [f"{depth} `{package.__name__.replace('.', '/')}/`", "", (inspect.getdoc(package) or "").strip(), ""]
        )
        children = [
            importlib.import_module(i.name) for i in pkgutil.iter_modules(package.__path__, f"{package.__name__}.")
        ]
        parts.extend(
            f"- `{m.__name__.rsplit('.', 1)[1]}`: {summary(m)}" for m in children if not hasattr(m, "__path__")
        )
        parts.append("")
        for sub in (m for m in children if hasattr(m, "__path__")):
            folder(sub, "###")

    for layer in LAYERS:
        folder(importlib.import_module(f"evsupply.{layer}"), "##")
    parts += ["## At the top of `evsupply/`", ""]
    for name in TOP_MODULES:
        parts.append(f"- `{name}`: {summary(importlib.import_module(f'evsupply.{name}'))}")
    return _tidy("\n".join(parts))


def cli() -> str:
    """Every `evsupply` command with its options, read from the argument parser (the same text on every Python)."""
    import argparse

    from evsupply.cli import build_parser

    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    def option(action: argparse.Action) -> str:
        if not action.option_strings:
            return f"`{action.metavar or action.dest}`"
        metavar = "" if action.nargs == 0 else f" {action.metavar or action.dest.upper()}"
        if isinstance(action.metavar, tuple):
            metavar = " " + " ".join(action.metavar)
        if action.choices is not None and action.metavar is None:
            metavar = " {" + ",".join(map(str, action.choices)) + "}"
        if action.nargs in ("+", "*"):
            metavar += " ..."
        return ", ".join(f"`{name}{metavar}`" for name in action.option_strings)

    def described(action: argparse.Action) -> str:
        text = (action.help or "") % {"default": action.default, "prog": "evsupply"}
        return cell(text + (" (required)" if action.required and action.option_strings else ""))

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help for a in sub._choices_actions}
    parts = ["| command | what it does |", "|---|---|"]
    parts += [f"| `evsupply {name}` | {cell(helps.get(name) or '')} |" for name in sub.choices]
    parts.append("")
    for name, command in sub.choices.items():
        parts += [f"### `evsupply {name}`", ""]
        if command.description:
            parts += [cell(command.description), ""]
        parts += ["| option | meaning |", "|---|---|"]
        parts += [
            f"| {option(a)} | {described(a)} |" for a in command._actions if not isinstance(a, argparse._HelpAction)
        ]
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _tidy(text: str) -> str:
    """One blank line between blocks, a blank line after a list, and one final newline."""
    out: list[str] = []
    for line in text.splitlines():
        if out and out[-1].startswith("- ") and line and not line.startswith("- "):
            out.append("")
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"


# file -> the generated parts it holds, by marker name.
PARTS: dict[str, dict[str, Callable[[], str]]] = {
    "api.md": {"usage": usage_table, "reference": reference},
    "evidence.md": {"evidence": evidence_words},
    "parameters.md": {"parameters": parameters},
    "architecture.md": {"layers": architecture},
    "cli.md": {"cli": cli},
}


def regenerated(text: str, parts: dict[str, Callable[[], str]], path: Path) -> str:
    """`text` with each generated part written anew."""
    for name, make in parts.items():
        start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
        if start not in text or end not in text:
            raise SystemExit(f"update_docs: {path} has no {start.strip()} ... {end} markers")
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + start + make() + end + tail
    return text


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for file, parts in PARTS.items():
        path = DOCS / file
        text = path.read_text(encoding="utf-8")
        new = regenerated(text, parts, path)
        if new == text:
            continue
        stale.append(path.relative_to(REPO))
        if not check:
            from evsupply.core.io import write_atomic

            write_atomic(path, new)
    if check and stale:
        print("out of date (run `make docs`): " + ", ".join(map(str, stale)))
        return 1
    print(("updated: " + ", ".join(map(str, stale))) if stale else "docs/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
