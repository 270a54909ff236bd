"""Products: HS descriptions in the reader's language, search by code or words, and the chapter view of
Colombia's imports. Pure: no Streamlit, no SQL.

Spanish descriptions come from the bundled Spanish HS nomenclature: the EU Combined Nomenclature 2023 in
Spanish (HS 2022; data/raw/reference/hs-nomenclature-es, read its PROVENANCE), loaded as ``hs_codes_es`` and
read through ``queries.query_hs_codes`` (columns description_es, heading_es). A code that nomenclature lacks
shows DANE's Spanish chapter name where DANE prints one (``etl.sources.dane_imports.CHAPTER_NAMES``), else the
WCO (English) text marked "(en inglés)".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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
# Where the Spanish nomenclature has no text, the English one is shown with this mark.
ENGLISH_MARK = " (en inglés)"

# Search words, not descriptions: the Colombian names of products the claims and scenarios talk about that the
# EU's Spanish text never uses (it prints bananas as "Plátanos (bananas)" and coal as "Hullas"; "carbón" there
# is charcoal or activated carbon), each with the HS code that covers it (headings 0803 and 2701).
COLOMBIAN_SEARCH_WORDS: dict[str, tuple[str, ...]] = {
    "banano": ("0803",),
    "bananos": ("0803",),
    "carbon": ("2701",),
}


def _ascii_fold(texts: pd.Series) -> pd.Series:
    """Lower case, accents and other non-ASCII marks dropped, for a whole column at once: 'Café' → 'cafe'."""
    return texts.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii").str.lower()


def spanish_names(codes: pd.DataFrame) -> dict[str, str]:
    """HS code → Spanish description, from ``query_hs_codes``' frame (codes without one are left out)."""
    known = codes[codes["description_es"].notna()] if "description_es" in codes else codes.head(0)
    return dict(zip(known["hs_code"].astype(str), known["description_es"].astype(str), strict=True))


def describe(code: str, english: object, lang: str, spanish: Mapping[str, str] | None = None) -> str:
    """The description of an HS code in ``lang``. In Spanish: the Spanish nomenclature's text (``spanish``; a
    national code longer than 6 digits takes its subheading's), else DANE's chapter name, else the WCO text marked '(en inglés)'. The national chapter's title for 98;
    '' when there is none."""
    code = str(code)
    if code in NATIONAL_CHAPTERS:
        return NATIONAL_CHAPTERS[code][1 if lang == "es" else 0]
    text = english if isinstance(english, str) else ""
    if lang != "es":
        return text
    hs6 = code[:6]  # a national code (8-10 digits) is described by its HS subheading, as in English
    if spanish and (code in spanish or hs6 in spanish):
        return spanish.get(code) or spanish[hs6]
    if code in DANE_CHAPTER_NAMES_ES:
        return DANE_CHAPTER_NAMES_ES[code]
    return text + ENGLISH_MARK if text else ""


def describe_frame(
    frame: pd.DataFrame,
    lang: str,
    code: str = "hs_code",
    english: str = "description",
    spanish: Mapping[str, str] | None = None,
) -> pd.Series:
    return pd.Series(
        [describe(c, e, lang, spanish) for c, e in zip(frame[code], frame[english], strict=True)],
        index=frame.index,
        dtype=object,
    )


def search(codes: pd.DataFrame, text: str, limit: int = 60) -> pd.DataFrame:
    """HS codes matching ``text``: a code (dots and spaces ignored) matches by prefix; words match when every
    word begins a word, accents and case ignored, of the English description, of the Spanish one (with its
    heading's text, for a subheading), or of DANE's Spanish chapter name; or when a word is one of
    :data:`COLOMBIAN_SEARCH_WORDS`.

    ``codes``: hs_code, hs_level, description and, when loaded, description_es and heading_es. Returns the
    matching rows, chapters first, then by code.
    """
    query = text.strip()
    if not query:
        return codes.head(0)
    digits = re.sub(r"[.\s]", "", query)
    if digits.isdigit():
        found = codes[codes["hs_code"].astype(str).str.startswith(digits)]
    else:
        words = [_ascii_fold(pd.Series([w])).iloc[0] for w in query.split() if w]

        def column(name: str) -> pd.Series:
            return codes[name].fillna("").astype(str) if name in codes else pd.Series("", index=codes.index)

        dane = codes["hs_code"].astype(str).map(DANE_CHAPTER_NAMES_ES).fillna("")
        english = _ascii_fold(column("description"))
        spanish = _ascii_fold(column("description_es") + " | " + column("heading_es") + " | " + dane)

        def every_word(haystack: pd.Series) -> pd.Series:
            matched = pd.Series(True, index=codes.index)
            for word in words:
                matched &= haystack.str.contains(rf"\b{re.escape(word)}", regex=True)
            return matched

        vocabulary = {code for w in words for code in COLOMBIAN_SEARCH_WORDS.get(w, ())}
        found = codes[every_word(english) | every_word(spanish) | codes["hs_code"].isin(vocabulary)]
    return found.sort_values(["hs_level", "hs_code"]).head(limit).reset_index(drop=True)


def chapter_share(chapters: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Per (partner, year): the sum of the named chapters, the all-goods total, and the share (%) of the
    total the chapters cover. ``chapters`` and ``totals``: partner_iso3, year, value_usd."""
    named = chapters.groupby(["partner_iso3", "year"], as_index=False).agg(chapters_usd=("value_usd", "sum"))
    total = totals.rename(columns={"value_usd": "total_usd"})[["partner_iso3", "year", "total_usd"]]
    out = named.merge(total, on=["partner_iso3", "year"], how="left")
    out["share_pct"] = out["chapters_usd"] / out["total_usd"] * 100.0
    return out
