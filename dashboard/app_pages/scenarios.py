"""Scenarios: presets, build or edit, run, compare up to four, download/upload, all kept in the URL.

Thin: widgets → model (model.scenario, model.compare) → charts (dashboard.scenario_charts). The equations live in
model/smart.py and docs/scenarios.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import charts as page_charts
from dashboard import components, i18n, scenario_text, scenario_view
from dashboard import scenario_charts as charts
from dashboard.scenario_report import comparison_report_html
from dashboard.url_state import escape_markdown as plain
from etl.errors import BalanzaError, SpecError
from etl.schema import BILLION, UNITED_STATES
from model.compare import partner_comparison
from model.market import DEFAULT_IMPORT_DEMAND, MATCHES
from model.result import ScenarioResult
from model.spec import (
    CHANGE_KINDS,
    EXEMPTION_LISTS,
    LEVELS,
    PurchaseScenario,
    decode_scenario_set,
    encode_scenario_set,
    parse_spec,
    preset_paths,
    spec_to_dict,
)

MAX_SAVED = 4
URL_KEY = "sc"
CHANGE_LABELS = {
    "add_pp": ("add percentage points", "sumar puntos porcentuales"),
    "new_rate": ("new rate (fraction, 0.10 = 10 %)", "nueva tasa (fracción, 0,10 = 10 %)"),
    "max_rate": ("maximum rate (fraction)", "tasa máxima (fracción)"),
    "min_rate": ("minimum rate (fraction)", "tasa mínima (fracción)"),
    "linear_cut": (
        "linear cut (fraction of the tariff removed)",
        "recorte lineal (fracción del arancel eliminada)",
    ),
    "swiss": ("Swiss formula (coefficient a, in points)", "fórmula suiza (coeficiente a, en puntos)"),
}
PRESETS = {doc["name"]: doc for doc in (json.loads(p.read_text(encoding="utf-8")) for p in preset_paths())}
DEFAULT_PRESET = "Colombia faces 10 points more than its competitors"


# ---- cached model runs --------------------------------------------------------------------------------------


def run(spec_doc: dict[str, Any]) -> ScenarioResult:
    """A scenario run, once per database and scenario for all sessions (the presets are warmed at start)."""
    return components.scenario_result(json.dumps(spec_doc, sort_keys=True))


# ---- state: current scenario, saved set, URL ------------------------------------------------------------------


def _set_current(doc: dict[str, Any]) -> None:
    st.session_state["sc_current"] = spec_to_dict(parse_spec(doc))
    _fill_forms(st.session_state["sc_current"])


def _init_state() -> None:
    if "sc_current" in st.session_state:
        return
    current, saved = PRESETS[DEFAULT_PRESET], []
    raw = st.query_params.get(URL_KEY)
    if raw:
        try:
            decoded = decode_scenario_set(raw)
            current = spec_to_dict(parse_spec(decoded.get("current") or current))
            saved = [spec_to_dict(parse_spec(doc)) for doc in decoded.get("saved", [])][:MAX_SAVED]
        except SpecError as exc:
            st.session_state["sc_message"] = i18n.pick(
                components.lang(),
                f"The link's scenarios could not be used ({exc}); showing a preset.",
                f"No se pudieron usar los escenarios del enlace ({exc}); se muestra uno predefinido.",
            )
            current, saved = PRESETS[DEFAULT_PRESET], []
    st.session_state["sc_saved"] = saved
    _set_current(current)


def _sync_url() -> None:
    encoded = encode_scenario_set(
        {"current": st.session_state["sc_current"], "saved": st.session_state["sc_saved"]}
    )
    if st.query_params.get(URL_KEY) != encoded:
        st.query_params[URL_KEY] = encoded


def _fill_forms(doc: dict[str, Any]) -> None:
    """Seed the form widgets from a scenario (tariff form edits the first change)."""
    state = st.session_state
    state["sc_json"] = json.dumps(doc, indent=2, ensure_ascii=False)
    if doc["kind"] == "tariff":
        change = (doc["tariff_changes"] or [{"partners": "all", "products": "all", "add_pp": 0.0}])[0]
        kind = next(k for k in CHANGE_KINDS if k in change)
        elasticities = doc["elasticities"]
        sigma = elasticities["substitution"]
        state.update(
            sc_t_name=doc["name"],
            sc_t_kind=kind,
            sc_t_value=float(change[kind]) if isinstance(change[kind], int | float) else 0.0,
            sc_t_level=doc.get("level", "hs10"),
            sc_t_sigma_data=sigma == "data",
            sc_t_partners=[] if change["partners"] == "all" else list(change["partners"]),
            sc_t_except=list(change.get("except_partners", [])),
            sc_t_products="all" if change["products"] == "all" else ", ".join(change["products"]),
            sc_t_scope="all" if doc["products"] == "all" else ", ".join(doc["products"]),
            sc_t_lists=[e for e in doc["exemptions"] if e in EXEMPTION_LISTS],
            sc_t_prefixes=", ".join(e for e in doc["exemptions"] if e not in EXEMPTION_LISTS),
            sc_t_sigma=1.5 if sigma == "data" else float(sigma),
            sc_t_supply=float(elasticities["supply"]),
            sc_t_eta_data=elasticities["import_demand"] == "data",
            sc_t_eta=DEFAULT_IMPORT_DEMAND
            if elasticities["import_demand"] == "data"
            else float(elasticities["import_demand"]),
        )
    else:
        increase = doc["increase"]
        state.update(
            sc_p_name=doc["name"],
            sc_p_buyer=doc["buyer"],
            sc_p_seller=doc["seller"],
            sc_p_year=int(doc["year"]),
            sc_p_mode="close"
            if increase.get("close_balance")
            else "percent"
            if "percent" in increase
            else "amount",
            sc_p_value=float(increase.get("percent", (increase.get("amount_usd") or 0) / BILLION)),
            sc_p_chapters="all" if increase["chapters"] == "all" else ", ".join(increase["chapters"]),
        )


def _codes(text: str) -> list[str] | str:
    text = text.strip()
    return "all" if text in ("", "all") else [part.strip() for part in text.split(",") if part.strip()]


def _apply(build: Callable[[], dict[str, Any]]) -> None:
    try:
        _set_current(build())
        st.session_state.pop("sc_error", None)
    except SpecError as exc:
        st.session_state["sc_error"] = str(exc)


def _tariff_from_form() -> dict[str, Any]:
    s = st.session_state
    change: dict[str, Any] = {
        "partners": s["sc_t_partners"] or "all",
        "products": _codes(s["sc_t_products"]),
        s["sc_t_kind"]: s["sc_t_value"],
    }
    if s["sc_t_except"]:
        change["except_partners"] = s["sc_t_except"]
    current = s["sc_current"]
    others = current["tariff_changes"][1:] if current["kind"] == "tariff" else []
    first = current["tariff_changes"][0] if current["kind"] == "tariff" and current["tariff_changes"] else {}
    for kept in ("action", "except_products"):  # edited in the JSON tab; the form keeps them
        if kept in first:
            change[kept] = first[kept]
    prefixes = _codes(s["sc_t_prefixes"])
    return {
        "kind": "tariff",
        "name": s["sc_t_name"],
        "importer": UNITED_STATES,
        "year": 2024,
        "level": s["sc_t_level"],
        "products": _codes(s["sc_t_scope"]),
        "tariff_changes": [change, *others],
        "exemptions": list(s["sc_t_lists"]) + ([] if isinstance(prefixes, str) else prefixes),
        "elasticities": {
            "substitution": "data" if s["sc_t_sigma_data"] else s["sc_t_sigma"],
            "supply": s["sc_t_supply"],
            "import_demand": "data" if s["sc_t_eta_data"] else s["sc_t_eta"],
        },
    }


def _purchase_from_form() -> dict[str, Any]:
    s = st.session_state
    increase: dict[str, Any] = {
        "close": {"close_balance": True},
        "percent": {"percent": s["sc_p_value"]},
        "amount": {"amount_usd": s["sc_p_value"] * BILLION},
    }[s["sc_p_mode"]]
    increase["chapters"] = _codes(s["sc_p_chapters"])
    return {
        "kind": "purchase",
        "name": s["sc_p_name"],
        "buyer": s["sc_p_buyer"],
        "seller": s["sc_p_seller"],
        "year": int(s["sc_p_year"]),
        "increase": increase,
    }


def _load_preset() -> None:
    _apply(lambda: PRESETS[st.session_state["sc_preset"]])


def _apply_json() -> None:
    _apply(lambda: json.loads(st.session_state["sc_json"]))


def _unique_name(name: str, taken: list[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _save_current() -> None:
    saved = st.session_state["sc_saved"]
    if len(saved) >= MAX_SAVED:
        st.session_state["sc_error"] = i18n.pick(
            components.lang(),
            f"Up to {MAX_SAVED} scenarios can be compared: remove one first.",
            f"Se pueden comparar hasta {MAX_SAVED} escenarios: quite uno primero.",
        )
        return
    doc = dict(st.session_state["sc_current"])
    doc["name"] = _unique_name(doc["name"], [d["name"] for d in saved])
    saved.append(doc)


def _remove_saved(index: int) -> None:
    st.session_state["sc_saved"].pop(index)


def _load_upload() -> None:
    upload = st.session_state.get("sc_upload")
    if upload is None:
        return
    try:
        document = json.loads(upload.getvalue().decode("utf-8"))
        if isinstance(document, dict) and "scenarios" in document:
            docs = [spec_to_dict(parse_spec(d)) for d in document["scenarios"]][:MAX_SAVED]
            st.session_state["sc_saved"] = docs
            if docs:
                _set_current(docs[0])
        else:
            _set_current(document)
        st.session_state.pop("sc_error", None)
    except (ValueError, UnicodeDecodeError) as exc:
        st.session_state["sc_error"] = f"{upload.name}: " + i18n.pick(
            components.lang(),
            f"not a JSON scenario file ({exc})",
            f"no es un archivo JSON de escenario ({exc})",
        )
    except SpecError as exc:
        st.session_state["sc_error"] = f"{upload.name}: {exc}"


# ---- presentation -----------------------------------------------------------------------------------------------

lang = components.lang()
TABS = (
    (
        "By partner",
        "By HS chapter",
        "Creation and switching",
        "Effective tariff rates",
        "Largest lines",
        "Equations",
    ),
    (
        "Por socio",
        "Por capítulo SA",
        "Creación y desvío",
        "Aranceles efectivos",
        "Líneas más grandes",
        "Ecuaciones",
    ),
)
TX: dict[str, tuple[str, str]] = {
    "title": ("Scenarios: tariffs and purchases", "Escenarios: aranceles y compras"),
    "intro": (
        "What a tariff change does to US imports by partner and product, who picks up the trade, and how much "
        "more a partner would have to buy to close a deficit. A single-market partial-equilibrium model of the "
        "WITS-SMART kind on US imports for consumption in 2024 by HS10 line and partner (US Census Bureau).",
        "Qué hace un cambio arancelario a las importaciones de EE. UU. por socio y producto, quién se queda con "
        "el comercio y cuánto más tendría que comprar un socio para cerrar un déficit. Un modelo de equilibrio "
        "parcial de un solo mercado, del tipo WITS-SMART, sobre las importaciones para consumo de EE. UU. en "
        "2024 por línea SA10 y socio (Oficina del Censo de EE. UU.).",
    ),
    "presets": ("Presets", "Escenarios predefinidos"),
    "load_preset": ("Load preset", "Cargar"),
    "build": ("Build or edit a scenario", "Construir o editar un escenario"),
    "tab_tariff": ("Tariff scenario", "Escenario arancelario"),
    "tab_purchase": ("Purchase scenario", "Escenario de compras"),
    "name": ("Name", "Nombre"),
    "change": ("Change", "Cambio"),
    "value": ("Value", "Valor"),
    "partners_all": ("Partners (empty = all)", "Socios (vacío = todos)"),
    "except": ("Except partners", "Excepto los socios"),
    "products_changed": (
        "Products changed (HS prefixes, comma-separated, or all)",
        "Productos que cambian (prefijos SA separados por comas, o all)",
    ),
    "scope": ("Market simulated (HS prefixes or all)", "Mercado simulado (prefijos SA o all)"),
    "lists": ("Exemption lists", "Listas de exenciones"),
    "prefixes": (
        "Other exempt HTS prefixes (comma-separated)",
        "Otros prefijos HTS exentos (separados por comas)",
    ),
    "sigma": ("Substitution σ", "Sustitución σ"),
    "supply": ("Export supply ε (≥ 99 = infinite)", "Oferta exportadora ε (≥ 99 = infinita)"),
    "eta_data": ("η from the bundled estimates", "η de las estimaciones incluidas"),
    "eta": ("η for every line (if not from data)", "η para todas las líneas (si no viene de los datos)"),
    "level": ("Product level", "Nivel de producto"),
    "level_hs10": ("HS10 lines (US tariff lines)", "líneas SA10 (líneas arancelarias de EE. UU.)"),
    "level_hs6": ("HS6 (as WITS-SMART)", "SA6 (como WITS-SMART)"),
    "sigma_data": (
        "σ from the bundled estimates where sensible (else the σ below)",
        "σ de las estimaciones incluidas donde tenga sentido (si no, la σ de abajo)",
    ),
    "lines_hs10": ("HS10 lines", "líneas SA10"),
    "lines_hs6": ("HS6 subheadings", "subpartidas SA6"),
    "coverage": (
        "Elasticities by share of baseline import value: ",
        "Elasticidades según su participación en el valor importado antes: ",
    ),
    "cov_one": ("one value for all lines", "un solo valor para todas las líneas"),
    "cov_own": ("own HS6 estimate", "estimación propia a SA6"),
    "cov_group": ("5-digit group median", "mediana del grupo de 5 dígitos"),
    "cov_heading": ("HS4 heading median", "mediana de la partida SA4"),
    "cov_note": (
        " (estimates in HS 1988/92 codes matched to 2024 lines: docs/scenarios.md).",
        " (estimaciones en códigos SA 1988/92 emparejadas con las líneas de 2024: docs/scenarios.md).",
    ),
    "lines_note": (
        "The {n} largest changes. Every line and partner ({rows} rows, with each line's elasticities and "
        "how they were found): the CSV below.",
        "Los {n} mayores cambios. Todas las líneas y socios ({rows} filas, con las elasticidades de cada "
        "línea y cómo se hallaron): el CSV de abajo.",
    ),
    "rates_intro": (
        "Trade-weighted tariff by partner after each step, in %: before substitution (2024 import weights) "
        "and after (the imports the model gives for the tariffs in force after that step).",
        "Arancel ponderado por comercio por socio tras cada paso, en %: antes de la sustitución (pesos de "
        "importación de 2024) y después (las importaciones que da el modelo con los aranceles vigentes "
        "tras ese paso).",
    ),
    "before_sub": ("before substitution", "antes de la sustitución"),
    "after_sub": ("after substitution", "después de la sustitución"),
    "several": (
        "This scenario has several changes: the form edits the first; edit the rest (and changes that read "
        "their rates from a bundled list) in the JSON tab.",
        "Este escenario tiene varios cambios: el formulario edita el primero; edite los demás (y los cambios "
        "que leen sus tasas de una lista incluida) en la pestaña JSON.",
    ),
    "run_tariff": ("Run this tariff scenario", "Calcular este escenario arancelario"),
    "buyer": ("Buyer (ISO3)", "Comprador (ISO3)"),
    "seller": ("Seller (ISO3)", "Vendedor (ISO3)"),
    "year": ("Year", "Año"),
    "increase_as": ("Increase as", "Aumento como"),
    "usd_bn": ("USD billion", "miles de millones de USD"),
    "pct_exports": ("% of exports", "% de las exportaciones"),
    "close_deficit": ("the whole deficit (headline balance)", "todo el déficit (balanza principal)"),
    "increase": ("Increase", "Aumento"),
    "chapters": ("HS chapters (comma-separated, or all)", "Capítulos SA (separados por comas, o all)"),
    "run_purchase": ("Run this purchase scenario", "Calcular este escenario de compras"),
    "json": ("Scenario JSON", "JSON del escenario"),
    "apply_json": ("Apply JSON", "Aplicar JSON"),
    "m_change": ("Change in US imports", "Cambio en las importaciones de EE. UU."),
    "m_switch": ("Switching between suppliers", "Desvío entre proveedores"),
    "m_revenue": ("Tariff revenue change", "Cambio en el recaudo arancelario"),
    "m_welfare": ("Net welfare (consumers + revenue)", "Bienestar neto (consumidores + recaudo)"),
    "band": (
        "Sensitivity (η and σ halved to doubled): {low} to {high}.",
        "Sensibilidad (η y σ de la mitad al doble): de {low} a {high}.",
    ),
    "switch_help": ("{share} % of imports before", "{share} % de las importaciones antes"),
    "baseline": (
        "Imports before: {base} over {lines} {level} and {partners} partners; {exempt} line-partner rows "
        "exempt.",
        "Importaciones antes: {base} en {lines} {level} y {partners} socios; {exempt} filas "
        "línea-socio exentas.",
    ),
    "focus_title_gains": (
        "Roses and coffee: who gains and who loses",
        "Rosas y café: quién gana y quién pierde",
    ),
    "focus_title_loses": (
        "Roses and coffee: every group shown loses",
        "Rosas y café: todos los grupos mostrados pierden",
    ),
    "focus_title_none": ("Roses and coffee: no change", "Rosas y café: sin cambio"),
    "focus_gains": ("Gain: {who}.", "Ganan: {who}."),
    "focus_loses": ("Lose: {who}.", "Pierden: {who}."),
    "by_partner_title": (
        "Change in US imports: the partners this scenario is about and the largest changes",
        "Cambio en las importaciones de EE. UU.: los socios del escenario y los mayores cambios",
    ),
    "by_chapter_title": (
        "Change in US imports by HS chapter",
        "Cambio en las importaciones de EE. UU. por capítulo SA",
    ),
    "x_change": (
        "change in US imports, USD million",
        "cambio en las importaciones de EE. UU., millones de USD",
    ),
    "components_title": (
        "Trade creation and switching between suppliers, by partner",
        "Creación de comercio y desvío entre proveedores, por socio",
    ),
    "creation": ("trade creation", "creación de comercio"),
    "switching": ("switching between suppliers", "desvío entre proveedores"),
    "default": ("default", "por defecto"),
    "data": ("estimated", "estimada"),
    "eq_intro": (
        "Per product *g* (HS10 line or HS6) and partner *k*: baseline imports $M_k$, tariffs $t_0 \\to t_1$, "
        "$\\rho_k = (1+t_{1k})/(1+t_{0k})$, exporters' price ratio $p_k$ (1 with infinite supply), "
        "domestic price ratio $q_k = \\rho_k p_k$:",
        "Por producto *g* (línea SA10 o SA6) y socio *k*: importaciones antes $M_k$, aranceles "
        "$t_0 \\to t_1$, $\\rho_k = (1+t_{1k})/(1+t_{0k})$, razón de precios del exportador $p_k$ (1 con "
        "oferta infinita), razón de precios interna $q_k = \\rho_k p_k$:",
    ),
    "eq_defaults": (
        "SMART solved in levels: no floor, monotone in each tariff, creation scales with η. Defaults: "
        "σ = 1.5 (or per-product estimates), ε = 99 (infinite), η from the bundled Hauk US HS6 estimates, "
        "else {eta}. See docs/scenarios.md.",
        "SMART resuelto en niveles: sin piso, monótono en cada arancel, la creación escala con η. Valores "
        "por defecto: σ = 1,5 (o estimaciones por producto), ε = 99 (infinita), η de las estimaciones de "
        "Hauk para EE. UU. a SA6, si no {eta}. Ver docs/scenarios.md.",
    ),
    "p_balance": ("Balance {year}", "Balanza {year}"),
    "p_after": ("Balance after", "Balanza después"),
    "p_needed": ("Needed to close", "Necesario para cerrar"),
    "p_needed_help": ("{pct} % of {year} exports", "{pct} % de las exportaciones de {year}"),
    "p_largest": ("Largest yearly rise on record", "Mayor aumento anual registrado"),
    "p_largest_help": (
        "in {year}; largest % rise {pct} % ({pct_year}, from a base of at least {base})",
        "en {year}; mayor aumento porcentual {pct} % ({pct_year}, desde una base de al menos {base})",
    ),
    "p_history": ("Year by year", "Año por año"),
    "p_chart": (
        "{seller}'s trade with {buyer}: history and the scenario",
        "Comercio de {seller} con {buyer}: historia y escenario",
    ),
    "p_exports": ("exports {seller} → {buyer}", "exportaciones {seller} → {buyer}"),
    "p_imports": ("imports {seller} ← {buyer}", "importaciones {seller} ← {buyer}"),
    "p_scenario": ("exports in the scenario", "exportaciones en el escenario"),
    "p_close": ("exports that close the deficit", "exportaciones que cierran el déficit"),
    "left_out": ("What the model leaves out", "Lo que el modelo deja por fuera"),
    "compare": ("Compare saved scenarios", "Comparar escenarios guardados"),
    "save": ("Save “{name}” for comparison ({n}/{max})", "Guardar «{name}» para comparar ({n}/{max})"),
    "remove": ("Remove", "Quitar"),
    "save_hint": (
        "Save up to {max} scenarios to compare them side by side: tariff scenarios with tariff scenarios, "
        "purchase scenarios with purchase scenarios.",
        "Guarde hasta {max} escenarios para compararlos: arancelarios con arancelarios, de compras con de "
        "compras.",
    ),
    "cmp_tariff": ("Tariff scenarios (USD million)", "Escenarios arancelarios (millones de USD)"),
    "cmp_purchase": ("Purchase scenarios (USD million)", "Escenarios de compras (millones de USD)"),
    "cmp_chart": (
        "Change in US imports by partner, one panel per scenario (each on its own scale)",
        "Cambio en las importaciones de EE. UU. por socio, un panel por escenario (cada uno en su escala)",
    ),
    "cmp_table": (
        "By partner, with each scenario minus the first",
        "Por socio, con cada escenario menos el primero",
    ),
    "files": ("Files", "Archivos"),
    "dl_json": ("Scenario JSON", "JSON del escenario"),
    "dl_set": ("Saved set JSON", "JSON del conjunto guardado"),
    "dl_report": ("HTML report", "Informe HTML"),
    "upload": ("Upload scenario JSON", "Subir JSON de escenario"),
    "link_note": (
        "The link in the address bar reproduces this page: the current scenario and the saved set are in it. "
        "The HTML report links to it.",
        "El enlace de la barra de direcciones reproduce esta página: contiene el escenario actual y el "
        "conjunto guardado. El informe HTML enlaza a él.",
    ),
    "csv_source": (
        "model run on US Census imports for consumption 2024 (HS10 × partner)",
        "cálculo del modelo sobre las importaciones para consumo de EE. UU. 2024 (SA10 × socio), Oficina del Censo",
    ),
    "customs": ("customs value", "valor en aduana"),
}


def tx(key: str, **values: object) -> str:
    english, spanish = TX[key]
    text = spanish if lang == "es" else english
    return text.format(**values) if values else text


def show_table(frame: pd.DataFrame, key: str | None = None, decimals: int = 1) -> None:
    """A model table in USD million, readable headers, the reader's number format, '—' where nothing applies."""
    shown = scenario_view.in_millions(frame)
    shown = shown.rename(columns={c: scenario_view.header(c, lang) for c in shown.columns})
    thousands, decimal = (".", ",") if lang == "es" else (",", ".")
    for column in shown.columns:  # the grid shows a missing number as "None": such columns become text
        if pd.api.types.is_float_dtype(shown[column]) and shown[column].isna().any():
            shown[column] = [i18n.number(v, lang, decimals) for v in shown[column]]
    numeric: list[Hashable] = [
        c
        for c in shown.columns
        if pd.api.types.is_numeric_dtype(shown[c])
        and not pd.api.types.is_bool_dtype(shown[c])
        and c != scenario_view.header("year", lang)
    ]
    styler = shown.style.format(
        precision=decimals, thousands=thousands, decimal=decimal, na_rep="—", subset=numeric
    )
    styler = styler.format(na_rep="—", subset=[c for c in shown.columns if c not in numeric])
    st.dataframe(styler, hide_index=True, key=key, width="stretch")


