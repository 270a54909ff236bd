"""The Peers page's computations (dashboard/peers.py) and its small multiples (dashboard/peer_charts.py), on frames
and a small DuckDB with the real schema: shares, the balance with China, the year China overtook the US, the
ranking, the mirror check and the IMF vintage gaps."""

from __future__ import annotations

import math
from collections.abc import Iterator

import duckdb
import pandas as pd
import pytest

from dashboard import peer_charts, peers
from etl import record, record_balance
from etl.db import create_schema

FACTOR = 1.06


def _record(rows: list[tuple]) -> pd.DataFrame:
    """(reporter, partner, flow, year, value, valuation, source[, provisional]) → record rows."""
    frame = pd.DataFrame(
        [(*r, False) if len(r) == 7 else r for r in rows],
        columns=[
            "reporter_iso3",
            "partner_iso3",
            "flow",
            "year",
            "value_usd",
            "valuation",
            "source",
            "provisional",
        ],
    )
    frame["publisher"] = frame["source"].map({"comtrade": "UN Comtrade", "imf_dots_dbnomics": "IMF (2026)"})
    frame["printed_by"] = None
    frame["hs_code"] = "TOTAL"
    return frame


def test_a_share_divides_by_the_same_reporters_world_value_and_converts_a_cif_side() -> None:
    rec = _record(
        [
            ("BRA", "CHN", "export", 2024, 30.0, "FOB", "comtrade"),
            ("BRA", "WLD", "export", 2024, 100.0, "FOB", "imf_dots_dbnomics"),
            ("BRA", "USA", "import", 2024, 10.6, "CIF", "imf_dots_dbnomics"),
            (
                "BRA",
                "WLD",
                "import",
                2024,
                50.0,
                "FOB",
                "imf_dots_dbnomics",
                True,
            ),  # a FOB total: CIF ÷ factor
            (
                "BRA",
                "CHN",
                "import",
                2023,
                5.0,
                "CIF",
                "imf_dots_dbnomics",
            ),  # no World value in 2023: no share
        ]
    )
    shares = peers.share_rows(rec, FACTOR).set_index("indicator")
    assert shares.loc["export_chn", "value_pct"] == pytest.approx(30.0)
    assert not shares.loc["export_chn", "converted"]
    assert shares.loc["export_chn", "source"] == "comtrade / imf_dots_dbnomics"
    assert shares.loc["import_usa", "value_pct"] == pytest.approx(10.6 / FACTOR / 50.0 * 100)
    assert shares.loc["import_usa", "converted"] and "CIF ÷ 1.06" in shares.loc["import_usa", "basis"]
    assert shares.loc["import_usa", "provisional"]  # the World value is provisional
    assert set(shares.index) == {"export_chn", "import_usa"}


def test_the_balance_with_china_is_the_records_headline_over_trade_on_one_footing() -> None:
    rec = _record(
        [
            ("PER", "CHN", "export", 2024, 25.0, "FOB", "comtrade"),
            ("PER", "CHN", "import", 2024, 15.9, "CIF", "imf_dots_dbnomics"),
            ("PER", "WLD", "export", 2024, 80.0, "FOB", "imf_dots_dbnomics"),
            ("PER", "WLD", "import", 2024, 63.6, "CIF", "imf_dots_dbnomics"),
        ]
    )
    balances = record_balance.balance_frame(
        rec[rec["partner_iso3"] == "CHN"], pd.DataFrame(columns=["partner_iso3", "year"]), FACTOR
    )
    balances = balances[balances["headline"]].assign(reporter_iso3="PER")
    [row] = peers.balance_rows(balances, rec, FACTOR).to_dict("records")
    assert row["numerator_usd"] == pytest.approx(25.0 - 15.9 / FACTOR)
    assert row["denominator_usd"] == pytest.approx(80.0 + 63.6 / FACTOR)
    assert row["value_pct"] == pytest.approx((25.0 - 15.9 / FACTOR) / (80.0 + 63.6 / FACTOR) * 100)
    assert "CIF converted to FOB" in row["basis"] and row["converted"]


def _shares(rows: dict[tuple[str, str], dict[int, float]]) -> pd.DataFrame:
    records = [
        {"reporter_iso3": reporter, "indicator": indicator, "year": year, "value_pct": value, "provisional": False,
         "source": "comtrade"}
        for (reporter, indicator), values in rows.items()
        for year, value in values.items()
    ]  # fmt: skip
    return pd.DataFrame(records)


