"""Verdict logic of the claim cards on small fixtures built in an in-memory DuckDB with the real schema."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from dashboard import claims as c
from dashboard.claims.check_outlook import largest_yearly_increase
from etl.schema import create_schema
from etl.settings import SEEDS_DIR
from etl.years import format_years

SPECS = {spec.id: spec for spec in c.read_claims()}
B = 1e9


def make_db(trade: Iterable[tuple] = (), published: Iterable[tuple] = (), timeline: Iterable[tuple] = (),
            exemptions: Iterable[tuple] = (), gdp: Iterable[tuple] = ()) -> duckdb.DuckDBPyConnection:  # fmt: skip
    """trade rows: (source, year, period, reporter, partner, flow, hs_code, value_usd[, duty_usd])."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.execute("INSERT INTO datasets VALUES (1, 'fixture.csv', 'x', 'csv', NULL, 'fixture', NULL, NULL, NULL, 0, now())")
    for row in trade:
        source, year, period, reporter, partner, flow, hs_code, value, *duty = row
        valuation = "FOB" if flow == "export" else "CIF"
        level = 0 if hs_code == "TOTAL" else len(hs_code)
        con.execute(
            "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, "
            "valuation, source, dataset_id, duty_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            [year, period, reporter, partner, flow, hs_code, level, value, valuation, source, duty[0] if duty else None],
        )
    for year, reporter, partner, flow, value, valuation, publisher, chosen in published:
        con.execute("INSERT INTO published_figures VALUES (?, ?, ?, ?, ?, ?, ?, 'https://example.org', 'q', ?, 1)",
                    [year, reporter, partner, flow, value, valuation, publisher, chosen])  # fmt: skip
    for date, iso3, pct in timeline:
        con.execute("INSERT INTO us_tariff_timeline VALUES (?, ?, ?, ?, NULL, NULL, 1)", [date, iso3, iso3, pct])
    for hts, list_name in exemptions:
        con.execute("INSERT INTO us_tariff_exemptions VALUES (?, ?, 1)", [hts, list_name])
    for iso3, year, value in gdp:
        con.execute("INSERT INTO gdp VALUES (?, ?, ?)", [iso3, year, value])
    return con


def card(claim_id: int, con: duckdb.DuckDBPyConnection, **tolerance: float) -> c.ClaimCard:
    spec = SPECS[claim_id]
    if tolerance:
        spec = replace(spec, tolerance={**spec.tolerance, **tolerance})
    return c.build_card(spec, c.query_claim_data(con, with_scenarios=False))


def dots(year: int, reporter: str, partner: str, exports: float, imports: float) -> list[tuple]:
    return [("imf_dots", year, str(year), reporter, partner, "export", "TOTAL", exports),
            ("imf_dots", year, str(year), reporter, partner, "import", "TOTAL", imports)]  # fmt: skip


def china_2024(exports: float, imports: float, balance: float | None = None) -> list[tuple]:
    rows = [(2024, "COL", "CHN", "export", exports, "unknown", "Paper A", True),
            (2024, "COL", "CHN", "import", imports, "unknown", "Paper A", True)]  # fmt: skip
    if balance is not None:
        rows.append((2024, "COL", "CHN", "balance", balance, "unknown", "Paper A", True))
    return rows


# ------------------------------------------------------------------------------------- the spec file


def test_every_quote_is_verbatim_in_its_article() -> None:
    assert len(SPECS) >= 10
    for spec in SPECS.values():
        text = (SEEDS_DIR / spec.article).read_text(encoding="utf-8")
        assert spec.quote in text, spec.id
        if spec.related_quote:
            assert spec.related_quote in (SEEDS_DIR / (spec.related_article or spec.article)).read_text(encoding="utf-8")
        assert spec.kind in c.KINDS
        assert spec.check in c.CHECKS
        assert spec.tolerance_text, f"claim {spec.id} shows no tolerance"


def test_kinds_of_the_ten_claims() -> None:
    kinds = {i: SPECS[i].kind for i in range(1, 11)}
    assert kinds == {1: "checkable", 2: "checkable", 3: "checkable", 4: "checkable", 5: "scenario",
                     6: "checkable", 7: "scenario", 8: "context", 9: "checkable", 10: "out_of_scope"}  # fmt: skip


