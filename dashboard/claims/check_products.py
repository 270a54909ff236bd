"""Claims 4 and 5: statements about what US buyers could do. Scenario cards: they show the model's result.

Claim 4 ("a great opportunity for Ecuadorian roses and Central American coffee") is a forecast, or a threat: no
verdict. The card gives the 2024 market (US Census lines, read through the series of record), the country rates
the US actually set (EO 14326, in force 7 August 2025), and the tariff model's result for Ecuador's roses and
Central America's coffee under those rates and under a Colombia-only rise.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.claims.card import (
    CENTRAL_AMERICA,
    COFFEE_CODE,
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
    perspective,
)
from dashboard.claims.rules import SCENARIO
from dashboard.claims.specs import ClaimSpec
from dashboard.claims.words import Words
from etl.schema import COLOMBIA, EU_MEMBERS, EUROPEAN_UNION, MILLION

AUGUST_LIST = "eo14326_aug_2025"
BASELINE_PCT = 10.0  # EO 14257 baseline, kept by EO 14326 for countries it does not list
CENSUS = "US Census Bureau (imports for consumption 2024, HS10)"
PRODUCT_GROUPS = (
    ("roses", "060311", ("ECU",), "Ecuador"),
    ("coffee", COFFEE_CODE, CENTRAL_AMERICA, "Central America"),
)
PRODUCT_NAMES_ES = {"roses": "rosas", "coffee": "café"}
RIVALS_ES = {"Ecuador": "Ecuador", "Central America": "Centroamérica"}
SHARES_DENOMINATOR = "US imports from the partners with a bundled Census HS10 file (the EU counted once)"
SHARES_DENOMINATOR_ES = "las importaciones de EE. UU. desde los socios con un archivo SA10 del Censo incluido (la UE contada una vez)"
CENSUS_ES = "Oficina del Censo de EE. UU. (importaciones para consumo 2024, SA10)"
MODEL_ES = "modelo arancelario de Balanza (SMART) sobre las líneas del Censo de EE. UU. de 2024"


def product_shares(products: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """US imports 2024 of one HS prefix by supplier among the bundled partners, with each one's share. The EU
    aggregate and its members never both count: where the EU is a partner its members' own rows are left out."""
    sub = products[products["hs_code"].astype(str).str.startswith(prefix)]
    if EUROPEAN_UNION in set(sub["partner_iso3"]):
        sub = sub[~sub["partner_iso3"].isin(EU_MEMBERS)]
    if sub.empty:
        return empty_frame(["partner_iso3", "value_usd", "share"])
    grouped = sub.groupby("partner_iso3", as_index=False).agg(value_usd=("value_usd", "sum"))
    grouped["share"] = grouped["value_usd"] / grouped["value_usd"].sum()
    return grouped.sort_values("value_usd", ascending=False, ignore_index=True)


def _coverage(data: ClaimData, prefix: str, w: Words) -> str:
    """How much of all US imports of the product's chapter the bundled partners cover (Census HS2, all partners)."""
    cov = data.coverage
    if cov.empty:
        return ""
    row = cov[cov["chapter"] == prefix[:2]]
    if row.empty or pd.isna(row["coverage_pct"].iloc[0]):
        return ""
    share = float(row["coverage_pct"].iloc[0])
    return w.t(f"; those partners supply {share:.1f} % of all US imports of chapter {prefix[:2]}",
               f"; esos socios suministran el {w.num(share)} % de todas las importaciones de EE. UU. del capítulo {prefix[:2]}")  # fmt: skip


def august_rates(reciprocal: pd.DataFrame, partners: tuple[str, ...]) -> dict[str, float]:
    """Each partner's US rate from 7 August 2025: its EO 14326 rate, else the 10 % baseline."""
    listed = reciprocal[reciprocal["list_name"] == AUGUST_LIST] if not reciprocal.empty else reciprocal
    rates = dict(zip(listed.get("partner_iso3", []), listed.get("rate_pct", []), strict=False))
    return {p: float(rates.get(p, BASELINE_PCT)) for p in partners}