def test_overtaking_years_count_only_years_with_both_shares() -> None:
    frame = _shares(
        {
            # overtakes in 2009, behind again in the last year
            ("ARG", "export_chn"): {2007: 5.0, 2008: 6.0, 2009: 9.0, 2010: 8.0},
            ("ARG", "export_usa"): {2007: 8.0, 2008: 7.0, 2009: 8.0, 2010: 9.0},
            # a gap: China behind in 2001, ahead in 2004 (2002-2003 missing for the US)
            ("BRA", "export_chn"): {2001: 1.0, 2002: 2.0, 2003: 3.0, 2004: 9.0},
            ("BRA", "export_usa"): {2001: 5.0, 2004: 4.0},
            # ahead from the first year; never behind
            ("CHL", "export_chn"): {2000: 9.0, 2001: 9.0},
            ("CHL", "export_usa"): {2000: 3.0, 2001: 3.0},
            # never: a tie is not ahead
            ("MEX", "export_chn"): {2000: 1.0, 2001: 5.0},
            ("MEX", "export_usa"): {2000: 80.0, 2001: 5.0},
        }
    )
    table = peers.overtaking(frame).set_index("reporter_iso3")
    assert table.loc["ARG", "overtaken_year"] == 2009 and not table.loc["ARG", "china_ahead_last"]
    assert table.loc["BRA", "overtaken_year"] == 2004 and table.loc["BRA", "us_last_ahead"] == 2001
    assert pd.isna(table.loc["CHL", "overtaken_year"]) and table.loc["CHL", "china_ahead_first"]
    assert pd.isna(table.loc["MEX", "overtaken_year"]) and not table.loc["MEX", "china_ahead_last"]
    assert set(table["flow"]) == {"export"}  # no import shares: no import row


def test_the_ranking_puts_gaps_last_unranked() -> None:
    frame = _shares(
        {
            ("COL", "export_chn"): {2024: 4.8},
            ("CHL", "export_chn"): {2024: 37.6},
            ("CHL", "import_chn"): {2024: 25.1},
        }
    )
    frame.loc[frame["reporter_iso3"] == "COL", "provisional"] = True
    table = peers.ranking(frame, 2024, "import_chn", ["COL", "CHL", "PER"])
    assert list(table["reporter_iso3"]) == ["CHL", "COL", "PER"]
    assert table["rank"].iloc[0] == 1 and table["rank"].iloc[1:].isna().all()
    assert math.isnan(table.loc[2, "export_chn"])
    assert list(table["provisional"]) == [False, True, False]
    with pytest.raises(ValueError, match="unknown indicator"):
        peers.ranking(frame, 2024, "gdp", ["COL"])


def test_the_mirror_check_pairs_years_both_sides_hold_and_converts_cif() -> None:
    own = _record(
        [
            ("BRA", "CHN", "export", 2023, 104.3, "FOB", "comtrade"),
            ("BRA", "CHN", "import", 2023, 56.4, "CIF", "imf_dots_dbnomics"),
            ("BRA", "CHN", "export", 2024, 94.4, "FOB", "comtrade"),  # no mirror in 2024 here
        ]
    )
    mirror = record.mirror_frame(
        _record(
            [
                ("CHN", "BRA", "import", 2023, 122.5, "CIF", "comtrade"),
                ("CHN", "BRA", "export", 2023, 59.1, "FOB", "comtrade"),
            ]
        ),
        "BRA",
    )
    pairs = peers.mirror_pairs(own, mirror)
    assert len(pairs) == 2 and set(pairs["year"]) == {2023}
    out = peers.mirror_comparison(pairs, FACTOR).set_index("flow")
    assert out.loc["export", "gap_pct"] == pytest.approx((104.3 / 122.5 - 1) * 100)
    assert out.loc["export", "gap_fob_pct"] == pytest.approx((104.3 / (122.5 / FACTOR) - 1) * 100)
    assert out.loc["import", "gap_fob_pct"] == pytest.approx((56.4 / FACTOR / 59.1 - 1) * 100)
    summary = peers.mirror_summary(peers.mirror_comparison(pairs, FACTOR)).set_index("flow")
    assert summary.loc["export", "years"] == 1 and summary.loc["export", "year_list"] == "2023"


@pytest.fixture()
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    create_schema(connection)
    connection.executemany(
        "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, valuation,"
        " source, dataset_id, valuation_stated) VALUES (?, ?, ?, ?, ?, 'TOTAL', 0, ?, ?, ?, 1, TRUE)",
        [
            (2015, "2015", "ECU", "CHN", "import", 3265.0, "CIF", "imf_dots"),
            (2015, "2015", "ECU", "CHN", "import", 4074.0, "CIF", "imf_dots_dbnomics"),
            (2016, "2016", "ECU", "CHN", "import", 3000.0, "CIF", "imf_dots"),
            (2016, "2016", "ECU", "CHN", "import", 3000.0, "CIF", "imf_dots_dbnomics"),
            (2014, "2014", "ECU", "CHN", "import", 3500.0, "CIF", "imf_dots"),  # one vintage only
            (
                2015,
                "2015",
                "ECU",
                "CHN",
                "export",
                100.0,
                "FOB",
                "comtrade",
            ),  # another publisher: not a vintage
            (2015, "2015", "ECU", "CHN", "export", 90.0, "FOB", "imf_dots_dbnomics"),
            (2015, "2015", "ECU", "WLD", "import", 20_000.0, "CIF", "imf_dots_dbnomics"),
            (2015, "2015", "ECU", "WLD", "import", 20_000.0, "CIF", "imf_dots"),
        ],
    )
    yield connection


