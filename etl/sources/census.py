"""US Census Bureau: 2024 imports for consumption by HS10 (parquet), and country totals (CSV, USD millions).

Census customs value excludes freight and insurance, so both series are FOB-type valuations.
"""

from __future__ import annotations

import math

import duckdb

from etl.detect import Sniff
from etl.errors import InputError
from etl.schema import EUROPEAN_UNION, STAGED_TABLE
from etl.sources.base import (
    MAX_RECORD_BYTES,
    PARQUET,
    TEXT,
    LoadContext,
    TradeColumnLabels,
    TradeFormat,
    check_header,
    duckdb_read_error,
    first_reject,
    with_lines,
)
from etl.sources.numbers import read_table_numbers, separators_refused

HS10_COLUMNS = ("CTY_CODE", "I_COMMODITY", "CON_VAL_YR", "CAL_DUT_YR", "time")
HS10_LABELS = TradeColumnLabels(
    year="time", reporter="(United States)", partner="CTY_CODE", flow="(imports)", hs_code="I_COMMODITY",
    value="CON_VAL_YR",
)  # fmt: skip
TOTALS_LABELS = TradeColumnLabels(
    year="year", reporter="(United States)", partner="us_partner_iso3", flow="us_exports_usd_million",
    hs_code="(total)", value="us_imports_usd_million",
)  # fmt: skip
HINT_HS10 = "use the Census HS10 import parquet files as published (CTY_CODE, I_COMMODITY, CON_VAL_YR, …)"
HINT_TOTALS = "columns: us_partner_iso3, year, [month,] us_exports_usd_million, us_imports_usd_million"
TOTALS_REQUIRED = ("us_partner_iso3", "year", "us_exports_usd_million", "us_imports_usd_million")
TOTALS_COLUMNS = (*TOTALS_REQUIRED, "month", "us_balance_usd_million")


def parquet_columns(con: duckdb.DuckDBPyConnection, ctx_path: str) -> list[str]:
    return [row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [ctx_path]).fetchall()]


def matches_hs10(sniff: Sniff, columns: list[str]) -> bool:
    return sniff.kind == "parquet" and {"CTY_CODE", "I_COMMODITY", "CON_VAL_YR"} <= set(columns)


def stage_hs10(ctx: LoadContext) -> TradeColumnLabels:
    path = str(ctx.path)
    try:
        columns = parquet_columns(ctx.con, path)
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT_HS10) from None
    for name in HS10_COLUMNS:
        if name not in columns:
            raise ctx.error(f"missing column {name!r}", column=name, hint=HINT_HS10)
    try:
        bad = ctx.con.execute(
            """
            SELECT row_number, CON_VAL_YR, CAL_DUT_YR FROM (
                SELECT row_number() OVER () AS row_number, CON_VAL_YR, CAL_DUT_YR FROM read_parquet(?)
            ) WHERE TRY_CAST(CON_VAL_YR AS DOUBLE) IS NULL
               OR (CAL_DUT_YR IS NOT NULL AND TRY_CAST(CAL_DUT_YR AS DOUBLE) IS NULL)
            LIMIT 1
            """,
            [path],
        ).fetchone()
        if bad:
            column = "CON_VAL_YR" if bad[1] is None or _not_number(bad[1]) else "CAL_DUT_YR"
            raise ctx.error(
                f"row {bad[0]}: {column} is {bad[1] if column == 'CON_VAL_YR' else bad[2]!r}, not a number",
                column=column,
                hint=HINT_HS10,
            )
        # CON_VAL_YR is the value for the year to date through the month `time` names: only December is a year.
        partial = ctx.con.execute(
            "SELECT row_number, time FROM (SELECT row_number() OVER () AS row_number, time FROM read_parquet(?)) "
            "WHERE TRY_CAST(time AS DATE) IS NULL OR month(TRY_CAST(time AS DATE)) <> 12 LIMIT 1",
            [path],
        ).fetchone()
        if partial:
            raise ctx.error(
                f"row {partial[0]}: time {str(partial[1])[:10]!r} is not a December: CON_VAL_YR then covers the year "
                "only to that month, which a trade period (a whole year) cannot hold",
                column="time",
                hint="load the file published for December (the full year)",
            )
        ctx.con.execute(
            f"""
            INSERT INTO {STAGED_TABLE}
            SELECT
                year(CAST(raw.time AS DATE)) AS year,
                CAST(year(CAST(raw.time AS DATE)) AS VARCHAR) AS period,
                'USA' AS reporter_iso3,
                coalesce(c.iso3, '?' || trim(raw.CTY_CODE)) AS partner_iso3,
                'import' AS flow,
                trim(raw.I_COMMODITY) AS hs_code,
                length(trim(raw.I_COMMODITY)) AS hs_level,
                CAST(raw.CON_VAL_YR AS DOUBLE) AS value_usd,
                'FOB' AS valuation,
                NULL AS net_weight_kg,
                'us_census_consumption' AS source,
                {int(ctx.dataset_id)} AS dataset_id,
                TRY_CAST(raw.CAL_DUT_YR AS DOUBLE) AS duty_usd,
                NULL AS hs_vintage,
                TRUE AS valuation_stated,
                NULL AS source_line
            FROM read_parquet(?) AS raw
            LEFT JOIN census_countries c ON c.cty_code = trim(raw.CTY_CODE)
            """,
            [path],
        )
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT_HS10) from None
    return HS10_LABELS


