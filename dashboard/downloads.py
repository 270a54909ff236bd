"""The page's downloads: Download CSV and Download Excel under every table, and the Slides (PowerPoint) deck of
what a run of the page drew, each file made when its button is clicked and linking back to this view."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import deck, i18n
from dashboard.components import PAGE_SLIDES, lang, remember_table, view_url
from dashboard.csv_export import TableFile, csv_bytes, readable_headers
from dashboard.i18n import t
from dashboard.xlsx_export import fits, to_xlsx_bytes, xlsx_name
from etl import settings

MAX_TABLE_ROWS_FOR_SLIDES = 3 * deck.TABLE_ROWS  # a longer table stays in the downloads, not on slides


def page_slides_button(question: str, page: str) -> None:
    """The Slides (PowerPoint) download of what this run of the page drew: its charts, then its tables of at
    most ``MAX_TABLE_ROWS_FOR_SLIDES`` rows; the deck is made when the button is clicked."""
    charts_kept, tables_kept = st.session_state.get(PAGE_SLIDES) or ([], [])
    if not charts_kept and not tables_kept:
        return
    language = lang()
    link = shareable_url(page)

    def make() -> bytes:
        tables = []
        for rows, title in tables_kept:
            table = rows()
            if len(table.frame) <= MAX_TABLE_ROWS_FOR_SLIDES:
                shown = table.shown()
                decimals = {str(k): int(v) for k, v in (table.decimals or {}).items()}
                tables.append(deck.TableSlide(title, shown, f"{table.source} · {table.valuation}", decimals))
        return deck.build_deck(deck.page_deck(question, list(charts_kept), tables, language, link=link))

    st.download_button(
        t("download_deck", language), data=make, file_name=f"balanza-{page or 'overview'}.pptx", mime=PPTX_MIME,
        key="page_slides", on_click="ignore", icon=":material/co_present:", width="stretch",
    )  # fmt: skip


PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def shareable_url(page: str) -> str:
    """The link a downloaded report or deck carries back to this view: under ``BALANZA_PUBLIC_URL`` when it is
    set, else relative to the dashboard ('scenarios?lang=es&sc=…'): never the loopback address a local server
    was opened at."""
    if settings.PUBLIC_URL.get():
        return view_url(page)
    query = urlencode({key: st.query_params[key] for key in st.query_params})
    return f"{page}?{query}" if query else page


def download_table(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    *,
    filename: str,
    source: str,
    valuation: str,
    units: str,
    filters: Mapping[str, object],
    key: str | None = None,
    decimals: Mapping[str, int] | None = None,
    column_units: Mapping[str, str] | None = None,
    excel: bool = True,
) -> None:
    """Download CSV and Download Excel side by side: exactly ``frame``'s rows plus what they are (source,
    valuation basis, units, filters, time, link), in the reader's language and number format
    (``dashboard/csv_export.py``, ``dashboard/xlsx_export.py``).

    ``frame``: the rows (copied now: the page may change its frame later), or a function that makes them when
    a button is clicked (for rows made from shared, read-only results: nothing is copied on a page run).
    Internal column names get readable headers (``column_units``: a column's unit, as ``localized`` takes it).
    ``decimals``: places per column as the page shows them (``show_table``'s), by internal name or header;
    other float columns are rounded to 2 places, as ``show_table`` shows them. ``excel=False`` (or a frame
    too large for a workbook written on a click, ``xlsx_export.MAX_CELLS``): the CSV only, and a caption says so.
    """
    rows: Callable[[], pd.DataFrame] = (
        frame if callable(frame) else functools.partial(lambda kept: kept, frame.copy())
    )
    language = lang()
    table = functools.partial(
        _table_file,
        rows,
        source=source,
        valuation=valuation,
        units=units,
        filters=dict(filters),
        view_url=view_url(),
        lang=language,
        decimals=dict(decimals or {}),
        column_units=dict(column_units or {}),
    )
    # Deferred: each file is written when its button is clicked, not on every run of the page.
    csv_name = filename if filename.endswith(".csv") else filename + ".csv"
    remember_table(table, t("table_slide", language, units=units))
    row = st.container(horizontal=True, gap="small")  # side by side, wrapping on a narrow screen
    with row:
        st.download_button(
            t("download_csv", language), data=lambda: csv_bytes(table()), file_name=csv_name, mime="text/csv",
            key=key, on_click="ignore", icon=":material/download:",
        )  # fmt: skip
        if not excel or (isinstance(frame, pd.DataFrame) and not fits(frame)):
            st.caption(t("xlsx_too_large", language))
            return
        st.download_button(
            t("download_xlsx", language), data=lambda: to_xlsx_bytes(table()), file_name=xlsx_name(csv_name),
            mime=XLSX_MIME, key=f"{key}_xlsx" if key else None, on_click="ignore", icon=":material/table:",
        )  # fmt: skip


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table_file(
    rows: Callable[[], pd.DataFrame],
    *,
    source: str,
    valuation: str,
    units: str,
    filters: Mapping[str, object],
    view_url: str,
    lang: str,
    decimals: Mapping[str, int],
    column_units: Mapping[str, str],
) -> TableFile:
    raw = rows().reset_index(drop=True)
    if "source" in raw.columns and "publisher" in raw.columns:  # as readable_headers heads them
        raw = raw.rename(columns={"source": "series"})
    shown = readable_headers(raw, lang, column_units)
    places = {header: 2 for header in shown.columns if pd.api.types.is_float_dtype(shown[header])}
    for name, value in decimals.items():
        header = i18n.column(name, lang, column_units.get(name))
        places[name if name in shown.columns else header] = int(value)
    headers = dict(zip(raw.columns, shown.columns, strict=True))
    for name in ("year",):  # a year is never rounded or grouped
        places.pop(headers.get(name, name), None)
    return TableFile(
        shown, source, valuation, units, filters, view_url, lang, decimals=places,
        column_units={headers.get(c, c): u for c, u in column_units.items()},
    )  # fmt: skip
