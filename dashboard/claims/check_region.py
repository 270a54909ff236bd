"""Claim 11: "the rapprochement of Colombia, Brazil and Chile with China" — the region's trade with China and the US.

A statement about diplomacy and its timing (it "follows" the US tariffs of 2025), so no verdict: the card sets the
three countries' trade beside each other, from the same figures as the Peers page (dashboard/peers.py over the
series of record): the share of each one's exports going to China and to the US in the latest year all three
have, and since when China has bought more from each than the US has.
"""

from __future__ import annotations

import pandas as pd

from dashboard import peers
from dashboard.claims.card import REFERENCE_YEAR_MAX, ClaimCard, ClaimData, number_row, numbers_frame
from dashboard.claims.rules import CANNOT_CHECK, CONTEXT
from dashboard.claims.specs import ClaimSpec
from dashboard.claims.words import Words
from etl.schema import COLOMBIA

COUNTRIES = (COLOMBIA, "BRA", "CHL")  # the three the article names
TARIFFS_YEAR = 2025  # the US tariffs the article says the rapprochement follows (EO 14257, April 2025)
NAMES = {COLOMBIA: ("Colombia", "Colombia"), "BRA": ("Brazil", "Brasil"), "CHL": ("Chile", "Chile")}
REPORTED = ("reported by the country", "según el país")


