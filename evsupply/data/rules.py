"""The domain rules: what a Table Schema cannot state, one small function per rule, its docstring the rule.

Every rule sits in one registry (`RULES`), the rules that depend on the day of the check (`today`) included: a rule
is a function of a `Context` (the typed frames of the tables that passed the schema, their files, the day and the
staleness limit) returning problems, registered with `@rule`. `Context.each` turns the rows a rule selects into
located problems, so a rule says which rows break it and why, not how a `Problem` is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from evsupply.data import freshness, geo, schema, trade_frames
from evsupply.data.metadata.fields import SCOPE_POWERTRAINS, VEHICLE_FORMS
from evsupply.errors import Problem

Frames = Mapping[str, pd.DataFrame]
Files = Mapping[str, str]


def line_of(index: Any) -> int:
    """File line of a frame row (the header is line 1)."""
    return int(index) + 2


@dataclass(frozen=True)
class Context:
    """What every rule is given: the schema-valid tables' typed frames and files, the day of the check, and how
    many days make a fact stale."""

    frames: Frames
    files: Files
    today: dt.date
    stale_days: int = freshness.STALE_DAYS

    def has(self, *names: str) -> bool:
        """True if every named table passed its schema checks (a rule skips the others: reported there)."""
        return all(n in self.frames for n in names)

    def each(
        self,
        table: str,
        rows: pd.DataFrame,
        rule: str,
        message: str | Callable[[Mapping[str, Any]], str],
        column: str,
        value: Callable[[Mapping[str, Any]], str] | None = None,
        level: str = "error",
    ) -> list[Problem]:
        """One located problem per row of `rows` (a selection of `table`'s frame): `message` and `value` may be
        functions of the row; the value defaults to the row's cell in `column` ("" when empty)."""
        out = []
        for index, row in zip(rows.index, rows.to_dict("records"), strict=True):
            shown = value(row) if value else ("" if pd.isna(row.get(column)) else str(row.get(column)))
            text = message(row) if callable(message) else message
            out.append(
                Problem(self.files[table], rule, text, line=line_of(index), column=column, value=shown, level=level)
            )
        return out


@dataclass(frozen=True)
class Rule:
    """One registered rule: its name and check; `doc` is the rule in words (the function's docstring)."""

    name: str
    check: Callable[[Context], list[Problem]]

    @property
    def doc(self) -> str:
        return " ".join((self.check.__doc__ or "").split())


RULES: dict[str, Rule] = {}


def rule(check: Callable[[Context], list[Problem]]) -> Callable[[Context], list[Problem]]:
    """Register `check` (named `_check_<name>`) in `RULES`, in definition order."""
    name = check.__name__.removeprefix("_check_")
    if name in RULES:
        raise ValueError(f"rule {name!r} is registered twice")
    RULES[name] = Rule(name, check)
    return check


def check_rules(context: Context) -> list[Problem]:
    """Every registered rule's problems, in registry order."""
    return [p for r in RULES.values() for p in r.check(context)]


def _day(value: Any) -> str:
    return "" if pd.isna(value) else f"{value:%Y-%m-%d}"


# --- text --------------------------------------------------------------------------------------------------------

# Text that would act instead of being read: control characters (C0, DEL, C1; tab and line breaks included, a cell
# is one line of text) move terminals' cursors, end C strings and split CSV rows; bidi overrides and isolates make
# a name display other than it reads (a "Trojan Source" spelling), so names carrying them are flagged.
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_BIDI = r"[\u202a-\u202e\u2066-\u2069]"
_BLANK = r"^[\s\u200b-\u200d\u2060\ufeff]*$"
_SPACE = r"[\s\u200b-\u200d\u2060\ufeff]"
_PADDED = rf"^(?=.*[^\s\u200b-\u200d\u2060\ufeff])(?:{_SPACE}.*|.*{_SPACE})$"  # not blank: that is "blank name"
_INVISIBLE = r"[\u200b-\u200d\u2060]"


@rule
def _check_text(c: Context) -> list[Problem]:
    """Text stays inert and reads as it looks: no control characters in any text cell, no blank or padded names;
    zero-width characters in names and bidi overrides in any text flagged."""
    control = (
        "control character",
        _CONTROL,
        "text must not hold control characters (tab, line breaks, NUL, escape...): they act on terminals and files "
        "instead of being read",
        "error",
    )
    # (rule, pattern, message, level, scope): scope "all" is every text cell, "names" the `*_name` columns.
    checks = [
        (*control, "all"),
        ("blank name", _BLANK, "a name must hold a visible character, not only spaces", "error", "names"),
        (
            "padded name",
            _PADDED,
            "a name starts or ends with a space or an invisible character: two names that look the same would differ",
            "error",
            "names",
        ),
        (
            "invisible character",
            _INVISIBLE,
            "a name holds a zero-width character (U+200B-U+200D, U+2060): it looks like a name without it",
            "warning",
            "names",
        ),
        (
            "bidi override",
            _BIDI,
            "text holds a Unicode bidirectional override or isolate "
            "(U+202A-U+202E, U+2066-U+2069): it may display other than it reads",
            "warning",
            "all",
        ),
    ]
    out = []
    for name, df in c.frames.items():
        columns = [k for k in df.columns if pd.api.types.is_string_dtype(df[k]) or pd.api.types.is_object_dtype(df[k])]
        found = []
        for position, column in enumerate(columns):
            cells = df[column].dropna()
            cells = cells[cells.map(lambda v: isinstance(v, str))] if pd.api.types.is_object_dtype(cells) else cells
            if name == "sources" and column == "url":  # whitespace in a url is the url rule's: one problem per cell
                cells = cells[~cells.str.contains(r"\s", regex=True)]
            # Each distinct value once (ids and codes repeat down a long table), then the rows that hold a hit
            distinct = pd.Series(cells.unique(), dtype=object).astype(str)
            for order, (rule_name, pattern, message, level, where) in enumerate(checks):
                if where == "names" and not column.endswith("_name"):
                    continue
                hits = set(distinct[distinct.str.contains(pattern, regex=True)])
                if hits:
                    found += [
                        (
                            position,
                            order,
                            row,
                            Problem(c.files[name], rule_name, message, line_of(row), column, v, level),
                        )
                        for row, v in cells[cells.isin(hits)].items()
                    ]
        out += [problem for *_, problem in sorted(found, key=lambda f: f[:3])]
    return out


@rule
def _check_open_questions(c: Context) -> list[Problem]:
    """Each `rows_affected` entry of an open question names a table with row keys and at least one row of it, and
    a question is not to be looked at again before it was last looked at."""
    if not c.has("open_questions"):
        return []
    frames, files = c.frames, c.files
    problems = []
    for i, q in frames["open_questions"].iterrows():
        for table, key in freshness.parse_rows_affected(q["rows_affected"]):
            entry = f"{table}:{'/'.join(key)}"
            if table not in frames and table in schema.tables():
                continue  # that table failed its own checks: reported there
            rows = freshness.matching_rows(frames, table, key)
            if rows is None:
                known = ", ".join(f"{t} ({'/'.join(c)})" for t, c in freshness.ROW_KEYS.items())
                message = f"'{entry}' does not name a table and its key columns; known: {known}"
            elif rows.empty:
                message = f"'{entry}': no row of {table} has this key"
            else:
                continue
            problems.append(
                Problem(files["open_questions"], "row reference", message, line_of(i), "rows_affected", entry)
            )
        if q["look_again_date"] < q["looked_on_date"]:
            problems.append(
                Problem(
                    files["open_questions"],
                    "period order",
                    f"look_again_date is before looked_on_date ({q['looked_on_date']:%Y-%m-%d})",
                    line_of(i),
                    "look_again_date",
                    f"{q['look_again_date']:%Y-%m-%d}",
                )
            )
    return problems


@rule
def _check_measure_origins(c: Context) -> list[Problem]:
    """A measure's origin is a country code or a customs-union market."""
    if not c.has("trade_measures", "markets"):
        return []
    markets = c.frames["markets"]
    unions = set(markets.loc[markets["market_type"] == "customs_union", "market_id"])
    tm = c.frames["trade_measures"]
    named = tm[tm["origin_country_code"].notna() & ~tm["origin_country_code"].isin(unions)]
    return geo.check_country_codes(named, "origin_country_code", c.files["trade_measures"])


@rule
def _check_minimum_duty(c: Context) -> list[Problem]:
    """A per-car minimum is the floor of a rate ("the rate or at least this amount"): only rows with a rate have one."""
    if not c.has("trade_measures"):
        return []
    tm = c.frames["trade_measures"]
    bad = tm[tm["min_duty_usd_per_unit"].notna() & tm["tariff_rate_pct"].isna()]
    message = "a per-car minimum needs the rate it is the floor of (tariff_rate_pct is empty)"
    return c.each("trade_measures", bad, "minimum duty", message, "min_duty_usd_per_unit")


@rule
def _check_urls(c: Context) -> list[Problem]:
    """A URL has no whitespace anywhere (the schema's pattern cannot see a trailing line break)."""
    if not c.has("sources"):
        return []
    df = c.frames["sources"]
    bad = df[df["url"].str.contains(r"\s", regex=True, na=False)]
    return c.each("sources", bad, "url", "a URL may not contain spaces or line breaks", "url")


@rule
def _check_method_given(c: Context) -> list[Problem]:
    """A value that is not reported says how it was obtained."""
    out = []
    for name, df in c.frames.items():
        for basis, method in (("basis", "method"), ("location_basis", "location_method")):
            if basis in df and method in df:
                missing = df[(df[basis] != "reported") & df[method].isna()]
                message = lambda r, b=basis, m=method: f"{b} is '{r[b]}', so {m} must say how the value was obtained"  # noqa: E731
                out += c.each(name, missing, "method required", message, method)
    return out


@rule
def _check_period_order(c: Context) -> list[Problem]:
    """A period ends on or after the day it starts."""
    out = []
    for name, df in c.frames.items():
        for start, end in (("valid_from", "valid_to"), ("start_date", "end_date"), ("period_start", "period_end")):
            if start in df and end in df:
                bad = df[df[start].notna() & df[end].notna() & (df[start] > df[end])]
                message = lambda r, s=start, e=end: f"{e} ({_day(r[e])}) is before {s} ({_day(r[s])})"  # noqa: E731
                out += c.each(name, bad, "period order", message, end, value=lambda r, e=end: _day(r[e]))
    return out


@rule
def _check_self_ownership(c: Context) -> list[Problem]:
    """An ownership edge joins two different entities."""
    if not c.has("shareholders"):
        return []
    df = c.frames["shareholders"]
    message = "a company cannot hold a stake in itself (owner_id equals owned_id)"
    return c.each("shareholders", df[df["owner_id"] == df["owned_id"]], "self ownership", message, "owner_id")


@rule
def _check_stake_given(c: Context) -> list[Problem]:
    """A shareholding states its stake; a control interest has none to state."""
    if not c.has("shareholders"):
        return []
    df = c.frames["shareholders"]
    missing = df[(df["interest_type"] == "shareholding") & df["stake_pct"].isna()]
    extra = df[(df["interest_type"] == "control") & df["stake_pct"].notna()]
    return c.each(
        "shareholders",
        missing,
        "stake required",
        "a shareholding needs its stake_pct (use interest_type 'control' when only control is reported)",
        "stake_pct",
    ) + c.each(
        "shareholders",
        extra,
        "stake with control",
        "a control interest has no stake_pct; record a published stake as a shareholding",
        "stake_pct",
        value=lambda r: f"{r['stake_pct']:g}",
    )


@rule
def _check_stake_sums(c: Context) -> list[Problem]:
    """Preferred stakes in one company add up to at most 100% on every day (a sweep over start and end days)."""
    if not c.has("shareholders"):
        return []
    frames, files = c.frames, c.files
    df = frames["shareholders"]
    pref = df[df["is_preferred"].eq(True) & df["stake_pct"].notna()]
    starts = pd.DataFrame({"owned": pref["owned_id"], "day": pref["valid_from"], "delta": pref["stake_pct"]})
    ended = pref[pref["valid_to"].notna()]
    ends = pd.DataFrame(
        {"owned": ended["owned_id"], "day": ended["valid_to"] + pd.Timedelta(days=1), "delta": -ended["stake_pct"]}
    )
    events = pd.concat([starts, ends]).groupby(["owned", "day"], sort=True)["delta"].sum().reset_index()
    events["total"] = events.groupby("owned")["delta"].cumsum()
    over = events[events["total"] > 100 + 1e-6].drop_duplicates("owned")  # one report per company locates it
    out = []
    for _, hit in over.iterrows():
        rows = pref[pref["owned_id"] == hit["owned"]]
        live = rows[(rows["valid_from"] <= hit["day"]) & (rows["valid_to"].isna() | (rows["valid_to"] >= hit["day"]))]
        lines = ", ".join(str(line_of(i)) for i in live.index)
        out.append(
            Problem(
                files["shareholders"],
                "stakes over 100%",
                f"preferred stakes in '{hit['owned']}' add up to "
                f"{hit['total']:.2f}% on {hit['day']:%Y-%m-%d} (lines {lines})",
                line=line_of(live.index[-1]),
                column="stake_pct",
                value=f"{hit['total']:.2f}",
            )
        )
    return out


@rule
def _check_one_default(c: Context) -> list[Problem]:
    """One default import port per market that lists ports; exactly one default emission factor and ship speed."""
    frames, files, out = c.frames, c.files, []
    if c.has("market_ports"):
        mp = frames["market_ports"]
        counts = mp.assign(d=mp["is_default"].eq(True).astype(int)).groupby("market_id")["d"].sum()
        for market, n in counts[counts != 1].items():
            rows = mp[mp["market_id"] == market]
            out.append(
                Problem(
                    files["market_ports"],
                    "one default",
                    f"market '{market}' has {n} default import ports (is_default true); exactly one is needed",
                    line=line_of(rows.index[0]),
                    column="is_default",
                    value=str(market),
                )
            )
    for name in ("emission_factors", "vessel_speeds"):
        if c.has(name):  # an empty table has no default either: the analyses need exactly one
            df = frames[name]
            defaults = df.index[df["is_default"].eq(True)]
            if len(defaults) != 1:
                line = line_of(defaults[1]) if len(defaults) > 1 else (line_of(df.index[0]) if len(df) else 1)
                out.append(
                    Problem(
                        files[name],
                        "one default",
                        f"{len(defaults)} rows have is_default true; exactly one is needed",
                        line=line,
                        column="is_default",
                        value=str(len(defaults)),
                    )
                )
    return out


@rule
def _check_measure_links(c: Context) -> list[Problem]:
    """`replaces`/`all_in` rows name a measure of the same market; only `named_manufacturer` rows name a maker."""
    if not c.has("trade_measures"):
        return []
    tm = c.frames["trade_measures"]
    market_of = dict(zip(tm["measure_id"], tm["market_id"], strict=True))
    needs = tm["stacking"].isin(["replaces", "all_in"])
    target = tm["replaces_measure_id"]
    target_market = target.map(market_of)  # NA for an empty or unknown target
    elsewhere = needs & target_market.notna() & (target_market != tm["market_id"])
    named = tm["applies_to"] == "named_manufacturer"
    return sorted(
        c.each(
            "trade_measures",
            tm[needs & target.isna()],
            "replaced measure",
            lambda r: f"a '{r['stacking']}' row must name the measure it takes the place of",
            "replaces_measure_id",
        )
        + c.each(
            "trade_measures",
            tm[~needs & target.notna()],
            "replaced measure",
            lambda r: f"only 'replaces' and 'all_in' rows replace a measure (this row is '{r['stacking']}')",
            "replaces_measure_id",
        )
        + c.each(
            "trade_measures",
            tm[elsewhere],
            "replaced measure",
            lambda r: (
                f"'{r['replaces_measure_id']}' is a measure of {market_of[r['replaces_measure_id']]}, "
                f"not of {r['market_id']}"
            ),
            "replaces_measure_id",
        )
        + c.each(
            "trade_measures",
            tm[named != tm["manufacturer_id"].notna()],
            "manufacturer",
            "a 'named_manufacturer' row names its manufacturer_id, and only such rows do",
            "manufacturer_id",
        ),
        key=lambda p: (p.line or 0, p.rule != "replaced measure"),
    )


def _forms(value: Any) -> set[str]:
    """The vehicle forms a `vehicle_form` cell covers (empty: every form)."""
    return set(VEHICLE_FORMS) if pd.isna(value) else set(str(value).split("|"))


@rule
def _check_one_base_rate(c: Context) -> list[Problem]:
    """At most one `base` rate applies to a car on any day: base rows of one market overlap in neither period,
    origin, product scope (the powertrains it covers) nor vehicle form."""
    if not c.has("trade_measures"):
        return []
    frames, files = c.frames, c.files
    tm = frames["trade_measures"]
    base = tm[tm["stacking"] == "base"]
    out = []
    for _, rows in base.groupby("market_id"):
        items = list(rows.iterrows())
        for k, (_, a) in enumerate(items):
            for j, b in items[k + 1 :]:
                same_origin = (
                    pd.isna(a["origin_country_code"])
                    or pd.isna(b["origin_country_code"])
                    or a["origin_country_code"] == b["origin_country_code"]
                )
                same_scope = bool(
                    SCOPE_POWERTRAINS.get(a["product_scope"], frozenset())
                    & SCOPE_POWERTRAINS.get(b["product_scope"], frozenset())
                ) and bool(_forms(a["vehicle_form"]) & _forms(b["vehicle_form"]))
                overlap = (pd.isna(a["valid_to"]) or a["valid_to"] >= b["valid_from"]) and (
                    pd.isna(b["valid_to"]) or b["valid_to"] >= a["valid_from"]
                )
                if same_origin and same_scope and overlap:
                    out.append(
                        Problem(
                            files["trade_measures"],
                            "one base rate",
                            f"base rates '{a['measure_id']}' "
                            f"and '{b['measure_id']}' apply to the same cars on the same days (make one "
                            "'replaces' the other)",
                            line=line_of(j),
                            column="stacking",
                            value=str(b["measure_id"]),
                        )
                    )
    return out


@rule
def _check_markets(c: Context) -> list[Problem]:
    """Country markets are known countries; a customs union lists its members, which are known countries."""
    if not c.has("markets"):
        return []
    markets = c.frames["markets"]
    countries = markets[markets["market_type"] == "country"]
    out = geo.check_country_codes(countries, "market_id", c.files["markets"], need_shape=True)
    if c.has("market_members"):
        members = c.frames["market_members"]
        unions = set(markets.loc[markets["market_type"] == "customs_union", "market_id"])
        out += c.each(
            "market_members",
            members[~members["market_id"].isin(unions)],
            "customs union",
            lambda r: f"'{r['market_id']}' is not a customs-union market, so it has no members",
            "market_id",
        )
        out += geo.check_country_codes(members, "country_code", c.files["market_members"])
        out += c.each(
            "markets",
            markets[markets["market_id"].isin(unions - set(members["market_id"]))],
            "customs union",
            lambda r: f"customs union '{r['market_id']}' has no members in market_members",
            "market_type",
        )
    return out


@rule
def _check_locations(c: Context) -> list[Problem]:
    """Every plant and port lies in its declared country (within the coastal tolerance)."""
    return [
        p
        for name in ("plants", "ports", "battery_plants")
        if name in c.frames
        for p in geo.check_points_in_country(c.frames[name], c.files[name])
    ]


@rule
def _check_evidence(c: Context) -> list[Problem]:
    """An observed production claim reports cars built: its status is pilot, in production or ended."""
    if not c.has("production"):
        return []
    df = c.frames["production"]
    bad = df[(df["evidence"] == "observed") & ~df["production_status"].isin(["pilot", "in_production", "ended"])]
    message = lambda r: f"a '{r['production_status']}' claim is an announcement, not an observation"  # noqa: E731
    return c.each("production", bad, "evidence", message, "evidence")


@rule
def _check_observation_origin(c: Context) -> list[Problem]:
    """An observation naming its plant gives that plant's country as the origin."""
    if not c.has("observations", "plants"):
        return []
    obs = c.frames["observations"]
    country = c.frames["plants"].set_index("plant_id")["country_code"]
    named = obs[obs["plant_id"].notna() & obs["plant_id"].isin(country.index)]
    bad = named[named["plant_id"].map(country) != named["origin_country_code"]]
    message = lambda r: f"plant '{r['plant_id']}' is in {country[r['plant_id']]}, not {r['origin_country_code']}"  # noqa: E731
    return c.each("observations", bad, "origin", message, "origin_country_code")


@rule
def _check_cases(c: Context) -> list[Problem]:
    """A case is a plant outside China with a Chinese link, compared with a plant in China."""
    if not c.has("cases", "plants", "companies"):
        return []
    cases = c.frames["cases"]
    country = c.frames["plants"].set_index("plant_id")["country_code"]
    company_country = c.frames["companies"].set_index("company_id")["country_code"]
    comparator = cases["comparator_plant_id"]
    comparator_country = comparator.map(country)
    link_country = cases["china_link_id"].map(company_country)
    found = (
        c.each(
            "cases",
            cases[cases["plant_id"].map(country) == "CHN"],
            "case",
            "the case's plant must lie outside China",
            "plant_id",
        )
        + c.each(
            "cases",
            cases[comparator.notna() & comparator_country.notna() & (comparator_country != "CHN")],
            "case",
            "the comparator plant must lie in China",
            "comparator_plant_id",
        )
        + c.each(
            "cases",
            cases[comparator.notna() != cases["comparator_basis"].notna()],
            "case",
            "a comparator plant and its comparator_basis go together",
            "comparator_basis",
        )
        + c.each(
            "cases",
            cases[link_country.notna() & (link_country != "CHN")],
            "case",
            "the China link must be a Chinese company or person (country_code CHN)",
            "china_link_id",
        )
    )
    order = ["plant_id", "comparator_plant_id", "comparator_basis", "china_link_id"]
    return sorted(found, key=lambda p: (p.line or 0, order.index(p.column)))


KNOWN_SUPPLY = ("cell_maker_id", "battery_plant_id", "cell_country_code", "pack_maker_id", "pack_country_code")


@rule
def _check_battery_supply(c: Context) -> list[Problem]:
    """A cell-supply claim says something (an `unknown` one names nothing), and its cell country is its cell plant's."""
    if not c.has("battery_supply"):
        return []
    df = c.frames["battery_supply"]
    named = df[list(KNOWN_SUPPLY)].notna().any(axis=1)
    unknown = df["supply_evidence"] == "unknown"
    out = []
    for column in KNOWN_SUPPLY:  # an unknown claim is reported at its first named column
        first = (
            unknown
            & named
            & df[column].notna()
            & ~df[list(KNOWN_SUPPLY[: KNOWN_SUPPLY.index(column)])].notna().any(axis=1)
        )
        out += c.each(
            "battery_supply",
            df[first],
            "battery supply",
            "an 'unknown' claim names no maker, plant or country (never a guess)",
            column,
        )
    out.sort(key=lambda p: p.line or 0)
    out += c.each(
        "battery_supply",
        df[~unknown & ~named],
        "battery supply",
        lambda r: (
            f"a '{r['supply_evidence']}' claim names a cell maker, cell plant or "
            "country; a claim that knows none of them is 'unknown'"
        ),
        "supply_evidence",
    )
    if c.has("battery_plants"):
        country = c.frames["battery_plants"].set_index("battery_plant_id")["country_code"]
        where = df["battery_plant_id"].map(country)
        differs = df["battery_plant_id"].notna() & where.notna() & df["cell_country_code"].notna()
        differs &= df["cell_country_code"] != where
        out += c.each(
            "battery_supply",
            df[differs],
            "battery supply",
            lambda r: (
                f"cell country {r['cell_country_code']} differs from the "
                f"country of cell plant {r['battery_plant_id']} ({country[r['battery_plant_id']]})"
            ),
            "cell_country_code",
        )
    return out


# --- rules that depend on the day of the check -------------------------------------------------------------------

_CLAIM_DATES = {
    "production": "as_of_date",
    "plant_capacity": "as_of_date",
    "model_prices": "as_of_date",
    "trade_authorisations": "decision_date",
    "battery_plant_capacity": "as_of_date",
    "battery_supply": "as_of_date",
}


@rule
def _check_checked_on(c: Context) -> list[Problem]:
    """A row is checked on a day that has come, and not before the claim it checks was made."""
    out = []
    limit = pd.Timestamp(c.today)
    for name, df in c.frames.items():
        if "checked_on" not in df:
            continue
        value = lambda r: _day(r["checked_on"])  # noqa: E731
        message = lambda r: f"checked_on {_day(r['checked_on'])} is after today ({c.today})"  # noqa: E731
        out += c.each(name, df[df["checked_on"] > limit], "checked date", message, "checked_on", value=value)
        claimed = _CLAIM_DATES.get(name)
        if claimed:
            early = lambda r, d=claimed: f"checked_on {_day(r['checked_on'])} is before the claim's {d} ({_day(r[d])})"  # noqa: E731
            out += c.each(name, df[df["checked_on"] < df[claimed]], "checked date", early, "checked_on", value=value)
    return out


@rule
def _check_look_again(c: Context) -> list[Problem]:
    """An open question whose look-again date has passed is looked at again (a warning)."""
    if not c.has("open_questions"):
        return []
    return [
        Problem(
            c.files["open_questions"],
            "look again",
            f"{r.question_id}: the look-again date has passed; look for the answer again, then update the row "
            "(or remove it once answered)",
            line=r.line,
            column="look_again_date",
            value=_day(r.look_again_date),
            level="warning",
        )
        for r in freshness.overdue_questions(c.frames, c.today).itertuples()
    ]


@rule
def _check_stale(c: Context) -> list[Problem]:
    """A row that describes the present was checked within `stale_days` (a warning)."""
    return [
        Problem(
            c.files[r.table],
            "stale",
            f"{r.key}: last checked {_day(r.checked_on)}, more than "
            f"{c.stale_days} days ago; confirm it against a newer source and update checked_on",
            line=r.line,
            column="checked_on",
            value=_day(r.checked_on),
            level="warning",
        )
        for r in freshness.stale_rows(c.frames, c.today, c.stale_days).itertuples()
    ]


@rule
def _check_counts_within_frames(c: Context) -> list[Problem]:
    """A count of exports is no larger than any reported official statistic that frames it (the matching rule is
    evsupply.data.trade_frames: the plant's country as reporter, a partner containing the market, a period
    containing the count's, a scope including the car)."""
    if not c.has("observations", "trade_statistics", "market_members"):
        return []
    out = []
    for i, count in c.frames["observations"].iterrows():
        members = trade_frames.eu_members(c.frames["market_members"], count["period_end"])
        for _, frame in trade_frames.broken_frames(count, c.frames["trade_statistics"], members).iterrows():
            out.append(
                Problem(
                    c.files["observations"],
                    "official frame",
                    f"'{count['observation_id']}' counts {count['vehicles_count']:,} cars, more than the "
                    f"{frame['vehicles_count']:,} of trade_statistics row '{frame['stat_id']}' that frames it "
                    f"({frame['reporter_code']} exports to {frame['partner_code']}, {frame['powertrain_scope']}, "
                    f"{frame['period_start']:%Y-%m-%d} to {frame['period_end']:%Y-%m-%d})",
                    line=line_of(i),
                    column="vehicles_count",
                    value=str(count["vehicles_count"]),
                )
            )
    return out