def money(value: object, *, sign: bool = False) -> str:
    return i18n.money(float(value), lang, sign=sign) if isinstance(value, int | float) else "—"


# ---- page -----------------------------------------------------------------------------------------------------

st.title(tx("title"))
st.write(tx("intro"))
_init_state()
if message := st.session_state.pop("sc_message", None):
    st.warning(plain(message))

partners = sorted(components.scenario_market(UNITED_STATES, 2024).partners.tolist())
countries = components.country_names()

with st.container(border=True):
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(tx("presets"), list(PRESETS), key="sc_preset", index=list(PRESETS).index(DEFAULT_PRESET),
                   format_func=lambda name: scenario_text.preset_name(name, lang))  # fmt: skip
    right.button(tx("load_preset"), on_click=_load_preset, key="sc_load_preset", width="stretch")

with st.expander(tx("build"), expanded=False):
    tariff_tab, purchase_tab, json_tab = st.tabs([tx("tab_tariff"), tx("tab_purchase"), "JSON"])
    with tariff_tab, st.form("sc_tariff_form"):
        st.text_input(tx("name"), key="sc_t_name", max_chars=120)
        a, b = st.columns(2)
        a.selectbox(
            tx("change"),
            CHANGE_KINDS,
            key="sc_t_kind",
            format_func=lambda k: CHANGE_LABELS.get(k, (k, k))[1 if lang == "es" else 0],
        )
        b.number_input(tx("value"), key="sc_t_value", step=1.0, format="%.4g")
        a.multiselect(tx("partners_all"), partners, key="sc_t_partners", format_func=components.country_label)
        b.multiselect(tx("except"), partners, key="sc_t_except", format_func=components.country_label)
        a.text_input(tx("products_changed"), key="sc_t_products")
        b.text_input(tx("scope"), key="sc_t_scope")
        a.multiselect(tx("lists"), EXEMPTION_LISTS, key="sc_t_lists")
        b.text_input(tx("prefixes"), key="sc_t_prefixes")
        a.selectbox(tx("level"), LEVELS, key="sc_t_level",
                    format_func={"hs10": tx("level_hs10"), "hs6": tx("level_hs6")}.__getitem__)  # fmt: skip
        b.checkbox(tx("sigma_data"), key="sc_t_sigma_data")
        c, d, e, f = st.columns(4)
        c.number_input(tx("sigma"), min_value=0.0, max_value=50.0, step=0.25, key="sc_t_sigma")
        d.number_input(tx("supply"), min_value=0.1, step=1.0, key="sc_t_supply")
        e.checkbox(tx("eta_data"), key="sc_t_eta_data")
        f.number_input(tx("eta"), min_value=-50.0, max_value=-0.01, step=0.25, key="sc_t_eta")
        if len(st.session_state["sc_current"].get("tariff_changes", [])) > 1:
            st.caption(tx("several"))
        st.form_submit_button(tx("run_tariff"), on_click=_apply, args=(_tariff_from_form,))
    with purchase_tab, st.form("sc_purchase_form"):
        st.text_input(tx("name"), key="sc_p_name", max_chars=120)
        a, b, c = st.columns(3)
        a.text_input(tx("buyer"), key="sc_p_buyer")
        b.text_input(tx("seller"), key="sc_p_seller")
        c.number_input(tx("year"), min_value=1960, max_value=2100, step=1, key="sc_p_year")
        a.radio(tx("increase_as"), ("amount", "percent", "close"), key="sc_p_mode", horizontal=True,
                format_func={"amount": tx("usd_bn"), "percent": tx("pct_exports"),
                             "close": tx("close_deficit")}.__getitem__)  # fmt: skip
        b.number_input(tx("increase"), min_value=0.0, step=0.5, key="sc_p_value")
        c.text_input(tx("chapters"), key="sc_p_chapters")
        st.form_submit_button(tx("run_purchase"), on_click=_apply, args=(_purchase_from_form,))
    with json_tab:
        st.text_area(tx("json"), key="sc_json", height=320)
        st.button(tx("apply_json"), on_click=_apply_json, key="sc_apply_json")

