"""The Peers page in English and Spanish (AppTest on the bundled database): its ranking, overtaking years and
mirror checks hold the figures computed here straight from the raw files (pandas and openpyxl, never the loaders)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl import settings

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
RAW = settings.DATA_DIR / "raw"
FACTOR = settings.CIF_FOB_FACTOR_IMF
ISO2 = {"AR": "ARG", "BR": "BRA", "CL": "CHL", "CO": "COL", "EC": "ECU", "MX": "MEX", "PE": "PER",
        "CN": "CHN", "US": "USA", "W00": "WLD"}  # fmt: skip
WORKBOOKS = {"ARG": "DOTS_8_Argentina.xlsx", "BRA": "DOTS_28_Brazil.xlsx", "CHL": "DOTS_39_Chile.xlsx",
             "ECU": "DOTS_60_Ecuador.xlsx", "MEX": "DOTS_127_Mexico.xlsx", "PER": "DOTS_156_Peru.xlsx"}  # fmt: skip
HEADERS = {
    "en": {"country": "Reporter (ISO3)", "export_chn": "Exports to China (%)", "import_chn": "Imports from China (%)",
           "balance_chn": "Balance with China (% of trade)", "rank": "Rank", "flow": "Flow",
           "overtaken": "China ahead from", "export": "Exports", "import": "Imports"},
    "es": {"country": "Informante (ISO3)", "export_chn": "Exportaciones a China (%)",
           "import_chn": "Importaciones desde China (%)", "balance_chn": "Balanza con China (% del comercio)",
           "rank": "Puesto", "flow": "Flujo", "overtaken": "China por delante desde", "export": "Exportaciones",
           "import": "Importaciones"},
}  # fmt: skip


# ---------------------------------------------------------------------------- raw files
@cache
def comtrade() -> dict[tuple[str, str, int], float]:
    frame = pd.read_csv(
        RAW / "comtrade-latam-exports-10-reporters-2000-2025" / "trade_edges_global_partners.csv"
    )
    return {(r.exporter, r.importer, int(r.year)): float(r.value_usd) for r in frame.itertuples()}


@cache
def dbnomics() -> dict[tuple[str, str, str, int], float]:
    frame = pd.read_csv(RAW / "imf-dots-dbnomics-latam-2015-2024" / "dots_trade_LATAM7_rows.csv", dtype=str)
    flows = {"TXG_FOB_USD": "export", "TMG_CIF_USD": "import"}
    return {(ISO2[r.ref_area], ISO2[r.counterpart], flows[r.indicator], int(r.year)): float(r.value) * 1e6
            for r in frame.itertuples()}  # fmt: skip


@cache
def workbook(reporter: str) -> dict[tuple[str, str, int], float]:
    book = openpyxl.load_workbook(
        RAW / "imf-dots-latam-peers-1960-2020" / WORKBOOKS[reporter], read_only=True
    )
    names = {"World": "WLD", "United States": "USA", "China, P.R.: Mainland": "CHN"}
    out = {}
    for flow, title in (("export", "Exports, FOB"), ("import", "Imports, CIF")):
        rows = list(book[title].iter_rows(values_only=True))
        years = {i: int(c) for i, c in enumerate(rows[6]) if c and str(c).isdigit()}
        for row in rows[7:]:
            if len(row) > 1 and row[1] in names:
                for i, year in years.items():
                    if i < len(row) and isinstance(row[i], int | float):
                        out[(names[row[1]], flow, year)] = float(row[i]) * 1e6
    book.close()
    return out


def imf(reporter: str, partner: str, flow: str, year: int) -> float | None:
    """IMF DOTS, the later vintage where it has the year, else the early-2022 workbook."""
    later = dbnomics().get((reporter, partner, flow, year))
    return later if later is not None else workbook(reporter).get((partner, flow, year))


@cache
def dane_imports() -> dict[tuple[str, int], float]:
    frame = pd.read_csv(RAW / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv",
                        dtype=str, encoding="utf-8-sig")  # fmt: skip
    frame = frame[frame["capitulo"] == "TOTAL"]
    return {(r["codigo iso3"], int(r["anio"])): float(r["valor dolares cif"]) for _, r in frame.iterrows()}


def china_plp_brazil(year: int) -> tuple[float, float]:
    """China-reported (exports to, imports from) Brazil, USD."""
    book = openpyxl.load_workbook(
        RAW / "comtrade-china-reported-plp-incl-brazil-2003-2024" / "cn_plp_trocas_2003-2024.xlsx",
        read_only=True,
    )
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    [row] = [r for r in rows[1:] if r[0] == year and r[1] == "Brazil"]
    return float(row[3]), float(row[4])


def us_census(partner: str, year: int) -> tuple[float, float]:
    """US exports to and imports from ``partner``, USD."""
    frame = pd.read_csv(
        RAW / "us-census-trade-latam-peers-2021-2024"
        / "us_census_goods_trade_ARG_BRA_CHL_ECU_MEX_PER_2021_2024_annual.csv"
    )  # fmt: skip
    row = frame[(frame.us_partner_iso3 == partner) & (frame.year == year)].iloc[0]
    return row.us_exports_usd_million * 1e6, row.us_imports_usd_million * 1e6


def us_dots_imports_from(partner_name: str) -> dict[int, float]:
    """US imports from a partner in the IMF's US workbook (the early-2022 vintage), USD."""
    book = openpyxl.load_workbook(RAW / "imf-dots" / "DOTS_208_United_States.xlsx", read_only=True)
    rows = list(book["Imports, CIF"].iter_rows(values_only=True))
    book.close()
    years = {i: int(c) for i, c in enumerate(rows[6]) if c and str(c).isdigit()}
    [row] = [r for r in rows[7:] if len(r) > 1 and r[1] == partner_name]
    return {year: float(row[i]) * 1e6 for i, year in years.items() if isinstance(row[i], int | float)}


