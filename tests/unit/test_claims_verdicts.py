"""Verdict logic of the claim cards on small fixtures built in an in-memory DuckDB with the real schema."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from dashboard import claims as c
from dashboard.claims.card import number_row, numbers_frame, span_gaps
from dashboard.claims.check_outlook import largest_yearly_increase
from etl.db import create_schema
from etl.settings import SEEDS_DIR
from etl.years import format_years

SPECS = {spec.id: spec for spec in c.read_claims()}
B = 1e9


def make_db(trade: Iterable[tuple] = (), published: Iterable[tuple] = (), timeline: Iterable[tuple] = (),
            exemptions: Iterable[tuple] = (), gdp: Iterable[tuple] = ()) -> duckdb.DuckDBPyConnection:  # fmt: skip
    """trade rows: (source, year, period, reporter, partner, flow, hs_code, value_usd[, duty_usd])."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    con.execute(
        "INSERT INTO datasets (dataset_id, path, sha256, format, source, publisher, licenc"
        "e, origin, description, row_count, loaded_at) VALUES (1, 'fixture.csv', 'x', 'csv', NULL, 'fixture', NULL, NULL, NULL, 0, now())"
    )
    for row in trade:
        source, year, period, reporter, partner, flow, hs_code, value, *duty = row
        valuation = "FOB" if flow == "export" else "CIF"
        level = 0 if hs_code == "TOTAL" else len(hs_code)
        con.execute(
            "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, "
            "valuation, source, dataset_id, duty_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            [
                year,
                period,
                reporter,
                partner,
                flow,
                hs_code,
                level,
                value,
                valuation,
                source,
                duty[0] if duty else None,
            ],
        )
    for year, reporter, partner, flow, value, valuation, publisher, chosen in published:
        con.execute("INSERT INTO published_figures VALUES (?, ?, ?, ?, ?, ?, ?, 'https://example.org', 'q', ?, 1)",
                    [year, reporter, partner, flow, value, valuation, publisher, chosen])  # fmt: skip
        if chosen and flow in (
            "export",
            "import",
        ):  # as the loader does: chosen printed trade figures join `trade`
            stated = valuation in ("FOB", "CIF")
            con.execute(
                "INSERT INTO trade (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd, "
                "valuation, source, dataset_id, valuation_stated) VALUES (?, ?, ?, ?, ?, 'TOTAL', 0, ?, ?, "
                "'published', 1, ?)",
                [year, str(year), reporter, partner, flow, value,
                 valuation if stated else ("FOB" if flow == "export" else "CIF"), stated],
            )  # fmt: skip
    for date, iso3, pct in timeline:
        con.execute(
            "INSERT INTO us_tariff_timeline VALUES (?, ?, ?, ?, NULL, NULL, 1)", [date, iso3, iso3, pct]
        )
    for hts, list_name in exemptions:
        con.execute("INSERT INTO us_tariff_exemptions VALUES (?, ?, 1)", [hts, list_name])
    for iso3, year, value, *source in gdp:
        con.execute("INSERT INTO gdp VALUES (?, ?, ?, ?, ?)",
                    [iso3, year, value, *(source or ["world_bank"]), "GDP publisher"])  # fmt: skip
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
            assert spec.related_quote in (SEEDS_DIR / (spec.related_article or spec.article)).read_text(
                encoding="utf-8"
            )
        assert spec.kind in c.KINDS
        assert spec.check in c.CHECKS
        assert spec.tolerance_text, f"claim {spec.id} shows no tolerance"


def test_kinds_of_the_ten_claims() -> None:
    kinds = {i: SPECS[i].kind for i in range(1, 11)}
    assert kinds == {1: "checkable", 2: "checkable", 3: "checkable", 4: "scenario", 5: "scenario",
                     6: "checkable", 7: "scenario", 8: "checkable", 9: "checkable", 10: "out_of_scope"}  # fmt: skip