if error := st.session_state.get("sc_error"):
    st.error(plain(error))

current = st.session_state["sc_current"]
try:
    result = run(current)
except BalanzaError as exc:
    st.error(plain(str(exc)))
    st.stop()

st.subheader(
    plain(scenario_text.preset_name(result.name, lang))
)  # names and descriptions come from whoever wrote the link: text, never Markdown
if description := current.get("description"):
    st.caption(plain(scenario_text.preset_description(result.name, description, lang)))


def show_focus(result: ScenarioResult) -> None:
    """Roses and coffee: 'who gains' only where someone does."""
    focus = result.focus.copy()
    focus["group"] = [scenario_view.focus_label(row, countries, lang) for _, row in focus.iterrows()]
    gains = focus[focus["total_change_usd"] > 0.5e6]
    losses = focus[focus["total_change_usd"] < -0.5e6]
    key = (
        "focus_title_gains"
        if not gains.empty
        else ("focus_title_loses" if not losses.empty else "focus_title_none")
    )
    st.markdown(f"**{tx(key)}**")
    if not gains.empty:
        st.caption(
            tx(
                "focus_gains",
                who="; ".join(
                    f"{g} {money(v, sign=True)}"
                    for g, v in zip(gains["group"], gains["total_change_usd"], strict=True)
                ),
            )
        )
    if not losses.empty:
        st.caption(
            tx(
                "focus_loses",
                who="; ".join(
                    f"{g} {money(v, sign=True)}"
                    for g, v in zip(losses["group"], losses["total_change_usd"], strict=True)
                ),
            )
        )
    show_table(focus.drop(columns=["hs_prefix", "partners"]), key="sc_tbl_focus_top")


