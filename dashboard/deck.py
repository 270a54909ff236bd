"""Slide decks (.pptx, 16:9) from what a page shows: a title slide with the question and the date, one slide per
chart whose title is the takeaway in words with the source and basis under it, table slides, text slides.
No Streamlit: slides in, bytes out (python-pptx).

Chart images are rendered offline by plotly's kaleido driving the machine's Chromium (Debian's
``/usr/bin/chromium``; ``BROWSER_PATH`` names another): one browser for the whole deck. Measured on the
2-core machine under load: about 9 s to start the browser, then about 0.75 s per chart. Where no browser or
kaleido is available, or rendering fails, each chart slide says so in the reader's language and the table
slides still carry the numbers.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import io
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as PptxPresentation
from pptx.slide import Slide as PptxSlide
from pptx.table import _Cell
from pptx.util import Emu, Inches, Length, Pt

from dashboard import i18n
from etl import settings

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
IMAGE_SIZE = (1600, 820)  # px: the chart area of a slide, at 120 px per inch
RENDER_TIMEOUT_S = 180.0
TABLE_ROWS = 12  # rows per table slide; longer tables continue on the next slide
BLUE = RGBColor(0x00, 0x72, 0xB2)
GREY = RGBColor(0x55, 0x55, 0x55)
WORDS = {
    "no_image": (
        "Chart image not available: {reason}. The table slides carry the numbers.",
        "Imagen del gráfico no disponible: {reason}. Las diapositivas de tablas tienen las cifras.",
    ),
    "no_browser": (
        "no Chromium or Chrome browser found on the server",
        "no hay Chromium ni Chrome en el servidor",
    ),
    "no_kaleido": ("the kaleido package is not installed", "el paquete kaleido no está instalado"),
    "failed": ("the renderer failed ({error})", "el renderizador falló ({error})"),
    "continued": ("(continued)", "(continuación)"),
    "made": ("Made with Balanza on {date}", "Hecho con Balanza el {date}"),
}


def word(key: str, lang: str, **values: object) -> str:
    english, spanish = WORDS[key]
    chosen = spanish if lang == "es" else english
    return chosen.format(**values) if values else chosen


@dataclass(frozen=True)
class ChartSlide:
    """A chart: ``title`` says what it shows in words (the takeaway); ``source`` names source and basis."""

    title: str
    figure: go.Figure
    source: str = ""


@dataclass(frozen=True)
class TableSlide:
    """A table as the page shows it; ``decimals`` per column (others: floats to 1 place)."""

    title: str
    frame: pd.DataFrame
    source: str = ""
    decimals: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TextSlide:
    """A heading and a few bullet points."""

    title: str
    bullets: Sequence[str]


Slide = ChartSlide | TableSlide | TextSlide


@dataclass(frozen=True)
class Deck:
    """The whole deck: the question it answers, a sentence of summary, its slides, the reader's language, and
    a link back to the view (``BALANZA_PUBLIC_URL``'s or relative)."""

    question: str
    slides: Sequence[Slide]
    lang: str = "en"
    summary: str = ""
    link: str = ""
    made_at: datetime | None = None


@dataclass(frozen=True)
class Rendered:
    """PNG bytes per figure (None where none could be made) and, if any failed, why."""

    images: list[bytes | None]
    problem: str | None = None


def browser_path() -> str | None:
    """The Chromium or Chrome the renderer drives: ``BROWSER_PATH`` if set, else the first found on PATH."""
    if path := settings.BROWSER_PATH.get():
        return path if os.access(path, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


def render_images(figures: Sequence[go.Figure], lang: str = "en") -> Rendered:
    """Every figure as a PNG (``IMAGE_SIZE``), with one browser for all of them. Never raises: a figure that
    cannot be rendered gets None, and ``problem`` says why in ``lang``."""
    if not figures:
        return Rendered([])
    try:
        import kaleido  # noqa: F401 - only to learn whether it is there
    except ImportError:
        return Rendered([None] * len(figures), word("no_kaleido", lang))
    path = browser_path()
    if path is None:
        return Rendered([None] * len(figures), word("no_browser", lang))
    prepared = [_for_slide(fig) for fig in figures]
    # Its own thread and event loop: the caller (a Streamlit script, a test) may already run one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(asyncio.run, _render(prepared, path))
        try:
            return future.result(timeout=RENDER_TIMEOUT_S)
        except Exception as exc:  # the browser died, timed out or refused: say so on the slides
            return Rendered([None] * len(figures), word("failed", lang, error=type(exc).__name__))


async def _render(figures: Sequence[go.Figure], path: str) -> Rendered:
    import kaleido

    width, height = IMAGE_SIZE
    images: list[bytes | None] = []
    problem = None
    async with kaleido.Kaleido(path=path, mathjax=False, n=1) as renderer:  # no MathJax: nothing fetched
        for fig in figures:
            try:
                png = await renderer.calc_fig(fig, opts={"format": "png", "width": width, "height": height})
                images.append(bytes(png))
            except Exception as exc:  # one bad figure: its slide says so, the others still render
                images.append(None)
                problem = type(exc).__name__
    return Rendered(images, problem)


def _for_slide(fig: go.Figure) -> go.Figure:
    """A copy sized for a slide: the slide's title says what the chart shows, so the chart's own title goes;
    legends and footnotes stay."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.update_layout(title=None, width=IMAGE_SIZE[0], height=IMAGE_SIZE[1], autosize=False, font_size=15)
    top = out.layout.margin.t if out.layout.margin and out.layout.margin.t is not None else 80
    out.update_layout(margin={"t": max(30, min(int(top), 90) - 40)})
    return out


def plain(text: object) -> str:
    """Chart text (plotly's small HTML: <b>, <br>, <sup>) as plain text for a slide title."""
    value = re.sub(r"<br\s*/?>", " ", str(text or ""))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", value)).strip()


def build_deck(deck: Deck, rendered: Rendered | None = None) -> bytes:
    """The .pptx file. ``rendered``: images already made for the deck's chart slides, in order (default:
    rendered now with :func:`render_images`)."""
    lang = deck.lang
    charts = [s for s in deck.slides if isinstance(s, ChartSlide)]
    if rendered is None:
        rendered = render_images([s.figure for s in charts], lang)
    images = iter(rendered.images)
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    _title_slide(presentation, deck)
    for slide in deck.slides:
        if isinstance(slide, ChartSlide):
            _chart_slide(presentation, slide, next(images, None), rendered.problem, lang)
        elif isinstance(slide, TableSlide):
            _table_slides(presentation, slide, lang)
        else:
            _text_slide(presentation, slide)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def _emu(value: float) -> Length:
    return Emu(int(value))


def _blank(presentation: PptxPresentation) -> PptxSlide:
    return presentation.slides.add_slide(presentation.slide_layouts[6])


def _text(slide: PptxSlide, left: float, top: float, width: float, height: float, text: str, size: int, *,
          bold: bool = False, color: RGBColor | None = None) -> None:  # fmt: skip
    box = slide.shapes.add_textbox(_emu(left), _emu(top), _emu(width), _emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    paragraph.font.name = "Arial"
    if color is not None:
        paragraph.font.color.rgb = color


def _heading(slide: PptxSlide, title: str, source: str) -> int:
    """The slide's title (the takeaway) and the source line under it; returns where the body starts."""
    width = WIDTH - 2 * MARGIN
    _text(slide, MARGIN, Inches(0.3), width, Inches(1.0), title, 26 if len(title) < 90 else 20, bold=True,
          color=BLUE)  # fmt: skip
    if source:
        _text(slide, MARGIN, Inches(1.3), width, Inches(0.5), source, 12, color=GREY)
    return int(Inches(1.85))


def _title_slide(presentation: PptxPresentation, deck: Deck) -> None:
    slide = _blank(presentation)
    width = WIDTH - 2 * MARGIN
    _text(slide, MARGIN, Inches(1.6), width, Inches(1.6), deck.question, 36, bold=True, color=BLUE)
    if deck.summary:
        _text(slide, MARGIN, Inches(3.4), width, Inches(2.2), deck.summary, 18)
    made = (deck.made_at or datetime.now(UTC)).strftime("%Y-%m-%d")
    footer = word("made", deck.lang, date=made) + (f" · {deck.link}" if deck.link else "")
    _text(slide, MARGIN, Inches(6.4), width, Inches(0.6), footer, 12, color=GREY)


def _chart_slide(presentation: PptxPresentation, chart: ChartSlide, image: bytes | None, problem: str | None,
                 lang: str) -> None:  # fmt: skip
    slide = _blank(presentation)
    top = _heading(slide, chart.title, chart.source)
    if image is None:
        reason = problem or word("no_browser", lang)
        _text(slide, MARGIN, top + Inches(1.5), WIDTH - 2 * MARGIN, Inches(1.5), word("no_image", lang, reason=reason),
              18, color=GREY)  # fmt: skip
        return
    height = HEIGHT - top - Inches(0.2)
    width = int(height * IMAGE_SIZE[0] / IMAGE_SIZE[1])
    left = int((WIDTH - width) / 2)
    slide.shapes.add_picture(io.BytesIO(image), _emu(left), _emu(top), width=_emu(width), height=_emu(height))


def _cell_text(value: object, places: int, lang: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return i18n.number(value, lang, places)
    return str(value)


def _table_slides(presentation: PptxPresentation, table: TableSlide, lang: str) -> None:
    frame = table.frame.reset_index(drop=True)
    chunks = [frame.iloc[i : i + TABLE_ROWS] for i in range(0, max(1, len(frame)), TABLE_ROWS)]
    for index, chunk in enumerate(chunks):
        slide = _blank(presentation)
        title = table.title if index == 0 else f"{table.title} {word('continued', lang)}"
        top = _heading(slide, title, table.source)
        rows, cols = len(chunk) + 1, max(1, len(chunk.columns))
        height = min(HEIGHT - top - Inches(0.3), Inches(0.45) * rows)
        shape = slide.shapes.add_table(rows, cols, MARGIN, _emu(top), _emu(WIDTH - 2 * MARGIN), _emu(height))
        grid = shape.table
        size = Pt(14 if cols <= 5 else 12 if cols <= 8 else 10)
        for col, name in enumerate(chunk.columns):
            _fill(grid.cell(0, col), str(name), size, bold=True)
            numeric = pd.api.types.is_numeric_dtype(chunk[name]) and not pd.api.types.is_bool_dtype(
                chunk[name]
            )
            places = table.decimals.get(str(name), 1)
            for row, value in enumerate(chunk[name].tolist(), start=1):
                _fill(grid.cell(row, col), _cell_text(value, places, lang), size, right=numeric)


def _fill(cell: _Cell, text: str, size: Length, *, bold: bool = False, right: bool = False) -> None:
    cell.text = text
    for paragraph in cell.text_frame.paragraphs:
        paragraph.font.size = size
        paragraph.font.bold = bold
        paragraph.font.name = "Arial"
        if right:
            paragraph.alignment = PP_ALIGN.RIGHT


def _text_slide(presentation: PptxPresentation, text_slide: TextSlide) -> None:
    slide = _blank(presentation)
    top = _heading(slide, text_slide.title, "")
    box = slide.shapes.add_textbox(
        MARGIN, _emu(top), _emu(WIDTH - 2 * MARGIN), _emu(HEIGHT - top - Inches(0.3))
    )
    frame = box.text_frame
    frame.word_wrap = True
    for index, bullet in enumerate(text_slide.bullets):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = f"• {bullet}"
        paragraph.font.size = Pt(16)
        paragraph.font.name = "Arial"
        paragraph.space_after = Pt(6)


# ---- a deck of whatever a page shows --------------------------------------------------------------------------


def figure_source(fig: go.Figure) -> str:
    """A chart's source footnote (the annotation under its plot area) as plain text; '' if it has none."""
    for annotation in fig.layout.annotations or ():
        if annotation.yref == "paper" and annotation.y == 0 and (annotation.yshift or 0) < 0:
            return plain(annotation.text)
    return ""


def figure_title(fig: go.Figure) -> str:
    title = fig.layout.title.text if fig.layout.title else None
    return plain(title)


def page_deck(
    question: str,
    charts: Sequence[tuple[go.Figure, str | None]],
    tables: Sequence[TableSlide],
    lang: str,
    *,
    link: str = "",
    summary: str = "",
) -> Deck:
    """A deck of a page: each chart (with the page's takeaway for it, else the chart's own title) on a slide,
    its source footnote under the title, then the page's tables."""
    slides: list[Slide] = []
    for fig, takeaway in charts:
        title = takeaway or figure_title(fig) or question
        slides.append(ChartSlide(title, fig, figure_source(fig)))
    slides.extend(tables)
    return Deck(question=question, slides=slides, lang=lang, summary=summary, link=link)


# ---- the same browser prints a report as PDF ----------------------------------------------------------------

PDF_TIMEOUT_S = 120.0


def html_to_pdf(page: str) -> bytes:
    """``page`` (a self-contained HTML document: no script, nothing fetched) printed to PDF by the machine's
    Chromium (about 6 s on the loaded 2-core machine, most of it the browser's start). Raises ``RuntimeError``
    naming what is missing or what failed."""
    import subprocess
    import tempfile
    from pathlib import Path

    path = browser_path()
    if path is None:
        raise RuntimeError("no Chromium or Chrome browser found on the server: the PDF cannot be printed")
    with tempfile.TemporaryDirectory(prefix="balanza-pdf-") as folder:
        source, target = Path(folder) / "report.html", Path(folder) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        command = [
            path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-pdf-header-footer", f"--user-data-dir={folder}",
            f"--print-to-pdf={target}", source.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"the browser did not print the PDF within {PDF_TIMEOUT_S:.0f} s") from exc
        if not target.exists() or target.stat().st_size == 0:
            raise RuntimeError("the browser printed no PDF")
        return target.read_bytes()
