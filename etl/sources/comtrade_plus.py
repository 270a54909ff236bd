"""UN Comtrade+ (new API) tables: CSV, XLSX and API JSON, 47 camelCase columns.

The CSV path stays inside DuckDB (read_csv → SQL) because it is the bulk path; XLSX and JSON are small
and go through pandas into the same SQL.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from etl.detect import Sniff
from etl.schema import (
    COMTRADE_PLUS_COLUMNS,
    COMTRADE_TOTAL_CUSTOMS,
    COMTRADE_TOTAL_MOT,
    COMTRADE_TOTAL_PARTNER2,
)
from etl.sources.base import (
    LoadContext,
    TradeColumnLabels,
    check_header,
    duckdb_read_error,
    first_reject,
    locate_line,
)
from etl.validate import STAGED_TABLE

REQUIRED = ("refYear", "period", "reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")
LABELS = TradeColumnLabels(
    year="refYear", reporter="reporterCode", partner="partnerCode", flow="flowCode", hs_code="cmdCode",
    value="primaryValue",
)  # fmt: skip
HINT = "re-export the table from Comtrade+ as CSV; numeric columns must hold numbers"
API_HINT = "save the Comtrade+ API answer as returned (an object with 'count' and a 'data' list); fetch it again"

# Types for the columns we read; everything else stays text so odd content there never blocks a load.
_TYPES = {name: "VARCHAR" for name in COMTRADE_PLUS_COLUMNS}
_TYPES.update({"refYear": "INTEGER", "primaryValue": "DOUBLE", "netWgt": "DOUBLE"})


def matches_csv(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"refYear", "reporterCode", "cmdCode", "primaryValue"} <= set(sniff.header)


def matches_json(sniff: Sniff) -> bool:
    return sniff.kind == "json" and {"data", "count"} <= sniff.json_keys


def _check_required(ctx: LoadContext, header: tuple[str, ...] | list[str]) -> None:
    check_header(ctx, header, REQUIRED, HINT)


# Comtrade rows → Balanza rows. `raw` is any relation with Comtrade's column names (as text or typed).
_TRANSFORM_SQL = f"""
INSERT INTO {STAGED_TABLE}
SELECT
    TRY_CAST(raw.refYear AS INTEGER) AS year,
    trim(CAST(raw.period AS VARCHAR)) AS period,
    coalesce(rep.iso3, '?' || trim(CAST(raw.reporterCode AS VARCHAR))) AS reporter_iso3,
    coalesce(par.iso3, '?' || trim(CAST(raw.partnerCode AS VARCHAR))) AS partner_iso3,
    CASE upper(trim(raw.flowCode)) WHEN 'X' THEN 'export' WHEN 'M' THEN 'import'
         WHEN 'RX' THEN 're-export' WHEN 'RM' THEN 're-import' END AS flow,
    CASE WHEN upper(trim(raw.cmdCode)) = 'TOTAL' THEN 'TOTAL' ELSE trim(raw.cmdCode) END AS hs_code,
    CASE WHEN upper(trim(raw.cmdCode)) = 'TOTAL' THEN 0 ELSE length(trim(raw.cmdCode)) END AS hs_level,
    TRY_CAST(raw.primaryValue AS DOUBLE) AS value_usd,
    CASE WHEN upper(trim(raw.flowCode)) IN ('M', 'RM') THEN 'CIF' ELSE 'FOB' END AS valuation,
    TRY_CAST(raw.netWgt AS DOUBLE) AS net_weight_kg,
    'comtrade' AS source,
    $dataset_id AS dataset_id,
    NULL AS duty_usd,
    nullif(trim(CAST(raw.classificationCode AS VARCHAR)), '') AS hs_vintage,
    TRUE AS valuation_stated,
    $line_expr AS source_line
FROM $raw AS raw
LEFT JOIN comtrade_areas rep ON rep.code = TRY_CAST(raw.reporterCode AS INTEGER)
LEFT JOIN comtrade_areas par ON par.code = TRY_CAST(raw.partnerCode AS INTEGER)
WHERE upper(trim(raw.flowCode)) IN ('X', 'M', 'RX', 'RM')
  AND coalesce(nullif(trim(CAST(raw.customsCode AS VARCHAR)), ''), '{COMTRADE_TOTAL_CUSTOMS}') = '{COMTRADE_TOTAL_CUSTOMS}'
  AND coalesce(nullif(trim(CAST(raw.motCode AS VARCHAR)), ''), '{COMTRADE_TOTAL_MOT}') = '{COMTRADE_TOTAL_MOT}'
  AND coalesce(nullif(trim(CAST(raw.partner2Code AS VARCHAR)), ''), '{COMTRADE_TOTAL_PARTNER2}')
      = '{COMTRADE_TOTAL_PARTNER2}'