def show_tariff(result: ScenarioResult) -> None:
    t = result.totals
    cols = st.columns(4)
    band = tx("band", low=money(t["total_change_low_usd"]), high=money(t["total_change_high_usd"]))
    cols[0].metric(
        tx("m_change"), money(t["total_change_usd"]), help=band + " " + scenario_text.band_basis(t, lang)
    )
    cols[1].metric(
        tx("m_switch"),
        money(t["gross_diversion_usd"]),
        help=tx("switch_help", share=i18n.number(100 * t["gross_diversion_share"], lang, 3)),
    )
    cols[2].metric(tx("m_revenue"), money(t["tariff_revenue_change_usd"]))
    cols[3].metric(tx("m_welfare"), money(t["welfare_change_usd"]))
    level = tx("lines_hs10") if t["level"] == "hs10" else tx("lines_hs6")
    st.caption(
        band
        + " "
        + scenario_text.band_basis(t, lang)
        + " "
        + tx(
            "baseline",
            base=money(t["baseline_usd"]),
            lines=i18n.number(t["lines"], lang, 0),
            level=level,
            partners=t["partners"],
            exempt=i18n.number(t["rows_exempt"], lang, 0),
        )
    )
    st.caption(tx("coverage") + coverage_text(t["elasticity_coverage"]))
    switching = [n for n in result.notes if scenario_text.is_kind(n, scenario_text.SWITCHING_NOTE)]
    for note in switching:
        st.info(scenario_text.note_text(note, lang))
    st.caption(" ".join(scenario_text.notes_text([n for n in result.notes if n not in switching], lang)))
    show_focus(result)
    labels = components.country_labels()
    tabs = st.tabs(list(TABS[1 if lang == "es" else 0]))
    with tabs[0]:
        shown_partners = scenario_view.focus_partners([result], [current])
        components.show_figure(
            scenario_view.partner_panels([result], shown_partners, labels, title=tx("by_partner_title"),
                                         x_title=tx("x_change"), lang=lang),
            filename="balanza-scenario-partners", key="sc_fig_partner",
        )  # fmt: skip
        show_table(result.by_partner.drop(columns=["partner_name"], errors="ignore"), key="sc_tbl_partner")
    with tabs[1]:
        chapters = result.by_chapter.assign(label=scenario_view.chapter_labels(result.by_chapter, lang))
        fig = charts.change_bar_chart(chapters, label="label", title=tx("by_chapter_title"))
        fig.update_xaxes(title=tx("x_change"))
        components.show_figure(fig, filename="balanza-scenario-chapters", key="sc_fig_chapter")
        table = result.by_chapter.copy()
        table["description"] = [
            page_charts.chapter_label(str(c), d, width=200)[len(str(c)) + 1 :]
            for c, d in zip(table["chapter"], scenario_view.chapter_labels(table, lang), strict=True)
        ]
        show_table(table, key="sc_tbl_chapter")
    with tabs[2]:
        by_partner = result.by_partner.assign(
            partner_label=[components.country_label(p) for p in result.by_partner["partner_iso3"]]
        )
        fig = charts.components_chart(
            by_partner.assign(partner_iso3=by_partner["partner_label"]), title=tx("components_title")
        )
        for trace, name in zip(fig.data, (tx("creation"), tx("switching")), strict=False):
            trace.name = name
        fig.update_xaxes(title=i18n.t("usd_m", lang))
        components.show_figure(fig, filename="balanza-scenario-components", key="sc_fig_components")
    with tabs[3]:
        show_effective_rates(result)
    with tabs[4]:
        lines = result.top_lines.assign(
            elasticity=result.top_lines["elasticity_is_default"].map({True: tx("default"), False: tx("data")})
        )
        show_table(lines.drop(columns=["elasticity_is_default"]), key="sc_tbl_lines")
        st.caption(tx("lines_note", n=len(lines), rows=i18n.number(len(result.lines), lang, 0)))
        components.download_csv_button(
            result.lines.assign(scenario=result.name), filename="balanza-scenario-lines.csv",
            source=tx("csv_source"), valuation=tx("customs"),
            units="USD; %", filters={"scenario": result.name}, key="sc_dl_lines",
        )  # fmt: skip
    with tabs[5]:
        st.markdown(tx("eq_intro"))
        st.latex(
            r"C_k = M_k\,q_k^{\eta}\qquad X_k = \Big(\sum_j C_j\Big)\frac{C_k\,q_k^{-\sigma}}{\sum_j C_j\,q_j^{-\sigma}}"
        )
        st.latex(r"TC_k = C_k - M_k\qquad TD_k = X_k - C_k\qquad PE_k = X_k\,(p_k - 1)")
        st.latex(
            r"\ln q_k = \frac{\ln \lambda^0_g}{\varepsilon-\eta} + \frac{\varepsilon}{\varepsilon-\eta+\sigma}\ln\rho_k,\quad "
            r"\lambda^0_g = \frac{\sum_j M_j (q^0_j)^{\eta}}{\sum_j M_j (q^0_j)^{\eta-\sigma}},\ q^0_j=\rho_j^{\varepsilon/(\varepsilon-\eta+\sigma)}"
        )
        st.latex(
            r"\Delta R = \sum_k t_{1k} X_k p_k - t_{0k} M_k \qquad \Delta CS = -\sum_k (1+t_{0k})(q_k-1)\,\tfrac12(M_k+X_k)"
        )
        st.markdown(tx("eq_defaults", eta=i18n.number(DEFAULT_IMPORT_DEMAND, lang, 2)))


