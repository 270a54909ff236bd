"""Claims 7, 8 and 10: what closing the deficit would take, the fiscal statement, the out-of-scope one."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    SOURCE_PUBLISHERS,
    ClaimCard,
    ClaimData,
    bn,
    number_row,
    numbers_frame,
    perspective,
    span_gaps,
)
from dashboard.claims.rules import CANNOT_CHECK, NOT_SUPPORTED, OUT_OF_SCOPE, PARTLY, SCENARIO, verdict_within
from dashboard.claims.series import deficit_series, latest_of, record_rows
from dashboard.claims.specs import ClaimSpec
from dashboard.claims.words import Words
from etl.schema import CHINA, GDP_DERIVED, GDP_WORLD_BANK
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


def check_china_purchases(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    series = deficit_series(data, CHINA)
    head = latest_of(series, COL_REPORTED)
    exports = record_rows(data, CHINA, "export")
    best = largest_yearly_increase(exports)
    rows = [number_row(w.t("Colombia's exports to China", "exportaciones de Colombia a China"), int(r["year"]),
                       perspective(COL_REPORTED, lang), float(r["value_usd"]), "USD",
                       str(r["valuation"]), str(r["source"]), data.datasets.get(str(r["source"]), str(r["source"])),
                       w.rec(r["citation"]), provisional=r["provisional"], comparable=r.get("comparable", True))
            for r in exports.to_dict("records")]  # fmt: skip
    sentences = []
    facts: dict[str, float] = {}
    missing = []
    figure = ""
    if head is None or best is None:
        missing.append(
            w.t(
                "a Colombia-reported deficit with China and two consecutive years of exports to China",
                "un déficit con China según Colombia y dos años seguidos de exportaciones a China",
            )
        )
    else:
        deficit, year = -float(head["balance_usd"]), int(head["year"])
        current = exports[exports["year"] == year]["value_usd"]
        best_year, best_rise = best
        facts.update(deficit_usd=deficit, year=float(year), best_year=float(best_year), best_increase_usd=best_rise,
                     years_at_best_pace=deficit / best_rise)  # fmt: skip
        now = float(current.iloc[0]) if not current.empty else None
        sentences.append(w.t(
            f"Closing the {year} deficit ({head['basis_label']}; {head['publisher']}) would take USD {bn(deficit)} bn "
            "more Chinese purchases a year"
            + (f", taking Colombia's exports to China from USD {bn(now)} bn to USD {bn(now + deficit)} bn "
               f"(×{(now + deficit) / now:.1f})" if now else "") + ".",
            f"Cerrar el déficit de {year} ({w.rec(head['basis_label'])}; {w.rec(head['publisher'])}) exigiría "
            f"{w.bn(deficit)} más de compras chinas al año"
            + (f", llevando las exportaciones de Colombia a China de {w.bn(now)} a {w.bn(now + deficit)} "
               f"(×{w.num((now + deficit) / now)})" if now else "") + ".",
        ))  # fmt: skip
        best_source = exports[exports["year"] == best_year]["citation"]
        cited = best_source.iloc[0] if not best_source.empty else ""
        sentences.append(w.t(
            f"The largest yearly increase on record was USD {bn(best_rise)} bn ({best_year - 1}→{best_year}; "
            f"{cited}); at that pace closing the gap takes "
            f"{deficit / best_rise:.1f} years of record growth, with imports unchanged.",
            f"El mayor aumento anual registrado fue de {w.bn(best_rise)} ({best_year - 1}→{best_year}; "
            f"{w.rec(cited)}); a ese ritmo, cerrar la brecha toma {w.num(deficit / best_rise)} años de crecimiento "
            "récord, sin cambios en las importaciones.",
        ))  # fmt: skip
        figure = w.t(f"USD {bn(deficit)} bn a year more, {deficit / best_rise:.1f}× the record yearly rise (USD {bn(best_rise)} bn)",
                     f"{w.bn(deficit)} más al año, {w.num(deficit / best_rise)} veces el mayor aumento anual ({w.bn(best_rise)})")  # fmt: skip
        rows.append(number_row(w.t("increase needed to close the deficit", "aumento necesario para cerrar el déficit"),
                               year, perspective(COL_REPORTED, lang), deficit, "USD",
                               w.rec(head["basis_label"]), str(head["source"]), str(head["dataset"]),
                               w.rec(head["publisher"]), provisional=head["provisional"],
                               comparable=head["comparable"]))  # fmt: skip
    gaps = span_gaps(exports["year"])
    if gaps:
        missing.append(w.t(f"Colombia-reported exports to China: {format_years(gaps)}",
                           f"exportaciones a China según Colombia: {format_years(gaps)}"))  # fmt: skip
    return ClaimCard(spec, SCENARIO, tuple(sentences), numbers_frame(rows), tuple(missing), exports, facts,
                     basis=w.t("A statement about what could happen: the deficit on the headline basis against the "
                               "largest yearly rise of exports to China on record",
                               "Una afirmación sobre lo que podría pasar: el déficit en la base principal frente al "
                               "mayor aumento anual registrado de las exportaciones a China"),
                     figure=figure, citation="" if head is None else w.rec(head["publisher"]))  # fmt: skip


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


def _printed(row: pd.Series, w: Words | None = None) -> str:
    text = (
        f"{row['publisher']}, as printed by {row['printed_by']}"
        if isinstance(row.get("printed_by"), str)
        else str(row["publisher"])
    )
    return w.rec(text) if w is not None else text


def check_fiscal(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    """ "The fiscal deficit would become practically zero": even if every dollar of the trade gap closed became
    government revenue (it would not: a trade deficit is not a fiscal deficit), the fiscal deficit would shrink
    by at most the trade gap's size in GDP. The rule compares what would remain with "practically zero"."""
    tol = spec.tolerance
    series = deficit_series(data, CHINA)
    head = latest_of(series, COL_REPORTED)
    gdp_rows = data.gdp.set_index("year") if not data.gdp.empty else pd.DataFrame(columns=["gdp_usd"])
    gdp = gdp_rows["gdp_usd"].astype(float)
    w = Words(lang)
    sentences = [
        w.t("A trade deficit is not a fiscal deficit: the first is what residents buy abroad minus what they "
            "sell; the second is government spending minus revenue. Closing one does not close the other.",
            "Un déficit comercial no es un déficit fiscal: el primero es lo que los residentes compran en el exterior "
            "menos lo que venden; el segundo, el gasto del gobierno menos sus ingresos. Cerrar uno no cierra el otro.")
    ]  # fmt: skip
    facts: dict[str, float] = {}
    missing: list[str] = []
    rows: list[dict[str, Any]] = []
    fiscal, other_fiscal = fiscal_figures(data.fiscal, int(head["year"])) if head is not None else (None, [])
    if head is None or gdp.empty:
        missing.append(w.t("a Colombia-reported deficit with China and Colombia's GDP",
                           "un déficit con China según Colombia y el PIB de Colombia"))  # fmt: skip
        return ClaimCard(spec, CANNOT_CHECK, tuple(sentences), numbers_frame(rows), tuple(missing))
    year = int(head["year"])
    gdp_year = year if year in gdp.index else int(gdp.index.max())
    trade_share = -float(head["balance_usd"]) / float(gdp.loc[gdp_year]) * 100
    facts.update(year=float(year), gdp_year=float(gdp_year), trade_gap_pct_gdp=trade_share)
    derived = str(gdp_rows.loc[gdp_year].get("source", GDP_WORLD_BANK)) == GDP_DERIVED
    if gdp_year != year:
        gdp_note = w.t(f" (over GDP of {gdp_year}, the latest year bundled; no {year} GDP in US dollars is bundled)",
                       f" (sobre el PIB de {gdp_year}, el último año incluido; no hay PIB de {year} en dólares en "
                       "los datos incluidos)")  # fmt: skip
    elif derived:
        gdp_note = w.t(f" ({gdp_year} GDP in US dollars derived: DANE's GDP in pesos, as printed by the OECD, ÷ the "
                       f"year's average TRM; the World Bank series ends before {gdp_year})",
                       f" (PIB de {gdp_year} en dólares derivado: el PIB del DANE en pesos, según lo impreso por la OCDE, "
                       f"÷ la TRM promedio del año; la serie del Banco Mundial termina antes de {gdp_year})")  # fmt: skip
    else:
        gdp_note = ""
    gdp_publisher = (w.t("derived from DANE (GDP in pesos, as printed by the OECD) and the Superintendencia "
                         "Financiera's TRM", "derivado del DANE (PIB en pesos, según lo impreso por la OCDE) y la TRM "
                         "de la Superintendencia Financiera")
                     if derived else w.t(SOURCE_PUBLISHERS["world_bank"], "Banco Mundial, Indicadores del Desarrollo "
                                         "Mundial"))  # fmt: skip
    pct_gdp = w.t("% of GDP", "% del PIB")
    rows.append(number_row(w.t("deficit with China as % of GDP", "déficit con China en % del PIB"), year,
                           perspective(COL_REPORTED, lang), trade_share, pct_gdp,
                           w.rec(head["basis_label"]), str(head["source"]), str(head["dataset"]),
                           w.t(f"{head['publisher']}; GDP: {gdp_publisher} ({gdp_year})",
                               f"{w.rec(head['publisher'])}; PIB: {gdp_publisher} ({gdp_year})"),
                           provisional=head["provisional"], comparable=head["comparable"]))  # fmt: skip
    sentences.append(w.t(f"The {year} deficit with China (USD {bn(-float(head['balance_usd']))} bn, {head['basis_label']}; "
                         f"{head['publisher']}) was {trade_share:.1f} % of Colombia's GDP{gdp_note}.",
                         f"El déficit con China de {year} ({w.bn(-float(head['balance_usd']))}, {w.rec(head['basis_label'])}; "
                         f"{w.rec(head['publisher'])}) fue el {w.num(trade_share)} % del PIB de Colombia{gdp_note}."))  # fmt: skip
    if fiscal is None:
        missing.append(w.t(f"Colombia's printed fiscal deficit for {year} (% of GDP)",
                           f"el déficit fiscal impreso de Colombia de {year} (% del PIB)"))  # fmt: skip
        return ClaimCard(
            spec,
            CANNOT_CHECK,
            tuple(sentences),
            numbers_frame(rows),
            tuple(missing),
            facts=facts,
            basis=w.t("printed central-government fiscal deficit against the trade gap, both in % of GDP",
                      "déficit fiscal impreso del gobierno central frente a la brecha comercial, ambos en % del PIB"),
        )  # fmt: skip
    deficit_pct = float(fiscal["deficit_pct"])
    remaining = deficit_pct - trade_share
    band, partial = float(tol["zero_band_pts"]), float(tol["partial_band_pts"])
    verdict = verdict_within(remaining, (-band, band), (-partial, partial))
    facts.update(fiscal_deficit_pct_gdp=deficit_pct, remaining_pct_gdp=remaining)
    rows.append(number_row(w.t("central government fiscal deficit", "déficit fiscal del gobierno central"), year,
                           perspective("Colombia (printed)", lang), deficit_pct, pct_gdp,
                           "", "published_indicators", "indicators.csv", _printed(fiscal, w), str(fiscal["quote"])))  # fmt: skip
    sentences.append(w.t(f"The central government's fiscal deficit for {year} was {deficit_pct:.1f} % of GDP "
                         f"({_printed(fiscal)}: “{fiscal['quote']}”). Even if every dollar of the trade gap became "
                         f"revenue, {remaining:.1f} % of GDP would remain.",
                         f"El déficit fiscal del gobierno central de {year} fue el {w.num(deficit_pct)} % del PIB "
                         f"({_printed(fiscal, w)}: “{fiscal['quote']}”). Aunque cada dólar de la brecha comercial se "
                         f"volviera ingreso, quedaría un {w.num(remaining)} % del PIB."))  # fmt: skip
    alternatives: list[str] = []
    for other in other_fiscal:
        rest = float(other["deficit_pct"]) - trade_share
        facts[f"remaining_pct_gdp_alternative_{len(alternatives) + 1}"] = rest
        alternatives.append(w.t(
            f"{_printed(other)}: fiscal deficit {float(other['deficit_pct']):.1f} % of GDP, "
            f"{rest:.1f} % remaining ({other['url']})",
            f"{_printed(other, w)}: déficit fiscal del {w.num(float(other['deficit_pct']))} % del PIB, "
            f"queda un {w.num(rest)} % ({other['url']})",
        ))  # fmt: skip
    disagreement = ""
    if verdict == NOT_SUPPORTED:
        disagreement = w.t(
            f"The fiscal deficit ({deficit_pct:.1f} % of GDP) is about {deficit_pct / trade_share:.1f} times "
            f"the whole deficit with China ({trade_share:.1f} % of GDP): closing the trade gap could not "
            "bring it to practically zero.",
            f"El déficit fiscal ({w.num(deficit_pct)} % del PIB) es unas {w.num(deficit_pct / trade_share)} veces "
            f"todo el déficit con China ({w.num(trade_share)} % del PIB): cerrar la brecha comercial no podría "
            "llevarlo prácticamente a cero.",
        )
    elif verdict == PARTLY:
        disagreement = w.t(
            f"Even in that best case {remaining:.1f} % of GDP of fiscal deficit would remain, not practically zero.",
            f"Aun en ese mejor caso quedaría un déficit fiscal del {w.num(remaining)} % del PIB, no prácticamente cero.",
        )
    return ClaimCard(spec, verdict, tuple(sentences), numbers_frame(rows), tuple(missing),
                     pd.DataFrame({"measure": [w.t("fiscal deficit", "déficit fiscal"),
                                               w.t("deficit with China", "déficit con China"),
                                               w.t("remaining at best", "lo que queda, en el mejor caso")],
                                   "pct_gdp": [deficit_pct, trade_share, remaining]}), facts,
                     basis=w.t("printed central-government fiscal deficit against the trade gap with China (headline "
                               "basis), both in % of GDP",
                               "déficit fiscal impreso del gobierno central frente a la brecha comercial con China (base "
                               "principal), ambos en % del PIB"),
                     figure=w.t(f"fiscal deficit {deficit_pct:.1f} % of GDP vs deficit with China {trade_share:.1f} % of GDP",
                                f"déficit fiscal {w.num(deficit_pct)} % del PIB frente a déficit con China "
                                f"{w.num(trade_share)} % del PIB"),
                     citation=w.t(f"fiscal: {_printed(fiscal)} ({fiscal['url']}); trade: {head['publisher']}; GDP: World Bank",
                                  f"fiscal: {_printed(fiscal, w)} ({fiscal['url']}); comercio: {w.rec(head['publisher'])}; "
                                  "PIB: Banco Mundial"),
                     alternatives=tuple(alternatives), disagreement=disagreement)  # fmt: skip


def check_out_of_scope(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    sentences = (
        w.t("Balanza holds trade statistics; it cannot check figures about lives lost in counternarcotics "
            "operations, and says nothing about them.",
            "Balanza contiene estadísticas de comercio; no puede verificar cifras de vidas perdidas en operaciones "
            "antinarcóticos, y no dice nada sobre ellas."),
    )  # fmt: skip
    return ClaimCard(spec, OUT_OF_SCOPE, sentences, numbers_frame([]),
                     (w.t("casualty statistics (outside Balanza's scope)", "estadísticas de víctimas (fuera del alcance de Balanza)"),),
                     basis=w.t("outside Balanza's data", "fuera de los datos de Balanza"))  # fmt: skip
