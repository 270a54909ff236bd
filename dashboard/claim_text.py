"""How the Claims page words what the checks hand it, in the reader's language: the articles' quotes with a Spanish
rendering marked as such, the article named by its date instead of its file, and preset ids in the checks' sentences
replaced by the presets' names. Pure (no Streamlit).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard import i18n
from dashboard.scenarios import model_text
from etl.settings import SEEDS_DIR

# The articles' words (English, as printed; seeds/claims.toml) → a Spanish rendering, shown under the quote and
# marked "(traducción)". A quote added to claims.toml without one here fails tests/unit/test_claim_text.py.
QUOTES_ES: dict[str, str] = {
    "would allow Colombia to close its $14 billion trade deficit with China": (
        "permitiría a Colombia cerrar su déficit comercial de 14.000 millones de dólares con China"
    ),
    "practically the entire trade deficit": "prácticamente todo el déficit comercial",
    "in an attempt to decrease its dependence on the economy of the United States": (
        "en un intento por reducir su dependencia de la economía de Estados Unidos"
    ),
    "seeks to diminish Colombia’s dependency to North America": (
        "busca disminuir la dependencia de Colombia respecto de Norteamérica"
    ),
    "Petro’s rapprochement with China is a great opportunity for Ecuadorian roses and Central American coffee": (
        "el acercamiento de Petro a China es una gran oportunidad para las rosas ecuatorianas y el café "
        "centroamericano"
    ),
    "suggested that American businesses could decide to buy Colombian products elsewhere in Latin America": (
        "sugirió que las empresas estadounidenses podrían decidir comprar en otros países de América Latina los "
        "productos que hoy compran a Colombia"
    ),
    "the decision of US President Donald Trump to impose 10% tariffs on imports from the rest of the world": (
        "la decisión del presidente de EE. UU., Donald Trump, de imponer aranceles del 10 % a las importaciones "
        "del resto del mundo"
    ),
    "The rapprochement of Colombia, Brazil and Chile with China": (
        "El acercamiento de Colombia, Brasil y Chile a China"
    ),
    "we are going to talk about investments and the purchase of Colombian products": (
        "vamos a hablar de inversiones y de la compra de productos colombianos"
    ),
    "fiscal deficit would become practically zero and its capacity to pay its debt would increase by two": (
        "el déficit fiscal se volvería prácticamente cero y su capacidad de pagar su deuda se duplicaría"
    ),
    "expressed their concern about the impact of improved trade relations with China on the national economy": (
        "expresaron su preocupación por el impacto de unas relaciones comerciales más estrechas con China en la "
        "economía nacional"
    ),
    "we have already put 200,000 Colombians to death trying to prevent cocaine from reaching their territory": (
        "ya hemos puesto 200.000 colombianos muertos tratando de impedir que la cocaína llegue a su territorio"
    ),
}
TRANSLATION_MARK = "(traducción)"

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_ES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip

# Tables the checks read that have no publisher code of their own, in words (they would show as their ids).
SOURCE_WORDS: dict[str, tuple[str, str]] = {
    "published_indicators": (
        "printed fiscal figures (Ministry of Finance, IMF; as printed)",
        "cifras fiscales impresas (Ministerio de Hacienda, FMI; según lo impreso)",
    ),
    "us_tariff_timeline": (
        "effective US tariff by partner at each policy date (modelled on 2024 Census weights)",
        "arancel efectivo de EE. UU. por socio en cada fecha de política (modelado con pesos del Censo de 2024)",
    ),
}


def quote_lines(quote: str, lang: str, source: str | None = None) -> list[str]:
    """The Markdown lines of a quote: the article's words; in Spanish, under them, their rendering marked as a
    translation. ``source``: the article it comes from, when not the card's own."""
    cited = f"> “{quote}”" + (f" ({source})" if source else "")
    spanish = QUOTES_ES.get(quote)
    if lang != "es" or spanish is None:
        return [cited]
    return [cited, f"> «{spanish}» {TRANSLATION_MARK}"]


@cache
def article_dates(folder: Path = SEEDS_DIR) -> dict[str, str]:
    """Each seed article's file name → its date as the file states it (' date 2025-05-14 …' on its first line)."""
    dates = {}
    for path in folder.glob("*.txt"):
        found = re.match(r"\s*date (\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8")[:64])
        if found:
            dates[path.name] = found.group(1)
    return dates


def long_date(iso: str, lang: str) -> str:
    """'14 May 2025' / '14 de mayo de 2025'; the text as given where it is not a date."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    if lang == "es":
        return f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def article_label(article: str, lang: str, date: str | None = None) -> str:
    """'news article of 14 May 2025' / 'artículo de prensa del 14 de mayo de 2025': the article named by what a
    reader can cite, never by its file name."""
    when = date or article_dates().get(article)
    if not when:
        return i18n.pick(lang, "news article", "artículo de prensa")
    return i18n.pick(lang, "news article of ", "artículo de prensa del ") + long_date(when, lang)


def plain(text: str, lang: str, presets: Mapping[str, str] | None = None) -> str:
    """``text`` with every preset id ('colombia_10pp_more') replaced by the preset's name in ``lang`` in
    quotation marks, and the tables in SOURCE_WORDS by their words."""
    names = presets if presets is not None else preset_names(lang)
    out = text
    # Each pattern needs its id's own letters: a text without them is left as it is, without running the pattern.
    for preset, name in names.items():
        if preset in out:
            out = re.sub(rf"`?\b{re.escape(preset)}\b`?", f"«{name}»" if lang == "es" else f"“{name}”", out)
    for table, pair in SOURCE_WORDS.items():
        if table in out:
            out = re.sub(rf"\b{re.escape(table)}\b", pair[1] if lang == "es" else pair[0], out)
    return out


@cache
def preset_names(lang: str) -> dict[str, str]:
    """Every bundled preset's id → its name in ``lang``."""
    return {preset: model_text.preset_title(preset, lang) for preset in model_text.preset_ids()}


def source_words(source: str, lang: str) -> str | None:
    """A table the checks read, in words (None where the code is a publisher's)."""
    pair = SOURCE_WORDS.get(source)
    return (pair[1] if lang == "es" else pair[0]) if pair else None


# The number rows' columns the Claims page shows, in order (``value`` is the number in its unit, as words).
NUMBER_COLUMNS = ("measure", "year", "perspective", "value", "flag", "valuation", "publisher", "note")


def display_value(value: object, unit: str, lang: str) -> str:
    """A claim's number in its unit: 'USD 13.56 bn' for dollars, '12.5 %' otherwise; '—' for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if unit == "USD":
        return i18n.money(number, lang)
    return f"{i18n.number(number, lang)} {unit}"


def numbers_table(numbers: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A claim card's number rows as the Claims page shows them (``NUMBER_COLUMNS``): years as text (years and
    dates share the column), each number in its unit, the cited words without preset ids or file names, the two
    flags as one short word (the reason is in the row's note)."""
    shown = numbers.assign(
        year=numbers["year"].astype(str),
        shown=[display_value(v, u, lang) for v, u in zip(numbers["value"], numbers["unit"], strict=True)],
        **{
            column: [i18n.without_file_names(plain(str(v), lang)) for v in numbers[column]]
            for column in ("publisher", "perspective", "valuation", "note", "measure")
        },
        flag=[
            i18n.flag_of(bool(p), bool(c), lang)
            for p, c in zip(numbers["provisional"], numbers["comparable"], strict=True)
        ],
    )
    columns = [("shown" if column == "value" else column) for column in NUMBER_COLUMNS]
    return shown[columns].rename(columns={"shown": "value"})
