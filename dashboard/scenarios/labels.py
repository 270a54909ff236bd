"""The Scenarios page's own words in English and Spanish: labels, headings, captions, the change kinds, the
equations. (The model's words, its notes, band basis, 'left out' items and preset names, are worded by kind in
``dashboard/scenarios/model_text.py``.)

Pure data and one lookup (no Streamlit): ``text("band", "es", low=..., high=...)``.
"""

from __future__ import annotations

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
        " (estimates in HS 1988/92 codes matched to the 2024 lines).",
        " (estimaciones en códigos SA 1988/92 emparejadas con las líneas de 2024).",
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
    # One sentence under each headline figure ({amount}: its size, without sign).
    "t_change_down": (
        "US imports would fall by {amount}, {pct} of the {base} bought before.",
        "Las importaciones de EE. UU. caerían {amount}, el {pct} de los {base} comprados antes.",
    ),
    "t_change_up": (
        "US imports would rise by {amount}, {pct} of the {base} bought before.",
        "Las importaciones de EE. UU. subirían {amount}, el {pct} de los {base} comprados antes.",
    ),
    "t_change_none": ("US imports would barely change.", "Las importaciones de EE. UU. apenas cambiarían."),
    "t_switch": (
        "{amount} of purchases would move from one supplier to another ({pct} % of imports before).",
        "{amount} de compras pasarían de un proveedor a otro ({pct} % de las importaciones de antes).",
    ),
    "t_revenue_up": (
        "US tariff revenue would rise by {amount}.",
        "El recaudo arancelario de EE. UU. subiría {amount}.",
    ),
    "t_revenue_down": (
        "US tariff revenue would fall by {amount}.",
        "El recaudo arancelario de EE. UU. caería {amount}.",
    ),
    "t_revenue_none": (
        "US tariff revenue would barely change.",
        "El recaudo arancelario de EE. UU. apenas cambiaría.",
    ),
    "t_welfare_down": (
        "US consumers would lose more than the tariff revenue gained: {amount} less, net.",
        "Los consumidores de EE. UU. perderían más de lo que gana el recaudo: {amount} menos, en neto.",
    ),
    "t_welfare_up": (
        "Net US welfare (consumers plus tariff revenue) would rise by {amount}.",
        "El bienestar neto de EE. UU. (consumidores más recaudo) subiría {amount}.",
    ),
    "t_welfare_none": (
        "Net US welfare would barely change.",
        "El bienestar neto de EE. UU. apenas cambiaría.",
    ),
    "t_p_deficit": (
        "A deficit: the seller bought {amount} more from the buyer than it sold to it.",
        "Un déficit: el vendedor le compró al comprador {amount} más de lo que le vendió.",
    ),
    "t_p_surplus": (
        "A surplus: the seller sold {amount} more to the buyer than it bought from it.",
        "Un superávit: el vendedor le vendió al comprador {amount} más de lo que le compró.",
    ),
    "t_p_even": ("Sales and purchases about even.", "Ventas y compras más o menos parejas."),
    "t_p_after_deficit": (
        "With {increase} of added purchases, a deficit of {amount} remains.",
        "Con {increase} de compras adicionales, queda un déficit de {amount}.",
    ),
    "t_p_after_surplus": (
        "With {increase} of added purchases, the balance becomes a surplus of {amount}.",
        "Con {increase} de compras adicionales, la balanza pasa a un superávit de {amount}.",
    ),
    "t_p_after_even": (
        "{increase} of added purchases close the deficit.",
        "{increase} de compras adicionales cierran el déficit.",
    ),
    "t_p_needed": (
        "Closing the deficit needs added exports of {pct} % of the {year} exports.",
        "Cerrar el déficit exige exportaciones adicionales del {pct} % de las de {year}.",
    ),
    "p_largest_help_sentence": (
        "The largest rise in one year so far, in {year}.",
        "El mayor aumento en un año hasta ahora, en {year}.",
    ),
    "details": (
        "Details: sensitivity, what the baseline covers, elasticities and the model's notes",
        "Detalles: sensibilidad, qué cubre la base, elasticidades y notas del modelo",
    ),
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
        "A nested CES (Armington) system solved exactly in levels: import demand η on the price index P, σ between "
        "suppliers, export supply ε cleared in the same system; a rival's quantity moves with P^(σ−|η|). "
        "Defaults: σ = 1.5 (or per-product estimates), ε = 99 (infinite), η from the bundled Hauk US HS6 "
        'estimates, else {eta}. "method": "linear" gives WITS-SMART\'s own formulas. The model\'s documentation, published with Balanza, explains each symbol.',
        "Un sistema CES anidado (Armington) resuelto exactamente en niveles: demanda de importaciones η sobre el "
        "índice de precios P, σ entre proveedores, oferta exportable ε en el mismo sistema; la cantidad de un "
        "competidor se mueve con P^(σ−|η|). Valores por defecto: σ = 1,5 (o estimaciones por producto), ε = 99 "
        '(infinita), η de las estimaciones de Hauk para EE. UU. a SA6, si no {eta}. "method": "linear" da '
        "las fórmulas propias de WITS-SMART. La documentación del modelo, publicada con Balanza, explica cada "
        "símbolo.",
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
    "cmp_colombia": (
        "Colombia's exports to the US, before and after each scenario (USD million)",
        "Exportaciones de Colombia a EE. UU., antes y después de cada escenario (millones de USD)",
    ),
    "cmp_colombia_cells": (
        "Each scenario's column: the change in USD million (and in %).",
        "Columna de cada escenario: el cambio en millones de USD (y en %).",
    ),
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
    "dl_deck": ("Slides (PowerPoint)", "Diapositivas (PowerPoint)"),
    "dl_pdf": ("PDF report", "Informe PDF"),
    "upload": ("Upload scenario JSON", "Subir JSON de escenario"),
    "upload_help": (
        "A scenario file or a saved set (JSON, up to {mb} MB) downloaded from this page: drop it on the box or "
        "use its button.",
        "Un archivo de escenario o un conjunto guardado (JSON, hasta {mb} MB) descargado de esta página: "
        "suéltelo en el recuadro o use su botón.",
    ),
    "open_view": ("Open this view", "Abrir esta vista"),
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
    "prov_exports": ("exports: {publisher}", "exportaciones: {publisher}"),
    "prov_imports": ("imports: {publisher}", "importaciones: {publisher}"),
    "prov_balance": ("balance: {publisher}", "balanza: {publisher}"),
    "prov_basis": ("balance basis: {basis}", "base de la balanza: {basis}"),
    "units_usd_m": ("USD million; tariffs and changes in %", "millones de USD; aranceles y cambios en %"),
    "units_usd": ("USD; tariffs and changes in %", "USD; aranceles y cambios en %"),
}