def coverage_text(coverage: dict[str, dict[str, float]]) -> str:
    """'η: same code 25.9 %, …; σ: …' from totals['elasticity_coverage']."""
    parts = []
    for key, symbol in (("import_demand", "η"), ("substitution", "σ")):
        shares = coverage[key]
        if shares.get("set for all lines"):
            parts.append(f"{symbol}: " + tx("cov_one"))
            continue
        names = {"same code": tx("cov_own"), "5-digit group": tx("cov_group"), "heading median": tx("cov_heading"),
                 "default": tx("default")}  # fmt: skip
        parts.append(
            f"{symbol}: "
            + ", ".join(f"{names[m]} {i18n.number(100 * shares[m], lang, 1)} %" for m in MATCHES)
        )
    return "; ".join(parts) + tx("cov_note")


def show_effective_rates(result: ScenarioResult) -> None:
    """Effective tariff rate by partner before and after each action, before and after substitution."""
    rates = result.effective_rates
    if rates.empty:
        return
    st.write(tx("rates_intro"))
    steps = rates.drop_duplicates("step")[["step", "action"]]
    wide = rates.pivot(index=["partner_iso3", "partner_name"], columns="step",
                       values=["rate_pre_substitution_pct", "rate_post_substitution_pct"])  # fmt: skip
    columns = {}
    for step, action in zip(steps["step"], steps["action"], strict=True):
        columns[f"{step}. {action}: {tx('before_sub')} (%)"] = wide[("rate_pre_substitution_pct", step)]
        if step:
            columns[f"{step}. {action}: {tx('after_sub')} (%)"] = wide[("rate_post_substitution_pct", step)]
    table = pd.DataFrame(columns).reset_index()
    order = rates[rates["step"] == 0].set_index("partner_iso3")["imports_2024_usd"]
    table = (
        table.assign(_w=table["partner_iso3"].map(order))
        .sort_values("_w", ascending=False)
        .drop(columns="_w")
    )
    table = table.drop(columns=["partner_name"]).rename(columns={"partner_iso3": "partner"})
    table["partner"] = [components.country_label(p) for p in table["partner"]]
    show_table(table, key="sc_tbl_rates", decimals=2)
    components.download_csv_button(
        rates.assign(scenario=result.name), filename="balanza-scenario-effective-rates.csv",
        source=tx("csv_source"), valuation=tx("customs"),
        units="%; USD", filters={"scenario": result.name}, key="sc_dl_rates",
    )  # fmt: skip


