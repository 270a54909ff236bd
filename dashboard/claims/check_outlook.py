"""Claims 7, 8 and 10: what closing the deficit would take, the fiscal statement, the out-of-scope one."""

from __future__ import annotations

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    DIAN_WITHHELD_FROM_YEAR,
    REFERENCE_YEAR_MAX,
    SHARES_FROM_YEAR,
    SOURCE_PUBLISHERS,
    ClaimCard,
    ClaimData,
    bn,
    number_row,
    numbers_frame,
    pct,
)
from dashboard.claims.rules import (
    CONTEXT,
    OUT_OF_SCOPE,
    SCENARIO,
)
from dashboard.claims.series import (
    deficit_series,
    latest_of,
    published_value,
)
from dashboard.claims.specs import ClaimSpec
from etl.years import format_years

# --------------------------------------------------------------------------------------------- claim 7


def largest_yearly_increase(values: pd.DataFrame) -> tuple[int, float] | None:
    """(year, increase) of the largest rise between consecutive years in a year/value_usd frame."""
    series = values.dropna(subset=["value_usd"]).groupby("year")["value_usd"].first().sort_index()
    previous = series.reindex(series.index - 1).to_numpy()
    increases = pd.Series(series.to_numpy() - previous, index=series.index).dropna()
    if increases.empty:
        return None
    year = int(increases.idxmax())
    return year, float(increases.loc[year])


def colombia_exports_to(data: ClaimData, partner: str) -> pd.DataFrame:
    """Colombia-reported exports to a partner by year: IMF DOTS, DIAN (full comparable years), printed figures."""
    t = data.totals
    rows = []
    for source in ("imf_dots", "dian"):
        sub = t[(t["source"] == source) & (t["reporter_iso3"] == "COL") & (t["partner_iso3"] == partner)
                & (t["flow"] == "export")]  # fmt: skip
        for r in sub.to_dict("records"):
            if source == "dian" and (int(r["year"]) >= DIAN_WITHHELD_FROM_YEAR or int(r["months_covered"]) < 12):
                continue
            rows.append({"year": int(r["year"]), "value_usd": float(r["value_usd"]), "source": source})
    have = {r["year"] for r in rows}
    pub = data.published[(data.published["reporter_iso3"] == "COL") & (data.published["partner_iso3"] == partner)]
    for year in sorted(set(pub["year"].astype(int)) - have):
        value = published_value(pub, year, "COL", partner, "export")
        if value is not None:
            rows.append({"year": year, "value_usd": float(value["value_usd"]), "source": "published"})
    frame = pd.DataFrame(rows, columns=["year", "value_usd", "source"])
    return frame.sort_values("year", ignore_index=True)


def check_china_purchases(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    series = deficit_series(data, "CHN")
    col = latest_of(series, COL_REPORTED)
    exports = colombia_exports_to(data, "CHN")
    best = largest_yearly_increase(exports)
    rows = [number_row("Colombia's exports to China", r["year"], COL_REPORTED, r["value_usd"], "USD", "FOB", r["source"],
                 data.datasets.get(r["source"], r["source"]), SOURCE_PUBLISHERS.get(r["source"], r["source"]))
            for r in exports.to_dict("records")]  # fmt: skip
    sentences = []
    facts: dict[str, float] = {}
    missing = []
    if col is None or best is None:
        missing.append("a Colombia-reported deficit with China and two consecutive years of exports to China")
    else:
        deficit = -float(col["balance_usd"])
        year = int(col["year"])
        current = exports[exports["year"] == year]["value_usd"]
        best_year, best_rise = best
        facts.update(deficit_usd=deficit, year=float(year), best_year=float(best_year), best_increase_usd=best_rise,
                     years_at_best_pace=deficit / best_rise)  # fmt: skip
        sentences.append(
            f"Closing the {year} deficit would take USD {bn(deficit)} bn more Chinese purchases a year"
            + (f", taking Colombia's exports to China from USD {bn(float(current.iloc[0]))} bn to "
               f"USD {bn(float(current.iloc[0]) + deficit)} bn (×{(float(current.iloc[0]) + deficit) / float(current.iloc[0]):.1f})"
               if not current.empty else "")
            + "."
        )
        sentences.append(
            f"The largest yearly increase ever observed was USD {bn(best_rise)} bn ({best_year - 1}→{best_year}); "
            f"at that pace closing the gap takes {deficit / best_rise:.1f} years of record growth, with imports unchanged."
        )
        rows.append(number_row("increase needed to close the deficit", year, COL_REPORTED, deficit, "USD", "exports FOB, imports CIF",
                         str(col["source"]), str(col["dataset"]), str(col["publisher"])))  # fmt: skip
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in set(exports["year"])]
    if gaps:
        missing.append(f"Colombia-reported exports to China: {format_years(gaps)}")
    return ClaimCard(spec, SCENARIO, tuple(sentences), numbers_frame(rows), tuple(missing), exports, facts)



