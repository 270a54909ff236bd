"""Each checkable card on the real bundled data: its verdict and figures, pinned against numbers computed
here straight from the raw files in data/raw/ (not through the ETL or the card code)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import claims as c
from etl.settings import CIF_FOB_FACTOR_IMF

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
B = 1e9


# ------------------------------------------------------------------------------------- raw readers


@cache
def dots(workbook: str, sheet: str) -> pd.DataFrame:
    """IMF DOTS workbook: partners × years, USD (row 7 holds the years, column B the partner names)."""
    raw = pd.read_excel(RAW / "imf-dots" / workbook, sheet_name=sheet, header=None)
    years = [int(y) for y in raw.iloc[6, 2:]]
    table = raw.iloc[7:, 1:].set_index(1)
    table.columns = years
    return table.apply(pd.to_numeric, errors="coerce") * 1e6


def col_dots(flow: str, partner: str, year: int) -> float:
    sheet = "Exports, FOB" if flow == "export" else "Imports, CIF"
    return float(dots("DOTS_43_Colombia.xlsx", sheet).loc[partner, year])


@cache
def facts() -> pd.DataFrame:
    return pd.read_csv(RAW / "published-figures" / "facts.csv")


def fact_values(year: int, reporter: str, partner: str, flow: str) -> set[float]:
    f = facts()
    rows = f[
        (f["year"] == year)
        & (f["reporter_iso3"] == reporter)
        & (f["partner_iso3"] == partner)
        & (f["flow"] == flow)
    ]
    return set(rows["value_usd"].astype(float))


@cache
def dian() -> pd.DataFrame:
    frame = pd.read_csv(
        RAW / "dian-exports-by-destination" / "colombia_exports_by_destination_monthly_2023_2026.csv"
    )
    frame["year"] = frame["month"].str[:4].astype(int)
    frame["m"] = frame["month"].str[5:].astype(int)
    frame["usd"] = frame["fob_usd_million"] * 1e6
    return frame


def dian_sum(destination: str, year: int, months: range = range(1, 13)) -> float:
    d = dian()
    return float(
        d[(d["destination"] == destination) & (d["year"] == year) & d["m"].isin(months)]["usd"].sum()
    )


@cache
def us_hs10() -> pd.DataFrame:
    frames = [pd.read_parquet(p, columns=["CTY_CODE", "I_COMMODITY", "imports", "duty"])
              for p in sorted((RAW / "us-census-imports-2024-hs10").glob("*.parquet"))]  # fmt: skip
    return pd.concat(frames, ignore_index=True)


CENSUS_CODES = {
    "COL": "3010",
    "ECU": "3310",
    "GTM": "2050",
    "SLV": "2110",
    "HND": "2150",
    "NIC": "2190",
    "CRI": "2230",
}


def us_share(prefix: str, codes: list[str]) -> float:
    data = us_hs10()
    product = data[data["I_COMMODITY"].str.startswith(prefix)]
    return float(product[product["CTY_CODE"].isin(codes)]["imports"].sum() / product["imports"].sum())


@cache
def tariff_timeline() -> pd.DataFrame:
    return pd.read_csv(RAW / "us-tariffs-2025" / "country-by-time.csv", parse_dates=["date"])


# ------------------------------------------------------------------------------------- cards


@pytest.fixture(scope="module")
def claim_data(bundled_db: Path) -> Iterator[c.ClaimData]:
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        yield c.query_claim_data(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def cards(claim_data: c.ClaimData) -> dict[int, c.ClaimCard]:
    return {card.spec.id: card for card in c.build_cards(claim_data)}


@cache
@cache
def dbnomics_rows() -> dict[tuple[str, str, str, int], float]:
    path = RAW / "imf-dots-dbnomics-latam-2015-2024" / "dots_trade_LATAM7_rows.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        return {(r["ref_area"], r["indicator"], r["counterpart"], int(r["year"])): float(r["value"]) * 1e6
                for r in csv.DictReader(handle)}  # fmt: skip


def dbnomics(area: str, indicator: str, counterpart: str, year: int) -> float:
    """IMF DOTS as served by DBnomics (the raw file is in USD millions), in USD."""
    return dbnomics_rows()[(area, indicator, counterpart, year)]


def dane_imports() -> pd.DataFrame:
    """DANE's import annex (CIF, USD) by origin and year, all goods: the raw file, read with the csv module."""
    path = RAW / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["capitulo"] == "TOTAL"]
    return pd.DataFrame({"iso3": [r["codigo iso3"] for r in rows], "year": [int(r["anio"]) for r in rows],
                         "usd": [float(r["valor dolares cif"]) for r in rows]})  # fmt: skip


