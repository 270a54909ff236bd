"""Claims 3 and 9: partner shares of Colombia's exports and imports, from the series of record.

A share is the record of Colombia's trade with the partner over the record of its trade with the World, both
Colombia-reported, in the same year; the card names the publisher of each. Years after the articles' (2024) are
left out of the verdicts: from 2025 DIAN withholds many export destinations as "not declared".
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    DIAN_WITHHELD_FROM_YEAR,
    REFERENCE_YEAR_MAX,
    SHARES_FROM_YEAR,
    ClaimCard,
    ClaimData,
    bn,
    empty_frame,
    number_row,
    numbers_frame,
    pct,
)
from dashboard.claims.rules import CANNOT_CHECK, verdict_conditions
from dashboard.claims.series import record_rows
from dashboard.claims.specs import ClaimSpec
from etl.schema import CHINA, UNITED_STATES, WORLD
from etl.years import format_years

SHARE_COLUMNS = ["year", "partner", "value_usd", "world_usd", "share", "source", "months", "publisher",
                 "world_publisher", "dataset", "valuation", "note"]  # fmt: skip


def colombia_partner_shares(
    data: ClaimData, flow: str, partners: Sequence[str] = (UNITED_STATES, CHINA)
) -> pd.DataFrame:
    """Partner shares of Colombia's exports or imports by year, numerator and denominator from the record."""
    world = record_rows(data, WORLD, flow).set_index("year")
    rows = []
    for partner in partners:
        part = record_rows(data, partner, flow)
        for r in part.to_dict("records"):
            year = int(r["year"])
            if year not in world.index:
                continue
            w = pd.Series(world.loc[year])
            note = "provisional" if bool(r["provisional"]) or bool(w["provisional"]) else ""
            if flow == "export" and year >= DIAN_WITHHELD_FROM_YEAR:
                note = (
                    note + "; " if note else ""
                ) + "destinations partly withheld as 'not declared' from 2025"
            rows.append({
                "year": year, "partner": partner, "value_usd": float(r["value_usd"]),
                "world_usd": float(w["value_usd"]), "source": str(r["source"]), "months": int(r["months_covered"]),
                "publisher": str(r["citation"]), "world_publisher": str(w["citation"]),
                "dataset": data.datasets.get(str(r["source"]), str(r["source"])),
                "valuation": f"{r['valuation']} ÷ {w['valuation']}", "note": note,
            })  # fmt: skip
    if not rows:
        return empty_frame(SHARE_COLUMNS)
    frame = pd.DataFrame(rows)
    frame["share"] = frame["value_usd"] / frame["world_usd"]
    return frame[SHARE_COLUMNS].sort_values(["partner", "year"], ignore_index=True)


def _in_span(shares: pd.DataFrame) -> pd.DataFrame:
    return shares[(shares["year"] >= SHARES_FROM_YEAR) & (shares["year"] <= REFERENCE_YEAR_MAX)].reset_index(
        drop=True
    )


def _share_numbers(frame: pd.DataFrame, what: str) -> list[dict]:
    return [number_row(f"{r['partner']} share of Colombia's {what}", r["year"], COL_REPORTED, r["share"] * 100, "%",
                       r["valuation"], r["source"], r["dataset"], f"{r['publisher']}; total: {r['world_publisher']}",
                       r["note"]) for r in frame.to_dict("records")]  # fmt: skip