# ------------------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("value", "expected"),
    [(13.559 * B, c.SUPPORTED), (14.7 * B, c.SUPPORTED), (12.66 * B, c.PARTLY), (8.56 * B, c.NOT_SUPPORTED),
     (None, c.CANNOT_CHECK), (float("nan"), c.CANNOT_CHECK)],
)  # fmt: skip
def test_verdict_close_to(value: float | None, expected: str) -> None:
    assert c.verdict_close_to(value, 14 * B, 5, 15) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.90, c.SUPPORTED), (1.00, c.SUPPORTED), (1.10, c.SUPPORTED), (0.8999, c.PARTLY), (1.1001, c.PARTLY),
     (0.75, c.PARTLY), (1.25, c.PARTLY), (0.7499, c.NOT_SUPPORTED), (1.2501, c.NOT_SUPPORTED),
     (9.18, c.NOT_SUPPORTED), (None, c.CANNOT_CHECK), (float("nan"), c.CANNOT_CHECK)],
)  # fmt: skip
def test_verdict_within_has_both_bounds(value: float | None, expected: str) -> None:
    """ "Practically the entire": 90–110 %; 918 % (a tiny total deficit) is not "practically the entire"."""
    assert c.verdict_within(value, (0.90, 1.10), (0.75, 1.25)) == expected


def test_verdict_within_refuses_a_supported_range_outside_the_partial_one() -> None:
    with pytest.raises(ValueError):
        c.verdict_within(1.0, (0.5, 1.5), (0.75, 1.25))


def test_verdict_conditions() -> None:
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


def world_2024(exports: float, imports: float, balance: float) -> list[tuple]:
    """DANE's own 2024 figures as a page printed them: the balance is DANE's (exports FOB − imports FOB)."""
    return [(2024, "COL", "WLD", "export", exports, "FOB", "Paper W (citing DANE)", True),
            (2024, "COL", "WLD", "import", imports, "CIF", "Paper W (citing DANE)", True),
            (2024, "COL", "WLD", "balance", balance, "FOB", "Paper W (citing DANE)", True)]  # fmt: skip


def dane_balance(year: int, partner: str, balance: float) -> tuple:
    return (year, "COL", partner, "balance", balance, "FOB", "Paper D (citing DANE)", True)


def test_claim1_headline_is_danes_own_balance_with_alternatives_beside_it() -> None:
    con = make_db(
        trade=dots(2024, "CHN", "COL", 9.3 * B, 4.3 * B),
        published=china_2024(2.377 * B, 15.936 * B) + [dane_balance(2024, "CHN", -13.9 * B)],
    )
    result = card(1, con)
    assert result.facts["deficit_usd"] == pytest.approx(13.9 * B)  # DANE's printed FOB/FOB balance, not X − M
    assert result.verdict == c.SUPPORTED  # 0.7 % from 14 bn
    assert "official" in result.basis and "DANE" in result.citation and "Paper D" in result.citation
    assert result.facts["mixed_deficit_usd"] == pytest.approx(15.936 * B - 2.377 * B)
    # China's exports (FOB) − its imports (CIF ÷ 1.06): the partner's figures on the same FOB basis
    assert result.facts["mirror_deficit_usd"] == pytest.approx(9.3 * B - 4.3 * B / 1.06)
    assert any("mixed valuation" in a for a in result.alternatives)
    assert any("as China reports it" in a for a in result.alternatives)
    assert result.disagreement == ""
    assert set(result.numbers["perspective"]) == {c.COL_REPORTED, c.MIRROR, c.MIXED}


def test_claim1_without_a_dane_balance_the_headline_is_the_fob_estimate_and_the_card_says_where_14_comes_from() -> (
    None
):
    result = card(1, make_db(published=china_2024(2.377 * B, 15.936 * B)))
    expected = 15.936 * B / 1.06 - 2.377 * B  # imports CIF ÷ 1.06: 12.66 bn
    assert result.facts["deficit_usd"] == pytest.approx(expected)
    assert result.verdict == c.PARTLY  # 9.6 % below 14 bn: outside ±5 %, inside ±15 %
    assert "estimate" in result.basis and "CIF ÷ 1.06" in result.basis
    assert "matches only the mixed-valuation difference" in result.disagreement  # 13.56 bn is within 5 %


@pytest.mark.parametrize(
    ("deficit_bn", "expected"),
    [
        (13.3, c.SUPPORTED),
        (14.7, c.SUPPORTED),
        (13.29, c.PARTLY),
        (16.09, c.PARTLY),
        (11.91, c.PARTLY),
        (11.89, c.NOT_SUPPORTED),
        (16.11, c.NOT_SUPPORTED),
    ],
)
def test_claim1_bounds_on_both_sides(deficit_bn: float, expected: str) -> None:
    con = make_db(published=china_2024(2 * B, 20 * B) + [dane_balance(2024, "CHN", -deficit_bn * B)])
    assert card(1, con).verdict == expected


