"""Bad arguments get a ParameterError naming the parameter and what is allowed: the defects the issue lists, one
by one, then a property-based test driving the public functions of docs/api.md with hostile values (NaN, infinities,
negative and huge numbers, wrong types, empty strings, unknown ids, duplicates): a valid result or a
ParameterError comes out, never another exception."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evsupply
from evsupply import cli
from evsupply.analysis import ownership
from evsupply.analysis.cases import atlas as cases
from evsupply.analysis.counts import capacity, observed
from evsupply.analysis.shipping import flows, routes
from evsupply.analysis.shipping.routes import RouteCache
from evsupply.analysis.trade import landed, policy
from evsupply.errors import ParameterError

BUSAN, HANGZHOU = "renault_korea_busan", "geely_hangzhou_bay"


@pytest.fixture(scope="module")
def tables() -> evsupply.Tables:
    return evsupply.load()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> RouteCache:
    return RouteCache(folder=tmp_path_factory.mktemp("routes"))


def refused(name: str, call, *words: str) -> ParameterError:
    """`call()` raises a ParameterError for parameter `name`, whose message holds `words`."""
    with pytest.raises(ParameterError) as caught:
        call()
    assert caught.value.name == name, str(caught.value)
    for word in words:
        assert word in str(caught.value), str(caught.value)
    return caught.value


# --- the defects of the issue, one by one -----------------------------------------------------------------------


def test_duplicate_markets_are_refused(tables, cache) -> None:
    refused("markets", lambda: flows.build_flows(tables, BUSAN, markets=["USA", "USA"], cache=cache), "'USA'", "once")


@pytest.mark.parametrize("volume", [math.inf, -math.inf, math.nan, -1, 1e12, "10", True])
def test_impossible_volumes_are_refused(tables, cache, volume) -> None:
    refused("volumes", lambda: flows.build_flows(tables, BUSAN, markets=["USA"], volumes={"USA": volume}, cache=cache))


def test_an_import_port_that_does_not_serve_the_market_is_a_parameter_error(tables, cache) -> None:
    # Busan (KRPUS) lies in Korea and no market_ports row links it to the USA.
    refused(
        "import_ports",
        lambda: flows.build_flows(tables, BUSAN, markets=["USA"], import_ports={"USA": "KRPUS"}, cache=cache),
        "'KRPUS'",
        "'USA'",
    )


@pytest.mark.parametrize("speed", [math.nan, math.inf, 0, -5, "fast", 1e6])
def test_impossible_speeds_are_refused(tables, cache, speed) -> None:
    refused("speed_knots", lambda: routes.sea_route("KRPUS", "USLAX", tables.ports, speed_knots=speed, cache=cache))


@pytest.mark.parametrize("model_year", ["x", 1.5, 10**9, -2026, math.nan])
def test_model_year_must_be_a_year(tables, model_year) -> None:
    call = lambda: policy.market_access(tables, "polestar_4", HANGZHOU, "USA", "2026-03-01", model_year=model_year)  # noqa: E731
    refused("model_year", call, "calendar year")


def test_shipping_comparison_year_must_be_a_year(tables) -> None:
    refused("year", lambda: cases.shipping_comparison(tables, "x"), "calendar year")


@pytest.mark.parametrize(
    ("field", "value"),
    [("freight_usd", math.nan), ("freight_usd", -1.0), ("freight_usd", math.inf), ("customs_value_usd", math.inf)],
)
def test_landed_cost_money_must_be_finite(tables, field, value) -> None:
    call = lambda: landed.landed_cost_timeline(  # noqa: E731
        tables, "polestar_4", [HANGZHOU], ["USA"], "2026-01-01", "2026-02-01", **{field: value}
    )
    refused(field, call)


@pytest.mark.parametrize(
    ("start", "end", "name"),
    [("1000-01-01", "2999-12-31", "start"), ("1990-01-01", "2099-12-31", "end"), ("2026-02-01", "2026-01-01", "end")],
)
def test_landed_cost_timeline_refuses_unreasonable_ranges(tables, start, end, name) -> None:
    """1000-2999 never returned before; a range longer than 50 years or reversed is refused at once."""
    refused(name, lambda: landed.landed_cost_timeline(tables, "polestar_4", [HANGZHOU], ["USA"], start, end))


def test_plan_vs_observed_needs_lanes(tables) -> None:
    refused("lanes", lambda: observed.plan_vs_observed(tables, "x"), "table")
    refused("lanes", lambda: observed.plan_vs_observed(tables, pd.DataFrame({"lane_id": []})), "market_id")


@pytest.mark.parametrize("days", ["99999999999999999999", "-1", "ten"])
def test_validate_stale_days_out_of_range_is_an_argparse_error(capsys, days) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["validate", "--stale-days", days])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "Traceback" not in err
    assert "argument --stale-days:" in err.strip().splitlines()[-1]


# --- property-based: the functions of docs/api.md under hostile values ---------------------------------------

HOSTILE = st.sampled_from(
    [
        math.nan,
        math.inf,
        -math.inf,
        -1,
        -1.5,
        0,
        10**30,
        1e308,
        "",
        " ",
        "x",
        "NaN",
        "\x00",
        None,
        True,
        [],
        {},
        (),
        b"USA",
        ["USA", "USA"],
        ["x"],
        [None],
        {"USA": math.inf},
        {"USA": -1},
        {"x": 1},
        {"USA": "KRPUS"},
        object(),
        pd.NA,
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
    ]
)


def arg(*valid: object) -> st.SearchStrategy:
    """A valid value (sometimes) or a hostile one."""
    return st.one_of(st.sampled_from(valid), HOSTILE) if valid else HOSTILE


SETTINGS = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# Cases and shipping comparisons take seconds per valid call (every case, market and date): fewer examples.
SLOW = settings(SETTINGS, max_examples=8)


def only_parameter_errors(call) -> None:
    try:
        call()
    except ParameterError as exc:
        assert exc.name and str(exc).startswith(f"parameter '{exc.name}'")
    # Any other exception propagates and fails the test, with hypothesis's smallest example.


@SETTINGS
@given(
    origin=arg("all", BUSAN),
    markets=arg(["USA"], "KOR", None),
    year=arg(2026, 2025),
    volumes=arg({"USA": 5000}, None),
    scenario=arg("default"),
    import_ports=arg({"USA": "USLAX"}, None),
    speed=arg(15.0, None),
)
def test_build_flows_hostile(tables, cache, origin, markets, year, volumes, scenario, import_ports, speed) -> None:
    only_parameter_errors(
        lambda: flows.build_flows(
            tables,
            origin=origin,
            markets=markets,
            year=year,
            volumes=volumes,
            scenario=scenario,
            import_ports=import_ports,
            speed_knots=speed,
            cache=cache,
        )
    )


@SETTINGS
@given(origin=arg("KRPUS"), dest=arg("USLAX", "CAVAN"), speed=arg(15.0))
def test_sea_route_hostile(tables, cache, origin, dest, speed) -> None:
    only_parameter_errors(lambda: routes.sea_route(origin, dest, tables.ports, speed_knots=speed, cache=cache))


@SETTINGS
@given(
    model=arg("polestar_4"),
    plant=arg(BUSAN, HANGZHOU),
    market=arg("USA", "KOR"),
    day=arg("2026-03-01", "2024-06-01"),
    model_year=arg(2026, None),
    in_quota=arg(True, False, None),
    originating=arg(True, False),
)
def test_market_access_hostile(tables, model, plant, market, day, model_year, in_quota, originating) -> None:
    only_parameter_errors(
        lambda: policy.market_access(
            tables, model, plant, market, day, model_year=model_year, in_quota=in_quota, originating=originating
        )
    )


@SETTINGS
@given(plants=arg([BUSAN], HANGZHOU), markets=arg(["USA", "CAN"]), dates=arg(["2026-03-01"], "2025-05-01"))
def test_access_table_hostile(tables, plants, markets, dates) -> None:
    only_parameter_errors(lambda: policy.access_table(tables, "polestar_4", plants, markets, dates))


@SETTINGS
@given(
    plants=arg([HANGZHOU]),
    markets=arg(["USA"]),
    start=arg("2026-01-01"),
    end=arg("2026-03-01", "1000-01-01", "2999-12-31"),
    customs=arg(50_000.0, None),
    freight=arg(0.0, 1500),
)
def test_landed_cost_timeline_hostile(tables, plants, markets, start, end, customs, freight) -> None:
    only_parameter_errors(
        lambda: landed.landed_cost_timeline(
            tables, "polestar_4", plants, markets, start, end, customs_value_usd=customs, freight_usd=freight
        )
    )


@SETTINGS
@given(owner=arg("geely_holding", "zhejiang_geely_holding"), owned=arg("polestar"), day=arg("2026-01-01"))
def test_look_through_hostile(tables, owner, owned, day) -> None:
    only_parameter_errors(lambda: ownership.look_through(tables, owner, owned, day))


@SETTINGS
@given(company=arg("polestar", "renault_korea"), day=arg("2026-01-01"), threshold=arg(50, 25.0))
def test_ultimate_controller_hostile(tables, company, day, threshold) -> None:
    only_parameter_errors(lambda: ownership.ultimate_controller(tables, company, day, threshold_pct=threshold))


@SETTINGS
@given(plant=arg(BUSAN), base_year=arg(None, 2024), volumes=arg({"plan": 10000}, None))
def test_capacity_hostile(tables, plant, base_year, volumes) -> None:
    only_parameter_errors(lambda: capacity.utilisation(tables, plant))
    only_parameter_errors(lambda: capacity.scenario_utilisation(tables, plant, base_year=base_year, volumes=volumes))


@SLOW
@given(day=arg("2026-11-27"), case_ids=arg(None, []))
def test_cases_hostile(tables, day, case_ids) -> None:
    only_parameter_errors(lambda: cases.case_table(tables, day, case_ids))
    only_parameter_errors(lambda: cases.duty_comparison(tables, day, case_ids))


@SLOW
@given(year=arg(2026), case_ids=arg(None))
def test_shipping_comparison_hostile(tables, year, case_ids) -> None:
    only_parameter_errors(lambda: cases.shipping_comparison(tables, year, case_ids))


@SETTINGS
@given(lanes=arg())
def test_plan_vs_observed_hostile(tables, lanes) -> None:
    only_parameter_errors(lambda: observed.plan_vs_observed(tables, lanes))
    only_parameter_errors(lambda: observed.lane_observations(tables, lanes))


@SETTINGS
@given(lanes=arg())
def test_lane_summaries_hostile(lanes) -> None:
    only_parameter_errors(lambda: flows.flow_routes(lanes))
    only_parameter_errors(lambda: flows.summary(lanes))
    only_parameter_errors(lambda: flows.per_car_comparison(lanes, lanes))


@SETTINGS
@given(company=arg("polestar", "renault_korea"), day=arg("2026-01-01"), model=arg("polestar_4"), market=arg("USA"))
def test_ownership_and_prices_hostile(tables, company, day, model, market) -> None:
    only_parameter_errors(lambda: ownership.look_through_table(tables, company, day))
    only_parameter_errors(lambda: ownership.controllers(tables, company, day))
    only_parameter_errors(lambda: ownership.direct_stakes(tables, day))
    only_parameter_errors(lambda: ownership.shareholder_history(tables, company))
    only_parameter_errors(lambda: landed.default_customs_value(tables, model, market, day))


def test_the_api_guide_names_these_functions() -> None:
    """The property tests above cover the functions docs/api.md's table of the main functions names."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    for name in (
        "build_flows",
        "sea_route",
        "look_through",
        "ultimate_controller",
        "market_access",
        "access_table",
        "landed_cost_timeline",
        "utilisation",
        "scenario_utilisation",
        "case_table",
        "duty_comparison",
        "shipping_comparison",
        "plan_vs_observed",
        "lane_observations",
        "look_through_table",
        "flow_routes",
        "summary",
        "per_car_comparison",
        "default_customs_value",
        "direct_stakes",
        "shareholder_history",
        "controllers",
    ):
        assert f"`{name}(" in text or f"`{name}`" in text, name
