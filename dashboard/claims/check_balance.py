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
    perspective,
    span_gaps,
)
from dashboard.claims.rules import CANNOT_CHECK, SUPPORTED, verdict_close_to, verdict_within
from dashboard.claims.series import at_year, deficit_series, latest_of, missing_years, series_number_rows
from dashboard.claims.specs import ClaimSpec
from dashboard.claims.words import Words
from etl.schema import CHINA, WORLD
from etl.years import format_years

# --------------------------------------------------------------------------------------------- claim 1


def _gap_words(value: float, target: float, w: Words) -> str:
    gap = (value - target) / target * 100
    if w.es:
        return f"{w.num(abs(gap))} % {'por debajo de' if gap < 0 else 'por encima de'}"
    return f"{abs(gap):.1f} % {'below' if gap < 0 else 'above'}"


def _number_rows(rows: list[dict[str, Any]], w: Words) -> list[dict[str, Any]]:
    """Number rows with their perspective, basis and publisher in the card's language."""
    if not w.es:
        return rows
    return [{**r, "perspective": perspective(str(r["perspective"]), w.lang), "valuation": w.rec(r["valuation"]),
             "publisher": w.rec(r["publisher"]), "note": w.rec(r["note"])} for r in rows]  # fmt: skip


def check_china_deficit(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    tol = spec.tolerance
    target = float(tol["target_usd"])
    series = deficit_series(data, CHINA)
    series = series[series["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    head = latest_of(series, COL_REPORTED)
    missing = []
    gaps = missing_years(series, COL_REPORTED)
    if gaps:
        missing.append(w.t(f"Colombia-reported exports and imports with China: {format_years(gaps)}",
                           f"exportaciones e importaciones con China según Colombia: {format_years(gaps)}"))  # fmt: skip
    mgaps = missing_years(series, MIRROR)
    if mgaps:
        missing.append(w.t(f"China-reported exports and imports with Colombia: {format_years(mgaps)}",
                           f"exportaciones e importaciones con Colombia según China: {format_years(mgaps)}"))  # fmt: skip
    measure = w.t(
        "balance with China (negative = Colombian deficit)",
        "balanza con China (negativa = déficit colombiano)",
    )
    numbers = numbers_frame(_number_rows(series_number_rows(series, measure), w))
    if head is None:
        return ClaimCard(spec, CANNOT_CHECK, (w.t("No Colombia-reported balance with China is in the bundled data.",
                                                  "Los datos incluidos no tienen una balanza con China según Colombia."),),
                         numbers, tuple(missing), series)  # fmt: skip
    year = int(head["year"])
    deficit = -float(head["balance_usd"])
    match, partial = float(tol["match_pct"]), float(tol["partial_pct"])
    verdict = verdict_close_to(deficit, target, match, partial)
    where = "within" if verdict == SUPPORTED else "outside"
    sentences = [
        w.t(f"On the headline basis ({head['basis_label']}) Colombia's deficit with China was USD {bn(deficit)} bn in "
            f"{year} ({head['publisher']}), {_gap_words(deficit, target, w)} the USD {bn(target)} bn claimed — {where} "
            f"the ±{match:g} % tolerance.",
            f"En la base principal ({w.rec(head['basis_label'])}) el déficit de Colombia con China fue de "
            f"{w.bn(deficit)} en {year} ({w.rec(head['publisher'])}), un {_gap_words(deficit, target, w)} los "
            f"{w.bn(target)} afirmados: {'dentro' if verdict == SUPPORTED else 'fuera'} de la tolerancia de "
            f"±{w.num(match, 0)} %.")
    ]  # fmt: skip
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
        alternatives.append(w.t(f"{mixed['basis_label']}: USD {bn(mdef)} bn in {year}, {_gap_words(mdef, target, w)} the "
                                f"claim ({mixed['publisher']})",
                                f"{w.rec(mixed['basis_label'])}: {w.bn(mdef)} en {year}, un {_gap_words(mdef, target, w)} "
                                f"lo afirmado ({w.rec(mixed['publisher'])})"))  # fmt: skip
    mirror = latest_of(series, MIRROR)
    if mirror is not None:
        rdef = -float(mirror["balance_usd"])
        facts.update(mirror_deficit_usd=rdef, mirror_year=float(mirror["year"]))
        alternatives.append(w.t(f"as China reports it ({mirror['basis_label']}): USD {bn(rdef)} bn in "
                                f"{int(mirror['year'])} ({mirror['publisher']})",
                                f"según China ({w.rec(mirror['basis_label'])}): {w.bn(rdef)} en "
                                f"{int(mirror['year'])} ({w.rec(mirror['publisher'])})"))  # fmt: skip
    disagreement = ""
    if verdict != SUPPORTED:
        disagreement = w.t(
            f"The article says USD {bn(target)} bn; on the headline basis the deficit was USD "
            f"{bn(deficit)} bn ({abs(facts['gap_pct']):.1f} % {'less' if deficit < target else 'more'})",
            f"El artículo dice {w.bn(target)}; en la base principal el déficit fue de {w.bn(deficit)} "
            f"({w.num(abs(facts['gap_pct']))} % {'menos' if deficit < target else 'más'})",
        )
        if (
            mixed is not None
            and verdict_close_to(facts["mixed_deficit_usd"], target, match, partial) == SUPPORTED
        ):
            disagreement += w.t(
                f"; the article's figure matches only the mixed-valuation difference (exports FOB − "
                f"imports CIF: USD {bn(facts['mixed_deficit_usd'])} bn), which values the two flows "
                "differently",
                "; la cifra del artículo solo coincide con la diferencia de valoración mixta (exportaciones FOB − "
                f"importaciones CIF: {w.bn(facts['mixed_deficit_usd'])}), que valora los dos flujos de forma "
                "distinta",
            )
        disagreement += "."
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), series, facts,
                     basis=w.rec(head["basis_label"]),
                     figure=w.t(f"USD {bn(deficit)} bn deficit with China in {year}",
                                f"déficit de {w.bn(deficit)} con China en {year}"),
                     citation=w.rec(head["publisher"]), alternatives=tuple(alternatives),
                     disagreement=disagreement)  # fmt: skip


# --------------------------------------------------------------------------------------------- claim 2


HEADLINE_SHARE = "headline basis (imports FOB)"
MIXED_SHARE = "both exports FOB − imports CIF (mixed valuation)"
SHARE_BASES = (HEADLINE_SHARE, MIXED_SHARE)
SHARE_COLUMNS = ["year", "basis", "china_balance_usd", "world_balance_usd", "share", "china_publisher",
                 "world_publisher", "china_basis", "world_basis", "dataset", "note", "provisional", "comparable"]  # fmt: skip


def china_share_table(data: ClaimData) -> pd.DataFrame:
    """China's deficit as a share of Colombia's total goods deficit, by year, on the headline basis and on the
    mixed-valuation alternative (each pair of balances on one basis)."""
    china = deficit_series(data, CHINA)
    world = deficit_series(data, WORLD)
    rows = []
    for label, side in ((HEADLINE_SHARE, COL_REPORTED), (MIXED_SHARE, MIXED)):
        c_rows = china[china["perspective"] == side].set_index("year")
        w_rows = world[world["perspective"] == side].set_index("year")
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
        "provisional": bool(china["provisional"]) or bool(world["provisional"]),
        "comparable": bool(china["comparable"]) and bool(world["comparable"]),
    }  # fmt: skip


