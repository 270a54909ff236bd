"""Claims 7, 8 and 10: what closing the deficit would take, the fiscal statement, the out-of-scope one."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    REFERENCE_YEAR_MAX,
    SHARES_FROM_YEAR,
    SOURCE_PUBLISHERS,
    ClaimCard,
    ClaimData,
    bn,
    number_row,
    numbers_frame,
)
from dashboard.claims.rules import CANNOT_CHECK, NOT_SUPPORTED, OUT_OF_SCOPE, PARTLY, SCENARIO, verdict_within
from dashboard.claims.series import deficit_series, latest_of, record_rows
from dashboard.claims.specs import ClaimSpec
from etl.schema import CHINA
from etl.years import format_years
from model.purchase import growth_history, largest_growth

# --------------------------------------------------------------------------------------------- claim 7


def largest_yearly_increase(values: pd.DataFrame) -> tuple[int, float] | None:
    """(year, increase) of the largest rise between consecutive years in a year/value_usd frame, by the purchase
    scenario's own arithmetic (model.purchase), so the card and the scenario give the same record."""
    frame = values.dropna(subset=["value_usd"]).groupby("year", as_index=False)["value_usd"].first()
    if frame.empty:
        return None
    history = growth_history(frame.assign(flow="export", source=""))
    best, year = largest_growth(history, "growth_usd")
    return None if best is None or year is None else (year, best)


def check_china_purchases(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    series = deficit_series(data, CHINA)
    head = latest_of(series, COL_REPORTED)
    exports = record_rows(data, CHINA, "export")
    best = largest_yearly_increase(exports)
    rows = [number_row("Colombia's exports to China", int(r["year"]), COL_REPORTED, float(r["value_usd"]), "USD",
                       str(r["valuation"]), str(r["source"]), data.datasets.get(str(r["source"]), str(r["source"])),
                       str(r["citation"])) for r in exports.to_dict("records")]  # fmt: skip
    sentences = []
    facts: dict[str, float] = {}
    missing = []
    figure = ""
    if head is None or best is None:
        missing.append("a Colombia-reported deficit with China and two consecutive years of exports to China")
    else:
        deficit, year = -float(head["balance_usd"]), int(head["year"])
        current = exports[exports["year"] == year]["value_usd"]
        best_year, best_rise = best
        facts.update(deficit_usd=deficit, year=float(year), best_year=float(best_year), best_increase_usd=best_rise,
                     years_at_best_pace=deficit / best_rise)  # fmt: skip
        now = float(current.iloc[0]) if not current.empty else None
        sentences.append(
            f"Closing the {year} deficit ({head['basis_label']}; {head['publisher']}) would take USD {bn(deficit)} bn "
            "more Chinese purchases a year"
            + (f", taking Colombia's exports to China from USD {bn(now)} bn to USD {bn(now + deficit)} bn "
               f"(×{(now + deficit) / now:.1f})" if now else "") + "."
        )  # fmt: skip
        best_source = exports[exports["year"] == best_year]["citation"]
        sentences.append(
            f"The largest yearly increase on record was USD {bn(best_rise)} bn ({best_year - 1}→{best_year}; "
            f"{best_source.iloc[0] if not best_source.empty else ''}); at that pace closing the gap takes "
            f"{deficit / best_rise:.1f} years of record growth, with imports unchanged."
        )
        figure = f"USD {bn(deficit)} bn a year more, {deficit / best_rise:.1f}× the record yearly rise (USD {bn(best_rise)} bn)"
        rows.append(number_row("increase needed to close the deficit", year, COL_REPORTED, deficit, "USD",
                               str(head["basis_label"]), str(head["source"]), str(head["dataset"]),
                               str(head["publisher"])))  # fmt: skip
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in set(exports["year"])]
    if gaps:
        missing.append(f"Colombia-reported exports to China: {format_years(gaps)}")
    return ClaimCard(spec, SCENARIO, tuple(sentences), numbers_frame(rows), tuple(missing), exports, facts,
                     basis="A statement about what could happen: the deficit on the headline basis against the "
                           "largest yearly rise of exports to China on record",
                     figure=figure, citation="" if head is None else str(head["publisher"]))  # fmt: skip


# --------------------------------------------------------------------------------------------- claim 8


FINANCE_MINISTRY = "Hacienda"  # the publisher of Colombia's own fiscal accounts (Ministerio de Hacienda)


def fiscal_figures(fiscal: pd.DataFrame, year: int) -> tuple[pd.Series | None, list[pd.Series]]:
    """The printed central-government deficit for `year` in % of GDP (positive = deficit): the Finance Ministry's
    own figure first (the publisher of the accounts), then each other publisher's figure as an alternative."""
    if fiscal.empty:
        return None, []
    rows = fiscal[(fiscal["year"] == year) & (fiscal["unit"] == "pct_gdp")].copy()
    if rows.empty:
        return None, []
    rows["deficit_pct"] = -rows["value"].astype(float)
    rows["own"] = rows["publisher"].astype(str).str.contains(FINANCE_MINISTRY)
    rows = rows.sort_values(["own", "publisher", "printed_by"], ascending=[False, True, True])
    primary = rows.iloc[0]
    others = rows[~rows["own"]].drop_duplicates("publisher") if bool(primary["own"]) else rows.iloc[1:0]
    return primary, [r for _, r in others.iterrows()]


def _printed(row: pd.Series) -> str:
    return (
        f"{row['publisher']}, as printed by {row['printed_by']}"
        if isinstance(row.get("printed_by"), str)
        else str(row["publisher"])
    )


