"""DIAN/DANE Colombian exports by destination, monthly (FOB USD millions, net weight in thousand tonnes).

Options (manifest): `provisional_years`, and `not_comparable_from` with `not_comparable_note` (from 2025 DIAN
withholds many destinations, so partner figures are not comparable with earlier years): see
`etl.sources.base.record_year_flags`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.detect import Sniff
from etl.errors import InputError
from etl.schema import STAGED_TABLE
from etl.sources.base import (
    MAX_RECORD_BYTES,
    TEXT,
    LoadContext,
    TradeColumnLabels,
    TradeFormat,
    check_header,
    data_lines,
    duckdb_read_error,
    first_reject,
    record_year_flags,
)
from etl.sources.numbers import read_frame_numbers, separators_refused

LABELS = TradeColumnLabels(
    year="month", reporter="(Colombia)", partner="destination", flow="(exports)", hs_code="(total)",
    value="fob_usd_million",
)  # fmt: skip
HINT = "columns: month (YYYY-MM), destination, fob_usd_million, net_weight_thousand_tonnes"
REQUIRED = ("month", "destination", "fob_usd_million")
COLUMNS = (*REQUIRED, "net_weight_thousand_tonnes")


def matches(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"month", "destination", "fob_usd_million"} <= set(sniff.header)


NUMERIC = ("fob_usd_million", "net_weight_thousand_tonnes")


def _read(ctx: LoadContext, types: dict[str, str]) -> tuple[pd.DataFrame, InputError | None]:
    """The file's rows (each with the line it starts on) and the first row the reader refused, if any."""
    encoding = "latin-1" if ctx.sniff.encoding == "latin-1" else "utf-8"
    frame = ctx.con.execute(
        "SELECT * FROM read_csv(?, header = true, types = ?, "
        "encoding = ?, store_rejects = true, rejects_table = 'dian_rejects', rejects_scan = 'dian_rejects_scan', "
        f"max_line_size = {MAX_RECORD_BYTES})",
        [str(ctx.path), types, encoding],
    ).df()
    problem = first_reject(ctx.con, ctx.path, "dian_rejects", HINT, encoding=ctx.sniff.encoding,
                           delimiter=ctx.sniff.delimiter)  # fmt: skip
    ctx.con.execute("DROP TABLE IF EXISTS dian_rejects; DROP TABLE IF EXISTS dian_rejects_scan")
    frame["line"] = data_lines(ctx, len(frame))  # result order is file order (insertion order preserved)
    return frame, problem


def stage(ctx: LoadContext) -> TradeColumnLabels:
    check_header(ctx, ctx.sniff.header, REQUIRED, HINT)
    types = {"month": "VARCHAR", "destination": "VARCHAR", "fob_usd_million": "DOUBLE",
             "net_weight_thousand_tonnes": "DOUBLE"}  # fmt: skip
    types = {k: v for k, v in types.items() if k in ctx.sniff.header}
    numeric = [name for name in NUMERIC if name in types]
    weight = (
        "raw.net_weight_thousand_tonnes * 1e6" if "net_weight_thousand_tonnes" in ctx.sniff.header else "NULL"
    )
    try:
        frame, problem = _read(ctx, types)
        if separators_refused(problem, numeric):  # '"1,005.5"': read the numbers as text, in the file's style
            frame, problem = _read(ctx, types | {name: "VARCHAR" for name in numeric})
            if problem is None:
                read_frame_numbers(ctx, frame, numeric, list(frame["line"]), HINT)
        if problem:
            raise problem
        ctx.con.register("dian_frame", frame)
        ctx.con.execute("CREATE OR REPLACE TEMP TABLE dian_raw AS SELECT * FROM dian_frame")
        ctx.con.unregister("dian_frame")
        bad = ctx.con.execute(
            "SELECT line, month FROM dian_raw WHERE NOT regexp_full_match(coalesce(month, ''), '\\d{4}-\\d{2}') "
            "OR TRY_CAST(substr(month, 6, 2) AS INTEGER) NOT BETWEEN 1 AND 12 ORDER BY line LIMIT 1"
        ).fetchone()
        if bad:
            raise ctx.error(f"month {bad[1]!r} is not YYYY-MM", line=int(bad[0]), column="month", hint=HINT)
        ctx.con.execute(
            f"""
            INSERT INTO {STAGED_TABLE}
            SELECT CAST(substr(raw.month, 1, 4) AS INTEGER), replace(raw.month, '-', ''), 'COL',
                   coalesce(n.iso3, '?' || raw.destination), 'export', 'TOTAL', 0, raw.fob_usd_million * 1e6,
                   'FOB', {weight}, 'dian', {int(ctx.dataset_id)}, NULL, NULL, TRUE, raw.line
            FROM dian_raw raw
            LEFT JOIN country_names n ON n.name_key = lower(strip_accents(trim(raw.destination)))
            """
        )
        years = {
            int(r[0]) for r in ctx.con.execute("SELECT DISTINCT substr(month, 1, 4) FROM dian_raw").fetchall()
        }
        record_year_flags(ctx, "dian", years)
        ctx.con.execute("DROP TABLE dian_raw")
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT) from None
    return LABELS


FORMAT = TradeFormat("dian_exports_csv", "dian", "DIAN / DANE", TEXT, lambda probe: matches(probe.sniff), stage,
                     text_lines=True, columns=COLUMNS)  # fmt: skip
