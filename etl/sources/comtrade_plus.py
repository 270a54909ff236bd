"""UN Comtrade+ (new API) tables: CSV, XLSX and API JSON, 47 camelCase columns.

The CSV path stays inside DuckDB (read_csv → SQL) because it is the bulk path; XLSX and JSON are small
and go through pandas into the same SQL.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import duckdb
import pandas as pd

from etl.detect import Sniff, read_json, xlsx_first_cells, xlsx_rows
from etl.schema import (
    COMTRADE_PLUS_COLUMNS,
    COMTRADE_TOTAL_CUSTOMS,
    COMTRADE_TOTAL_MOT,
    COMTRADE_TOTAL_PARTNER2,
    EUROPEAN_UNION,
    WORLD,
)
from etl.sources.base import (
    JSON,
    TEXT,
    XLSX,
    LoadContext,
    TradeColumnLabels,
    TradeFormat,
    check_header,
    duckdb_encoding,
    duckdb_read_error,
    first_reject,
    locate_line,
    number_parser,
)
from etl.validate import STAGED_TABLE, LineFinder

REQUIRED = ("refYear", "period", "reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")
LABELS = TradeColumnLabels(
    year="refYear", reporter="reporterCode", partner="partnerCode", flow="flowCode", hs_code="cmdCode",
    value="primaryValue",
)  # fmt: skip
HINT = "re-export the table from Comtrade+ as CSV; numeric columns must hold numbers"
API_HINT = "save the Comtrade+ API answer as returned (an object with 'count' and a 'data' list); fetch it again"

# Types for the columns we read; everything else stays text so odd content there never blocks a load.
_TYPES = {name: "VARCHAR" for name in COMTRADE_PLUS_COLUMNS}
# refYear is read as a number, not an integer: DuckDB would round 2020.7 to 2021 (refused in the transform).
_TYPES.update({"refYear": "DOUBLE", "primaryValue": "DOUBLE", "netWgt": "DOUBLE"})


def matches_csv(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"refYear", "reporterCode", "cmdCode", "primaryValue"} <= set(sniff.header)


def matches_json(sniff: Sniff) -> bool:
    return sniff.kind == "json" and {"data", "count"} <= sniff.json_keys


def _check_required(ctx: LoadContext, header: tuple[str, ...] | list[str]) -> None:
    check_header(ctx, header, REQUIRED, HINT)


# Comtrade's flow codes that are breakdowns of the four flows Balanza loads (domestic exports and foreign imports
# are parts of X and M; the processing flows are parts of both). Rows with these codes are set aside, and said so;
# any other code is refused.
SUBFLOWS = {
    "DX": "domestic exports", "FM": "foreign imports", "MIP": "imports for inward processing",
    "XIP": "exports after inward processing", "MOP": "imports after outward processing",
    "XOP": "exports for outward processing",
}  # fmt: skip
_SUBFLOW_SQL = "(" + ", ".join(f"'{code}'" for code in SUBFLOWS) + ")"


def _iso_sql(column: str) -> str:
    """A file's ISO3 text the way comtrade_areas spells it (W00 is the World, EUR the EU as one partner)."""
    text = f"upper(trim(CAST({column} AS VARCHAR)))"
    return f"CASE {text} WHEN 'W00' THEN '{WORLD}' WHEN 'WORLD' THEN '{WORLD}' WHEN 'EUR' THEN '{EUROPEAN_UNION}' ELSE {text} END"


def _area_sql(code_column: str, iso_column: str, alias: str) -> str:
    """ISO3 from the numeric code; '?code' when the code is unknown, '!iso-from-code|iso-in-file' on disagreement."""
    code = f"trim(CAST({code_column} AS VARCHAR))"
    given = f"nullif(trim(CAST({iso_column} AS VARCHAR)), '')"
    return (
        f"CASE WHEN {alias}.iso3 IS NULL THEN '?' || {code} "
        f"WHEN {given} IS NOT NULL AND {_iso_sql(iso_column)} <> upper({alias}.iso3) "
        f"THEN '!' || {alias}.iso3 || '|' || {given} ELSE {alias}.iso3 END"
    )