def test_vintage_gaps_compare_the_two_imf_vintages_only(con: duckdb.DuckDBPyConnection) -> None:
    gaps = peers.query_vintage_gaps(con, reporters=["ECU"])
    assert list(gaps["partner_iso3"]) == ["CHN", "WLD"]  # largest gap first; exports: one vintage only
    chn = gaps.iloc[0]
    assert chn["largest_gap_pct"] == pytest.approx((4074 / 3265 - 1) * 100)
    assert chn["largest_gap_year"] == 2015 and chn["years"] == "2015–2016"
    assert gaps.iloc[1]["largest_gap_pct"] == 0.0


def test_indicators_from_the_database_follow_the_record(con: duckdb.DuckDBPyConnection) -> None:
    frame = peers.query_peer_indicators(con, reporters=["ECU"], factor=FACTOR)
    [row] = frame.to_dict("records")  # imports from China 2015 ÷ imports from the World 2015
    assert row["indicator"] == "import_chn"
    assert row["value_pct"] == pytest.approx(4074.0 / 20_000.0 * 100)  # the later vintage
    assert row["source"] == "imf_dots_dbnomics"


def test_small_multiples_share_one_scale_and_draw_gaps() -> None:
    frame = pd.DataFrame(
        {
            "country": ["Chile", "Chile", "Chile", "Mexico", "Mexico"],
            "series": ["China", "China", "China", "China", "China"],
            "year": [2000, 2002, 2003, 2000, 2003],
            "value_pct": [5.0, 20.0, 30.0, 1.0, 2.0],
            "source": ["comtrade"] * 5,
        }
    )
    fig = peer_charts.small_multiples(
        frame, panel="country", color="series", y="value_pct", title="t", y_title="%", x_title="Year",
        footnote="Source: x", panels=["Chile", "Mexico", "Peru"], year_range=(2000, 2003),
        markers=[(2014.5, "IMF: later vintage from 2015")],
    )  # fmt: skip
    chile = next(trace for trace in fig.data if trace.xaxis == "x")
    assert list(chile.x) == [2000, 2001, 2002, 2003] and math.isnan(chile.y[1])  # 2001 is a gap, not zero
    assert not chile.connectgaps
    ranges = {tuple(fig.layout[f"yaxis{s}"].range) for s in ("", "2", "3")}
    assert len(ranges) == 1  # one scale for every panel
    titles = [a.text for a in fig.layout.annotations]
    assert "<b>Peru</b>" in titles  # a panel without data still shows (empty)
    assert len(fig.layout.shapes) == 3  # the marker in each panel, its label under the footnote
    assert "IMF: later vintage from 2015" in fig.layout.annotations[-1].text


def test_an_empty_database_gives_empty_frames_not_errors() -> None:
    connection = duckdb.connect(":memory:")
    create_schema(connection)
    indicators = peers.query_peer_indicators(connection, factor=FACTOR)
    assert indicators.empty and list(indicators.columns) == peers.INDICATOR_COLUMNS
    assert peers.overtaking(indicators).empty
    assert peers.ranking(indicators, 2024, "export_chn")["rank"].isna().all()
    assert peers.query_mirror_overview(connection, factor=FACTOR).empty
    assert peers.query_vintage_gaps(connection).empty


def test_small_multiples_fit_a_phone_three_to_a_row_with_upright_years() -> None:
    """Four panels to a row were 70 px wide on a 400-px screen: the years turned upright and ran into the next
    row's country names. Three to a row, upright years, the scale written once per row."""
    names = ["Colombia", "Argentina", "Brazil", "Chile", "Ecuador", "Mexico", "Peru"]
    frame = pd.DataFrame(
        {
            "country": names,
            "series": ["China"] * 7,
            "year": [2000] * 7,
            "value_pct": [1.0] * 7,
            "source": ["x"] * 7,
        }
    )
    fig = peer_charts.small_multiples(
        frame, panel="country", color="series", y="value_pct", title="t", y_title="%", x_title="Year",
        footnote="Source: x", panels=names, year_range=(2000, 2024),
    )  # fmt: skip
    lefts = sorted({round(fig.layout[f"xaxis{'' if i == 0 else i + 1}"].domain[0], 3) for i in range(7)})
    assert len(lefts) == 3  # three columns
    tops = sorted({round(fig.layout[f"yaxis{'' if i == 0 else i + 1}"].domain[1], 3) for i in range(7)})
    assert len(tops) == 3  # three rows for seven countries
    for i in range(7):
        suffix = "" if i == 0 else str(i + 1)
        assert fig.layout[f"xaxis{suffix}"].tickangle == 0
        assert fig.layout[f"yaxis{suffix}"].showticklabels is (i % 3 == 0)