def test_claim1_cannot_be_checked_on_empty_data_and_says_what_is_missing() -> None:
    result = card(1, make_db())
    assert result.verdict == c.CANNOT_CHECK
    assert any("2010–2024" in m for m in result.missing)


def test_tolerance_comes_from_the_spec() -> None:
    con = make_db(published=china_2024(2 * B, 20 * B) + [dane_balance(2024, "CHN", -13.559 * B)])
    assert card(1, con).verdict == c.SUPPORTED
    assert card(1, con, match_pct=1.0, partial_pct=2.0).verdict == c.NOT_SUPPORTED


# ------------------------------------------------------------------------------------- claim 2


def test_claim2_above_100_percent_is_larger_than_the_whole_deficit() -> None:
    con = make_db(
        published=china_2024(2.377 * B, 15.936 * B) + world_2024(49.552 * B, 64.104 * B, -10.811 * B)
    )
    result = card(2, con)
    head = (15.936 / 1.06 - 2.377) / 10.811  # China's FOB-estimate deficit over DANE's own FOB balance: 117 %
    assert result.facts["share_headline"] == pytest.approx(head, rel=1e-6)
    assert result.facts["share_mixed"] == pytest.approx(
        (15.936 - 2.377) / (64.104 - 49.552), rel=1e-6
    )  # 93 %
    assert result.verdict == c.PARTLY  # 110–125 %
    assert "larger than the whole deficit" in " ".join(result.explanation)
    assert "understates" in result.disagreement
    assert any("mixed valuation" in a and "93 %" in a for a in result.alternatives)


@pytest.mark.parametrize(
    ("china_bn", "expected"),
    [
        (9.0, c.SUPPORTED),
        (11.0, c.SUPPORTED),
        (8.0, c.PARTLY),
        (12.5, c.PARTLY),
        (7.4, c.NOT_SUPPORTED),
        (12.6, c.NOT_SUPPORTED),
        (91.8, c.NOT_SUPPORTED),
    ],
)
def test_claim2_bounds_on_both_sides(china_bn: float, expected: str) -> None:
    """Total deficit 10 bn (DANE): China 9–11 bn supported; 7.5–12.5 partly; 918 % is not "practically the entire"."""
    con = make_db(published=[dane_balance(2024, "CHN", -china_bn * B), dane_balance(2024, "WLD", -10 * B)])
    assert card(2, con).verdict == expected


def test_claim2_surplus_years_and_cannot_check() -> None:
    con = make_db(trade=dots(2020, "COL", "CHN", 2 * B, 10 * B) + dots(2020, "COL", "WLD", 45 * B, 40 * B))
    result = card(2, con)
    assert result.verdict == c.CANNOT_CHECK  # the total was in surplus: no share
    assert card(2, make_db(published=china_2024(2 * B, 16 * B))).verdict == c.CANNOT_CHECK


# ------------------------------------------------------------------------------------- claims 3 and 9


def dian_year(year: int, partner: str, monthly: float, months: int = 12) -> list[tuple]:
    return [
        ("dian", year, f"{year}{m:02d}", "COL", partner, "export", "TOTAL", monthly)
        for m in range(1, months + 1)
    ]


def test_claim3_us_dependence_verdicts() -> None:
    base = (
        dots(2010, "COL", "USA", 17 * B, 10 * B)
        + dots(2010, "COL", "CHN", 2 * B, 5 * B)
        + dots(2010, "COL", "WLD", 40 * B, 40 * B)
    )
    supported = make_db(trade=base + dian_year(2024, "USA", 1.2 * B) + dian_year(2024, "CHN", 0.2 * B) + dian_year(2024, "WLD", 4 * B)
                        + dian_year(2025, "USA", 4 * B) + dian_year(2025, "CHN", 0.1 * B) + dian_year(2025, "WLD", 4.2 * B))  # fmt: skip
    result = card(3, supported)
    assert result.verdict == c.SUPPORTED
    assert result.facts["year"] == 2024  # 2025 is not comparable (destinations withheld)
    assert result.facts["us_export_share"] == pytest.approx(0.3)
    partly = make_db(
        trade=base
        + dian_year(2024, "USA", 0.8 * B)
        + dian_year(2024, "CHN", 0.2 * B)
        + dian_year(2024, "WLD", 4 * B)
    )
    assert card(3, partly).verdict == c.PARTLY
    no = make_db(
        trade=base
        + dian_year(2024, "USA", 0.4 * B)
        + dian_year(2024, "CHN", 0.6 * B)
        + dian_year(2024, "WLD", 4 * B)
    )
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
    only_one = card(
        9, make_db(trade=dots(2010, "COL", "CHN", 2 * B, 5 * B) + dots(2010, "COL", "WLD", 39 * B, 40 * B))
    )
    assert only_one.verdict == c.CANNOT_CHECK
    assert any("2011–2024" in m for m in only_one.missing)


