"""Claim 6: the April 2025 US baseline tariff on Colombian goods, on the legal dates with the legal exemptions.

Executive Order 14257 put a 10 % "baseline" duty on imports from every country from 5 April 2025 (00:01 EDT);
its Annex II (energy, certain minerals, pharmaceuticals, ...) was exempt from the same moment. So the rise in the
tariff on Colombian goods as a whole is the baseline rate times the share of Colombia's 2024 sales to the US that
the order covered, weighted by 2024 US imports for consumption (US Census). A country listed in Annex I would have
had its own rate; Colombia is not listed.
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


def colombia_rate(spec: ClaimSpec, reciprocal: pd.DataFrame, lang: str = "en") -> tuple[float, str]:
    """Colombia's rate under the order: its Annex I rate if listed there, else the baseline (and where it comes from)."""
    listed = (
        reciprocal[(reciprocal["list_name"] == ANNEX_I_LIST) & (reciprocal["partner_iso3"] == COLOMBIA)]
        if not reciprocal.empty
        else reciprocal
    )
    w = Words(lang)
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
                               withheld_note if int(r["period"][:4]) >= DIAN_WITHHELD_FROM_YEAR else ""))  # fmt: skip
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
    change_pct = (now_v / prior_v - 1) * 100 if prior_v else float("nan")
    label = w.t(f"Colombia's exports to the US, months {months[0]:02d}–{months[-1]:02d}",
                f"exportaciones de Colombia a EE. UU., meses {months[0]:02d}–{months[-1]:02d}")  # fmt: skip
    for year, value, note in (
        (
            change.year,
            now_v,
            w.t("destinations partly withheld from 2025", "destinos reservados en parte desde 2025"),
        ),
        (change.year - 1, prior_v, ""),
    ):
        rows.append(number_row(label, year, perspective(COL_REPORTED, w.lang), value, "USD", "FOB", "dian",
                               data.datasets.get("dian", "dian"), publisher, note))  # fmt: skip
    withheld_usd = float(withheld["value_usd"].sum())
    return rows, [
        w.t(f"DIAN: exports to the US in {months[0]:02d}–{months[-1]:02d}/{change.year} were USD {bn(now_v)} bn, "
            f"{change_pct:+.1f} % on the same months of {change.year - 1}; from {change.year} USD "
            f"{bn(withheld_usd)} bn of that year's exports had no declared destination.",
            f"DIAN: las exportaciones a EE. UU. en {months[0]:02d}–{months[-1]:02d}/{change.year} fueron de "
            f"{w.bn(now_v)}, {w.points(change_pct)} % frente a los mismos meses de {change.year - 1}; desde "
            f"{change.year}, {w.bn(withheld_usd)} de las exportaciones de ese año no tuvieron destino declarado.")
    ]  # fmt: skip