def dane_import(iso3: str, year: int) -> float:
    d = dane_imports()
    return float(d[(d["iso3"] == iso3) & (d["year"] == year)]["usd"].iloc[0])


@cache
def comtrade_col_exports() -> dict[tuple[str, int], float]:
    path = RAW / "comtrade-latam-exports-col-2000-2025" / "trade_edges_global_partners_COL_exporter_rows.csv"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return {(r["importer"], int(r["year"])): float(r["value_usd"]) for r in csv.DictReader(handle)}


def gacc_2024_colombia_usd() -> tuple[float, float]:
    """China's 2024 exports to and imports from Colombia (GACC, line 2791 of the raw file, 10,000 yuan), in USD
    at the bundled published 2024 rate."""
    with open(
        RAW / "gacc-china-trade-by-country-2024-cny" / "gac_regions_2024.csv",
        newline="",
        encoding="utf-8-sig",
    ) as h:
        row = list(csv.DictReader(h))[2791 - 2]
    assert (
        row["trade_total_cum"] == "14962336" and row["month"] == "12"
    )  # PROVENANCE: Colombia, full year 2024
    with open(RAW / "reference" / "exchange-rates" / "cny_per_usd_annual.csv", newline="") as h:
        rate = next(
            float(r["units_per_usd"])
            for r in csv.DictReader(h)
            if r["currency"] == "CNY" and r["year"] == "2024"
        )
    return float(row["exports_cum"]) * 1e4 / rate, float(row["imports_cum"]) * 1e4 / rate


def dane_printed_balance(year: int, partner: str) -> float | None:
    """DANE's own balance (exports FOB − imports FOB) as pages citing DANE printed it: one value, or None."""
    f = facts()
    rows = f[(f["year"] == year) & (f["reporter_iso3"] == "COL") & (f["partner_iso3"] == partner)
             & (f["flow"] == "balance") & f["publisher"].str.contains(r"citing DANE", regex=True)]  # fmt: skip
    values = set(rows["value_usd"].astype(float))
    assert len(values) <= 1, values
    return values.pop() if values else None


def china_dane_factor() -> float:
    """China's CIF/FOB factor from DANE's own figures: 2013 is the only full year a page citing DANE printed a
    legible FOB/FOB balance with China (the 2024 print is garbled): imports CIF ÷ (exports FOB − that balance)."""
    balance = dane_printed_balance(2013, "CHN")
    assert balance == -4_739.4e6
    return dane_import("CHN", 2013) / (comtrade_col_exports()[("CHN", 2013)] - balance)


def china_2024_headline() -> float:
    """Colombia's 2024 balance with China on DANE's basis: DANE's printed balance where a page citing DANE printed
    one, else DIAN exports (FOB) − DANE imports (CIF) ÷ the factor DANE's own figures for China give."""
    printed = dane_printed_balance(2024, "CHN")
    if printed is not None:
        return printed
    return dian_sum("China", 2024) - dane_import("CHN", 2024) / china_dane_factor()