# ------------------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("value", "expected"),
    [(13.559 * B, c.SUPPORTED), (14.7 * B, c.SUPPORTED), (12.66 * B, c.PARTLY), (8.56 * B, c.NOT_SUPPORTED),
     (None, c.CANNOT_CHECK), (float("nan"), c.CANNOT_CHECK)],
)  # fmt: skip
def test_verdict_close_to(value: float | None, expected: str) -> None:
    assert c.verdict_close_to(value, 14 * B, 5, 15) == expected


def test_verdict_share_and_conditions() -> None:
    assert c.verdict_share_at_least([0.93, 1.17], 0.9, 0.75) == c.SUPPORTED
    assert c.verdict_share_at_least([0.93, 0.80], 0.9, 0.75) == c.PARTLY
    assert c.verdict_share_at_least([0.5], 0.9, 0.75) == c.NOT_SUPPORTED
    assert c.verdict_share_at_least([None, float("nan")], 0.9, 0.75) == c.CANNOT_CHECK
    assert c.verdict_conditions([True, True]) == c.SUPPORTED
    assert c.verdict_conditions([True, False]) == c.PARTLY
    assert c.verdict_conditions([False, False]) == c.NOT_SUPPORTED
    assert c.verdict_conditions([True, None]) == c.CANNOT_CHECK


def test_format_years_and_neutralise() -> None:
    assert format_years([2023, 2021, 2022, 2025, 2022]) == "2021–2023, 2025"
    assert format_years([]) == ""
    assert c.neutralise_cell("=1+1") == "'=1+1"
    assert c.neutralise_cell("-3") == "'-3"
    assert c.neutralise_cell("\tx") == "'\tx"
    assert c.neutralise_cell("ok") == "ok"
    assert c.neutralise_cell(-3.0) == -3.0


def test_largest_yearly_increase_skips_gaps() -> None:
    frame = pd.DataFrame({"year": [2010, 2011, 2013, 2014], "value_usd": [1.0, 2.0, 10.0, 10.5]})
    assert largest_yearly_increase(frame) == (2011, 1.0)  # 2011→2013 is not a yearly change
    assert largest_yearly_increase(frame.head(1)) is None


# ------------------------------------------------------------------------------------- claim 1


def test_claim1_supported_with_numbers_from_every_perspective() -> None:
    con = make_db(
        trade=dots(2020, "COL", "CHN", 2.751 * B, 10.399 * B) + dots(2020, "CHN", "COL", 9.3 * B, 4.3 * B),
        published=china_2024(2.377 * B, 15.936 * B, -13.559 * B),
    )
    result = card(1, con)
    assert result.verdict == c.SUPPORTED
    assert result.facts["deficit_usd"] == pytest.approx(13.559 * B)
    assert result.facts["reconciled_deficit_usd"] == pytest.approx(15.936 * B / 1.06 - 2.377 * B)
    assert result.facts["mirror_deficit_usd"] == pytest.approx(9.3 * B - 4.3 * B)
    assert set(result.numbers["perspective"]) == {c.COL_REPORTED, c.MIRROR, c.RECONCILED}
    text = " ".join(result.explanation)
    assert "13.56" in text and "2024" in text and "3.1 %" in text
    assert any("2021–2023" in m for m in result.missing), result.missing


def test_claim1_partly_and_not_supported() -> None:
    partly = card(1, make_db(published=china_2024(2.0 * B, 14.5 * B)))  # 12.5 bn: 10.7 % off
    assert partly.verdict == c.PARTLY
    assert partly.facts["deficit_usd"] == pytest.approx(12.5 * B)
    not_supported = card(1, make_db(trade=dots(2020, "COL", "CHN", 2.751 * B, 10.399 * B)))
    assert not_supported.verdict == c.NOT_SUPPORTED
    assert "7.65" in not_supported.explanation[0]
    assert any("2021–2024" in m for m in not_supported.missing)


def test_claim1_cannot_be_checked_on_empty_data_and_says_what_is_missing() -> None:
    result = card(1, make_db())
    assert result.verdict == c.CANNOT_CHECK
    assert any("2010–2024" in m for m in result.missing)


def test_tolerance_comes_from_the_spec() -> None:
    con = make_db(published=china_2024(2.377 * B, 15.936 * B, -13.559 * B))
    assert card(1, con, match_pct=1.0, partial_pct=2.0).verdict == c.NOT_SUPPORTED


