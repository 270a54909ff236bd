"""The Products page's frames and choices, without Streamlit: the chapter comparison of Colombia's imports
from China and the United States, the product series on offer and their default years, search results, the
treemap's zoom, the top products.

Pure: query results (DataFrames) and the reader's language in, frames and texts out. HS descriptions come
from ``dashboard.products``; the page (``dashboard/app_pages/products.py``) only lays out widgets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import pandas as pd

from dashboard import charts, i18n, products
from dashboard.i18n import t
from etl.schema import MILLION

SERIES_KEYS = ("reporter_iso3", "partner_iso3", "flow", "source")


def _provisional(frame: pd.DataFrame) -> pd.Series:
    return frame["provisional"].fillna(False).astype(bool)


# ---- Colombia's imports by chapter --------------------------------------------------------------------------


def chapter_years(chapters: pd.DataFrame) -> tuple[list[int], int | None]:
    """The years with chapter rows and the default one: the latest its publisher does not mark provisional
    (else the latest); None when there are none."""
    years = sorted({int(y) for y in chapters["year"]})
    final = sorted({int(y) for y in chapters.loc[~_provisional(chapters), "year"]})
    return years, ((final or years)[-1] if years else None)


def chapter_rows_shown(
    chapters: pd.DataFrame,
    year: int,
    names: Mapping[str, str],
    english: Mapping[str, str],
    lang: str,
    spanish: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One year's chapter rows with the partner's name, the chapter's description in ``lang`` (``spanish``:
    the Spanish nomenclature's texts, ``products.spanish_names``), the chart label and the value in USD million."""
    shown = chapters[chapters["year"] == year].copy()
    shown["partner"] = shown["partner_iso3"].map(lambda p: names.get(p, p))
    shown["description"] = [products.describe(c, english.get(c), lang, spanish) for c in shown["hs_code"]]
    shown["label"] = [
        charts.chapter_label(c, d) for c, d in zip(shown["hs_code"], shown["description"], strict=True)
    ]
    shown["value"] = shown["value_usd"] / MILLION
    return shown


def chapter_note(chapter_rows: pd.DataFrame, year: int, names: Mapping[str, str], lang: str) -> str:
    """The chart's note: what the chapters are, how much of each partner's total they cover, and whether
    the year is provisional."""
    chapters = chapter_rows[chapter_rows["hs_code"] != "TOTAL"]
    coverage = products.chapter_share(
        chapters[chapters["year"] == year],
        chapter_rows[(chapter_rows["hs_code"] == "TOTAL") & (chapter_rows["year"] == year)],
    )
    cover = " ".join(
        t(
            "chapters_cover",
            lang,
            partner=names.get(r["partner_iso3"], r["partner_iso3"]),
            share=i18n.number(r["share_pct"], lang, 0),
            total=i18n.money(r["total_usd"], lang),
        )
        for r in coverage.to_dict("records")
        if pd.notna(r["share_pct"])
    )
    provisional = bool(_provisional(chapters[chapters["year"] == year]).any())
    return (
        t("chapters_note", lang)
        + " "
        + cover
        + (" " + t("provisional_year", lang, year=year) if provisional else "")
    )


def chapter_table(
    shown: pd.DataFrame, year: int, names: Mapping[str, str], partners: Sequence[str]
) -> pd.DataFrame:
    """Chapters as rows, one column of USD million per partner ('China (CHN)'), the year first."""
    table = shown.pivot_table(
        index=["hs_code", "description"], columns="partner_iso3", values="value", aggfunc="first"
    ).reset_index()
    table.columns.name = None
    table = table.rename(columns={p: f"{names.get(p, p)} ({p})" for p in partners})
    table.insert(0, "year", year)
    return table


# ---- one series, product by product -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The series with product detail ('COL:CHN:import:dane_imports'), their deepest HS level and the default."""

    choices: tuple[str, ...]
    levels: dict[str, int]
    default: str


def series_catalogue(product_series: pd.DataFrame) -> Catalogue:
    """From ``queries.product_series``: every series as 'reporter:partner:flow:source'; the default is what
    Colombia buys from China, else the US record of imports from Colombia, else the first."""
    keys = [
        ":".join(str(v) for v in row) for row in product_series[list(SERIES_KEYS)].itertuples(index=False)
    ]
    levels = dict(zip(keys, product_series["max_level"].astype(int), strict=True))
    preferred = [s for s in keys if s.startswith("COL:CHN:import:")] or [
        s for s in keys if s.startswith("USA:COL:import:")
    ]
    return Catalogue(tuple(keys), levels, preferred[0] if preferred else (keys[0] if keys else ""))


class SeriesFilters(TypedDict):
    """The keyword filters of the series queries (``components.query_hs_tree(**filters, year=...)``)."""

    reporter: str
    partner: str
    flow: str
    source: str


def series_filters(key: str) -> SeriesFilters:
    """'USA:CHN:import:us_census_consumption' → the query filters (reporter, partner, flow, source)."""
    reporter, partner, flow, source = key.split(":")
    return {"reporter": reporter, "partner": partner, "flow": flow, "source": source}