# Comtrade rows → Balanza rows. `raw` is any relation with Comtrade's column names (as text or typed).
# Nothing is dropped silently: unknown flow codes become '?code' (refused by etl/validate.py), breakdown flows
# '~code' (set aside with a note); only the customs/transport/second-partner breakdowns of a total are left out.
_TRANSFORM_SQL = f"""
INSERT INTO {STAGED_TABLE}
SELECT
    CASE WHEN TRY_CAST(raw.refYear AS DOUBLE) = floor(TRY_CAST(raw.refYear AS DOUBLE))
         THEN TRY_CAST(TRY_CAST(raw.refYear AS DOUBLE) AS INTEGER) END AS year,
    trim(CAST(raw.period AS VARCHAR)) AS period,
    {_area_sql("raw.reporterCode", "raw.reporterISO", "rep")} AS reporter_iso3,
    {_area_sql("raw.partnerCode", "raw.partnerISO", "par")} AS partner_iso3,
    CASE upper(trim(raw.flowCode)) WHEN 'X' THEN 'export' WHEN 'M' THEN 'import'
         WHEN 'RX' THEN 're-export' WHEN 'RM' THEN 're-import'
         ELSE CASE WHEN upper(trim(raw.flowCode)) IN {_SUBFLOW_SQL} THEN '~' ELSE '?' END
              || coalesce(trim(raw.flowCode), '') END AS flow,
    CASE WHEN upper(trim(raw.cmdCode)) = 'TOTAL' THEN 'TOTAL' ELSE $hs_code END AS hs_code,
    CASE WHEN upper(trim(raw.cmdCode)) = 'TOTAL' THEN 0 ELSE length($hs_code) END AS hs_level,
    $value AS value_usd,
    CASE WHEN upper(trim(raw.flowCode)) IN ('M', 'RM') THEN 'CIF' ELSE 'FOB' END AS valuation,
    $weight AS net_weight_kg,
    'comtrade' AS source,
    $dataset_id AS dataset_id,
    NULL AS duty_usd,
    nullif(trim(CAST(raw.classificationCode AS VARCHAR)), '') AS hs_vintage,
    TRUE AS valuation_stated,
    $line_expr AS source_line
FROM $raw AS raw
LEFT JOIN comtrade_areas rep ON rep.code = TRY_CAST(raw.reporterCode AS INTEGER)
LEFT JOIN comtrade_areas par ON par.code = TRY_CAST(raw.partnerCode AS INTEGER)
WHERE coalesce(nullif(trim(CAST(raw.customsCode AS VARCHAR)), ''), '{COMTRADE_TOTAL_CUSTOMS}') = '{COMTRADE_TOTAL_CUSTOMS}'
  AND coalesce(nullif(trim(CAST(raw.motCode AS VARCHAR)), ''), '{COMTRADE_TOTAL_MOT}') = '{COMTRADE_TOTAL_MOT}'
  AND coalesce(nullif(trim(CAST(raw.partner2Code AS VARCHAR)), ''), '{COMTRADE_TOTAL_PARTNER2}')
      = '{COMTRADE_TOTAL_PARTNER2}'
"""
OPTIONAL = ("customsCode", "motCode", "partner2Code", "netWgt", "classificationCode", "reporterISO", "partnerISO",
            "aggrLevel")  # fmt: skip


# An HS code saved as a number loses its leading zero (chapter 01 → 1, heading 0901 → 901). Where the row's
# aggregate level says how many digits the code has, the zero is given back when exactly one is missing.
_CODE = "trim(CAST(raw.cmdCode AS VARCHAR))"
_LEVEL = "TRY_CAST(TRY_CAST(raw.aggrLevel AS DOUBLE) AS INTEGER)"
HS_CODE_SQL = (
    f"CASE WHEN regexp_full_match({_CODE}, '[1-9][0-9]*') AND {_LEVEL} IN (2, 4, 6, 8, 10) "
    f"AND length({_CODE}) = {_LEVEL} - 1 THEN '0' || {_CODE} ELSE {_CODE} END"
)


def _transform(ctx: LoadContext, raw: str, line_expr: str = "NULL", params: list | None = None,
               number: str = "TRY_CAST({} AS DOUBLE)", hs_code: str = HS_CODE_SQL) -> None:  # fmt: skip
    sql = (
        _TRANSFORM_SQL.replace("$raw", raw)
        .replace("$line_expr", line_expr)
        .replace("$dataset_id", str(int(ctx.dataset_id)))
        .replace("$value", number.format("raw.primaryValue"))
        .replace("$weight", number.format("raw.netWgt"))
        .replace("$hs_code", hs_code)
    )
    ctx.con.execute(sql, params or [])
    restore_leading_zeros(ctx)
    set_aside_subflows(ctx)


def restore_leading_zeros(ctx: LoadContext) -> None:
    """Give back the leading zero of HS codes saved as numbers, where every code in the file shows the level.

    When every product code has L or L-1 digits for one HS level L (2, 4, 6, 8, 10), some have L-1, and none
    of those starts with 0 (a number never does), the short ones are codes of level L that lost their zero.
    Otherwise nothing is changed, and a code of the wrong length is refused by validation.
    """
    lengths = ctx.con.execute(
        f"""SELECT list(DISTINCT length(hs_code)), bool_or(hs_code LIKE '0%' AND length(hs_code) % 2 = 1),
                   count(*) FILTER (WHERE length(hs_code) % 2 = 1)
            FROM {STAGED_TABLE} WHERE dataset_id = ? AND hs_code <> 'TOTAL'
            AND regexp_full_match(hs_code, '[0-9]+')""",  # noqa: S608
        [ctx.dataset_id],
    ).fetchone()
    found, odd_with_zero, short = set(lengths[0] or ()), lengths[1], lengths[2]
    if not short or odd_with_zero:
        return
    levels = [level for level in (2, 4, 6, 8, 10) if found <= {level - 1, level}]
    if len(levels) != 1:
        return
    level = levels[0]
    ctx.con.execute(
        f"UPDATE {STAGED_TABLE} SET hs_code = '0' || hs_code, hs_level = {level} "  # noqa: S608
        f"WHERE dataset_id = ? AND hs_code <> 'TOTAL' AND length(hs_code) = {level - 1}",
        [ctx.dataset_id],
    )
    ctx.notes.append(f"{short:,} HS codes saved as numbers got their leading zero back (every code in the file "
                     f"is of level {level})")  # fmt: skip


