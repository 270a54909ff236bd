"""The one sentence a page says under a headline number or chart, computed from the figures shown, in the reader's
language ("Colombia bought USD 12.66 bn more from China than it sold to it in 2024."). Pure: no Streamlit.

The details behind each sentence (basis, publisher, alternatives) stay on the page, folded away.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard import i18n, units
from dashboard.i18n import t
from etl import record_balance
from etl.schema import BILLION, WORLD

EVEN_SHARE = 0.005  # a balance under 0.5 % of the trade it nets is "about even"


def amount(value: float, unit: str, base_year: int | None, lang: str) -> str:
    """A value in one of the pages' units, in words: '12,66 mil millones de USD', 'USD 1.19 bn (2024
    dollars)', '3,45 % del PIB de Colombia'."""
    if unit == units.PCT_GDP:
        return i18n.percent(value, lang, 2) + i18n.pick(lang, " of Colombia's GDP", " del PIB de Colombia")
    text = i18n.money(value * BILLION, lang)
    if unit == units.CONSTANT:
        text += i18n.pick(lang, f" ({base_year} dollars)", f" (dólares de {base_year})")
    return text


def headline(value: float, unit: str, lang: str) -> str:
    """A headline tile's number in one of the pages' units, short enough for a quarter of the page:
    'USD −12.66 bn', '−12.658 M USD', '−3,45 %'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == units.PCT_GDP:
        return i18n.percent(value, lang, 2).replace("-", "−")
    return i18n.money_compact(value * BILLION, lang)


def partner_name(iso3: str, name: str, lang: str) -> str:
    """How a sentence names a partner: the World as 'the world' / 'el mundo'."""
    if iso3 == WORLD:
        return i18n.pick(lang, "the world", "el mundo")
    return name


def balance_sentence(
    partner: str,
    name: str,
    balance: float,
    *,
    year: int,
    unit: str,
    base_year: int | None,
    lang: str,
    trade: float | None = None,
) -> str:
    """'Colombia bought USD 12.66 bn more from China than it sold to it in 2024.' (a deficit), the surplus the
    other way round; 'about even' when the balance is under 0.5 % of ``trade`` (exports + imports)."""
    who = partner_name(partner, name, lang)
    if trade and abs(balance) < EVEN_SHARE * abs(trade):
        return t("takeaway_even", lang, partner=who, year=year).replace(" a el ", " al ")
    key = "takeaway_deficit" if balance < 0 else "takeaway_surplus"
    sentence = t(key, lang, partner=who, value=amount(abs(balance), unit, base_year, lang), year=year)
    return sentence.replace(" a el ", " al ")  # "le compró a el mundo" → "le compró al mundo"


def share_sentence(shares: pd.DataFrame, partner: str, name: str, flow: str, lang: str) -> str | None:
    """'China took 24.9 % of Colombia's imports in 2024, up from 13.5 % in 2010.' from a frame with columns
    partner_iso3, flow, year, share_pct (the years shown); None where the partner has no share."""
    rows = shares[(shares["partner_iso3"] == partner) & (shares["flow"] == flow)].dropna(subset=["share_pct"])
    if rows.empty:
        return None
    rows = rows.sort_values("year")
    first, last = rows.iloc[0], rows.iloc[-1]
    what = (
        i18n.pick(lang, "exports", "exportaciones")
        if flow == "export"
        else i18n.pick(lang, "imports", "importaciones")
    )
    now = i18n.percent(float(last["share_pct"]), lang)
    if int(first["year"]) == int(last["year"]):
        return i18n.pick(
            lang,
            f"{name}: {now} of Colombia's {what} in {int(last['year'])}.",
            f"{name}: el {now} de las {what} de Colombia en {int(last['year'])}.",
        )
    then = i18n.percent(float(first["share_pct"]), lang)
    direction = (
        i18n.pick(lang, "up from", "frente al")
        if last["share_pct"] > first["share_pct"]
        else i18n.pick(lang, "down from", "frente al")
    )
    return i18n.pick(
        lang,
        f"{name}: {now} of Colombia's {what} in {int(last['year'])}, {direction} {then} in {int(first['year'])}.",
        f"{name}: el {now} de las {what} de Colombia en {int(last['year'])}, {direction} {then} de "
        f"{int(first['year'])}.",
    )


def growth_pct(before: float, after: float) -> float:
    """Growth from ``before`` to ``after`` in %; NaN where there was nothing before (growth from zero has no %)."""
    if before is None or after is None or not before > 0 or math.isnan(after):
        return math.nan
    return (after / before - 1) * 100


def cagr_pct(before: float, after: float, years: int) -> float:
    """Compound annual growth rate in % over ``years`` years; NaN where there was nothing before or after, or
    no years between."""
    if years <= 0 or before is None or after is None or not before > 0 or not after > 0:
        return math.nan
    return ((after / before) ** (1 / years) - 1) * 100


def cif_fob_note(wide: pd.DataFrame, names: dict[str, str], lang: str, factor: float) -> str | None:
    """Where a chart or table puts CIF imports beside a balance on a FOB/FOB basis, the sentence that says so at
    that point: exports − imports as drawn is not the balance shown, why, and the latest example in ``wide``
    (columns of ``queries.query_balances``, USD). None where every balance shown is exports − imports as drawn."""
    cif = wide[
        (wide["import_valuation"] == "CIF")
        & wide["basis"].isin([record_balance.OFFICIAL, record_balance.FOB_ESTIMATED])
        & wide[["export", "import", "balance"]].notna().all(axis=1)
    ]
    if cif.empty:
        return None
    final = cif[cif["provisional"] != True]  # noqa: E712 - a column of booleans and missing values
    shown = final if not final.empty else cif
    latest = shown[shown["year"] == shown["year"].max()]
    # the latest (final) year's partner where the two differ most: the clearest example
    row = latest.loc[(latest["export"] - latest["import"] - latest["balance"]).abs().idxmax()]
    partner = partner_name(str(row["partner_iso3"]), names.get(str(row["partner_iso3"]), ""), lang)
    difference = i18n.money(float(row["export"]) - float(row["import"]), lang)
    balance = i18n.money(float(row["balance"]), lang)
    how = (
        i18n.pick(
            lang,
            "DANE's own balance, imports valued FOB",
            "la balanza del propio DANE, con las importaciones valoradas FOB",
        )
        if row["basis"] == record_balance.OFFICIAL
        else i18n.pick(
            lang, f"imports CIF ÷ {factor:.2f}", f"importaciones CIF ÷ {i18n.number(factor, lang)}"
        )
    )
    return i18n.pick(
        lang,
        "Exports minus imports as drawn here is not the balance shown: imports are valued CIF (with freight and "
        "insurance, as the importing country records them) and exports FOB, while the balance puts both on a "
        f"FOB basis ({how}). {int(row['year'])}, {partner}: exports − imports = {difference}; balance {balance}.",
        "Exportaciones menos importaciones, tal como se dibujan aquí, no es la balanza mostrada: las importaciones "
        "se valoran CIF (con flete y seguro, como las registra el país importador) y las exportaciones FOB, "
        f"mientras que la balanza pone ambas en base FOB ({how}). {int(row['year'])}, {partner}: exportaciones − "
        f"importaciones = {difference}; balanza {balance}.",
    )