def _focus_change(focus: pd.DataFrame, prefix: str, partners: tuple[str, ...]) -> pd.Series | None:
    """The model's result for a product and a supplier group, as the preset's focus table gives it."""
    wanted = {", ".join(partners), ",".join(partners)}
    rows = focus[(focus["hs_prefix"].astype(str) == prefix) & focus["partners"].astype(str).isin(wanted)]
    return None if rows.empty else rows.iloc[0]


def _scenario_rows(
    spec: ClaimSpec, data: ClaimData, preset: str, label: str, rows: list, facts: dict, w: Words
) -> list[str]:
    focus = data.scenario_focus.get(preset)
    if focus is None or focus.empty:
        error = data.scenario_errors.get(preset)
        return (
            [w.t(f"Scenario {preset} not shown: {error}.", f"Escenario {preset} no mostrado: {error}.")]
            if error
            else []
        )
    parts = []
    for name, prefix, rivals, rival_name in PRODUCT_GROUPS:
        gain = _focus_change(focus, prefix, rivals)
        if gain is None:
            continue
        change = float(gain["total_change_usd"])
        facts[f"{preset}_{prefix}_change_usd"] = change
        low, high = float(gain["low_usd"]), float(gain["high_usd"])
        name_es = f"{PRODUCT_NAMES_ES[name]} de {RIVALS_ES[rival_name]}"
        rows.append(number_row(w.t(f"modelled change in US imports: {rival_name}'s {name} (HS {prefix})",
                                   f"cambio modelado en las importaciones de EE. UU.: {name_es} (SA {prefix})"), 2024,
                               perspective(f"scenario {preset}", w.lang), change, "USD",
                               w.t("customs value", "valor en aduana"), "scenario",
                               f"model/presets/{preset}.json", w.t(SOURCE_PUBLISHERS["scenario"], MODEL_ES),
                               w.t(f"range {low / MILLION:,.0f} to {high / MILLION:,.0f} m "
                                   "(band: elasticities at their 95 % confidence bounds, or ×½ to ×2 where no own "
                                   "estimate; model/scenario.py BAND_BASIS)",
                                   f"rango de {w.num(low / MILLION, 0)} a {w.num(high / MILLION, 0)} millones "
                                   "(banda: elasticidades en sus límites de confianza al 95 %, o ×½ a ×2 donde no hay "
                                   "estimación propia; model/scenario.py BAND_BASIS)")))  # fmt: skip
        parts.append(w.t(f"{rival_name}'s {name} USD {change / MILLION:+,.0f} m", f"{name_es} {w.m(change)}"))
    if not parts:
        return []
    return [w.t(f"Model, {label} (preset {preset}): US imports of " + " and ".join(parts) + ".",
                f"Modelo, {label} (escenario {preset}): importaciones de EE. UU. de " + " y ".join(parts) + ".")]  # fmt: skip


def _colombia_switch(focus: pd.DataFrame | None, preset: str, facts: dict[str, float], w: Words) -> str:
    """Colombia's own roses and coffee in a preset: the total change and the part buyers switch towards it."""
    if focus is None or focus.empty:
        return ""
    parts = []
    for name, prefix, _, _ in PRODUCT_GROUPS:
        row = _focus_change(focus, prefix, (COLOMBIA,))
        if row is None:
            continue
        facts[f"{preset}_{prefix}_col_change_usd"] = float(row["total_change_usd"])
        facts[f"{preset}_{prefix}_col_diversion_usd"] = float(row["trade_diversion_usd"])
        total, diverted = float(row["total_change_usd"]), float(row["trade_diversion_usd"])
        parts.append(w.t(
            f"{name} USD {total / MILLION:+,.0f} m, of which buyers switching towards "
            f"Colombia USD {diverted / MILLION:+,.0f} m",
            f"{PRODUCT_NAMES_ES[name]} {w.m(total)}, de ello compradores que se pasan a Colombia {w.m(diverted)}",
        ))  # fmt: skip
    if not parts:
        return ""
    return (
        w.t("Same preset, Colombia's own: ", "Mismo escenario, lo de la propia Colombia: ")
        + "; ".join(parts)
        + "."
    )


