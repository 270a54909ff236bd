"""Pure presentation helpers: number formats, publisher names, the balance split and the product search."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import balance_split, i18n, products


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


CODES = pd.DataFrame(
    {
        "hs_code": ["06", "0603", "060311", "060312", "09", "0901", "090111", "84"],
        "hs_level": [2, 4, 6, 6, 2, 4, 6, 2],
        "description": [
            "Trees and other plants, live",
            "Flowers; cut flowers and flower buds",
            "Flowers, cut; roses, fresh",
            "Flowers, cut; carnations, fresh",
            "Coffee, tea, mate and spices",
            "Coffee, whether or not roasted",
            "Coffee; not roasted",
            "Machinery and mechanical appliances",
        ],
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rosas", ["060311"]),
        ("Café", ["0901"]),
        ("flores", ["0603"]),
        ("roses", ["060311"]),
        ("09.01", ["0901", "090111"]),
        (
            "máquinas",
            ["84"],
        ),  # DANE's Spanish chapter name "Reactores nucleares, calderas, máquinas y partes"
        ("coffee roasted", ["0901", "090111"]),
    ],
)
def test_search_finds_codes_in_both_languages(text: str, expected: list[str]) -> None:
    assert products.search(CODES, text)["hs_code"].tolist() == expected


def test_every_chapter_has_a_label_including_national_chapters() -> None:
    assert "Special classification" in products.describe("98", None, "en")
    assert products.describe("98", None, "es").startswith("Disposiciones")
    assert products.describe("84", "Machinery", "es").startswith("Reactores nucleares")
    assert products.describe("0901", "Coffee", "es") == "Coffee"  # no Spanish text published in the bundle