def check_us_dependence(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    exports = _in_span(colombia_partner_shares(data, "export"))
    imports = _in_span(colombia_partner_shares(data, "import"))
    numbers = numbers_frame(_share_numbers(exports, "exports") + _share_numbers(imports, "imports"))
    both = pd.DataFrame(exports.pivot_table(index="year", columns="partner", values="share"))
    both = both.dropna() if {UNITED_STATES, CHINA} <= set(both.columns) else pd.DataFrame()
    missing = []
    for flow, frame in (("exports to", exports), ("imports from", imports)):
        have = set(frame[frame["partner"] == UNITED_STATES]["year"]) if not frame.empty else set()
        gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in have]
        if gaps:
            missing.append(f"Colombia-reported {flow} the US with the World total: {format_years(gaps)}")
    if both.empty:
        return ClaimCard(spec, CANNOT_CHECK, ("No year has both US and China shares of Colombia's exports.",),
                         numbers, tuple(missing), exports)  # fmt: skip
    year = int(both.index.max())
    us_share, cn_share = float(both.at[year, UNITED_STATES]), float(both.at[year, CHINA])  # type: ignore[arg-type]
    threshold = float(tol["us_export_share_min"])
    verdict = verdict_conditions([us_share >= threshold, us_share > cn_share])
    first = int(both.index.min())
    us_row = exports[(exports["year"] == year) & (exports["partner"] == UNITED_STATES)].iloc[0]
    sentences = [
        f"In {year} the US took {pct(us_share)} of Colombia's exports and China {pct(cn_share)} "
        f"({us_row['publisher']}; total: {us_row['world_publisher']}); in {first} they were "
        f"{pct(float(both.at[first, UNITED_STATES]))} and {pct(float(both.at[first, CHINA]))}.",  # type: ignore[arg-type]
    ]
    imp = imports.pivot_table(index="year", columns="partner", values="share")
    facts = {"year": float(year), "us_export_share": us_share, "china_export_share": cn_share}
    if {UNITED_STATES, CHINA} <= set(imp.columns) and not imp.dropna().empty:
        iy = int(imp.dropna().index.max())
        us_imp, cn_imp = float(imp.at[iy, UNITED_STATES]), float(imp.at[iy, CHINA])  # type: ignore[arg-type]
        facts.update(us_import_share=us_imp, china_import_share=cn_imp)
        src = imports[(imports["year"] == iy) & (imports["partner"] == UNITED_STATES)].iloc[0]
        sentences.append(f"Of Colombia's imports in {iy}, {pct(us_imp)} came from the US and "
                         f"{pct(cn_imp)} from China ({src['publisher']}; total: "
                         f"{src['world_publisher']}).")  # fmt: skip
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), exports, facts,
                     basis="Colombia-reported exports (FOB) to the partner ÷ Colombia's exports to the World, same year",
                     figure=f"US {pct(us_share)} and China {pct(cn_share)} of Colombia's exports in {year}",
                     citation=f"{us_row['publisher']}; total: {us_row['world_publisher']}")  # fmt: skip


def check_china_import_growth(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    shares = _in_span(colombia_partner_shares(data, "import", partners=(CHINA,)))
    numbers = numbers_frame(
        [number_row("imports from China", r["year"], COL_REPORTED, r["value_usd"], "USD", "CIF", r["source"],
                    r["dataset"], r["publisher"], r["note"]) for r in shares.to_dict("records")]
        + _share_numbers(shares, "imports")
    )  # fmt: skip
    have = set(shares["year"].astype(int))
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in have]
    missing = (
        [f"Colombia-reported imports from China with the World total: {format_years(gaps)}"] if gaps else []
    )
    if len(shares) < 2:
        return ClaimCard(spec, CANNOT_CHECK, ("Fewer than two years of Colombia's imports from China are bundled.",),
                         numbers, tuple(missing), shares)  # fmt: skip
    first, last = shares.iloc[0], shares.iloc[-1]
    rise_pts = (float(last["share"]) - float(first["share"])) * 100
    growth = float(last["value_usd"]) / float(first["value_usd"])
    verdict = verdict_conditions([rise_pts >= float(tol["share_rise_min_pts"]), growth > 1])
    sentences = [
        f"Imports from China went from USD {bn(first['value_usd'])} bn in {int(first['year'])} to "
        f"USD {bn(last['value_usd'])} bn in {int(last['year'])} (×{growth:.1f}; {last['publisher']}); China's share "
        f"of Colombia's imports moved from {pct(first['share'])} to {pct(last['share'])} ({rise_pts:+.1f} points; "
        f"total: {last['world_publisher']}).",
        "The articles do not say what the associations feared; the data only shows how much exposure there is.",
    ]
    facts = {"first_year": float(first["year"]), "last_year": float(last["year"]), "first_share": float(first["share"]),
             "last_share": float(last["share"]), "growth_factor": growth, "last_imports_usd": float(last["value_usd"]),
             "share_rise_pts": rise_pts}  # fmt: skip
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), shares, facts,
                     basis="Colombia-reported imports (CIF) from China ÷ Colombia's imports from the World, same year",
                     figure=f"{pct(first['share'])} ({int(first['year'])}) → {pct(last['share'])} ({int(last['year'])})",
                     citation=f"{last['publisher']}; total: {last['world_publisher']}")  # fmt: skip