def check_roses_and_coffee(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    census = w.t(CENSUS, CENSUS_ES)
    denominator = w.t(SHARES_DENOMINATOR, SHARES_DENOMINATOR_ES)
    rows: list[dict[str, Any]] = []
    sentences = []
    missing = []
    facts: dict[str, float] = {}
    census_ds = data.datasets.get("us_census_consumption", "us_census_consumption")
    for name, prefix, rivals, rival_name in PRODUCT_GROUPS:
        table = product_shares(data.products, prefix)
        name_es = PRODUCT_NAMES_ES[name]
        if table.empty or COLOMBIA not in set(table["partner_iso3"]):
            missing.append(w.t(f"US imports for consumption 2024 of HS {prefix} from Colombia",
                               f"importaciones para consumo de EE. UU. en 2024 del SA {prefix} desde Colombia"))  # fmt: skip
            continue
        for r in table[table["partner_iso3"].isin((COLOMBIA, *rivals))].to_dict("records"):
            rows.append(number_row(w.t(f"share of US imports of HS {prefix} ({name}), 2024",
                                       f"participación en las importaciones de EE. UU. del SA {prefix} ({name_es}), 2024"),
                                   2024, perspective(MIRROR, lang), r["share"] * 100, "%",
                                   w.t("customs value", "valor en aduana"), "us_census_consumption", census_ds, census,
                                   w.t(f"{r['partner_iso3']}: USD {r['value_usd'] / MILLION:,.1f} m; of {SHARES_DENOMINATOR}",
                                       f"{r['partner_iso3']}: {w.num(r['value_usd'] / MILLION)} millones de USD; de {denominator}")))  # fmt: skip
        col_share = float(table.loc[table["partner_iso3"] == COLOMBIA, "share"].iloc[0])
        rival_share = float(table[table["partner_iso3"].isin(rivals)]["share"].sum())
        facts.update({f"{prefix}_col_share": col_share, f"{prefix}_rival_share": rival_share})
        sentences.append(w.t(f"HS {prefix} ({name}), 2024: Colombia supplied {pct(col_share)} of {SHARES_DENOMINATOR}, "
                             f"{rival_name} {pct(rival_share)} ({CENSUS}){_coverage(data, prefix, w)}.",
                             f"SA {prefix} ({name_es}), 2024: Colombia suministró el {w.pct(col_share)} de {denominator}, "
                             f"{RIVALS_ES[rival_name]} el {w.pct(rival_share)} ({census}){_coverage(data, prefix, w)}."))  # fmt: skip
    rates = august_rates(data.reciprocal, (COLOMBIA, "ECU", *CENTRAL_AMERICA))
    facts.update({f"aug_rate_{k}": v for k, v in rates.items()})
    central = sorted({rates[p] for p in CENTRAL_AMERICA})

    def rate(p: str) -> str:
        return w.num(rates[p], 0) if w.es else f"{rates[p]:g}"

    each = ", ".join(f"{p} {rate(p)} %" for p in CENTRAL_AMERICA)
    low, high = (w.num(v, 0) if w.es else f"{v:g}" for v in (central[0], central[-1]))
    rate_text = w.t(
        f"From 7 August 2025 (EO 14326) the US charged Colombia {rates[COLOMBIA]:g} %, Ecuador {rates['ECU']:g} % "
        f"and Central America {central[0]:g}–{central[-1]:g} % ({each})",
        f"Desde el 7 de agosto de 2025 (OE 14326) EE. UU. cobró a Colombia {rate(COLOMBIA)} %, a Ecuador "
        f"{rate('ECU')} % y a Centroamérica {low}–{high} % ({each})",
    )
    sentences.append(rate_text + w.t(": Colombia did not pay more than these rivals.",
                                     ": Colombia no pagó más que estos competidores."))  # fmt: skip
    august = spec.scenario_preset or ""
    sentences += _scenario_rows(
        spec, data, august, w.t("with the country rates in force from 7 August 2025",
                                "con las tasas por país vigentes desde el 7 de agosto de 2025"), rows, facts, w
    )  # fmt: skip
    colombia = _colombia_switch(data.scenario_focus.get(august), august, facts, w)
    if colombia:
        sentences.append(colombia)
    sentences += _scenario_rows(
        spec, data, SINGLED_OUT_PRESET, w.t("if Colombia alone faced 10 more points",
                                            "si solo Colombia pagara 10 puntos más"), rows, facts, w
    )  # fmt: skip
    chart = [product_shares(data.products, prefix).assign(hs=w.t(f"HS {prefix} ({name})", f"SA {prefix} ({PRODUCT_NAMES_ES[name]})"))
             for name, prefix, _, _ in PRODUCT_GROUPS]  # fmt: skip
    chart_frame = (
        pd.concat([f for f in chart if not f.empty], ignore_index=True)
        if any(not f.empty for f in chart)
        else empty_frame(["partner_iso3", "value_usd", "share", "hs"])
    )
    roses = facts.get(f"{august}_060311_change_usd")
    coffee = facts.get(f"{august}_{COFFEE_CODE}_change_usd")
    figure = (
        ""
        if roses is None or coffee is None
        else w.t(f"Aug-2025 rates: Ecuador's roses USD {roses / MILLION:+,.0f} m, Central America's coffee USD {coffee / MILLION:+,.0f} m",
                 f"tasas de agosto de 2025: rosas de Ecuador {w.m(roses)}, café de Centroamérica {w.m(coffee)}")
    )  # fmt: skip
    disagreement = w.t(
        "The opportunity needs Colombia to face a higher US tariff than its rivals; under the rates the US "
        f"actually set in August 2025 Colombia paid {rates[COLOMBIA]:g} %, no more than Ecuador or Central America",
        "La oportunidad exige que Colombia pague un arancel de EE. UU. más alto que sus competidores; con las tasas "
        f"que EE. UU. fijó de verdad en agosto de 2025 Colombia pagó {rate(COLOMBIA)} %, no más que Ecuador o "
        "Centroamérica",
    )
    if roses is not None and coffee is not None:
        disagreement += w.t(
            f", and the model gives Ecuador's roses USD {roses / MILLION:+,.0f} m and Central America's coffee "
            f"USD {coffee / MILLION:+,.0f} m",
            f", y el modelo da a las rosas de Ecuador {w.m(roses)} y al café de Centroamérica {w.m(coffee)}",
        )
    disagreement += "."
    if rates[COLOMBIA] > max(rates[p] for p in ("ECU", *CENTRAL_AMERICA)):
        disagreement = ""
    return ClaimCard(spec, SCENARIO, tuple(sentences), numbers_frame(rows), tuple(missing), chart_frame, facts,
                     basis=w.t("A forecast or threat: the tariff model's result under the US country rates of August 2025",
                               "Un pronóstico o una amenaza: el resultado del modelo arancelario con las tasas por país "
                               "de EE. UU. de agosto de 2025"),
                     figure=figure,
                     citation=w.t(f"{CENSUS}; rates: EO 14326 (as encoded by tradewartracker)",
                                  f"{CENSUS_ES}; tasas: OE 14326 (según la codificación de tradewartracker)"),
                     disagreement=disagreement)  # fmt: skip


def check_scenario_substitution(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    census = w.t(CENSUS, CENSUS_ES)
    denominator = w.t(SHARES_DENOMINATOR, SHARES_DENOMINATOR_ES)
    table = product_shares(data.products, COFFEE_CODE)
    census_ds = data.datasets.get("us_census_consumption", "us_census_consumption")
    rows = [number_row(w.t("share of US coffee imports (HS 0901), 2024",
                           "participación en las importaciones de café de EE. UU. (SA 0901), 2024"),
                       2024, perspective(MIRROR, lang), r["share"] * 100, "%",
                       w.t("customs value", "valor en aduana"), "us_census_consumption", census_ds, census,
                       w.t(f"{r['partner_iso3']}; of {SHARES_DENOMINATOR}", f"{r['partner_iso3']}; de {denominator}"))
            for r in table.head(8).to_dict("records")]  # fmt: skip
    sentences = [
        w.t("A statement about what buyers could do, not about what happened: the scenario page models "
            "US buyers switching suppliers when Colombia faces a higher tariff.",
            "Una afirmación sobre lo que podrían hacer los compradores, no sobre lo que pasó: la página de escenarios "
            "modela a los compradores de EE. UU. cambiando de proveedor cuando Colombia paga un arancel más alto.")
    ]  # fmt: skip
    facts: dict[str, float] = {}
    by_partner = data.scenario_partners.get(SINGLED_OUT_PRESET)
    if by_partner is not None and not by_partner.empty:
        gainers = by_partner[
            (by_partner["partner_iso3"] != COLOMBIA) & (by_partner["trade_diversion_usd"] > 0)
        ]
        total_gain = float(gainers["trade_diversion_usd"].sum())
        latam = gainers[gainers["partner_iso3"].isin(LATIN_AMERICA)].sort_values(
            "trade_diversion_usd", ascending=False
        )
        colombia = by_partner[by_partner["partner_iso3"] == COLOMBIA]
        if total_gain > 0 and not colombia.empty:
            col_change = float(colombia["total_change_usd"].iloc[0])
            latam_share = float(latam["trade_diversion_usd"].sum()) / total_gain
            facts.update(colombia_change_usd=col_change, diverted_usd=total_gain, latam_share=latam_share)
            leaders = ", ".join(w.t(f"{r['partner_iso3']} USD {r['trade_diversion_usd'] / MILLION:,.0f} m",
                                    f"{r['partner_iso3']} {w.m(r['trade_diversion_usd'], sign=False)}")
                                for r in latam.head(3).to_dict("records"))  # fmt: skip
            sentences.append(w.t(
                f"In the preset {SINGLED_OUT_PRESET} US imports from Colombia change by USD {bn(col_change)} bn; of the "
                f"USD {bn(total_gain)} bn bought from other suppliers instead, Latin American ones take "
                f"{pct(latam_share)}" + (f", led by {leaders}" if leaders else "") + ".",
                f"En el escenario {SINGLED_OUT_PRESET} las importaciones de EE. UU. desde Colombia cambian en "
                f"{w.bn(col_change)}; de los {w.bn(total_gain)} comprados en su lugar a otros proveedores, los "
                f"latinoamericanos se llevan el {w.pct(latam_share)}" + (f", con {leaders} a la cabeza" if leaders else "") + ".",
            ))  # fmt: skip
            for r in latam.head(8).to_dict("records"):
                rows.append(number_row(w.t("modelled gain from buying elsewhere (trade diversion)",
                                           "ganancia modelada por compras desviadas (desviación de comercio)"), 2024,
                                       perspective(f"scenario {SINGLED_OUT_PRESET}", lang), float(r["trade_diversion_usd"]),
                                       "USD", w.t("customs value", "valor en aduana"), "scenario",
                                       f"model/presets/{SINGLED_OUT_PRESET}.json",
                                       w.t(SOURCE_PUBLISHERS["scenario"], MODEL_ES), str(r["partner_iso3"])))  # fmt: skip
    if SINGLED_OUT_PRESET in data.scenario_errors:
        error = data.scenario_errors[SINGLED_OUT_PRESET]
        sentences.append(w.t(f"Scenario not shown: {error}.", f"Escenario no mostrado: {error}."))
    if not table.empty:
        leading = ", ".join(
            f"{r['partner_iso3']} {w.pct(r['share'])}" for r in table.head(3).to_dict("records")
        )
        sentences.append(w.t(f"Largest US coffee suppliers among the bundled partners in 2024 ({SHARES_DENOMINATOR}): "
                             + leading + ".",
                             f"Mayores proveedores de café de EE. UU. entre los socios incluidos en 2024 ({denominator}): "
                             + leading + "."))  # fmt: skip
    change = facts.get("colombia_change_usd")
    return ClaimCard(spec, SCENARIO, tuple(sentences), numbers_frame(rows), (), table, facts,
                     basis=w.t("A statement about what could happen: the tariff model's result if Colombia alone faced "
                               "10 more points",
                               "Una afirmación sobre lo que podría pasar: el resultado del modelo arancelario si solo "
                               "Colombia pagara 10 puntos más"),
                     figure="" if change is None else w.t(
                         f"US imports from Colombia USD {bn(change)} bn; Latin America takes "
                         f"{pct(facts['latam_share'])} of what is bought elsewhere",
                         f"importaciones de EE. UU. desde Colombia {w.bn(change)}; América Latina se lleva el "
                         f"{w.pct(facts['latam_share'])} de lo que se compra en otra parte"),
                     citation=census)  # fmt: skip
