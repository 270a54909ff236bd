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
)
from dashboard.claims.rules import CANNOT_CHECK, verdict_within
from dashboard.claims.specs import ClaimSpec
from etl.schema import COLOMBIA, UNITED_STATES

MONTHLY_EXPORTS_MEASURE = "Colombia's monthly exports"
APRIL_EXEMPTION_LISTS = ("annex_ii_2025_04", "annex-II-exemptions")
# Goods under Section 232 on 5 April 2025 were outside the baseline (EO 14257 §3(b)): steel and aluminium (duties
# from 12 March 2025) and autos and parts (proclamation of 26 March 2025, in force 3 April).
S232_IN_FORCE = {
    "s232_steel_2025": "steel",
    "s232_aluminium_2025": "aluminium",
    "s232_autos_2025": "autos and parts",
}
# The bundled steel and aluminium lists hold the derivative articles only; the base articles, under Section 232
# since 2018, are HS 7206–7229 and 7301–7306 (steel) and 7601–7609 (aluminium) (lists' PROVENANCE).
S232_BASE_HS4 = ((7206, 7229), (7301, 7306), (7601, 7609))
ANNEX_I_LIST = "eo14257_annex_i"
STATUTE = (
    "Executive Order 14257 (2 April 2025), in force 5 April 2025, with its Annex II exemptions; Section 232 "
    "proclamations 10895/10896 (steel, aluminium) and 10908 (autos); lists as encoded by tradewartracker"
)
CENSUS = "US Census Bureau, imports for consumption 2024 (HS10, as compiled by tradewartracker)"


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


def colombia_rate(spec: ClaimSpec, reciprocal: pd.DataFrame) -> tuple[float, str]:
    """Colombia's rate under the order: its Annex I rate if listed there, else the baseline (and where it comes from)."""
    listed = (
        reciprocal[(reciprocal["list_name"] == ANNEX_I_LIST) & (reciprocal["partner_iso3"] == COLOMBIA)]
        if not reciprocal.empty
        else reciprocal
    )
    if not listed.empty:
        return float(listed["rate_pct"].iloc[0]), "its Annex I rate"
    return float(spec.tolerance["baseline_pct"]), "the baseline: Colombia is not in Annex I"