def test_claim1_deficit_with_china(cards: dict[int, c.ClaimCard]) -> None:
    card = cards[1]
    head = china_2024_headline()
    assert china_dane_factor() == pytest.approx(1.053, abs=5e-4)
    assert -head / B == pytest.approx(12.76, abs=0.01)  # imports CIF ÷ 1.053, DANE's own 2013 ratio
    assert card.facts["year"] == 2024
    assert card.facts["deficit_usd"] == pytest.approx(-head)
    assert card.facts["gap_pct"] == pytest.approx((-head / 14e9 - 1) * 100)
    assert card.verdict == c.PARTLY  # 8–10 % below 14 bn: outside ±5 %, inside ±15 %
    mixed = dane_import("CHN", 2024) - dian_sum("China", 2024)  # exports FOB − imports CIF: 13.56 bn
    assert card.facts["mixed_deficit_usd"] == pytest.approx(mixed)
    assert mixed / B == pytest.approx(13.56, abs=0.01)
    china_x, china_m = gacc_2024_colombia_usd()
    assert card.facts["mirror_year"] == 2024
    # China's own figures, its imports (CIF) converted to FOB like Colombia's: ≈ 8.80 bn (8.45 bn unconverted)
    assert card.facts["mirror_deficit_usd"] == pytest.approx(china_x - china_m / CIF_FOB_FACTOR_IMF)
    assert "DANE" in card.citation
    assert "matches only the mixed-valuation difference" in card.disagreement
    assert any("mixed valuation" in a for a in card.alternatives) and any(
        "China reports" in a for a in card.alternatives
    )


def test_claim2_share_of_the_total_deficit(cards: dict[int, c.ClaimCard]) -> None:
    card = cards[2]
    world = dane_printed_balance(2024, "WLD")
    assert world == -10.811 * B  # DANE's official 2024 balance (FOB/FOB), as printed by pages citing DANE
    share = china_2024_headline() / world
    assert share > 1.1
    assert card.facts["share_headline"] == pytest.approx(share)  # ≈ 118 %: larger than the whole deficit
    assert card.verdict == c.PARTLY  # 110–125 %
    # Colombia's 2024 imports from the World: IMF DOTS (the DBnomics vintage), which outranks the total printed by
    # pages citing DANE (64.104 bn, kept as evidence): 63.95 bn
    world_imports = dbnomics("CO", "TMG_CIF_USD", "W00", 2024)
    assert world_imports / B == pytest.approx(63.950, abs=0.001)
    mixed = (dane_import("CHN", 2024) - dian_sum("China", 2024)) / (world_imports - dian_sum("TOTAL", 2024))
    assert fact_values(2024, "COL", "WLD", "import") == {64.104 * B}
    assert card.facts["share_mixed"] == pytest.approx(mixed)  # ≈ 93 %, labelled as mixed valuation
    assert "larger than the whole deficit" in " ".join(card.explanation)
    assert "understates" in card.disagreement


def test_claim3_us_dependence(cards: dict[int, c.ClaimCard]) -> None:
    card = cards[3]
    us = dian_sum("Estados Unidos", 2024) / dian_sum("TOTAL", 2024)
    cn = dian_sum("China", 2024) / dian_sum("TOTAL", 2024)
    assert card.verdict == c.SUPPORTED
    assert card.facts["year"] == 2024  # 2025 is excluded: destinations withheld
    assert card.facts["us_export_share"] == pytest.approx(us)
    assert card.facts["china_export_share"] == pytest.approx(cn)
    assert us == pytest.approx(0.289, abs=0.001)
    world_imports = dbnomics("CO", "TMG_CIF_USD", "W00", 2024)  # IMF DOTS (DBnomics): 63.95 bn
    assert card.facts["china_import_share"] == pytest.approx(dane_import("CHN", 2024) / world_imports)
    assert card.facts["us_import_share"] == pytest.approx(dane_import("USA", 2024) / world_imports)


