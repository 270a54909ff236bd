"""Claim 6: the April 2025 US baseline tariff on Colombian goods: the rate the order set, and what it weighed.

The article says the US imposed "10% tariffs on imports from the rest of the world": a statement about the rate.
Executive Order 14257 put a 10 % "baseline" duty on imports from every country from 5 April 2025 (00:01 EDT); a
country listed in its Annex I had its own rate (Colombia is not listed). The verdict judges that rate. Its
incidence is context: Annex II (energy, certain minerals, pharmaceuticals, ...) and goods already under Section
232 were exempt from the same moment, so the tariff on Colombian goods as a whole rose by the rate times the share
of Colombia's 2024 sales to the US that the order covered, weighted by 2024 US imports for consumption (US Census).
DIAN's 2025 exports by destination are shown but not compared with 2024: from 2025 DIAN withholds destinations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    DIAN_WITHHELD_FROM_YEAR,
    MIRROR,
    SOURCE_PUBLISHERS,
    ClaimCard,
    ClaimData,
    bn,
    number_row,
    numbers_frame,
    pct,
    perspective,
)
from dashboard.claims.rules import CANNOT_CHECK, verdict_within
from dashboard.claims.specs import ClaimSpec
from dashboard.claims.words import Words
from etl.schema import COLOMBIA, UNITED_STATES

MONTHLY_EXPORTS_MEASURE = "Colombia's monthly exports"
MONTHLY_EXPORTS_MEASURE_ES = "exportaciones mensuales de Colombia"
APRIL_EXEMPTION_LISTS = ("annex_ii_2025_04", "annex-II-exemptions")
# Goods under Section 232 on 5 April 2025 were outside the baseline (EO 14257 §3(b)): steel and aluminium (duties
# from 12 March 2025) and autos and parts (proclamation of 26 March 2025, in force 3 April).
S232_IN_FORCE = {
    "s232_steel_2025": "steel",
    "s232_aluminium_2025": "aluminium",
    "s232_autos_2025": "autos and parts",
}
S232_IN_FORCE_ES = {
    "s232_steel_2025": "acero",
    "s232_aluminium_2025": "aluminio",
    "s232_autos_2025": "automóviles y partes",
}
# The bundled steel and aluminium lists hold the derivative articles only; the base articles, under Section 232
# since 2018, are HS 7206–7229 and 7301–7306 (steel) and 7601–7609 (aluminium) (lists' PROVENANCE).
S232_BASE_HS4 = ((7206, 7229), (7301, 7306), (7601, 7609))
ANNEX_I_LIST = "eo14257_annex_i"
STATUTE = (
    "Executive Order 14257 (2 April 2025), in force 5 April 2025, with its Annex II exemptions; Section 232 "
    "proclamations 10895/10896 (steel, aluminium) and 10908 (autos); lists as encoded by tradewartracker"
)
STATUTE_ES = (
    "Orden Ejecutiva 14257 (2 de abril de 2025), vigente desde el 5 de abril de 2025, con sus exenciones del Anexo "
    "II; proclamaciones de la Sección 232 10895/10896 (acero, aluminio) y 10908 (automóviles); listas según la "
    "codificación de tradewartracker"
)
CENSUS = "US Census Bureau, imports for consumption 2024 (HS10, as compiled by tradewartracker)"
CENSUS_ES = (
    "Oficina del Censo de EE. UU., importaciones para consumo 2024 (SA10, compiladas por tradewartracker)"
)
TRACKER_ES = "órdenes ejecutivas de EE. UU. codificadas por tradewartracker"


def line_flags(lines: pd.DataFrame) -> pd.DataFrame:
    """2024 import lines with two flags: exempt under Annex II of April 2025 (`annex`), and under a Section 232
    action in force on 5 April 2025 but not Annex II (`s232`). The November Annex II list is not what April did."""
    if lines.empty:
        return lines.assign(annex=pd.Series(dtype=bool), s232=pd.Series(dtype=bool), hs4=pd.Series(dtype=str))
    named = lines["lists"].apply(lambda v: set(v) if isinstance(v, list | tuple | np.ndarray) else set())
    annex = named.apply(lambda n: bool(n & set(APRIL_EXEMPTION_LISTS)))
    hs4 = lines["hs_code"].astype(str).str[:4]
    base = hs4.apply(lambda h: h.isdigit() and any(lo <= int(h) <= hi for lo, hi in S232_BASE_HS4))
    s232 = (named.apply(lambda n: bool(n & set(S232_IN_FORCE))) | base) & ~annex
    return lines.assign(annex=annex, s232=s232, hs4=hs4)


def statutory_rise(rate_pct: float, exempt_usd: float, total_usd: float) -> float:
    """Points added to the trade-weighted tariff when `rate_pct` applies to every dollar but the exempt ones."""
    if total_usd <= 0:
        raise ValueError("total imports must be positive")
    return rate_pct * (1 - exempt_usd / total_usd)


def colombia_rate(spec: ClaimSpec, reciprocal: pd.DataFrame, lang: str = "en") -> tuple[float | None, str]:
    """Colombia's rate under the order: its Annex I rate if listed there, else the baseline (and where it comes
    from); None when Annex I is not in the database (then whether Colombia is listed cannot be known)."""
    w = Words(lang)
    if reciprocal.empty or not (reciprocal["list_name"] == ANNEX_I_LIST).any():
        return None, w.t(
            "EO 14257 Annex I is not in the bundled data", "el Anexo I de la OE 14257 no está en los datos"
        )
    listed = reciprocal[(reciprocal["list_name"] == ANNEX_I_LIST) & (reciprocal["partner_iso3"] == COLOMBIA)]
    if not listed.empty:
        return float(listed["rate_pct"].iloc[0]), w.t("its Annex I rate", "su tasa del Anexo I")
    return float(spec.tolerance["baseline_pct"]), w.t("the baseline: Colombia is not in Annex I",
                                                      "la tasa base: Colombia no está en el Anexo I")  # fmt: skip


def _tracker_rows(
    spec: ClaimSpec, data: ClaimData, change: pd.Timestamp, w: Words
) -> tuple[pd.DataFrame, list, dict, str]:
    """The tracker's modelled series (an alternative, labelled): rows, facts and a sentence."""
    tl = data.tariff_timeline[data.tariff_timeline["partner_iso3"] == COLOMBIA].copy()
    tl["date"] = pd.to_datetime(tl["date"])
    tariff_ds = data.datasets.get("tariff_tracker", "us-tariffs-2025/country-by-time.csv")
    rows = [number_row(w.t("effective US tariff on Colombian goods (tracker's model)",
                           "arancel efectivo de EE. UU. sobre bienes colombianos (modelo de tradewartracker)"),
                       r["date"].date().isoformat(), perspective("US policy", w.lang), r["effective_tariff_pct"], "%", "",
                       "us_tariff_timeline", tariff_ds, w.t(SOURCE_PUBLISHERS["tariff_tracker"], TRACKER_ES),
                       w.t("trade-weighted with 2024 imports", "ponderado con las importaciones de 2024"))
            for r in tl.to_dict("records")]  # fmt: skip
    before = tl[tl["date"] < change].sort_values("date")
    after = tl[tl["date"] >= change].sort_values("date")
    if before.empty or after.empty:
        return tl, rows, {}, ""
    b, a = before.iloc[-1], after.iloc[0]
    at_article = tl[tl["date"] <= pd.Timestamp(spec.date)].sort_values("date").iloc[-1]
    facts = {"before_pct": float(b["effective_tariff_pct"]), "tracker_after_pct": float(a["effective_tariff_pct"]),
             "tracker_rise_pts": float(a["effective_tariff_pct"]) - float(b["effective_tariff_pct"]),
             "article_pct": float(at_article["effective_tariff_pct"])}  # fmt: skip
    later = tl[
        (tl["date"] > a["date"]) & (tl["effective_tariff_pct"] != a["effective_tariff_pct"])
    ].sort_values("date")
    text = w.t(
        f"tradewartracker's modelled series (alternative): {facts['before_pct']:.2f} % on {b['date'].date()}, "
        f"{facts['tracker_after_pct']:.2f} % on {a['date'].date()} (+{facts['tracker_rise_pts']:.1f} points)",
        f"serie modelada de tradewartracker (alternativa): {w.num(facts['before_pct'], 2)} % el {b['date'].date()}, "
        f"{w.num(facts['tracker_after_pct'], 2)} % el {a['date'].date()} ({w.points(facts['tracker_rise_pts'])} puntos)",
    )
    if not later.empty:
        level, since = float(later["effective_tariff_pct"].iloc[0]), later["date"].iloc[0].date()
        text += w.t(f", {level:.2f} % from {since}", f", {w.num(level, 2)} % desde el {since}")
    text += w.t(
        "; its 5 April step does not net out the Annex II goods that were exempt from that day",
        "; su escalón del 5 de abril no descuenta los bienes del Anexo II, exentos desde ese día",
    )
    return tl, rows, facts, text


