"""Claim 6: the April 2025 US baseline tariff on Colombian goods."""

from __future__ import annotations

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
)
from dashboard.claims.rules import (
    CANNOT_CHECK,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
)
from dashboard.claims.specs import ClaimSpec

# --------------------------------------------------------------------------------------------- claim 6


MONTHLY_EXPORTS_MEASURE = "Colombia's monthly exports"
APRIL_EXEMPTION_LISTS = ("annex_ii_2025_04", "annex-II-exemptions")


def april_exemptions(exemptions: pd.DataFrame) -> pd.DataFrame:
    """Rows of the April 2025 Annex II list (the later November list widened it; it is not what April did)."""
    if exemptions.empty:
        return exemptions
    return exemptions[exemptions["list_name"].isin(APRIL_EXEMPTION_LISTS)]


def check_us_tariff(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    change = pd.Timestamp(str(tol["change_date"]))
    tl = data.tariff_timeline[data.tariff_timeline["partner_iso3"] == "COL"].copy()
    tl["date"] = pd.to_datetime(tl["date"])
    tariff_ds = data.datasets.get("tariff_tracker", "us-tariffs-2025/country-by-time.csv")
    rows = [number_row("effective US tariff on Colombian goods", r["date"].date().isoformat(), "US policy",
                 r["effective_tariff_pct"], "%", "", "us_tariff_timeline", tariff_ds,
                 SOURCE_PUBLISHERS["tariff_tracker"], "trade-weighted with 2024 imports")
            for r in tl.to_dict("records")]  # fmt: skip
    missing = []
    before = tl[tl["date"] < change].sort_values("date")
    after = tl[tl["date"] >= change].sort_values("date")
    sentences = []
    facts: dict[str, float] = {}
    if before.empty or after.empty:
        verdict = CANNOT_CHECK
        missing.append(f"US effective tariff on Colombian goods before and after {change.date()}")
    else:
        b, a = before.iloc[-1], after.iloc[0]
        rise = float(a["effective_tariff_pct"]) - float(b["effective_tariff_pct"])
        target = float(tol["target_pts"])
        gap = abs(rise - target)
        verdict = SUPPORTED if gap <= float(tol["match_pts"]) else PARTLY if gap <= float(tol["partial_pts"]) else NOT_SUPPORTED
        at_article = tl[tl["date"] <= pd.Timestamp(spec.date)].sort_values("date").iloc[-1]
        facts.update(before_pct=float(b["effective_tariff_pct"]), after_pct=float(a["effective_tariff_pct"]),
                     rise_pts=rise, article_pct=float(at_article["effective_tariff_pct"]))  # fmt: skip
        sentences.append(
            f"The trade-weighted US tariff on Colombian goods went from {float(b['effective_tariff_pct']):.2f} % "
            f"({b['date'].date()}) to {float(a['effective_tariff_pct']):.2f} % ({a['date'].date()}), a rise of "
            f"{rise:.1f} points; by the article's date it was {float(at_article['effective_tariff_pct']):.2f} %."
        )
    ex = april_exemptions(data.exemptions)
    if not ex.empty:
        by_hs4 = ex.groupby("hs4")["value_usd"].sum()
        total_exempt = float(by_hs4.sum())
        facts["exempt_usd"] = total_exempt
        for hs4 in ("2709", "2701"):
            value = float(by_hs4.get(hs4, 0.0))
            facts[f"exempt_{hs4}_usd"] = value
            rows.append(number_row(f"US imports from Colombia 2024 in exempt HS {hs4}", 2024, MIRROR, value, "USD",
                             "customs value", "us_census_consumption",
                             data.datasets.get("us_census_consumption", "us_census_consumption"),
                             SOURCE_PUBLISHERS["us_census_consumption"], "Annex II (April 2025) exemption"))  # fmt: skip
        sentences.append(
            f"Exempt from it (Annex II): USD {bn(total_exempt)} bn of 2024 US imports from Colombia, including crude "
            f"oil (2709) USD {bn(float(by_hs4.get('2709', 0.0)))} bn and coal (2701) USD {bn(float(by_hs4.get('2701', 0.0)))} bn."
        )
    else:
        missing.append("US imports from Colombia in the Annex II exempt codes (exemption list or HS10 imports)")
    dian = data.dian_monthly
    us = dian[dian["partner_iso3"] == "USA"].copy()
    for r in dian[dian["partner_iso3"].isin(["USA", "_X"])].to_dict("records"):
        label = "to the US" if r["partner_iso3"] == "USA" else "with no declared destination"
        rows.append(number_row(f"{MONTHLY_EXPORTS_MEASURE} {label}", f"{r['period'][:4]}-{r['period'][4:]}", COL_REPORTED,
                         float(r["value_usd"]), "USD", "FOB", "dian", data.datasets.get("dian", "dian"),
                         SOURCE_PUBLISHERS["dian"],
                         "destinations partly withheld" if int(r["period"][:4]) >= DIAN_WITHHELD_FROM_YEAR else ""))  # fmt: skip
    if not us.empty:
        us["year"] = us["period"].str[:4].astype(int)
        us["month"] = us["period"].str[4:].astype(int)
        after_months = us[(us["year"] == change.year) & (us["month"] >= change.month)]
        if not after_months.empty:
            months = sorted(after_months["month"])
            prior = us[(us["year"] == change.year - 1) & us["month"].isin(months)]
            now_v, prior_v = float(after_months["value_usd"].sum()), float(prior["value_usd"].sum())
            withheld = dian[(dian["partner_iso3"] == "_X") & dian["period"].str.startswith(str(change.year))]
            facts.update(us_exports_after_usd=now_v, us_exports_prior_usd=prior_v)
            change_pct = (now_v / prior_v - 1) * 100 if prior_v else float("nan")
            rows.append(number_row(f"Colombia's exports to the US, months {months[0]:02d}–{months[-1]:02d}", change.year,
                             COL_REPORTED, now_v, "USD", "FOB", "dian", data.datasets.get("dian", "dian"),
                             SOURCE_PUBLISHERS["dian"], "destinations partly withheld from 2025"))  # fmt: skip
            rows.append(number_row(f"Colombia's exports to the US, months {months[0]:02d}–{months[-1]:02d}", change.year - 1,
                             COL_REPORTED, prior_v, "USD", "FOB", "dian", data.datasets.get("dian", "dian"),
                             SOURCE_PUBLISHERS["dian"], ""))  # fmt: skip
            sentences.append(
                f"DIAN: exports to the US in {months[0]:02d}–{months[-1]:02d}/{change.year} were USD {bn(now_v)} bn, "
                f"{change_pct:+.1f} % on the same months of {change.year - 1}; from {change.year} USD "
                f"{bn(float(withheld['value_usd'].sum()))} bn of that year's exports had no declared destination."
            )
    else:
        missing.append("DIAN monthly exports to the US")
    return ClaimCard(spec, verdict, tuple(sentences), numbers_frame(rows), tuple(missing), tl, facts)