def test_claim4_roses_and_coffee_scenario(cards: dict[int, c.ClaimCard]) -> None:
    card = cards[4]
    assert card.verdict == c.SCENARIO
    col = [CENSUS_CODES["COL"]]
    assert card.facts["060311_col_share"] == pytest.approx(us_share("060311", col))
    assert card.facts["060311_rival_share"] == pytest.approx(us_share("060311", [CENSUS_CODES["ECU"]]))
    central_america = [CENSUS_CODES[k] for k in ("GTM", "HND", "NIC", "CRI", "SLV")]
    assert card.facts["0901_col_share"] == pytest.approx(us_share("0901", col))
    assert card.facts["0901_rival_share"] == pytest.approx(us_share("0901", central_america))
    with open(RAW / "us-tariffs-2025" / "agust-7-tariffs.csv", newline="", encoding="utf-8-sig") as handle:
        text = handle.read()
    assert "Colombia" not in text and "Ecuador" in text  # Colombia is not listed: the 10 % baseline
    assert card.facts["aug_rate_COL"] == 10.0
    assert card.facts["aug_rate_ECU"] > card.facts["aug_rate_COL"]
    assert "no more than Ecuador" in card.disagreement
    august = cards[4].spec.scenario_preset
    assert august == "us_august_2025_country_rates"
    assert card.facts[f"{august}_060311_change_usd"] < 0  # Ecuador's roses lose under its own 15 %
    assert card.facts[f"{august}_0901_change_usd"] < 0
    assert card.facts[f"{august}_060311_col_diversion_usd"] > 0  # buyers switch towards Colombia, not away


def test_claim6_rate_and_its_incidence_on_the_legal_dates(cards: dict[int, c.ClaimCard]) -> None:
    """10 % from 5 April 2025 on what neither Annex II nor Section 232 covered, weighted by 2024 US imports from
    Colombia: the raw Census HS10 file and the raw lists give about 5.2 points (5.7 with Annex II alone), not the
    tracker's 9.5."""
    card = cards[6]

    def prefixes(path: Path) -> tuple[str, ...]:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            codes = [row["HTSUS"].strip() for row in csv.DictReader(handle)]
        return tuple(code[:8] if len(code) == 10 and code.endswith("00") else code for code in codes)

    annex = prefixes(RAW / "us-tariffs-2025" / "annex-II-exemptions.csv")
    lists = RAW / "us-tariffs-2025-hts-lists"
    s232 = sum(
        (prefixes(lists / f) for f in ("steel-tariffs.csv", "alu-tariffs.csv", "auto-tariffs.csv")), ()
    )
    data = us_hs10()
    colombia = data[data["CTY_CODE"] == CENSUS_CODES["COL"]]
    total = colombia["imports"].sum()
    is_annex = colombia["I_COMMODITY"].str.startswith(annex)
    hs4 = colombia["I_COMMODITY"].str[:4].astype(int)
    base = hs4.between(7206, 7229) | hs4.between(7301, 7306) | hs4.between(7601, 7609)  # 232 since 2018
    is_232 = (colombia["I_COMMODITY"].str.startswith(s232) | base) & ~is_annex
    exempt = colombia[is_annex]
    assert total / 1e6 == pytest.approx(18310.8, abs=0.1)  # PROVENANCE: Colombia's rows sum to 18,310,770,810
    assert card.facts["total_usd"] == pytest.approx(total)
    assert card.facts["exempt_usd"] == pytest.approx(exempt["imports"].sum())
    assert card.facts["s232_usd"] == pytest.approx(colombia[is_232]["imports"].sum())
    expected_rise = 10 * (1 - (exempt["imports"].sum() + colombia[is_232]["imports"].sum()) / total)
    assert 5 < expected_rise < 6
    assert card.facts["rise_pts"] == pytest.approx(expected_rise)  # ≈ 5.2 points
    assert card.facts["annex_only_rise_pts"] == pytest.approx(
        10 * (1 - exempt["imports"].sum() / total)
    )  # ≈ 5.7
    assert (
        card.verdict == c.SUPPORTED and card.facts["rate_pct"] == 10.0
    )  # the rate is judged: Colombia's 10 %
    assert any(a.startswith(f"incidence (context): +{expected_rise:.2f} points") for a in card.alternatives)
    crude = exempt[exempt["I_COMMODITY"].str.startswith("2709")]["imports"].sum()
    coal = exempt[exempt["I_COMMODITY"].str.startswith("2701")]["imports"].sum()
    assert card.facts["exempt_2709_usd"] == pytest.approx(crude)
    assert card.facts["exempt_2701_usd"] == pytest.approx(coal)
    assert crude / 1e6 == pytest.approx(5691.6, abs=0.1)  # PROVENANCE: 2709 crude oil 5,691.6 m
    tl = tariff_timeline()
    col = tl[tl["country_name"] == "COLOMBIA"].set_index("date")["effective tariff"]
    before, after = col[col.index < "2025-04-05"].iloc[-1], col[col.index >= "2025-04-05"].iloc[0]
    assert card.facts["before_pct"] == pytest.approx(before)
    assert card.facts["tracker_rise_pts"] == pytest.approx(
        after - before
    )  # ≈ 9.5 points, shown as the alternative
    assert card.disagreement == ""
    assert "Executive Order 14257" in card.citation and "US Census Bureau" in card.citation
    months = range(4, 13)
    assert card.facts["us_exports_after_usd"] == pytest.approx(dian_sum("Estados Unidos", 2025, months))
    assert card.facts["us_exports_prior_usd"] == pytest.approx(dian_sum("Estados Unidos", 2024, months))


