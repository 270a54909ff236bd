"""Checks on freshly staged trade rows, before they join the live table.

Rows of the file being loaded sit in the temporary table `staged_trade` with the physical line they came
from where the adapter knows it (`source_line`). Every failed check names the file, line and column.
"""

from __future__ import annotations

from collections.abc import Callable

from etl.errors import InputError
from etl.schema import FLOWS, TRADE_COLUMNS, TRADE_KEY, VALUATIONS
from etl.sources.base import LoadContext, TradeColumnLabels

STAGED_TABLE = "staged_trade"

LineFinder = Callable[[str, Callable[[str], bool]], int | None]


def create_staging(ctx: LoadContext) -> None:
    columns = ", ".join(f"{name} {kind.replace(' NOT NULL', '')}" for name, kind in TRADE_COLUMNS.items())
    ctx.con.execute(f"CREATE OR REPLACE TEMP TABLE {STAGED_TABLE} ({columns}, source_line BIGINT)")


def _first(ctx: LoadContext, where: str) -> tuple | None:
    return ctx.con.execute(
        f"SELECT source_line, reporter_iso3, partner_iso3, value_usd, hs_code, year FROM {STAGED_TABLE} "  # noqa: S608
        f"WHERE {where} ORDER BY source_line NULLS LAST LIMIT 1"
    ).fetchone()


def validate_staged(ctx: LoadContext, labels: TradeColumnLabels, find_line: LineFinder | None = None) -> int:
    """Validate staged rows; drop exact duplicates; raise InputError on the first problem. Returns rows kept."""

    def line_of(row: tuple | None, column: str, predicate: Callable[[str], bool]) -> int | None:
        if row is not None and row[0] is not None:
            return int(row[0])
        return find_line(column, predicate) if find_line else None

    row = _first(ctx, "reporter_iso3 LIKE '?%' OR reporter_iso3 IS NULL")
    if row:
        code = (row[1] or "?")[1:]
        raise ctx.error(
            f"unknown reporter code {code!r}",
            line=line_of(row, labels.reporter, lambda v: v == code),
            column=labels.reporter,
            hint="use UN Comtrade / ISO 3166 country codes; see the countries table (`balanza status`)",
        )
    row = _first(ctx, "partner_iso3 LIKE '?%' OR partner_iso3 IS NULL")
    if row:
        code = (row[2] or "?")[1:]
        raise ctx.error(
            f"unknown partner code {code!r}",
            line=line_of(row, labels.partner, lambda v: v == code),
            column=labels.partner,
            hint="use UN Comtrade / ISO 3166 country codes; see the countries table",
        )
    row = _first(ctx, "value_usd IS NULL OR isnan(value_usd) OR isinf(value_usd)")
    if row:
        raise ctx.error(
            "trade value is missing or not a finite number",
            line=line_of(row, labels.value, lambda v: v.lower() in {"", "nan", "inf", "-inf", "infinity"}),
            column=labels.value,
            hint="every row needs a numeric trade value in US dollars",
        )
    row = _first(ctx, "value_usd < 0")
    if row:
        raise ctx.error(
            f"negative trade value {row[3]:,.2f}",
            line=line_of(row, labels.value, lambda v: v.startswith("-")),
            column=labels.value,
            hint="trade values cannot be negative; check the column mapping or the source",
        )
    row = _first(ctx, "year IS NULL OR year < 1900 OR year > 2100")
    if row:
        raise ctx.error(
            f"implausible year {row[5]!r}",
            line=line_of(row, labels.year, lambda v: not v.isdigit() or not 1900 <= int(v) <= 2100),
            column=labels.year,
            hint="years must be four-digit calendar years",
        )
    row = _first(
        ctx,
        "NOT (hs_code = 'TOTAL' AND hs_level = 0) AND NOT (regexp_full_match(hs_code, '[0-9]+') "
        "AND length(hs_code) = hs_level AND hs_level IN (2, 4, 6, 8, 10))",
    )
    if row:
        code = row[4]
        raise ctx.error(
            f"invalid HS code {code!r}",
            line=line_of(row, labels.hs_code, lambda v: v == code),
            column=labels.hs_code,
            hint="HS codes are 'TOTAL' or 2/4/6/8/10 digits (keep leading zeros: save the column as text)",
        )
    bad = ctx.con.execute(
        f"SELECT flow, valuation FROM {STAGED_TABLE} WHERE flow NOT IN {FLOWS} OR valuation NOT IN {VALUATIONS} LIMIT 1"  # noqa: S608
    ).fetchone()
    if bad:
        raise ctx.error(f"unsupported flow/valuation {bad!r}", column=labels.flow)
    _check_duplicates(ctx, labels, find_line)
    return ctx.con.execute(f"SELECT count(*) FROM {STAGED_TABLE}").fetchone()[0]  # noqa: S608


