"""Who owns whom on a day: the shareholder graph, look-through stakes and ultimate controllers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx
import pandas as pd

from evsupply.core import claims
from evsupply.core.claims import Cited, cite
from evsupply.core.parameters import check_bool, check_choice, check_date, ids
from evsupply.core.tables import Tables
from evsupply.data.names import names_by_id
from evsupply.errors import DataError, ParameterError, Problem

CONTROL_THRESHOLD_PCT = 50.0
_company_ids = ids("companies", "company_id")
EDGE_COLUMNS = [
    "owner_id",
    "owned_id",
    "interest_type",
    "stake_pct",
    "valid_from",
    "valid_to",
    "basis",
    "source_id",
    "source_quote",
]


def direct_stakes(tables: Tables, as_of: dt.date | str, preferred_only: bool = True) -> pd.DataFrame:
    """The shareholder rows that hold on `as_of` (preferred claims only, by default), with owner and owned names."""
    day = check_date("as_of", as_of)
    rows = tables["shareholders"]
    if check_bool("preferred_only", preferred_only):
        rows = rows[rows["is_preferred"]]
    live = claims.holds_on(rows, day)[EDGE_COLUMNS].reset_index(drop=True)
    names = names_by_id(tables, "company_id")
    live.insert(1, "owner_name", live["owner_id"].map(names))
    live.insert(3, "owned_name", live["owned_id"].map(names))
    return live


def ownership_graph(tables: Tables, as_of: dt.date | str, preferred_only: bool = True) -> nx.DiGraph:
    """Directed graph owner -> owned of the stakes held on `as_of`; nodes carry the `companies` columns.

    Edge attributes: stake_pct, controls (a control interest with no published stake: stake_pct 0), source_ids
    (a tuple), basis. Two preferred rows for one owner and company on one day are added up (e.g. shares held through two
    classes reported separately).
    """
    edges = direct_stakes(tables, as_of, preferred_only)
    graph = nx.DiGraph(as_of=str(check_date("as_of", as_of)))
    companies = tables["companies"].set_index("company_id")
    companies = companies.astype(object).where(companies.notna(), None)  # a missing value is None on the node
    graph.add_nodes_from(companies.to_dict("index").items())
    for e in edges.to_dict("records"):
        controls = e["interest_type"] == "control"
        pct = 0.0 if pd.isna(e["stake_pct"]) else float(e["stake_pct"])
        if graph.has_edge(e["owner_id"], e["owned_id"]):
            data = graph.edges[e["owner_id"], e["owned_id"]]
            data["stake_pct"] += pct
            data["controls"] = data["controls"] or controls
            data["source_ids"] = (*data["source_ids"], str(e["source_id"]))
        else:
            graph.add_edge(
                e["owner_id"],
                e["owned_id"],
                stake_pct=pct,
                controls=controls,
                source_ids=(str(e["source_id"]),),
                basis=str(e["basis"]),
            )
    return graph


def check_acyclic(graph: nx.DiGraph) -> None:
    """Raise DataError naming the companies of a cross-holding cycle, which look-through cannot resolve."""
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    chain = " -> ".join([str(u) for u, _ in cycle] + [str(cycle[-1][1])])
    raise DataError(
        [
            Problem(
                "shareholders.csv",
                "ownership cycle",
                f"cross-holding cycle on {graph.graph.get('as_of', '?')}: {chain}; look-through stakes need an "
                "acyclic graph",
                column="owner_id, owned_id",
                value=chain,
            )
        ]
    )


def look_through_in_graph(graph: nx.DiGraph, owner_id: str, owned_id: str) -> float:
    """Look-through stake (percent) of `owner_id` in `owned_id`: the products of stakes along each chain, summed.

    A control interest with no published stake carries no share, so chains through it add nothing.
    """
    check_acyclic(graph)
    if owner_id == owned_id:
        return 100.0
    # share[n] = fraction of n held by owner_id through every chain; computed in topological order (no cycles).
    share: dict[str, float] = {owner_id: 1.0}
    for node in nx.topological_sort(graph):
        if node == owner_id:
            continue
        total = sum(
            share.get(parent, 0.0) * graph.edges[parent, node]["stake_pct"] / 100.0
            for parent in graph.predecessors(node)
        )
        if total:
            share[node] = total
    return 100.0 * share.get(owned_id, 0.0)


def look_through(tables: Tables, owner_id: str, owned_id: str, as_of: dt.date | str) -> float:
    """Look-through stake (percent) of `owner_id` in `owned_id` on `as_of`; a cross-holding cycle raises DataError."""
    known = _company_ids(tables)
    check_choice("owner_id", owner_id, known)
    check_choice("owned_id", owned_id, known)
    return look_through_in_graph(ownership_graph(tables, as_of), owner_id, owned_id)


@dataclass(frozen=True)
class LookThrough:
    """A look-through stake as a bound: at least `min_pct`, plus `unknown_edges` holdings of unknown size."""

    owner_id: str
    owned_id: str
    as_of: dt.date
    min_pct: float
    unknown_edges: tuple[tuple[str, str], ...]
    source_ids: tuple[str, ...]

    @property
    def is_exact(self) -> bool:
        """True when every holding on the way has a published stake (the bound is the value)."""
        return not self.unknown_edges

    @property
    def max_pct(self) -> float | None:
        """The upper bound: the value when exact, else unknown (None)."""
        return self.min_pct if self.is_exact else None

    def words(self) -> str:
        """'7.70%', or 'at least 7.70%, plus 2 holdings of unknown size'."""
        if self.is_exact:
            return f"{self.min_pct:.2f}%"
        n = len(self.unknown_edges)
        return f"at least {self.min_pct:.2f}%, plus {n} holding{'s' if n > 1 else ''} of unknown size"


def look_through_bounds_in_graph(graph: nx.DiGraph, owner_id: str, owned_id: str) -> LookThrough:
    """The look-through stake of `owner_id` in `owned_id` as a bound: the known chains give the lower bound, and
    every control interest without a published stake on a chain between them is an unknown holding (never 0)."""
    check_acyclic(graph)
    low = look_through_in_graph(graph, owner_id, owned_id)
    if owner_id == owned_id or owner_id not in graph or owned_id not in graph:
        on_way: set[str] = set()
    else:
        on_way = (nx.descendants(graph, owner_id) | {owner_id}) & (nx.ancestors(graph, owned_id) | {owned_id})
    edges = [(u, v) for u, v in graph.subgraph(on_way).edges if u != owned_id]
    unknown = tuple(
        sorted((u, v) for u, v in edges if graph.edges[u, v]["controls"] and not graph.edges[u, v]["stake_pct"])
    )
    sources = tuple(dict.fromkeys(s for u, v in sorted(edges) for s in graph.edges[u, v]["source_ids"]))
    day = pd.Timestamp(graph.graph.get("as_of")).date() if graph.graph.get("as_of") else None
    return LookThrough(owner_id, owned_id, day, low, unknown, sources)  # type: ignore[arg-type]


def look_through_bounds(tables: Tables, owner_id: str, owned_id: str, as_of: dt.date | str) -> LookThrough:
    """Look-through stake of `owner_id` in `owned_id` on `as_of` as a bound (see look_through_bounds_in_graph)."""
    known = _company_ids(tables)
    check_choice("owner_id", owner_id, known)
    check_choice("owned_id", owned_id, known)
    return look_through_bounds_in_graph(ownership_graph(tables, as_of), owner_id, owned_id)


def look_through_table(tables: Tables, owned_id: str, as_of: dt.date | str) -> pd.DataFrame:
    """Every holder of `owned_id` on `as_of`, with its direct and look-through stakes (percent), largest first.

    `look_through_stake_pct` is the lower bound (`look_through_min_pct`); `unknown_holdings` counts the control
    interests without a published stake on its chains, and `look_through_max_pct` is the value when there are none,
    else missing (never the lower bound shown as a point).
    """
    check_choice("owned_id", owned_id, ids("companies", "company_id")(tables))
    graph = ownership_graph(tables, as_of)
    check_acyclic(graph)
    rows = []
    for owner in nx.ancestors(graph, owned_id):
        direct = graph.edges[owner, owned_id]["stake_pct"] if graph.has_edge(owner, owned_id) else 0.0
        bound = look_through_bounds_in_graph(graph, owner, owned_id)
        rows.append(
            {
                "owner_id": owner,
                "owner_name": graph.nodes[owner].get("company_name"),
                "entity_type": graph.nodes[owner].get("entity_type"),
                "country_code": graph.nodes[owner].get("country_code"),
                "direct_stake_pct": direct,
                "look_through_stake_pct": bound.min_pct,
                "look_through_min_pct": bound.min_pct,
                "look_through_max_pct": float("nan") if bound.max_pct is None else bound.max_pct,
                "unknown_holdings": len(bound.unknown_edges),
                "look_through_text": bound.words(),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "owner_id",
            "owner_name",
            "entity_type",
            "country_code",
            "direct_stake_pct",
            "look_through_stake_pct",
            "look_through_min_pct",
            "look_through_max_pct",
            "unknown_holdings",
            "look_through_text",
        ],
    )
    return out.sort_values(["look_through_stake_pct", "owner_id"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class ControlLink:
    """One step of a control chain: `controller_id` controls `company_id` through these holders' stakes."""

    controller_id: str
    controller_name: str
    company_id: str
    company_name: str
    total_pct: float  # the stakes below summed (a control interest without a stake counts 0)
    holders: tuple[tuple[str, float | None], ...]  # (holder's name, its stake; None: control, no published stake)
    source_ids: tuple[str, ...]

    def words(self) -> str:
        """'Zhejiang Geely Holding controls Volvo Cars with 78.70% (Geely Sweden 78.70%)'."""
        via = ", ".join(
            f"{name} " + ("control, no published stake" if pct is None else f"{pct:.2f}%") for name, pct in self.holders
        )
        return f"{self.controller_name} controls {self.company_name} with {self.total_pct:.2f}% ({via})"


