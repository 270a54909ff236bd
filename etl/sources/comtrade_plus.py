"""UN Comtrade+ (new API) tables: CSV, XLSX and API JSON, 47 camelCase columns.

The CSV path stays inside DuckDB (read_csv → SQL) because it is the bulk path; XLSX and JSON are small
and go through pandas into the same SQL.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl.detect import MAX_COLUMNS, Sniff, read_json, xlsx_first_cells, xlsx_rows
from etl.errors import InputError
from etl.schema import COMTRADE_PLUS_COLUMNS, STAGED_TABLE
from etl.sources.base import (
    JSON,
    MAX_RECORD_BYTES,
    TEXT,
    XLSX,
    LoadContext,
    TradeColumnLabels,
    TradeFormat,
    check_header,
    duckdb_encoding,
    duckdb_read_error,
    first_reject,
)
from etl.sources.comtrade import to_trade
from etl.sources.numbers import PLAIN, number_parser, number_style, parse, separators_refused, sql_reader

REQUIRED = ("refYear", "period", "reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")
LABELS = TradeColumnLabels(
    year="refYear", reporter="reporterCode", partner="partnerCode", flow="flowCode", hs_code="cmdCode",
    value="primaryValue",
)  # fmt: skip
HINT = "re-export the table from Comtrade+ as CSV; numeric columns must hold numbers"
API_HINT = (
    "save the Comtrade+ API answer as returned (an object with 'count' and a 'data' list); fetch it again"
)

# Types for the columns we read; everything else stays text so odd content there never blocks a load.
_TYPES = {name: "VARCHAR" for name in COMTRADE_PLUS_COLUMNS}
# refYear is read as a number, not an integer: DuckDB would round 2020.7 to 2021 (refused in the transform).
_TYPES.update({"refYear": "DOUBLE", "primaryValue": "DOUBLE", "netWgt": "DOUBLE"})


def matches_csv(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"refYear", "reporterCode", "cmdCode", "primaryValue"} <= set(
        sniff.header
    )


def matches_json(sniff: Sniff) -> bool:
    return sniff.kind == "json" and {"data", "count"} <= sniff.json_keys


def _check_required(ctx: LoadContext, header: tuple[str, ...] | list[str]) -> None:
    check_header(ctx, header, REQUIRED, HINT)


OPTIONAL = ("customsCode", "motCode", "partner2Code", "netWgt", "classificationCode", "reporterISO", "partnerISO",
            "aggrLevel", "freqCode", "refPeriodId")  # fmt: skip


def _with_optional_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for name in OPTIONAL:
        if name not in frame.columns:
            frame[name] = None
    return frame


NUMERIC = ("primaryValue", "netWgt")


def stage_csv(ctx: LoadContext) -> TradeColumnLabels:
    """Read the CSV with DuckDB's reader, numbers typed by the reader. A ';'-separated file (a spreadsheet saved
    in a Spanish locale writes 1.234,5), and a file whose numbers the reader refuses because they hold separators
    ('"1,334,162,658.44"'), are read again with the numbers as text, in the file's own style (etl.sources.numbers)."""
    sniff = ctx.sniff
    _check_required(ctx, sniff.header)
    as_text = sniff.delimiter == ";"
    problem = _stage_csv(ctx, numbers_as_text=as_text)
    if not as_text and separators_refused(problem, NUMERIC):
        ctx.con.execute(f"DELETE FROM {STAGED_TABLE} WHERE dataset_id = ?", [ctx.dataset_id])
        problem = _stage_csv(ctx, numbers_as_text=True)
    if problem is not None:
        raise problem
    return LABELS


