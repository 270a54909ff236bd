"""The "explore" journey in Spanish, in a real headless Chromium: an analyst asks "what did Colombia buy from China in
2024 by chapter, and what grew fastest since 2019, in %" and answers it on the pages: from the Overview to Products
through the navigation, the 2024 chapters read off the page's sentence, 2019 chosen as the year to compare with,
the fastest growth read off the page, and the movers downloaded and read back.

Expected figures come from the raw DANE import annex (imports from China by DANE chapter name, CIF, USD).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

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
ROOT = Path(__file__).resolve().parents[2]
ANNEX = ROOT / "data" / "raw" / "dane-imports-by-origin-1980-2026" / "importaciones_colombia_unificado.csv"
SKIPPED = "Disposiciones de tratamiento especial"  # DANE's national chapter 98: not an HS chapter


def annex_chn() -> pd.DataFrame:
    """Imports from China by DANE chapter name and year (USD, CIF), and the TOTAL rows, from the raw file."""
    raw = pd.read_csv(ANNEX, encoding="utf-8-sig")
    return raw[raw["codigo iso3"] == "CHN"][["anio", "capitulo", "valor dolares cif"]]


def spanish_billions(usd: float) -> str:
    """'15,94 mil millones de USD' computed here, not by the page's formatter."""
    return f"{usd / 1e9:.2f}".replace(".", ",") + " mil millones de USD"


def _select(page, label: str, option: str, nth: int = 0) -> None:
    """Pick ``option`` in the ``nth`` select box named ``label`` as a keyboard user does: type it, press Enter."""
    box = page.get_by_role("combobox", name=label).nth(nth)
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).first.wait_for(timeout=WAIT)
    page.keyboard.press("Enter")


def _read_download(path: str) -> pd.DataFrame:
    """A CSV as a Spanish-locale spreadsheet opens it: ';' between fields, a decimal comma, UTF-8 with a BOM."""
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")


def test_what_colombia_bought_from_china_by_chapter_and_what_grew_fastest(server: str, context) -> None:
    annex = annex_chn()
    total_2024 = float(
        annex[(annex["anio"] == 2024) & (annex["capitulo"] == "TOTAL")]["valor dolares cif"].iloc[0]
    )
    chapters = annex[(annex["capitulo"] != "TOTAL") & (annex["capitulo"] != SKIPPED)]
    by_year = chapters.pivot_table(
        index="capitulo", columns="anio", values="valor dolares cif", aggfunc="sum"
    )
    largest_2024 = by_year[2024].idxmax()
    both = by_year[[2019, 2024]].dropna()
    # the page ranks growth among chapters worth at least 0.1 % of the 2019 total of the codes and USD 1 m
    base = max(1e6, 0.001 * float(by_year[2019].sum()))
    growth = ((both[2024] / both[2019] - 1) * 100)[both[2019] >= base].sort_values(ascending=False)
    fastest, fastest_pct = growth.index[0], float(growth.iloc[0])

    page = context.new_page()
    try:
        page.goto(f"{server}/?lang=es")
        ready(page)
        page.get_by_role("link", name="Productos").first.click()  # the navigation, as a reader finds it
        page.wait_for_url(re.compile(r"/products"), timeout=WAIT)
        ready(page)
        page.get_by_role("heading", name="Productos").first.wait_for(timeout=WAIT)

        # 1. What Colombia bought from China in 2024, by chapter
        _select(page, "Año", "2024")
        ready(page)
        bought = page.get_by_text("En 2024 Colombia le compró a China", exact=False).first
        bought.wait_for(timeout=WAIT)
        sentence = bought.inner_text()
        assert spanish_billions(total_2024) in sentence  # 15,94 mil millones de USD, CIF
        assert (
            spanish_billions(float(by_year.loc[largest_2024, 2024])) in sentence
        )  # the largest chapter's value
        # the chart of the chapters (its title wraps onto lines: read its parts)
        assert (
            page.locator(".js-plotly-plot .gtitle")
            .filter(has_text="por capítulo del")
            .filter(has_text="2024")
            .count()
            == 1
        )

        # 2. What grew fastest since 2019, in %
        _select(page, "Comparar con el año", "2019")
        page.wait_for_url(re.compile(r"from=2019"), timeout=WAIT)
        ready(page)
        answer = page.get_by_text("Mayor crecimiento 2019 → 2024:", exact=False).first
        answer.wait_for(timeout=WAIT)
        shown = answer.inner_text()
        assert f"+{fastest_pct:.1f} %".replace(".", ",") in shown, (shown, fastest, fastest_pct)
        assert "anual" in shown  # and its compound rate a year
        assert (
            page.locator(".js-plotly-plot .gtitle").filter(has_text="Mayor crecimiento, 2019 → 2024").count()
            == 1
        )

        # 3. The movers, downloaded and read back: the same growth for the same chapter
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Descargar CSV").last.click()
        assert "movers" in info.value.suggested_filename
        movers = _read_download(info.value.path())
        growth_column = next(c for c in movers.columns if str(c).startswith("Crecimiento 2019–2024"))
        start_column = next(c for c in movers.columns if str(c).startswith("2019 ("))
        ranked = movers[movers[start_column].astype(float) >= base / 1e6]
        assert len(ranked) == len(
            growth
        )  # every chapter of both years worth the base, the shown ones and more
        assert float(ranked[growth_column].max()) == pytest.approx(fastest_pct, abs=0.05)
        assert "from=2019" in str(movers.filter(like="Enlace").iloc[0, 0])  # the link reproduces this view
    finally:
        page.close()