def show_purchase(result: ScenarioResult) -> None:
    t = result.totals
    cols = st.columns(4)
    cols[0].metric(tx("p_balance", year=t["year"]), money(t["balance_before_usd"]))
    cols[1].metric(tx("p_after"), money(t["balance_after_usd"]), delta=money(t["increase_usd"], sign=True))
    cols[2].metric(
        tx("p_needed"),
        money(t["needed_to_close_usd"]),
        help=tx("p_needed_help", pct=i18n.number(t["needed_pct_of_exports"] or 0, lang, 0), year=t["year"]),
    )
    if t["largest_growth_usd"] is not None:
        cols[3].metric(
            tx("p_largest"),
            money(t["largest_growth_usd"]),
            help=tx(
                "p_largest_help",
                year=t["largest_growth_usd_year"],
                pct=i18n.number(t["largest_growth_pct"], lang, 0),
                pct_year=t["largest_growth_pct_year"],
                base=money(t["largest_growth_pct_min_base_usd"]),
            ),
        )
    for note in scenario_text.notes_text(result.notes, lang, countries):
        st.info(note)
    history = pd.DataFrame(result.extra["history"])
    spec = result.spec
    assert isinstance(spec, PurchaseScenario), "show_purchase shows purchase scenarios"
    seller, buyer = countries.get(spec.seller, spec.seller), countries.get(spec.buyer, spec.buyer)
    fig = charts.purchase_chart(history, t, seller=spec.seller, buyer=spec.buyer)
    names = [
        tx("p_exports", seller=seller, buyer=buyer),
        tx("p_imports", seller=seller, buyer=buyer),
        tx("p_scenario"),
        tx("p_close"),
    ]
    for trace, name in zip(fig.data, names, strict=False):
        trace.name = name
    fig.update_layout(title_text=tx("p_chart", seller=seller, buyer=buyer))
    fig.update_xaxes(title=tx("year"))
    fig.update_yaxes(title=tx("usd_bn"))
    components.show_figure(fig, filename="balanza-scenario-purchase", key="sc_fig_purchase")
    with st.expander(tx("p_history")):
        show_table(history, key="sc_tbl_history")


