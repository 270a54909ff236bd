"""The reconciliation of a dated preset in the reader's language, without Streamlit: the measures in force on its
legal date one by one, the published figure and the bundled tracker's, the bridge between them, and the CSV rows.

Pure: a ``model.reconciliation.Reconciliation`` in, frames and sentences out (English and Spanish).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

import pandas as pd

from dashboard import i18n
from etl.schema import BILLION
from model import measures, tariff_measures
from model.reconciliation import Reconciliation, reconcilable
from model.spec import parse_spec, spec_to_dict

MONTHS = (
    ("January", "enero"), ("February", "febrero"), ("March", "marzo"), ("April", "abril"), ("May", "mayo"),
    ("June", "junio"), ("July", "julio"), ("August", "agosto"), ("September", "septiembre"),
    ("October", "octubre"), ("November", "noviembre"), ("December", "diciembre"),
)  # fmt: skip

# Each measure of the table in words: (English, Spanish, the instrument in Spanish). A test checks every measure of
# data/raw/us-tariffs-2025-measures has its words here.
MEASURES: dict[str, tuple[str, str, str]] = {
    "s232_steel_aluminium_25": ("Section 232 steel and aluminium, 25 %", "Sección 232 acero y aluminio, 25 %",
                                "Proclamaciones 10895 (aluminio) y 10896 (acero)"),
    "s232_steel_aluminium_50": ("Section 232 steel and aluminium, 50 %", "Sección 232 acero y aluminio, 50 %",
                                "Proclamación 10947"),
    "s232_steel_aluminium_uk": ("Section 232 steel and aluminium, United Kingdom 25 %",
                                "Sección 232 acero y aluminio, Reino Unido 25 %", "Proclamación 10947"),
    "s232_autos_vehicles": ("Section 232 vehicles, 25 %", "Sección 232 vehículos, 25 %", "Proclamación 10908"),
    "s232_autos_vehicles_usmca": ("Section 232 vehicles of Canada and Mexico, on non-US content",
                                  "Sección 232 vehículos de Canadá y México, sobre el contenido no estadounidense",
                                  "Proclamación 10908"),
    "s232_autos_parts": ("Section 232 auto parts, 25 %", "Sección 232 partes de automóviles, 25 %",
                         "Proclamación 10908"),
    "s232_autos_parts_usmca": ("Section 232 auto parts of Canada and Mexico not under USMCA",
                               "Sección 232 partes de automóviles de Canadá y México fuera del T-MEC",
                               "Proclamación 10908"),
    "s232_copper_50": ("Section 232 copper, 50 %", "Sección 232 cobre, 50 %", "Proclamación 10962"),
    "china_fentanyl_20": ("China and Hong Kong, fentanyl duty 20 %", "China y Hong Kong, arancel por fentanilo 20 %",
                          "OE 14228 (modifica la OE 14195)"),
    "china_fentanyl_10": ("China and Hong Kong, fentanyl duty 10 %", "China y Hong Kong, arancel por fentanilo 10 %",
                          "OE 14357"),
    "recip_baseline_10": ("Reciprocal baseline 10 %", "Base recíproca del 10 %", "OE 14257"),
    "recip_country_rates_aug": ("Reciprocal country rates of 7 August (others 10 %)",
                                "Tasas recíprocas por país del 7 de agosto (los demás 10 %)", "OE 14326"),
    "recip_japan_aug": ("Japan, reciprocal +15 %", "Japón, recíproco +15 %", "OE 14326"),
    "recip_eu_all_in": ("European Union, 15 % in all", "Unión Europea, 15 % en total", "OE 14326"),
    "recip_japan_all_in": ("Japan, 15 % in all", "Japón, 15 % en total", "OE 14345"),
    "japan_autos_15": ("Japanese autos and parts, 15 % in all", "Automóviles y partes de Japón, 15 % en total",
                       "OE 14345"),
    "eu_autos_15": ("EU autos and parts, 15 % in all", "Automóviles y partes de la UE, 15 % en total",
                    "Aviso de Comercio y la USTR que aplica el marco EE. UU.-UE"),
    "china_reciprocal_10": ("China and Hong Kong, reciprocal 10 %", "China y Hong Kong, recíproco 10 %", "OE 14257"),
    "china_reciprocal_125": ("China and Hong Kong, reciprocal 125 %", "China y Hong Kong, recíproco 125 %",
                             "OE 14266"),
    "china_reciprocal_10_geneva": ("China and Hong Kong, reciprocal 10 % after Geneva",
                                   "China y Hong Kong, recíproco 10 % después de Ginebra", "OE 14298"),
    "canada_fentanyl_25": ("Canada, 25 % on goods not under USMCA", "Canadá, 25 % sobre bienes fuera del T-MEC",
                           "OE 14193 modificada (OE 14231: bienes del T-MEC exceptuados desde el 7 de marzo)"),
    "canada_energy_potash_10": ("Canada, energy and potash 10 %", "Canadá, energía y potasa 10 %",
                                "OE 14193 modificada"),
    "canada_fentanyl_35": ("Canada, 35 % on goods not under USMCA", "Canadá, 35 % sobre bienes fuera del T-MEC",
                           "OE 14325"),
    "mexico_fentanyl_25": ("Mexico, 25 % on goods not under USMCA", "México, 25 % sobre bienes fuera del T-MEC",
                           "OE 14194 modificada (OE 14232: bienes del T-MEC exceptuados desde el 7 de marzo)"),
    "mexico_potash_10": ("Mexico, potash 10 %", "México, potasa 10 %", "OE 14194 modificada por la OE 14232"),
    "brazil_40": ("Brazil, 40 %", "Brasil, 40 %", "OE 14323"),
    "india_25": ("India, 25 % for its Russian oil", "India, 25 % por su petróleo ruso", "OE 14329"),
    "electronics_exempt": ("Electronics exempt from the reciprocal duties",
                           "Electrónica exenta de los aranceles recíprocos",
                           "Memorando presidencial del 11 de abril de 2025 (aclaración de excepciones de la OE 14257)"),
    "ag_exempt_nov": ("Farm goods exempt from the reciprocal duties",
                      "Bienes agrícolas exentos de los aranceles recíprocos", "OE 14360"),
    "brazil_ag_nov": ("Brazil's farm goods exempt from its 40 %", "Bienes agrícolas de Brasil exentos de su 40 %",
                      "Orden ejecutiva del 20 de noviembre de 2025 (alcance de los aranceles al Gobierno de Brasil)"),
}  # fmt: skip

BRIDGE_STEPS: dict[str, tuple[str, str]] = {
    "table": ("This table, as the law reads", "Esta tabla, como dice la ley"),
    "usmca_shares": ("USMCA-qualifying shares the tracker implies (Canada 65 %, Mexico 82 %)",
                     "Cuotas del T-MEC que supone el rastreador (Canadá 65 %, México 82 %)"),
    "india_from_7_august": ("India's extra 25 % from 7 August (law: 27 August)",
                            "El 25 % adicional de la India desde el 7 de agosto (la ley: 27 de agosto)"),
    "chapter_98_dutiable": ("US goods returned and chapter 98 dutiable",
                            "Bienes estadounidenses devueltos y capítulo 98 gravados"),
    "no_base_metals": ("No base steel and aluminium articles (the tracker's lists are derivatives only)",
                       "Sin los artículos básicos de acero y aluminio (las listas del rastreador son solo derivados)"),
    "codes_literal": ("Codes read literally (a padded 8-digit code matches only itself: fewer exemptions)",
                      "Códigos leídos al pie de la letra (un código de 8 dígitos rellenado solo se aplica a sí "
                      "mismo: menos exenciones)"),
    "mfn_constant": ("The tracker's constant 2.3 % for pre-2025 duties instead of the 2024 applied rate",
                     "El 2,3 % constante del rastreador para los aranceles anteriores a 2025 en lugar de la tasa "
                     "aplicada de 2024"),
}  # fmt: skip

WORDS: dict[str, tuple[str, str]] = {
    "measure": ("Measure", "Medida"),
    "instrument": ("Legal instrument", "Instrumento legal"),
    "federal_register": ("Federal Register", "Registro Federal"),
    "effective": ("In force from", "Vigente desde"),
    "rate": ("Rate", "Tasa"),
    "imports": ("Imports affected (USD bn)", "Importaciones afectadas (miles de millones de USD)"),
    "duty": ("Extra duty (USD bn)", "Arancel adicional (miles de millones de USD)"),
    "points": ("Points of the all-partner rate", "Puntos de la tasa de todos los socios"),
    "after": ("Rate after (%)", "Tasa acumulada (%)"),
    "baseline": ("2024 applied tariffs", "Aranceles aplicados en 2024"),
    "baseline_source": ("Census calculated duty", "Arancel calculado del Censo"),
    "step": ("Step", "Paso"),
    "tracker_heading": ("From this table to the bundled tracker, one choice at a time",
                        "De esta tabla al rastreador incluido, una decisión a la vez"),
    "csv_source": ("US Census Bureau, imports for consumption 2024 (calculated duty); Balanza's table of the 2025 US "
                   "measures (Federal Register, White House, CBP)",
                   "Oficina del Censo de EE. UU., importaciones para consumo 2024 (arancel calculado); tabla de "
                   "Balanza de las medidas de EE. UU. de 2025 (Registro Federal, Casa Blanca, CBP)"),
    "step_rate": ("Rate (%)", "Tasa (%)"),
    "tracker_row": ("The tracker's own figure", "La cifra del propio rastreador"),
    "residual_row": ("Not isolated (the tracker's other choices on that date)",
                     "No aislado (las demás decisiones del rastreador en esa fecha)"),
    "page_not_read": ("FR Doc {doc} (page not read)", "documento FR {doc} (página no leída)"),
    "no_page": ("not found", "no hallada"),
    "exempt": ("exempt", "exención"),
    "at_least": ("at least {rate}", "al menos {rate}"),
    "in_all": ("{rate} in all, instead of the measures it replaces", "{rate} en total, en lugar de las medidas que "
               "reemplaza"),
    "plus_list": ("+ the {list} country rate (others {rate})", "+ la tasa por país de {list} (los demás {rate})"),
    "usmca_share": ("on the flow not entered under USMCA ({shares} entered under it)",
                    "sobre el flujo que no entra por el T-MEC ({shares} entra por él)"),
    "usmca_autos_us_content": ("on the non-US content (US content {shares})",
                               "sobre el contenido no estadounidense (contenido estadounidense {shares})"),
}  # fmt: skip


def word(key: str, lang: str, **values: object) -> str:
    english, spanish = WORDS[key]
    return (spanish if lang == "es" else english).format(**values)


def long_date(iso: str, lang: str) -> str:
    """'7 August 2025' / '7 de agosto de 2025'."""
    day = dt.date.fromisoformat(iso)
    english, spanish = MONTHS[day.month - 1]
    return f"{day.day} de {spanish} de {day.year}" if lang == "es" else f"{day.day} {english} {day.year}"


def as_of_caption(as_of: str, lang: str) -> str:
    """What a dated preset describes, its date in words."""
    return i18n.pick(
        lang,
        f"The law as it stood on {long_date(as_of, lang)}: every US measure in force that day (as_of {as_of}).",
        f"La ley tal como estaba el {long_date(as_of, lang)}: todas las medidas de EE. UU. vigentes ese día "
        f"(as_of {as_of}).",
    )


def describes_the_law(doc: Mapping[str, Any]) -> bool:
    """Whether a scenario document is the law on its legal date: a tariff scenario whose ``as_of`` is a dated
    preset's and whose changes are the ones the table of measures gives for that date."""
    as_of = doc.get("as_of")
    if doc.get("kind") != "tariff" or not isinstance(as_of, str) or not reconcilable(as_of):
        return False
    return bool(doc.get("tariff_changes") == _law(as_of))