# ------------------------------------------------------------------------------------- claim 4


def product(partner: str, hs10: str, value: float, duty: float) -> tuple:
    return ("us_census_consumption", 2024, "2024", "USA", partner, "import", hs10, value, duty)


def test_claim4_is_a_scenario_card_with_the_market_and_the_august_rates() -> None:
    rows = [product("COL", "0603110060", 600e6, 0), product("ECU", "0603110060", 400e6, 27e6),
            product("COL", "0901110015", 1000e6, 0), product("GTM", "0901110015", 300e6, 0),
            product("BRA", "0901110015", 700e6, 0)]  # fmt: skip
    con = make_db(trade=rows)
    con.execute(
        "INSERT INTO us_reciprocal_rates VALUES ('Ecuador', 'ECU', 15.0, 'eo14326_aug_2025', 1), "
        "('Nicaragua', 'NIC', 18.0, 'eo14326_aug_2025', 1)"
    )
    result = card(4, con)
    assert result.verdict == c.SCENARIO
    assert result.facts["060311_rival_share"] == pytest.approx(0.4)
    assert result.facts["0901_col_share"] == pytest.approx(0.5)
    assert result.facts["0901_rival_share"] == pytest.approx(0.15)
    assert (
        result.facts["aug_rate_COL"] == 10.0 and result.facts["aug_rate_ECU"] == 15.0
    )  # unlisted: the baseline
    assert "no more than Ecuador" in result.disagreement
    con.execute("INSERT INTO us_reciprocal_rates VALUES ('Colombia', 'COL', 25.0, 'eo14326_aug_2025', 1)")
    assert card(4, con).disagreement == ""  # Colombia paying more than every rival: nothing to contradict
    empty = card(4, make_db())
    assert empty.verdict == c.SCENARIO
    assert any("HS 060311" in m for m in empty.missing)


# ------------------------------------------------------------------------------------- claim 6


ANNEX_I_OTHERS = "INSERT INTO us_reciprocal_rates VALUES ('Viet Nam', 'VNM', 46.0, 'eo14257_annex_i', 1)"


def test_claim6_judges_the_rate_and_gives_the_incidence_as_context() -> None:
    timeline = [("2025-04-03", "COL", 1.23), ("2025-04-05", "COL", 10.74), ("2025-04-11", "COL", 7.53)]
    rows = [product("COL", "2709002010", 5e9, 0), product("COL", "2701120010", 0.1e9, 0),
            product("COL", "0603110060", 4.9e9, 0)]  # fmt: skip
    rows += dian_year(2024, "USA", 1.0 * B) + dian_year(2025, "USA", 1.1 * B) + dian_year(2025, "_X", 0.4 * B)
    exemptions = [
        ("2709002000", "annex_ii_2025_04"),
        ("2701120000", "annex_ii_2025_04"),
        ("0603110000", "annex_ii_2025_11"),
    ]  # the November list must not count for April
    con = make_db(trade=rows, timeline=timeline, exemptions=exemptions)
    con.execute(ANNEX_I_OTHERS)  # Annex I is loaded and does not list Colombia: the 10 % baseline
    result = card(6, con)
    assert result.facts["rate_pct"] == 10.0 and result.verdict == c.SUPPORTED and not result.disagreement
    assert result.figure.startswith("10 % on imports from Colombia")
    # 10 % on the 4.9 of 10.0 bn not exempt: 4.9 points, given as context beside the rate
    assert result.facts["exempt_usd"] == pytest.approx(5.1e9)
    assert result.facts["total_usd"] == pytest.approx(10e9)
    assert result.facts["rise_pts"] == pytest.approx(4.9)
    assert any(a.startswith("incidence (context): +4.90 points") for a in result.alternatives)
    assert result.facts["tracker_rise_pts"] == pytest.approx(10.74 - 1.23)  # the alternative, labelled
    assert result.facts["article_pct"] == pytest.approx(7.53)
    assert any("tradewartracker" in a for a in result.alternatives)
    assert result.facts["us_exports_after_usd"] == pytest.approx(9 * 1.1 * B)  # April–December
    assert result.facts["us_exports_prior_usd"] == pytest.approx(9 * 1.0 * B)
    text = " ".join(result.explanation)
    # 2025 destinations are withheld: the figures are shown, no change against 2024 is computed
    assert "no declared destination" in text and "not comparable with 2024" in text and "+10.0 %" not in text


