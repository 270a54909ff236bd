"""Claims 1 and 2: the size of the deficit with China and its share of the total deficit."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    MIRROR,
    RECONCILED,
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
from dashboard.claims.rules import (
    CANNOT_CHECK,
    verdict_close_to,
    verdict_share_at_least,
)
from dashboard.claims.series import (
    colombia_series,
    deficit_series,
    latest_of,
    missing_years,
    published_value,
    series_number_rows,
)
from dashboard.claims.specs import ClaimSpec
from etl.settings import CIF_FOB_FACTOR_IMF
from etl.years import format_years

# --------------------------------------------------------------------------------------------- claim 1


def check_china_deficit(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    target = float(tol["target_usd"])
    series = deficit_series(data, "CHN")
    series = series[series["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    col = latest_of(series, COL_REPORTED)
    rec = latest_of(series, RECONCILED)
    mir = latest_of(series, MIRROR)
    first_year = SHARES_FROM_YEAR
    missing = []
    gaps = missing_years(series, COL_REPORTED, first_year, REFERENCE_YEAR_MAX)
    if gaps:
        missing.append(f"Colombia-reported exports and imports with China: {format_years(gaps)} "
                       "(IMF DOTS ends in 2020; no printed DANE figure for those years in the bundle)")
    mgaps = missing_years(series, MIRROR, first_year, REFERENCE_YEAR_MAX)
    if mgaps:
        missing.append(f"China-reported exports and imports with Colombia: {format_years(mgaps)} "
                       "(IMF DOTS ends in 2020; later China-side figures printed only for 2022 split by flow)")
    if col is None:
        return ClaimCard(spec, CANNOT_CHECK, ("No Colombia-reported balance with China is in the bundled data.",),
                         numbers_frame(series_number_rows(series, "balance with China")), tuple(missing), series)
    deficit = -float(col["balance_usd"])
    verdict = verdict_close_to(deficit, target, float(tol["match_pct"]), float(tol["partial_pct"]))
    gap = (deficit - target) / target * 100
    where = "within" if abs(gap) <= float(tol["match_pct"]) else "outside"
    sentences = [
        f"Colombia-reported ({col['publisher']}): the deficit with China was USD {bn(deficit)} bn in "
        f"{int(col['year'])} with imports valued CIF, {abs(gap):.1f} % {'below' if gap < 0 else 'above'} "
        f"the USD {bn(target)} bn claimed — {where} the ±{float(tol['match_pct']):g} % tolerance."
    ]
    other = []
    facts = {"deficit_usd": deficit, "year": float(col["year"]), "gap_pct": gap}
    if rec is not None and int(rec["year"]) == int(col["year"]):
        rdef = -float(rec["balance_usd"])
        facts["reconciled_deficit_usd"] = rdef
        other.append(f"with imports converted to FOB (÷ {CIF_FOB_FACTOR_IMF:g}) it is USD {bn(rdef)} bn "
                     f"({abs(rdef - target) / target * 100:.1f} % {'below' if rdef < target else 'above'} the claim)")
    if mir is not None:
        mdef = -float(mir["balance_usd"])
        facts["mirror_deficit_usd"] = mdef
        facts["mirror_year"] = float(mir["year"])
        other.append(f"China's own figures give USD {bn(mdef)} bn for {int(mir['year'])}, its latest split year")
    if other:
        sentences.append("On other bases: " + "; ".join(other) + ".")
    numbers = numbers_frame(series_number_rows(series, "balance with China (negative = Colombian deficit)"))
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), series, facts)


# --------------------------------------------------------------------------------------------- claim 2


SHARE_BASES = ("both CIF imports", "both FOB imports", "mixed: China CIF over headline FOB")


def china_share_table(data: ClaimData, factor: float = CIF_FOB_FACTOR_IMF) -> pd.DataFrame:
    """China's deficit as a share of Colombia's total goods deficit, by year and valuation basis."""
    china = colombia_series(data, "CHN", factor)
    world = colombia_series(data, "WLD", factor)
    pub_world = data.published[(data.published["reporter_iso3"] == "COL") & (data.published["partner_iso3"] == "WLD")]
    rows = []
    for year in sorted(set(china["year"].astype(int))):
        c_cif = china[(china["year"] == year) & (china["perspective"] == COL_REPORTED)]
        c_fob = china[(china["year"] == year) & (china["perspective"] == RECONCILED)]
        w_cif = world[(world["year"] == year) & (world["perspective"] == COL_REPORTED)]
        w_fob = world[(world["year"] == year) & (world["perspective"] == RECONCILED)]
        headline = None if year <= 2020 and not w_cif.empty else published_value(pub_world, year, "COL", "WLD", "balance")
        if not c_cif.empty and not w_cif.empty and c_cif.iloc[0]["import_valuation"] == "CIF":
            rows.append(_share_row(year, SHARE_BASES[0], c_cif.iloc[0], float(w_cif.iloc[0]["balance_usd"]), w_cif.iloc[0]))
        # The printed headline balance has imports really valued FOB: prefer it to the ÷ factor estimate.
        if not c_fob.empty and headline is not None:
            rows.append(_share_row(year, SHARE_BASES[1], c_fob.iloc[0], float(headline["value_usd"]), headline,
                                   world_note="DANE headline balance (imports FOB)"))
        elif not c_fob.empty and not w_fob.empty:
            rows.append(_share_row(year, SHARE_BASES[1], c_fob.iloc[0], float(w_fob.iloc[0]["balance_usd"]), w_fob.iloc[0]))
        if headline is not None and not c_cif.empty and c_cif.iloc[0]["import_valuation"] == "CIF":
            rows.append(_share_row(year, SHARE_BASES[2], c_cif.iloc[0], float(headline["value_usd"]), headline,
                                   world_note="DANE headline balance (imports FOB); not comparable"))
    columns = ["year", "basis", "china_balance_usd", "world_balance_usd", "share", "china_publisher",
               "world_publisher", "dataset", "note"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)


def _share_row(year: int, basis: str, china: pd.Series, world_balance: float, world: pd.Series,
               world_note: str = "") -> dict[str, Any]:  # fmt: skip
    china_balance = float(china["balance_usd"])
    share = china_balance / world_balance if world_balance < 0 and china_balance < 0 else float("nan")
    return {
        "year": year, "basis": basis, "china_balance_usd": china_balance, "world_balance_usd": world_balance,
        "share": share, "china_publisher": str(china["publisher"]), "world_publisher": str(world["publisher"]),
        "dataset": str(china["dataset"]), "note": world_note,
    }  # fmt: skip


def check_china_share_of_deficit(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    table = china_share_table(data)
    numbers = numbers_frame([
        number_row("China deficit ÷ total goods deficit", int(r["year"]), r["basis"], r["share"] * 100, "%", r["basis"],
             "imf_dots" if r["year"] <= 2020 else "published", r["dataset"],
             f"China: {r['china_publisher']}; total: {r['world_publisher']}",
             f"China {bn(-r['china_balance_usd'])} bn ÷ total {bn(-r['world_balance_usd'])} bn. {r['note']}".strip())
        for r in table.to_dict("records")
    ])  # fmt: skip
    table = table[table["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    consistent = table[table["basis"] != SHARE_BASES[2]].dropna(subset=["share"])
    missing = []
    surplus_years = set(table[(table["basis"] == SHARE_BASES[0]) & (table["world_balance_usd"] >= 0)]["year"])
    have_years = set(consistent["year"].astype(int)) | surplus_years
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in have_years]
    if gaps:
        missing.append(f"a China deficit and a total deficit on the same valuation: {format_years(gaps)} "
                       "(Colombia-reported trade with China or with the world is missing for those years)")
    if consistent.empty:
        return ClaimCard(spec, CANNOT_CHECK, ("No year has both deficits on one valuation in the bundled data.",),
                         numbers, tuple(missing), table)
    latest_year = int(consistent["year"].max())
    latest = consistent[consistent["year"] == latest_year]
    shares = latest["share"].tolist()
    verdict = verdict_share_at_least(shares, float(tol["share_min"]), float(tol["partial_share_min"]))
    parts = [f"{pct(r['share'], 0)} with {r['basis']} (China {bn(-r['china_balance_usd'])} bn of "
             f"{bn(-r['world_balance_usd'])} bn)" for r in latest.to_dict("records")]
    sentences = [f"In {latest_year} the deficit with China was " + " and ".join(parts) + " of Colombia's total goods deficit."]
    if any(s > 1 for s in shares):
        sentences.append("Above 100 % means Colombia's trade with the rest of the world taken together was in surplus.")
    earlier = consistent[(consistent["year"] < latest_year) & (consistent["basis"] == SHARE_BASES[0])]
    if surplus_years:
        sentences.append(f"No share exists for {format_years(surplus_years)}: Colombia's total goods trade was in surplus.")
    if not earlier.empty:
        low = earlier.loc[earlier["share"].idxmin()]
        high = earlier.loc[earlier["share"].idxmax()]
        sentences.append(f"In earlier years (both CIF) the share ranged from {pct(low['share'], 0)} ({int(low['year'])}) to "
                         f"{pct(high['share'], 0)} ({int(high['year'])}, when the total deficit was USD "
                         f"{bn(-high['world_balance_usd'])} bn).")
    mixed = table[(table["basis"] == SHARE_BASES[2]) & (table["year"] == latest_year)]
    if not mixed.empty:
        sentences.append(f"Dividing the CIF China deficit by DANE's headline (FOB) balance gives "
                         f"{pct(float(mixed.iloc[0]['share']), 0)}, which mixes valuations.")
    facts = {f"share_{b.split()[1] if b != SHARE_BASES[2] else 'mixed'}": float(s)
             for b, s in zip(table[table["year"] == latest_year]["basis"], table[table["year"] == latest_year]["share"], strict=False)}  # fmt: skip
    facts["year"] = float(latest_year)
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), table, facts)