def _check_duplicates(ctx: LoadContext, labels: TradeColumnLabels, find_line: LineFinder | None) -> None:
    key = ", ".join(TRADE_KEY)
    conflict = ctx.con.execute(
        f"""
        SELECT {key}, list(source_line ORDER BY source_line), max(value_usd), count(DISTINCT value_usd)
        FROM {STAGED_TABLE} GROUP BY ALL HAVING count(*) > 1
        ORDER BY count(DISTINCT value_usd) DESC LIMIT 1
        """  # noqa: S608
    ).fetchone()
    if conflict is None:
        return
    lines = [line for line in conflict[-3] if line is not None]
    if conflict[-1] > 1:
        if len(lines) < 2 and find_line is not None:
            second_value = conflict[-2]
            line = find_line(labels.value, lambda text: _as_float(text) == second_value)
            lines = [line] if line else []
        where = f"lines {lines[0]} and {lines[1]}" if len(lines) >= 2 else "this row and an earlier one"
        raise InputError(
            ctx.path,
            f"conflicting duplicate rows for {conflict[1]}→{conflict[2]} {conflict[3]} {conflict[4]} "
            f"HS {conflict[5]}: {where} give different values",
            line=lines[-1] if lines else None,
            hint="keep one row per reporter, partner, flow, period and product (drop breakdown rows)",
        )
    # Exact repeats of one observation (seen in real Comtrade downloads): keep one copy.
    ctx.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {STAGED_TABLE} AS "  # noqa: S608
        f"SELECT * FROM {STAGED_TABLE} QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY source_line) = 1"
    )


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def check_overlap_with_loaded(ctx: LoadContext, replacing_dataset_id: int | None) -> None:
    """Refuse observations another file of the same source already holds: summing both would double count."""
    key_join = " AND ".join(f"t.{name} = s.{name}" for name in TRADE_KEY)
    row = ctx.con.execute(
        f"""
        SELECT s.source_line, s.reporter_iso3, s.partner_iso3, s.flow, s.period, s.hs_code, d.path
        FROM {STAGED_TABLE} s JOIN trade t ON {key_join}
        JOIN datasets d ON d.dataset_id = t.dataset_id
        WHERE t.dataset_id IS DISTINCT FROM ?
        LIMIT 1
        """,  # noqa: S608
        [replacing_dataset_id],
    ).fetchone()
    if row:
        raise InputError(
            ctx.path,
            f"observation {row[1]}→{row[2]} {row[3]} {row[4]} HS {row[5]} is already loaded from {row[6]}",
            line=row[0],
            hint="load each observation from one file only; to replace that file's data, load its new version "
            "under the same path",
        )


def insert_staged(ctx: LoadContext) -> int:
    columns = ", ".join(TRADE_COLUMNS)
    ctx.con.execute(f"INSERT INTO trade ({columns}) SELECT {columns} FROM {STAGED_TABLE}")  # noqa: S608
    count = ctx.con.execute(f"SELECT count(*) FROM {STAGED_TABLE}").fetchone()[0]  # noqa: S608
    ctx.con.execute(f"DROP TABLE {STAGED_TABLE}")
    return count