def describe_series(key: str, levels: Mapping[str, int], labels: Mapping[str, str], lang: str) -> str:
    """'Colombia (COL) · imports · China (CHN) — DANE … (HS 2 digits)'."""
    f = series_filters(key)
    verb = t(f["flow"], lang).lower()
    reporter, partner = labels.get(f["reporter"], f["reporter"]), labels.get(f["partner"], f["partner"])
    publisher = i18n.publisher(f["source"], lang)
    return f"{reporter} · {verb} · {partner} — {publisher} ({t('hs_digits', lang, n=levels[key])})"


def default_years(years: Sequence[int], provisional: set[int]) -> tuple[int, int]:
    """The year shown by default (the latest its publisher does not mark provisional) and the year movers
    compare it with (the one before it with data; never the same year where there are two)."""
    final = [y for y in years if y not in provisional] or list(years)
    return final[-1], max([y for y in final if y < final[-1]] or [years[0]])


def comparison_year(year: int, year_from: object, years: Sequence[int]) -> int | None:
    """The year movers should compare with once ``year`` is chosen, when the chosen comparison year is that
    same year: the latest year before it with data (else the latest other); None: keep the choice."""
    earlier = [y for y in years if y != year]
    if year_from == year and earlier:
        return max([y for y in earlier if y < year] or earlier)
    return None


def search_results(
    matches: pd.DataFrame, values: pd.DataFrame, lang: str, spanish: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The codes a search found, described in ``lang``, with the series' value (USD million; NaN: not
    traded in that year)."""
    found = matches.merge(values, on="hs_code", how="left")
    found["description"] = products.describe_frame(found, lang, spanish=spanish)
    found["value_usd_m"] = found["value_usd"] / MILLION
    return found[["hs_code", "hs_level", "description", "value_usd_m"]]


def zoom_code(found: pd.DataFrame) -> str | None:
    """The chapter or heading a search found with the largest value in the series (else the heading of the
    largest traded line); None when nothing found is traded. A word can match several chapters and headings
    ('flores': cut flowers 0603 and artificial flowers 67): the map opens where the trade is."""
    traded = found[found["value_usd_m"].notna() & (found["value_usd_m"] > 0)]
    if traded.empty:
        return None
    by_value = traded.sort_values(["value_usd_m", "hs_code"], ascending=[False, True])["hs_code"].astype(str)
    short = by_value[by_value.str.len().isin((2, 4))]
    return str(short.iloc[0]) if not short.empty else str(by_value.iloc[0])[:4]


def tree_root(focus: str | None, tree: pd.DataFrame) -> str | None:
    """The treemap node to open: the focus's heading ('hd0901') if the tree has it, else its chapter."""
    if focus is None:
        return None
    if len(focus) >= 4 and focus[:4] in set(tree["heading"].dropna()):
        return "hd" + focus[:4]
    if focus[:2] in set(tree["chapter"]):
        return "ch" + focus[:2]
    return None


def tree_frame(
    tree: pd.DataFrame, year: int, source: str, lang: str, spanish: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The chapter/heading values in USD million with their descriptions in ``lang``."""
    tree = tree.assign(value=tree["value_usd"] / MILLION, year=year, source=source)
    tree["chapter_description"] = [
        products.describe(c, d, lang, spanish)
        for c, d in zip(tree["chapter"], tree["chapter_description"], strict=True)
    ]
    tree["heading_description"] = [
        products.describe(h, d, lang, spanish) if isinstance(h, str) else d
        for h, d in zip(tree["heading"], tree["heading_description"], strict=True)
    ]
    return tree


def top_products_table(
    top: pd.DataFrame,
    key: str,
    year: int,
    labels: Mapping[str, str],
    lang: str,
    spanish: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The series' largest products in ``year``, in USD million, with what their shares are shares of: the
    whole (the series' all-goods total where it publishes one). Where its lines do not add up to that total
    (DANE's annex names some chapters only), a last row gives the remainder no line holds."""
    f = series_filters(key)
    whole = top.get("total_usd", pd.Series(dtype=float))
    lines = top.get("lines_usd", pd.Series(dtype=float))
    total, lines_sum = (
        (float(whole.iloc[0]), float(lines.iloc[0])) if len(whole) and len(lines) else (None, None)
    )
    table = top.drop(columns=[c for c in ("total_usd", "lines_usd") if c in top])
    if (
        total is not None and lines_sum is not None and total - lines_sum > 0.5
    ):  # a remainder of more than 50 cents
        rest = total - lines_sum
        remainder = pd.DataFrame({"hs_code": ["—"], "description": [t("not_in_lines", lang)], "value_usd": [rest],
                                  "share_pct": [rest / total * 100]})  # fmt: skip
        table = pd.concat([table, remainder], ignore_index=True)
    table = table.assign(value_usd_m=table["value_usd"] / MILLION).drop(columns="value_usd")
    named = table["hs_code"] != "—"
    table.loc[named, "description"] = products.describe_frame(table[named], lang, spanish=spanish)
    table["denominator"] = t(
        "share_of_series" if total is None or total == lines_sum else "share_of_total",
        lang,
        flow=t(f["flow"], lang).lower(),
        reporter=labels.get(f["reporter"], f["reporter"]),
        partner=labels.get(f["partner"], f["partner"]),
        year=year,
    )
    table.insert(0, "year", year)
    return table


def movers_frame(movers: pd.DataFrame, lang: str, spanish: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The largest changes between two years, in USD million, described in ``lang``."""
    movers = movers.assign(change=movers["change_usd"] / MILLION)
    movers["description"] = products.describe_frame(movers, lang, spanish=spanish)
    return movers
