"""One number, one rule: every page, the scenario model and the CSV export show the series of record's figure.

Observations are picked across years, partners, flows and both sides (Colombia-reported and the partner's
mirror). Every expected value is computed here straight from the raw files in data/raw (csv module and
plain arithmetic), never by the code under test.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import csv_export, i18n
from etl import record, record_balance, settings
from model import data as model_data
from model.purchase import growth_history, largest_growth, run_purchase
from model.spec import parse_spec

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
FACTOR = settings.CIF_FOB_FACTOR_IMF


# ------------------------------------------------------------------------------------------ raw-file figures
def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def dian_exports() -> dict[tuple[str, int], float]:
    """DIAN monthly exports summed per (destination ISO3, year), complete years only (USD)."""
    names = {"China": "CHN", "Estados Unidos": "USA", "TOTAL": "WLD"}
    sums: dict[tuple[str, int], float] = defaultdict(float)
    months: dict[tuple[str, int], int] = defaultdict(int)
    for row in _rows(
        RAW / "dian-exports-by-destination" / "colombia_exports_by_destination_monthly_2023_2026.csv"
    ):
        if row["destination"] in names:
            key = (names[row["destination"]], int(row["month"][:4]))
            sums[key] += float(row["fob_usd_million"]) * 1e6
            months[key] += 1
    return {key: value for key, value in sums.items() if months[key] == 12}


def dane_imports() -> dict[tuple[str, int], float]:
    """DANE imports (CIF) by origin, all goods (USD)."""
    rows = _rows(RAW / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv")
    return {
        (r["codigo iso3"], int(r["anio"])): float(r["valor dolares cif"])
        for r in rows
        if r["capitulo"] == "TOTAL"
    }


def comtrade_exports() -> dict[tuple[str, int], float]:
    rows = _rows(
        RAW / "comtrade-latam-exports-col-2000-2025" / "trade_edges_global_partners_COL_exporter_rows.csv"
    )
    return {(r["importer"], int(r["year"])): float(r["value_usd"]) for r in rows if r["exporter"] == "COL"}


def census_with_colombia() -> dict[tuple[str, int], float]:
    """US Census country totals with Colombia: ('import', year) = US imports from Colombia (USD)."""
    out = {}
    for row in _rows(RAW / "us-census-country-totals" / "us_census_goods_trade_COL_CHN_2010_2024_annual.csv"):
        if row["us_partner_iso3"] == "COL":
            out[("import", int(row["year"]))] = float(row["us_imports_usd_million"]) * 1e6
            out[("export", int(row["year"]))] = float(row["us_exports_usd_million"]) * 1e6
    return out


def printed(year: int, partner: str, flow: str, citing: str | None = None) -> list[float]:
    """Printed values for one observation (the published-figures files), optionally only from pages citing
    ``citing``."""
    return [
        float(r["value_usd"]) for path in sorted((RAW / "published-figures").glob("facts*.csv"))
        for r in _rows(path)
        if int(r["year"]) == year and r["reporter_iso3"] == "COL" and r["partner_iso3"] == partner
        and r["flow"] == flow and (citing is None or f"citing {citing}" in r["publisher"])
    ]  # fmt: skip


def imf_dots_dbnomics(area: str, indicator: str, counterpart: str, year: int) -> float:
    """One value of the IMF DOTS rows served by DBnomics (USD millions in the file), in USD."""
    rows = _rows(RAW / "imf-dots-dbnomics-latam-2015-2024" / "dots_trade_LATAM7_rows.csv")
    [value] = [float(r["value"]) for r in rows if (r["ref_area"], r["indicator"], r["counterpart"], r["year"])
               == (area, indicator, counterpart, str(year))]  # fmt: skip
    return value * 1e6


def expected_colombia(partner: str, flow: str, year: int) -> float:
    """Colombia's own figure by the documented priority, from the raw files: DANE (DIAN exports, DANE's import
    annex) first, then UN Comtrade."""
    own = dian_exports() if flow == "export" else dane_imports()
    if (partner, year) in own:
        return own[(partner, year)]
    return comtrade_exports()[(partner, year)]


# The year whose DANE figures give a partner's CIF/FOB factor: China's only legible full-year FOB balance is 2013's
# (its 2024 balance was printed garbled).
FACTOR_YEARS = {"CHN": 2013}


def dane_factor(partner: str) -> float:
    """imports CIF ÷ (exports FOB − DANE's FOB/FOB balance) in the partner's factor year; IMF's without one."""
    if partner not in FACTOR_YEARS:
        return FACTOR
    year = FACTOR_YEARS[partner]
    (balance,) = set(printed(year, partner, "balance", citing="DANE"))
    return expected_colombia(partner, "import", year) / (expected_colombia(partner, "export", year) - balance)


def expected_headline(partner: str, year: int) -> tuple[float, str]:
    """DANE's printed balance where a page citing DANE gives it, else exports FOB − imports CIF ÷ the partner's
    factor from DANE's own figures."""
    official = printed(year, partner, "balance", citing="DANE")
    if official:
        return max(set(official), key=official.count), "official"
    exports, imports = expected_colombia(partner, "export", year), expected_colombia(partner, "import", year)
    return exports - imports / dane_factor(partner), "fob_estimated"


# Observations (partner, flow, year), Colombia-reported: DIAN, DANE's annex and UN Comtrade years.
OBSERVATIONS = [
    ("CHN", "export", 2024), ("CHN", "export", 2018), ("CHN", "import", 2021), ("CHN", "import", 2022),
    ("CHN", "import", 2023), ("USA", "export", 2023), ("USA", "export", 2021), ("USA", "import", 2024),
]  # fmt: skip
MIRROR_OBSERVATIONS = [("USA", "export", 2022), ("USA", "import", 2019)]


def test_raw_figures_are_what_the_provenance_notes_say() -> None:
    """The raw-file readers above agree with the key values written in each PROVENANCE.md."""
    assert dane_imports()[("CHN", 2022)] == pytest.approx(18_698.7e6, abs=0.1e6)
    assert dian_exports()[("CHN", 2024)] == pytest.approx(2_377.2e6, abs=0.1e6)
    assert comtrade_exports()[("CHN", 2018)] == pytest.approx(4_056.1e6, abs=0.1e6)
    assert census_with_colombia()[("import", 2024)] == pytest.approx(17_856.8e6, abs=0.1e6)
    assert printed(2024, "WLD", "balance", citing="DANE") == [-10_811e6, -10_811e6]
    assert dane_factor("CHN") == pytest.approx(1.053, abs=5e-4)  # 10,362.8 ÷ (5,102.2 + 4,739.4)


# ------------------------------------------------------------------------------------------ the layer itself
def test_the_record_holds_the_raw_figures(bundled_con: duckdb.DuckDBPyConnection) -> None:
    frame = record.query_record(bundled_con, reporter="COL", partners=["CHN", "USA"])
    got = {(r.partner_iso3, r.flow, r.year): (r.value_usd, r.source) for r in frame.itertuples()}
    for partner, flow, year in OBSERVATIONS:
        assert got[(partner, flow, year)][0] == pytest.approx(
            expected_colombia(partner, flow, year), rel=1e-9
        )
    # Colombia-reported imports from China 2021-2023 come from DANE's own series
    assert {got[("CHN", "import", y)][1] for y in (2021, 2022, 2023)} == {"dane_imports"}
    mirror = record.query_mirror(bundled_con, reporter="COL", partners=["USA"])
    got = {(r.flow, r.year): r.value_usd for r in mirror.itertuples()}
    census = census_with_colombia()
    for _, flow, year in MIRROR_OBSERVATIONS:
        # Colombia's exports = US imports from Colombia; Colombia's imports = US exports to Colombia
        assert got[(flow, year)] == pytest.approx(census[("import" if flow == "export" else "export", year)])
    world = record_balance.query_balance(bundled_con, partners=["WLD", "CHN"])
    head = {(r.partner_iso3, r.year): (r.balance_usd, r.basis) for r in world.itertuples()}
    assert head[("WLD", 2024)] == (-10_811e6, "official")
    value, basis = expected_headline("CHN", 2024)
    assert head[("CHN", 2024)][0] == pytest.approx(value) and head[("CHN", 2024)][1] == basis


# ------------------------------------------------------------------------------------------ pages
def _run(page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _csv_of(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the Download CSV file writes it, read back."""
    raw = csv_export.to_csv_bytes(table, source="-", valuation="-", units="-", filters={}, view_url="-")
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")


def _usd(row: dict) -> str:
    """The column with the value in US dollars (its header carries the unit)."""
    return next(name for name in row if str(name).startswith("Value (USD)"))


def test_balances_page_and_its_csv_show_the_record(bundled_env: Path) -> None:
    at = _run("balances", {"partners": "CHN,USA,WLD"})
    table = at.dataframe[0].value
    exported = _csv_of(table)
    for shown in (table, exported):
        values = {(r["Partner (ISO3)"], int(r["Year"]), r["Measure"]): r for r in shown.to_dict("records")}
        for partner, flow, year in OBSERVATIONS:
            row = values[(partner, year, {"export": "Exports", "import": "Imports"}[flow])]
            assert row[_usd(row)] == pytest.approx(expected_colombia(partner, flow, year), abs=1)
        china = values[("CHN", 2024, "Balance")]
        assert china[_usd(china)] == pytest.approx(expected_headline("CHN", 2024)[0], abs=1)
        world = values[("WLD", 2024, "Balance")]
        assert world[_usd(world)] == pytest.approx(-10_811e6, abs=1)
        # the publisher is named (not a source code), with the printing page for printed figures
        assert world["Publisher"] == "DANE, as printed by El Nuevo Siglo"
        assert values[("CHN", 2022, "Imports")]["Publisher"].startswith("DANE")
    mirror = _run("balances", {"partners": "USA", "view": "mirror"}).dataframe[0].value
    values = {(int(r["Year"]), r["Measure"]): r for r in mirror.to_dict("records")}
    census = census_with_colombia()
    for _, flow, year in MIRROR_OBSERVATIONS:
        row = values[(year, {"export": "Exports", "import": "Imports"}[flow])]
        assert row[_usd(row)] == pytest.approx(census[("import" if flow == "export" else "export", year)])
        assert row["Publisher"] == "US Census Bureau"


def test_overview_shows_the_same_year_and_the_headline_balances(bundled_env: Path) -> None:
    at = _run("overview")
    metrics = {m.label.split(":")[0]: m for m in at.metric}
    labels = [m.label for m in at.metric]
    # one year for every partner: 2024, the latest whose figures are final for all (DANE's 2025 annex is provisional)
    assert all("2024" in label for label in labels), labels
    china = expected_headline("CHN", 2024)[0]
    # a headline tile: USD billions, two decimals, a true minus sign
    assert metrics["China (CHN)"].value == f"USD {china / 1e9:,.2f} bn".replace("-", "−")
    assert metrics["World (WLD)"].value == "USD −10.81 bn"
    usa = expected_headline("USA", 2024)[
        0
    ]  # DANE's own 2024 balance with the USA, printed by a page citing DANE
    assert metrics["United States of America (USA)"].value == f"USD {usa / 1e9:,.2f} bn".replace("-", "−")
    table = at.dataframe[0].value
    exported = _csv_of(table)
    for shown in (table, exported):
        world = shown[shown["Partner (ISO3)"] == "WLD"].iloc[0]
        assert world["Balance: publisher"] == "DANE, as printed by El Nuevo Siglo"
        assert "official" in world["Balance: basis"]


def test_dependence_names_its_denominator(bundled_env: Path) -> None:
    at = _run("dependence", {"partners": "CHN,USA"})
    table = at.dataframe[0].value
    imports = i18n.flow("import", "en")
    row = table[
        (table["Partner (ISO3)"] == "CHN") & (table["Flow"] == imports) & (table["Year"] == 2022)
    ].iloc[0]
    # Colombia's imports from all partners in 2022: IMF DOTS, the later vintage (DBnomics), which outranks the
    # figures printed by pages citing DANE (77,413 million, kept as evidence)
    world_value = imf_dots_dbnomics("CO", "TMG_CIF_USD", "W00", 2022)
    assert printed(2022, "WLD", "import", citing="DANE")
    assert row["Share (%)"] == pytest.approx(expected_colombia("CHN", "import", 2022) / world_value * 100)
    denominator = row["Share of (denominator)"]
    assert "all partners" in denominator and "IMF Direction of Trade Statistics (2026 vintage" in denominator


# ------------------------------------------------------------------------------------------ the model
def test_model_reads_the_same_figures(bundled_con: duckdb.DuckDBPyConnection) -> None:
    for partner in ("CHN", "USA"):
        series = model_data.query_bilateral_annual(bundled_con, "COL", partner)
        got = {(r.flow, r.year): r.value_usd for r in series.itertuples()}
        for obs_partner, flow, year in OBSERVATIONS:
            if obs_partner == partner:
                assert got[(flow, year)] == pytest.approx(expected_colombia(partner, flow, year), rel=1e-9)
    spec = parse_spec({"kind": "purchase", "name": "p", "buyer": "CHN", "seller": "COL", "year": 2024,
                       "increase": {"amount_usd": 1e9}})  # fmt: skip
    result = run_purchase(spec, bundled_con)
    assert result.totals["needed_to_close_usd"] == pytest.approx(-expected_headline("CHN", 2024)[0])
    # the record yearly rise of Colombia's exports to China, from the raw files (UN Comtrade 2000-2022 as
    # reported by DANE, DIAN from 2023): the model finds the same year and amount
    comtrade, dian = comtrade_exports(), dian_exports()
    yearly = {y: dian.get(("CHN", y), comtrade.get(("CHN", y))) for y in range(2000, 2026)}
    rises = {y: yearly[y] - yearly[y - 1] for y in range(2001, 2026) if yearly[y] and yearly[y - 1]}
    best_year = max(rises, key=rises.get)
    assert (result.totals["largest_growth_usd_year"], result.totals["largest_growth_usd"]) == (
        best_year,
        pytest.approx(rises[best_year]),
    )
    history = growth_history(model_data.query_bilateral_annual(bundled_con, "COL", "CHN"))
    assert largest_growth(history, "growth_usd") == (pytest.approx(rises[best_year]), best_year)


# ------------------------------------------------------------------------------------------ the claims' evidence
def test_claims_evidence_shows_the_same_figures(bundled_con: duckdb.DuckDBPyConnection) -> None:
    from dashboard import claims

    cards = {str(card.spec.id): card for card in claims.build_cards(claims.query_claim_data(bundled_con))}
    # Claim 1: the 2024 balance with China on the headline basis is the Overview's and the scenario's number
    numbers = cards["1"].numbers
    headline = numbers[
        (numbers["year"].astype(str) == "2024") & numbers["perspective"].str.contains("headline")
    ]
    assert float(headline["value"].iloc[0]) == pytest.approx(expected_headline("CHN", 2024)[0])
    # Claim 7: the deficit to close and the record yearly rise are the purchase scenario's
    comtrade, dian = comtrade_exports(), dian_exports()
    yearly = {y: dian.get(("CHN", y), comtrade.get(("CHN", y))) for y in range(2000, 2026)}
    rises = {y: yearly[y] - yearly[y - 1] for y in range(2001, 2026) if yearly[y] and yearly[y - 1]}
    best_year = max(rises, key=rises.get)
    facts = cards["7"].facts
    assert facts["deficit_usd"] == pytest.approx(-expected_headline("CHN", 2024)[0])
    assert (int(facts["best_year"]), facts["best_increase_usd"]) == (
        best_year,
        pytest.approx(rises[best_year]),
    )


# ------------------------------------------------------------------------------------------ denominators
def test_import_shares_name_their_coverage(bundled_con: duckdb.DuckDBPyConnection) -> None:
    """US imports of coffee (HS 09) and in total: the bundled HS10 partners (EU counted once) against every
    partner's Census HS2 file, both summed here from the raw files."""
    hs10 = RAW / "us-census-imports-2024-hs10"
    lines = (
        duckdb.sql(
            f"SELECT left(HS10, 2) AS chapter, sum(CAST(CON_VAL_YR AS DOUBLE)) AS usd "
            f"FROM read_parquet('{hs10}/2024-hs10-imports*.parquet', filename = true) "
            "WHERE NOT ends_with(filename, 'imports4359.parquet') GROUP BY 1"  # Slovakia: inside the EU file
        )
        .df()
        .set_index("chapter")["usd"]
    )
    everyone: dict[str, float] = defaultdict(float)
    for path in sorted((RAW / "us-census-imports-2024-hs2").glob("hs2-tariff-*.csv")):
        for row in _rows(path):
            if row["CTY_CODE"] not in (
                "0003",
                "5082",
                "5083",
            ):  # the EU aggregate; Gaza Strip, West Bank (no ISO3)
                everyone[row["HS2"].zfill(2)] += float(row["2024_imports"])
    coverage = model_data.query_import_coverage(bundled_con, "USA", 2024).set_index("chapter")
    assert coverage.loc["09", "lines_usd"] == pytest.approx(lines["09"])
    assert coverage.loc["09", "all_partners_usd"] == pytest.approx(everyone["09"])
    assert coverage.loc["TOTAL", "lines_usd"] == pytest.approx(lines.sum())
    assert coverage.loc["TOTAL", "all_partners_usd"] == pytest.approx(sum(everyone.values()))
    assert coverage.loc["TOTAL", "coverage_pct"] == pytest.approx(100 * lines.sum() / sum(everyone.values()))


def test_the_sentences_over_the_numbers_say_the_record_s_balance(bundled_env: Path) -> None:
    """The one sentence under the Overview's tiles and over the Balances chart says the same headline balance as
    the raw files give, in words and in the reader's format (computed here, not by the page's formatter)."""
    china, usa = expected_headline("CHN", 2024)[0], expected_headline("USA", 2024)[0]
    for page in ("overview", "balances"):
        text = " ".join(m.value.replace("\\", "") for m in _run(page, {"lang": "es"}).markdown)
        for name, balance in (("China", china), ("Estados Unidos de América", usa)):
            amount = f"{-balance / 1e9:.2f}".replace(".", ",") + " mil millones de USD"
            assert f"Colombia le compró a {name} {amount} más de lo que le vendió en 2024." in text, (
                page,
                text,
            )
