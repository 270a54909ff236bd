"""What the analyst carries out, in Spanish, in a real headless Chromium against `streamlit run`:

- present: build a three-scenario comparison, download the slide deck, open it with python-pptx and find
  Colombia's rows; download the report (and its PDF) and check it starts with its summary and fits 400 and
  1400 px.
- download: a CSV and an Excel file from a page, read back with Spanish-locale options (';', decimal comma,
  UTF-8 with BOM) and with openpyxl, and the page's own slide deck.
"""

from __future__ import annotations

import io
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
WAIT = 240_000  # a cold server on a loaded 2-core machine: the first scenario run can take minutes
SPANISH = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}
RAW_ANNEX = (
    Path(__file__).resolve().parents[2]
    / "data/raw/dane-imports-by-origin-1980-2026/importaciones_colombia_unificado.csv"
)
RAW_COLOMBIA = (
    Path(__file__).resolve().parents[2] / "data/raw/us-census-imports-2024-hs10/2024-hs10-imports3010.parquet"
)
PRESETS_ES = (
    "Colombia paga 10 puntos más que sus competidores",  # the page's default
    "EE. UU.: 10 % a todos",
    "Aranceles de EE. UU. el 7 de agosto de 2025: tasas por país",
)


def _select(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label).first
    box.click()
    page.keyboard.type(option[:20])
    page.get_by_role("option", name=option, exact=True).first.wait_for(timeout=WAIT)
    page.get_by_role("option", name=option, exact=True).first.click()


def _download(page, name: str) -> bytes:
    with page.expect_download(timeout=WAIT) as info:
        page.get_by_role("button", name=name).first.click()
    return Path(info.value.path()).read_bytes()


def _raw_colombia_2024_musd() -> float:
    import duckdb

    total = duckdb.sql(
        f"SELECT sum(CAST(CON_VAL_YR AS DOUBLE)) FROM read_parquet('{RAW_COLOMBIA}')"
    ).fetchall()
    return total[0][0] / 1e6


def test_present_three_scenarios_as_a_deck_and_a_report(server: str, context) -> None:
    from pptx import Presentation

    page = context.new_page()
    try:
        page.goto(f"{server}/scenarios?lang=es")
        ready(page)
        page.get_by_role("button", name=re.compile("^Guardar «")).click()  # the current scenario: the default
        page.get_by_role("button", name="Quitar").first.wait_for(timeout=WAIT)
        for preset in PRESETS_ES[1:]:
            _select(page, "Escenarios predefinidos", preset)
            page.get_by_role("button", name="Cargar", exact=True).click()
            page.get_by_role("heading", name=preset).wait_for(timeout=WAIT)
            page.get_by_role("button", name=re.compile("^Guardar «")).click()
            page.wait_for_function(
                "n => document.querySelectorAll('button').length && "
                "[...document.querySelectorAll('button')].filter(b => b.innerText.trim() === 'Quitar').length >= n",
                arg=PRESETS_ES.index(preset) + 1,
                timeout=WAIT,
            )
        page.get_by_text("Exportaciones de Colombia a EE. UU., antes y después de cada escenario").wait_for(
            timeout=WAIT
        )
        ready(page)

        deck = Presentation(io.BytesIO(_download(page, "Diapositivas (PowerPoint)")))
        assert (deck.slide_width, deck.slide_height) == (
            12192000,
            6858000,
        ) or deck.slide_width > deck.slide_height
        slides = list(deck.slides)
        tables = [
            [[c.text for c in row.cells] for row in shape.table.rows]
            for slide in slides
            for shape in slide.shapes
            if shape.has_table
        ]
        colombia = next(t for t in tables if t[0][:2] == ["Productos", "Antes, 2024 (millones de USD)"])
        assert colombia[0][2:] == list(PRESETS_ES)  # one column per scenario, in saved order
        before = f"{_raw_colombia_2024_musd():,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
        assert colombia[1][:2] == ["Todos los bienes", before]
        assert all(cell.startswith("-") for cell in colombia[1][2:])  # Colombia loses in all three
        assert {"Café", "Flores cortadas"} <= {row[0] for row in colombia[1:]}  # its product groups
        titles = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides]
        assert sum("Colombia pierde" in t for t in titles) >= 4  # the table's takeaway and each scenario's
        pictures = [s for slide in slides for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 3  # one chart per scenario, rendered offline

        pdf = _download(page, "Informe PDF")  # the same report, printed by the machine's Chromium
        assert pdf.startswith(b"%PDF-") and len(pdf) > 20_000

        report = _download(page, "Informe HTML").decode("utf-8")
        assert len(report.encode()) < 200_000 and "<script" not in report
        for width in (400, 1400):
            view = context.new_page()
            try:
                view.set_viewport_size({"width": width, "height": 900})
                view.set_content(report, wait_until="load")
                first = view.locator("body > p").first
                assert "summary" in (first.get_attribute("class") or "")
                assert first.inner_text().startswith("Colombia exportó")
                overflow = view.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (width, overflow)
            finally:
                view.close()
    finally:
        page.close()


def test_download_a_csv_and_an_excel_file_read_in_a_spanish_locale(server: str, context) -> None:
    from openpyxl import load_workbook
    from pptx import Presentation

    page = context.new_page()
    try:
        page.goto(f"{server}/balances?partners=CHN,USA,WLD&lang=es")
        ready(page)
        csv = pd.read_csv(io.BytesIO(_download(page, "Descargar CSV")), **SPANISH)
        value = next(c for c in csv.columns if c.startswith("Valor (USD"))
        assert pd.api.types.is_numeric_dtype(csv[value])  # one number per cell, not one column of text
        assert {"Socio (ISO3)", "Año", "Medida", "Publicador", "Enlace a esta vista"} <= set(csv.columns)
        # Colombia's 2024 imports from China (DANE's import annex), whole dollars, straight from the raw file
        raw = pd.read_csv(RAW_ANNEX, encoding="utf-8-sig")
        expected = raw[(raw["codigo iso3"] == "CHN") & (raw["anio"] == 2024) & (raw["capitulo"] == "TOTAL")]
        row = csv[(csv["Socio (ISO3)"] == "CHN") & (csv["Año"] == 2024) & (csv["Medida"] == "Importaciones")]
        assert row[value].iloc[0] == round(float(expected["valor dolares cif"].iloc[0]))

        book = load_workbook(io.BytesIO(_download(page, "Descargar Excel")))
        assert book.sheetnames == ["Datos", "Fuentes"]
        sheet = book["Datos"]
        headers = [c.value for c in sheet[1]]
        assert headers == [c for c in csv.columns if c in headers] and value in headers
        units = dict(zip(headers, [c.value for c in sheet[2]], strict=True))
        assert units[value] == "USD"
        column = headers.index(value)
        cells = [r[column] for r in sheet.iter_rows(min_row=3, values_only=True)]
        assert all(isinstance(v, int | float) for v in cells if v is not None)
        assert cells == [None if pd.isna(v) else v for v in csv[value]]
        about = {r[0]: r[1] for r in book["Fuentes"].iter_rows(values_only=True)}
        assert about["Enlace a esta vista"].startswith(f"{server}/balances?")
        assert "DANE" in about["Publicador"]

        deck = Presentation(io.BytesIO(_download(page, "Diapositivas de esta página (PowerPoint)")))
        slides = list(deck.slides)
        assert len(slides) >= 3 and any(s.shape_type == 13 for slide in slides for s in slide.shapes)
    finally:
        page.close()
