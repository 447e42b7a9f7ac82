"""The sentences of "What the customs figures say": frames of counts, shares, relocation against imports, holes."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from evsupply.analysis.trade import statistics as st
from evsupply.core.finding import Finding
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import BOUND_WORDS, TRADE_AREA_NAMES, TRADE_SCOPE_WORDS, period_words


def area_name(tables: Tables, code: object) -> str:
    """A reporter's or partner's name for a sentence."""
    if code in TRADE_AREA_NAMES:
        return TRADE_AREA_NAMES[str(code)]
    names = tables["markets"].set_index("market_id")["market_name"]
    return str(names.get(code, code))


def when(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A period in words: 'November 2025', '2025', 'January-June 2025', else both days."""
    month_end = end == end + pd.offsets.MonthEnd(0)
    if (
        start.day == 1
        and month_end
        and start.year == end.year
        and start.month != end.month
        and not (start.month == 1 and end.month == 12)
    ):
        return f"{start:%B}-{end:%B %Y}"
    return period_words(start, end)


def _stat(tables: Tables, stat_id: str) -> pd.Series:
    stats = tables["trade_statistics"]
    return stats[stats["stat_id"] == stat_id].iloc[0]


def frame_text(tables: Tables, frame: st.Frame) -> str:
    """'304 of the 261,974 electric cars (battery-electric and hydrogen) South Korea exported to the world in 2025
    (0.12%)' ('at most 776 of ...' for an upper bound), or the count and "no official frame found"."""
    bound = tables["observations"].set_index("observation_id").loc[frame.observation_id, "bound"]
    counted = f"{BOUND_WORDS.get(str(bound), '')}{frame.count:,}"
    if not frame.is_framed:
        return f"{counted} counted: {st.NO_FRAME}"
    row = _stat(tables, str(frame.frame_stat_id))
    words = TRADE_SCOPE_WORDS[str(row["powertrain_scope"])]
    official = "" if row["publisher_kind"] in st.OFFICIAL_KINDS else " (an industry figure, not official)"
    return (
        f"{counted} of the {frame.frame_count:,} {words} {area_name(tables, row['reporter_code'])} exported to "
        f"{area_name(tables, row['partner_code'])} in {when(row['period_start'], row['period_end'])} "
        f"({BOUND_WORDS.get(str(bound), '')}{frame.share_pct:g}%){official}"
    )


def frame_finding(tables: Tables, observation_id: str) -> Finding:
    """One count beside its official frame (the line the flows reports and case briefs can show)."""
    frame = st.count_frame(tables, observation_id)
    obs = tables["observations"].set_index("observation_id").loc[observation_id]
    sources = [frame.count_source_id, frame.frame_source_id]
    text = frame_text(tables, frame)
    return Finding(
        f"frame:{observation_id}",
        f"{text[0].upper()}{text[1:]}.",
        "derived" if frame.is_framed else "none_found",
        tuple(s for s in sources if s),
        as_of=obs["period_end"],
        numbers={"count": frame.count, "frame_count": frame.frame_count, "share_pct": frame.share_pct},
    )


def frame_column(tables: Tables, observation_ids: pd.Series) -> pd.Series:
    """For a column of observation ids (e.g. the counts a flows report lists), the frame of each in words:
    '304 of the 261,974 electric cars ... (0.12%)', or '... counted: no official frame found'."""
    return observation_ids.map(lambda oid: frame_text(tables, st.count_frame(tables, str(oid))))


def korea_finding(tables: Tables) -> Finding | None:
    """Korea's EV exports in the latest full year MOTIE published, with its scope."""
    stats = st.latest_points(tables["trade_statistics"])
    rows = stats[(stats["series_id"] == "motie_kor_wld_ev_units") & (stats["frequency"] == "year")]
    rows = rows[rows["basis"] == "reported"].sort_values("period_end")
    if rows.empty:
        return None
    row = rows.iloc[-1]
    return Finding(
        "korea_ev_exports",
        f"South Korea exported {row['vehicles_count']:,} electric cars in {row['period_end'].year} (MOTIE); the "
        "series counts hydrogen cars with battery-electric ones, so it is never set against an HS 8703.80 "
        "(battery-electric) series.",
        "reported",
        (row["source_id"],),
        as_of=row["period_end"],
        numbers={"vehicles": int(row["vehicles_count"])},
    )


