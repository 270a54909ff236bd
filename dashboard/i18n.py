"""English and Spanish labels (the table of them: dashboard/i18n_labels.py), publisher names, column labels and
number formats.

The language lives in the URL (``lang=en|es``). Pure: no Streamlit. Every text a page shows comes from
here, so a test can render each page in both languages and find no string of the other one.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping

import pandas as pd

from dashboard.i18n_labels import LABELS
from etl.record import FLAG_CHECK, FLAG_NOT_COMPARABLE, FLAG_PROVISIONAL, caveat_flags, caveat_reasons
from etl.schema import BILLION, MILLION

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The label for ``key`` in ``lang``, formatted with ``values``. Unknown keys raise KeyError."""
    english, spanish = LABELS[key]
    text = spanish if lang == "es" else english
    return text.format(**values) if values else text


def pick(lang: str, english: str, spanish: str) -> str:
    """One of two texts written side by side in a page (for texts used once)."""
    return spanish if lang == "es" else english


# ---- publishers -------------------------------------------------------------------------------------------------
# trade.source code -> the publisher's own name, as a reader would cite it (English, Spanish).
PUBLISHERS: dict[str, tuple[str, str]] = {
    "imf_dots": (
        "IMF, Direction of Trade Statistics",
        "FMI, Estadísticas de la Dirección del Comercio (DOTS)",
    ),
    "imf_dots_dbnomics": (
        "IMF, Direction of Trade Statistics (2026 vintage, via DBnomics)",
        "FMI, Estadísticas de la Dirección del Comercio (DOTS, versión de 2026, vía DBnomics)",
    ),
    "us_census_general": (
        "US Census Bureau (general imports, total exports)",
        "Oficina del Censo de EE. UU. (importaciones generales, exportaciones totales)",
    ),
    "us_census_consumption": (
        "US Census Bureau (imports for consumption, HS10)",
        "Oficina del Censo de EE. UU. (importaciones para consumo, SA10)",
    ),
    "dian": ("DIAN / DANE (exports by destination)", "DIAN / DANE (exportaciones por destino)"),
    "dane_imports": ("DANE / DIAN (imports by origin, CIF)", "DANE / DIAN (importaciones por origen, CIF)"),
    "dane": ("DANE", "DANE"),
    "comtrade": ("UN Comtrade (as reported by the country)", "UN Comtrade (según el país informante)"),
    "gacc": ("China Customs (GACC)", "Aduanas de China (GACC)"),
    "published": ("Printed figures (DANE and others, as quoted)", "Cifras impresas (DANE y otros, citadas)"),
    "us_census_hs2": (
        "US Census Bureau (imports for consumption, HS chapters)",
        "Oficina del Censo de EE. UU. (importaciones para consumo, capítulos SA)",
    ),
    "model": ("Balanza model run", "Ejecución del modelo de Balanza"),
}


# The same publishers named short, where a chart labels many series (the coverage map's rows).
SHORT_PUBLISHERS: dict[str, tuple[str, str]] = {
    "imf_dots": ("IMF (DOTS)", "FMI (DOTS)"),
    "imf_dots_dbnomics": ("IMF (DOTS, 2026 vintage)", "FMI (DOTS, versión de 2026)"),
    "us_census_general": ("US Census, general", "Censo de EE. UU., generales"),
    "us_census_consumption": ("US Census, consumption", "Censo de EE. UU., consumo"),
    "us_census_hs2": ("US Census, consumption", "Censo de EE. UU., consumo"),
    "dian": ("DIAN / DANE", "DIAN / DANE"),
    "dane_imports": ("DANE imports", "DANE, importaciones"),
    "comtrade": ("UN Comtrade", "UN Comtrade"),
    "gacc": ("China Customs (GACC)", "Aduanas de China (GACC)"),
    "published": ("Printed figures", "Cifras impresas"),
}


