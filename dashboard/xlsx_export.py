"""The Download Excel file: the table the page shows as a workbook (openpyxl) that opens right in any locale.

Sheet one holds the rows: a header row in the reader's language, a units row, then the rows with numbers
as numeric cells (shown with the page's decimals through a number format, so Excel applies the reader's own
separators) and text as text (a cell is never a formula, whatever it starts with). Sheet two names the
sources, the valuation basis, the units, the filters, when the file was made and the link to the view.
"""

from __future__ import annotations

import io
import math
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from dashboard import i18n
from dashboard.csv_export import TableFile, format_filters, metadata_header, stamp

SHEETS = {"data": ("Data", "Datos"), "about": ("Sources", "Fuentes")}
ROW_LABELS = {"units": ("Units", "Unidades")}
# A header's trailing '(…)' names its unit: 'Valor (millones de USD)', 'Share (%)'.
HEADER_UNIT = re.compile(r"\(([^()]*)\)\s*$")
# Per-row columns whose values the sources sheet lists (the publishers and bases a table mixes).
LISTED_COLUMNS = ("source", "publisher", "valuation", "basis_label", "balance_publisher")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "es" else pair[0]


def _cell_text(value: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def column_unit(header: str, series: pd.Series, table: TableFile) -> str:
    """The unit a column is in: given by the caller, else the header's trailing '(…)' for a number column,
    else the table's unit for a number column that is not a year or a count; '' for text."""
    if header in table.column_units:
        return table.column_units[header]
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    if not numeric:
        return ""
    if match := HEADER_UNIT.search(header):
        return match.group(1)
    if header in {i18n.column(name, table.lang) for name in ("year", "months_covered", "hs_level", "rows")}:
        return ""
    return table.units


def _number_format(places: int | None, series: pd.Series) -> str:
    if places is None:
        places = 0 if pd.api.types.is_integer_dtype(series) else 2
    return "#,##0" if places <= 0 else "#,##0." + "0" * places


# Above this many cells the workbook is not offered (openpyxl wrote 240,000 styled cells in 10.5 s on a busy
# 2-core machine); the CSV holds any number of rows.
MAX_CELLS = 250_000


def fits(frame: pd.DataFrame) -> bool:
    """Whether a workbook of ``frame`` is small enough to write when the button is clicked."""
    return frame.shape[0] * max(1, frame.shape[1]) <= MAX_CELLS


def to_xlsx_bytes(table: TableFile) -> bytes:
    """The workbook as bytes (sheets 'Datos'/'Fuentes' in Spanish, 'Data'/'Sources' in English)."""
    lang = table.lang
    shown = table.shown()
    book = Workbook(write_only=True)  # streamed: about twice as fast as a workbook kept in memory
    sheet = book.create_sheet(_pick(SHEETS["data"], lang))
    headers = [str(c) for c in shown.columns]
    decimals = dict(table.decimals or {})
    year_headers = {"year", i18n.column("year", lang)}
    formats: list[str | None] = []
    for col, header in enumerate(headers, start=1):
        series = shown[header]
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        formats.append(
            None
            if not numeric
            else "0"
            if header in year_headers
            else _number_format(decimals.get(header), series)
        )
        width = max([len(header), *(len(str(v)) for v in series.head(200).tolist())], default=8)
        sheet.column_dimensions[get_column_letter(col)].width = min(60, max(8, width + 2))
    sheet.freeze_panes = "A3"
    sheet.append([_text_cell(sheet, header, Font(bold=True)) for header in headers])
    sheet.append(
        [
            _text_cell(sheet, column_unit(h, shown[h], table), Font(italic=True, color="555555"))
            for h in headers
        ]
    )
    columns = [shown[h].tolist() for h in headers]
    for values in zip(*columns, strict=True):
        row: list[Cell | None] = []
        for value, number_format in zip(values, formats, strict=True):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                row.append(None)
            elif number_format is None:
                row.append(_text_cell(sheet, value))
            else:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                row.append(cell)
        sheet.append(row)
    _about_sheet(book, table, shown)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(sheet: WriteOnlyWorksheet, value: object, font: Font | None = None) -> Cell:
    """A text cell; text is never a formula, whatever it starts with ('=1+1' stays the text '=1+1')."""
    cell = WriteOnlyCell(sheet, value=_cell_text(value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _about_sheet(book: Workbook, table: TableFile, shown: pd.DataFrame) -> None:
    lang = table.lang
    about = book.create_sheet(_pick(SHEETS["about"], lang))
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 100
    rows: list[tuple[str, str]] = [
        (metadata_header("source", lang), table.source),
        (metadata_header("valuation", lang), table.valuation),
        (metadata_header("units", lang), table.units),
        (metadata_header("filters", lang), format_filters(table.filters)),
        (metadata_header("generated_at", lang), stamp(table.generated_at)),
        (metadata_header("view_url", lang), table.view_url),
    ]
    for name in LISTED_COLUMNS:
        for header in dict.fromkeys((name, i18n.column(name, lang))):
            if header in shown.columns:
                values = [str(v) for v in dict.fromkeys(shown[header].dropna()) if str(v)]
                if values:
                    rows.append((header, "; ".join(values)))
                break
    for label, value in rows:
        about.append([_text_cell(about, label, Font(bold=True)), _text_cell(about, value)])


def xlsx_name(csv_name: str) -> str:
    """'balanza-balances.csv' → 'balanza-balances.xlsx'."""
    return csv_name.removesuffix(".csv") + ".xlsx"