@pytest.mark.parametrize(
    ("rate", "expected"),
    [(10.0, c.SUPPORTED), (10.5, c.SUPPORTED), (10.51, c.PARTLY), (15.0, c.PARTLY), (15.01, c.NOT_SUPPORTED)],
)  # fmt: skip
def test_claim6_bounds_on_the_rate(rate: float, expected: str) -> None:
    con = make_db(
        trade=[product("COL", "0901110015", 10 * B, 0)], exemptions=[("2709002000", "annex_ii_2025_04")]
    )
    con.execute("INSERT INTO us_reciprocal_rates VALUES ('Colombia', 'COL', ?, 'eo14257_annex_i', 1)", [rate])
    assert card(6, con).verdict == expected


def test_claim6_nets_out_section_232_goods_in_force_on_5_april() -> None:
    rows = [product("COL", "0901110015", 6 * B, 0), product("COL", "7308900000", 1 * B, 0),  # steel derivative list
            product("COL", "7208100000", 1 * B, 0), product("COL", "7616995160", 1 * B, 0),  # base steel; not listed
            product("COL", "7403110000", 1 * B, 0)]  # fmt: skip  # copper: Section 232 only from 1 August
    con = make_db(trade=rows, exemptions=[("2709002000", "annex_ii_2025_04")])
    con.execute(ANNEX_I_OTHERS)
    con.execute(
        "INSERT INTO us_tariff_product_lists VALUES ('73089000', 's232_steel_2025', 1), "
        "('74031100', 's232_copper_2025', 1)"
    )
    result = card(6, con)
    assert result.facts["s232_usd"] == pytest.approx(2 * B)  # the listed derivative and the base article
    assert result.facts["rise_pts"] == pytest.approx(10 * 8 / 10)  # 10 % on the 8 of 10 bn covered
    assert result.verdict == c.SUPPORTED


def test_claim6_annex_i_rate_and_missing() -> None:
    con = make_db(
        trade=[product("COL", "0901110015", 10 * B, 0)], exemptions=[("2709002000", "annex_ii_2025_04")]
    )
    con.execute("INSERT INTO us_reciprocal_rates VALUES ('Colombia', 'COL', 25.0, 'eo14257_annex_i', 1)")
    listed = card(6, con)
    assert listed.facts["rise_pts"] == pytest.approx(25.0)  # a listed country's own rate, not the baseline
    assert listed.verdict == c.NOT_SUPPORTED  # a 25 % rate is 15 points from the article's 10 %
    assert "25 %" in listed.disagreement
    empty = card(6, make_db())
    assert empty.verdict == c.CANNOT_CHECK  # without Annex I, whether Colombia is listed cannot be known
    assert empty.missing


# ------------------------------------------------------------------------------------- scenario, context, out of scope


def test_claim7_scenario_compares_with_the_largest_yearly_increase() -> None:
    con = make_db(trade=dots(2017, "COL", "CHN", 1.706 * B, 8 * B) + dots(2018, "COL", "CHN", 3.578 * B, 10 * B),
                  published=china_2024(2.377 * B, 15.936 * B) + [dane_balance(2024, "CHN", -12.9 * B)])  # fmt: skip
    result = card(7, con)
    assert result.verdict == c.SCENARIO
    assert result.facts["best_year"] == 2018
    assert result.facts["best_increase_usd"] == pytest.approx(1.872 * B)
    assert result.facts["deficit_usd"] == pytest.approx(12.9 * B)  # the headline: DANE's own balance
    assert result.facts["years_at_best_pace"] == pytest.approx(12.9 / 1.872)


def test_claim5_is_a_scenario_and_claim10_out_of_scope() -> None:
    con = make_db(trade=[product("COL", "0901110015", 1000e6, 0), product("BRA", "0901110015", 2000e6, 0)])
    assert card(5, con).verdict == c.SCENARIO
    assert "BRA 66.7 %" in " ".join(card(5, con).explanation)
    out = card(10, con)
    assert out.verdict == c.OUT_OF_SCOPE and out.numbers.empty


