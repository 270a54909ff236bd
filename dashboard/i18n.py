"""English and Spanish labels. The language lives in the URL (``lang=en|es``)."""

from __future__ import annotations

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"

# key -> (English, Spanish)
LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("Balanza: Colombia's trade with China, the US and the World",
                  "Balanza: el comercio de Colombia con China, EE. UU. y el mundo"),
    "language": ("Language", "Idioma"),
    "image_format": ("Chart download format", "Formato de descarga de gráficos"),
    "page_overview": ("Overview", "Resumen"),
    "page_balances": ("Balances", "Balanzas"),
    "page_products": ("Products", "Productos"),
    "page_dependence": ("Dependence", "Dependencia"),
    "page_coverage": ("Coverage", "Cobertura"),
    "page_data": ("Data", "Datos"),
    "download_csv": ("Download CSV", "Descargar CSV"),
    "invalid_param": ("Ignored URL parameter {name}='{value}': {reason}. Using the default.",
                      "Parámetro de URL ignorado {name}='{value}': {reason}. Se usa el valor por defecto."),
    "partners": ("Partners", "Socios"),
    "partner": ("Partner", "Socio"),
    "reporter": ("Reporter", "Informante"),
    "flow": ("Flow", "Flujo"),
    "year": ("Year", "Año"),
    "years": ("Years", "Años"),
    "source": ("Source", "Fuente"),
    "units": ("Units", "Unidades"),
    "base_year": ("Constant dollars of year", "Dólares constantes del año"),
    "unit_nominal": ("Nominal USD", "USD nominales"),
    "unit_constant": ("Constant USD (US CPI-U)", "USD constantes (IPC-U de EE. UU.)"),
    "unit_pct_gdp": ("% of Colombia's GDP", "% del PIB de Colombia"),
    "view": ("Figures as reported by", "Cifras según"),
    "view_reporter": ("Colombia (reporter)", "Colombia (informante)"),
    "view_mirror": ("the partner (mirror)", "el socio (espejo)"),
    "view_reconciled": ("the partner, CIF converted to FOB (reconciled)", "el socio, CIF convertido a FOB (conciliado)"),
    "cif_fob_factor": ("CIF/FOB factor", "Factor CIF/FOB"),
    "cif_fob_help": ("Partner CIF imports are divided by this factor. IMF: 1.06; OEC: 1.08.",
                     "Las importaciones CIF del socio se dividen por este factor. FMI: 1,06; OEC: 1,08."),
    "use_oec": ("Use OEC 1.08", "Usar OEC 1,08"),
    "use_imf": ("Use IMF 1.06", "Usar FMI 1,06"),
    "export": ("Exports", "Exportaciones"),
    "import": ("Imports", "Importaciones"),
    "balance": ("Balance", "Balanza"),
    "measure": ("Measure", "Medida"),
    "value": ("Value", "Valor"),
    "missing_years": ("No value for {series} in: {years}. Shown as a gap, not zero.",
                      "Sin valor para {series} en: {years}. Se muestra como un hueco, no como cero."),
    "no_data": ("No data for this selection.", "No hay datos para esta selección."),
    "overview_intro": ("Colombia's latest trade balance with each partner, the change on the year before, and the "
                       "source of every number (one source per observation, chosen by a stated rule).",
                       "La balanza comercial más reciente de Colombia con cada socio, el cambio frente al año "
                       "anterior y la fuente de cada cifra (una fuente por observación, elegida por una regla explícita)."),
    "selection_rule": ("Rule: Colombia's own figures come from IMF DOTS first, then DIAN (complete years only), "
                       "then published DANE figures, then UN Comtrade. Partner figures: IMF DOTS, then US Census, "
                       "then UN Comtrade, then published figures.",
                       "Regla: las cifras de Colombia vienen primero del FMI (DOTS), luego de la DIAN (solo años "
                       "completos), luego de cifras publicadas del DANE y luego de UN Comtrade. Cifras del socio: FMI "
                       "(DOTS), luego US Census, luego UN Comtrade y luego cifras publicadas."),
    "latest_balance": ("{partner}: balance {year}", "{partner}: balanza {year}"),
    "no_balance": ("{partner}: no year with both exports and imports", "{partner}: ningún año con exportaciones e importaciones"),
    "sources_of": ("Sources: exports {export}, imports {import_}", "Fuentes: exportaciones {export}, importaciones {import_}"),
    "vs_year": ("vs {year}", "frente a {year}"),
    "balances_title": ("Exports, imports and balance", "Exportaciones, importaciones y balanza"),
    "deficit_share_title": ("Share of Colombia's total trade deficit", "Participación en el déficit comercial total de Colombia"),
    "deficit_share_note": ("Share = partner balance ÷ Colombia's balance with the World, in years when Colombia ran a "
                           "deficit and both are available. World totals exist only as reported by Colombia.",
                           "Participación = balanza con el socio ÷ balanza de Colombia con el mundo, en años de déficit "
                           "con ambos datos. Los totales mundiales solo existen según Colombia."),
    "gap_title": ("Colombia's figures vs the partner's (mirror)", "Cifras de Colombia frente a las del socio (espejo)"),
    "gap_explanation": (
        "Why the two records differ: imports are valued CIF (with freight and insurance) and exports FOB; goods "
        "shipped in December may be recorded in January by the importer; importers record the country of origin "
        "while exporters record the country of consignment; goods in transit via Panamá's Colón Free Zone or "
        "re-exported through third countries are attributed differently; and some flows are confidential or "
        "withheld (for example DIAN's 'country not declared' from 2025).",
        "Por qué difieren los dos registros: las importaciones se valoran CIF (con flete y seguro) y las "
        "exportaciones FOB; lo embarcado en diciembre puede registrarse en enero por el importador; el importador "
        "registra el país de origen y el exportador el de destino; las mercancías en tránsito por la Zona Libre de "
        "Colón (Panamá) o reexportadas por terceros países se atribuyen de otro modo; y algunos flujos son "
        "confidenciales o reservados (por ejemplo el 'país no declarado' de la DIAN desde 2025)."),
    "as_reported_by_col": ("as reported by Colombia", "según Colombia"),
    "as_reported_by_partner": ("as reported by the partner", "según el socio"),
    "table": ("Table", "Tabla"),
    "products_series": ("Product-level series", "Serie con detalle de productos"),
    "treemap_title": ("Products by HS chapter and heading", "Productos por capítulo y partida del SA"),
    "top_products": ("Top products", "Principales productos"),
    "top_movers": ("Top movers between two years", "Mayores cambios entre dos años"),
    "compare_with": ("Compare with year", "Comparar con el año"),
    "one_year_only": ("This series has product detail for one year only, so there are no movers to show.",
                      "Esta serie tiene detalle de productos solo para un año; no hay cambios que mostrar."),
    "hs_search": ("Find HS codes by code or words", "Buscar códigos SA por código o palabras"),
    "no_product_data": ("The bundled data has no product detail for this selection. Available: {available}",
                        "Los datos incluidos no tienen detalle de productos para esta selección. Disponibles: {available}"),
    "dependence_title": ("US and China shares of Colombia's trade", "Participación de EE. UU. y China en el comercio de Colombia"),
    "dependence_note": ("Share = Colombia's trade with the partner ÷ Colombia's trade with the World, both as reported "
                        "by Colombia, in years when both exist.",
                        "Participación = comercio de Colombia con el socio ÷ comercio de Colombia con el mundo, ambos "
                        "según Colombia, en años con ambos datos."),
    "coverage_title": ("Which series exist for which years", "Qué series existen para qué años"),
    "coverage_note": ("Cell value: months covered (12 = full year; monthly series summed).",
                      "Valor de la celda: meses cubiertos (12 = año completo; series mensuales sumadas)."),
    "datasets": ("Datasets loaded", "Conjuntos de datos cargados"),
    "hs_level": ("HS level (0 = totals)", "Nivel SA (0 = totales)"),
    "rows_shown": ("{shown} rows shown of {total}.", "{shown} filas mostradas de {total}."),
    "data_chart_title": ("Sum of the selected rows by year", "Suma de las filas seleccionadas por año"),
    "links": ("Same filters on:", "Mismos filtros en:"),
    "db_error": ("The database cannot be opened: {error}", "No se puede abrir la base de datos: {error}"),
    "share_pct": ("Share (%)", "Participación (%)"),
    "gap_series": ("Record", "Registro"),
    "footnote_source": ("Source", "Fuente"),
    "description": ("Description", "Descripción"),
    "hs_code": ("HS code", "Código SA"),
    "change": ("Change", "Cambio"),
    "any": ("(any)", "(cualquiera)"),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The label for ``key`` in ``lang``, formatted with ``values``. Unknown keys raise KeyError."""
    english, spanish = LABELS[key]
    text = spanish if lang == "es" else english
    return text.format(**values) if values else text