def set_aside_subflows(ctx: LoadContext) -> None:
    """Remove the rows of breakdown flows (DX, FM, …) staged as '~code', and say how many there were."""
    counts = ctx.con.execute(
        f"SELECT substr(flow, 2), count(*) FROM {STAGED_TABLE} WHERE dataset_id = ? AND flow LIKE '~%' "  # noqa: S608
        "GROUP BY 1 ORDER BY 1",
        [ctx.dataset_id],
    ).fetchall()
    if not counts:
        return
    ctx.con.execute(f"DELETE FROM {STAGED_TABLE} WHERE dataset_id = ? AND flow LIKE '~%'", [ctx.dataset_id])  # noqa: S608
    listed = ", ".join(f"{n:,} {code} ({SUBFLOWS.get(code.upper(), code)})" for code, n in counts)
    ctx.notes.append(f"set aside {listed}: breakdowns of exports/imports, not loaded")


def _with_optional_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for name in OPTIONAL:
        if name not in frame.columns:
            frame[name] = None
    return frame


def stage_csv(ctx: LoadContext) -> TradeColumnLabels:
    sniff = ctx.sniff
    _check_required(ctx, sniff.header)
    rejects = f"rejects_{uuid.uuid4().hex[:8]}"
    types = {name: _TYPES[name] for name in sniff.header if name in _TYPES}
    encoding = duckdb_encoding(sniff)
    missing_optional = [n for n in OPTIONAL if n not in sniff.header]
    extra = "".join(f", NULL AS {name}" for name in missing_optional)
    reader = (
        f"(SELECT *{extra} FROM read_csv(?, header = true, delim = ?, quote = '\"', encoding = ?, types = ?, store_rejects = true, "
        f"rejects_table = '{rejects}', rejects_scan = '{rejects}_scan', null_padding = ?))"
    )
    number = "TRY_CAST({} AS DOUBLE)"
    try:
        if sniff.delimiter == ";":  # a spreadsheet saved in a Spanish locale may write 1.234,5
            numeric = [name for name in ("primaryValue", "netWgt") if name in sniff.header]
            for name in numeric:
                types[name] = "VARCHAR"
            number = number_parser(
                ctx, "SELECT * FROM read_csv(?, header = true, delim = ';', all_varchar = true, encoding = ?, "
                "null_padding = true)", [str(ctx.path), encoding], numeric,
            )  # fmt: skip
        _transform(ctx, reader, params=[str(ctx.path), sniff.delimiter, encoding, types, sniff.trailing_empty_column],
                   number=number)  # fmt: skip
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT) from None
    problem = first_reject(ctx.con, ctx.path, rejects, HINT)
    ctx.con.execute(f"DROP TABLE IF EXISTS {rejects}")
    ctx.con.execute(f"DROP TABLE IF EXISTS {rejects}_scan")
    if problem:
        raise problem
    return LABELS


def csv_line_finder(ctx: LoadContext) -> LineFinder:
    encoding = "latin-1" if ctx.sniff.encoding == "latin-1" else ctx.sniff.encoding
    return lambda column, predicate: locate_line(ctx.path, encoding, ctx.sniff.delimiter, column, predicate)


def stage_xlsx(ctx: LoadContext, header_row: list[str], *, sheet: str = "", header_row_index: int = 0) -> TradeColumnLabels:
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
        _transform(ctx, "comtrade_xlsx_frame", "raw.source_line")
    finally:
        ctx.con.unregister("comtrade_xlsx_frame")
    _raise_on_bad_numbers(ctx, frame)
    return LABELS


def stage_json(ctx: LoadContext) -> TradeColumnLabels:
    document = read_json(ctx.path, ctx.sniff.encoding)  # bounded in size and depth; parsed once in sniff too
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
    if data is not None and (
        isinstance(count, bool) or not isinstance(count, int | float | str) or _as_count(count) != len(data)
    ):
        raise InputError(path, f"'count' says {count!r} records but 'data' holds {len(data)}", line=1,
                         hint="the response was cut or paged; fetch it again")  # fmt: skip


def _as_count(value: object) -> int | None:
    """A declared count as a whole number (7, 7.0 or "7"), or None when it is not one."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 0 else None


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
                         stage_csv, text_lines=True, reads_utf16=True)  # fmt: skip
XLSX_FORMAT = TradeFormat("comtrade_plus_xlsx", "comtrade", "UN Comtrade", XLSX,
                          lambda probe: locate_xlsx_header(probe.xlsx_cells()) is not None, stage_xlsx_found,
                          text_lines=False)  # fmt: skip
JSON_FORMAT = TradeFormat("comtrade_plus_json", "comtrade", "UN Comtrade", JSON, lambda probe: matches_json(probe.sniff),
                          stage_json, text_lines=False)  # fmt: skip
