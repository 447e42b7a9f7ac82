"""The atlas report's sentences: the cases by relationship and status, the largest duty avoided on a car that may be
sold (a barred one named as barred), the EU range, the shipping saved."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evsupply.analysis.cases.atlas import largest_avoided, split_barred
from evsupply.core.finding import Finding
from evsupply.core.parameters import check_date
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import RELATIONSHIP_WORDS, the
from evsupply.data.names import names_by_id


def _cells(frame: pd.DataFrame, column: str) -> list[str]:
    return [str(s) for cell in frame[column] for s in cell]


def duty_chart_title(duties: pd.DataFrame) -> str:
    """The duty chart's title: the largest duty avoided on a car that may be sold (the findings' headline route),
    never a barred route's."""
    top = largest_avoided(duties)
    if top is None:
        return "No route that may be sold avoids any duty on this day"
    case, market = top.get("case_name", top["case_id"]), top.get("market_name", top["market_id"])
    return (
        f"Up to {top['duty_avoided_pct']:g} points of duty avoided on a car that may be sold "
        f"({case} into {the(str(market))})"
    )


def atlas_findings(
    tables: Tables, on_date: dt.date | str, cases: pd.DataFrame, duties: pd.DataFrame, shipping: pd.DataFrame
) -> list[Finding]:
    """The atlas findings, most important first: the cases by relationship and status, the largest duty avoided on a
    car that may be sold (a barred one is named as barred, never headlined), the EU range, the shipping saved.

    `cases`, `duties` and `shipping` are case_table, duty_comparison and shipping_comparison on the same day.
    """
    day = check_date("on_date", on_date)
    case_names = names_by_id(tables, "case_id")
    market_names = names_by_id(tables, "market_id")
    out = []
    rel = cases["relationship"].value_counts()
    out.append(
        Finding(
            "atlas_cases",
            f"{len(cases)} cases of China-linked production outside China: "
            + ", ".join(f"{n} {RELATIONSHIP_WORDS[k]}" for k, n in rel.items())
            + ".",
            "reported",
            tuple(cases["case_source_id"]),
            day,
            {"cases": len(cases), **{f"cases_{k}": int(n) for k, n in rel.items()}},
        )
    )
    status = cases["status"].value_counts()
    out.append(
        Finding(
            "atlas_status",
            f"On {day}: "
            + ", ".join(f"{n} {k}" for k, n in status.items())
            + " (status from the latest production claims and counted exports).",
            "derived",
            tuple(_cells(cases, "status_source_ids")),
            day,
            {f"cases_{k}": int(n) for k, n in status.items()},
        )
    )
    open_, barred = split_barred(duties)
    top = largest_avoided(duties)
    if top is not None:
        per_car = (
            ""
            if pd.isna(top["duty_avoided_per_car"])
            else f", about {top['currency_code']} {top['duty_avoided_per_car']:,.0f} on the published price"
        )
        out.append(
            Finding(
                f"atlas_largest_duty_avoided:{top['case_id']}:{top['market_id']}",
                f"Largest duty avoided on a car that may be sold: {case_names.get(top['case_id'])} into "
                f"{the(str(market_names.get(top['market_id'])))}, {top['china_duty_pct']:g}% if built in China against "
                f"{top['local_duty_pct']:g}% ({top['duty_avoided_pct']:g} points{per_car}).",
                "derived",
                tuple(top["source_ids"]),
                day,
                {
                    "china_duty_pct": top["china_duty_pct"],
                    "local_duty_pct": top["local_duty_pct"],
                    "duty_avoided_pct": top["duty_avoided_pct"],
                    "duty_avoided_per_car": top["duty_avoided_per_car"],
                },
            )
        )
    for _, row in barred.sort_values(["case_id", "market_id"], kind="stable").iterrows():
        year = row["local_barred_from_model_year"]
        since = "" if pd.isna(year) else f" from model year {int(year)}"
        out.append(
            Finding(
                f"atlas_barred:{row['case_id']}:{row['market_id']}",
                f"Barred: {case_names.get(row['case_id'])} may not be sold in "
                f"{the(str(market_names.get(row['market_id'])))}"
                f"{since}, so no duty is avoided there (the {row['duty_avoided_pct']:g} points of duty between a "
                "China-built and a locally built car do not apply).",
                "derived",
                tuple(row["source_ids"]),
                day,
                {"barred_from_model_year": None if pd.isna(year) else int(year)},
            )
        )
    eu = open_[open_["market_id"] == "EUU"]
    if len(eu):
        out.append(
            Finding(
                "atlas_eu_duty_range",
                f"Into the EU, building inside the customs union avoids {eu['duty_avoided_pct'].min():g} to "
                f"{eu['duty_avoided_pct'].max():g} points of duty across {len(eu)} cases (10% MFN plus the "
                "countervailing duty for the maker, against 0%).",
                "derived",
                tuple(_cells(eu, "source_ids")),
                day,
                {
                    "duty_avoided_pct_min": eu["duty_avoided_pct"].min(),
                    "duty_avoided_pct_max": eu["duty_avoided_pct"].max(),
                },
            )
        )
    sea = shipping.dropna(subset=["sea_km_difference"])
    if len(sea):
        saved = sea.sort_values(["sea_km_difference", "case_id"], kind="stable").iloc[0]
        out.append(
            Finding(
                f"atlas_shipping_saved:{saved['case_id']}:{saved['market_id']}",
                f"Shipping saved: {case_names.get(saved['case_id'])} to "
                f"{the(str(market_names.get(saved['market_id'])))} is "
                f"{-saved['sea_km_difference']:,.0f} km shorter at sea than from the Chinese plant (our route "
                "estimate).",
                "estimated",
                tuple(saved["source_ids"]),
                day,
                {"sea_km_difference": saved["sea_km_difference"]},
            )
        )
    return out