# ------------------------------------------------------------------------------------- claim 2


def world_2024(exports: float, imports: float, balance: float) -> list[tuple]:
    return [(2024, "COL", "WLD", "export", exports, "FOB", "Paper W", True),
            (2024, "COL", "WLD", "import", imports, "CIF", "Paper W", True),
            (2024, "COL", "WLD", "balance", balance, "FOB", "Paper W", True)]  # fmt: skip


def test_claim2_supported_on_each_consistent_valuation() -> None:
    con = make_db(published=china_2024(2.377 * B, 15.936 * B, -13.559 * B)
                  + world_2024(49.552 * B, 64.104 * B, -10.811 * B))  # fmt: skip
    result = card(2, con)
    assert result.verdict == c.SUPPORTED
    assert result.facts["share_CIF"] == pytest.approx(13.559 / 14.552, rel=1e-6)
    assert result.facts["share_FOB"] == pytest.approx((15.936 / 1.06 - 2.377) / 10.811, rel=1e-6)
    assert result.facts["share_mixed"] == pytest.approx(13.559 / 10.811, rel=1e-6)
    assert "Above 100 %" in " ".join(result.explanation)


def test_claim2_partly_and_not_supported_and_cannot_check() -> None:
    # CIF share 80 %: partly; the FOB basis is not available without a headline balance.
    con = make_db(trade=dots(2020, "COL", "CHN", 2 * B, 10 * B) + dots(2020, "COL", "WLD", 30 * B, 40 * B))
    result = card(2, con, share_min=0.9, partial_share_min=0.75)
    shares = result.series.set_index("basis")["share"]
    assert shares[c.SHARE_BASES[0]] == pytest.approx(0.8)
    assert shares[c.SHARE_BASES[1]] == pytest.approx((10 / 1.06 - 2) / (40 / 1.06 - 30))
    assert result.verdict == c.PARTLY
    low = make_db(trade=dots(2020, "COL", "CHN", 2 * B, 5 * B) + dots(2020, "COL", "WLD", 30 * B, 42 * B))
    assert card(2, low).verdict == c.NOT_SUPPORTED
    assert card(2, make_db(published=china_2024(2 * B, 16 * B))).verdict == c.CANNOT_CHECK


# ------------------------------------------------------------------------------------- claims 3 and 9


def dian_year(year: int, partner: str, monthly: float, months: int = 12) -> list[tuple]:
    return [("dian", year, f"{year}{m:02d}", "COL", partner, "export", "TOTAL", monthly) for m in range(1, months + 1)]


def test_claim3_us_dependence_verdicts() -> None:
    base = dots(2010, "COL", "USA", 17 * B, 10 * B) + dots(2010, "COL", "CHN", 2 * B, 5 * B) + dots(2010, "COL", "WLD", 40 * B, 40 * B)
    supported = make_db(trade=base + dian_year(2024, "USA", 1.2 * B) + dian_year(2024, "CHN", 0.2 * B) + dian_year(2024, "WLD", 4 * B)
                        + dian_year(2025, "USA", 4 * B) + dian_year(2025, "CHN", 0.1 * B) + dian_year(2025, "WLD", 4.2 * B))  # fmt: skip
    result = card(3, supported)
    assert result.verdict == c.SUPPORTED
    assert result.facts["year"] == 2024  # 2025 is not comparable (destinations withheld)
    assert result.facts["us_export_share"] == pytest.approx(0.3)
    partly = make_db(trade=base + dian_year(2024, "USA", 0.8 * B) + dian_year(2024, "CHN", 0.2 * B) + dian_year(2024, "WLD", 4 * B))
    assert card(3, partly).verdict == c.PARTLY
    no = make_db(trade=base + dian_year(2024, "USA", 0.4 * B) + dian_year(2024, "CHN", 0.6 * B) + dian_year(2024, "WLD", 4 * B))
    assert card(3, no).verdict == c.NOT_SUPPORTED
    assert card(3, make_db()).verdict == c.CANNOT_CHECK