@cache
def _law(as_of: str) -> list[dict[str, Any]]:
    """The tariff changes of the law on ``as_of`` in canonical form (as the page keeps scenarios)."""
    law = spec_to_dict(parse_spec(measures.preset_document(tariff_measures.read_table(), as_of, "law")))
    return list(law["tariff_changes"])


def heading(as_of: str, lang: str) -> str:
    return i18n.pick(
        lang,
        f"The law on {long_date(as_of, lang)}, measure by measure",
        f"La ley del {long_date(as_of, lang)}, medida por medida",
    )


def edited_note(lang: str) -> str:
    """Said where a scenario keeps a dated preset's date but not its changes."""
    return i18n.pick(
        lang,
        "This scenario's changes are not the law of its date: the table shows the measures in force on that date, "
        "not this scenario.",
        "Los cambios de este escenario no son la ley de su fecha: la tabla muestra las medidas vigentes en esa "
        "fecha, no este escenario.",
    )


def measure_label(measure: str, lang: str) -> str:
    english, spanish, _ = MEASURES[measure]
    return spanish if lang == "es" else english


def instrument(measure: str, english: str, lang: str) -> str:
    return MEASURES[measure][2] if lang == "es" else english


def _pct(value: float, lang: str) -> str:
    return f"{i18n.number(value, lang, 1).removesuffix(',0').removesuffix('.0')} %"