def test_claim7_purchases_scenario(cards: dict[int, c.ClaimCard]) -> None:
    card = cards[7]
    by_year = {y: v for (partner, y), v in comtrade_col_exports().items() if partner == "CHN"}
    for year in (2023, 2024, 2025):  # DANE's own DIAN records outrank Comtrade where they exist
        by_year[year] = dian_sum("China", year)
    increases = {y: v - by_year[y - 1] for y, v in by_year.items() if y - 1 in by_year}
    best_year = max(increases, key=increases.get)
    assert card.verdict == c.SCENARIO
    assert card.facts["best_year"] == best_year == 2018
    assert card.facts["best_increase_usd"] == pytest.approx(increases[2018])  # 4,056.1 − 1,999.6 m
    assert card.facts["deficit_usd"] == pytest.approx(-china_2024_headline())
    assert card.facts["years_at_best_pace"] == pytest.approx(-china_2024_headline() / increases[2018])


def gdp_2024_derived() -> float:
    folder = RAW / "reference" / "gdp-colombia-2024-derived"
    with open(folder / "gdp_cop_printed.csv", newline="", encoding="utf-8") as handle:
        (printed,) = list(csv.DictReader(handle))
    with open(folder / "trm_daily_superfinanciera.csv", newline="", encoding="utf-8") as handle:
        days: dict[pd.Timestamp, float] = {}
        for row in csv.DictReader(handle):
            rate = float(row["VALOR"].replace("$", "").replace(",", ""))
            for day in pd.date_range(pd.to_datetime(row["VIGENCIADESDE"], dayfirst=True),
                                     pd.to_datetime(row["VIGENCIAHASTA"], dayfirst=True)):  # fmt: skip
                days[day] = rate
    rates = [rate for day, rate in days.items() if day.year == 2024]
    assert len(rates) == 366
    return float(printed["gdp_cop_billion"]) * 1e9 / (sum(rates) / len(rates))


def test_claim8_fiscal_deficit(cards: dict[int, c.ClaimCard]) -> None:
    card = cards[8]
    gdp = pd.read_csv(RAW / "reference" / "wb-gdp-current-usd" / "gdp.csv")
    assert gdp[(gdp["Country Code"] == "COL")]["Year"].max() == 2023  # the World Bank series ends in 2023
    # 2024: DANE's GDP in pesos (as printed by the OECD) ÷ the year's average TRM, recomputed from the raw files
    gdp_2024 = gdp_2024_derived()
    assert card.facts["gdp_year"] == 2024
    assert card.facts["trade_gap_pct_gdp"] == pytest.approx(-china_2024_headline() / gdp_2024 * 100)
    assert "2024 GDP in US dollars derived" in " ".join(card.explanation)
    with open(RAW / "published-figures" / "indicators.csv", newline="", encoding="utf-8-sig") as handle:
        printed = [r for r in csv.DictReader(handle) if r["year"] == "2024" and r["unit"] == "pct_gdp"
                   and r["indicator"] == "central_government_balance" and "Hacienda" in r["publisher"]]  # fmt: skip
    values = {float(r["value"]) for r in printed}
    assert values == {
        -6.8
    }  # the Finance Ministry's 2024 central government deficit, as every page printed it
    assert card.facts["fiscal_deficit_pct_gdp"] == pytest.approx(6.8)
    remaining = 6.8 + china_2024_headline() / gdp_2024 * 100
    assert card.facts["remaining_pct_gdp"] == pytest.approx(remaining)  # ≈ 3.8 % of GDP even in the best case
    assert card.verdict == c.NOT_SUPPORTED
    assert "Hacienda" in card.citation
    assert any("International Monetary Fund" in a for a in card.alternatives)