def _dian_rows(
    data: ClaimData, change: pd.Timestamp, facts: dict[str, float], w: Words
) -> tuple[list, list[str]]:
    """Colombia's monthly exports to the US and to no declared destination (DIAN), and the months after the change."""
    dian = data.dian_monthly
    rows = []
    withheld_note = w.t("destinations partly withheld", "destinos reservados en parte")
    publisher = w.rec(SOURCE_PUBLISHERS["dian"])
    for r in dian[dian["partner_iso3"].isin([UNITED_STATES, "_X"])].to_dict("records"):
        if w.es:
            label = "a EE. UU." if r["partner_iso3"] == UNITED_STATES else "sin destino declarado"
        else:
            label = "to the US" if r["partner_iso3"] == UNITED_STATES else "with no declared destination"
        rows.append(number_row(f"{w.t(MONTHLY_EXPORTS_MEASURE, MONTHLY_EXPORTS_MEASURE_ES)} {label}",
                               f"{r['period'][:4]}-{r['period'][4:]}", perspective(COL_REPORTED, w.lang),
                               float(r["value_usd"]), "USD", "FOB", "dian", data.datasets.get("dian", "dian"), publisher,
                               withheld_note if int(r["period"][:4]) >= DIAN_WITHHELD_FROM_YEAR else "",
                               provisional=r.get("provisional", False), comparable=r.get("comparable", True)))  # fmt: skip
    us = dian[dian["partner_iso3"] == UNITED_STATES].copy()
    if us.empty:
        return rows, []
    us["year"] = us["period"].str[:4].astype(int)
    us["month"] = us["period"].str[4:].astype(int)
    after_months = us[(us["year"] == change.year) & (us["month"] >= change.month)]
    if after_months.empty:
        return rows, []
    months = sorted(after_months["month"])
    prior = us[(us["year"] == change.year - 1) & us["month"].isin(months)]
    now_v, prior_v = float(after_months["value_usd"].sum()), float(prior["value_usd"].sum())
    withheld = dian[(dian["partner_iso3"] == "_X") & dian["period"].str.startswith(str(change.year))]
    facts.update(us_exports_after_usd=now_v, us_exports_prior_usd=prior_v)
    change_pct = (now_v / prior_v - 1) * 100 if prior_v else float("nan")  # only before the withholding
    label = w.t(f"Colombia's exports to the US, months {months[0]:02d}–{months[-1]:02d}",
                f"exportaciones de Colombia a EE. UU., meses {months[0]:02d}–{months[-1]:02d}")  # fmt: skip
    for year, value, note, months_rows in (
        (
            change.year,
            now_v,
            w.t(
                "destinations partly withheld from 2025: not comparable with 2024 (provisional)",
                "destinos reservados en parte desde 2025: no comparable con 2024 (provisional)",
            ),
            after_months,
        ),
        (change.year - 1, prior_v, "", prior),
    ):
        rows.append(number_row(label, year, perspective(COL_REPORTED, w.lang), value, "USD", "FOB", "dian",
                               data.datasets.get("dian", "dian"), publisher, note,
                               provisional=bool(months_rows.get("provisional", pd.Series(dtype=bool)).any()),
                               comparable=bool(months_rows.get("comparable", pd.Series(dtype=bool)).all())))  # fmt: skip
    withheld_usd = float(withheld["value_usd"].sum())
    if change.year < DIAN_WITHHELD_FROM_YEAR:
        return rows, [
            w.t(f"DIAN: exports to the US in {months[0]:02d}–{months[-1]:02d}/{change.year} were USD {bn(now_v)} bn, "
                f"{change_pct:+.1f} % on the same months of {change.year - 1}.",
                f"DIAN: las exportaciones a EE. UU. en {months[0]:02d}–{months[-1]:02d}/{change.year} fueron de "
                f"{w.bn(now_v)}, {w.points(change_pct)} % frente a los mismos meses de {change.year - 1}.")
        ]  # fmt: skip
    return rows, [
        w.t(f"DIAN: exports to the US in {months[0]:02d}–{months[-1]:02d}/{change.year} were USD {bn(now_v)} bn "
            f"(provisional); not comparable with {change.year - 1}: from {change.year} DIAN withholds destinations, "
            f"and USD {bn(withheld_usd)} bn of that year's exports had no declared destination, so no change is "
            "computed.",
            f"DIAN: las exportaciones a EE. UU. en {months[0]:02d}–{months[-1]:02d}/{change.year} fueron de "
            f"{w.bn(now_v)} (provisional); no son comparables con {change.year - 1}: desde {change.year} la DIAN "
            f"reserva destinos y {w.bn(withheld_usd)} de las exportaciones de ese año no tuvieron destino declarado, "
            "así que no se calcula un cambio.")
    ]  # fmt: skip


