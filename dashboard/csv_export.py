"""The Download CSV file: exactly the rows shown, plus metadata columns that say what they are.

Text cells that a spreadsheet would run as a formula are neutralised with a leading single quote;
numeric columns are left as numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import pandas as pd

from dashboard import i18n
from dashboard.i18n import DEFAULT_LANGUAGE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
METADATA_COLUMNS = ("source", "valuation", "units", "filters", "generated_at", "view_url")


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
    stamp = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = frame.reset_index(drop=True).copy()
    metadata = {
        "source": source,
        "valuation": valuation,
        "units": units,
        "filters": format_filters(filters),
        "generated_at": stamp,
        "view_url": view_url,
    }
    for name, value in metadata.items():
        header = i18n.column(name, lang) if lang != DEFAULT_LANGUAGE else name
        if name not in out.columns and header not in out.columns:
            out[header] = value
    return out


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
) -> bytes:
    """The CSV file as UTF-8 with a byte-order mark (so spreadsheets read accents correctly)."""
    full = with_metadata(
        frame,
        source=source,
        valuation=valuation,
        units=units,
        filters=filters,
        view_url=view_url,
        generated_at=generated_at,
        lang=lang,
    )
    # CRLF line ends (RFC 4180) also make the writer quote any cell holding a bare CR, so a CR inside a
    # cell can never end the row early and start a new one with live text.
    return neutralise_frame(full).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
