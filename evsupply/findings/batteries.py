"""The batteries report's sentences: how many of the cases' cars carry cells from China, the gaps, the duties on
imported cells, the rules left undecided; and the 'cells from' line of the atlas and the briefs."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from evsupply.analysis.batteries.cells import TABLE_COLUMNS, battery_duty, battery_origin, battery_table
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding
from evsupply.core.parameters import check_case_ids, check_date, check_frame
from evsupply.core.tables import Tables
from evsupply.data.names import names_by_id


def battery_findings(
    tables: Tables, on_date: dt.date | str, cases: list[str] | None = None, table: pd.DataFrame | None = None
) -> list[Finding]:
    """Key findings on the cells of the cases' cars on `on_date`: how many come from China, the gaps, the duties on
    imported cells and the rules left undecided; every source cited (`table`: `battery_table` of that day, if the
    caller has it already)."""
    day = check_date("on_date", on_date)
    table = battery_table(tables, day) if table is None else check_frame("table", table, TABLE_COLUMNS)
    if cases:
        table = table[table["case_id"].isin(check_case_ids(tables, cases))]
    rows = table[table["model_id"].notna()]
    out: list[Finding] = []
    models = names_by_id(tables, "model_id")
    plants = names_by_id(tables, "plant_id")
    places = names_by_id(tables, "market_id")
    label = lambda r: f"{models.get(r.model_id, r.model_id)} built at {plants.get(r.plant_id, r.plant_id)}"  # noqa: E731
    if len(rows):
        china = rows[rows["is_cells_from_china"].eq(True)]
        other = rows[rows["is_cells_from_china"].eq(False)]
        looked = rows[rows["cell_country_code"].isna() & rows["supply_id"].notna()]
        unrecorded = rows[rows["supply_id"].isna()]
        inferred = int((china["supply_evidence"] == "inferred_from_kits").sum())
        out.append(
            Finding(
                "cells_from_china",
                f"Of {len(rows)} car models built at the cases' plants outside China, {len(china)} have cells from "
                f"China ({len(china) - inferred} as their makers or the press state it, {inferred} inferred from "
                f"assembly of Chinese kits) and {len(other)} from elsewhere; for {len(looked)} the cells' origin "
                f"was looked for and not found, and {len(unrecorded)} have no cell-supply claim recorded yet.",
                ev.weakest(*[str(e) for e in china["evidence"]]) if len(china) else "none_found",
                tuple(s for ids_ in rows["supply_source_ids"] for s in ids_),
                day,
                {
                    "case_models": len(rows),
                    "cells_from_china": len(china),
                    "cells_from_china_inferred": inferred,
                    "cells_from_elsewhere": len(other),
                    "cells_origin_none_found": len(looked),
                    "cells_no_claim": len(unrecorded),
                },
                ("Kits or parts shipped from China are taken to carry a Chinese pack (an inference).",)
                if inferred
                else (),
            )
        )
    rules = tables["origin_rules"].set_index("rule_id")
    # Only where the supplier was looked for: a model with no claim recorded is counted above, not asserted on.
    open_rules = rows[
        rows["cell_country_code"].isna() & rows["supply_id"].notna() & (rows["undecided_rule_ids"].map(len) > 0)
    ]
    for row in open_rules.itertuples():
        rule_names = "; ".join(str(rules.loc[r, "rule_name"]) for r in row.undecided_rule_ids)
        out.append(
            Finding(
                f"cells_unknown:{row.model_id}:{row.plant_id}",
                f"{label(row)}: the cells' origin was looked for and not found, so these rules stay undecided: "
                f"{rule_names}.",
                "none_found",
                (*row.supply_source_ids, *(rules.loc[r, "source_id"] for r in row.undecided_rule_ids)),
                day,
                {"undecided_rules": len(row.undecided_rule_ids)},
            )
        )
    basis = tables["trade_measures"].set_index("measure_id")["basis"]
    for row in rows[rows["cell_duty_pct"].notna()].itertuples():
        duty = battery_duty(tables, str(row.cell_country_code), str(row.cell_duty_market_id), day)
        inputs = [ev.from_data(str(basis[m])) for m in duty.measures["measure_id"]]
        maker = row.cell_maker_name or "an unnamed maker"
        where = places.get(row.cell_country_code, row.cell_country_code)
        into = places.get(row.cell_duty_market_id, row.cell_duty_market_id)
        out.append(
            Finding(
                f"cell_duty:{row.model_id}:{row.plant_id}",
                f"{label(row)}: its cells by {maker} come from {where} and pay {row.cell_duty_pct:g}% duty into "
                f"{into} on {day} (stacked from {len(duty.measures)} measures).",
                ev.derived_from(str(row.evidence), *inputs),
                (*row.supply_source_ids, *duty.source_ids),
                day,
                {"cell_duty_pct": float(row.cell_duty_pct)},
                ("The cells are imported as parts at the rate of lithium-ion EV batteries (HTSUS 8507.60).",),
            )
        )
    named = rows[rows["cell_maker_id"].notna()]
    if len(named):
        makers = "; ".join(
            f"{m}: {', '.join(label(r) for r in g.itertuples())}"
            for m, g in named.groupby("cell_maker_name", sort=True)
        )
        out.append(
            Finding(
                "cell_makers_named",
                f"The cell maker is named for {len(named)} of {len(rows)} case models ({makers}).",
                ev.weakest(*[str(e) for e in named["evidence"]]),
                tuple(s for ids_ in named["supply_source_ids"] for s in ids_),
                day,
                {"cell_maker_named": len(named), "case_models": len(rows)},
            )
        )
    return out


def cells_words(tables: Tables, model_id: str | None, plant_id: str, on_date: dt.date | str) -> Finding:
    """Where the cells of a case's car come from on the day, as a sentence without its 'Cells from: ' label
    ('made by CATL, made in China.'), with the evidence and sources of the claim."""
    day = check_date("on_date", on_date)
    key = f"cells_from:{model_id}:{plant_id}"
    if model_id is None:
        return Finding(key, "no model is recorded at the plant yet.", "none_found", (), day)
    origin = battery_origin(tables, model_id, plant_id, day)
    places = names_by_id(tables, "market_id")
    makers = names_by_id(tables, "company_id")
    if origin.supply_id is None:
        text = "no claim on the cells' maker or origin is recorded."
    elif not origin.is_known:
        text = "the supplier was looked for and not found."
    else:
        where = places.get(origin.cell_country_code, origin.cell_country_code) if origin.cell_country_code else None
        who = makers.get(origin.cell_maker_id, origin.cell_maker_id) if origin.cell_maker_id else None
        what = ", ".join(x for x in (f"made by {who}" if who else "", f"made in {where}" if where else "") if x)
        how = " (inferred: the car is assembled from kits shipped from there)" if origin.evidence == "estimated" else ""
        text = f"{what}{how}."
    return Finding(key, text, origin.evidence, origin.source_ids if origin.supply_id else (), day)


def cells_from(tables: Tables, model_id: str | None, plant_id: str, on_date: dt.date | str) -> Finding:
    """One line on where the cells of a case's car come from on the day (maker, country, evidence), or that no one
    knows: the 'cells from' line of the case briefs."""
    words = cells_words(tables, model_id, plant_id, on_date)
    return dataclasses.replace(words, text=f"Cells from: {words.text}")