def add_fiscal(con: duckdb.DuckDBPyConnection, year: int, pct_gdp: float,
               publisher: str = "Ministerio de Hacienda y Crédito Público") -> duckdb.DuckDBPyConnection:  # fmt: skip
    con.execute(
        "INSERT INTO published_indicators VALUES (?, 'COL', 'central_government_balance', ?, 'pct_gdp', ?, "
        "'Paper F', 'https://example.org/f', 'el déficit fue', 1)",
        [year, -pct_gdp, publisher],
    )
    return con


@pytest.mark.parametrize(
    ("fiscal_pct", "expected"),
    [
        (6.8, c.NOT_SUPPORTED),
        (3.5, c.SUPPORTED),
        (4.0, c.SUPPORTED),
        (4.01, c.PARTLY),
        (3.01, c.SUPPORTED),
        (2.01, c.PARTLY),
        (1.99, c.NOT_SUPPORTED),
        (5.0, c.PARTLY),
        (5.01, c.NOT_SUPPORTED),
    ],
)
def test_claim8_fiscal_deficit_against_the_trade_gap_both_bounds(fiscal_pct: float, expected: str) -> None:
    """Trade gap 3.5 % of GDP (DANE balance 14 bn over GDP 400 bn): what remains of the fiscal deficit must be
    within ±0.5 points of zero (supported) or ±1.5 (partly)."""
    con = add_fiscal(make_db(published=[dane_balance(2024, "CHN", -14 * B)], gdp=[("COL", 2024, 400 * B)]), 2024,
                     fiscal_pct)  # fmt: skip
    add_fiscal(
        con, 2024, 6.7, "International Monetary Fund"
    )  # another publisher: an alternative, not the verdict
    result = card(8, con)
    assert result.facts["trade_gap_pct_gdp"] == pytest.approx(3.5)
    assert result.verdict == expected
    assert result.facts["fiscal_deficit_pct_gdp"] == pytest.approx(
        fiscal_pct
    )  # the Finance Ministry's own figure
    assert any("International Monetary Fund" in a for a in result.alternatives)
    assert "Hacienda" in result.citation and "Paper F" in result.citation


def test_claim8_uses_a_derived_gdp_only_where_the_world_bank_has_none_and_says_so() -> None:
    """2024: the World Bank's 400 bn wins over a derived 410 bn; 2025: only a derived figure, labelled so."""
    con = make_db(published=[dane_balance(2024, "CHN", -14 * B)],
                  gdp=[("COL", 2024, 400 * B), ("COL", 2024, 410 * B, "derived"), ("COL", 2023, 350 * B)])  # fmt: skip
    result = card(8, con)
    assert result.facts["gdp_year"] == 2024 and result.facts["trade_gap_pct_gdp"] == pytest.approx(3.5)
    assert "derived" not in " ".join(result.explanation)
    con = make_db(published=[dane_balance(2024, "CHN", -14 * B)],
                  gdp=[("COL", 2024, 410 * B, "derived"), ("COL", 2023, 350 * B)])  # fmt: skip
    result = card(8, con)
    assert result.facts["gdp_year"] == 2024 and result.facts["trade_gap_pct_gdp"] == pytest.approx(
        14 / 410 * 100
    )
    assert "2024 GDP in US dollars derived" in " ".join(result.explanation)
    assert "derived from DANE" in " ".join(result.numbers["publisher"])
    spanish = c.build_card(SPECS[8], c.query_claim_data(con, with_scenarios=False), lang="es")
    assert "PIB de 2024 en dólares derivado" in " ".join(spanish.explanation)


def test_claim8_says_so_when_the_fiscal_figure_is_missing_and_uses_the_latest_gdp() -> None:
    con = make_db(published=[dane_balance(2024, "CHN", -14 * B)], gdp=[("COL", 2023, 350 * B)])
    result = card(8, con)
    assert result.verdict == c.CANNOT_CHECK
    assert result.facts["gdp_year"] == 2023 and result.facts["trade_gap_pct_gdp"] == pytest.approx(4.0)
    assert any("fiscal deficit for 2024" in m for m in result.missing)
    assert "not a fiscal deficit" in result.explanation[0]


