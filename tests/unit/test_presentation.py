"""Pure presentation helpers: number formats, publisher names, the balance split and the product search."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from dashboard import balance_split, i18n, products
from etl.sources.reference import cn_hs_descriptions


@pytest.mark.parametrize(
    ("usd", "lang", "expected"),
    [
        (13_559_000_000, "es", "13,56 mil millones de USD"),
        (13_559_000_000, "en", "USD 13.56 bn"),
        (-40_000_000, "en", "USD -40.0 m"),  # a small effect in millions, never "USD -0.0 bn"
        (-40_000_000, "es", "-40,0 millones de USD"),
        (-20_000, "en", "USD -20.0 thousand"),
        (-0.4, "en", "USD 0"),  # no negative zero
        (2_377_000_000, "es", "2,38 mil millones de USD"),
    ],
)
def test_money_fits_the_magnitude(usd: float, lang: str, expected: str) -> None:
    assert i18n.money(usd, lang) == expected


@pytest.mark.parametrize(
    ("usd", "lang", "expected"),
    [
        (-2_080_300_000, "es", "−2.080 M USD"),  # the Scenarios tile cut off as "-2,08 mil mil…"
        (-2_080_300_000, "en", "USD −2.08 bn"),
        (-74_123_400_000, "es", "−74.123 M USD"),
        (245_340_000, "es", "245,3 M USD"),
        (-181_700_000, "es", "−181,7 M USD"),
        (12_400, "es", "12,4 mil USD"),
        (-0.4, "es", "0 USD"),
    ],
)
def test_compact_money_fits_a_headline_tile(usd: float, lang: str, expected: str) -> None:
    """At most 13 characters: a 36-px tile a quarter of a 1,400-px page wide holds about that many."""
    assert i18n.money_compact(usd, lang) == expected
    assert len(expected) <= 13


def test_numbers_in_spanish_use_a_decimal_comma_and_thousands_dots() -> None:
    assert i18n.number(1234567.891, "es") == "1.234.567,89"
    assert i18n.number(1234567.891, "en") == "1,234,567.89"
    assert i18n.number(-0.001, "es") == "0,00"
    assert i18n.number(math.nan, "es") == "—"


def test_publishers_are_named_not_coded() -> None:
    assert i18n.publisher("imf_dots", "en") == "IMF, Direction of Trade Statistics"
    assert "FMI" in i18n.publisher("imf_dots", "es")
    both = i18n.publisher("dian / published", "es")
    assert "DIAN" in both and "Cifras impresas" in both and "_" not in both


def test_every_country_of_the_reference_data_has_a_spanish_name() -> None:
    """The UN list (country-codes) names the countries in Spanish; Comtrade's historic and special areas it lacks
    ("Netherlands Antilles (...2010)") are named in i18n.AREA_NAMES, read from the bundled Comtrade areas file."""
    root = Path(__file__).resolve().parents[2] / "data" / "raw" / "reference"
    with open(root / "country-codes" / "country-codes.csv", encoding="utf-8") as handle:
        un = {row["ISO3166-1-Alpha-3"] for row in csv.DictReader(handle) if row["official_name_es"]}
    with open(root / "uncomtrade-reference" / "comtrade_partner_areas.csv", encoding="utf-8") as handle:
        comtrade = {row["iso_3"].strip() for row in csv.DictReader(handle)}
    special = {"WLD", "EUN", "EUR", "W00", "World", "_X", "XKX", ""}
    unnamed = sorted(code for code in comtrade - un - special if i18n.area_name(code, "es") is None)
    assert unnamed == []
    assert i18n.area_name("ANT", "es") == "Antillas Neerlandesas (hasta 2010)"


def test_headers_translate_and_codes_stay() -> None:
    frame = pd.DataFrame({"partner_iso3": ["CHN"], "value": [1.0]})
    out = i18n.with_headers(frame, "es", {"value": "USD"})
    assert list(out.columns) == ["Socio (ISO3)", "Valor (USD)"]
    assert out.iloc[0, 0] == "CHN"


def test_balance_split_adds_up_and_leaves_partial_years_without_parts() -> None:
    wide = pd.DataFrame(
        {
            "partner_iso3": ["CHN", "USA", "WLD", "CHN", "WLD", "USA"],
            "year": [2019, 2019, 2019, 2024, 2024, 2018],
            "balance": [-6.4, -1.2, -12.8, -13.6, -14.5, -2.0],
        }
    )
    out = balance_split.split(wide)
    assert out["year"].tolist() == [2019, 2024]  # 2018 has no World balance
    y2019 = out.iloc[0]
    assert y2019["rest"] == pytest.approx(-12.8 - (-6.4) - (-1.2))  # -5.2, by hand
    assert y2019["CHN"] + y2019["USA"] + y2019["rest"] == pytest.approx(y2019["total"])
    y2024 = out.iloc[1]  # no US balance: the total stays, the parts are not drawn
    assert y2024["total"] == pytest.approx(-14.5)
    assert math.isnan(y2024["CHN"]) and math.isnan(y2024["rest"])


RAW = Path(__file__).resolve().parents[2] / "data" / "raw" / "reference"
PICKED = (
    "06",
    "0603",
    "060311",
    "060312",
    "09",
    "0901",
    "090111",
    "0803",
    "2701",
    "2709",
    "270900",
    "4402",
    "84",
    "99",
)


def _codes() -> pd.DataFrame:
    """A few codes as query_hs_codes returns them: the English file's lines and the Spanish nomenclature's (the
    raw CSV through the loader's reading of it); 99 has no Spanish line."""
    with (RAW / "hs-nomenclature" / "harmonized-system.csv").open(encoding="utf-8", newline="") as handle:
        english = {r["hscode"]: (int(r["level"]), r["description"]) for r in csv.DictReader(handle)}
    with (RAW / "hs-nomenclature-es" / "cn2023_estructura_es.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        rows = [(r["CNKEY"], r["CN_CODE"], int(r["LEVEL"]), r["NAME_ES"]) for r in csv.DictReader(handle)]
    spanish = cn_hs_descriptions(rows)
    return pd.DataFrame(
        [
            (c, english[c][0], english[c][1], *(spanish[c][1:] if c in spanish else (None, None)))
            for c in PICKED
        ],
        columns=["hs_code", "hs_level", "description", "description_es", "heading_es"],
    )


CODES = _codes()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rosas", ["060311"]),
        ("Café", ["09", "0901", "090111"]),
        ("cafe", ["09", "0901", "090111"]),
        ("café sin tostar", ["090111"]),
        ("flores", ["0603", "060311", "060312"]),
        ("roses", ["060311"]),
        ("09.01", ["0901", "090111"]),
        ("máquinas", ["84"]),
        ("coffee roasted", ["0901", "090111"]),
        ("petroleo", ["2709", "270900"]),
        ("plátanos", ["0803"]),
        ("banano", ["0803"]),  # a Colombian word the EU text lacks (COLOMBIAN_SEARCH_WORDS)
        ("carbón", ["2701", "4402"]),  # coal by the Colombian word; charcoal by the printed text
        ("hullas", ["2701"]),
    ],
)
def test_search_finds_codes_in_both_languages(text: str, expected: list[str]) -> None:
    assert products.search(CODES, text)["hs_code"].tolist() == expected