if result.spec.kind == "tariff":
    show_tariff(result)
else:
    show_purchase(result)

with st.container(border=True):
    st.markdown(f"**{tx('left_out')}**")
    st.markdown("\n".join(f"- {item}" for item in scenario_text.left_out(result.left_out, lang)))

# ---- save and compare: like with like ---------------------------------------------------------------------------

st.subheader(tx("compare"))
saved = st.session_state["sc_saved"]
st.button(
    tx("save", name=plain(result.name), n=len(saved), max=MAX_SAVED),
    on_click=_save_current, key="sc_save", disabled=len(saved) >= MAX_SAVED,
)  # fmt: skip
if saved:
    columns = st.columns(MAX_SAVED)
    for i, doc in enumerate(saved):
        with columns[i]:
            st.markdown(f"**{i + 1}.** {plain(doc['name'])}")
            st.button(tx("remove"), key=f"sc_remove_{i}", on_click=_remove_saved, args=(i,))
    saved_pairs = []
    for doc in saved:
        try:
            saved_pairs.append((doc, run(doc)))
        except BalanzaError as exc:
            st.error(plain(f"{doc['name']}: {exc}"))
    for kind, heading in (("tariff", "cmp_tariff"), ("purchase", "cmp_purchase")):
        pairs = [(d, r) for d, r in saved_pairs if r.spec.kind == kind]
        if not pairs:
            continue
        results = [r for _, r in pairs]
        st.markdown(f"**{tx(heading)}**")
        headlines = scenario_view.headline_table(results, lang)
        show_table(headlines, key=f"sc_tbl_headlines_{kind}", decimals=1)
        if kind == "tariff":
            shown_partners = scenario_view.focus_partners(results, [d for d, _ in pairs])
            components.show_figure(
                scenario_view.partner_panels(
                    results,
                    shown_partners,
                    components.country_labels(),
                    title=tx("cmp_chart"),
                    x_title=tx("x_change"),
                    lang=lang,
                ),
                filename="balanza-scenario-comparison",
                key="sc_fig_compare",
            )
            comparison = partner_comparison(results, countries)
            with st.expander(tx("cmp_table")):
                show_table(
                    comparison.rename(columns={c: c + "_usd" for c in comparison.columns[2:]}),
                    key="sc_tbl_compare",
                )
