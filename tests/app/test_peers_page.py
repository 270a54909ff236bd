"""The Peers page in English and Spanish (AppTest on the bundled database): its ranking and overtaking years hold the figures computed here straight from the raw files (pandas and openpyxl, never the loaders)."""

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


TABLES = ("overtaking", "ranking", "all")  # in the page's order


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
