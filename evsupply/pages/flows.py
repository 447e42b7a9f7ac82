"""The flows report: lanes from a plant to its markets, what was announced for them and what was counted."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from evsupply.analysis.counts.observed import lane_observations, plan_vs_observed
from evsupply.analysis.shipping.flows import build_flows, flow_routes, per_car_comparison, sources_used
from evsupply.analysis.shipping.routes import ROAD_CIRCUITY_FACTOR
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.tables import Tables
from evsupply.figures.flows import flow_map, flow_sankey, lane_labels, plan_vs_observed_figure
from evsupply.findings.flows import lane_findings
from evsupply.findings.trade_statistics import frame_column
from evsupply.pages.common import BOUND_COLUMN, name_of, show_chart, with_names
from evsupply.pages.html import Column, Html, table
from evsupply.pages.spec import Param, Params, ReportSpec

SPEC = ReportSpec(
    "flows.ipynb",
    {
        "origin": Param(
            "str",
            "renault_korea_busan",
            "The plant the cars come from (a `plant_id`), or `all`.",
            ids("plants", "plant_id"),
            extra_choices=("all",),
        ),
        "markets": Param(
            "str_list",
            ["KOR", "USA", "CAN"],
            "Markets to ship to (`market_id`s); `[]` for every market "
            "the plant serves in `year`. A market the plant does not serve gives a counterfactual lane.",
            ids("markets", "market_id"),
        ),
        "year": Param("int", 2026, "Calendar year of the production claims and planned volumes."),
        "volumes": Param("mapping", {}, "Cars a year per market, overriding the plan, e.g. `{'USA': 6000}`."),
        "scenario": Param(
            "str",
            "default",
            "Volume scenario of `volume_scenarios` (`default`: the sourced plan).",
            ids("volume_scenarios", "scenario_id"),
        ),
        "import_ports": Param(
            "mapping", {}, "An import `port_id` per market, overriding the default port, e.g. `{'USA': 'USBAL'}`."
        ),
        "compare_with": Param(
            "str",
            "",
            "A plant whose lanes to the same markets are shown beside the origin's, or `''`.",
            ids("plants", "plant_id"),
            extra_choices=("",),
        ),
    },
)


@dataclass
class FlowsReport:
    """Everything the flows report shows, computed once."""

    tables: Tables
    p: Params
    lanes: gpd.GeoDataFrame
    other: gpd.GeoDataFrame | None
    plan: pd.DataFrame
    observations: pd.DataFrame
    routes: gpd.GeoDataFrame

    @property
    def shown(self) -> gpd.GeoDataFrame:
        """The lanes drawn on the map: the origin's, and the comparison plant's if any."""
        return self.lanes if self.other is None else pd.concat([self.lanes, self.other], ignore_index=True)

    @property
    def source_ids(self) -> list[str]:
        """Every source the report's numbers rest on."""
        ids_ = sources_used(self.tables, self.shown)
        ids_ += [s for s in self.plan["observed_source_id"].dropna()] + list(self.observations["source_id"])
        ids_ += list(inputs(self)["source_id"].dropna())
        return list(dict.fromkeys(str(s) for s in ids_))


def build(tables: Tables, p: Params) -> FlowsReport:
    """Compute the report: lanes (and the comparison), plan against observation per lane, sea routes."""
    lanes = with_names(
        build_flows(
            tables,
            origin=p.origin,
            markets=p.markets,
            year=p.year,
            volumes=p.volumes,
            scenario=p.scenario,
            import_ports=p.import_ports,
        ),
        tables,
    )
    other = None
    if p.compare_with:
        other = with_names(
            build_flows(
                tables,
                origin=p.compare_with,
                markets=sorted(set(lanes["market_id"])),
                year=p.year,
                volumes=p.volumes,
                scenario=p.scenario,
                import_ports=p.import_ports,
            ),
            tables,
        )
    plan = with_names(plan_vs_observed(tables, lanes), tables)
    label = lane_labels(lanes).set_axis(lanes["lane_id"])
    observations = lane_observations(tables, lanes).pipe(lambda o: o.assign(lane=o["lane_id"].map(label)))
    observations["official_frame"] = frame_column(tables, observations["observation_id"])  # issue 24: beside each count
    return FlowsReport(tables, p, lanes, other, plan, observations, flow_routes(lanes))