def check_us_tariff(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    tol = spec.tolerance
    change = pd.Timestamp(str(tol["change_date"]))
    target, match, partial = float(tol["target_pts"]), float(tol["match_pts"]), float(tol["partial_pts"])
    tl, rows, facts, tracker_text = _tracker_rows(spec, data, change, w)
    census = w.t(CENSUS, CENSUS_ES)
    mirror = perspective(MIRROR, lang)
    customs = w.t("customs value", "valor en aduana")
    missing: list[str] = []
    sentences: list[str] = []
    lines = line_flags(data.exemptions)
    total = float(lines["value_usd"].sum()) if not lines.empty else 0.0
    census_ds = data.datasets.get("us_census_consumption", "us_census_consumption")
    if not set(APRIL_EXEMPTION_LISTS) & set(data.exemption_lists) or total <= 0:
        missing.append(w.t(
            "2024 US imports for consumption from Colombia by HS10, with the Annex II list of April 2025",
            "importaciones para consumo de EE. UU. desde Colombia en 2024 por SA10, con la lista del Anexo II de abril de 2025",
        ))  # fmt: skip
        verdict, rise = CANNOT_CHECK, None
    else:
        if not set(S232_IN_FORCE) & set(data.exemption_lists):
            missing.append(w.t("the Section 232 product lists (steel, aluminium, autos): not netted out",
                               "las listas de productos de la Sección 232 (acero, aluminio, automóviles): sin descontar"))  # fmt: skip
        rate, rate_note = colombia_rate(spec, data.reciprocal, lang)
        by_hs4 = lines[lines["annex"]].groupby("hs4")["value_usd"].sum()
        exempt = float(lines.loc[lines["annex"], "value_usd"].sum())
        s232 = float(lines.loc[lines["s232"], "value_usd"].sum())
        excluded = exempt + s232
        rise = statutory_rise(rate, excluded, total)
        verdict = verdict_within(rise, (target - match, target + match), (target - partial, target + partial))
        energy = {hs4: float(by_hs4.get(hs4, 0.0)) for hs4 in ("2709", "2710", "2701")}
        facts.update(rate_pct=rate, exempt_usd=exempt, s232_usd=s232, excluded_usd=excluded, total_usd=total,
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
        rows.append(number_row(w.t("statutory rise of the tariff on Colombian goods",
                                   "alza legal del arancel sobre los bienes colombianos"),
                               change.date().isoformat(), perspective("US policy", lang), rise, w.t("points", "puntos"),
                               "", "statute", "EO 14257 + Annex II", w.t(STATUTE, STATUTE_ES),
                               w.t(f"{rate:g} % × {pct(1 - excluded / total)} of 2024 imports covered",
                                   f"{w.num(rate, 0)} % × {w.pct(1 - excluded / total)} de las importaciones de 2024 cubiertas")))  # fmt: skip
        sentences.append(w.t(
            f"From {change.date()} the order charged Colombian goods {rate:g} % ({rate_note}), except Annex II goods — "
            f"USD {bn(exempt)} bn of the USD {bn(total)} bn the US imported from Colombia in 2024: crude oil (2709) "
            f"USD {bn(energy['2709'])} bn, refined products (2710) USD {bn(energy['2710'])} bn, coal (2701) "
            f"USD {bn(energy['2701'])} bn — and goods already under Section 232 ({', '.join(S232_IN_FORCE.values())}, "
            "with the base steel and aluminium articles): "
            f"USD {bn(s232)} bn more. Weighted by 2024 imports, the tariff on Colombian goods rose by {rise:.2f} points "
            f"({rate:g} % on the {pct(1 - excluded / total)} covered; {facts['annex_only_rise_pts']:.2f} if only "
            "Annex II is netted out).",
            f"Desde el {change.date()} la orden gravó los bienes colombianos con un {w.num(rate, 0)} % ({rate_note}), "
            f"salvo los bienes del Anexo II —{w.bn(exempt)} de los {w.bn(total)} que EE. UU. importó de Colombia en "
            f"2024: petróleo crudo (2709) {w.bn(energy['2709'])}, productos refinados (2710) {w.bn(energy['2710'])}, "
            f"carbón (2701) {w.bn(energy['2701'])}— y los bienes ya sujetos a la Sección 232 ({s232_names}, con los "
            f"artículos básicos de acero y aluminio): {w.bn(s232)} más. Ponderado por las importaciones de 2024, el "
            f"arancel sobre los bienes colombianos subió {w.num(rise, 2)} puntos ({w.num(rate, 0)} % sobre el "
            f"{w.pct(1 - excluded / total)} cubierto; {w.num(facts['annex_only_rise_pts'], 2)} si solo se descuenta "
            "el Anexo II).",
        ))  # fmt: skip
    dian_rows, dian_text = _dian_rows(data, change, facts, w)
    rows.extend(dian_rows)
    sentences.extend(dian_text)
    if not dian_rows:
        missing.append(
            w.t("DIAN monthly exports to the US", "exportaciones mensuales a EE. UU. según la DIAN")
        )
    disagreement = ""
    if rise is not None and abs(rise - target) > match:
        disagreement = w.t(
            f"The article's 10 % is the rate, but {pct(1 - facts['covered_share'], 0)} of what Colombia sold "
            f"the US in 2024 was outside it from the first day (Annex II, Section 232), so the tariff on "
            f"Colombian goods as a whole rose by {rise:.1f} points, not {target:g}.",
            f"El 10 % del artículo es la tasa, pero el {w.pct(1 - facts['covered_share'], 0)} de lo que Colombia vendió "
            "a EE. UU. en 2024 quedó fuera de ella desde el primer día (Anexo II, Sección 232), así que el arancel sobre "
            f"los bienes colombianos en conjunto subió {w.num(rise)} puntos, no {w.num(target, 0)}.",
        )
    return ClaimCard(
        spec, verdict, tuple(sentences), numbers_frame(rows), tuple(missing), tl, facts,
        basis=w.t("Statutory: the legal effective date (5 April 2025) and the legal exclusions of EO 14257 (Annex II "
                  "goods; goods under Section 232), weighted by 2024 US imports for consumption from Colombia",
                  "Legal: la fecha de vigencia legal (5 de abril de 2025) y las exclusiones legales de la OE 14257 "
                  "(bienes del Anexo II; bienes sujetos a la Sección 232), ponderadas por las importaciones para "
                  "consumo de EE. UU. desde Colombia en 2024"),
        figure="" if rise is None else w.t(f"+{rise:.2f} points on Colombian goods as a whole",
                                           f"+{w.num(rise, 2)} puntos sobre los bienes colombianos en conjunto"),
        citation=w.t(f"{STATUTE}; weights: {CENSUS}", f"{STATUTE_ES}; ponderaciones: {CENSUS_ES}"),
        alternatives=(tracker_text,) if tracker_text else (),
        disagreement=disagreement,
    )  # fmt: skip