def _stage_csv(ctx: LoadContext, *, numbers_as_text: bool) -> InputError | None:
    """Stage the file's rows; the first row the reader refused, or None."""
    sniff = ctx.sniff
    rejects = f"rejects_{uuid.uuid4().hex[:8]}"
    types = {name: _TYPES[name] for name in sniff.header if name in _TYPES}
    encoding = duckdb_encoding(sniff)
    missing_optional = [n for n in OPTIONAL if n not in sniff.header]
    extra = "".join(f", NULL AS {name}" for name in missing_optional)
    reader = (
        f"(SELECT *{extra} FROM read_csv(?, header = true, delim = ?, quote = '\"', encoding = ?, types = ?, store_rejects = true, "
        f"rejects_table = '{rejects}', rejects_scan = '{rejects}_scan', null_padding = ?, "
        f"max_line_size = {MAX_RECORD_BYTES}))"
    )
    number = sql_reader("plain")
    try:
        if numbers_as_text:
            numeric = [name for name in NUMERIC if name in sniff.header]
            for name in numeric:
                types[name] = "VARCHAR"
            number = number_parser(
                ctx, "SELECT * FROM read_csv(?, header = true, delim = ?, all_varchar = true, encoding = ?, "
                f"null_padding = true, max_line_size = {MAX_RECORD_BYTES})", [str(ctx.path), sniff.delimiter, encoding], numeric,
            )  # fmt: skip
        to_trade(ctx, reader, params=[str(ctx.path), sniff.delimiter, encoding, types, sniff.trailing_empty_column],
                 number=number)  # fmt: skip
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT) from None
    problem = first_reject(
        ctx.con, ctx.path, rejects, HINT, encoding=sniff.encoding, delimiter=sniff.delimiter
    )
    ctx.con.execute(f"DROP TABLE IF EXISTS {rejects}")
    ctx.con.execute(f"DROP TABLE IF EXISTS {rejects}_scan")
    return problem


def stage_xlsx(
    ctx: LoadContext, header_row: list[str], *, sheet: str = "", header_row_index: int = 0
) -> TradeColumnLabels:
    """A Comtrade+ table in a workbook: the header may sit below title rows and on any sheet (found by detect)."""
    _check_required(ctx, header_row)
    [(_, rows)] = list(xlsx_rows(ctx.path, sheet or None)) if sheet else list(xlsx_rows(ctx.path))[:1]
    header = [None if c is None else str(c).strip() for c in rows[header_row_index]]
    body = [row for row in rows[header_row_index + 1 :]]
    width = len(header)
    records = [
        [None if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() and k != "primaryValue"
                                 else str(v)) for k, v in zip(header, (list(row) + [None] * width)[:width], strict=True)]
        for row in body
    ]  # fmt: skip
    names = [name if name else f"_unnamed_{i}" for i, name in enumerate(header)]
    frame = pd.DataFrame.from_records(records, columns=names) if records else pd.DataFrame(columns=names)
    frame["source_line"] = range(header_row_index + 2, header_row_index + 2 + len(frame))  # spreadsheet rows
    blank = frame.drop(columns="source_line").isna().all(axis=1)
    frame = _with_optional_columns(frame[~blank].copy())
    if sheet and sheet != (list(xlsx_first_cells(ctx.path)) or [""])[0]:
        ctx.notes.append(f"data read from sheet {sheet!r}")
    if header_row_index:
        ctx.notes.append(f"header found on row {header_row_index + 1} (title rows above it skipped)")
    ctx.con.register("comtrade_xlsx_frame", frame)
    try:
        style = number_style(ctx, "SELECT * FROM comtrade_xlsx_frame", [], NUMERIC)
        to_trade(ctx, "comtrade_xlsx_frame", "raw.source_line", number=sql_reader(style))
    finally:
        ctx.con.unregister("comtrade_xlsx_frame")
    _raise_on_bad_numbers(ctx, frame, style)
    return LABELS


def stage_json(ctx: LoadContext) -> TradeColumnLabels:
    document = read_json(ctx.path, ctx.sniff.encoding)  # bounded in size and depth; parsed once in sniff too
    records = check_api_document(ctx.path, document).get("data") or []
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return LABELS
    _check_required(ctx, list(frame.columns))
    frame = _with_optional_columns(frame).astype(object).where(frame.notna(), None)
    for name in frame.columns:
        frame[name] = frame[name].map(lambda v: None if v is None else str(v))
    frame["source_line"] = None
    ctx.con.register("comtrade_json_frame", frame)
    try:
        style = number_style(ctx, "SELECT * FROM comtrade_json_frame", [], NUMERIC)
        to_trade(ctx, "comtrade_json_frame", number=sql_reader(style))
    finally:
        ctx.con.unregister("comtrade_json_frame")
    _raise_on_bad_numbers(ctx, frame, style, record_based=True)
    return LABELS