else:
    st.caption(tx("save_hint", max=MAX_SAVED))

# ---- files -----------------------------------------------------------------------------------------------------

_sync_url()
report_url = components.view_url(page="scenarios")  # the exact view: this page, this scenario, this saved set
st.subheader(tx("files"))
report_results = [run(doc) for doc in saved] if saved else [result]
a, b, c, d = st.columns(4)
with a:
    st.download_button(
        tx("dl_json"), data=json.dumps(current, indent=2, ensure_ascii=False), file_name="balanza-scenario.json",
        mime="application/json", key="sc_dl_json", on_click="ignore", icon=":material/download:",
    )  # fmt: skip
    if saved:
        st.download_button(
            tx("dl_set"), data=json.dumps({"scenarios": saved}, indent=2, ensure_ascii=False),
            file_name="balanza-scenarios.json", mime="application/json", key="sc_dl_set", on_click="ignore",
        )  # fmt: skip
with b:
    csv_frame = result.by_partner.assign(scenario=result.name)
    components.download_csv_button(
        csv_frame, filename="balanza-scenario-by-partner.csv", source=tx("csv_source"), valuation=tx("customs"),
        units="USD", filters={"scenario": result.name}, key="sc_dl_csv",
    )  # fmt: skip
with c:
    st.download_button(
        tx("dl_report"),
        data=lambda: comparison_report_html(report_results, country_names=countries, view_url=report_url),
        file_name="balanza-scenarios-report.html", mime="text/html", key="sc_dl_report", on_click="ignore",
        icon=":material/slideshow:",
    )  # fmt: skip
    st.link_button(i18n.pick(lang, "Open this view", "Abrir esta vista"), report_url, icon=":material/link:")
with d:
    st.file_uploader(tx("upload"), type=["json"], key="sc_upload", on_change=_load_upload)

st.caption(tx("link_note"))
