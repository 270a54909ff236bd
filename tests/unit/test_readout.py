"""The one sentence under a headline number: a deficit or surplus in words, the world named as such, 'about even'
under 0.5 % of the trade, and where CIF imports sit beside a FOB/FOB balance, the sentence saying so."""

from __future__ import annotations

import pandas as pd

from dashboard import readout, units
from etl import record_balance


def test_a_balance_in_words_in_both_languages() -> None:
    deficit = readout.balance_sentence(
        "CHN", "China", -12.66, year=2024, unit=units.NOMINAL, base_year=None, lang="es"
    )
    assert deficit == "Colombia le compró a China 12,66 mil millones de USD más de lo que le vendió en 2024."
    world = readout.balance_sentence(
        "WLD", "Mundo", -10.81, year=2024, unit=units.NOMINAL, base_year=None, lang="es"
    )
    assert world.startswith("Colombia le compró al mundo 10,81 mil millones")  # "a el" → "al"
    surplus = readout.balance_sentence(
        "USA", "the US", 1.5, year=2019, unit=units.CONSTANT, base_year=2024, lang="en"
    )
    assert (
        surplus == "Colombia sold USD 1.50 bn (2024 dollars) more to the US than it bought from it in 2019."
    )
    # 0.1 bn on 40 bn of trade: 0.25 % of it, about even
    even = readout.balance_sentence("ECU", "Ecuador", -0.1, year=2024, unit=units.NOMINAL, base_year=None, lang="en",
                                    trade=40.0)  # fmt: skip
    assert even == "Colombia's sales to and purchases from Ecuador were about even in 2024."
    share = readout.balance_sentence(
        "CHN", "China", -3.45, year=2024, unit=units.PCT_GDP, base_year=None, lang="es"
    )
    assert "3,45 % del PIB de Colombia" in share
    assert readout.headline(-12.657, units.NOMINAL, "es") == "−12.657 M USD"


def _wide(basis: str, valuation: str) -> pd.DataFrame:
    return pd.DataFrame({"partner_iso3": ["CHN"], "year": [2024], "export": [2.38e9], "import": [15.94e9],
                         "balance": [2.38e9 - 15.94e9 / 1.06], "basis": [basis], "import_valuation": [valuation],
                         "provisional": [False]})  # fmt: skip


def test_cif_imports_beside_a_fob_balance_are_said_to_differ_from_it() -> None:
    note = readout.cif_fob_note(_wide(record_balance.FOB_ESTIMATED, "CIF"), {"CHN": "China"}, "en", 1.06)
    assert note is not None
    assert "2024, China: exports − imports = USD -13.56 bn; balance USD -12.66 bn." in note
    assert "imports CIF ÷ 1.06" in note
    # a balance that is exports − imports as drawn (the mixed alternative, or FOB imports) needs no such sentence
    assert readout.cif_fob_note(_wide(record_balance.MIXED, "CIF"), {"CHN": "China"}, "en", 1.06) is None
    assert (
        readout.cif_fob_note(_wide(record_balance.FOB_ESTIMATED, "FOB"), {"CHN": "China"}, "en", 1.06) is None
    )