def check_regional_rapprochement(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    indicators = data.peers
    shares = (
        indicators[indicators["reporter_iso3"].isin(COUNTRIES) & (indicators["year"] <= REFERENCE_YEAR_MAX)]
        if not indicators.empty
        else indicators
    )
    exports = (
        shares[shares["indicator"].isin(["export_chn", "export_usa"])] if not shares.empty else pd.DataFrame()
    )
    years = (
        sorted(
            set.intersection(
                *({int(y) for y in exports.loc[exports["reporter_iso3"] == c, "year"]} for c in COUNTRIES)
            )
        )
        if not exports.empty
        else []
    )
    if not years:
        return ClaimCard(spec, CANNOT_CHECK, (w.t("No year has the export shares of Colombia, Brazil and Chile.",
                                                  "Ningún año tiene las participaciones de exportación de Colombia, "
                                                  "Brasil y Chile."),),
                         numbers_frame([]))  # fmt: skip
    year = years[-1]
    overtaking = peers.overtaking(shares)
    by_country = {
        r["reporter_iso3"]: r for r in overtaking[overtaking["flow"] == "export"].to_dict("records")
    }
    rows, facts, parts = [], {"year": float(year)}, []
    for country in COUNTRIES:
        name = NAMES[country][1 if w.es else 0]
        values = {}
        for indicator, partner, partner_es in (
            ("export_chn", "China", "China"),
            ("export_usa", "the US", "EE. UU."),
        ):
            [r] = exports[(exports["reporter_iso3"] == country) & (exports["indicator"] == indicator)
                          & (exports["year"] == year)].to_dict("records")  # fmt: skip
            values[indicator] = float(r["value_pct"])
            facts[f"{country.lower()}_{indicator}"] = float(r["value_pct"])
            rows.append(number_row(w.t(f"share of {name}'s exports going to {partner}",
                                       f"parte de las exportaciones de {name} que va a {partner_es}"),
                                   year, w.t(*REPORTED), float(r["value_pct"]), "%", w.rec(str(r["basis"])),
                                   str(r["source"]), _datasets(data, str(r["source"])), w.rec(f"{r['numerator_publisher']}; total: "
                                                               f"{r['denominator_publisher']}"),
                                   provisional=bool(r["provisional"]), comparable=bool(r["comparable"])))  # fmt: skip
        turn = by_country.get(country, {})
        overtook = turn.get("overtaken_year")
        china, usa = w.pct(values["export_chn"] / 100), w.pct(values["export_usa"] / 100)
        if overtook is not None and pd.notna(overtook):
            facts[f"{country.lower()}_china_ahead_from"] = float(overtook)
            parts.append(w.t(f"{name}: China {china}, the US {usa}; China has bought more from {name} than the US "
                             f"since {int(overtook)}",
                             f"{name}: China {china}, EE. UU. {usa}; China le compra más que EE. UU. desde "
                             f"{int(overtook)}"))  # fmt: skip
        elif turn and not turn["china_ahead_first"]:
            first = int(turn["first_year"])
            parts.append(w.t(f"{name}: China {china}, the US {usa}; the US has bought more every year since {first}",
                             f"{name}: China {china}, EE. UU. {usa}; EE. UU. le compra más cada año desde {first}"))  # fmt: skip
        else:
            parts.append(w.t(f"{name}: China {china}, the US {usa}", f"{name}: China {china}, EE. UU. {usa}"))
    timing = w.t("Whether the diplomatic rapprochement 'follows' the tariffs is a question of timing and intent the "
                 "trade figures cannot settle.",
                 "Si el acercamiento diplomático 'sigue' a los aranceles es una cuestión de calendario e intención "
                 "que las cifras de comercio no pueden zanjar.")  # fmt: skip
    sentences = [
        w.t(f"Share of exports going to China and to the US in {year}: ", f"Parte de las exportaciones que va a China y "
            f"a EE. UU. en {year}: ") + "; ".join(parts) + "."
    ]  # fmt: skip
    turned = [facts.get(f"{c.lower()}_china_ahead_from") for c in ("BRA", "CHL")]
    if all(turned) and "col_china_ahead_from" not in facts and facts["col_export_chn"] > 0:
        before = TARIFFS_YEAR - int(max(t for t in turned if t))
        ratio = facts["col_export_usa"] / facts["col_export_chn"]
        sentences.append(w.t(f"For Brazil and Chile the turn to China in trade came {before} years or more before the "
                             f"US tariffs of {TARIFFS_YEAR}; for Colombia it has not come: the US buys "
                             f"{w.num(ratio)} times what China buys. {timing}",
                             f"Para Brasil y Chile el giro comercial hacia China llegó {before} años o más antes de "
                             f"los aranceles de EE. UU. de {TARIFFS_YEAR}; para Colombia no ha llegado: EE. UU. compra "
                             f"{w.num(ratio)} veces lo que compra China. {timing}"))  # fmt: skip
    else:
        sentences.append(timing)
    return ClaimCard(spec, CONTEXT, tuple(sentences), numbers_frame(rows), (), exports, facts,
                     basis=w.t("exports to China and to the US as reported by each country (UN Comtrade; Colombia: "
                               "DANE) ÷ its exports to the World (IMF DOTS), same year",
                               "exportaciones a China y a EE. UU. según cada país (UN Comtrade; Colombia: DANE) ÷ sus "
                               "exportaciones al mundo (FMI, DOTS), mismo año"),
                     figure=w.t(f"China's share of exports in {year}: Chile {w.pct(facts['chl_export_chn'] / 100)}, "
                                f"Brazil {w.pct(facts['bra_export_chn'] / 100)}, Colombia "
                                f"{w.pct(facts['col_export_chn'] / 100)}",
                                f"parte de China en las exportaciones en {year}: Chile "
                                f"{w.pct(facts['chl_export_chn'] / 100)}, Brasil {w.pct(facts['bra_export_chn'] / 100)}, "
                                f"Colombia {w.pct(facts['col_export_chn'] / 100)}"),
                     citation=w.t("UN Comtrade (as reported by Brazil and Chile); DANE; IMF Direction of Trade "
                                  "Statistics (World totals)",
                                  "UN Comtrade (según Brasil y Chile); DANE; FMI, Estadísticas de la Dirección del "
                                  "Comercio (totales mundiales)"))  # fmt: skip


def _datasets(data: ClaimData, source: str) -> str:
    return "; ".join(data.datasets.get(part, part) for part in source.split(" / "))