def china_share_finding(tables: Tables, year: int = 2024) -> Finding | None:
    """China's share of extra-EU imports of electric cars in `year`, from every publisher that gives it."""
    shares = st.share_of_partner(tables, "EU27", "CHN", "bev", year)
    if shares.empty:
        return None
    given = shares[shares["evidence"] == "reported"]
    values = sorted(set(given["share_pct"]))
    said = " and ".join(f"{v:g}%" for v in values)
    agree = " (Eurostat and the Commission's JRC agree)" if len(given) > 1 and len(values) == 1 else ""
    return Finding(
        f"china_share_eu_bev_{year}",
        f"China supplied {said} of the value of the EU's imports of electric cars from outside the EU in {year}"
        f"{agree}.",
        "reported",
        tuple(given["source_id"]),
        as_of=pd.Timestamp(year, 12, 31),
        numbers={"share_pct": values[0] if len(values) == 1 else None},
    )


def relocation_findings(tables: Tables) -> list[Finding]:
    """For each market with both sides: the latest import figure from China beside the latest count of the
    China-linked plants serving it; the periods are named, and no share is computed across different periods."""
    rel = st.relocation_against_imports(tables)
    rel = rel[rel["year"].notna()]
    out = []
    for market_id, rows in rel.groupby("market_id", sort=True):
        imports = rows[rows["side"] == "imports from CHN"].sort_values(["year", "period_end"])
        plants = rows[rows["side"] == "China-linked plants"].sort_values(["year", "period_end"])
        if imports.empty or plants.empty:
            continue
        both = sorted(set(imports["year"]) & set(plants["year"]))
        if both:  # the latest year both sides have
            imports, plants = imports[imports["year"] == both[-1]], plants[plants["year"] == both[-1]]
        imp, made = imports.iloc[-1], plants.iloc[-1]
        imp_words = _amount(imp)
        name = area_name(tables, market_id)
        out.append(
            Finding(
                f"relocation:{market_id}",
                f"{name}: {imp_words} from China in {when(imp['period_start'], imp['period_end'])} "
                f"({TRADE_SCOPE_WORDS.get(str(imp['scope']), imp['scope'])}; {imp['evidence']}), beside "
                f"{int(made['value']):,} vehicles counted ({made['measure'].split('(')[-1].rstrip(')')}) at the "
                f"China-linked plants serving it in {when(made['period_start'], made['period_end'])} "
                f"({made['evidence']}).",
                "reported",
                (imp["source_id"], made["source_id"]),
                as_of=max(imp["period_end"], made["period_end"]),
                numbers={"imports": float(imp["value"]), "counted": int(made["value"])},
            )
        )
    return out


def _amount(row: pd.Series) -> str:
    """An import figure in words: vehicles, a value, or a share."""
    if row["measure"] == "vehicles":
        return f"{int(row['value']):,} vehicles"
    if row["measure"] == "share_pct":
        return f"a {row['value']:g}% share of imports"
    return f"{row['measure']} {row['value'] / 1e9:,.2f} bn of cars"


def holes_finding(tables: Tables) -> Finding:
    """How many series were looked for and not found (open questions of this layer)."""
    questions = tables["open_questions"]
    ours = questions[questions["question_id"].str.startswith("ts_")]
    return Finding(
        "trade_statistics_holes",
        f"{len(ours)} official series were looked for and not found, among them Korea's battery-electric exports "
        "to Canada by month (the Busan Polestar 4 lane), US imports from Korea and China, Hungary's and "
        "Thailand's car exports; each is an open question with a date to look again.",
        "none_found",
        tuple(ours["source_id"].dropna()),
        numbers={"questions": len(ours)},
    )


def report_findings(tables: Tables, case_ids: Sequence[str]) -> list[Finding]:
    """The report's findings, in order: Korea, China's share, each case's counts in their frames, relocation,
    the holes."""
    found = [f for f in (korea_finding(tables), china_share_finding(tables)) if f is not None]
    frames = st.case_frames(tables, case_ids)
    names = tables["cases"].set_index("case_id")["case_name"]
    for case_id, rows in frames.groupby("case_id", sort=False):
        framed = rows[rows["reason"] == "framed"]
        found += [frame_finding(tables, str(oid)) for oid in framed["observation_id"]]
        unframed = rows[rows["reason"] != "framed"]
        if len(unframed):
            if (unframed["reason"] == "no count").all():
                what = "no export count is recorded, so there is nothing to frame"
            else:
                what = f"{len(unframed)} export counts without a frame ({st.NO_FRAME})"
            found.append(
                Finding(
                    f"no_frame:{case_id}",
                    f"{names[case_id]}: {what}.",
                    "none_found",
                    tuple(unframed.get("count_source_id", pd.Series(dtype=str)).dropna()),
                )
            )
    return found + relocation_findings(tables) + [holes_finding(tables)]