def check_fiscal_context(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    series = deficit_series(data, "CHN")
    col = series[(series["perspective"] == COL_REPORTED) & (series["year"] >= SHARES_FROM_YEAR)].dropna(subset=["balance_usd"])
    gdp = data.gdp.set_index("year")["gdp_usd"] if not data.gdp.empty else pd.Series(dtype=float)
    rows = []
    both = [int(y) for y in col["year"] if int(y) in gdp.index]
    for r in col.to_dict("records"):
        if int(r["year"]) in gdp.index:
            rows.append(number_row("deficit with China as % of GDP", int(r["year"]), COL_REPORTED,
                             -r["balance_usd"] / float(gdp.loc[int(r["year"])]) * 100, "% of GDP",
                             f"exports FOB, imports {r['import_valuation']}", r["source"], r["dataset"],
                             f"{r['publisher']}; GDP: {SOURCE_PUBLISHERS['world_bank']}"))  # fmt: skip
    sentences = ["A trade deficit is not a fiscal deficit: the first is what residents buy abroad minus what they "
                 "sell; the second is government spending minus revenue. Closing one does not close the other."]
    facts: dict[str, float] = {}
    missing = []
    latest_col = col[col["year"] <= REFERENCE_YEAR_MAX].sort_values("year")
    if both:
        y = max(both)
        row = col[col["year"] == y].iloc[0]
        share = -float(row["balance_usd"]) / float(gdp.loc[y])
        facts.update(year=float(y), deficit_gdp_share=share)
        sentences.append(f"For scale: in {y}, the latest year with both figures, the deficit with China "
                         f"({row['publisher']}) was {pct(share)} of Colombia's GDP (World Bank).")
    if not latest_col.empty and not gdp.empty:
        ly, gy = int(latest_col["year"].iloc[-1]), int(gdp.index.max())
        if ly > gy:
            share = -float(latest_col["balance_usd"].iloc[-1]) / float(gdp.loc[gy])
            facts.update(latest_deficit_over_gdp=share, latest_year=float(ly), gdp_year=float(gy))
            sentences.append(f"The {ly} deficit (USD {bn(-float(latest_col['balance_usd'].iloc[-1]))} bn) against "
                             f"{gy} GDP (USD {bn(float(gdp.loc[gy]))} bn), the latest bundled, is {pct(share)}.")
            missing.append(f"GDP for {format_years(range(gy + 1, ly + 1))} (World Bank series ends in {gy})")
            rows.append(number_row(f"{ly} deficit with China ÷ {gy} GDP", ly, COL_REPORTED, share * 100, "% of GDP",
                             "exports FOB, imports CIF", str(latest_col["source"].iloc[-1]),
                             str(latest_col["dataset"].iloc[-1]), str(latest_col["publisher"].iloc[-1]),
                             f"GDP of {gy}: years differ"))  # fmt: skip
    missing.append("Colombia's fiscal accounts (not part of Balanza's data)")
    numbers = numbers_frame(rows)
    chart_frame = numbers[numbers["measure"] == "deficit with China as % of GDP"][["year", "value", "source"]]
    return ClaimCard(spec, CONTEXT, tuple(sentences), numbers, tuple(missing), chart_frame.reset_index(drop=True), facts)


def check_out_of_scope(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    sentences = ("Balanza holds trade statistics; it cannot check figures about lives lost in counternarcotics "
                 "operations, and says nothing about them.",)
    return ClaimCard(spec, OUT_OF_SCOPE, sentences, numbers_frame([]), ("casualty statistics (outside Balanza's scope)",))