@dataclass(frozen=True)
class Control:
    """Who controls a company on a day, and the chain of majority holdings that gives control (`links`, from the
    company up; empty when no one controls it above `threshold_pct`)."""

    company_id: str
    as_of: dt.date
    controller_id: str | None
    chain: tuple[str, ...]
    lines: tuple[Cited, ...] = field(default=())
    links: tuple[ControlLink, ...] = ()
    company_name: str = ""
    threshold_pct: float = CONTROL_THRESHOLD_PCT

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The sources of the stakes that give control."""
        return tuple(claims.source_ids_of(self.lines))


def control_map(graph: nx.DiGraph, threshold_pct: float = CONTROL_THRESHOLD_PCT) -> dict[str, str | None]:
    """Each company's immediate controller (None when no one controls it).

    An entity controls a company when it holds, itself and through the entities it controls, more than
    `threshold_pct` of the shares, or when it (or an entity it controls) has a control interest in the company
    (a `control` row: control reported without a stake). Of several such entities, the immediate controller is
    the one the others control in turn (the lowest in the chain). The graph must be acyclic.
    """
    check_acyclic(graph)
    parent: dict[str, str | None] = {}
    for company in nx.topological_sort(graph):  # holders come first, so their controllers are known
        holders = list(graph.predecessors(company))
        above = {h: {h, *_chain(parent, h)} for h in holders}
        satisfying = set()
        for candidate in nx.ancestors(graph, company):
            via = [h for h in holders if candidate in above[h]]
            held = sum(graph.edges[h, company]["stake_pct"] for h in via)
            if held > threshold_pct or any(graph.edges[h, company]["controls"] for h in via):
                satisfying.add(candidate)
        parent[company] = (
            max(sorted(satisfying), key=lambda c: len(set(_chain(parent, c)) & satisfying)) if satisfying else None
        )
    return parent


def _chain(parent: Mapping[str, str | None], company: str) -> list[str]:
    """The controllers above `company`, nearest first."""
    out = []
    current = parent.get(company)
    while current is not None:
        out.append(current)
        current = parent.get(current)
    return out


def ultimate_controller(
    tables: Tables, company_id: str, as_of: dt.date | str, threshold_pct: float = CONTROL_THRESHOLD_PCT
) -> Control:
    """The ultimate controller of `company_id` on `as_of` (see control_map), the chain to it and cited lines."""
    check_choice("company_id", company_id, ids("companies", "company_id")(tables))
    day = check_date("as_of", as_of)
    threshold_pct = check_threshold(threshold_pct)
    graph = ownership_graph(tables, day)
    parent = control_map(graph, threshold_pct)
    chain = [company_id, *_chain(parent, company_id)]
    name = lambda n: graph.nodes[n].get("company_name") or n  # noqa: E731
    links = []
    for child, boss in pairwise(chain):
        held = [h for h in graph.predecessors(child) if boss in {h, *_chain(parent, h)}]
        links.append(
            ControlLink(
                boss,
                name(boss),
                child,
                name(child),
                sum(graph.edges[h, child]["stake_pct"] for h in held),
                tuple(
                    (name(h), None if graph.edges[h, child]["controls"] else graph.edges[h, child]["stake_pct"])
                    for h in held
                ),
                tuple(sorted({s for h in held for s in graph.edges[h, child]["source_ids"]})),
            )
        )
    lines = [cite(f"{link.words()}.", *link.source_ids) for link in links]
    if not links:
        lines.append(cite(no_controller_words(name(company_id), day, threshold_pct) + "."))
    return Control(
        company_id,
        day,
        chain[-1] if len(chain) > 1 else None,
        tuple(chain),
        tuple(lines),
        tuple(links),
        name(company_id),
        threshold_pct,
    )


def no_controller_words(company_name: str, day: dt.date, threshold_pct: float) -> str:
    """Why no one controls a company: 'No shareholder controls X on 2026-01-01 (no holder, ... above 50%)'."""
    return (
        f"No shareholder controls {company_name} on {day} "
        f"(no holder, alone or with entities it controls, above {threshold_pct:g}%)"
    )


def controller_chains(tables: Tables, as_of: dt.date | str) -> dict[str, list[str]]:
    """Every company's controllers on `as_of`, nearest first (one graph for all companies)."""
    parent = control_map(ownership_graph(tables, check_date("as_of", as_of)))
    return {company: _chain(parent, company) for company in parent}


