"""The Claims page's wording of what the checks hand it: every quote has a Spanish rendering marked as such, an
article is named by its date (never its file), preset ids become the presets' names."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from dashboard import claim_text

ROOT = Path(__file__).resolve().parents[2]


def _claims() -> list[dict]:
    return tomllib.loads((ROOT / "seeds" / "claims.toml").read_text(encoding="utf-8"))["claim"]


def test_every_quote_of_the_articles_has_a_spanish_rendering() -> None:
    quotes = {c["quote"] for c in _claims()} | {c["related_quote"] for c in _claims() if "related_quote" in c}
    assert quotes - set(claim_text.QUOTES_ES) == set()
    assert set(claim_text.QUOTES_ES) - quotes == set(), "renderings of quotes no claim has any more"


def test_a_quote_in_spanish_is_the_original_then_its_rendering_marked_as_a_translation() -> None:
    quote = "practically the entire trade deficit"
    assert claim_text.quote_lines(quote, "en") == ["> “practically the entire trade deficit”"]
    assert claim_text.quote_lines(quote, "es") == [
        "> “practically the entire trade deficit”",
        "> «prácticamente todo el déficit comercial» (traducción)",
    ]


def test_an_article_is_named_by_its_date_from_its_own_first_line() -> None:
    # the date each seed file states on its first line, read here independently
    for path in (ROOT / "seeds").glob("*.txt"):
        date = path.read_text(encoding="utf-8").split()[1]
        year, month, day = (int(part) for part in date.split("-"))
        spanish = claim_text.article_label(path.name, "es")
        assert spanish == f"artículo de prensa del {day} de {claim_text.MONTHS_ES[month - 1]} de {year}"
        assert path.stem not in spanish and path.stem not in claim_text.article_label(path.name, "en")
    assert claim_text.article_label("004_df453cfb395b6aca.txt", "en") == "news article of 14 May 2025"


def test_preset_ids_in_the_checks_sentences_become_the_presets_names() -> None:
    preset = json.loads((ROOT / "model" / "presets" / "colombia_10pp_more.json").read_text(encoding="utf-8"))
    english = claim_text.plain("In the preset colombia_10pp_more US imports fall.", "en")
    assert english == f"In the preset “{preset['name']}” US imports fall."
    spanish = claim_text.plain("En el escenario `colombia_10pp_more` y published_indicators.", "es")
    assert "colombia_10pp_more" not in spanish and "published_indicators" not in spanish
    assert "«Colombia paga 10 puntos más que sus competidores»" in spanish


def test_no_preset_description_shows_a_file_path_on_the_scenarios_page() -> None:
    """What the Scenarios page shows under a preset's name, in both languages: the description in plain words,
    its pointers to the repository's files taken out ("docs/scenarios.md", "data/raw/us-tariffs-2025-measures")."""
    from dashboard import i18n
    from dashboard.scenarios import model_text
    from tests.app.test_languages import PATHS_AND_IDS

    for path in sorted((ROOT / "model" / "presets").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for lang in ("en", "es"):
            shown = i18n.without_file_names(
                model_text.preset_description(doc["name"], doc["description"], lang)
            )
            assert not PATHS_AND_IDS.search(shown), (path.name, lang, shown)
            assert "()" not in shown and "( " not in shown


def test_an_id_inside_a_longer_word_stays_and_a_text_without_ids_is_unchanged() -> None:
    text = "colombia_10pp_more_x and xpublished_indicators stay; 12 % of 2024 imports"
    assert claim_text.plain(text, "en") == text
    presets = {"p1": "One"}
    assert claim_text.plain("`p1`, p1x and p1.", "en", presets) == "“One”, p1x and “One”."


def test_a_cards_number_rows_as_the_claims_page_shows_them() -> None:
    import pandas as pd

    numbers = pd.DataFrame(
        {
            "measure": ["share of colombia_10pp_more", "balance"],
            "year": [2024, 2023],
            "perspective": ["Colombia-reported", "mirror"],
            "value": [12.345, -3.24e9],
            "unit": ["%", "USD"],
            "provisional": [True, False],
            "comparable": [True, False],
            "valuation": ["FOB", "CIF"],
            "publisher": ["DANE (dane_exports.csv, goods)", "IMF"],
            "note": ["n_months < 12", "—"],
        }
    )
    english = claim_text.numbers_table(numbers, "en")
    preset = json.loads((ROOT / "model" / "presets" / "colombia_10pp_more.json").read_text(encoding="utf-8"))
    assert list(english.columns) == list(claim_text.NUMBER_COLUMNS)
    assert english.to_dict("list") == {
        "measure": [f"share of “{preset['name']}”", "balance"],
        "year": ["2024", "2023"],
        "perspective": ["Colombia-reported", "mirror"],
        "value": ["12.35 %", "USD -3.24 bn"],
        "flag": ["provisional", "not comparable"],
        "valuation": ["FOB", "CIF"],
        "publisher": ["DANE (goods)", "IMF"],
        "note": ["n months < 12", "—"],
    }
    spanish = claim_text.numbers_table(numbers, "es")
    assert spanish["value"].tolist() == ["12,35 %", "-3,24 mil millones de USD"]
    assert spanish["flag"].tolist() == ["provisional", "no comparable"]
