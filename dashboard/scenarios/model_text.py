"""The scenario model's words in the reader's language: notes, the band's basis, what the model leaves out, and
the bundled presets' names and descriptions. Pure: no Streamlit.

The model (`model/`) writes its notes in English and gives each a kind and its numbers (`model.result.Note`);
here each kind is worded in English or Spanish from those numbers, never from the English sentence. A note of a
kind this module does not know is shown as the model wrote it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from dashboard import i18n
from model.spec import preset_paths

# ---- notes -------------------------------------------------------------------------------------------------------


def _pct(share: float, lang: str, decimals: int = 1) -> str:
    return i18n.percent(100 * float(share), lang, decimals)


def _constant(value: float, lang: str) -> str:
    """A model constant as written in the code (-1.25, 1.5), with the language's decimal mark."""
    text = f"{float(value):g}"
    return text.replace(".", ",") if lang == "es" else text


def _same_change_for_all(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    amount = i18n.money(v["gross_diversion_usd"], lang)
    share = _pct(v["gross_diversion_share"], lang, 3)
    return i18n.pick(
        lang,
        "The same change applies to every supplier, so relative prices barely move: switching between suppliers "
        f"is small and happens only where starting tariffs differ. Gross switching: {amount} ({share} of "
        "baseline imports).",
        "El mismo cambio se aplica a todos los proveedores, así que los precios relativos apenas se mueven: el "
        "cambio de proveedor es pequeño y solo ocurre donde los aranceles de partida difieren. Cambio bruto de "
        f"proveedor: {amount} ({share} de las importaciones de referencia).",
    )


def _import_demand_sources(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    own, five, heading, default = (
        _pct(v[k], lang) for k in ("same_code", "five_digit", "heading_median", "default")
    )
    value = _constant(v["default_value"], lang)
    return i18n.pick(
        lang,
        "Import-demand elasticities: Hauk's US HS6 estimates (HS 1988/92 codes, matched to the 2024 lines by "
        f"code, then 5-digit group, then heading). Share of baseline value: own code {own}, 5-digit group {five}, heading "
        f"median {heading}, default {value} {default}.",
        "Elasticidades de la demanda de importaciones: estimaciones de Hauk para EE. UU. a seis dígitos del SA "
        "(códigos SA 1988/92, emparejados con las líneas de 2024 por código, grupo de cinco dígitos o partida). Parte del valor "
        f"de referencia: código propio {own}, grupo de cinco dígitos {five}, mediana de la partida {heading}, "
        f"valor por defecto {value} {default}.",
    )


def _substitution_sources(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    share = _pct(v["estimated"], lang)
    value = _constant(v["default_value"], lang)
    return i18n.pick(
        lang,
        f"Substitution elasticities: Hauk's estimates where positive and significant ({share} of baseline value), "
        f"else σ = {value}.",
        "Elasticidades de sustitución: estimaciones de Hauk donde son positivas y significativas "
        f"({share} del valor de referencia); si no, σ = {value}.",
    )


def _eu_members_left_out(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    members = ", ".join(str(m) for m in v["members"])
    return i18n.pick(
        lang,
        f"The European Union is one partner (EUN); rows of its members reported on their own ({members}) are "
        "left out so that no total counts them twice.",
        f"La Unión Europea es un solo socio (EUN); las filas de sus miembros informadas por separado ({members}) "
        "se dejan fuera para que ningún total las cuente dos veces.",
    )


def _infinite_supply(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return i18n.pick(
        lang,
        "Export supply is infinitely elastic (ε ≥ 99): world prices do not move; importers pay the tariff.",
        "La oferta exportable es infinitamente elástica (ε ≥ 99): los precios mundiales no se mueven; los "
        "importadores pagan el arancel.",
    )


def _purchase_balance(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    seller, buyer = names.get(v["seller"], v["seller"]), names.get(v["buyer"], v["buyer"])
    before, increase, after = (
        i18n.money(float(v[k]), lang) for k in ("balance_before_usd", "increase_usd", "balance_after_usd")
    )
    customs = v.get("record") == "buyer"
    on_en = f" on {buyer}'s customs records" if customs else ""
    on_es = f" según los registros aduaneros de {buyer}" if customs else ""
    text = i18n.pick(
        lang,
        f"{seller}'s {v['year']} balance with {buyer}{on_en}: {before}; after {increase} more purchases: {after}.",
        f"Balanza de {seller} con {buyer} en {v['year']}{on_es}: {before}; tras {increase} más de compras: {after}.",
    )
    if "largest_growth_usd" in v:
        needed = i18n.number(float(v["needed_pct_of_exports"]), lang, 0)
        largest = i18n.money(float(v["largest_growth_usd"]), lang)
        times = i18n.number(float(v["needed_vs_largest_growth"]), lang, 1)
        text += i18n.pick(
            lang,
            f" Closing the deficit needs exports {needed} % higher; the largest rise ever recorded was {largest} "
            f"({v['largest_growth_usd_year']}), so the gap is {times} times that record.",
            f" Cerrar el déficit exige exportaciones un {needed} % más altas; el mayor aumento registrado fue de "
            f"{largest} ({v['largest_growth_usd_year']}), así que la brecha equivale a {times} veces ese récord.",
        )
    return text


def _purchase_sources(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    exports, imports = (
        i18n.record_text(v["exports_source"], lang),
        i18n.record_text(v["imports_source"], lang),
    )
    text = i18n.pick(
        lang,
        f"Figures for {v['year']}: exports from {exports}, imports from {imports}. History "
        f"{v['first_year']}–{v['last_year']} is the series of record (one value per year: the reporter's own "
        "office first, then UN Comtrade, IMF DOTS and printed figures; complete years only).",
        f"Cifras de {v['year']}: exportaciones según {exports}, importaciones según {imports}. La historia "
        f"{v['first_year']}–{v['last_year']} es la serie de registro (un valor por año: primero la oficina "
        "del propio informante, luego UN Comtrade, el FMI (DOTS) y las cifras impresas; solo años completos).",
    )
    if "balance_source" in v:
        basis = i18n.record_text(v["balance_source"], lang)
        text += i18n.pick(lang, f" Balance basis: {basis}.", f" Base de la balanza: {basis}.")
    return text


def _purchase_records(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    seller, buyer = names.get(v["seller"], v["seller"]), names.get(v["buyer"], v["buyer"])
    money = {k: i18n.money(float(v[k]), lang) for k in v if k.endswith("_usd")}
    factor = _constant(v["cif_fob"], lang)
    return i18n.pick(
        lang,
        f"Two records of the same trade. On {buyer}'s customs records ({v['buyer_publisher']}) {seller}'s "
        f"{v['year']} balance is {money['buyer_balance_usd']}; on {seller}'s own, {money['seller_balance_usd']}. "
        f"{buyer} records {money['buyer_exports_usd']} of imports from {seller} against {seller}'s "
        f"{money['seller_exports_usd']} of exports, and {money['buyer_imports_usd']} of exports to {seller} against "
        f"{seller}'s {money['seller_imports_usd']} of imports. Of the difference in {seller}'s exports, valuation "
        f"(CIF against FOB, ÷ {factor}) explains {money['exports_valuation_usd']}; the rest, "
        f"{money['exports_rest_usd']}, is timing (goods in transit at the year's end), origin against consignment "
        "(goods of the seller's origin shipped through other countries are the seller's in the buyer's records "
        f"only) and coverage. Closing the deficit takes {money['buyer_needed_to_close_usd']} on {buyer}'s records, "
        f"{money['seller_needed_to_close_usd']} on {seller}'s.",
        f"Dos registros del mismo comercio. Según los registros aduaneros de {buyer} ({v['buyer_publisher']}) la "
        f"balanza de {seller} en {v['year']} es de {money['buyer_balance_usd']}; según los propios de {seller}, de "
        f"{money['seller_balance_usd']}. {buyer} registra {money['buyer_exports_usd']} de importaciones desde "
        f"{seller} frente a {money['seller_exports_usd']} de exportaciones según {seller}, y "
        f"{money['buyer_imports_usd']} de exportaciones a {seller} frente a {money['seller_imports_usd']} de "
        f"importaciones según {seller}. De la diferencia en las exportaciones de {seller}, la valoración (CIF frente "
        f"a FOB, ÷ {factor}) explica {money['exports_valuation_usd']}; el resto, {money['exports_rest_usd']}, es "
        "desfase temporal (mercancía en tránsito al cierre del año), origen frente a procedencia (bienes de origen "
        "del vendedor enviados a través de otros países solo cuentan como suyos en los registros del comprador) y "
        f"cobertura. Cerrar el déficit exige {money['buyer_needed_to_close_usd']} según los registros de {buyer} y "
        f"{money['seller_needed_to_close_usd']} según los de {seller}.",
    )


def _purchase_real(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    largest = i18n.money(float(v["largest_growth_real_usd"]), lang)
    year, base = v["largest_growth_real_usd_year"], v["deflator_base_year"]
    times = v.get("needed_vs_largest_growth_real")
    return i18n.pick(
        lang,
        f"In constant {base} dollars (US CPI-U, annual average) the largest rise on record is {largest} ({year})"
        + (f": the gap is {i18n.number(float(times), lang, 1)} times that record." if times else "."),
        f"En dólares constantes de {base} (IPC-U de EE. UU., promedio anual) el mayor aumento registrado es de "
        f"{largest} ({year})"
        + (
            f": la brecha equivale a {i18n.number(float(times), lang, 1)} veces ese récord." if times else "."
        ),
    )


def _linear_method(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    below = int(v.get("rows_below_zero", 0))
    rows = i18n.number(below, lang, 0)
    return i18n.pick(
        lang,
        "Method: WITS-SMART's linear formulas (trade creation M η Δt/(1 + t0), trade diversion between each "
        "supplier and the rest of its product's suppliers), exact only for small changes"
        + (
            f"; {rows} line × partner rows fall below zero, a result of the linear formulas, not of the tariffs "
            "(the default method, levels, keeps every flow at or above zero)."
            if below
            else "."
        ),
        "Método: las fórmulas lineales de WITS-SMART (creación de comercio M η Δt/(1 + t0), desviación de comercio "
        "entre cada proveedor y el resto de proveedores de su producto), exactas solo para cambios pequeños"
        + (
            f"; {rows} filas línea × socio quedan por debajo de cero, un resultado de las fórmulas lineales, no de "
            "los aranceles (el método por defecto, en niveles, mantiene todo flujo en cero o más)."
            if below
            else "."
        ),
    )


def _colombia_us_unchanged(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return i18n.pick(
        lang,
        "A purchase changes no US tariff: Colombia's exports to the US, by product group, stay as the 2024 US "
        "import lines give them.",
        "Una compra no cambia ningún arancel de EE. UU.: las exportaciones de Colombia a EE. UU., por grupo de "
        "productos, quedan como las dan las líneas de importación de EE. UU. de 2024.",
    )


def _purchase_flags(v: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    flags = [f for f, on in (("provisional", v["provisional"]), ("comparable", not v["comparable"])) if on]
    what_en = " and ".join({"provisional": "provisional (its figures may still be revised)",
                            "comparable": "not comparable with earlier years"}[f] for f in flags)  # fmt: skip
    what_es = " y ".join({"provisional": "provisional (sus cifras aún pueden revisarse)",
                          "comparable": "no comparable con años anteriores"}[f] for f in flags)  # fmt: skip
    why = i18n.record_text(v["caveat"], lang)
    return i18n.pick(
        lang,
        f"Caveat: the {v['year']} balance is {what_en} ({why}).",
        f"Advertencia: la balanza de {v['year']} es {what_es} ({why}).",
    )


NoteWriter = Callable[[Mapping[str, Any], str, Mapping[str, str]], str]
NOTES: dict[str, NoteWriter] = {
    "same_change_for_all": _same_change_for_all,
    "import_demand_sources": _import_demand_sources,
    "substitution_sources": _substitution_sources,
    "eu_members_left_out": _eu_members_left_out,
    "infinite_supply": _infinite_supply,
    "purchase_balance": _purchase_balance,
    "purchase_sources": _purchase_sources,
    "purchase_records": _purchase_records,
    "purchase_real": _purchase_real,
    "linear_method": _linear_method,
    "colombia_us_unchanged": _colombia_us_unchanged,
    "purchase_flags": _purchase_flags,
}
SWITCHING_NOTE = "same_change_for_all"  # the note the page shows as a box of its own


def note_text(note: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """One note of a result in ``lang``, worded from its kind and numbers; ``names``: ISO3 → country name."""
    writer = NOTES.get(getattr(note, "kind", ""))
    if writer is None:
        return str(note)
    return writer(getattr(note, "values", {}), lang, names or {})


def notes_text(notes: Iterable[str], lang: str, names: Mapping[str, str] | None = None) -> list[str]:
    return [note_text(note, lang, names) for note in notes]


def is_kind(note: str, kind: str) -> bool:
    return getattr(note, "kind", "") == kind


# ---- the band and what is left out -------------------------------------------------------------------------------

BAND_BASES: dict[str, tuple[str, str]] = {
    "four_runs_at_elasticity_bounds": (
        "Band: the range over four runs with η and σ each at the low and high end of its range: the 95 % "
        "confidence interval (estimate ± 1.96 standard errors) where a line has an estimate of its own HS6 code, "
        "a what-if range of ½× to 2× elsewhere (5-digit or heading medians, defaults, and numbers set for all "
        "lines). All lines move together, so the band is wider than a joint confidence interval.",
        "Banda: el rango de cuatro ejecuciones con η y σ cada una en el extremo bajo y alto de su rango: el "
        "intervalo de confianza al 95 % (estimación ± 1,96 errores estándar) donde una línea tiene estimación de "
        "su propio código SA6, y un rango hipotético de ½× a 2× en los demás casos (medianas de cinco dígitos o "
        "de partida, valores por defecto y cifras fijadas para todas las líneas). Todas las líneas se mueven a la "
        "vez, así que la banda es más ancha que un intervalo de confianza conjunto.",
    ),
}


def band_basis(totals: Mapping[str, Any], lang: str) -> str:
    """How the run's band was drawn, in ``lang`` (by ``totals["band_basis_kind"]``)."""
    pair = BAND_BASES.get(str(totals.get("band_basis_kind", "")))
    if pair is None:
        return str(totals.get("band_basis", ""))
    return pair[1] if lang == "es" else pair[0]


LEFT_OUT_ES: dict[str, str] = {
    "retaliation": "Represalias: las respuestas de los socios (contraaranceles, compras en otros mercados) no se "
    "modelan.",
    "income_effects": "Efectos ingreso: el gasto en el resto de la economía y los ingresos se mantienen fijos.",
    "intermediate_inputs": "Insumos intermedios: los aranceles sobre partes y materiales no encarecen los bienes "
    "hechos con ellos.",
    "general_equilibrium": "Equilibrio general: los tipos de cambio, los salarios, otros mercados y los productores "
    "nacionales no se ajustan.",
    "deflection": "La desviación y el reenvío del comercio por terceros países, y la sustitución entre productos, "
    "no están.",
    "supply_capacity": "Capacidad de oferta: no se comprueba si el vendedor puede producir y enviar los bienes "
    "adicionales.",
    "purchase_diversion": "Desviación: se supone que las compras adicionales se suman a las exportaciones del "
    "vendedor, sin quitarlas a otros compradores.",
    "prices_fixed": "Precios y tipos de cambio fijos; los demás proveedores del comprador y las importaciones del "
    "vendedor no reaccionan.",
    "as_tariff_model": "Represalias, efectos ingreso, insumos intermedios y equilibrio general quedan fuera, como "
    "en el modelo arancelario.",
}


def left_out(items: Iterable[str], lang: str) -> list[str]:
    """What the model leaves out, in ``lang`` (by each item's kind)."""
    if lang != "es":
        return [str(item) for item in items]
    return [LEFT_OUT_ES.get(getattr(item, "kind", ""), str(item)) for item in items]


# ---- presets -----------------------------------------------------------------------------------------------------

# preset id (file name in model/presets) -> (Spanish name, Spanish description); the files hold the English.
PRESETS_ES: dict[str, tuple[str, str]] = {
    "china_buys_more": (
        "China compra lo suficiente para cerrar el déficit",
        "China compra a Colombia exactamente el déficit de Colombia con China en 2024, tal como lo da la balanza "
        "principal de la serie de registro (la misma cifra que en Resumen, Balanzas y Afirmaciones), frente al "
        "mayor aumento anual jamás registrado.",
    ),
    "colombia_10pp_more": (
        "Colombia paga 10 puntos más que sus competidores",
        "Diez puntos porcentuales añadidos a cada línea arancelaria de EE. UU. sobre bienes colombianos; los demás "
        "proveedores conservan sus aranceles de 2024. Quién gana: las rosas de Ecuador (SA 0603) y el café de "
        "Centroamérica (SA 0901).",
    ),
    "us_10pct_baseline_april_2025": (
        "Arancel base del 10 % de EE. UU., abril de 2025, con exenciones",
        "El arancel recíproco base del 10 % de la Orden Ejecutiva 14257 (vigente desde el 5 de abril de 2025), "
        "sumado al arancel de 2024 de cada socio salvo Canadá y México (fuera del régimen recíproco), con las "
        "exenciones del Anexo II de abril de 2025 (petróleo crudo, carbón, fármacos, semiconductores, ...) y, como "
        "dice la orden, no sobre bienes sujetos a la Sección 232 (las listas incluidas de acero, aluminio y "
        "automóviles). Quedan fuera: las tasas por país (la de China y otras, suspendidas el 9 de abril) y los "
        "propios aranceles de la Sección 232 (ver los escenarios de la Sección 232 y de agosto de 2025).",
    ),
    "us_10pct_everyone": (
        "EE. UU.: 10 % a todos",
        "Diez puntos porcentuales sumados al arancel de 2024 de cada línea y cada socio, sin exenciones. Los precios "
        "relativos entre proveedores apenas se mueven, así que hay poco cambio de proveedor.",
    ),
    "us_august_2025_country_rates": (
        "Aranceles de EE. UU. el 7 de agosto de 2025: tasas por país",
        "Los aranceles de EE. UU. vigentes el 7 de agosto de 2025: Sección 232 acero y aluminio al 50 % (Reino Unido "
        "25 %; Proclamación 10947), automóviles y partes al 25 % (Proclamación 10908; Canadá y México sobre el "
        "contenido no estadounidense y las partes fuera del T-MEC), cobre al 50 % (Proclamación 10962); China y Hong "
        "Kong 20 % por fentanilo (OE 14195, OE 14228) y 10 % recíproco (OE 14298); Canadá 35 % sobre los bienes que "
        "no se acogen al T-MEC (OE 14325), energía y potasa 10 % (OE 14193), México 25 % (OE 14194, OE 14232); las "
        "tasas por país de la OE 14326 (los demás 10 %; Japón +15; la UE 15 % en total); Brasil +40 % salvo su "
        "Anexo I (OE 14323); exentos de los aranceles recíprocos los bienes del Anexo II, la electrónica (memorando "
        "del 11 de abril sobre la OE 14257), los bienes de la Sección 232 y el capítulo 98."
        " Quedan fuera: los cambios de la Sección 301 posteriores a 2024, las acciones de la Sección 232 sobre madera, "
        "camiones y fármacos, los cupos arancelarios. Tasas antes de sustitución sobre las importaciones de 2024; las "
        "cuotas T-MEC de Canadá y México son las de 2024 (parámetros declarados, docs/scenarios.md).",
    ),
    "us_section_232_2025": (
        "Aranceles de la Sección 232 de EE. UU. en 2025: acero, aluminio, automóviles, cobre",
        "Aranceles de la Sección 232 vigentes el 1 de agosto de 2025 sobre las listas de productos incluidas: acero y "
        "aluminio, artículos básicos (Proclamaciones 9704 y 9705) y derivados, 50 % (Proclamaciones 10895/10896 tal "
        "como las elevó la Proclamación 10947 el 4 de junio de 2025; Reino Unido 25 %), automóviles, camionetas y "
        "partes 25 % (Proclamación 10908), cobre 50 % (Proclamación 10962, desde el 1 de agosto de 2025). Cada uno "
        "se aplica como mínimo (la tasa de la línea pasa a ser al menos el arancel), así que los bienes que ya "
        "pagaban el arancel de 2018 en 2024 no pagan dos veces. Quedan fuera: las reglas de contenido del T-MEC para "
        "vehículos y los cupos (acuerdos de vehículos con el Reino Unido, Japón y la UE); los escenarios fechados "
        "(us_tariffs_2025_*) tienen toda la pila.",
    ),
    "us_tariffs_2025_04_05": (
        "Aranceles de EE. UU. el 5 de abril de 2025: la base del 10 %",
        "Los aranceles de EE. UU. vigentes el 5 de abril de 2025 (tabla de medidas, data/raw/us-tariffs-2025-measures), "
        "sumados al arancel aplicado de 2024: Sección 232 acero y aluminio al 25 % sobre artículos básicos y "
        "derivados (Proclamaciones 10895 y 10896); automóviles y camionetas al 25 % (Proclamación 10908; Canadá y "
        "México sobre su contenido no estadounidense); los aranceles IEEPA por fentanilo a China y Hong Kong (20 %, "
        "OE 14195 modificada por la OE 14228) y a los bienes de Canadá y México que no se acogen al T-MEC (25 %, "
        "energía y potasa 10 %; OE 14193 modificada por la OE 14231, OE 14194 modificada por la OE 14232); la base "
        "recíproca del 10 % de la OE 14257 sobre todos los demás socios, China incluida, salvo Rusia, con exención "
        "de los bienes del Anexo II, de la Sección 232 y del capítulo 98."
        " Quedan fuera: los cambios de la Sección 301 posteriores a 2024, las acciones de la Sección 232 sobre madera, "
        "camiones y fármacos, los cupos arancelarios. Tasas antes de sustitución sobre las importaciones de 2024; las "
        "cuotas T-MEC de Canadá y México son las de 2024 (parámetros declarados, docs/scenarios.md).",
    ),
    "us_tariffs_2025_04_10": (
        "Aranceles de EE. UU. el 10 de abril de 2025: China al 125 % + 20 %",
        "Los aranceles de EE. UU. vigentes el 10 de abril de 2025: como el 5 de abril (Proclamaciones 10895, 10896 y "
        "10908; OE 14195, OE 14228, OE 14193, OE 14231, OE 14194 y OE 14232; la base del 10 % de la OE 14257), con el "
        "arancel recíproco de China al 125 % (OE 14266), 145 % con el 20 % por fentanilo; la tasa por país de los "
        "demás socios, suspendida en el 10 %."
        " Quedan fuera: los cambios de la Sección 301 posteriores a 2024, las acciones de la Sección 232 sobre madera, "
        "camiones y fármacos, los cupos arancelarios. Tasas antes de sustitución sobre las importaciones de 2024; las "
        "cuotas T-MEC de Canadá y México son las de 2024 (parámetros declarados, docs/scenarios.md).",
    ),
    "us_tariffs_2025_05_14": (
        "Aranceles de EE. UU. el 14 de mayo de 2025: después de Ginebra",
        "Los aranceles de EE. UU. vigentes el 14 de mayo de 2025: como el 10 de abril (Proclamaciones 10895, 10896 y "
        "10908; OE 14195, OE 14228, OE 14193, OE 14231, OE 14194, OE 14232; OE 14257), con las partes de automóviles "
        "al 25 % desde el 3 de mayo (Proclamación 10908), la electrónica exenta de los aranceles recíprocos "
        "(memorando del 11 de abril sobre la OE 14257) y el arancel recíproco de China de vuelta al 10 % (OE 14298, "
        "la declaración conjunta de Ginebra)."
        " Quedan fuera: los cambios de la Sección 301 posteriores a 2024, las acciones de la Sección 232 sobre madera, "
        "camiones y fármacos, los cupos arancelarios. Tasas antes de sustitución sobre las importaciones de 2024; las "
        "cuotas T-MEC de Canadá y México son las de 2024 (parámetros declarados, docs/scenarios.md).",
    ),
    "us_tariffs_2025_08_27": (
        "Aranceles de EE. UU. el 27 de agosto de 2025: India +25",
        "Los aranceles de EE. UU. vigentes el 27 de agosto de 2025: como el 7 de agosto (Proclamaciones 10947, 10908, "
        "10962; OE 14195, OE 14228, OE 14298, OE 14325, OE 14193, OE 14194, OE 14232, OE 14326, OE 14323; memorando "
        "del 11 de abril sobre la OE 14257), con el 25 % adicional a la India por sus compras de petróleo ruso (OE "
        "14329), 50 % en total, salvo los bienes del Anexo II y de la Sección 232."
        " Quedan fuera: los cambios de la Sección 301 posteriores a 2024, las acciones de la Sección 232 sobre madera, "
        "camiones y fármacos, los cupos arancelarios. Tasas antes de sustitución sobre las importaciones de 2024; las "
        "cuotas T-MEC de Canadá y México son las de 2024 (parámetros declarados, docs/scenarios.md).",
    ),
    "us_tariffs_2025_09_25": (
        "Aranceles de EE. UU. el 25 de septiembre de 2025: Japón y la UE en total",
        "Los aranceles de EE. UU. vigentes el 25 de septiembre de 2025: como el 27 de agosto (Proclamaciones 10947, "
        "10908, 10962; OE 14195, OE 14228, OE 14298, OE 14325, OE 14193, OE 14194, OE 14232, OE 14326, OE 14323, OE "
        "14329; memorando del 11 de abril sobre la OE 14257), con Japón al 15 % en total en lugar de +15 (OE 14345, "
        "desde el 16 de septiembre, retroactiva al 7 de agosto) y los automóviles y partes de Japón y la UE al 15 % en "
        "total en lugar del 25 % (OE 14345; el aviso de Comercio y la USTR del 25 de septiembre, retroactivo al 1 de "
        "agosto)."
        " Quedan fuera: los cambios de la Sección 301 posteriores a 2024, las acciones de la Sección 232 sobre madera, "
        "camiones y fármacos, los cupos arancelarios. Tasas antes de sustitución sobre las importaciones de 2024; las "
        "cuotas T-MEC de Canadá y México son las de 2024 (parámetros declarados, docs/scenarios.md).",
    ),
    "us_tariffs_2025_11_14": (
        "Aranceles de EE. UU. el 14 de noviembre de 2025: exenciones agrícolas",
        "Los aranceles de EE. UU. vigentes el 14 de noviembre de 2025: como el 25 de septiembre (Proclamaciones "
        "10947, 10908, 10962; OE 14298, OE 14325, OE 14193, OE 14194, OE 14232, OE 14326, OE 14323, OE 14329, OE "
        "14345; el aviso de la UE; memorando del 11 de abril sobre la OE 14257), con el arancel de China por "
        "fentanilo bajado al 10 % (OE 14357, desde el 10 de noviembre) y las exenciones agrícolas desde el 13 de "
        "noviembre: el Anexo II de noviembre (café, té, bananos, carne de res, frutas tropicales, fertilizantes; OE "
        "14360) y las exenciones propias de Brasil del 20 de noviembre, aproximadas con la misma lista."
        " Quedan fuera: los cambios de la Sección 301 posteriores a 2024, las acciones de la Sección 232 sobre madera, "
        "camiones y fármacos, los cupos arancelarios. Tasas antes de sustitución sobre las importaciones de 2024; las "
        "cuotas T-MEC de Canadá y México son las de 2024 (parámetros declarados, docs/scenarios.md).",
    ),
}


@cache
def _presets_by_name() -> dict[str, tuple[str, str]]:
    """English name of each bundled preset → (preset id, English description)."""
    out = {}
    for path in preset_paths():
        doc = json.loads(path.read_text(encoding="utf-8"))
        out[str(doc["name"])] = (path.stem, str(doc.get("description", "")))
    return out


def preset_ids() -> list[str]:
    """The bundled presets' ids (their file names in model/presets, never shown)."""
    return sorted(found[0] for found in _presets_by_name().values())


def preset_title(preset: str, lang: str) -> str:
    """A bundled preset's name in ``lang``, from its id; the id itself where no preset has it."""
    english = next((name for name, found in _presets_by_name().items() if found[0] == preset), preset)
    return preset_name(english, lang)


def preset_name(name: str, lang: str) -> str:
    """A scenario's name in ``lang``: a bundled preset's Spanish name; any other name as it was written."""
    found = _presets_by_name().get(name)
    if lang != "es" or found is None or found[0] not in PRESETS_ES:
        return name
    return PRESETS_ES[found[0]][0]


def with_preset_names(label: str, lang: str) -> str:
    """``label`` (a table header such as 'US 10% on everyone − Colombia faces …_usd') with every bundled preset's
    English name in it replaced by its name in ``lang``."""
    if lang != "es":
        return label
    for english in sorted(_presets_by_name(), key=len, reverse=True):
        label = label.replace(english, preset_name(english, lang))
    return label


def preset_description(name: str, description: str, lang: str) -> str:
    """A scenario's description in ``lang``: a bundled preset's (unchanged) description in Spanish; any other
    description as it was written."""
    found = _presets_by_name().get(name)
    if lang != "es" or found is None or found[1] != description or found[0] not in PRESETS_ES:
        return description
    return PRESETS_ES[found[0]][1]