def check_fiscal(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    """ "The fiscal deficit would become practically zero": even if every dollar of the trade gap closed became
    government revenue (it would not: a trade deficit is not a fiscal deficit), the fiscal deficit would shrink
    by at most the trade gap's size in GDP. The rule compares what would remain with "practically zero"."""
    tol = spec.tolerance
    series = deficit_series(data, CHINA)
    head = latest_of(series, COL_REPORTED)
    gdp = data.gdp.set_index("year")["gdp_usd"] if not data.gdp.empty else pd.Series(dtype=float)
    sentences = [
        "A trade deficit is not a fiscal deficit: the first is what residents buy abroad minus what they "
        "sell; the second is government spending minus revenue. Closing one does not close the other."
    ]
    facts: dict[str, float] = {}
    missing: list[str] = []
    rows: list[dict[str, Any]] = []
    fiscal, other_fiscal = fiscal_figures(data.fiscal, int(head["year"])) if head is not None else (None, [])
    if head is None or gdp.empty:
        missing.append("a Colombia-reported deficit with China and Colombia's GDP")
        return ClaimCard(spec, CANNOT_CHECK, tuple(sentences), numbers_frame(rows), tuple(missing))
    year = int(head["year"])
    gdp_year = year if year in gdp.index else int(gdp.index.max())
    trade_share = -float(head["balance_usd"]) / float(gdp.loc[gdp_year]) * 100
    facts.update(year=float(year), gdp_year=float(gdp_year), trade_gap_pct_gdp=trade_share)
    gdp_note = (
        ""
        if gdp_year == year
        else (
            f" (over GDP of {gdp_year}, the latest year of the bundled World Bank series; "
            f"no {year} GDP in US dollars is bundled)"
        )
    )
    rows.append(number_row("deficit with China as % of GDP", year, COL_REPORTED, trade_share, "% of GDP",
                           str(head["basis_label"]), str(head["source"]), str(head["dataset"]),
                           f"{head['publisher']}; GDP: {SOURCE_PUBLISHERS['world_bank']} ({gdp_year})"))  # fmt: skip
    sentences.append(f"The {year} deficit with China (USD {bn(-float(head['balance_usd']))} bn, {head['basis_label']}; "
                     f"{head['publisher']}) was {trade_share:.1f} % of Colombia's GDP{gdp_note}.")  # fmt: skip
    if fiscal is None:
        missing.append(f"Colombia's printed fiscal deficit for {year} (% of GDP)")
        return ClaimCard(
            spec,
            CANNOT_CHECK,
            tuple(sentences),
            numbers_frame(rows),
            tuple(missing),
            facts=facts,
            basis="printed central-government fiscal deficit against the trade gap, both in % of GDP",
        )
    deficit_pct = float(fiscal["deficit_pct"])
    remaining = deficit_pct - trade_share
    band, partial = float(tol["zero_band_pts"]), float(tol["partial_band_pts"])
    verdict = verdict_within(remaining, (-band, band), (-partial, partial))
    facts.update(fiscal_deficit_pct_gdp=deficit_pct, remaining_pct_gdp=remaining)
    rows.append(number_row("central government fiscal deficit", year, "Colombia (printed)", deficit_pct, "% of GDP",
                           "", "published_indicators", "indicators.csv", _printed(fiscal), str(fiscal["quote"])))  # fmt: skip
    sentences.append(f"The central government's fiscal deficit for {year} was {deficit_pct:.1f} % of GDP "
                     f"({_printed(fiscal)}: “{fiscal['quote']}”). Even if every dollar of the trade gap became "
                     f"revenue, {remaining:.1f} % of GDP would remain.")  # fmt: skip
    alternatives: list[str] = []
    for other in other_fiscal:
        rest = float(other["deficit_pct"]) - trade_share
        facts[f"remaining_pct_gdp_alternative_{len(alternatives) + 1}"] = rest
        alternatives.append(
            f"{_printed(other)}: fiscal deficit {float(other['deficit_pct']):.1f} % of GDP, "
            f"{rest:.1f} % remaining ({other['url']})"
        )
    disagreement = ""
    if verdict == NOT_SUPPORTED:
        disagreement = (
            f"The fiscal deficit ({deficit_pct:.1f} % of GDP) is about {deficit_pct / trade_share:.1f} times "
            f"the whole deficit with China ({trade_share:.1f} % of GDP): closing the trade gap could not "
            "bring it to practically zero."
        )
    elif verdict == PARTLY:
        disagreement = f"Even in that best case {remaining:.1f} % of GDP of fiscal deficit would remain, not practically zero."
    return ClaimCard(spec, verdict, tuple(sentences), numbers_frame(rows), tuple(missing),
                     pd.DataFrame({"measure": ["fiscal deficit", "deficit with China", "remaining at best"],
                                   "pct_gdp": [deficit_pct, trade_share, remaining]}), facts,
                     basis="printed central-government fiscal deficit against the trade gap with China (headline "
                           "basis), both in % of GDP",
                     figure=f"fiscal deficit {deficit_pct:.1f} % of GDP vs deficit with China {trade_share:.1f} % of GDP",
                     citation=f"fiscal: {_printed(fiscal)} ({fiscal['url']}); trade: {head['publisher']}; GDP: World Bank",
                     alternatives=tuple(alternatives), disagreement=disagreement)  # fmt: skip


def check_out_of_scope(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    sentences = (
        "Balanza holds trade statistics; it cannot check figures about lives lost in counternarcotics "
        "operations, and says nothing about them.",
    )
    return ClaimCard(spec, OUT_OF_SCOPE, sentences, numbers_frame([]), ("casualty statistics (outside Balanza's scope)",),
                     basis="outside Balanza's data")  # fmt: skip