def test_claim9_imports_from_china(cards: dict[int, c.ClaimCard]) -> None:
    card = cards[9]
    first = dane_import("CHN", 2010) / col_dots(
        "import", "World", 2010
    )  # DANE for China; IMF DOTS for the World
    last = dane_import("CHN", 2024) / dbnomics(
        "CO", "TMG_CIF_USD", "W00", 2024
    )  # the World: IMF DOTS (DBnomics)
    assert card.verdict == c.SUPPORTED
    assert (card.facts["first_year"], card.facts["last_year"]) == (2010, 2024)
    assert card.facts["first_share"] == pytest.approx(first)
    assert card.facts["last_share"] == pytest.approx(last)
    assert card.facts["growth_factor"] == pytest.approx(dane_import("CHN", 2024) / dane_import("CHN", 2010))


def test_scenario_and_out_of_scope_cards(cards: dict[int, c.ClaimCard]) -> None:
    assert cards[5].verdict == c.SCENARIO
    assert cards[10].verdict == c.OUT_OF_SCOPE
    for card in cards.values():
        assert card.explanation, card.spec.id
        assert set(card.numbers.columns) == set(c.NUMBER_COLUMNS)
        if card.verdict not in (c.OUT_OF_SCOPE,):
            assert card.basis, card.spec.id


def test_claims_4_and_5_cite_the_shipped_scenarios(cards: dict[int, c.ClaimCard]) -> None:
    four, five = cards[4].facts, cards[5].facts
    assert (
        four[f"{c.SINGLED_OUT_PRESET}_060311_change_usd"] > 0
    )  # Ecuador's roses gain when Colombia alone is hit
    assert five["colombia_change_usd"] < 0
    assert 0 < five["latam_share"] < 1


# ------------------------------------------------------------------------------------- the cards in Spanish

ENGLISH_WORDS = re.compile(
    r"\b(the|and|with|of|from|which|imports|exports|balance|year|years|between)\b", re.I
)


def test_spanish_cards_give_the_same_verdicts_and_numbers_in_spanish_words(
    claim_data: c.ClaimData, cards: dict[int, c.ClaimCard]
) -> None:
    spanish = {card.spec.id: card for card in c.build_cards(claim_data, lang="es")}
    assert spanish.keys() == cards.keys()
    for claim_id, english in cards.items():
        card = spanish[claim_id]
        assert card.verdict == english.verdict, claim_id
        assert card.facts == english.facts, claim_id
        pd.testing.assert_series_equal(card.numbers["value"], english.numbers["value"])
        texts = [
            card.basis,
            card.figure,
            card.disagreement,
            *card.explanation,
            *card.alternatives,
            *card.missing,
        ]
        assert any(texts), claim_id
        for text in texts:
            assert len(ENGLISH_WORDS.findall(text)) < 2, (claim_id, text)
        for measure in card.numbers["measure"]:
            assert len(ENGLISH_WORDS.findall(measure)) < 2, (claim_id, measure)
        assert card.spec.text("summary", "es") != english.spec.summary
        assert card.spec.text("tolerance_text", "es") != english.spec.tolerance_text
    # the headline figures in the Spanish number format, computed here from the raw files
    deficit = -china_2024_headline() / B
    assert f"{deficit:.2f}".replace(".", ",") + " mil millones de USD" in spanish[1].figure
    mixed = (dane_import("CHN", 2024) - dian_sum("China", 2024)) / B
    assert f"{mixed:.2f}".replace(".", ",") + " mil millones de USD" in spanish[1].disagreement
    assert "USD" in cards[1].figure and "mil millones" not in cards[1].figure  # English keeps its own format