def test_colombian_words_are_words_their_codes_spanish_text_lacks() -> None:
    """An extra search word is kept only while its code's Spanish text does not have it."""
    for word, codes in products.COLOMBIAN_SEARCH_WORDS.items():
        for code in codes:
            own = CODES[CODES["hs_code"].str.startswith(code)]
            assert not own.empty, code
            text = _fold(" ".join(own["description_es"].fillna("") + " " + own["heading_es"].fillna("")))
            assert not re.search(rf"\b{word}", text), (word, code)


def test_descriptions_in_spanish_come_from_the_nomenclature_and_gaps_are_marked() -> None:
    spanish = products.spanish_names(CODES)
    assert (
        products.describe("09", "Coffee, tea, mate and spices", "es", spanish)
        == "Café, té, yerba mate y especias"
    )
    assert products.describe("0901", "Coffee", "en", spanish) == "Coffee"
    assert products.describe("2709001000", "Oils; petroleum oils", "es", spanish) == spanish["270900"]
    assert products.describe("99", "Commodities not specified", "es", spanish) == (
        "Commodities not specified (en inglés)"
    )
    # without the nomenclature: DANE's chapter name, else the marked English text
    assert products.describe("84", "Machinery", "es").startswith("Reactores nucleares")
    assert products.describe("0901", "Coffee", "es") == "Coffee (en inglés)"
    assert "Special classification" in products.describe("98", None, "en")
    assert products.describe("98", None, "es", spanish).startswith("Disposiciones")


def test_scenario_chapters_are_named_from_the_spanish_nomenclature() -> None:
    from dashboard.scenarios import tables, view

    spanish = products.spanish_names(CODES)
    by_chapter = pd.DataFrame(
        {"chapter": ["09", "84"], "description": ["Coffee, tea, mate and spices", "Machinery"]}
    )
    table = tables.chapter_table(by_chapter, "es", spanish)
    assert table["description"].tolist() == [
        "Café, té, yerba mate y especias",
        "Reactores nucleares, calderas, máquinas, aparatos y artefactos mecánicos",  # up to the first ';'
    ]
    labels = view.chapter_labels(by_chapter, "es", spanish)
    assert labels[0].startswith("09 Café, té, yerba mate")
    assert view.chapter_labels(by_chapter, "en", spanish)[0].startswith("09 Coffee")