def check_us_tariff(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    tol = spec.tolerance
    change = pd.Timestamp(str(tol["change_date"]))
    target, match, partial = float(tol["target_pct"]), float(tol["match_pts"]), float(tol["partial_pts"])
    tl, rows, facts, tracker_text = _tracker_rows(spec, data, change, w)
    census = w.t(CENSUS, CENSUS_ES)
    mirror = perspective(MIRROR, lang)
    customs = w.t("customs value", "valor en aduana")
    missing: list[str] = []
    sentences: list[str] = []
    alternatives: list[str] = []
    rate, rate_note = colombia_rate(spec, data.reciprocal, lang)
    if rate is None:
        verdict = CANNOT_CHECK
        missing.append(rate_note)
    else:
        verdict = verdict_within(rate, (target - match, target + match), (target - partial, target + partial))
        facts["rate_pct"] = rate
        rows.append(number_row(w.t("rate EO 14257 set on Colombian goods", "tasa que la OE 14257 fijó a los bienes colombianos"),
                               change.date().isoformat(), perspective("US policy", lang), rate, "%", "", "statute",
                               "EO 14257", w.t(STATUTE, STATUTE_ES), rate_note))  # fmt: skip
        sentences.append(w.t(
            f"From {change.date()} Executive Order 14257 charged imports from Colombia {rate:g} % ({rate_note}).",
            f"Desde el {change.date()} la Orden Ejecutiva 14257 gravó las importaciones desde Colombia con un "
            f"{w.num(rate, 0)} % ({rate_note}).",
        ))  # fmt: skip
    lines = line_flags(data.exemptions)
    total = float(lines["value_usd"].sum()) if not lines.empty else 0.0
    census_ds = data.datasets.get("us_census_consumption", "us_census_consumption")
    rise = None
    if not set(APRIL_EXEMPTION_LISTS) & set(data.exemption_lists) or total <= 0:
        missing.append(w.t(
            "2024 US imports for consumption from Colombia by HS10, with the Annex II list of April 2025 "
            "(the rate's incidence)",
            "importaciones para consumo de EE. UU. desde Colombia en 2024 por SA10, con la lista del Anexo II de abril "
            "de 2025 (la incidencia de la tasa)",
        ))  # fmt: skip
    elif rate is not None:
        if not set(S232_IN_FORCE) & set(data.exemption_lists):
            missing.append(w.t("the Section 232 product lists (steel, aluminium, autos): not netted out",
                               "las listas de productos de la Sección 232 (acero, aluminio, automóviles): sin descontar"))  # fmt: skip
        by_hs4 = lines[lines["annex"]].groupby("hs4")["value_usd"].sum()
        exempt = float(lines.loc[lines["annex"], "value_usd"].sum())
        s232 = float(lines.loc[lines["s232"], "value_usd"].sum())
        excluded = exempt + s232
        rise = statutory_rise(rate, excluded, total)
        energy = {hs4: float(by_hs4.get(hs4, 0.0)) for hs4 in ("2709", "2710", "2701")}
        facts.update(exempt_usd=exempt, s232_usd=s232, excluded_usd=excluded, total_usd=total,
                     covered_share=1 - excluded / total, rise_pts=rise,
                     annex_only_rise_pts=statutory_rise(rate, exempt, total),
                     **{f"exempt_{k}_usd": v for k, v in energy.items()})  # fmt: skip
        if "before_pct" in facts:
            facts["after_pct"] = facts["before_pct"] + rise
        s232_names = ", ".join((S232_IN_FORCE_ES if w.es else S232_IN_FORCE).values())
        rows.append(number_row(w.t("US imports for consumption from Colombia", "importaciones para consumo de EE. UU. desde Colombia"),
                               2024, mirror, total, "USD", customs, "us_census_consumption", census_ds, census,
                               w.t("sum of HS10 lines", "suma de las líneas SA10")))  # fmt: skip
        rows.append(number_row(w.t("of which exempt under Annex II (April 2025)", "de ello, exento por el Anexo II (abril de 2025)"),
                               2024, mirror, exempt, "USD", customs, "us_census_consumption", census_ds, census, ""))  # fmt: skip
        rows.append(number_row(w.t("of which under Section 232 on 5 April 2025 (not Annex II)",
                                   "de ello, sujeto a la Sección 232 el 5 de abril de 2025 (fuera del Anexo II)"),
                               2024, mirror, s232, "USD", customs, "us_census_consumption", census_ds, census, s232_names))  # fmt: skip
        for hs4, value in energy.items():
            rows.append(number_row(w.t(f"exempt: HS {hs4}", f"exento: SA {hs4}"), 2024, mirror, value, "USD", customs,
                                   "us_census_consumption", census_ds, census,
                                   w.t("Annex II (April 2025)", "Anexo II (abril de 2025)")))  # fmt: skip
        rows.append(number_row(w.t("trade-weighted rise of the tariff on Colombian goods (incidence, context)",
                                   "alza ponderada del arancel sobre los bienes colombianos (incidencia, contexto)"),
                               change.date().isoformat(), perspective("US policy", lang), rise, w.t("points", "puntos"),
                               "", "statute", "EO 14257 + Annex II", w.t(STATUTE, STATUTE_ES),
                               w.t(f"{rate:g} % × {pct(1 - excluded / total)} of 2024 imports covered",
                                   f"{w.num(rate, 0)} % × {w.pct(1 - excluded / total)} de las importaciones de 2024 cubiertas")))  # fmt: skip
        sentences.append(w.t(
            f"Context, not the test: the rate did not reach every good. Annex II goods were exempt from the first day — "
            f"USD {bn(exempt)} bn of the USD {bn(total)} bn the US imported from Colombia in 2024: crude oil (2709) "
            f"USD {bn(energy['2709'])} bn, refined products (2710) USD {bn(energy['2710'])} bn, coal (2701) "
            f"USD {bn(energy['2701'])} bn — and so were goods already under Section 232 "
            f"({', '.join(S232_IN_FORCE.values())}, with the base steel and aluminium articles): USD {bn(s232)} bn "
            f"more. Weighted by 2024 imports, the tariff on Colombian goods as a whole rose by {rise:.2f} points "
            f"({rate:g} % on the {pct(1 - excluded / total)} covered; {facts['annex_only_rise_pts']:.2f} if only "
            "Annex II is netted out).",
            f"Contexto, no la prueba: la tasa no alcanzó a todos los bienes. Los bienes del Anexo II quedaron exentos "
            f"desde el primer día —{w.bn(exempt)} de los {w.bn(total)} que EE. UU. importó de Colombia en 2024: petróleo "
            f"crudo (2709) {w.bn(energy['2709'])}, productos refinados (2710) {w.bn(energy['2710'])}, carbón (2701) "
            f"{w.bn(energy['2701'])}— y también los bienes ya sujetos a la Sección 232 ({s232_names}, con los artículos "
            f"básicos de acero y aluminio): {w.bn(s232)} más. Ponderado por las importaciones de 2024, el arancel sobre "
            f"los bienes colombianos en conjunto subió {w.num(rise, 2)} puntos ({w.num(rate, 0)} % sobre el "
            f"{w.pct(1 - excluded / total)} cubierto; {w.num(facts['annex_only_rise_pts'], 2)} si solo se descuenta "
            "el Anexo II).",
        ))  # fmt: skip
        alternatives.append(w.t(
            f"incidence (context): +{rise:.2f} points on Colombian goods as a whole, {rate:g} % on the "
            f"{pct(1 - excluded / total)} of 2024 US imports from Colombia the order covered",
            f"incidencia (contexto): {w.points(rise, 2)} puntos sobre los bienes colombianos en conjunto, "
            f"{w.num(rate, 0)} % sobre el {w.pct(1 - excluded / total)} de las importaciones de EE. UU. desde Colombia "
            "de 2024 que la orden cubrió",
        ))  # fmt: skip
    dian_rows, dian_text = _dian_rows(data, change, facts, w)
    rows.extend(dian_rows)
    sentences.extend(dian_text)
    if not dian_rows:
        missing.append(
            w.t("DIAN monthly exports to the US", "exportaciones mensuales a EE. UU. según la DIAN")
        )
    if tracker_text:
        alternatives.append(tracker_text)
    disagreement = ""
    if rate is not None and abs(rate - target) > match:
        disagreement = w.t(
            f"The article says 10 %; the rate the order set on Colombian goods was {rate:g} %.",
            f"El artículo dice 10 %; la tasa que la orden fijó a los bienes colombianos fue {w.num(rate, 0)} %.",
        )
    return ClaimCard(
        spec, verdict, tuple(sentences), numbers_frame(rows), tuple(missing), tl, facts,
        basis=w.t("Statutory rate: the duty EO 14257 set on imports from Colombia from 5 April 2025 (its Annex I rate "
                  "if listed, else the 10 % baseline); its trade-weighted incidence is context",
                  "Tasa legal: el arancel que la OE 14257 fijó a las importaciones desde Colombia desde el 5 de abril de "
                  "2025 (su tasa del Anexo I si figura en él; si no, la tasa base del 10 %); su incidencia ponderada es "
                  "contexto"),
        figure="" if rate is None else w.t(f"{rate:g} % on imports from Colombia from 5 April 2025",
                                           f"{w.num(rate, 0)} % a las importaciones desde Colombia desde el 5 de abril de 2025"),
        citation=w.t(f"{STATUTE}; weights: {CENSUS}", f"{STATUTE_ES}; ponderaciones: {CENSUS_ES}"),
        alternatives=tuple(alternatives),
        disagreement=disagreement,
    )  # fmt: skip
