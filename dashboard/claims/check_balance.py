"""Claims 1 and 2: the size of the deficit with China and its share of Colombia's total goods deficit.

Primary basis: the series of record's headline balance (DANE's own balance, exports FOB − imports FOB, where DANE
published one; else exports FOB − imports CIF ÷ factor, an estimate of the same basis). The mixed-valuation
difference (exports FOB − imports CIF) and the partner's own figures are shown beside it, labelled.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    MIRROR,
    MIXED,
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
from dashboard.claims.rules import CANNOT_CHECK, SUPPORTED, verdict_close_to, verdict_within
from dashboard.claims.series import at_year, deficit_series, latest_of, missing_years, series_number_rows
from dashboard.claims.specs import ClaimSpec
from etl.schema import CHINA, WORLD
from etl.years import format_years

# --------------------------------------------------------------------------------------------- claim 1


def _gap_words(value: float, target: float) -> str:
    gap = (value - target) / target * 100
    return f"{abs(gap):.1f} % {'below' if gap < 0 else 'above'}"


def check_china_deficit(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    target = float(tol["target_usd"])
    series = deficit_series(data, CHINA)
    series = series[series["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    head = latest_of(series, COL_REPORTED)
    missing = []
    gaps = missing_years(series, COL_REPORTED, SHARES_FROM_YEAR, REFERENCE_YEAR_MAX)
    if gaps:
        missing.append(f"Colombia-reported exports and imports with China: {format_years(gaps)}")
    mgaps = missing_years(series, MIRROR, SHARES_FROM_YEAR, REFERENCE_YEAR_MAX)
    if mgaps:
        missing.append(f"China-reported exports and imports with Colombia: {format_years(mgaps)}")
    numbers = numbers_frame(series_number_rows(series, "balance with China (negative = Colombian deficit)"))
    if head is None:
        return ClaimCard(spec, CANNOT_CHECK, ("No Colombia-reported balance with China is in the bundled data.",),
                         numbers, tuple(missing), series)  # fmt: skip
    year = int(head["year"])
    deficit = -float(head["balance_usd"])
    match, partial = float(tol["match_pct"]), float(tol["partial_pct"])
    verdict = verdict_close_to(deficit, target, match, partial)
    where = "within" if verdict == SUPPORTED else "outside"
    sentences = [
        f"On the headline basis ({head['basis_label']}) Colombia's deficit with China was USD {bn(deficit)} bn in "
        f"{year} ({head['publisher']}), {_gap_words(deficit, target)} the USD {bn(target)} bn claimed — {where} "
        f"the ±{match:g} % tolerance."
    ]
    facts: dict[str, float] = {
        "deficit_usd": deficit,
        "year": float(year),
        "gap_pct": (deficit - target) / target * 100,
    }
    alternatives = []
    mixed = at_year(series, MIXED, year)
    if mixed is not None:
        mdef = -float(mixed["balance_usd"])
        facts["mixed_deficit_usd"] = mdef
        alternatives.append(f"{mixed['basis_label']}: USD {bn(mdef)} bn in {year}, {_gap_words(mdef, target)} the "
                            f"claim ({mixed['publisher']})")  # fmt: skip
    mirror = latest_of(series, MIRROR)
    if mirror is not None:
        rdef = -float(mirror["balance_usd"])
        facts.update(mirror_deficit_usd=rdef, mirror_year=float(mirror["year"]))
        alternatives.append(f"as China reports it ({mirror['basis_label']}): USD {bn(rdef)} bn in "
                            f"{int(mirror['year'])} ({mirror['publisher']})")  # fmt: skip
    disagreement = ""
    if verdict != SUPPORTED:
        disagreement = (
            f"The article says USD {bn(target)} bn; on the headline basis the deficit was USD "
            f"{bn(deficit)} bn ({abs(facts['gap_pct']):.1f} % {'less' if deficit < target else 'more'})"
        )
        if (
            mixed is not None
            and verdict_close_to(facts["mixed_deficit_usd"], target, match, partial) == SUPPORTED
        ):
            disagreement += (
                f"; the article's figure matches only the mixed-valuation difference (exports FOB − "
                f"imports CIF: USD {bn(facts['mixed_deficit_usd'])} bn), which values the two flows "
                "differently"
            )
        disagreement += "."
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), series, facts,
                     basis=str(head["basis_label"]), figure=f"USD {bn(deficit)} bn deficit with China in {year}",
                     citation=str(head["publisher"]), alternatives=tuple(alternatives),
                     disagreement=disagreement)  # fmt: skip


# --------------------------------------------------------------------------------------------- claim 2


HEADLINE_SHARE = "headline basis (imports FOB)"
MIXED_SHARE = "both exports FOB − imports CIF (mixed valuation)"
SHARE_BASES = (HEADLINE_SHARE, MIXED_SHARE)
SHARE_COLUMNS = ["year", "basis", "china_balance_usd", "world_balance_usd", "share", "china_publisher",
                 "world_publisher", "china_basis", "world_basis", "dataset", "note"]  # fmt: skip


def china_share_table(data: ClaimData) -> pd.DataFrame:
    """China's deficit as a share of Colombia's total goods deficit, by year, on the headline basis and on the
    mixed-valuation alternative (each pair of balances on one basis)."""
    china = deficit_series(data, CHINA)
    world = deficit_series(data, WORLD)
    rows = []
    for label, perspective in ((HEADLINE_SHARE, COL_REPORTED), (MIXED_SHARE, MIXED)):
        c_rows = china[china["perspective"] == perspective].set_index("year")
        w_rows = world[world["perspective"] == perspective].set_index("year")
        for year in sorted(set(c_rows.index) & set(w_rows.index)):
            rows.append(_share_row(int(year), label, c_rows.loc[year], w_rows.loc[year]))
    return pd.DataFrame(rows, columns=SHARE_COLUMNS) if rows else empty_frame(SHARE_COLUMNS)


def _share_row(year: int, basis: str, china: pd.Series, world: pd.Series) -> dict[str, Any]:
    china_balance, world_balance = float(china["balance_usd"]), float(world["balance_usd"])
    share = china_balance / world_balance if world_balance < 0 and china_balance < 0 else float("nan")
    note = "" if world_balance < 0 else "Colombia's total goods trade was in surplus: no share"
    return {
        "year": year, "basis": basis, "china_balance_usd": china_balance, "world_balance_usd": world_balance,
        "share": share, "china_publisher": str(china["publisher"]), "world_publisher": str(world["publisher"]),
        "china_basis": str(china["basis_label"]), "world_basis": str(world["basis_label"]),
        "dataset": str(china["dataset"]), "note": note,
    }  # fmt: skip


def check_china_share_of_deficit(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    table = china_share_table(data)
    numbers = numbers_frame([
        number_row("China deficit ÷ total goods deficit", int(r["year"]), r["basis"], r["share"] * 100, "%",
                   f"China: {r['china_basis']}; total: {r['world_basis']}", "record", r["dataset"],
                   f"China: {r['china_publisher']}; total: {r['world_publisher']}",
                   f"China {bn(-r['china_balance_usd'])} bn ÷ total {bn(-r['world_balance_usd'])} bn. {r['note']}".strip())
        for r in table.to_dict("records")
    ])  # fmt: skip
    table = table[table["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    headline = table[(table["basis"] == HEADLINE_SHARE) & (table["year"] <= REFERENCE_YEAR_MAX)]
    missing = []
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in set(headline["year"])]
    if gaps:
        missing.append(f"a China deficit and a total deficit on the headline basis: {format_years(gaps)}")
    known = headline.dropna(subset=["share"])
    if known.empty:
        return ClaimCard(spec, CANNOT_CHECK, ("No year has both deficits on one basis in the bundled data.",),
                         numbers, tuple(missing), table)  # fmt: skip
    latest = known.sort_values("year").iloc[-1]
    year, share = int(latest["year"]), float(latest["share"])
    supported = (float(tol["share_min"]), float(tol["share_max"]))
    partly = (float(tol["partial_share_min"]), float(tol["partial_share_max"]))
    verdict = verdict_within(share, supported, partly)
    sentences = [
        f"In {year} the deficit with China was USD {bn(-latest['china_balance_usd'])} bn ({latest['china_basis']}; "
        f"{latest['china_publisher']}) and Colombia's total goods deficit USD {bn(-latest['world_balance_usd'])} bn "
        f"({latest['world_basis']}; {latest['world_publisher']}): {pct(share, 0)}."
    ]
    surplus = headline[headline["world_balance_usd"] >= 0]
    if share > 1:
        rest = latest["world_balance_usd"] - latest["china_balance_usd"]
        sentences.append(f"Above 100 % the deficit with China is larger than the whole deficit: Colombia's trade with "
                         f"the rest of the world taken together was in surplus by USD {bn(rest)} bn.")  # fmt: skip
    if not surplus.empty:
        sentences.append(
            f"No share exists for {format_years(surplus['year'])}: Colombia's total goods trade was in surplus."
        )
    earlier = known[known["year"] < year]
    if not earlier.empty:
        ordered = earlier.sort_values("share", kind="stable")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        sentences.append(f"In earlier years on the headline basis the share ranged from {pct(low['share'], 0)} "
                         f"({int(low['year'])}) to {pct(high['share'], 0)} ({int(high['year'])}, when the total "
                         f"deficit was USD {bn(-high['world_balance_usd'])} bn).")  # fmt: skip
    facts: dict[str, float] = {"year": float(year), "share_headline": share}
    alternatives = []
    mixed = table[(table["basis"] == MIXED_SHARE) & (table["year"] == year)].dropna(subset=["share"])
    if not mixed.empty:
        m = mixed.iloc[0]
        facts["share_mixed"] = float(m["share"])
        alternatives.append(f"{MIXED_SHARE}: {pct(float(m['share']), 0)} (China {bn(-m['china_balance_usd'])} bn of "
                            f"{bn(-m['world_balance_usd'])} bn)")  # fmt: skip
    disagreement = ""
    if share > supported[1]:
        disagreement = (
            f"“Practically the entire” understates it: on the headline basis the deficit with China is "
            f"larger than Colombia's whole goods deficit ({pct(share, 0)})."
        )
    elif share < supported[0]:
        disagreement = f"The deficit with China is {pct(share, 0)} of the total goods deficit, not practically all of it."
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), table, facts,
                     basis=f"China: {latest['china_basis']}; total: {latest['world_basis']}",
                     figure=f"{pct(share, 0)} of the total goods deficit in {year}",
                     citation=f"China: {latest['china_publisher']}; total: {latest['world_publisher']}",
                     alternatives=tuple(alternatives), disagreement=disagreement)  # fmt: skip