def rate_text(row: pd.Series, lang: str) -> str:
    """The measure's rate in words: '+25 %', 'at least 50 %', '15 % in all, ...', 'exempt', with the share that
    scales it."""
    rate = _pct(float(row["rate_pct"]), lang)
    if row["stacking"] == "instead":
        text = word("exempt", lang) if float(row["rate_pct"]) == 0 else word("in_all", lang, rate=rate)
    elif row["stacking"] == "floor":
        text = word("at_least", lang, rate=rate)
    elif row["rate_list"]:
        text = word("plus_list", lang, list="EO 14326" if lang == "en" else "OE 14326", rate=rate)
    else:
        text = "+" + rate
    shares = row["shares"]
    if row["exempt_share"]:
        listed = ", ".join(
            f"{p + ' ' if p else ''}{_pct(100 * share, lang)}" for p, share in sorted(shares.items())
        )
        text += " " + word(str(row["exempt_share"]), lang, shares=listed)
    return text


def federal_register(row: pd.Series, lang: str) -> str:
    if row["fr_pages"]:
        return str(row["fr_pages"])
    if row["fr_document"]:
        return word("page_not_read", lang, doc=row["fr_document"])
    return word("no_page", lang)


def measure_table(rec: Reconciliation, lang: str) -> pd.DataFrame:
    """One row per measure in stack order, after a first row for the 2024 applied tariffs; headers in ``lang``;
    USD in billions, points and rates in %."""
    rows = [
        {
            word("measure", lang): word("baseline", lang),
            word("instrument", lang): word("baseline_source", lang),
            word("federal_register", lang): "",
            word("effective", lang): "",
            word("rate", lang): "",
            word("imports", lang): float("nan"),
            word("duty", lang): float("nan"),
            word("points", lang): float("nan"),
            word("after", lang): rec.baseline_pct,
        }
    ]
    for _, row in rec.measures.iterrows():
        rows.append(
            {
                word("measure", lang): measure_label(str(row["measure"]), lang),
                word("instrument", lang): instrument(str(row["measure"]), str(row["instrument"]), lang),
                word("federal_register", lang): federal_register(row, lang),
                word("effective", lang): long_date(str(row["effective"]), lang),
                word("rate", lang): rate_text(row, lang),
                word("imports", lang): float(row["imports_affected_usd"]) / BILLION,
                word("duty", lang): float(row["extra_duty_usd"]) / BILLION,
                word("points", lang): float(row["points"]),
                word("after", lang): float(row["rate_after_pct"]),
            }
        )
    return pd.DataFrame(rows)


