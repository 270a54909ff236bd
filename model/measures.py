"""The 2025 US tariff stack as law, dated: the table of measures (model/tariff_measures.py) stacked on a date, and the
presets made from it for each legal date.

Stacking rules (`STACKING_RULES`, checked as model/tariff_measures.py reads the table): **added** (the rate adds to
the line's rate), **floor** (the line pays at least the rate, all duties included), **instead** (the measure replaces
the measures named in `replaces` for its partners and products, which then pay the rate as a floor; rate 0 is an
exemption). A measure with `exempt_share` reaches only the rest of the flow: its rate is scaled by (1 − share)
(e.g. the goods of Canada that do not claim USMCA).

`python -m model.measures --write` regenerates the dated presets (`PRESET_DATES`) in model/presets/; `--check`
exits 1 when a committed preset differs from what the table gives (a test checks the same).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from model.spec import TariffScenario, parse_spec, preset_path
from model.tariff_measures import Measure, MeasureTable, Parameter, read_table

# The legal dates of 2025 with a preset: (as_of, preset file stem, name, what is in force). The descriptions name
# every instrument in force on the date (a test checks it against the table).
_COMMON = (
    " Left out: Section 301 changes after 2024, the Section 232 actions on timber, trucks and pharmaceuticals, the "
    "tariff-rate quotas. Rates before substitution on 2024 imports; the USMCA shares of Canada and Mexico are the "
    "2024 shares (stated parameters, docs/scenarios.md)."
)
PRESET_DATES = (
    ("2025-04-05", "us_tariffs_2025_04_05", "US tariffs on 5 April 2025: the 10% baseline",
     "The US tariffs in force on 5 April 2025 (table of measures, data/raw/us-tariffs-2025-measures), added to the "
     "2024 applied tariff: Section 232 steel and aluminium at 25 % on base and derivative articles (Proclamations "
     "10895 and 10896); passenger vehicles and light trucks at 25 % (Proclamation 10908; Canada and Mexico on "
     "their non-US content); the IEEPA fentanyl duties on China and Hong Kong (20 %, EO 14195 as amended by EO 14228) and on the "
     "goods of Canada and Mexico that do not claim USMCA (25 %, energy and potash 10 %; EO 14193 as amended by EO "
     "14231, EO 14194 as amended by EO 14232); the reciprocal 10 % baseline of EO 14257 on every other partner, China included, except Russia, "
     "with Annex II goods, Section 232 goods and chapter 98 exempt." + _COMMON),
    ("2025-04-10", "us_tariffs_2025_04_10", "US tariffs on 10 April 2025: China at 125% + 20%",
     "The US tariffs in force on 10 April 2025: as on 5 April (Proclamations 10895, 10896 and 10908; EO 14195, EO "
     "14228, EO 14193, EO 14231, EO 14194 and EO 14232; the 10 % baseline of EO 14257), with China's reciprocal duty at 125 % "
     "(EO 14266), so 145 % with the fentanyl 20 %; every other partner's country rate suspended at 10 %."
     + _COMMON),
    ("2025-05-14", "us_tariffs_2025_05_14", "US tariffs on 14 May 2025: after Geneva",
     "The US tariffs in force on 14 May 2025: as on 10 April (Proclamations 10895, 10896 and 10908; EO 14195, EO "
     "14228, EO 14193, EO 14231, EO 14194, EO 14232; EO 14257), with auto parts at 25 % from 3 May (Proclamation 10908), electronics "
     "exempt from the reciprocal duties (memorandum of 11 April on EO 14257) and China's reciprocal duty back to "
     "10 % (EO 14298, the Geneva joint statement)." + _COMMON),
    # The 7 August preset keeps its older file name: the claims cite it.
    ("2025-08-07", "us_august_2025_country_rates", "US tariffs on 7 August 2025: country rates",
     "The US tariffs in force on 7 August 2025: Section 232 steel and aluminium at 50 % (UK 25 %; Proclamation "
     "10947), autos and parts at 25 % (Proclamation 10908; Canada and Mexico on non-US content and non-USMCA "
     "parts), copper at 50 % (Proclamation 10962); China and Hong Kong 20 % fentanyl (EO 14195, EO 14228) and 10 % "
     "reciprocal (EO 14298); Canada 35 % on goods not claiming USMCA (EO 14325), energy and potash 10 % (EO "
     "14193), Mexico 25 % (EO 14194, EO 14232); the country rates of EO 14326 (others 10 %; Japan +15; the EU 15 % "
     "all-in); Brazil +40 % except its Annex I (EO 14323); Annex II goods, electronics (memorandum of 11 April on "
     "EO 14257), Section 232 goods and chapter 98 exempt from the reciprocal duties." + _COMMON),
    ("2025-08-27", "us_tariffs_2025_08_27", "US tariffs on 27 August 2025: India +25",
     "The US tariffs in force on 27 August 2025: as on 7 August (Proclamations 10947, 10908, 10962; EO 14195, EO 14228, "
     "EO 14298, EO 14325, EO 14193, EO 14194, EO 14232, EO 14326, EO 14323; memorandum of 11 April on EO 14257), with "
     "India's additional 25 % for its imports of Russian oil (EO 14329), so 50 % in all, Annex II and Section 232 "
     "goods excepted." + _COMMON),
    ("2025-09-25", "us_tariffs_2025_09_25", "US tariffs on 25 September 2025: Japan and EU all-in",
     "The US tariffs in force on 25 September 2025: as on 27 August (Proclamations 10947, 10908, 10962; EO 14195, EO "
     "14228, EO 14298, EO 14325, EO 14193, EO 14194, EO 14232, EO 14326, EO 14323, EO 14329; memorandum of 11 April on "
     "EO 14257), with Japan at 15 % all-in instead of +15 (EO 14345, from 16 September, retroactive to 7 August) "
     "and Japanese and EU autos and parts at 15 % all-in instead of 25 % (EO 14345; the Commerce and USTR notice "
     "of 25 September, retroactive to 1 August)." + _COMMON),
    ("2025-11-14", "us_tariffs_2025_11_14", "US tariffs on 14 November 2025: farm exemptions",
     "The US tariffs in force on 14 November 2025: as on 25 September (Proclamations 10947, 10908, 10962; EO "
     "14298, EO 14325, EO 14193, EO 14194, EO 14232, EO 14326, EO 14323, EO 14329, EO 14345; the EU notice; "
     "memorandum of 11 April on EO 14257), with China's fentanyl duty down to 10 % (EO 14357, from 10 November) "
     "and the farm exemptions from 13 November: the November Annex II (coffee, tea, bananas, beef, tropical "
     "fruit, fertilisers; EO 14360). Brazil's goods still pay its 40 %: its own farm exemptions came with the order "
     "of 20 November." + _COMMON),
    ("2025-11-20", "us_tariffs_2025_11_20", "US tariffs on 20 November 2025: Brazil's farm exemptions",
     "The US tariffs in force on 20 November 2025: as on 14 November (Proclamations 10947, 10908, 10962; EO "
     "14298, EO 14325, EO 14193, EO 14194, EO 14232, EO 14326, EO 14323, EO 14329, EO 14345, EO 14357, EO 14360; "
     "the EU notice; memorandum of 11 April on EO 14257), with Brazil's own farm exemptions from its 40 % (the order "
     "of 20 November, retroactive to 13 November: 238 subheadings and 11 particular articles, coffee and beef among "
     "them)." + _COMMON),
)  # fmt: skip


# ---- the stack on a date -------------------------------------------------------------------------------------


def tariff_changes(table: MeasureTable, day: date) -> list[dict[str, Any]]:
    """The scenario's `tariff_changes` (JSON form) for the measures in force on `day`, in the table's order.

    An 'instead' measure takes its partners and products out of the measures it replaces (a replaced measure is
    split where the partners differ) and then applies its rate as a floor (nothing for rate 0: an exemption).
    """
    return [change for _, change in measure_changes(table, day)]


def measure_changes(table: MeasureTable, day: date) -> list[tuple[str, dict[str, Any]]]:
    """(measure id, change) pairs: `tariff_changes` with the measure each change comes from."""
    active = table.in_force(day)
    carve: dict[str, list[Measure]] = {}
    for m in active:
        if m.stacking == "instead":
            for name in m.replaces:
                carve.setdefault(name, []).append(m)
    changes: list[tuple[str, dict[str, Any]]] = []
    for m in active:
        if m.stacking == "instead" and m.rate_pct == 0:
            continue
        for piece in _carved(m, carve.get(m.measure, [])):
            changes.extend((m.measure, change) for change in _changes(piece, table.parameters))
    return changes


def _carved(measure: Measure, by: list[Measure]) -> list[Measure]:
    """`measure` with the partners and products of each replacing measure taken out."""
    pieces = [measure]
    for cut in by:
        out: list[Measure] = []
        for piece in pieces:
            if cut.products is None:  # all products of these partners: the partners leave the measure
                out.append(_without_partners(piece, cut.partners))
                continue
            covered = piece.products is not None and set(piece.products) <= set(cut.products)
            if cut.partners is None or (
                piece.partners is not None and set(piece.partners) <= set(cut.partners)
            ):
                if not covered:
                    out.append(replace(piece, except_products=_union(piece.except_products, cut.products)))
                continue
            inside = (
                cut.partners
                if piece.partners is None
                else tuple(p for p in piece.partners if p in cut.partners)
            )
            inside = tuple(p for p in inside if p not in piece.except_partners)
            if inside and not covered:
                out.append(replace(piece, partners=inside, except_partners=(),
                                   except_products=_union(piece.except_products, cut.products)))  # fmt: skip
            out.append(_without_partners(piece, cut.partners))
        pieces = [p for p in out if p.partners is None or p.partners]
    return pieces


def _without_partners(piece: Measure, partners: tuple[str, ...] | None) -> Measure:
    if partners is None:
        return replace(piece, partners=())
    if piece.partners is None:
        return replace(piece, except_partners=_union(piece.except_partners, partners))
    return replace(piece, partners=tuple(p for p in piece.partners if p not in partners))


def _union(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*a, *b]))


def _changes(m: Measure, parameters: dict[str, Parameter]) -> list[dict[str, Any]]:
    base: dict[str, Any] = {
        "action": m.action,
        "partners": list(m.partners) if m.partners is not None else "all",
        "products": list(m.products) if m.products is not None else "all",
    }
    if m.except_partners:
        base["except_partners"] = list(m.except_partners)
    if m.except_products:
        base["except_products"] = list(m.except_products)
    if m.stacking in ("floor", "instead"):
        return [{**base, "min_rate": round(m.rate_pct / 100, 10)}]
    if m.rate_list is not None:
        return [{**base, "add_pp": {"list": m.rate_list, "others": m.rate_pct}}]
    if m.exempt_share is None:
        return [{**base, "add_pp": m.rate_pct}]
    # Scaled by the share the measure does not reach, partner by partner where the parameter is per partner.
    partners = m.partners or ()
    per_partner = [p for p in partners if f"{m.exempt_share}:{p}" in parameters]
    out = []
    for partner in per_partner:
        share = parameters[f"{m.exempt_share}:{partner}"].value
        out.append({**base, "partners": [partner], "add_pp": round(m.rate_pct * (1 - share), 10)})
    rest = [p for p in partners if p not in per_partner]
    if rest or m.partners is None:
        share = parameters[m.exempt_share].value
        out.append({**base, "partners": rest or "all", "add_pp": round(m.rate_pct * (1 - share), 10)})
    return out


def preset_document(table: MeasureTable, as_of: str, name: str) -> dict[str, Any]:
    """The preset's scenario JSON for the legal date `as_of` (YYYY-MM-DD)."""
    day = date.fromisoformat(as_of)
    description = next((text for date_, _, _, text in PRESET_DATES if date_ == as_of), "")
    return {
        "kind": "tariff",
        "name": name,
        "description": description,
        "as_of": as_of,
        "importer": "USA",
        "year": 2024,
        "level": "hs10",
        "method": "levels",
        "products": "all",
        "tariff_changes": tariff_changes(table, day),
        "exemptions": [],
        "elasticities": {"substitution": 1.5, "supply": 99, "import_demand": "data"},
    }