def _not_number(value: str) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return True
    return False


def matches_totals(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {
        "us_partner_iso3",
        "year",
        "us_exports_usd_million",
        "us_imports_usd_million",
    } <= set(sniff.header)


def _totals_rejects(ctx: LoadContext, types: dict[str, str]) -> InputError | None:
    """The first row the reader refuses (the whole small file is read: the rejects table is complete only once
    the scan has run to the end)."""
    ctx.con.execute(
        "SELECT * FROM read_csv(?, header = true, types = ?, store_rejects = true, "
        f"rejects_table = 'census_rejects', rejects_scan = 'census_rejects_scan', max_line_size = {MAX_RECORD_BYTES})",
        [str(ctx.path), types],
    ).fetchall()
    problem = first_reject(ctx.con, ctx.path, "census_rejects", HINT_TOTALS, encoding=ctx.sniff.encoding,
                           delimiter=ctx.sniff.delimiter)  # fmt: skip
    ctx.con.execute("DROP TABLE IF EXISTS census_rejects; DROP TABLE IF EXISTS census_rejects_scan")
    return problem


def stage_totals(ctx: LoadContext) -> TradeColumnLabels:
    check_header(ctx, ctx.sniff.header, TOTALS_REQUIRED, HINT_TOTALS)
    header = set(ctx.sniff.header)
    monthly = "month" in header
    period = (
        "CAST(year AS VARCHAR) || lpad(CAST(month AS VARCHAR), 2, '0')"
        if monthly
        else "CAST(year AS VARCHAR)"
    )
    types = {"us_partner_iso3": "VARCHAR", "year": "INTEGER", "us_exports_usd_million": "DOUBLE",
             "us_imports_usd_million": "DOUBLE"}  # fmt: skip
    if monthly:
        types["month"] = "INTEGER"
    numeric = ["us_exports_usd_million", "us_imports_usd_million"]
    try:
        problem = _totals_rejects(ctx, types)
        as_text = separators_refused(
            problem, numeric
        )  # '"1,500.5"': the numbers are read as text, in the file's style
        if as_text:
            types = types | {name: "VARCHAR" for name in numeric}
            problem = _totals_rejects(ctx, types)
        if problem:
            raise problem
        with_lines(ctx, "census_totals_raw", f"SELECT * FROM read_csv(?, header = true, types = ?, max_line_size = {MAX_RECORD_BYTES})",
                   [str(ctx.path), types])  # fmt: skip
        if as_text:
            read_table_numbers(ctx, "census_totals_raw", numeric, HINT_TOTALS)
        for flow, column in (("export", "us_exports_usd_million"), ("import", "us_imports_usd_million")):
            # The shared checks name one value column; here there are two, so name the one at fault first.
            bad = ctx.con.execute(
                f"SELECT line, {column} FROM census_totals_raw WHERE {column} IS NULL OR isnan({column}) "
                f"OR isinf({column}) OR {column} < 0 ORDER BY line LIMIT 1"
            ).fetchone()
            if bad:
                finite = bad[1] is not None and math.isfinite(bad[1])
                what = "is negative" if finite else "is missing or not a finite number"
                raise ctx.error(
                    f"{column} {what} ({bad[1]})", line=int(bad[0]), column=column, hint=HINT_TOTALS
                )
            ctx.con.execute(
                f"""
                INSERT INTO {STAGED_TABLE}
                SELECT year, {period}, 'USA', coalesce(c.iso3, '?' || raw.us_partner_iso3), '{flow}', 'TOTAL', 0,
                       raw.{column} * 1e6, 'FOB', NULL, 'us_census_general', {int(ctx.dataset_id)}, NULL, NULL,
                       TRUE, raw.line
                FROM census_totals_raw AS raw
                LEFT JOIN countries c ON c.iso3 = upper(trim(raw.us_partner_iso3))
                """
            )
        ctx.con.execute("DROP TABLE census_totals_raw")
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT_TOTALS) from None
    return TOTALS_LABELS


__all__ = ["EUROPEAN_UNION", "matches_hs10", "matches_totals", "stage_hs10", "stage_totals"]


HS10_FORMAT = TradeFormat("us_census_hs10_parquet", "us_census_consumption", "US Census Bureau", PARQUET,
                          lambda probe: matches_hs10(probe.sniff, probe.parquet_columns()), stage_hs10,
                          text_lines=False)  # fmt: skip
TOTALS_FORMAT = TradeFormat("us_census_totals_csv", "us_census_general", "US Census Bureau", TEXT,
                            lambda probe: matches_totals(probe.sniff), stage_totals, text_lines=True,
                            columns=TOTALS_COLUMNS)  # fmt: skip