def test_claim9_import_growth() -> None:
    rising = make_db(trade=dots(2010, "COL", "CHN", 2 * B, 5.477 * B) + dots(2010, "COL", "WLD", 39 * B, 40.682 * B),
                     published=china_2024(2.377 * B, 15.936 * B) + world_2024(49.552 * B, 64.104 * B, -10.8 * B))  # fmt: skip
    result = card(9, rising)
    assert result.verdict == c.SUPPORTED
    assert result.facts["last_share"] == pytest.approx(15.936 / 64.104)
    assert result.facts["growth_factor"] == pytest.approx(15.936 / 5.477)
    flat = make_db(trade=dots(2010, "COL", "CHN", 2 * B, 5 * B) + dots(2010, "COL", "WLD", 39 * B, 40 * B)
                   + dots(2011, "COL", "CHN", 2 * B, 6 * B) + dots(2011, "COL", "WLD", 39 * B, 46 * B))  # fmt: skip
    assert card(9, flat).verdict == c.PARTLY  # grew, share barely moved
    falling = make_db(trade=dots(2010, "COL", "CHN", 2 * B, 5 * B) + dots(2010, "COL", "WLD", 39 * B, 40 * B)
                      + dots(2011, "COL", "CHN", 2 * B, 4 * B) + dots(2011, "COL", "WLD", 39 * B, 46 * B))  # fmt: skip
    assert card(9, falling).verdict == c.NOT_SUPPORTED
    only_one = card(9, make_db(trade=dots(2010, "COL", "CHN", 2 * B, 5 * B) + dots(2010, "COL", "WLD", 39 * B, 40 * B)))
    assert only_one.verdict == c.CANNOT_CHECK
    assert any("2011–2024" in m for m in only_one.missing)


# ------------------------------------------------------------------------------------- claim 4


def product(partner: str, hs10: str, value: float, duty: float) -> tuple:
    return ("us_census_consumption", 2024, "2024", "USA", partner, "import", hs10, value, duty)


def test_claim4_rivals_present_without_tariff_gap_is_partly_supported() -> None:
    rows = [product("COL", "0603110060", 600e6, 0), product("ECU", "0603110060", 400e6, 27e6),
            product("COL", "0901110015", 1000e6, 0), product("GTM", "0901110015", 300e6, 0),
            product("BRA", "0901110015", 700e6, 0)]  # fmt: skip
    timeline = [("2025-04-11", "COL", 7.5), ("2025-04-11", "ECU", 5.9), ("2025-04-11", "GTM", 10.0)]
    result = card(4, make_db(trade=rows, timeline=timeline))
    assert result.facts["0603_rival_share"] == pytest.approx(0.4)
    assert result.facts["0901_rival_share"] == pytest.approx(0.15)
    # equal 10 points: Colombia (0 %) rises 10 %, Ecuador (6.75 %) 9.37 %: 0.58 % relative shift
    assert result.facts["0603_price_shift"] == pytest.approx(1.10 / (1.1675 / 1.0675) - 1)
    assert result.facts["tariff_gap_pts"] == pytest.approx(7.5 - (5.9 + 10.0) / 2)
    assert result.verdict == c.PARTLY


def test_claim4_supported_not_supported_and_missing() -> None:
    big_rivals = [product("COL", "0603110060", 600e6, 0), product("ECU", "0603110060", 400e6, 0),
                  product("COL", "0901110015", 1000e6, 0), product("HND", "0901110015", 500e6, 0)]  # fmt: skip
    high_col = [("2025-04-11", "COL", 15.0), ("2025-04-11", "ECU", 10.0), ("2025-04-11", "HND", 10.0)]
    assert card(4, make_db(trade=big_rivals, timeline=high_col)).verdict == c.SUPPORTED
    tiny_rivals = [product("COL", "0603110060", 990e6, 0), product("ECU", "0603110060", 10e6, 0),
                   product("COL", "0901110015", 1000e6, 0), product("HND", "0901110015", 5e6, 0)]  # fmt: skip
    low_col = [("2025-04-11", "COL", 5.0), ("2025-04-11", "ECU", 10.0), ("2025-04-11", "HND", 10.0)]
    assert card(4, make_db(trade=tiny_rivals, timeline=low_col)).verdict == c.NOT_SUPPORTED
    empty = card(4, make_db())
    assert empty.verdict == c.CANNOT_CHECK
    assert any("HS 0603" in m for m in empty.missing)


# ------------------------------------------------------------------------------------- claim 6


