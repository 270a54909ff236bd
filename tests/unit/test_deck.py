"""The slide deck, opened again with python-pptx as PowerPoint would: 16:9, the question and the date first, a
slide per chart titled in words with its source under it, table slides that carry the numbers, and a chart
slide that says so when no image could be made."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.util import Inches

from dashboard import deck

MADE = datetime(2025, 5, 14, 9, 30, tzinfo=UTC)


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def _tables(slide) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for shape in slide.shapes
        if shape.has_table
    ]


def _deck(rows: int = 3) -> deck.Deck:
    figure = go.Figure(go.Bar(x=[-3886.5, 87.0], y=["Colombia (COL)", "Ecuador (ECU)"], orientation="h"))
    table = pd.DataFrame(
        {"Escenario": [f"Escenario {i}" for i in range(rows)], "Cambio (millones de USD)": [-1756.71] * rows}
    )
    return deck.Deck(
        question="¿Qué les pasa a las exportaciones de Colombia?",
        summary="Colombia exportó 18.310,8 millones de USD a EE. UU. en 2024.",
        slides=[
            deck.TableSlide("Colombia pierde 1.756,7 millones", table, "Oficina del Censo; valor en aduana"),
            deck.ChartSlide(
                "Colombia pierde más que sus vecinos", figure, "Oficina del Censo; valor en aduana"
            ),
            deck.TextSlide("Lo que el modelo deja por fuera", ["Represalias", "Efectos ingreso"]),
        ],
        lang="es",
        link="scenarios?lang=es",
        made_at=MADE,
    )


def test_a_deck_without_chart_images_says_so_and_keeps_its_tables() -> None:
    missing = deck.Rendered([None], deck.word("no_browser", "es"))
    data = deck.build_deck(_deck(), missing)
    shown = Presentation(io.BytesIO(data))
    assert (shown.slide_width, shown.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    slides = list(shown.slides)
    assert len(slides) == 4
    title = " ".join(_texts(slides[0]))
    assert "¿Qué les pasa a las exportaciones de Colombia?" in title and "2025-05-14" in title
    assert "Hecho con Balanza" in title and "scenarios?lang=es" in title
    table = _tables(slides[1])[0]
    assert table[0] == ["Escenario", "Cambio (millones de USD)"]
    assert table[1] == ["Escenario 0", "-1.756,7"]  # the reader's number format, one place
    assert "Oficina del Censo; valor en aduana" in _texts(slides[1])
    chart = " ".join(_texts(slides[2]))
    assert "Colombia pierde más que sus vecinos" in chart
    assert "Imagen del gráfico no disponible: no hay Chromium ni Chrome en el servidor" in chart
    assert not [s for s in slides[2].shapes if s.shape_type == 13]  # no picture
    assert "• Represalias" in " ".join(_texts(slides[3]))


def test_a_long_table_continues_on_the_next_slide() -> None:
    data = deck.build_deck(_deck(rows=deck.TABLE_ROWS + 2), deck.Rendered([None], "x"))
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert len(_tables(slides[1])[0]) == deck.TABLE_ROWS + 1 and len(_tables(slides[2])[0]) == 3
    assert any("(continuación)" in t for t in _texts(slides[2]))


def test_no_browser_is_said_in_the_readers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    rendered = deck.render_images([go.Figure()], "es")
    assert rendered.images == [None] and rendered.problem == "no hay Chromium ni Chrome en el servidor"


def test_plotly_titles_become_plain_text() -> None:
    assert deck.plain("<b>Balance</b><br>USD bn <sup>1</sup>") == "Balance USD bn 1"


@pytest.mark.slow
@pytest.mark.skipif(
    deck.browser_path() is None, reason="needs Debian package chromium (apt-get install chromium)"
)
def test_charts_are_rendered_offline_by_the_machines_chromium() -> None:
    data = deck.build_deck(_deck())
    slides = list(Presentation(io.BytesIO(data)).slides)
    pictures = [s for s in slides[2].shapes if s.shape_type == 13]
    assert len(pictures) == 1
    image = pictures[0].image
    assert image.content_type == "image/png" and image.size == deck.IMAGE_SIZE
    assert not any("no disponible" in t for t in _texts(slides[2]))


@pytest.mark.slow
@pytest.mark.skipif(
    deck.browser_path() is None, reason="needs Debian package chromium (apt-get install chromium)"
)
def test_the_machines_chromium_prints_a_report_as_pdf() -> None:
    page = (
        "<!DOCTYPE html><html lang='es'><meta charset='utf-8'><body><p class='summary'>Colombia exportó</p>"
    )
    pdf = deck.html_to_pdf(page + "<p>" + "Exportaciones de Colombia. " * 400 + "</p></body></html>")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1


def test_no_browser_means_no_pdf_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(RuntimeError, match="no Chromium"):
        deck.html_to_pdf("<html></html>")
