"""Claims 4 and 5: US imports of roses and coffee by supplier, tariffs and the substitution scenario."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard.claims.card import (
    CENTRAL_AMERICA,
    COFFEE_CODE,
    EVERYONE_PRESET,
    LATIN_AMERICA,
    MIRROR,
    SINGLED_OUT_PRESET,
    SOURCE_PUBLISHERS,
    ClaimCard,
    ClaimData,
    bn,
    empty_frame,
    number_row,
    numbers_frame,
    pct,
    signed,
)
from dashboard.claims.rules import (
    CANNOT_CHECK,
    NOT_SUPPORTED,
    PARTLY,
    SCENARIO,
    SUPPORTED,
    verdict_conditions,
)
from dashboard.claims.specs import ClaimSpec

# --------------------------------------------------------------------------------------------- claim 4


def product_shares(products: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """US imports 2024 of one HS prefix by supplier among the bundled partners, with share and 2024 duty rate."""
    sub = products[products["hs_code"].astype(str).str.startswith(prefix)]
    if sub.empty:
        return empty_frame(["partner_iso3", "value_usd", "duty_usd", "share", "duty_rate"])
    grouped = sub.groupby("partner_iso3", as_index=False)[["value_usd", "duty_usd"]].sum()
    grouped["share"] = grouped["value_usd"] / grouped["value_usd"].sum()
    grouped["duty_rate"] = grouped["duty_usd"] / grouped["value_usd"]
    return grouped.sort_values("value_usd", ascending=False, ignore_index=True)


def relative_price_shift(own_before: float, own_added: float, rival_before: float, rival_added: float) -> float:
    """How much an added tariff raises one supplier's duty-inclusive price relative to a rival's (fraction)."""
    own = (1 + own_before + own_added) / (1 + own_before)
    rival = (1 + rival_before + rival_added) / (1 + rival_before)
    return own / rival - 1


def check_roses_and_coffee(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    added = 0.10  # the April 2025 baseline, applied to Colombia and all these rivals alike (none paid more then)
    rows = []
    checks: list[bool | None] = []
    sentences = []
    missing = []
    facts: dict[str, float] = {}
    groups = (("cut flowers", "0603", ("ECU",), "Ecuador"), ("roses", "060311", ("ECU",), "Ecuador"),
              ("coffee", COFFEE_CODE, CENTRAL_AMERICA, "Central America"))  # fmt: skip
    for label, prefix, rivals, rival_name in groups:
        table = product_shares(data.products, prefix)
        if table.empty or "COL" not in set(table["partner_iso3"]):
            missing.append(f"US imports for consumption 2024 of HS {prefix} from Colombia")
            checks.append(None)
            continue
        for r in table.to_dict("records"):
            if r["partner_iso3"] in ("COL", *rivals):
                rows.append(number_row(f"share of US imports of HS {prefix} ({label}), 2024", 2024, MIRROR, r["share"] * 100,
                                 "%", "customs value", "us_census_consumption",
                                 data.datasets.get("us_census_consumption", "us_census_consumption"),
                                 SOURCE_PUBLISHERS["us_census_consumption"],
                                 f"{r['partner_iso3']}: USD {r['value_usd'] / 1e6:,.1f} m; 2024 duty {pct(r['duty_rate'], 2)}"))  # fmt: skip
        col = table[table["partner_iso3"] == "COL"].iloc[0]
        riv = table[table["partner_iso3"].isin(rivals)]
        rival_share = float(riv["share"].sum())
        rival_rate = float(riv["duty_usd"].sum() / riv["value_usd"].sum()) if not riv.empty else float("nan")
        shift = relative_price_shift(float(col["duty_rate"]), added, rival_rate, added) if not riv.empty else float("nan")
        facts[f"{prefix}_col_share"] = float(col["share"])
        facts[f"{prefix}_rival_share"] = rival_share
        facts[f"{prefix}_price_shift"] = shift
        if prefix != "060311":
            checks.append(rival_share >= float(tol["rival_share_min"]))
        sentences.append(
            f"HS {prefix} ({label}): Colombia supplied {pct(float(col['share']))} of US imports in 2024, "
            f"{rival_name} {pct(rival_share)}; starting duties {pct(float(col['duty_rate']), 2)} vs "
            f"{pct(rival_rate, 2)}, so an equal 10 points moves Colombia's price {signed(shift * 100)} % relative to them."
        )
    tariff_gap = _tariff_gap_at(data.tariff_timeline, spec.date, ("ECU", *CENTRAL_AMERICA))
    if tariff_gap is None:
        missing.append(f"US effective tariffs for Colombia and its rivals on {spec.date}")
    else:
        facts["tariff_gap_pts"] = tariff_gap
        rows.append(number_row("Colombia's effective US tariff minus its rivals' (trade-weighted, all goods)", spec.date,
                         "US policy", tariff_gap, "points", "", "us_tariff_timeline",
                         data.datasets.get("tariff_tracker", "us-tariffs-2025/country-by-time.csv"),
                         SOURCE_PUBLISHERS["tariff_tracker"], "average over rivals, simple mean"))  # fmt: skip
    gap_ok = None if tariff_gap is None else tariff_gap >= float(tol["tariff_gap_min_pts"])
    rivals_ok = verdict_conditions(checks)
    if rivals_ok == CANNOT_CHECK:
        verdict = CANNOT_CHECK
    elif rivals_ok == SUPPORTED and gap_ok:
        verdict = SUPPORTED
    elif rivals_ok == NOT_SUPPORTED and gap_ok is False:
        verdict = NOT_SUPPORTED
    else:
        verdict = PARTLY
    if tariff_gap is not None:
        sentences.append(f"On {spec.date} Colombia's effective US tariff was {tariff_gap:+.1f} points from its rivals' "
                         "average: the opportunity needs Colombia to face a higher tariff — see the scenario.")
    sentences.extend(_scenario_sentences(data, rows, facts))
    chart_rows = [product_shares(data.products, prefix).assign(hs=f"HS {prefix} ({label})")
                  for label, prefix, _, _ in groups]  # fmt: skip
    chart_frame = pd.concat([f for f in chart_rows if not f.empty], ignore_index=True) if any(
        not f.empty for f in chart_rows) else empty_frame(["partner_iso3", "value_usd", "share", "hs"])
    return ClaimCard(spec, verdict, tuple(sentences), numbers_frame(rows), tuple(missing), chart_frame, facts)


def _focus_gain(focus: pd.DataFrame, prefix: str, partners: str) -> pd.Series | None:
    rows = focus[(focus["hs_prefix"] == prefix) & (focus["partners"] == partners)]
    return None if rows.empty else rows.iloc[0]


def _scenario_sentences(data: ClaimData, rows: list[dict[str, Any]], facts: dict[str, float]) -> list[str]:
    """Who gains in the model when Colombia alone faces 10 more points, against 10 points on everyone."""
    sentences = []
    central = ", ".join(CENTRAL_AMERICA)
    for preset in (SINGLED_OUT_PRESET, EVERYONE_PRESET):
        focus = data.scenario_focus.get(preset)
        if focus is None or focus.empty:
            continue
        for label, prefix, partners in (("Ecuador's roses", "060311", "ECU"),
                                        ("Central America's coffee", COFFEE_CODE, central)):  # fmt: skip
            gain = _focus_gain(focus, prefix, partners)
            if gain is None:
                continue
            facts[f"{preset}_{prefix}_gain_usd"] = float(gain["total_change_usd"])
            facts[f"{preset}_{prefix}_diversion_usd"] = float(gain["trade_diversion_usd"])
            rows.append(number_row(f"modelled change in US imports: {label} (HS {prefix})", 2024, f"scenario {preset}",
                             float(gain["total_change_usd"]), "USD", "customs value", "scenario",
                             f"model/presets/{preset}.json", "Balanza tariff model (SMART) on US Census 2024 lines",
                             f"range {float(gain['low_usd']) / 1e6:,.0f} to {float(gain['high_usd']) / 1e6:,.0f} m "
                             "(elasticities ×0.5 to ×2)"))  # fmt: skip
    singled = f"{SINGLED_OUT_PRESET}_060311_gain_usd"
    everyone = f"{EVERYONE_PRESET}_060311_gain_usd"
    coffee = f"{SINGLED_OUT_PRESET}_{COFFEE_CODE}_gain_usd"
    if singled in facts and coffee in facts:
        text = (f"Model: if Colombia alone faced 10 more points, US imports of Ecuador's roses would change by "
                f"USD {facts[singled] / 1e6:+,.0f} m and of Central America's coffee by USD {facts[coffee] / 1e6:+,.0f} m")
        if everyone in facts:
            switch = facts[everyone.replace("_gain_usd", "_diversion_usd")]
            text += (f"; with the same 10 points on every supplier, buyers switching to Ecuador's roses add only "
                     f"USD {switch / 1e6:+,.1f} m while all rose imports shrink (Ecuador's: USD {facts[everyone] / 1e6:+,.0f} m)")
        sentences.append(text + ".")
    for preset, error in data.scenario_errors.items():
        sentences.append(f"Scenario {preset} not shown: {error}.")
    return sentences


def _tariff_gap_at(timeline: pd.DataFrame, date: str, rivals: Sequence[str]) -> float | None:
    if timeline.empty:
        return None
    at = pd.Timestamp(date)
    frame = timeline.assign(date=pd.to_datetime(timeline["date"]))
    frame = frame[frame["date"] <= at].sort_values("date").groupby("partner_iso3").tail(1).set_index("partner_iso3")
    if "COL" not in frame.index:
        return None
    present = [r for r in rivals if r in frame.index]
    if not present:
        return None
    return float(frame.loc["COL", "effective_tariff_pct"]) - float(frame.loc[present, "effective_tariff_pct"].mean())



def check_scenario_substitution(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    table = product_shares(data.products, COFFEE_CODE)
    rows = [number_row("share of US coffee imports (HS 0901), 2024", 2024, MIRROR, r["share"] * 100, "%", "customs value",
                 "us_census_consumption", data.datasets.get("us_census_consumption", "us_census_consumption"),
                 SOURCE_PUBLISHERS["us_census_consumption"], r["partner_iso3"])
            for r in table.head(8).to_dict("records")]  # fmt: skip
    sentences = ["A statement about what buyers could do, not about what happened: the scenario page models "
                 "US buyers switching suppliers when Colombia faces a higher tariff."]
    facts: dict[str, float] = {}
    by_partner = data.scenario_partners.get(SINGLED_OUT_PRESET)
    if by_partner is not None and not by_partner.empty:
        gainers = by_partner[(by_partner["partner_iso3"] != "COL") & (by_partner["trade_diversion_usd"] > 0)]
        total_gain = float(gainers["trade_diversion_usd"].sum())
        latam = gainers[gainers["partner_iso3"].isin(LATIN_AMERICA)].sort_values("trade_diversion_usd", ascending=False)
        colombia = by_partner[by_partner["partner_iso3"] == "COL"]
        if total_gain > 0 and not colombia.empty:
            col_change = float(colombia["total_change_usd"].iloc[0])
            latam_share = float(latam["trade_diversion_usd"].sum()) / total_gain
            facts.update(colombia_change_usd=col_change, diverted_usd=total_gain, latam_share=latam_share)
            sentences.append(
                f"In the preset {SINGLED_OUT_PRESET} US imports from Colombia change by USD {bn(col_change)} bn; of the "
                f"USD {bn(total_gain)} bn bought from other suppliers instead, Latin American ones take {pct(latam_share)}"
                + (", led by " + ", ".join(f"{r['partner_iso3']} USD {r['trade_diversion_usd'] / 1e6:,.0f} m"
                                          for r in latam.head(3).to_dict("records")) if not latam.empty else "")
                + "."
            )  # fmt: skip
            for r in latam.head(8).to_dict("records"):
                rows.append(number_row("modelled gain from buying elsewhere (trade diversion)", 2024,
                                 f"scenario {SINGLED_OUT_PRESET}", float(r["trade_diversion_usd"]), "USD", "customs value",
                                 "scenario", f"model/presets/{SINGLED_OUT_PRESET}.json",
                                 "Balanza tariff model (SMART) on US Census 2024 lines", str(r["partner_iso3"])))  # fmt: skip
    for preset, error in data.scenario_errors.items():
        if preset == SINGLED_OUT_PRESET:
            sentences.append(f"Scenario not shown: {error}.")
    if not table.empty:
        top = table.head(3)
        sentences.append("Largest US coffee suppliers among the bundled partners in 2024: " + ", ".join(
            f"{r['partner_iso3']} {pct(r['share'])}" for r in top.to_dict("records")) + ".")
    return ClaimCard(spec, SCENARIO, tuple(sentences), numbers_frame(rows), (), table, facts)