def text(key: str, lang: str, **values: object) -> str:
    """The text under ``key`` in the reader's language, with ``values`` filled in."""
    english, spanish = TX[key]
    chosen = spanish if lang == "es" else english
    return chosen.format(**values) if values else chosen


def change_label(kind: str, lang: str) -> str:
    """How a change kind (``add_pp``, ``new_rate``, …) reads in the form."""
    return CHANGE_LABELS.get(kind, (kind, kind))[1 if lang == "es" else 0]


def tab_labels(lang: str) -> list[str]:
    """The result tabs of a tariff scenario, in order."""
    return list(TABS[1 if lang == "es" else 0])


# The model's equations as the Equations tab shows them (docs/scenarios.md explains each symbol).
EQUATIONS = (
    r"w_k = \frac{(1+t_{0k})M_k}{\sum_j (1+t_{0j})M_j}\qquad P^{1-\sigma} = \sum_k w_k\,q_k^{1-\sigma}",
    r"X_k = M_k\,q_k^{-\sigma}\,P^{\sigma+\eta}\qquad X_k = M_k\,p_k^{\varepsilon}",
    r"\ln P = \frac{\varepsilon+\sigma}{\varepsilon-\eta}\cdot\frac{1}{1-\sigma}\ln\sum_k w_k\,"
    r"\rho_k^{(1-\sigma)\varepsilon/(\varepsilon+\sigma)},\quad "
    r"\ln p_k = \frac{-\sigma\ln\rho_k + (\sigma+\eta)\ln P}{\varepsilon+\sigma}",
    r"TC_k = M_k\Big(\frac{\sum_j X_j}{\sum_j M_j}-1\Big)\qquad TD_k = X_k - M_k\frac{\sum_j X_j}{\sum_j M_j}"
    r"\qquad PE_k = X_k\,(p_k - 1)",
    r"\Delta R = \sum_k t_{1k} X_k p_k - t_{0k} M_k \qquad \Delta CS = -E\,\frac{P^{1+\eta}-1}{1+\eta}",
)