"""


def _transform(ctx: LoadContext, raw: str, line_expr: str = "NULL", params: list | None = None) -> None:
    sql = (
        _TRANSFORM_SQL.replace("$raw", raw)
        .replace("$line_expr", line_expr)
        .replace("$dataset_id", str(int(ctx.dataset_id)))
    )
    ctx.con.execute(sql, params or [])


def _with_optional_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for name in ("customsCode", "motCode", "partner2Code", "netWgt", "classificationCode"):
        if name not in frame.columns:
            frame[name] = None
    return frame


def stage_csv(ctx: LoadContext) -> TradeColumnLabels:
    sniff = ctx.sniff
    _check_required(ctx, sniff.header)
    rejects = f"rejects_{uuid.uuid4().hex[:8]}"
    types = {name: _TYPES[name] for name in sniff.header if name in _TYPES}
    encoding = "latin-1" if sniff.encoding == "latin-1" else "utf-8"
    missing_optional = [n for n in ("customsCode", "motCode", "partner2Code", "netWgt", "classificationCode")
                        if n not in sniff.header]  # fmt: skip
    extra = "".join(f", NULL AS {name}" for name in missing_optional)
    reader = (
        f"(SELECT *{extra} FROM read_csv(?, header = true, delim = ?, quote = '\"', encoding = ?, types = ?, store_rejects = true, "
        f"rejects_table = '{rejects}', rejects_scan = '{rejects}_scan', null_padding = ?))"
    )
    try:
        _transform(ctx, reader, params=[str(ctx.path), sniff.delimiter, encoding, types, sniff.trailing_empty_column])
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT) from None
    problem = first_reject(ctx.con, ctx.path, rejects, HINT)
    ctx.con.execute(f"DROP TABLE IF EXISTS {rejects}")
    ctx.con.execute(f"DROP TABLE IF EXISTS {rejects}_scan")
    if problem:
        raise problem
    return LABELS


def csv_line_finder(ctx: LoadContext):
    encoding = "latin-1" if ctx.sniff.encoding == "latin-1" else ctx.sniff.encoding
    return lambda column, predicate: locate_line(ctx.path, encoding, ctx.sniff.delimiter, column, predicate)


def stage_xlsx(ctx: LoadContext, header_row: list[str]) -> TradeColumnLabels:
    _check_required(ctx, header_row)
    frame = pd.read_excel(ctx.path, dtype=str)
    frame = _with_optional_columns(frame)
    frame["source_line"] = range(2, len(frame) + 2)  # spreadsheet row numbers
    ctx.con.register("comtrade_xlsx_frame", frame)
    try:
        _transform(ctx, "comtrade_xlsx_frame", "raw.source_line")
    finally:
        ctx.con.unregister("comtrade_xlsx_frame")
    _raise_on_bad_numbers(ctx, frame)
    return LABELS


def stage_json(ctx: LoadContext) -> TradeColumnLabels:
    with open(ctx.path, encoding=ctx.sniff.encoding) as handle:
        document = json.load(handle)
    check_api_document(ctx.path, document)
    records = document.get("data") or []
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
        _transform(ctx, "comtrade_json_frame")
    finally:
        ctx.con.unregister("comtrade_json_frame")
    _raise_on_bad_numbers(ctx, frame, record_based=True)
    return LABELS


def check_api_document(path: Path, document: object) -> None:
    """A Comtrade+ API body must carry no error and as many records as its `count` says."""
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
    count = document.get("count")
    if isinstance(count, int) and data is not None and count != len(data):
        raise InputError(path, f"'count' says {count} records but 'data' holds {len(data)}", line=1,
                         hint="the response was cut or paged; fetch it again")  # fmt: skip


def _raise_on_bad_numbers(ctx: LoadContext, frame: pd.DataFrame, record_based: bool = False) -> None:
    """Text where a number belongs: name the row (spreadsheet line, or record index in JSON)."""
    for column in ("refYear", "primaryValue"):
        values = frame[column]
        bad = values.notna() & pd.to_numeric(values, errors="coerce").isna()
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
