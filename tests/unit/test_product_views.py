"""The Products page's frames and choices without Streamlit (dashboard.product_views), on small frames whose
expected values are worked out here."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import product_views as views
from dashboard import readout


def _chapter_rows() -> pd.DataFrame:
    rows = [
        # year, partner, hs_code, value_usd, provisional
        (2024, "CHN", "85", 3_000e6, False),
        (2024, "CHN", "84", 2_000e6, False),
        (2024, "CHN", "TOTAL", 10_000e6, False),
        (2024, "USA", "27", 4_000e6, False),
        (2024, "USA", "TOTAL", 16_000e6, False),
        (2025, "CHN", "85", 3_500e6, True),
        (2025, "CHN", "TOTAL", 11_000e6, True),
    ]
    return pd.DataFrame(rows, columns=["year", "partner_iso3", "hs_code", "value_usd", "provisional"])


def test_chapter_years_default_to_the_latest_final_year() -> None:
    chapters = _chapter_rows().query("hs_code != 'TOTAL'")
    assert views.chapter_years(chapters) == ([2024, 2025], 2024)
    assert views.chapter_years(chapters[chapters["year"] == 2025]) == ([2025], 2025)  # only provisional: it
    assert views.chapter_years(chapters.iloc[0:0]) == ([], None)


def test_chapter_rows_are_named_described_and_in_millions() -> None:
    chapters = _chapter_rows().query("hs_code != 'TOTAL'")
    english = {
        "85": "Electrical machinery and equipment and parts thereof; sound recorders",
        "84": "Machinery",
    }
    shown = views.chapter_rows_shown(chapters, 2024, {"CHN": "China"}, english, "en")
    assert shown["partner"].tolist() == ["China", "China", "USA"]  # a partner without a name keeps its code
    assert shown["value"].tolist() == [3_000.0, 2_000.0, 4_000.0]
    assert shown["label"].iloc[0] == "85 Electrical machinery and equipment and…"  # cut at 38 characters
    assert shown["description"].iloc[2] == ""  # no English description for chapter 27 here


def test_chapter_note_gives_each_partners_coverage_and_flags_a_provisional_year() -> None:
    rows = _chapter_rows()
    names = {"CHN": "China", "USA": "United States"}
    note = views.chapter_note(rows, 2024, names, "en")
    assert "50 %" in note and "25 %" in note  # China: 5 of 10 bn; United States: 4 of 16 bn
    assert "provisional" not in note.lower()
    later = views.chapter_note(rows, 2025, names, "en")
    assert "32 %" in later  # 3.5 of 11 bn
    assert "2025" in later and later != note


def test_chapter_table_one_column_per_partner() -> None:
    chapters = _chapter_rows().query("hs_code != 'TOTAL'")
    shown = views.chapter_rows_shown(chapters, 2024, {"CHN": "China"}, {}, "en")
    table = views.chapter_table(shown, 2024, {"CHN": "China", "USA": "United States"}, ["CHN", "USA"])
    assert list(table.columns) == ["year", "hs_code", "description", "China (CHN)", "United States (USA)"]
    by_code = table.set_index("hs_code")
    assert by_code.loc["85", "China (CHN)"] == 3_000.0 and math.isnan(
        by_code.loc["85", "United States (USA)"]
    )
    assert by_code.loc["27", "United States (USA)"] == 4_000.0 and set(table["year"]) == {2024}


def _catalogue_frame(*series: tuple[str, str, str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(series, columns=["reporter_iso3", "partner_iso3", "flow", "source", "max_level"])


def test_the_default_series_is_what_colombia_buys_from_china_else_the_us_record() -> None:
    frame = _catalogue_frame(
        ("COL", "CHN", "import", "dane_imports", 2),
        ("USA", "COL", "import", "us_census_consumption", 10),
    )
    catalogue = views.series_catalogue(frame)
    assert catalogue.choices == ("COL:CHN:import:dane_imports", "USA:COL:import:us_census_consumption")
    assert catalogue.levels == {"COL:CHN:import:dane_imports": 2, "USA:COL:import:us_census_consumption": 10}
    assert catalogue.default == "COL:CHN:import:dane_imports"
    assert views.series_catalogue(frame.iloc[1:]).default == "USA:COL:import:us_census_consumption"
    other = views.series_catalogue(_catalogue_frame(("CHN", "USA", "export", "comtrade", 6)))
    assert other.default == "CHN:USA:export:comtrade"
    assert views.series_catalogue(frame.iloc[0:0]) == views.Catalogue((), {}, "")


def test_a_series_is_described_in_the_readers_language() -> None:
    key = "COL:CHN:import:dane_imports"
    filters = views.series_filters(key)
    assert filters == {"reporter": "COL", "partner": "CHN", "flow": "import", "source": "dane_imports"}
    labels = {"COL": "Colombia (COL)", "CHN": "China (CHN)"}
    english = views.describe_series(key, {key: 2}, labels, "en")
    assert english.startswith("Colombia (COL) · imports · China (CHN) — ") and english.endswith(")")
    assert "2" in english.rsplit("(", 1)[1]
    spanish = views.describe_series(key, {key: 2}, labels, "es")
    assert spanish.startswith("Colombia (COL) · importaciones · China (CHN) — ")


@pytest.mark.parametrize(
    ("years", "provisional", "expected"),
    [
        ((2022, 2023, 2024, 2025, 2026), {2025, 2026}, (2024, 2023)),
        ((2024,), set(), (2024, 2024)),  # one year: nothing else to compare with
        ((2025, 2026), {2025, 2026}, (2026, 2025)),  # all provisional: the latest
    ],
)
def test_default_years(years: tuple[int, ...], provisional: set[int], expected: tuple[int, int]) -> None:
    assert views.default_years(years, provisional) == expected


def test_movers_never_compare_a_year_with_itself() -> None:
    years = (2021, 2023, 2024)
    assert views.comparison_year(2024, 2024, years) == 2023
    assert views.comparison_year(2021, 2021, years) == 2024  # nothing earlier: the latest other year
    assert views.comparison_year(2024, 2021, years) is None  # a different year is kept
    assert views.comparison_year(2024, 2024, (2024,)) is None


def test_search_results_and_the_code_to_zoom_to() -> None:
    matches = pd.DataFrame(
        {
            "hs_code": ["0901", "090111", "21"],
            "hs_level": [4, 6, 2],
            "description": ["Coffee", "Not roasted", "x"],
        }
    )
    values = pd.DataFrame({"hs_code": ["090111"], "value_usd": [2_500_000.0]})
    found = views.search_results(matches, values, "en")
    assert list(found.columns) == ["hs_code", "hs_level", "description", "value_usd_m"]
    assert found.set_index("hs_code")["value_usd_m"].to_dict()["090111"] == 2.5
    assert found["value_usd_m"].isna().sum() == 2  # not traded that year: no value, never zero
    assert views.zoom_code(found) == "0901"  # the heading of the only traded line
    traded_heading = found.assign(value_usd_m=[1.0, None, None])
    assert views.zoom_code(traded_heading) == "0901"
    assert views.zoom_code(found.assign(value_usd_m=None)) is None


def test_the_treemap_opens_at_the_heading_else_the_chapter() -> None:
    tree = pd.DataFrame({"chapter": ["09", "09", "85"], "heading": ["0901", "0902", None]})
    assert views.tree_root("090111", tree) == "hd0901"
    assert views.tree_root("0903", tree) == "ch09"
    assert views.tree_root("8517", tree) == "ch85"  # the tree stops at chapters there
    assert views.tree_root("27", tree) is None and views.tree_root(None, tree) is None


def test_tree_frame_and_movers_in_millions() -> None:
    tree = pd.DataFrame(
        {
            "chapter": ["84"],
            "chapter_description": ["Machinery"],
            "heading": [None],
            "heading_description": [None],
            "value_usd": [7_000_000.0],
        }
    )
    framed = views.tree_frame(tree, 2024, "dane_imports", "es")
    assert framed[["value", "year", "source"]].iloc[0].tolist() == [7.0, 2024, "dane_imports"]
    assert framed["chapter_description"].iloc[0] not in ("", "Machinery")  # DANE's Spanish name


def test_top_products_say_what_their_shares_are_shares_of() -> None:
    top = pd.DataFrame(
        {"hs_code": ["0901"], "description": ["Coffee"], "value_usd": [1_500_000_000.0], "share_pct": [12.5]}
    )
    labels = {"USA": "United States (USA)", "COL": "Colombia (COL)"}
    table = views.top_products_table(top, "USA:COL:import:us_census_consumption", 2024, labels, "en")
    assert list(table.columns) == [
        "year",
        "hs_code",
        "description",
        "share_pct",
        "value_usd_m",
        "denominator",
    ]
    assert table["value_usd_m"].tolist() == [1_500.0]
    denominator = table["denominator"].iloc[0]
    assert "United States (USA)" in denominator and "Colombia (COL)" in denominator and "2024" in denominator


def test_the_map_opens_on_the_chapter_or_heading_with_the_largest_value() -> None:
    """'flores' matches artificial flowers (67) and cut flowers (0603): the map opens where the trade is."""
    found = pd.DataFrame(
        {"hs_code": ["67", "0603", "060311", "6702"], "value_usd_m": [3.0, 1345.1, 900.0, None]}
    )
    assert views.zoom_code(found) == "0603"
    assert views.zoom_code(found.assign(value_usd_m=[None, None, 900.0, None])) == "0603"
    assert views.zoom_code(found.assign(value_usd_m=[0.0, None, None, None])) is None  # nothing traded


def test_shares_divide_by_the_whole_and_the_remainder_is_shown() -> None:
    """A series with an all-goods total its lines do not reach (DANE's annex): shares of the total, and a last
    row with what no line holds."""
    top = pd.DataFrame({"hs_code": ["85", "84"], "description": ["Electrical", "Machinery"],
                        "value_usd": [3.0e9, 2.0e9], "share_pct": [30.0, 20.0], "lines_usd": [7.5e9, 7.5e9],
                        "total_usd": [10.0e9, 10.0e9]})  # fmt: skip
    labels = {"COL": "Colombia (COL)", "CHN": "China (CHN)"}
    table = views.top_products_table(top, "COL:CHN:import:dane_imports", 2024, labels, "en")
    assert table["hs_code"].tolist() == ["85", "84", "—"]
    assert table["value_usd_m"].tolist() == [3_000.0, 2_000.0, 2_500.0]
    assert table["share_pct"].iloc[-1] == pytest.approx(25.0)
    assert table["description"].iloc[-1].startswith("In no line of this series")
    assert "all goods" in table["denominator"].iloc[0]


MOVERS = pd.DataFrame(
    {
        "hs_code": ["87", "52", "01", "85"],
        "description": ["Vehicles", "Cotton", "Live animals", "Electrical machinery"],
        "value_from": [100e6, 50e6, 10_000.0, 400e6],  # live animals: a base under USD 1 m
        "value_to": [400e6, 75e6, 900_000.0, 300e6],
    }
)


def test_movers_rank_growth_in_percent_and_give_the_annual_rate() -> None:
    """2019 → 2024, five years: vehicles ×4 = +300 %, a year (4^(1/5) − 1) = 31.95 %; cotton +50 %, 8.45 % a year;
    machinery −25 %. Live animals grew 8,900 % from USD 10,000: under the base the % ranking takes."""
    movers = views.movers_table(MOVERS, 2019, 2024, views.GROWTH, "en")
    assert (movers.start, movers.end) == (2019, 2024)
    assert movers.min_base_usd == 1_000_000.0  # 0.1 % of USD 550 m is less than USD 1 m
    assert movers.rows["hs_code"].tolist() == ["87", "52", "85"]
    vehicles = movers.rows.iloc[0]
    assert vehicles["growth_pct"] == pytest.approx(300.0)
    assert vehicles["cagr_pct"] == pytest.approx((4 ** (1 / 5) - 1) * 100)
    assert movers.rows.iloc[1]["cagr_pct"] == pytest.approx((1.5 ** (1 / 5) - 1) * 100)
    assert vehicles[["value_start", "value_end", "change"]].tolist() == [100.0, 400.0, 300.0]
    assert len(movers.all) == 4  # the download holds every code, the small one too
    assert views.movers_sentence(movers, views.GROWTH, "en") == (
        "Fastest growth 2019 → 2024: 87 Vehicles, +300.0 % (+32.0 % a year)."
    )


def test_movers_by_change_and_years_in_either_order() -> None:
    """Chosen the other way round (from 2024, compared with 2019), the values are put in time order."""
    flipped = MOVERS.rename(columns={"value_from": "value_to", "value_to": "value_from"})
    movers = views.movers_table(flipped, 2024, 2019, views.CHANGE, "es")
    assert (movers.start, movers.end) == (2019, 2024)
    assert movers.rows["hs_code"].tolist() == [
        "87",
        "85",
        "52",
        "01",
    ]  # |+300|, |−100|, |+25|, |+0.89| (USD m)
    assert movers.rows.iloc[1]["growth_pct"] == pytest.approx(-25.0)
    assert views.movers_sentence(movers, views.CHANGE, "es").startswith("Mayor cambio 2019 → 2024: 87 ")
    headers = views.movers_columns(2019, 2024, "es")
    assert (
        headers["growth_pct"] == "Crecimiento 2019–2024 (%)"
        and headers["value_start"] == "2019 (millones de USD)"
    )


def test_growth_from_nothing_has_no_percentage() -> None:
    assert math.isnan(readout.growth_pct(0.0, 5.0)) and math.isnan(readout.cagr_pct(0.0, 5.0, 3))
    assert math.isnan(readout.cagr_pct(5.0, 0.0, 3))  # gone: no compound rate
    assert readout.growth_pct(5.0, 0.0) == pytest.approx(-100.0)