def controllers(tables: Tables, company_id: str, as_of: dt.date | str) -> list[str]:
    """The companies that control `company_id` on `as_of`, nearest first (empty when none, or unknown company)."""
    if not isinstance(company_id, str):
        raise ParameterError("company_id", f"{company_id!r} is not a company_id (a string such as 'polestar')")
    if company_id not in set(tables["companies"]["company_id"]):
        return []
    return list(ultimate_controller(tables, company_id, as_of).chain[1:])


def shareholder_history(tables: Tables, owned_id: str, preferred_only: bool = True) -> pd.DataFrame:
    """Every stake ever recorded in `owned_id`, one row per period, for a timeline (open periods end on NaT)."""
    check_choice("owned_id", owned_id, ids("companies", "company_id")(tables))
    rows = tables["shareholders"]
    rows = rows[rows["owned_id"] == owned_id]
    if preferred_only:
        rows = rows[rows["is_preferred"]]
    names = names_by_id(tables, "company_id")
    out = rows[EDGE_COLUMNS].copy()
    out.insert(1, "owner_name", out["owner_id"].map(names))
    return out.sort_values(["valid_from", "stake_pct"], ascending=[True, False]).reset_index(drop=True)


def check_threshold(threshold_pct: float) -> float:
    """Return a control threshold if it is a percentage in [0, 100), else raise ParameterError."""
    if isinstance(threshold_pct, bool) or not isinstance(threshold_pct, int | float) or not 0 <= threshold_pct < 100:
        raise ParameterError("threshold_pct", f"{threshold_pct!r} is not a percentage in [0, 100)")
    return float(threshold_pct)


def stakes_above(tables: Tables, company_id: str, as_of: dt.date | str) -> pd.DataFrame:
    """The direct stakes on `as_of` among `company_id` and everyone holding it, directly or through others."""
    check_choice("company_id", company_id, ids("companies", "company_id")(tables))
    graph = ownership_graph(tables, as_of)
    keep = nx.ancestors(graph, company_id) | {company_id}
    edges = direct_stakes(tables, as_of)
    return edges[edges["owner_id"].isin(keep) & edges["owned_id"].isin(keep)].reset_index(drop=True)