def _tracker_rows(
    spec: ClaimSpec, data: ClaimData, change: pd.Timestamp
) -> tuple[pd.DataFrame, list, dict, str]:
    """The tracker's modelled series (an alternative, labelled): rows, facts and a sentence."""
    tl = data.tariff_timeline[data.tariff_timeline["partner_iso3"] == COLOMBIA].copy()
    tl["date"] = pd.to_datetime(tl["date"])
    tariff_ds = data.datasets.get("tariff_tracker", "us-tariffs-2025/country-by-time.csv")
    rows = [number_row("effective US tariff on Colombian goods (tracker's model)", r["date"].date().isoformat(),
                       "US policy", r["effective_tariff_pct"], "%", "", "us_tariff_timeline", tariff_ds,
                       SOURCE_PUBLISHERS["tariff_tracker"], "trade-weighted with 2024 imports")
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
    text = (
        f"tradewartracker's modelled series (alternative): {facts['before_pct']:.2f} % on {b['date'].date()}, "
        f"{facts['tracker_after_pct']:.2f} % on {a['date'].date()} (+{facts['tracker_rise_pts']:.1f} points)"
    )
    if not later.empty:
        text += f", {float(later['effective_tariff_pct'].iloc[0]):.2f} % from {later['date'].iloc[0].date()}"
    text += "; its 5 April step does not net out the Annex II goods that were exempt from that day"
    return tl, rows, facts, text


def _dian_rows(data: ClaimData, change: pd.Timestamp, facts: dict[str, float]) -> tuple[list, list[str]]:
    """Colombia's monthly exports to the US and to no declared destination (DIAN), and the months after the change."""
    dian = data.dian_monthly
    rows = []
    for r in dian[dian["partner_iso3"].isin([UNITED_STATES, "_X"])].to_dict("records"):
        label = "to the US" if r["partner_iso3"] == UNITED_STATES else "with no declared destination"
        rows.append(number_row(f"{MONTHLY_EXPORTS_MEASURE} {label}", f"{r['period'][:4]}-{r['period'][4:]}",
                               COL_REPORTED, float(r["value_usd"]), "USD", "FOB", "dian", data.datasets.get("dian", "dian"),
                               SOURCE_PUBLISHERS["dian"],
                               "destinations partly withheld" if int(r["period"][:4]) >= DIAN_WITHHELD_FROM_YEAR else ""))  # fmt: skip
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
    label = f"Colombia's exports to the US, months {months[0]:02d}–{months[-1]:02d}"
    for year, value, note in (
        (change.year, now_v, "destinations partly withheld from 2025"),
        (change.year - 1, prior_v, ""),
    ):
        rows.append(number_row(label, year, COL_REPORTED, value, "USD", "FOB", "dian", data.datasets.get("dian", "dian"),
                               SOURCE_PUBLISHERS["dian"], note))  # fmt: skip
    return rows, [
        f"DIAN: exports to the US in {months[0]:02d}–{months[-1]:02d}/{change.year} were USD {bn(now_v)} bn, "
        f"{change_pct:+.1f} % on the same months of {change.year - 1}; from {change.year} USD "
        f"{bn(float(withheld['value_usd'].sum()))} bn of that year's exports had no declared destination."
    ]


def check_us_tariff(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    change = pd.Timestamp(str(tol["change_date"]))
    target, match, partial = float(tol["target_pts"]), float(tol["match_pts"]), float(tol["partial_pts"])
    tl, rows, facts, tracker_text = _tracker_rows(spec, data, change)
    missing: list[str] = []
    sentences: list[str] = []
    lines = line_flags(data.exemptions)
    total = float(lines["value_usd"].sum()) if not lines.empty else 0.0
    census_ds = data.datasets.get("us_census_consumption", "us_census_consumption")
    if not set(APRIL_EXEMPTION_LISTS) & set(data.exemption_lists) or total <= 0:
        missing.append(
            "2024 US imports for consumption from Colombia by HS10, with the Annex II list of April 2025"
        )
        verdict, rise = CANNOT_CHECK, None
    else:
        if not set(S232_IN_FORCE) & set(data.exemption_lists):
            missing.append("the Section 232 product lists (steel, aluminium, autos): not netted out")
        rate, rate_note = colombia_rate(spec, data.reciprocal)
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
        rows.append(number_row("US imports for consumption from Colombia", 2024, MIRROR, total, "USD", "customs value",
                               "us_census_consumption", census_ds, CENSUS, "sum of HS10 lines"))  # fmt: skip
        rows.append(number_row("of which exempt under Annex II (April 2025)", 2024, MIRROR, exempt, "USD",
                               "customs value", "us_census_consumption", census_ds, CENSUS, ""))  # fmt: skip
        rows.append(number_row("of which under Section 232 on 5 April 2025 (not Annex II)", 2024, MIRROR, s232, "USD",
                               "customs value", "us_census_consumption", census_ds, CENSUS,
                               ", ".join(S232_IN_FORCE.values())))  # fmt: skip
        for hs4, value in energy.items():
            rows.append(number_row(f"exempt: HS {hs4}", 2024, MIRROR, value, "USD", "customs value",
                                   "us_census_consumption", census_ds, CENSUS, "Annex II (April 2025)"))  # fmt: skip
        rows.append(number_row("statutory rise of the tariff on Colombian goods", change.date().isoformat(),
                               "US policy", rise, "points", "", "statute", "EO 14257 + Annex II", STATUTE,
                               f"{rate:g} % × {pct(1 - excluded / total)} of 2024 imports covered"))  # fmt: skip
        sentences.append(
            f"From {change.date()} the order charged Colombian goods {rate:g} % ({rate_note}), except Annex II goods — "
            f"USD {bn(exempt)} bn of the USD {bn(total)} bn the US imported from Colombia in 2024: crude oil (2709) "
            f"USD {bn(energy['2709'])} bn, refined products (2710) USD {bn(energy['2710'])} bn, coal (2701) "
            f"USD {bn(energy['2701'])} bn — and goods already under Section 232 ({', '.join(S232_IN_FORCE.values())}, "
            "with the base steel and aluminium articles): "
            f"USD {bn(s232)} bn more. Weighted by 2024 imports, the tariff on Colombian goods rose by {rise:.2f} points "
            f"({rate:g} % on the {pct(1 - excluded / total)} covered; {facts['annex_only_rise_pts']:.2f} if only "
            "Annex II is netted out)."
        )
    dian_rows, dian_text = _dian_rows(data, change, facts)
    rows.extend(dian_rows)
    sentences.extend(dian_text)
    if not dian_rows:
        missing.append("DIAN monthly exports to the US")
    disagreement = ""
    if rise is not None and abs(rise - target) > match:
        disagreement = (
            f"The article's 10 % is the rate, but {pct(1 - facts['covered_share'], 0)} of what Colombia sold "
            f"the US in 2024 was outside it from the first day (Annex II, Section 232), so the tariff on "
            f"Colombian goods as a whole rose by {rise:.1f} points, not {target:g}."
        )
    return ClaimCard(
        spec, verdict, tuple(sentences), numbers_frame(rows), tuple(missing), tl, facts,
        basis=("Statutory: the legal effective date (5 April 2025) and the legal exclusions of EO 14257 (Annex II "
               "goods; goods under Section 232), weighted by 2024 US imports for consumption from Colombia"),
        figure="" if rise is None else f"+{rise:.2f} points on Colombian goods as a whole",
        citation=f"{STATUTE}; weights: {CENSUS}",
        alternatives=(tracker_text,) if tracker_text else (),
        disagreement=disagreement,
    )  # fmt: skip