SHARE_BASES_ES = {
    HEADLINE_SHARE: "base principal (importaciones FOB)",
    MIXED_SHARE: "ambas exportaciones FOB − importaciones CIF (valoración mixta)",
}


def share_basis(basis: str, lang: str = "en") -> str:
    return SHARE_BASES_ES.get(basis, basis) if lang == "es" else basis


def check_china_share_of_deficit(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    tol = spec.tolerance
    table = china_share_table(data)
    surplus_note = "Colombia's total goods trade was in surplus: no share"
    numbers = numbers_frame([
        number_row(w.t("China deficit ÷ total goods deficit", "déficit con China ÷ déficit total de bienes"),
                   int(r["year"]), share_basis(r["basis"], lang), r["share"] * 100, "%",
                   f"China: {w.rec(r['china_basis'])}; total: {w.rec(r['world_basis'])}", "record", r["dataset"],
                   f"China: {w.rec(r['china_publisher'])}; total: {w.rec(r['world_publisher'])}",
                   w.t(f"China {bn(-r['china_balance_usd'])} bn ÷ total {bn(-r['world_balance_usd'])} bn. {r['note']}",
                       f"China {w.bn(-r['china_balance_usd'])} ÷ total {w.bn(-r['world_balance_usd'])}. "
                       + ("El comercio total de bienes de Colombia tuvo superávit: no hay participación"
                          if r["note"] == surplus_note else "")).strip(),
                   provisional=r["provisional"], comparable=r["comparable"])
        for r in table.to_dict("records")
    ])  # fmt: skip
    table = table[table["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    headline = table[(table["basis"] == HEADLINE_SHARE) & (table["year"] <= REFERENCE_YEAR_MAX)]
    missing = []
    gaps = span_gaps(headline["year"])
    if gaps:
        missing.append(w.t(f"a China deficit and a total deficit on the headline basis: {format_years(gaps)}",
                           f"un déficit con China y un déficit total en la base principal: {format_years(gaps)}"))  # fmt: skip
    known = headline.dropna(subset=["share"])
    if known.empty:
        return ClaimCard(spec, CANNOT_CHECK, (w.t("No year has both deficits on one basis in the bundled data.",
                                                  "Ningún año tiene ambos déficits en una misma base en los datos incluidos."),),
                         numbers, tuple(missing), table)  # fmt: skip
    latest = known.sort_values("year").iloc[-1]
    year, share = int(latest["year"]), float(latest["share"])
    supported = (float(tol["share_min"]), float(tol["share_max"]))
    partly = (float(tol["partial_share_min"]), float(tol["partial_share_max"]))
    verdict = verdict_within(share, supported, partly)
    sentences = [
        w.t(f"In {year} the deficit with China was USD {bn(-latest['china_balance_usd'])} bn ({latest['china_basis']}; "
            f"{latest['china_publisher']}) and Colombia's total goods deficit USD {bn(-latest['world_balance_usd'])} bn "
            f"({latest['world_basis']}; {latest['world_publisher']}): {pct(share, 0)}.",
            f"En {year} el déficit con China fue de {w.bn(-latest['china_balance_usd'])} ({w.rec(latest['china_basis'])}; "
            f"{w.rec(latest['china_publisher'])}) y el déficit total de bienes de Colombia de "
            f"{w.bn(-latest['world_balance_usd'])} ({w.rec(latest['world_basis'])}; {w.rec(latest['world_publisher'])}): "
            f"{w.pct(share, 0)}.")
    ]  # fmt: skip
    surplus = headline[headline["world_balance_usd"] >= 0]
    if share > 1:
        rest = latest["world_balance_usd"] - latest["china_balance_usd"]
        sentences.append(w.t(f"Above 100 % the deficit with China is larger than the whole deficit: Colombia's trade with "
                             f"the rest of the world taken together was in surplus by USD {bn(rest)} bn.",
                             "Por encima del 100 % el déficit con China es mayor que todo el déficit: el comercio de "
                             f"Colombia con el resto del mundo en conjunto tuvo un superávit de {w.bn(rest)}."))  # fmt: skip
    if not surplus.empty:
        sentences.append(w.t(
            f"No share exists for {format_years(surplus['year'])}: Colombia's total goods trade was in surplus.",
            f"No hay participación en {format_years(surplus['year'])}: el comercio total de bienes de Colombia tuvo "
            "superávit.",
        ))  # fmt: skip
    earlier = known[known["year"] < year]
    if not earlier.empty:
        ordered = earlier.sort_values("share", kind="stable")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        sentences.append(w.t(f"In earlier years on the headline basis the share ranged from {pct(low['share'], 0)} "
                             f"({int(low['year'])}) to {pct(high['share'], 0)} ({int(high['year'])}, when the total "
                             f"deficit was USD {bn(-high['world_balance_usd'])} bn).",
                             f"En años anteriores, en la base principal, la participación fue de {w.pct(low['share'], 0)} "
                             f"({int(low['year'])}) a {w.pct(high['share'], 0)} ({int(high['year'])}, cuando el déficit "
                             f"total fue de {w.bn(-high['world_balance_usd'])})."))  # fmt: skip
    facts: dict[str, float] = {"year": float(year), "share_headline": share}
    alternatives = []
    mixed = table[(table["basis"] == MIXED_SHARE) & (table["year"] == year)].dropna(subset=["share"])
    if not mixed.empty:
        m = mixed.iloc[0]
        facts["share_mixed"] = float(m["share"])
        alternatives.append(w.t(f"{MIXED_SHARE}: {pct(float(m['share']), 0)} (China {bn(-m['china_balance_usd'])} bn of "
                                f"{bn(-m['world_balance_usd'])} bn)",
                                f"{share_basis(MIXED_SHARE, lang)}: {w.pct(float(m['share']), 0)} (China "
                                f"{w.bn(-m['china_balance_usd'])} de {w.bn(-m['world_balance_usd'])})"))  # fmt: skip
    disagreement = ""
    if share > supported[1]:
        disagreement = w.t(
            f"“Practically the entire” understates it: on the headline basis the deficit with China is "
            f"larger than Colombia's whole goods deficit ({pct(share, 0)}).",
            "«Prácticamente todo» se queda corto: en la base principal el déficit con China es mayor que todo el "
            f"déficit de bienes de Colombia ({w.pct(share, 0)}).",
        )
    elif share < supported[0]:
        disagreement = w.t(
            f"The deficit with China is {pct(share, 0)} of the total goods deficit, not practically all of it.",
            f"El déficit con China es el {w.pct(share, 0)} del déficit total de bienes, no prácticamente todo.",
        )
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), table, facts,
                     basis=f"China: {w.rec(latest['china_basis'])}; total: {w.rec(latest['world_basis'])}",
                     figure=w.t(f"{pct(share, 0)} of the total goods deficit in {year}",
                                f"{w.pct(share, 0)} del déficit total de bienes en {year}"),
                     citation=f"China: {w.rec(latest['china_publisher'])}; total: {w.rec(latest['world_publisher'])}",
                     alternatives=tuple(alternatives), disagreement=disagreement)  # fmt: skip