def test_claim6_statutory_rise_nets_out_annex_ii_from_day_one() -> None:
    timeline = [("2025-04-03", "COL", 1.23), ("2025-04-05", "COL", 10.74), ("2025-04-11", "COL", 7.53)]
    rows = [product("COL", "2709002010", 5e9, 0), product("COL", "2701120010", 0.1e9, 0),
            product("COL", "0603110060", 4.9e9, 0)]  # fmt: skip
    rows += dian_year(2024, "USA", 1.0 * B) + dian_year(2025, "USA", 1.1 * B) + dian_year(2025, "_X", 0.4 * B)
    exemptions = [("2709002000", "annex_ii_2025_04"), ("2701120000", "annex_ii_2025_04"),
                  ("0603110000", "annex_ii_2025_11")]  # the November list must not count for April
    result = card(6, make_db(trade=rows, timeline=timeline, exemptions=exemptions))
    # 10 % on the 4.9 of 10.0 bn not exempt: 4.9 points, below the 5-point partial bound
    assert result.facts["exempt_usd"] == pytest.approx(5.1e9)
    assert result.facts["total_usd"] == pytest.approx(10e9)
    assert result.facts["rise_pts"] == pytest.approx(4.9)
    assert result.verdict == c.NOT_SUPPORTED
    assert result.facts["tracker_rise_pts"] == pytest.approx(10.74 - 1.23)  # the alternative, labelled
    assert result.facts["article_pct"] == pytest.approx(7.53)
    assert any("tradewartracker" in a for a in result.alternatives)
    assert "4.9 points, not 10" in result.disagreement
    assert result.facts["us_exports_after_usd"] == pytest.approx(9 * 1.1 * B)  # April–December
    assert result.facts["us_exports_prior_usd"] == pytest.approx(9 * 1.0 * B)
    assert "no declared destination" in " ".join(result.explanation)


@pytest.mark.parametrize(
    ("exempt_bn", "expected"),
    [(0.0, c.SUPPORTED), (2.0, c.SUPPORTED), (2.01, c.PARTLY), (5.0, c.PARTLY), (5.01, c.NOT_SUPPORTED)],
)  # fmt: skip
def test_claim6_bounds(exempt_bn: float, expected: str) -> None:
    """10 bn imported; 10 % on what is not exempt: 10, 8, 7.99, 5 and 4.99 points."""
    rows = [product("COL", "2709002010", exempt_bn * B, 0), product("COL", "0901110015", (10 - exempt_bn) * B, 0)]
    assert card(6, make_db(trade=rows, exemptions=[("2709002000", "annex_ii_2025_04")])).verdict == expected


def test_claim6_annex_i_rate_and_missing() -> None:
    con = make_db(trade=[product("COL", "0901110015", 10 * B, 0)], exemptions=[("2709002000", "annex_ii_2025_04")])
    con.execute("INSERT INTO us_reciprocal_rates VALUES ('Colombia', 'COL', 25.0, 'eo14257_annex_i', 1)")
    listed = card(6, con)
    assert listed.facts["rise_pts"] == pytest.approx(25.0)  # a listed country's own rate, not the baseline
    assert listed.verdict == c.NOT_SUPPORTED  # 25 points is beyond the 15-point upper bound
    empty = card(6, make_db())
    assert empty.verdict == c.CANNOT_CHECK
    assert empty.missing



# ------------------------------------------------------------------------------------- scenario, context, out of scope


def test_claim7_scenario_compares_with_the_largest_yearly_increase() -> None:
    con = make_db(trade=dots(2017, "COL", "CHN", 1.706 * B, 8 * B) + dots(2018, "COL", "CHN", 3.578 * B, 10 * B),
                  published=china_2024(2.377 * B, 15.936 * B, -13.559 * B))  # fmt: skip
    result = card(7, con)
    assert result.verdict == c.SCENARIO
    assert result.facts["best_year"] == 2018
    assert result.facts["best_increase_usd"] == pytest.approx(1.872 * B)
    assert result.facts["years_at_best_pace"] == pytest.approx(13.559 / 1.872)


def test_claim5_is_a_scenario_and_claim10_out_of_scope() -> None:
    con = make_db(trade=[product("COL", "0901110015", 1000e6, 0), product("BRA", "0901110015", 2000e6, 0)])
    assert card(5, con).verdict == c.SCENARIO
    assert "BRA 66.7 %" in " ".join(card(5, con).explanation)
    out = card(10, con)
    assert out.verdict == c.OUT_OF_SCOPE and out.numbers.empty