def findings(r: FlowsReport) -> list[Finding]:
    """The report's key findings, written by (evsupply.findings.flows.lane_findings), in its order."""
    return lane_findings(r.tables, r.lanes, r.plan, r.p.year, r.p.scenario, r.other)


LANE_COLUMNS = {
    "plant_name": "Plant",
    "market_name": "Market",
    "export_port_name": "Export port",
    "import_port_name": "Import port",
    "production_status": "Latest production claim",
    "production_evidence": "Announced or observed",
    "volume_units_per_year": Column("Cars a year (plan)", "int"),
    "volume_basis": "Volume basis",
    "sea_distance_km": Column("Sea distance (km)", "int"),
    "road_distance_km": Column("Road distance (km)", "int"),
    "sea_transit_days": Column("Days at sea", "float1"),
    "total_distance_km": Column("Total distance (km)", "int"),
    "passages": "Canals and straits",
    "co2e_kg_per_vehicle": Column("Sea-leg CO2e (kg per car)", "int"),
    "co2e_kg_per_vehicle_low": Column("Low end (kg per car)", "int"),
    "co2e_kg_per_vehicle_high": Column("High end (kg per car)", "int"),
    "production_source_id": Column("Claim source", "sources"),
}
PLAN_COLUMNS = {
    "plant_name": "Plant",
    "market_name": "Market",
    "production_status": "Latest production claim",
    "planned_units_per_year": Column("Announced plan (cars a year)", "int"),
    "plan_source_id": Column("Plan source", "sources"),
    "observed_text": "What was counted",
    "observed_source_id": Column("Count source", "sources"),
}
OBSERVATION_COLUMNS = {
    "lane": "Lane",
    "quantity": "Counted",
    "period_start": Column("From", "date"),
    "period_end": Column("To", "date"),
    "vehicles_count": Column("Vehicles", "int"),
    "bound": BOUND_COLUMN,
    "basis": "Basis",
    "source_id": Column("Source", "sources"),
    "official_frame": "Beside the official statistics",
}
CAVEATS = [
    "Volumes on the map and in the Sankey are plans or scenarios (a 2023 plan for Busan), split equally over the "
    "plant's lanes; counted cars are in the table 'What was announced and what was counted'.",
    "The emission factor is GLEC's default for vehicle carriers under 30,000 GT (well-to-wheel, VLSFO); deep-sea "
    "car carriers are mostly larger, so the sea-leg CO2e probably overstates. No factor for large car carriers "
    "could be cited: the low end of the range shown beside it uses GLEC's ro-ro factor for 10,000-14,999 dwt "
    "(tank-to-wheel, HFO), which brackets it from below. It charges each car its curb mass "
    "times the sea distance: an order of magnitude, not a footprint. Road legs, port handling and production are "
    "not counted.",
    "Routes are shortest paths on searoute's maritime network (the Northwest Passage excluded); real sailings call "
    "at other ports and wait at canals, so days at sea are a lower bound.",
    f"Road legs are the geodesic distance times an assumed factor of {ROAD_CIRCUITY_FACTOR}; a market stands for "
    "the centroid of its country's (or members') mainland.",
    "Where no source names a port, the tables mark the port as an assumption (the 'basis' of plant and market ports).",
]


def comparison(r: FlowsReport) -> pd.DataFrame:
    """Per-car numbers of the origin's and the comparison plant's lanes, side by side (empty without one)."""
    if r.other is None:
        return pd.DataFrame()
    return per_car_comparison(r.lanes, r.other)