def short_publisher(source: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A publisher's short name (the full one where none is listed)."""
    pair = SHORT_PUBLISHERS.get(source)
    return (pair[1] if lang == "es" else pair[0]) if pair else publisher(source, lang)


def publisher(source: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """The publisher's name for a source code; 'a / b' (a balance of two series) names both."""
    if source is None or (isinstance(source, float) and math.isnan(source)):
        return "—"
    parts = [p.strip() for p in str(source).split(" / ")]
    names = []
    for part in parts:
        pair = PUBLISHERS.get(part)
        names.append((pair[1] if lang == "es" else pair[0]) if pair else part)
    return " + ".join(dict.fromkeys(names))


# The series of record names publishers in English (etl.record.SOURCE_PUBLISHERS, citations "X, as printed by
# Y", basis labels): their Spanish wording, phrase by phrase, longest first.
RECORD_PHRASES_ES: dict[str, str] = {
    "DANE (DIAN export records)": "DANE (registros de exportación de la DIAN)",
    "DANE (import annex, DANE/DIAN)": "DANE (anexo de importaciones, DANE/DIAN)",
    "General Administration of Customs of China (GACC)": "Administración General de Aduanas de China (GACC)",
    "IMF Direction of Trade Statistics (2026 vintage, via DBnomics)": (
        "FMI, Estadísticas de la Dirección del Comercio (versión de 2026, vía DBnomics)"
    ),
    "IMF Direction of Trade Statistics": "FMI, Estadísticas de la Dirección del Comercio",
    "US Census Bureau": "Oficina del Censo de EE. UU.",
    "UN Comtrade (reported by ": "UN Comtrade (informado por ",
    "not stated": "no indicado",
    "not comparable with earlier years: ": "no comparable con años anteriores: ",
    "DIAN withholds destinations from 2025": "la DIAN reserva destinos desde 2025",
    "partial year (": "año parcial (",
    " months)": " meses)",
    "provisional": "provisional",
    "exports: ": "exportaciones: ",
    "imports: ": "importaciones: ",
    "below the FOB estimate": "por debajo de la estimación FOB",
    "above the FOB estimate": "por encima de la estimación FOB",
    ", as printed by ": ", según lo impreso por ",
    "'s trade balance: ": ": balanza comercial, ",
    "(official)": "(oficial)",
    "(CIF converted to FOB: an estimate)": "(CIF convertido a FOB: una estimación)",
    "(IMF's CIF/FOB factor: an estimate)": "(factor CIF/FOB del FMI: una estimación)",
    "(mixed valuation, not a trade balance basis)": "(valoración mixta, no es una base de balanza comercial)",
    "Colombia's exports, all partners": "Exportaciones de Colombia, todos los socios",
    "Colombia's imports, all partners": "Importaciones de Colombia, todos los socios",
    "Colombia's balance with the World: ": "Balanza de Colombia con el mundo: ",
    " ÷ trade with all partners, ": " ÷ comercio con todos los socios, ",
    ", all partners": ", todos los socios",
}
RECORD_PATTERNS_ES = (
    (re.compile(r"\bexports (FOB|CIF)"), r"exportaciones \1"),
    (re.compile(r"\bimports (FOB|CIF)"), r"importaciones \1"),
    (
        re.compile(r"\(CIF/FOB factor from DANE's own (\d{4}) figures: an estimate\)"),
        r"(factor CIF/FOB de las propias cifras del DANE de \1: una estimación)",
    ),
    (re.compile(r"÷ (\d+)\.(\d+)"), r"÷ \1,\2"),  # the CIF/FOB factor: '÷ 1.06' → '÷ 1,06'
    (re.compile(r" via (UN Comtrade|IMF)"), r" vía \1"),  # 'DANE via UN Comtrade'
)


# The short flag in a table cell (etl.record.caveat_flags); the reasons go in a footnote (flag_note).
FLAG_WORDS: dict[str, tuple[str, str]] = {
    FLAG_PROVISIONAL: ("provisional", "provisional"),
    FLAG_NOT_COMPARABLE: ("not comparable", "no comparable"),
    FLAG_CHECK: ("off estimate", "lejos de la estimación"),
}
FLAG_MEANINGS: dict[str, tuple[str, str]] = {
    FLAG_PROVISIONAL: ("the publisher may still revise it (a provisional year, or part of a year)",
                       "el publicador aún puede revisarla (un año provisional, o parte de un año)"),
    FLAG_NOT_COMPARABLE: ("not comparable with earlier years", "no comparable con años anteriores"),
    FLAG_CHECK: ("a printed official balance far from the FOB estimate", "una balanza oficial impresa lejos de "
                 "la estimación FOB"),
}  # fmt: skip


def flag_short(caveat: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """A figure's flags as short words for a table cell ('provisional, not comparable'); '' when none."""
    index = 1 if lang == "es" else 0
    return ", ".join(FLAG_WORDS[f][index] for f in caveat_flags(caveat))


def flag_of(provisional: object, comparable: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """The short flag of a figure from its two flags (a claim card's number row): 'provisional', 'not comparable'."""
    index = 1 if lang == "es" else 0
    flags = [
        f
        for f, on in ((FLAG_PROVISIONAL, provisional is True), (FLAG_NOT_COMPARABLE, comparable is False))
        if on
    ]
    return ", ".join(FLAG_WORDS[f][index] for f in flags)


def flag_note(caveats: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """The footnote that says what the short flags of these figures mean and why ('' when none is flagged):
    each flag once, with the reasons the records give (e.g. DIAN withholding destinations from 2025)."""
    index = 1 if lang == "es" else 0
    texts = [c for c in (caveats if isinstance(caveats, list | tuple | pd.Series) else [caveats]) if c]
    parts = []
    for flag in (FLAG_PROVISIONAL, FLAG_NOT_COMPARABLE, FLAG_CHECK):
        flagged = [t for t in texts if flag in caveat_flags(t)]
        if not flagged:
            continue
        reasons: list[str] = []
        for text in flagged:
            for reason in caveat_reasons(text):
                if (
                    caveat_flags(reason) == (flag,) and flag == FLAG_NOT_COMPARABLE
                ):  # the others: per row (CSV)
                    reasons.append(record_text(reason.split(": ", 1)[-1], lang))
        said = "; ".join(dict.fromkeys(reasons))
        parts.append(
            f"{FLAG_WORDS[flag][index]}: {FLAG_MEANINGS[flag][index]}" + (f" ({said})" if said else "")
        )
    if not parts:
        return ""
    return ("Advertencias — " if lang == "es" else "Flags — ") + "; ".join(parts) + "."


def record_text(text: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """A publisher, citation or basis label from the series of record, in ``lang`` (English as it is)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return "—"
    out = str(text)
    if lang == "es":
        for english in sorted(RECORD_PHRASES_ES, key=len, reverse=True):
            out = out.replace(english, RECORD_PHRASES_ES[english])
        for pattern, spanish in RECORD_PATTERNS_ES:
            out = pattern.sub(spanish, out)
    return out


# ---- columns ------------------------------------------------------------------------------------------------------
# internal column name -> (English, Spanish) header. Code columns keep their codes as values.
COLUMNS: dict[str, tuple[str, str]] = {
    "partner_iso3": ("Partner (ISO3)", "Socio (ISO3)"),
    "reporter_iso3": ("Reporter (ISO3)", "Informante (ISO3)"),
    "partner": ("Partner", "Socio"),
    "reporter": ("Reporter", "Informante"),
    "year": ("Year", "Año"),
    "flow": ("Flow", "Flujo"),
    "measure": ("Measure", "Medida"),
    "value": ("Value", "Valor"),
    "value_usd": ("Value (USD)", "Valor (USD)"),
    "value_usd_m": ("Value (USD m)", "Valor (millones de USD)"),
    "source": ("Publisher", "Publicador"),
    "publisher": ("Publisher", "Publicador"),
    "valuation": ("Valuation", "Valoración"),
    "months_covered": ("Months covered", "Meses cubiertos"),
    "hs_code": ("HS code", "Código SA"),
    "hs_level": ("HS digits", "Dígitos SA"),
    "description": ("Description", "Descripción"),
    "share_pct": ("Share (%)", "Participación (%)"),
    "export": ("Exports", "Exportaciones"),
    "import": ("Imports", "Importaciones"),
    "balance": ("Balance", "Balanza"),
    "export_source": ("Exports: publisher", "Exportaciones: publicador"),
    "import_source": ("Imports: publisher", "Importaciones: publicador"),
    "export_valuation": ("Exports: valuation", "Exportaciones: valoración"),
    "import_valuation": ("Imports: valuation", "Importaciones: valoración"),
    "chapter": ("HS chapter", "Capítulo SA"),
    "change": ("Change", "Cambio"),
    "detail": ("Detail", "Detalle"),
    "years": ("Years", "Años"),
    "rows": ("Rows", "Filas"),
    "dataset": ("Dataset", "Conjunto de datos"),
    "file": ("File", "Archivo"),
    "units": ("Units", "Unidades"),
    "filters": ("Filters", "Filtros"),
    "generated_at": ("Generated at (UTC)", "Generado (UTC)"),
    "view_url": ("Link to this view", "Enlace a esta vista"),
    "provisional": ("Provisional", "Provisional"),
    "comparable": ("Comparable with earlier years", "Comparable con años anteriores"),
    "flag": ("Flags (provisional, not comparable)", "Advertencias (provisional, no comparable)"),
    "caveat": ("Flags (provisional, not comparable)", "Advertencias (provisional, no comparable)"),
    "flag_note": ("Flags: why", "Advertencias: por qué"),
    "basis_label": ("Balance: basis", "Balanza: base"),
    "balance_publisher": ("Balance: publisher", "Balanza: publicador"),
    "alt_balance": ("Alternative balance", "Balanza alternativa"),
    "alt_basis_label": ("Alternative: basis", "Alternativa: base"),
    "export_publisher": ("Exports: publisher", "Exportaciones: publicador"),
    "import_publisher": ("Imports: publisher", "Importaciones: publicador"),
    "denominator": ("Share of (denominator)", "Participación en (denominador)"),
    # the Peers page's tables
    "country": ("Country", "País"),
    "indicator": ("Indicator", "Indicador"),
    "value_pct": ("Value (%)", "Valor (%)"),
    "numerator_usd": ("Numerator (USD)", "Numerador (USD)"),
    "denominator_usd": ("Denominator (USD)", "Denominador (USD)"),
    "basis": ("Basis", "Base"),
    "numerator_publisher": ("Numerator: publisher", "Numerador: publicador"),
    "denominator_publisher": ("Denominator: publisher", "Denominador: publicador"),
    "rank": ("Rank", "Puesto"),
    "export_chn": ("Exports to China (%)", "Exportaciones a China (%)"),
    "export_usa": ("Exports to the US (%)", "Exportaciones a EE. UU. (%)"),
    "import_chn": ("Imports from China (%)", "Importaciones desde China (%)"),
    "import_usa": ("Imports from the US (%)", "Importaciones desde EE. UU. (%)"),
    "balance_chn": ("Balance with China (% of trade)", "Balanza con China (% del comercio)"),
    "overtaken_year": ("China ahead from", "China por delante desde"),
    "status": ("Status", "Situación"),
    "last_year": ("Latest year compared", "Último año comparado"),
    "china_share_last": ("China's share then (%)", "Participación de China entonces (%)"),
    "us_share_last": ("US share then (%)", "Participación de EE. UU. entonces (%)"),
    "reporter_usd": ("Country's figure", "Cifra del país"),
    "reporter_valuation": ("Country: valuation", "País: valoración"),
    "reporter_publisher": ("Country: publisher", "País: publicador"),
    "partner_usd": ("Partner's figure", "Cifra del socio"),
    "partner_valuation": ("Partner: valuation", "Socio: valoración"),
    "partner_publisher": ("Partner: publisher", "Socio: publicador"),
    "gap_pct": ("Difference as valued (%)", "Diferencia según valoración (%)"),
    "gap_fob_pct": ("Difference, CIF converted to FOB (%)", "Diferencia, CIF convertido a FOB (%)"),
    "years_compared": ("Years compared", "Años comparados"),
    "median_gap_pct": ("Median difference as valued (%)", "Diferencia mediana según valoración (%)"),
    "median_gap_fob_pct": (
        "Median difference, CIF converted to FOB (%)",
        "Diferencia mediana, CIF convertido a FOB (%)",
    ),
    "coverage_pct": ("Coverage of the total (%)", "Cobertura del total (%)"),
    "note": ("Note", "Nota"),
    "licence": ("Licence", "Licencia"),
    "publisher_cited": ("Publisher", "Publicador (como se cita, en el original)"),
    "description_cited": ("Description", "Descripción (en inglés, como la cita el manifiesto de datos)"),
    "licence_cited": ("Licence", "Licencia (como se cita, en el original)"),
    "series": ("Series", "Serie"),
    "origin": ("Origin", "Origen"),
    "path": ("File", "Archivo"),
    "perspective": ("Reported by", "Según"),
    "row_count": ("Rows", "Filas"),
    "loaded_at": ("Loaded at (UTC)", "Cargado el (UTC)"),
    "vintage": ("Vintage", "Versión"),
    "revises_rows": ("Revises (rows of earlier releases)", "Revisa (filas de versiones anteriores)"),
    "superseded_rows": (
        "Superseded (rows a later release replaced)",
        "Sustituidas (filas que reemplazó una versión posterior)",
    ),
    "claim_id": ("Claim no.", "N.º de afirmación"),
    "verdict": ("Verdict", "Veredicto"),
    "unit": ("Unit", "Unidad"),
    "scenario": ("Scenario", "Escenario"),
}


def column(name: str, lang: str = DEFAULT_LANGUAGE, unit: str | None = None) -> str:
    """The header for an internal column name, with its unit when given: 'Balance (USD bn)'."""
    pair = COLUMNS.get(name)
    label = (pair[1] if lang == "es" else pair[0]) if pair else name
    return f"{label} ({unit})" if unit else label


def with_headers(frame: pd.DataFrame, lang: str, units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with readable headers in ``lang`` (codes stay as values)."""
    units = units or {}
    return frame.rename(columns={c: column(c, lang, units.get(c)) for c in frame.columns})


# ---- numbers ------------------------------------------------------------------------------------------------------


def number(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 2) -> str:
    """'13,559.20' (English) or '13.559,20' (Spanish); never '-0.00'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no negative zero
    text = f"{rounded:,.{decimals}f}"
    if lang == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def signed(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 2) -> str:
    text = number(value, lang, decimals)
    return (
        text if text.startswith("-") or text in ("—",) or float(round(value, decimals)) == 0 else "+" + text
    )


def money(value_usd: float, lang: str = DEFAULT_LANGUAGE, *, sign: bool = False) -> str:
    """A dollar amount rounded to fit its size: 'USD 13.56 bn', 'USD 245.3 m', 'USD 12.4 thousand'
    (Spanish: '13,56 mil millones de USD', '245,3 millones de USD', '12,4 mil USD'). Never '-0.0 bn'."""
    if value_usd is None or (isinstance(value_usd, float) and math.isnan(value_usd)):
        return "—"
    size = abs(float(value_usd))
    fmt = signed if sign else number
    if size >= BILLION:
        text = fmt(value_usd / BILLION, lang, 2)
        return f"{text} mil millones de USD" if lang == "es" else f"USD {text} bn"
    if size >= MILLION:
        text = fmt(value_usd / MILLION, lang, 1)
        return f"{text} millones de USD" if lang == "es" else f"USD {text} m"
    if size >= 1e3:
        text = fmt(value_usd / 1e3, lang, 1)
        return f"{text} mil USD" if lang == "es" else f"USD {text} thousand"
    text = fmt(value_usd, lang, 0)
    return f"{text} USD" if lang == "es" else f"USD {text}"


def money_compact(value_usd: float, lang: str = DEFAULT_LANGUAGE, *, sign: bool = False) -> str:
    """A dollar amount short enough for a headline tile: 'USD −2.08 bn', 'USD 245.3 m'; in Spanish in millions
    with the thousands point, as Colombian statistics write them: '−2.080 M USD', '245,3 M USD' (M = millones;
    'mil millones' would not fit). Never '-0.0'."""
    if value_usd is None or (isinstance(value_usd, float) and math.isnan(value_usd)):
        return "—"
    size = abs(float(value_usd))
    fmt = signed if sign else number
    if lang != "es":
        return money(value_usd, lang, sign=sign).replace("-", "−")
    if size >= 10 * BILLION:
        text = fmt(value_usd / MILLION, lang, 0)
    elif size >= MILLION:
        text = fmt(value_usd / MILLION, lang, 1 if size < BILLION else 0)
    elif size >= 1e3:
        return fmt(value_usd / 1e3, lang, 1).replace("-", "−") + " mil USD"
    else:
        return fmt(value_usd, lang, 0).replace("-", "−") + " USD"
    return text.replace("-", "−") + " M USD"


FILE_NAME = re.compile(
    r"(?:[\w.-]+/)*[\w.-]*[\w-]\.(?:py|md|txt|json|toml|csv|parquet|xlsx?)\b(?:\s+[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b)?"
)
PROJECT_PATH = re.compile(r"\b(?:etl|model|dashboard|docs|seeds|data|tests|tools|bench)/[\w./-]*[\w-]")
SNAKE_CASE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def without_file_names(text: object) -> str:
    """Cited provenance without the file names, paths and ids in it: 'US Census Bureau (country.xlsx, goods)' →
    'US Census Bureau (goods)', 'n_months' → 'n months'; a bracket left empty goes."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return "—"
    return _without_file_names(str(text))


@functools.lru_cache(maxsize=8192)
def _without_file_names(text: str) -> str:
    """:func:`without_file_names` of a text, kept: pages word the same provenance texts on every run."""
    out = FILE_NAME.sub("", text)
    out = PROJECT_PATH.sub("", out)
    out = SNAKE_CASE.sub(lambda found: found.group(0).replace("_", " "), out)
    out = re.sub(r"\(\s*[,;]?\s*", "(", out)
    out = re.sub(r"\s*[,;]?\s*\)", ")", out)
    out = re.sub(r"\s*\((?:[\s,;<>=\d]*)\)", "", out)  # a bracket with nothing left in it but '< 12'
    out = re.sub(r"\s{2,}", " ", out).strip(" ;,")
    return out or "—"


def percent(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{number(value, lang, decimals)} %"


def plotly_separators(lang: str) -> str:
    """plotly's layout.separators: decimal mark then thousands mark."""
    return ",." if lang == "es" else ".,"


# Comtrade's historic and special areas, which the UN's list of countries (data/raw/reference/country-codes) has
# no Spanish name for: iso3 -> (English, Spanish).
AREA_NAMES: dict[str, tuple[str, str]] = {
    "A49": ("Caribbean, not elsewhere specified", "Caribe, no especificado"),
    "A59": (
        "North and Central America, not elsewhere specified",
        "América del Norte y Central, no especificado",
    ),
    "A79": ("Rest of America, not elsewhere specified", "Resto de América, no especificado"),
    "ANT": ("Netherlands Antilles (until 2010)", "Antillas Neerlandesas (hasta 2010)"),
    "ATB": ("British Antarctic Territory", "Territorio Antártico Británico"),
    "CSK": ("Czechoslovakia (until 1992)", "Checoslovaquia (hasta 1992)"),
    "DDR": ("German Democratic Republic (until 1990)", "República Democrática Alemana (hasta 1990)"),
    "E19": ("Other Europe, not elsewhere specified", "Otros de Europa, no especificado"),
    "E29": ("Eastern Europe, not elsewhere specified", "Europa del Este, no especificado"),
    "F19": ("Other Africa, not elsewhere specified", "Otros de África, no especificado"),
    "F49": ("Northern Africa, not elsewhere specified", "Norte de África, no especificado"),
    "F97": ("Western Asia, not elsewhere specified", "Asia Occidental, no especificado"),
    "NTZ": ("Neutral Zone", "Zona Neutral"),
    "O19": ("Oceania, not elsewhere specified", "Oceanía, no especificado"),
    "PCI": ("Pacific Islands (until 1991)", "Islas del Pacífico (hasta 1991)"),
    "PCZ": ("Panama Canal Zone (until 1977)", "Zona del Canal de Panamá (hasta 1977)"),
    "PUS": ("US Miscellaneous Pacific Islands", "Islas menores del Pacífico de EE. UU."),
    "R20": ("EFTA Europe, not elsewhere specified", "Europa de la AELC, no especificado"),
    "R91": (
        "Central American Common Market, not elsewhere specified",
        "Mercado Común Centroamericano, no especificado",
    ),
    "S19": ("Other Asia, not elsewhere specified", "Otros de Asia, no especificado"),
    "SCG": ("Serbia and Montenegro (until 2005)", "Serbia y Montenegro (hasta 2005)"),
    "SUN": ("USSR (until 1990)", "URSS (hasta 1990)"),
    "VDR": ("Democratic Republic of Vietnam (until 1974)", "República Democrática de Vietnam (hasta 1974)"),
    "X1": ("Bunkers", "Combustible de a bordo"),
    "X2": ("Free zones", "Zonas francas"),
    "XX": ("Special categories", "Categorías especiales"),
    "YMD": ("Democratic Yemen (until 1990)", "Yemen Democrático (hasta 1990)"),
    "YUG": ("Yugoslavia (until 1991)", "Yugoslavia (hasta 1991)"),
    "ZA1": (
        "Southern African Customs Union (until 1999)",
        "Unión Aduanera del África Meridional (hasta 1999)",
    ),
    "_AC": ("Africa CAMEU region, not elsewhere specified", "Región CAMEU de África, no especificado"),
    "_CI": ("Channel Islands", "Islas del Canal"),
    "_KS": ("Kosovo", "Kosovo"),
    "_MI": ("Midway Islands", "Islas Midway"),
    "_PM": ("Peninsular Malaysia (until 1963)", "Malasia Peninsular (hasta 1963)"),
    "_RI": ("Ryukyu Islands", "Islas Ryukyu"),
    "_RN": ("Rhodesia and Nyasaland (until 1964)", "Rodesia y Nyasalandia (hasta 1964)"),
    "_SH": ("Sabah (until 1963)", "Sabah (hasta 1963)"),
    "_SK": ("Sarawak", "Sarawak"),
    "_SM": ("Sikkim (until 1974)", "Sikkim (hasta 1974)"),
    "_TK": ("Tanganyika (until 1964)", "Tanganica (hasta 1964)"),
    "_WI": ("Wake Island", "Isla Wake"),
    "_ZP": ("Zanzibar and Pemba (until 1964)", "Zanzíbar y Pemba (hasta 1964)"),
}


def area_name(iso3: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The name of one of Comtrade's historic or special areas in ``lang`` (None for a code not listed)."""
    pair = AREA_NAMES.get(iso3)
    return (pair[1] if lang == "es" else pair[0]) if pair else None


FLOWS = {"export": ("Exports", "Exportaciones"), "import": ("Imports", "Importaciones")}


def flow(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    pair = FLOWS.get(code)
    return (pair[1] if lang == "es" else pair[0]) if pair else code