def test_claim8_context_with_gdp_and_missing_years() -> None:
    con = make_db(trade=dots(2020, "COL", "CHN", 2.751 * B, 10.399 * B),
                  published=china_2024(2.377 * B, 15.936 * B, -13.559 * B),
                  gdp=[("COL", 2020, 270e9), ("COL", 2023, 363.5e9)])  # fmt: skip
    result = card(8, con)
    assert result.verdict == c.CONTEXT
    assert result.facts["deficit_gdp_share"] == pytest.approx(7.648 / 270)
    assert result.facts["latest_deficit_over_gdp"] == pytest.approx(13.559 / 363.5)
    assert any("GDP for 2024" in m for m in result.missing)


def test_csv_frame_neutralises_text_cells() -> None:
    con = make_db(published=[(2024, "COL", "CHN", "export", 2.0 * B, "unknown", "=HYPERLINK(evil)", True),
                             (2024, "COL", "CHN", "import", 15.0 * B, "unknown", "=HYPERLINK(evil)", True)])  # fmt: skip
    frame = c.card_csv_frame(card(1, con))
    assert frame["claim_id"].eq(1).all()
    assert frame["publisher"].str.startswith("'=").all()
    assert not any(isinstance(v, str) and v[:1] in "=+-@" for v in frame.astype(str).to_numpy().ravel()
                   if not _is_number(v))  # fmt: skip


def _is_number(text: str) -> bool:
    try:
        return not math.isnan(float(text))
    except ValueError:
        return False


def test_every_card_builds_on_an_empty_database() -> None:
    cards = c.build_cards(c.query_claim_data(make_db()))  # scenarios included: they fail without lines
    assert [k.spec.id for k in cards] == sorted(SPECS)
    for k in cards:
        assert k.verdict in c.VERDICTS
        assert list(k.numbers.columns) == list(c.NUMBER_COLUMNS)


def test_failed_scenarios_are_reported_not_raised() -> None:
    data = c.query_claim_data(make_db())
    assert set(data.scenario_errors) == {c.SINGLED_OUT_PRESET, c.EVERYONE_PRESET}
    text = " ".join(c.build_card(SPECS[5], data).explanation)
    assert "Scenario not shown" in text


def test_scenario_results_feed_claims_4_and_5() -> None:
    data = c.query_claim_data(make_db(trade=[product("COL", "0603110060", 600e6, 0),
                                             product("ECU", "0603110060", 400e6, 0),
                                             product("COL", "0901110015", 1000e6, 0),
                                             product("GTM", "0901110015", 300e6, 0)]), with_scenarios=False)  # fmt: skip
    central = ", ".join(c.CENTRAL_AMERICA)
    focus = pd.DataFrame({"hs_prefix": ["060311", "0901"], "partners": ["ECU", central],
                          "total_change_usd": [33e6, 41e6], "trade_diversion_usd": [33e6, 41e6],
                          "low_usd": [16e6, 20e6], "high_usd": [67e6, 79e6]})  # fmt: skip
    everyone = focus.assign(total_change_usd=[-50e6, -90e6], trade_diversion_usd=[0.13e6, -0.04e6])
    partners = pd.DataFrame({"partner_iso3": ["COL", "MEX", "CAN", "ECU"],
                             "trade_diversion_usd": [-35e6, 300e6, 600e6, 100e6],
                             "total_change_usd": [-4.4e9, 300e6, 600e6, 100e6]})  # fmt: skip
    data = replace(data, scenario_focus={c.SINGLED_OUT_PRESET: focus, c.EVERYONE_PRESET: everyone},
                   scenario_partners={c.SINGLED_OUT_PRESET: partners})  # fmt: skip
    four = c.build_card(SPECS[4], data)
    assert four.facts[f"{c.SINGLED_OUT_PRESET}_060311_gain_usd"] == 33e6
    assert "USD +33 m" in " ".join(four.explanation) and "USD +0.1 m" in " ".join(four.explanation)
    five = c.build_card(SPECS[5], data)
    assert five.verdict == c.SCENARIO
    assert five.facts["latam_share"] == pytest.approx(400 / 1000)  # MEX + ECU of all positive diversion
    assert five.facts["colombia_change_usd"] == -4.4e9