def bridge_table(rec: Reconciliation, lang: str) -> pd.DataFrame:
    """From this table's rate to the tracker's: the steps that move it (the first and last always shown), the
    tracker's own figure and what the steps do not isolate."""
    rows = []
    last = len(rec.bridge) - 1
    for i, (_, row) in enumerate(rec.bridge.iterrows()):
        if 0 < i < last and abs(float(row["points"])) < 0.005:  # a choice that changes nothing on this date
            continue
        english, spanish = BRIDGE_STEPS[str(row["step_id"])]
        rows.append({word("step", lang): spanish if lang == "es" else english,
                     word("step_rate", lang): float(row["rate_pct"]),
                     word("points", lang): float(row["points"])})  # fmt: skip
    if rec.tracker_pct is not None and rec.residual_points is not None:
        rows.append({word("step", lang): word("residual_row", lang), word("step_rate", lang): rec.tracker_pct,
                     word("points", lang): rec.residual_points})  # fmt: skip
        rows.append({word("step", lang): word("tracker_row", lang), word("step_rate", lang): rec.tracker_pct,
                     word("points", lang): float("nan")})  # fmt: skip
    return pd.DataFrame(rows)


def summary_lines(rec: Reconciliation, lang: str) -> list[str]:
    """The rate on the date against the published figure and the tracker, in sentences."""
    when = long_date(rec.as_of, lang)
    lines = [
        i18n.pick(
            lang,
            f"On {when} the measures in force take the all-partner tariff on 2024 US imports, before substitution, "
            f"from {_pct2(rec.baseline_pct, lang)} (2024 applied) to {_pct2(rec.rate_pct, lang)}.",
            f"El {when} las medidas vigentes llevan el arancel de todos los socios sobre las importaciones de EE. "
            f"UU. de 2024, antes de sustitución, de {_pct2(rec.baseline_pct, lang)} (aplicado en 2024) a "
            f"{_pct2(rec.rate_pct, lang)}.",
        )
    ]
    if rec.yale is not None:
        lines.append(
            i18n.pick(
                lang,
                f"The Budget Lab at Yale put it at {_pct2(rec.yale.pre_substitution_pct, lang)} before substitution "
                f"and {_pct2(rec.yale.post_substitution_pct, lang)} after (State of U.S. Tariffs: August 1, 2025, "
                "as printed by a reproduction of the report): "
                f"{i18n.signed(rec.rate_pct - rec.yale.pre_substitution_pct, lang)} points apart.",
                f"The Budget Lab de Yale lo situó en {_pct2(rec.yale.pre_substitution_pct, lang)} antes de "
                f"sustitución y {_pct2(rec.yale.post_substitution_pct, lang)} después (State of U.S. Tariffs: "
                "August 1, 2025, según una reproducción del informe): "
                f"{i18n.signed(rec.rate_pct - rec.yale.pre_substitution_pct, lang)} puntos de diferencia.",
            )
        )
    else:
        lines.append(
            i18n.pick(
                lang,
                "The Budget Lab at Yale published no figure for this date (its reports follow announcements, not "
                "legal dates).",
                "The Budget Lab de Yale no publicó cifra para esta fecha (sus informes siguen los anuncios, no las "
                "fechas legales).",
            )
        )
    if rec.tracker_pct is not None:
        lines.append(
            i18n.pick(
                lang,
                f"The bundled tracker gives {_pct2(rec.tracker_pct, lang)} (its rate in force that day); the table "
                "below goes from one figure to the other, one of its choices at a time.",
                f"El rastreador incluido da {_pct2(rec.tracker_pct, lang)} (su tasa vigente ese día); la tabla de "
                "abajo va de una cifra a la otra, una de sus decisiones a la vez.",
            )
        )
        if rec.as_of in TRACKER_DATING:
            english, spanish = TRACKER_DATING[rec.as_of]
            lines.append(spanish if lang == "es" else english)
    return lines