def first_year_china_ahead(china: dict[int, float], usa: dict[int, float]) -> int | None:
    years = sorted(set(china) & set(usa))
    for previous, year in zip(years, years[1:], strict=False):
        if china[year] > usa[year] and not china[previous] > usa[previous]:
            return year
    return None


# ---------------------------------------------------------------------------- the page
def _run(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("app_pages/peers.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


TABLES = ("overtaking", "ranking", "all", "mirror_overview", "mirror")  # in the page's order


def _table(at: AppTest, name: str) -> pd.DataFrame:
    assert len(at.dataframe) == len(TABLES)
    return at.dataframe[TABLES.index(name)].value


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_ranking_holds_the_shares_computed_from_the_raw_files(bundled_env: Path, lang: str) -> None:
    at = _run({"lang": lang, "year": "2024", "rank": "export_chn"})
    h = HEADERS[lang]
    ranking = _table(at, "ranking").set_index(h["country"])
    assert list(ranking.index)[:3] == ["CHL", "PER", "BRA"]  # China takes the largest shares of their exports
    assert list(ranking[h["rank"]]) == list(range(1, 8))
    for peer in ("ARG", "BRA", "CHL", "ECU", "MEX", "PER"):
        # exports: what the country told UN Comtrade ÷ its exports to the World (IMF DOTS, the later vintage)
        expected = comtrade()[(peer, "CHN", 2024)] / dbnomics()[(peer, "WLD", "export", 2024)] * 100
        assert ranking.loc[peer, h["export_chn"]] == pytest.approx(expected, rel=1e-9)
        expected = dbnomics()[(peer, "CHN", "import", 2024)] / dbnomics()[(peer, "WLD", "import", 2024)] * 100
        assert ranking.loc[peer, h["import_chn"]] == pytest.approx(expected, rel=1e-9)
        balance = comtrade()[(peer, "CHN", 2024)] - dbnomics()[(peer, "CHN", "import", 2024)] / FACTOR
        trade = dbnomics()[(peer, "WLD", "export", 2024)] + dbnomics()[(peer, "WLD", "import", 2024)] / FACTOR
        assert ranking.loc[peer, h["balance_chn"]] == pytest.approx(balance / trade * 100, rel=1e-9)
    # Colombia: DANE's import annex for China ÷ the IMF's World total (the later vintage)
    expected = dane_imports()[("CHN", 2024)] / dbnomics()[("COL", "WLD", "import", 2024)] * 100
    assert ranking.loc["COL", h["import_chn"]] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_year_china_overtook_the_us_is_the_raw_files(bundled_env: Path, lang: str) -> None:
    """Who is ahead in a year does not depend on the World total: China's and the US's values decide it."""
    at = _run({"lang": lang})
    h = HEADERS[lang]
    table = _table(at, "overtaking")
    for peer in ("ARG", "BRA", "CHL", "ECU", "MEX", "PER"):
        exports = {p: {y: comtrade()[(peer, p, y)] for y in range(2000, 2025)} for p in ("CHN", "USA")}
        imports = {p: {y: v for y in range(2000, 2025) if (v := imf(peer, p, "import", y)) is not None}
                   for p in ("CHN", "USA")}  # fmt: skip
        for flow, values in (("export", exports), ("import", imports)):
            row = table[(table[h["country"]] == peer) & (table[h["flow"]] == h[flow])].iloc[0]
            expected = first_year_china_ahead(values["CHN"], values["USA"])
            shown = row[h["overtaken"]]
            assert (None if pd.isna(shown) else int(shown)) == expected, (peer, flow)
    brazil = table[(table[h["country"]] == "BRA") & (table[h["flow"]] == h["export"])].iloc[0]
    assert int(brazil[h["overtaken"]]) == 2009
    mexico = table[(table[h["country"]] == "MEX") & (table[h["flow"]] == h["export"])].iloc[0]
    assert pd.isna(mexico[h["overtaken"]])  # the US ahead every year


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_brazil_china_mirror_check_is_the_raw_files(bundled_env: Path, lang: str) -> None:
    at = _run({"lang": lang, "mirror": "BRA", "mpartner": "CHN"})
    table = _table(at, "mirror")
    year, gap = (
        ("Year", "Difference as valued (%)") if lang == "en" else ("Año", "Diferencia según valoración (%)")
    )
    china_exports, china_imports = china_plp_brazil(2023)
    rows = table[table[year] == 2023]
    assert len(rows) == 2
    by_gap = sorted(rows[gap])
    brazil_exports = comtrade()[("BRA", "CHN", 2023)]  # 104,324.8 million, FOB
    brazil_imports = dbnomics()[("BRA", "CHN", "import", 2023)]  # CIF
    expected = sorted(
        [(brazil_exports / china_imports - 1) * 100, (brazil_imports / china_exports - 1) * 100]
    )
    assert by_gap == pytest.approx(expected, rel=1e-9)
    captions = " ".join(c.value for c in at.caption)
    assert ("CIF" in captions and "1.06" in captions) if lang == "en" else ("1,06" in captions)


def test_the_us_mirror_check_uses_the_census_side(bundled_env: Path) -> None:
    at = _run({"mirror": "PER", "mpartner": "USA"})
    table = _table(at, "mirror")
    us_exports, us_imports = us_census("PER", 2023)
    row = table[(table["Year"] == 2023) & table["Flow"].str.startswith("Peru's exports")].iloc[0]
    assert row["Partner's figure (USD m)"] == pytest.approx(us_imports / 1e6, rel=1e-9)
    assert row["Country's figure (USD m)"] == pytest.approx(comtrade()[("PER", "USA", 2023)] / 1e6, rel=1e-9)
    assert row["Partner: publisher"] == "US Census Bureau"
    row = table[(table["Year"] == 2023) & table["Flow"].str.startswith("Peru's imports")].iloc[0]
    assert row["Partner's figure (USD m)"] == pytest.approx(us_exports / 1e6, rel=1e-9)


def test_the_page_names_the_vintage_splice_and_the_peru_caveat(bundled_env: Path) -> None:
    at = _run({"measure": "import"})
    captions = " ".join(c.value for c in at.caption)
    later, earlier = dbnomics()[("ECU", "CHN", "import", 2015)], workbook("ECU")[("CHN", "import", 2015)]
    assert f"Ecuador, imports · China: +{(later / earlier - 1) * 100:.1f} % (2015)" in captions
    assert "Peru's imports in the later IMF vintage" in captions
    chart = at.get("plotly_chart")[0].proto.spec
    assert "IMF: later vintage from 2015" in chart


def test_unchosen_countries_leave_the_page(bundled_env: Path) -> None:
    at = _run({"peers": "MEX,COL", "measure": "balance"})
    ranking = _table(at, "ranking")
    assert set(ranking["Reporter (ISO3)"]) == {"MEX", "COL"}
    overtaking = _table(at, "overtaking")
    assert set(overtaking["Reporter (ISO3)"]) == {"MEX", "COL"}


def test_the_mirror_overview_is_the_median_of_the_raw_gaps(bundled_env: Path) -> None:
    """Peru's exports to the US (Comtrade) against the US's imports from Peru (the IMF's US workbook to 2020, the
    Census Bureau 2021-2024), 2000-2024: the median of (Peru ÷ US − 1)."""
    at = _run({"lang": "en"})
    overview = _table(at, "mirror_overview")
    row = overview[
        (overview["Reporter (ISO3)"] == "PER")
        & (overview["Partner"] == "United States of America")
        & (overview["Flow"] == "Exports (the partner's imports)")
    ].iloc[0]
    us = us_dots_imports_from("Peru") | {year: us_census("PER", year)[1] for year in range(2021, 2025)}
    gaps = [(comtrade()[("PER", "USA", y)] / us[y] - 1) * 100 for y in range(2000, 2025) if y in us]
    assert len(gaps) == 25 and row["Years compared"] == "2000–2024"
    assert row["Median difference as valued (%)"] == pytest.approx(float(pd.Series(gaps).median()), rel=1e-9)
    brazil_china = overview[(overview["Reporter (ISO3)"] == "BRA") & (overview["Partner"] == "China")]
    assert len(brazil_china) == 2  # both flows: China reports its trade with Brazil
