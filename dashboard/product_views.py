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

from dashboard import charts, i18n, products, readout
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


GROWTH = "growth"  # movers ranked by growth in %
CHANGE = "change"  # movers ranked by the size of the change in dollars
MOVER_ORDERS = (GROWTH, CHANGE)
MOVERS_SHOWN = 15
# Growth in % from a small base says little (a heading from USD 10,000 to 1 m grew 9,900 %): the % ranking takes
# headings worth at least this share of the series' total in the first year, and at least USD 1 million.
MIN_BASE_SHARE = 0.001
MIN_BASE_USD = 1_000_000.0


@dataclass(frozen=True)
class Movers:
    """Movers between two years: the table shown (``rows``, ranked), every heading (``all``, for the download),
    the years in order and the smallest first-year value the % ranking takes."""

    rows: pd.DataFrame
    all: pd.DataFrame
    start: int
    end: int
    min_base_usd: float


def movers_table(
    movers: pd.DataFrame,
    year_a: int,
    year_b: int,
    order: str,
    lang: str,
    spanish: Mapping[str, str] | None = None,
    top: int = MOVERS_SHOWN,
) -> Movers:
    """Every heading's value in both years (USD million), the change, the growth in % and the compound annual
    growth rate (CAGR, % a year) between the two years in time order, described in ``lang``; ranked by growth
    (``GROWTH``: the fastest first, among headings with a first-year value of at least ``MIN_BASE_SHARE`` of the
    series' total and ``MIN_BASE_USD``) or by the size of the change (``CHANGE``). ``movers``: from
    ``queries.query_movers`` for the two years (``value_from`` is ``year_a``'s)."""
    start, end = sorted((int(year_a), int(year_b)))
    frame = movers.copy()
    if int(year_a) > int(year_b):  # the query's "from" is year_a: put the values in time order
        frame = frame.rename(columns={"value_from": "value_to", "value_to": "value_from"})
    before = frame["value_from"].astype("float64")
    after = frame["value_to"].astype("float64")
    years = end - start
    table = pd.DataFrame(
        {
            "hs_code": frame["hs_code"].astype(str),
            "description": products.describe_frame(frame, lang, spanish=spanish),
            "value_start": before / MILLION,
            "value_end": after / MILLION,
            "change": (after - before) / MILLION,
            "growth_pct": [readout.growth_pct(b, a) for b, a in zip(before, after, strict=True)],
            "cagr_pct": [readout.cagr_pct(b, a, years) for b, a in zip(before, after, strict=True)],
        }
    )
    min_base = max(MIN_BASE_USD, MIN_BASE_SHARE * float(before.sum()))
    if order == GROWTH:
        ranked = table[(before >= min_base).to_numpy() & table["growth_pct"].notna().to_numpy()]
        ranked = ranked.sort_values(["growth_pct", "hs_code"], ascending=[False, True])
    else:
        ranked = table.assign(size=table["change"].abs()).sort_values(
            ["size", "hs_code"], ascending=[False, True]
        )
        ranked = ranked.drop(columns="size")
    return Movers(ranked.head(top).reset_index(drop=True), table, start, end, min_base)


def movers_columns(start: int, end: int, lang: str) -> dict[str, str]:
    """The movers table's headers in ``lang``, the two years named."""
    unit = t("usd_m", lang)
    return {
        "hs_code": i18n.column("hs_code", lang),
        "description": i18n.column("description", lang),
        "value_start": f"{start} ({unit})",
        "value_end": f"{end} ({unit})",
        "change": f"{t('change', lang)} ({unit})",
        "growth_pct": i18n.pick(lang, f"Growth {start}–{end} (%)", f"Crecimiento {start}–{end} (%)"),
        "cagr_pct": i18n.pick(lang, "Growth a year, CAGR (%)", "Crecimiento anual compuesto, TCAC (%)"),
    }


def movers_sentence(movers: Movers, order: str, lang: str) -> str | None:
    """'Fastest growth 2019 → 2024: 87 Vehicles … +312.4 % (32.8 % a year).' (or the largest change)."""
    if movers.rows.empty:
        return None
    first = movers.rows.iloc[0]
    name = charts.chapter_label(str(first["hs_code"]), first["description"], width=60)
    span = f"{movers.start} → {movers.end}"
    if order == GROWTH:
        growth = i18n.signed(float(first["growth_pct"]), lang, 1)
        cagr = i18n.signed(float(first["cagr_pct"]), lang, 1)
        return i18n.pick(
            lang,
            f"Fastest growth {span}: {name}, {growth} % ({cagr} % a year).",
            f"Mayor crecimiento {span}: {name}, {growth} % ({cagr} % anual).",
        )
    change = i18n.money(float(first["change"]) * MILLION, lang, sign=True)
    return i18n.pick(
        lang, f"Largest change {span}: {name}, {change}.", f"Mayor cambio {span}: {name}, {change}."
    )


def chapters_sentence(shown: pd.DataFrame, totals: pd.DataFrame, partner: str, name: str, year: int,
                      lang: str) -> str | None:  # fmt: skip
    """'In 2024 Colombia bought USD 15.94 bn from China (CIF); the largest chapter shown: 85 Electrical
    machinery…, USD 3.90 bn (24.5 %).' from the chapter rows shown and the series' TOTAL rows."""
    rows = shown[shown["partner_iso3"] == partner].dropna(subset=["value_usd"])
    total = totals[(totals["partner_iso3"] == partner) & (totals["year"] == year)]["value_usd"]
    if rows.empty or total.empty or not float(total.iloc[0]) > 0:
        return None
    largest = rows.sort_values("value_usd", ascending=False).iloc[0]
    whole = float(total.iloc[0])
    label = charts.chapter_label(str(largest["hs_code"]), largest["description"], width=60)
    share = i18n.percent(100 * float(largest["value_usd"]) / whole, lang)
    return i18n.pick(
        lang,
        f"In {year} Colombia bought {i18n.money(whole, lang)} from {name} (CIF); the largest chapter: {label}, "
        f"{i18n.money(float(largest['value_usd']), lang)} ({share}).",
        f"En {year} Colombia le compró a {name} {i18n.money(whole, lang)} (CIF); el capítulo mayor: {label}, "
        f"{i18n.money(float(largest['value_usd']), lang)} ({share}).",
    )
