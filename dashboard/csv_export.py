"""The Download CSV file: exactly the rows shown, plus metadata columns that say what they are.

Written for the spreadsheet the reader opens it in: in Spanish ``;`` between fields and a decimal comma (what
Excel expects in a Spanish locale), in English ``,`` and ``.``; UTF-8 with a byte-order mark either way; headers
in the reader's language; numbers rounded as the page shows them where the caller says how (``decimals``), so
2.377153 never becomes 2 377 153 and no 16-digit float reaches the reader. Text cells that a spreadsheet would
run as a formula are neutralised with a leading single quote; numeric columns are left as numbers.

The same prepared table goes into the workbook (``dashboard/xlsx_export.py``); ``dashboard.downloads.
download_table`` offers both files under every table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from dashboard import i18n
from dashboard.i18n import DEFAULT_LANGUAGE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
METADATA_COLUMNS = ("source", "valuation", "units", "filters", "generated_at", "view_url")
# Field separator and decimal mark per language: a Spanish-locale spreadsheet reads ';' and ','.
SEPARATORS = {"en": (",", "."), "es": (";", ",")}


def neutralise_cell(value: object) -> object:
    """Prefix a single quote to a string a spreadsheet would treat as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every non-numeric column's cells neutralised; numeric columns untouched."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        text = series.astype(object)
        risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES)).astype(bool)
        if risky.any():
            text = text.where(~risky, "'" + text[risky].astype(str))
        out[column] = text
    return out


def format_filters(filters: Mapping[str, object]) -> str:
    """'key=value; key=a,b' in a stable order."""
    parts = []
    for key in sorted(filters):
        value = filters[key]
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        parts.append(f"{key}={value}")
    return "; ".join(parts)


def metadata_header(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The header of a metadata column in ``lang`` ('Link to this view', 'Enlace a esta vista')."""
    return i18n.column(name, lang)


def readable_headers(
    frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE, column_units: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """``frame`` with headers the reader reads (``i18n.column``; a column's unit from ``column_units``); a
    series code beside its publisher's name is headed 'Series' ('Serie'), so no two columns share a header."""
    if "source" in frame.columns and "publisher" in frame.columns:
        frame = frame.rename(columns={"source": "series"})
    return i18n.with_headers(frame, lang, column_units)


def rounded(frame: pd.DataFrame, decimals: Mapping[str, int] | None) -> pd.DataFrame:
    """A copy with each float column named in ``decimals`` rounded to that many places (0: whole numbers;
    missing values stay missing); other columns untouched. ``None``: no rounding."""
    out = frame.copy()
    for column, places in (decimals or {}).items():
        if column in out.columns and pd.api.types.is_float_dtype(out[column]):
            values = out[column].round(int(places))
            if places <= 0 and values.notna().all() and (values.abs() < 2**53).all():
                values = values.astype("int64")
            out[column] = values
    return out


def with_metadata(
    frame: pd.DataFrame,
    *,
    source: str,
    valuation: str,
    units: str,
    filters: Mapping[str, object],
    view_url: str,
    generated_at: datetime | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> pd.DataFrame:
    """The rows of ``frame`` unchanged, with the metadata columns appended (headers in ``lang``).

    Where the table already carries a per-row ``source`` or ``valuation`` (one value per point, from the
    selection rule), that column is kept as it is: it is the more precise statement.
    """
    out = frame.reset_index(drop=True).copy()
    metadata = {
        "source": source,
        "valuation": valuation,
        "units": units,
        "filters": format_filters(filters),
        "generated_at": stamp(generated_at),
        "view_url": view_url,
    }
    for name, value in metadata.items():
        header = metadata_header(name, lang)
        if name not in out.columns and header not in out.columns:
            out[header] = value
    return out


def stamp(generated_at: datetime | None = None) -> str:
    """The time a file was written, ISO 8601 in UTC."""
    return (generated_at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class TableFile:
    """A table on its way into a download, with what the reader needs to know about it.

    ``frame``: the rows as the page shows them (headers already in the reader's language, or internal names
    that ``i18n.column`` knows); ``decimals``: places per column, as the page rounds them; ``column_units``:
    a column's unit where its header does not say it (the workbook's units row).
    """

    frame: pd.DataFrame
    source: str
    valuation: str
    units: str
    filters: Mapping[str, object]
    view_url: str
    lang: str = DEFAULT_LANGUAGE
    generated_at: datetime | None = None
    decimals: Mapping[str, int] | None = None
    column_units: Mapping[str, str] = field(default_factory=dict)

    def shown(self) -> pd.DataFrame:
        """The rows rounded as the page shows them (headers as given)."""
        return rounded(self.frame.reset_index(drop=True), self.decimals)


def to_csv_bytes(
    frame: pd.DataFrame,
    *,
    source: str,
    valuation: str,
    units: str,
    filters: Mapping[str, object],
    view_url: str,
    generated_at: datetime | None = None,
    lang: str = DEFAULT_LANGUAGE,
    decimals: Mapping[str, int] | None = None,
) -> bytes:
    """The CSV file as UTF-8 with a byte-order mark (so spreadsheets read accents correctly), separated and
    with the decimal mark of ``lang``, float columns named in ``decimals`` rounded to those places."""
    table = TableFile(frame, source, valuation, units, filters, view_url, lang, generated_at, decimals)
    return csv_bytes(table)


def csv_bytes(table: TableFile) -> bytes:
    """:func:`to_csv_bytes` of a :class:`TableFile`."""
    full = with_metadata(
        table.shown(),
        source=table.source,
        valuation=table.valuation,
        units=table.units,
        filters=table.filters,
        view_url=table.view_url,
        generated_at=table.generated_at,
        lang=table.lang,
    )
    separator, decimal = SEPARATORS.get(table.lang, SEPARATORS[DEFAULT_LANGUAGE])
    # CRLF line ends (RFC 4180) also make the writer quote any cell holding a bare CR, so a CR inside a
    # cell can never end the row early and start a new one with live text.
    text = neutralise_frame(full).to_csv(index=False, lineterminator="\r\n", sep=separator, decimal=decimal)
    return text.encode("utf-8-sig")
