"""Products: HS descriptions in the reader's language, search by code or words, and the chapter view of
Colombia's imports. Pure: no Streamlit, no SQL.

Spanish descriptions: the only Spanish HS names in the bundled, published data are DANE's chapter names in
its import annexes (24 chapters, ``etl.sources.dane_imports.CHAPTER_NAMES``; read its PROVENANCE). Every
other code keeps the WCO description (English) from the bundled HS nomenclature; in Spanish the table says so.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from etl.sources.dane_imports import CHAPTER_NAMES

# HS chapter → DANE's Spanish name (as printed in its import annexes).
DANE_CHAPTER_NAMES_ES: dict[str, str] = {code: name for name, code in CHAPTER_NAMES.items()}
# Chapter 98 is outside the HS (the bundled nomenclature has no row for it): the US tariff schedule's title.
NATIONAL_CHAPTERS: dict[str, tuple[str, str]] = {
    "98": (
        "Special classification provisions (US tariff schedule, national chapter)",
        "Disposiciones especiales de clasificación (arancel de EE. UU., capítulo nacional)",
    ),
}


# Balanza's search vocabulary, not a nomenclature: Spanish words for the products the articles, the claims and
# the scenarios talk about, each pointing at the HS code that covers it (classification per the HS headings
# named), so a Spanish search finds them while no published Spanish HS text is bundled. Descriptions shown
# stay the WCO's.
SPANISH_SEARCH_WORDS: dict[str, tuple[str, ...]] = {
    "cafe": ("0901",),
    "flores": ("0603",),
    "rosas": ("060311",),
    "claveles": ("060312",),
    "orquideas": ("060313",),
    "banano": ("0803",),
    "bananos": ("0803",),
    "platano": ("0803",),
    "aguacate": ("080440",),
    "aguacates": ("080440",),
    "azucar": ("1701",),
    "cacao": ("1801",),
    "petroleo": ("2709",),
    "crudo": ("2709",),
    "carbon": ("2701",),
    "oro": ("7108",),
    "esmeraldas": ("710391",),
    "ferroniquel": ("720260",),
    "cemento": ("2523",),
}


def fold(text: str) -> str:
    """Lower case without accents: 'Café' → 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def describe(code: str, english: object, lang: str) -> str:
    """The description of an HS code in ``lang``: DANE's Spanish chapter name where there is one, the
    national chapter's title for 98/99, else the WCO (English) text; '' when there is none."""
    code = str(code)
    if code in NATIONAL_CHAPTERS:
        return NATIONAL_CHAPTERS[code][1 if lang == "es" else 0]
    if lang == "es" and code in DANE_CHAPTER_NAMES_ES:
        return DANE_CHAPTER_NAMES_ES[code]
    return english if isinstance(english, str) else ""


def describe_frame(
    frame: pd.DataFrame, lang: str, code: str = "hs_code", english: str = "description"
) -> pd.Series:
    return pd.Series(
        [describe(c, e, lang) for c, e in zip(frame[code], frame[english], strict=True)],
        index=frame.index,
        dtype=object,
    )


def search(codes: pd.DataFrame, text: str, limit: int = 60) -> pd.DataFrame:
    """HS codes matching ``text``: a code (dots and spaces ignored) matches by prefix; words match when every
    word is found, accents and case ignored, in the English description or the Spanish DANE chapter name, or
    when a word is in :data:`SPANISH_SEARCH_WORDS`.

    ``codes``: hs_code, hs_level, description. Returns the matching rows, chapters first, then by code.
    """
    query = text.strip()
    if not query:
        return codes.head(0)
    digits = re.sub(r"[.\s]", "", query)
    if digits.isdigit():
        found = codes[codes["hs_code"].astype(str).str.startswith(digits)]
    else:
        words = [fold(w) for w in query.split() if w]
        spanish = codes["hs_code"].map(lambda c: DANE_CHAPTER_NAMES_ES.get(str(c), "")).map(fold)
        english = codes["description"].fillna("").map(fold)

        def every_word(haystack: str) -> bool:
            return all(re.search(rf"\b{re.escape(w)}", haystack) for w in words)

        vocabulary = {code for w in words for code in SPANISH_SEARCH_WORDS.get(w, ())}
        found = codes[english.map(every_word) | spanish.map(every_word) | codes["hs_code"].isin(vocabulary)]
    return found.sort_values(["hs_level", "hs_code"]).head(limit).reset_index(drop=True)


def chapter_share(chapters: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Per (partner, year): the sum of the named chapters, the all-goods total, and the share (%) of the
    total the chapters cover. ``chapters`` and ``totals``: partner_iso3, year, value_usd."""
    named = chapters.groupby(["partner_iso3", "year"], as_index=False).agg(chapters_usd=("value_usd", "sum"))
    total = totals.rename(columns={"value_usd": "total_usd"})[["partner_iso3", "year", "total_usd"]]
    out = named.merge(total, on=["partner_iso3", "year"], how="left")
    out["share_pct"] = out["chapters_usd"] / out["total_usd"] * 100.0
    return out
