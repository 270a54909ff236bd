"""The Peers journey in Spanish, in a real headless Chromium against `streamlit run`: open the dashboard in Spanish,
go to the Peers page from the navigation, download its ranking as CSV and read the file back as a spreadsheet
would: Spanish headers, codes kept, numbers as numbers, the same shares computed here from the raw files, and a
link that reproduces the view."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from etl import settings
from tests.e2e.conftest import ready
from tools.browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian package chromium (apt-get install chromium)"
    ),
]
WAIT = 240_000
RAW = settings.DATA_DIR / "raw"


def _expected_export_share_to_china(peer: str, iso2: str, year: int) -> float:
    """What the country told UN Comtrade it sold to China ÷ its exports to the World (IMF DOTS, DBnomics)."""
    edges = pd.read_csv(
        RAW / "comtrade-latam-exports-10-reporters-2000-2025" / "trade_edges_global_partners.csv"
    )
    sold = edges[(edges.exporter == peer) & (edges.importer == "CHN") & (edges.year == year)].value_usd.iloc[
        0
    ]
    imf = pd.read_csv(RAW / "imf-dots-dbnomics-latam-2015-2024" / "dots_trade_LATAM7_rows.csv")
    world = imf[(imf.ref_area == iso2) & (imf.indicator == "TXG_FOB_USD") & (imf.counterpart == "W00")
                & (imf.year == year)].value.iloc[0]  # fmt: skip
    return sold / (world * 1e6) * 100


def test_in_spanish_open_the_peers_page_and_download_its_ranking(server: str, context) -> None:
    page = context.new_page()
    try:
        page.goto(f"{server}/?lang=es")
        ready(page)
        page.get_by_role("link", name="Pares").first.click()
        page.wait_for_url(re.compile(r"/peers"), timeout=WAIT)
        page.get_by_role("heading", name=re.compile("Colombia y sus pares")).wait_for(timeout=WAIT)
        ready(page)
        assert page.get_by_text("Cuándo China superó a Estados Unidos").count() >= 1
        assert page.get_by_text("Clasificación en 2024").count() >= 1
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Descargar CSV").first.click()
        download = info.value
        assert download.suggested_filename == "balanza-peers-ranking-2024.csv"
        # as a Spanish-locale spreadsheet reads it: ';' between fields, ',' before decimals
        table = pd.read_csv(
            download.path(), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False, na_values=[""]
        )
    finally:
        page.close()
    assert {"Puesto", "Informante (ISO3)", "País", "Exportaciones a China (%)", "Importaciones desde China (%)",
            "Balanza con China (% del comercio)", "Publicador", "Enlace a esta vista"} <= set(table.columns)  # fmt: skip
    assert list(table["Informante (ISO3)"])[:3] == ["CHL", "PER", "BRA"]  # ranked by exports to China
    assert len(table) == 7 and set(table["País"]) >= {"Chile", "Perú", "Brasil", "México"}
    shares = table.set_index("Informante (ISO3)")["Exportaciones a China (%)"]
    assert pd.api.types.is_float_dtype(shares)  # numbers stay numbers in the file
    for peer, iso2 in (("CHL", "CL"), ("BRA", "BR"), ("MEX", "MX")):
        # one decimal, as the page shows it
        assert shares[peer] == round(_expected_export_share_to_china(peer, iso2, 2024), 1)
    link = table["Enlace a esta vista"].iloc[0]
    assert "/peers?" in link and "lang=es" in link and "year=2024" in link