def inputs(r: FlowsReport) -> pd.DataFrame:
    """The inputs every lane uses: emission factor, ship speed, road factor and the volume plan."""
    lane = r.lanes.iloc[0]
    factors = r.tables["emission_factors"].set_index("emission_factor_id")
    factor = factors.loc[lane["emission_factor_id"]]
    rows = [
        {
            "input": "Emission factor",
            "value": f"{factor['kg_co2e_per_tonne_km']} kg CO2e per tonne-km, "
            f"{factor['scope'].replace('_', '-')}, {factor['ship_class']}, {factor['fuel']}, {factor['framework']}",
            "source_id": factor["source_id"],
        },
        {"input": "Ship speed", "value": f"{lane['speed_knots']:g} knots", "source_id": lane["speed_source_id"]},
        {
            "input": "Road distance",
            "value": f"{ROAD_CIRCUITY_FACTOR} × the geodesic distance (an assumption)",
            "source_id": pd.NA,
        },
    ]
    plan = r.tables["volume_scenarios"]
    plan = plan[(plan["scenario_id"] == r.p.scenario) & plan["plant_id"].isin(set(r.shown["plant_id"]))]
    for row in plan.itertuples():
        rows.append(
            {
                "input": f"Volume plan '{row.scenario_id}'",
                "value": f"{name_of(r.tables, 'plant_id', row.plant_id)}: {row.volume_units_per_year:,} cars a "
                f"year from {row.year} ({row.basis})",
                "source_id": row.source_id,
            }
        )
    return pd.DataFrame(rows)


def show_plan_chart(r: FlowsReport) -> None:
    """The chart of announced against counted volumes, per lane, with its note and data."""
    counted = len(r.plan) - int(r.plan["observed_vehicles"].isna().sum())
    title = f"{counted} of {len(r.plan)} lanes have a count; the rest are plans only"
    data = r.plan.assign(lane=lane_labels(r.plan))
    show_chart(
        plan_vs_observed_figure(r.plan, title=title),
        data[["lane", "planned_units_per_year", "observed_vehicles", "observed_text"]],
        "announced_vs_counted_chart",
        [*r.plan["plan_source_id"].dropna(), *r.plan["observed_source_id"].dropna()],
        "Grey: announced plan, cars a year. Blue: the counted vehicles, over the period in the label.",
        values=["planned_units_per_year", "observed_vehicles"],
        empty=f"No chart of plans and counts: no lane has an announced volume or a count for {r.p.year}.",
    )


def show_map(r: FlowsReport) -> None:
    """The map of the lanes, titled with the longest sea leg."""
    far = r.lanes.sort_values("sea_distance_km", na_position="first").iloc[-1]
    title = (
        f"{far['plant_name']} to {far['market_name']}: {far['sea_distance_km']:,.0f} km at sea"
        if pd.notna(far["sea_distance_km"])
        else f"{far['plant_name']}: every lane goes by road, none by sea"
    )
    data = r.shown.drop(columns="geometry")[
        [
            "lane_id",
            "plant_name",
            "market_name",
            "export_port_id",
            "import_port_id",
            "sea_distance_km",
            "volume_units_per_year",
        ]
    ]
    show_chart(
        flow_map(r.shown, r.tables["plants"], r.tables["ports"], title=title),
        data,
        "map_lanes",
        r.source_ids,
        "Hover over a route for its numbers, ids and sources.",
    )


def show_sankey(r: FlowsReport) -> None:
    """The planned volumes from plant to market (plans, not counts)."""
    total = r.lanes["volume_units_per_year"].sum(min_count=1)
    title = f"Planned: {0 if pd.isna(total) else total:,.0f} cars a year (a plan, not a count)"  # drawn only if > 0
    data = r.lanes.drop(columns="geometry")[
        ["plant_name", "export_port_id", "import_port_id", "market_name", "volume_units_per_year", "volume_basis"]
    ]
    show_chart(
        flow_sankey(r.lanes, title=title),
        data,
        "planned_volumes",
        r.lanes["volume_source_id"].dropna(),
        "Plan volumes only.",
        values=["volume_units_per_year"],
        empty=f"No chart of planned volumes: no source gives a planned volume for these lanes in {r.p.year}.",
    )


def comparison_block(r: FlowsReport) -> Html:
    """The per-car comparison with the `compare_with` plant, or a line saying there is none."""
    cmp = comparison(r)
    return table(
        cmp,
        {c: c for c in cmp.columns},
        "comparison",
        caption="Per car, from both plants",
        empty="No comparison: compare_with is empty.",
    )