def test_claim11_the_region_beside_colombia(cards: dict[int, c.ClaimCard]) -> None:
    """Context, no verdict: Brazil's and Chile's exports to China and the US (what each told UN Comtrade, over the
    IMF's World totals) and Colombia's (DIAN), 2024, and the years China overtook the US, from the raw files."""
    card = cards[11]
    assert card.verdict == c.CONTEXT
    edges = pd.read_csv(
        RAW / "comtrade-latam-exports-10-reporters-2000-2025" / "trade_edges_global_partners.csv"
    )
    sold = {(r.exporter, r.importer, int(r.year)): float(r.value_usd) for r in edges.itertuples()}
    for peer, iso2 in (("BRA", "BR"), ("CHL", "CL")):
        world = dbnomics(iso2, "TXG_FOB_USD", "W00", 2024)
        assert card.facts[f"{peer.lower()}_export_chn"] == pytest.approx(
            sold[(peer, "CHN", 2024)] / world * 100
        )
        assert card.facts[f"{peer.lower()}_export_usa"] == pytest.approx(
            sold[(peer, "USA", 2024)] / world * 100
        )
        # the first year China bought more than the US, after a year it did not (the World total cancels out)
        ahead = [y for y in range(2000, 2025) if sold[(peer, "CHN", y)] > sold[(peer, "USA", y)]]
        first = next(y for y in ahead if y - 1 not in ahead and y > 2000)
        assert card.facts[f"{peer.lower()}_china_ahead_from"] == first
    assert (card.facts["bra_china_ahead_from"], card.facts["chl_china_ahead_from"]) == (2009, 2007)
    assert card.facts["col_export_chn"] == pytest.approx(
        dian_sum("China", 2024) / dian_sum("TOTAL", 2024) * 100
    )
    assert card.facts["col_export_usa"] == pytest.approx(
        dian_sum("Estados Unidos", 2024) / dian_sum("TOTAL", 2024) * 100
    )
    assert "col_china_ahead_from" not in card.facts  # the US has bought more from Colombia every year
    assert card.spec.link_page == "peers"


def test_card_figure_rows_carry_the_records_flags(cards: dict[int, c.ClaimCard]) -> None:
    """Every figure row says whether it is provisional and comparable: 2025 partner exports (DIAN withholds
    destinations from 2025, and its 2025-2026 figures are provisional) are both; 2024's are neither."""
    for claim_id in (1, 3, 6, 7):
        numbers = cards[claim_id].numbers
        assert {"provisional", "comparable"} <= set(numbers.columns), claim_id
    deficit = cards[1].numbers
    headline = deficit[deficit["perspective"].str.contains("headline")].set_index("year")
    assert bool(headline.loc[2025, "provisional"]) and not bool(headline.loc[2025, "comparable"])
    assert not bool(headline.loc[2024, "provisional"]) and bool(headline.loc[2024, "comparable"])
    monthly = cards[6].numbers
    monthly = monthly[monthly["measure"].str.startswith(c.MONTHLY_EXPORTS_MEASURE)]
    dian_months = {r["month"] for r in dian().to_dict("records")}
    assert {m for m in dian_months if m >= "2025-01"} and len(monthly) > 0
    late = monthly[monthly["year"].astype(str) >= "2025"]
    early = monthly[monthly["year"].astype(str) < "2025"]
    assert late["provisional"].all() and not late["comparable"].any()
    assert not early["provisional"].any() and early["comparable"].all()
    shares = cards[3].numbers
    shares_2024 = shares[shares["year"].astype(str) == "2024"]
    assert len(shares_2024) and not shares_2024["provisional"].any() and shares_2024["comparable"].all()


def test_dian_monthly_rows_come_in_one_order_in_every_process(claim_data: c.ClaimData) -> None:
    # the US and no declared destination share every month: without a tie-break their order followed the
    # database's parallel aggregation, and two processes worded the same card's rows in different orders
    monthly = claim_data.dian_monthly
    keys = list(zip(monthly["period"], monthly["partner_iso3"], strict=True))
    assert keys == sorted(keys)
    assert len(set(monthly["partner_iso3"])) > 1 and len(keys) > len(set(monthly["period"]))