def check_api_document(path: Path, document: object) -> dict[str, Any]:
    """A Comtrade+ API body must carry no error and as many records as its `count` says; returns it."""
    from etl.errors import InputError

    if not isinstance(document, dict):
        raise InputError(path, "expected a JSON object with 'count' and 'data'", line=1, hint=API_HINT)
    error = document.get("error")
    if error:
        raise InputError(path, f"the API response carries an error: {str(error)[:200]}", line=1,
                         hint="the query failed upstream; fetch it again")  # fmt: skip
    data = document.get("data")
    if data is not None and not isinstance(data, list):
        raise InputError(path, "'data' is not a list", line=1, hint=API_HINT)
    widest = max((len(record) for record in data or () if isinstance(record, dict)), default=0)
    if widest > MAX_COLUMNS:
        raise InputError(path, f"a record of 'data' has {widest:,} fields, more than the {MAX_COLUMNS:,}-column bound "
                         "on input tables (a Comtrade+ record has 47)", line=1, hint=API_HINT)  # fmt: skip
    count = document.get("count")
    if data is not None and (
        isinstance(count, bool) or not isinstance(count, int | float | str) or _as_count(count) != len(data)
    ):
        raise InputError(path, f"'count' says {count!r} records but 'data' holds {len(data)}", line=1,
                         hint="the response was cut or paged; fetch it again")  # fmt: skip
    return document


def _as_count(value: object) -> int | None:
    """A declared count as a whole number (7, 7.0 or "7"), or None when it is not one."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 0 else None


def _raise_on_bad_numbers(
    ctx: LoadContext, frame: pd.DataFrame, style: str, record_based: bool = False
) -> None:
    """Text where a number belongs: name the row (spreadsheet line, or record index in JSON)."""
    for column in ("refYear", "primaryValue"):
        values = frame[column]
        # A number written with separators is read in the file's style; 'NaN' stays "not a number" here.
        read_as = style if column == "primaryValue" else PLAIN
        read = values.map(lambda v, read_as=read_as: None if v is None else parse(str(v), read_as))
        bad = values.notna() & pd.to_numeric(read, errors="coerce").isna()
        if bad.any():
            position = int(bad.to_numpy().nonzero()[0][0])
            if record_based:
                raise ctx.error(
                    f"record {position + 1} of 'data': {column} is {values.iloc[position]!r}, not a number",
                    column=column, hint=HINT,
                )  # fmt: skip
            raise ctx.error(
                f"{column} is {values.iloc[position]!r}, not a number",
                line=position + 2, column=column, hint=HINT,
            )  # fmt: skip


def locate_xlsx_header(cells: dict[str, list[tuple]]) -> tuple[str, int, list[str]] | None:
    """(sheet, row index, header) of the first Comtrade+ header row: it may sit below title rows, and the data
    on a later sheet (a cover sheet first)."""
    for sheet_name, rows in cells.items():
        for index, row in enumerate(rows):
            header = [str(c).strip() for c in row if c is not None]
            if {"refYear", "cmdCode", "primaryValue"} <= set(header):
                return sheet_name, index, header
    return None


def stage_xlsx_found(ctx: LoadContext) -> TradeColumnLabels:
    found = locate_xlsx_header(xlsx_first_cells(ctx.path))
    if found is None:
        raise ctx.error("no Comtrade+ header row (refYear, cmdCode, primaryValue) in the workbook", hint=HINT)
    sheet, index, header = found
    return stage_xlsx(ctx, header, sheet=sheet, header_row_index=index)


CSV_FORMAT = TradeFormat("comtrade_plus_csv", "comtrade", "UN Comtrade", TEXT, lambda probe: matches_csv(probe.sniff),
                         stage_csv, text_lines=True, reads_utf16=True, columns=COMTRADE_PLUS_COLUMNS)  # fmt: skip
XLSX_FORMAT = TradeFormat("comtrade_plus_xlsx", "comtrade", "UN Comtrade", XLSX,
                          lambda probe: locate_xlsx_header(probe.xlsx_cells()) is not None, stage_xlsx_found,
                          text_lines=False)  # fmt: skip
JSON_FORMAT = TradeFormat("comtrade_plus_json", "comtrade", "UN Comtrade", JSON, lambda probe: matches_json(probe.sniff),
                          stage_json, text_lines=False)  # fmt: skip