# Dates on which the tracker dates a measure otherwise than the law, beyond what the bridge's steps isolate (a test
# reads the tracker's own rows for it).
TRACKER_DATING: dict[str, tuple[str, str]] = {
    "2025-04-05": (
        "Most of what the steps leave unisolated on 5 April: the tracker applies the country rates of EO 14257's "
        "Annex I (Vietnam 46 %, China +34 %) from 5 April; in law they applied on 9 April only, then were suspended "
        "for every partner but China (EO 14266, from 10 April).",
        "Casi todo lo que los pasos no aíslan el 5 de abril: el rastreador aplica las tasas por país del anexo I de "
        "la OE 14257 (Vietnam 46 %, China +34 %) desde el 5 de abril; por ley solo se aplicaron el 9 de abril y "
        "luego se suspendieron para todos los socios salvo China (OE 14266, desde el 10 de abril).",
    ),
}


def _pct2(value: float, lang: str) -> str:
    return f"{i18n.number(value, lang, 2)} %"


def csv_frame(rec: Reconciliation, lang: str) -> pd.DataFrame:
    """The measure table as downloaded: its legal date, each measure's id, the shown columns with dollars in full
    (the page shows billions)."""
    frame = measure_table(rec, lang)
    dollars = {
        word("imports", lang): [float("nan"), *rec.measures["imports_affected_usd"].astype(float)],
        word("duty", lang): [float("nan"), *rec.measures["extra_duty_usd"].astype(float)],
    }
    for column, values in dollars.items():
        frame[column] = values
    frame = frame.rename(columns={c: c.split(" (")[0] + " (USD)" for c in dollars})
    frame.insert(0, i18n.pick(lang, "Legal date", "Fecha legal"), rec.as_of)
    frame.insert(1, "id", ["", *rec.measures["measure"].astype(str)])
    return frame


def csv_decimals(lang: str) -> dict[str, int]:
    """The places the files keep (``csv_frame``'s headers): dollars whole, rates and points as the page shows them."""
    dollars = {word(key, lang).split(" (")[0] + " (USD)": 0 for key in ("imports", "duty")}
    return {**dollars, word("points", lang): 2, word("after", lang): 2}