def test_csv_frame_neutralises_text_cells() -> None:
    numbers = numbers_frame([number_row("=SUM(A1)", 2024, "x", -3.0, "USD", "FOB", "published", "d", "=HYPERLINK(evil)",
                                        "+cmd")])  # fmt: skip
    frame = c.card_csv_frame(c.ClaimCard(SPECS[1], c.SUPPORTED, (), numbers))
    assert frame["claim_id"].eq(1).all()
    assert frame["publisher"].str.startswith("'=").all() and frame["measure"].str.startswith("'=").all()
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
    assert c.SINGLED_OUT_PRESET in data.scenario_errors and SPECS[4].scenario_preset in data.scenario_errors
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
    august = focus.assign(total_change_usd=[-12e6, -3e6])
    partners = pd.DataFrame({"partner_iso3": ["COL", "MEX", "CAN", "ECU"],
                             "trade_diversion_usd": [-35e6, 300e6, 600e6, 100e6],
                             "total_change_usd": [-4.4e9, 300e6, 600e6, 100e6]})  # fmt: skip
    preset = SPECS[4].scenario_preset
    data = replace(data, scenario_focus={c.SINGLED_OUT_PRESET: focus, preset: august},
                   scenario_partners={c.SINGLED_OUT_PRESET: partners})  # fmt: skip
    four = c.build_card(SPECS[4], data)
    assert four.facts[f"{c.SINGLED_OUT_PRESET}_060311_change_usd"] == 33e6
    assert four.facts[f"{preset}_060311_change_usd"] == -12e6
    assert "USD -12 m" in four.figure and "USD -3 m" in four.figure
    assert "USD +33 m" in " ".join(four.explanation)
    five = c.build_card(SPECS[5], data)
    assert five.verdict == c.SCENARIO
    assert five.facts["latam_share"] == pytest.approx(400 / 1000)  # MEX + ECU of all positive diversion
    assert five.facts["colombia_change_usd"] == -4.4e9


def test_product_shares_count_the_eu_once() -> None:
    from dashboard.claims.check_products import product_shares

    rows = [product("COL", "0901110015", 1 * B, 0), product("EUN", "0901110015", 0.5 * B, 0),
            product("DEU", "0901110015", 0.5 * B, 0)]  # fmt: skip  # Germany is inside the EU aggregate
    data = c.query_claim_data(make_db(trade=rows), with_scenarios=False)
    shares = product_shares(data.products, "0901").set_index("partner_iso3")["share"]
    assert "DEU" not in shares.index
    assert shares["COL"] == pytest.approx(1 / 1.5)


def test_span_gaps_lists_the_claims_years_a_series_lacks() -> None:
    # The span is 2010-2024 (card.SHARES_FROM_YEAR, card.REFERENCE_YEAR_MAX); years outside it are not gaps.
    have = pd.Series([2009, 2010, 2011.0, *range(2013, 2023), 2024, 2025])
    assert span_gaps(have) == [2012, 2023]
    assert span_gaps([]) == list(range(2010, 2025))


def test_claim9_rule_names_the_years_the_card_compares() -> None:
    """The rule said 'the first year available' while the card starts in SHARES_FROM_YEAR: it says so now."""
    from dashboard.claims.card import REFERENCE_YEAR_MAX, SHARES_FROM_YEAR

    spec = SPECS[9]
    for lang in ("en", "es"):
        text = spec.text("tolerance_text", lang)
        assert str(SHARES_FROM_YEAR) in text and str(REFERENCE_YEAR_MAX) in text
        assert (
            "first and last year available" not in text and "primer y el último año disponibles" not in text
        )


def test_a_share_of_the_deficit_needs_a_deficit_on_both_sides() -> None:
    from dashboard.claims.check_balance import _share_row

    def side(balance: float) -> pd.Series:
        return pd.Series({"balance_usd": balance, "publisher": "DANE", "basis_label": "FOB/FOB", "dataset": "d",
                          "provisional": False, "comparable": True})  # fmt: skip

    assert _share_row(2024, "b", side(-14e9), side(-20e9))["share"] == pytest.approx(0.7)
    # a surplus with China is no share of the deficit, and neither is anything of a total surplus
    assert math.isnan(_share_row(2024, "b", side(5e9), side(-20e9))["share"])
    world_surplus = _share_row(2024, "b", side(-5e9), side(20e9))
    assert math.isnan(world_surplus["share"]) and "surplus" in world_surplus["note"]