def preset_text(document: dict[str, Any]) -> str:
    """The preset file's text: one change per line, so a diff shows which measure moved."""
    head = {k: v for k, v in document.items() if k != "tariff_changes"}
    lines = ["{"]
    for key, value in head.items():
        if key == "elasticities":
            continue
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "tariff_changes": [')
    changes = document["tariff_changes"]
    for i, change in enumerate(changes):
        comma = "," if i + 1 < len(changes) else ""
        lines.append("    " + json.dumps(change, ensure_ascii=False) + comma)
    lines.append("  ],")
    lines.append(f'  "elasticities": {json.dumps(document["elasticities"])}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def generated_presets(table: MeasureTable | None = None) -> dict[str, str]:
    """{preset file stem: file text} for every date of PRESET_DATES."""
    table = table or read_table()
    return {stem: preset_text(preset_document(table, as_of, name)) for as_of, stem, name, _ in PRESET_DATES}


# ---- reconciliation -------------------------------------------------------------------------------------------

# The Budget Lab at Yale, "State of U.S. Tariffs: August 1, 2025" (tariffs through 31 July, with the reciprocal
# rates taking effect on 7 August): average effective tariff rate before substitution 18.3 %, after 17.3 %.
YALE_AUGUST_7 = {"pre_substitution_pct": 18.3, "post_substitution_pct": 17.3}
YALE_SOURCE = (
    "The Budget Lab at Yale, State of U.S. Tariffs: August 1, 2025 (tariffs through 31 July 2025, including the "
    "reciprocal rates taking effect on 7 August): 18.3 % before substitution, 17.3 % after; "
    "budgetlab.yale.edu/research, as printed by a reproduction of the report (libreddit mirror of r/stocks, "
    "1 August 2025; the same 18.3 % 'by July 31, 2025, the highest since 1934' in press reports of 2 and 3 August). "
    "The Budget Lab's own page for that report is not among the stored copies; its pages of 7, 11 and 14 July "
    "and 4 September 2025 are"
)


def reconcile(table: MeasureTable, as_of: str, market: Any, lists: dict, rates: dict) -> pd.DataFrame:
    """Measure by measure, in stack order, on 2024 weights: the rate, imports whose rate it changes (USD), the extra
    duty (USD, Σ Δt·M) and its points of the all-partner rate before substitution (with the running total)."""
    from model.tariff_changes import tariff_steps

    day = date.fromisoformat(as_of)
    pairs = measure_changes(table, day)
    spec = _tariff_spec({"name": "reconcile", "tariff_changes": [change for _, change in pairs]})
    steps = tariff_steps(market, spec.tariff_changes, None, lists, rates)
    total = float(market.imports.sum())
    by_id = {m.measure: m for m in table.measures}
    rows: dict[str, dict[str, Any]] = {}
    previous = market.t0
    for (measure_id, _), t in zip(pairs, steps, strict=True):
        delta = t - previous
        m = by_id[measure_id]
        row = rows.setdefault(measure_id, {
            "measure": measure_id, "instrument": m.instrument, "citation": m.citation,
            "effective": m.effective.isoformat(), "rate": _rate_text(m, table.parameters), "stacking": m.stacking,
            "affected": np.zeros(market.rows, dtype=bool), "extra_duty_usd": 0.0,
        })  # fmt: skip
        row["affected"] |= delta != 0
        row["extra_duty_usd"] += float((delta * market.imports).sum())
        previous = t
    out = []
    running = float((market.t0 * market.imports).sum()) / total * 100
    for row in rows.values():
        points = 100 * row["extra_duty_usd"] / total
        running += points
        affected = row.pop("affected")
        out.append({**row, "imports_affected_usd": float(market.imports[affected].sum()), "points": points,
                    "rate_after_pct": running})  # fmt: skip
    return pd.DataFrame(out)


def _tariff_spec(document: dict[str, Any]) -> TariffScenario:
    spec = parse_spec(document)
    assert isinstance(spec, TariffScenario)
    return spec


def _rate_text(m: Measure, parameters: dict[str, Parameter]) -> str:
    if m.rate_list is not None:
        text = f"{m.rate_list} list (others {m.rate_pct:g} %)"
    else:
        text = f"{m.rate_pct:g} %"
    if m.exempt_share is not None:
        if m.exempt_share in parameters:
            shares = f"{parameters[m.exempt_share].value:g}"
        else:
            shares = ", ".join(f"{p} {parameters[f'{m.exempt_share}:{p}'].value:g}" for p in m.partners or ())
        text += f" × (1 − {m.exempt_share} {shares})"
    return {"floor": "at least ", "instead": "instead: at least "}.get(m.stacking, "+") + text


def measures_markdown(table: MeasureTable) -> str:
    """The docs' table of measures: one row per measure with its citation and what was checked."""

    def products(m: Measure) -> str:
        if m.products is None:
            text = "all"
        elif len(m.products) > 6:
            text = f"{len(m.products)} codes"
        else:
            text = ", ".join(m.products)
        return text + (f" (except {len(m.except_products)} lists or codes)" if m.except_products else "")

    def partners(m: Measure) -> str:
        text = "all" if m.partners is None else ", ".join(m.partners)
        return text + (" except " + ", ".join(m.except_partners) if m.except_partners else "")

    lines = [
        "| measure | instrument | citation | in force | partners | products | rate | checked |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in table.measures:
        dates = m.effective.isoformat() + (f" to {m.ends.isoformat()}" if m.ends else "")
        lines.append(f"| {m.measure} | {m.instrument} | {m.citation} | {dates} | {partners(m)} | {products(m)} | "
                     f"{_rate_text(m, table.parameters)} | {m.verified} |")  # fmt: skip
    return "\n".join(lines)


def reconciliation_markdown(frame: pd.DataFrame, baseline_pct: float) -> str:
    """The docs' table: one row per measure (USD bn, points of the all-partner rate)."""
    lines = [
        "| measure | instrument (citation) | in force from | rate | imports affected (USD bn) | extra duty (USD bn) "
        "| points | rate after (%) |",
        "|---|---|---|---|---:|---:|---:|---:|",
        f"| 2024 applied tariffs | Census calculated duty | | | | | | {baseline_pct:.2f} |",
    ]
    for row in frame.to_dict(orient="records"):
        lines.append(
            f"| {row['measure']} | {row['instrument']} ({row['citation']}) | {row['effective']} | {row['rate']} | "
            f"{float(row['imports_affected_usd']) / 1e9:,.1f} | {float(row['extra_duty_usd']) / 1e9:,.1f} | "
            f"{float(row['points']):+.2f} | {float(row['rate_after_pct']):.2f} |"
        )
    return "\n".join(lines)


# The tracker's own choices for 7 August 2025 (make-tariff-by-country-by-time.ipynb at 726c595): Canada 12.25 % and
# Mexico 4.5 % flat, i.e. 35 % and 18 % of their flows not qualifying under USMCA; India at 50 % from 7 August.
TRACKER_USMCA_SHARE = {"CAN": 1 - 12.25 / 35, "MEX": 1 - 4.5 / 25}
TRACKER_MFN_BASELINE_PCT = 2.3  # the tracker adds a constant 2.3 % for the duties in force before 2025


def pre_substitution_rate(
    table: MeasureTable, as_of: str, con: Any, market: Any, *, literal: bool = False
) -> float:
    """Σ t·M / Σ M (%) on 2024 weights with the measures in force on `as_of` (no model run: rates only)."""
    from model.scenario import resolve_lists
    from model.tariff_changes import new_tariffs

    spec = _tariff_spec({"name": "rate", "tariff_changes": tariff_changes(table, date.fromisoformat(as_of))})
    lists, rates = resolve_lists(con, spec, literal=literal)
    t1 = new_tariffs(market, spec.tariff_changes, None, lists, rates)
    return 100.0 * float((t1 * market.imports).sum() / market.imports.sum())


# The steps of the bridge to the tracker (ids, for the page's words; the English text for the docs).
BRIDGE_STEPS = (
    ("table", "This table, as the law reads"),
    ("usmca_shares", "USMCA-qualifying shares the tracker implies (Canada 65 %, Mexico 82 %)"),
    ("india_from_7_august", "India's extra 25 % from 7 August (law: 27 August)"),
    ("chapter_98_dutiable", "US goods returned and chapter 98 dutiable"),
    ("no_base_metals", "No base steel and aluminium articles (the tracker's lists are derivatives only)"),
    ("codes_literal", "Codes read literally (a padded 8-digit code matches only itself: fewer exemptions)"),
    ("mfn_constant", f"The tracker's constant {TRACKER_MFN_BASELINE_PCT} % for pre-2025 duties instead of the 2024 "
                     "applied rate"),
)  # fmt: skip


def tracker_bridge(table: MeasureTable, con: Any, market: Any, as_of: str = "2025-08-07") -> pd.DataFrame:
    """From this table's all-partner rate to the bundled tracker's, one of the tracker's choices at a time
    (cumulative): columns step_id, step, rate_pct, points (``BRIDGE_STEPS``)."""
    rates = [pre_substitution_rate(table, as_of, con, market)]
    t = MeasureTable(list(table.measures), dict(table.parameters), dict(table.groups))
    for partner, share in TRACKER_USMCA_SHARE.items():
        key = f"usmca_share:{partner}"
        t.parameters[key] = replace(t.parameters[key], value=share)
    rates.append(pre_substitution_rate(t, as_of, con, market))
    t.measures = [
        replace(m, effective=date(2025, 8, 7)) if m.measure == "india_25" else m for m in t.measures
    ]
    rates.append(pre_substitution_rate(t, as_of, con, market))
    ch98 = set(table.groups["ch98_special"])
    t.measures = [
        replace(m, except_products=tuple(p for p in m.except_products if p not in ch98)) for m in t.measures
    ]
    rates.append(pre_substitution_rate(t, as_of, con, market))
    base = {"s232_steel_base_2018", "s232_aluminium_base_2018"}
    t.measures = [
        replace(m, products=None if m.products is None else tuple(p for p in m.products if p not in base),
                except_products=tuple(p for p in m.except_products if p not in base))
        for m in t.measures
    ]  # fmt: skip
    rates.append(pre_substitution_rate(t, as_of, con, market))
    rates.append(pre_substitution_rate(t, as_of, con, market, literal=True))
    baseline = 100.0 * float((market.t0 * market.imports).sum() / market.imports.sum())
    rates.append(rates[-1] - baseline + TRACKER_MFN_BASELINE_PCT)
    frame = pd.DataFrame(
        {"step_id": [i for i, _ in BRIDGE_STEPS], "step": [s for _, s in BRIDGE_STEPS], "rate_pct": rates}
    )
    frame["points"] = frame["rate_pct"].diff().fillna(0.0)
    return frame


def tracker_rate(con: Any, as_of: str) -> float | None:
    """The tracker's all-partner rate in force on `as_of` (its latest policy date on or before it), as it computes
    it: its partners' additional rates weighted by 2024 imports, plus its constant 2.3 % (country-by-time.csv, table
    us_tariff_timeline; the same as its daily series)."""
    row = con.execute(
        "SELECT sum(effective_tariff_pct * imports_2024_usd) / sum(imports_2024_usd) FROM us_tariff_timeline "
        "WHERE partner_iso3 IS NOT NULL AND date = (SELECT max(date) FROM us_tariff_timeline "
        "WHERE date <= CAST(? AS DATE))",
        [as_of],
    ).fetchone()
    return None if row is None or row[0] is None else float(row[0]) + TRACKER_MFN_BASELINE_PCT


def reconciliation_report(as_of: str, db: str | None = None) -> str:
    """The docs' tables for `as_of`: measure by measure, then the bridge to the tracker."""
    from etl import settings
    from etl.db import connect_read_only
    from model.scenario import load_market, resolve_lists

    con = connect_read_only(settings.db_path(db))
    try:
        table = read_table()
        market = load_market(con, "USA", 2024)
        spec = _tariff_spec(preset_document(table, as_of, "reconcile"))
        lists, rates = resolve_lists(con, spec)
        frame = reconcile(table, as_of, market, lists, rates)
        baseline = 100.0 * float((market.t0 * market.imports).sum() / market.imports.sum())
        bridge = tracker_bridge(table, con, market, as_of)
        tracker = tracker_rate(con, as_of)
    finally:
        con.close()
    lines = [reconciliation_markdown(frame, baseline), "", "| step | rate (%) | points |", "|---|---:|---:|"]
    lines += [
        f"| {row.step} | {row.rate_pct:.2f} | {row.points:+.2f} |" for row in bridge.itertuples(index=False)
    ]
    if tracker is not None:
        lines.append(f"| The tracker's own figure (daily-tariff-latest-data.csv) | {tracker:.2f} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="The dated presets, generated from the table of US measures."
    )
    parser.add_argument("--write", action="store_true", help="write model/presets/<date>.json")
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed preset differs")
    parser.add_argument(
        "--reconcile", metavar="DATE", help="print the reconciliation tables for DATE (YYYY-MM-DD)"
    )
    parser.add_argument("--db", default=None, help="database for --reconcile (default: the bundled one)")
    parser.add_argument("--measures", action="store_true", help="print the docs' table of measures")
    args = parser.parse_args(argv)
    if args.measures:
        print(measures_markdown(read_table()))
        return 0
    if args.reconcile:
        print(reconciliation_report(args.reconcile, args.db))
        return 0
    stale = []
    for stem, text in generated_presets().items():
        path = preset_path(stem)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if args.write:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if args.check and stale:
        print("out of date: " + ", ".join(str(p) for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
