"""Checks on a file's freshly inserted trade rows, inside the load's transaction.

Adapters insert straight into `trade` under the new dataset_id (one copy of the data, no staging table);
these checks then run over that dataset's rows. The first failed check raises an InputError naming the
file, line and column, and the caller's transaction is discarded, so the live database never sees the rows.
One scan answers "is anything wrong?"; the slower queries that locate the first bad row run only on failure.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from etl.db import first_row, one_row
from etl.errors import InputError, OverlapError
from etl.schema import FLOWS, STAGED_TABLE, TRADE_KEY, VALUATIONS
from etl.sources.base import LineFinder, LoadContext, TradeColumnLabels, field_line, refine_line
from etl.sources.numbers import parse
from etl.years import FIRST_YEAR, FUTURE_HINT, latest_month, latest_year, year_problem

# In a write session: the staged rows and every stored (Parquet) row, for comparisons with what is loaded.
ALL_TABLE = "trade_all"

# The largest value one observation may take: a year of all world trade in goods is about 3e13 USD, so a value
# above 1e14 is a unit or parsing error (thousands separators, cents, a wrong power of ten), never a statistic.
MAX_VALUE_USD = 1e14
HS_CLASSIFICATIONS = ("H0", "H1", "H2", "H3", "H4", "H5", "H6", "HS")

_CHECKS = {
    "reporter": "reporter_iso3 IS NULL OR reporter_iso3 LIKE '?%'",
    "partner": "partner_iso3 IS NULL OR partner_iso3 LIKE '?%'",
    "reporter_iso": "reporter_iso3 LIKE '!%'",
    "partner_iso": "partner_iso3 LIKE '!%'",
    "flow_code": "flow LIKE '?%'",
    "classification": f"hs_vintage IS NOT NULL AND upper(hs_vintage) NOT IN {HS_CLASSIFICATIONS}",
    "value": "value_usd IS NULL OR isnan(value_usd) OR isinf(value_usd)",
    "negative": "value_usd < 0",
    "magnitude": f"value_usd > {MAX_VALUE_USD}",
    "year": f"year IS NULL OR year < {FIRST_YEAR} OR period IS NULL",
    "future": "$future",  # filled in per load: the current date and the years the source marks provisional
    "period": "NOT regexp_full_match(period, '[0-9]{4}(0[1-9]|1[0-2])?') OR TRY_CAST(substr(period, 1, 4) AS INTEGER) <> year",
    # A country does not export to itself; imports of its own goods (returned, or from free-trade zones) exist.
    "self": "reporter_iso3 = partner_iso3 AND flow IN ('export', 're-export')",
    "hs": "hs_code IS NULL OR hs_level IS NULL OR NOT ((hs_code = 'TOTAL' AND hs_level = 0) OR "
    "(regexp_full_match(hs_code, '[0-9]+') AND length(hs_code) = hs_level AND hs_level IN (2, 4, 6, 8, 10)))",
    "flow": f"flow IS NULL OR valuation IS NULL OR flow NOT IN {FLOWS} OR valuation NOT IN {VALUATIONS} "
    "OR source IS NULL OR valuation_stated IS NULL",
}


def _future_check(ctx: LoadContext) -> str:
    """Rows dated after today: a year after the current one, or a month after the current month. Figures the
    adapter recorded in `provisional` for this file may be dated up to the end of next year."""
    marked = ctx.con.execute(
        "SELECT DISTINCT source, year FROM provisional WHERE dataset_id = ?", [ctx.dataset_id]
    ).fetchall()
    provisional = (
        " OR ".join(f"(source = '{str(source).replace(chr(39), chr(39) * 2)}' AND year = {int(year)})"
                    for source, year in marked) or "FALSE"
    )  # fmt: skip
    return (
        f"CASE WHEN ({provisional}) THEN year > {latest_year(provisional=True)} "
        f"ELSE year > {latest_year()} OR (length(period) = 6 "
        f"AND coalesce(TRY_CAST(period AS INTEGER) > {latest_month()}, FALSE)) END"
    )


def _checks(ctx: LoadContext) -> dict[str, str]:
    return {
        name: _future_check(ctx) if condition == "$future" else condition
        for name, condition in _CHECKS.items()
    }


def _first(ctx: LoadContext, where: str) -> tuple[Any, ...]:
    """The first staged row failing a check the counts have shown to fail."""
    return one_row(
        ctx.con,
        f"SELECT source_line, reporter_iso3, partner_iso3, value_usd, hs_code, year, period, flow, hs_vintage "
        f"FROM {STAGED_TABLE} "
        f"WHERE dataset_id = ? AND ({where}) ORDER BY source_line NULLS LAST LIMIT 1",
        [ctx.dataset_id],
    )


def validate_staged(ctx: LoadContext, labels: TradeColumnLabels, find_line: LineFinder | None = None) -> int:
    """Validate the dataset's rows; drop exact repeats; raise InputError on the first problem. Returns rows kept."""
    checks = _checks(ctx)
    counts_sql = ", ".join(
        f"count(*) FILTER (WHERE {condition}) AS {name}" for name, condition in checks.items()
    )
    key_hash = f"hash({', '.join(TRADE_KEY)})"
    row = one_row(
        ctx.con,
        f"SELECT count(*), count(DISTINCT {key_hash}), {counts_sql} FROM {STAGED_TABLE} WHERE dataset_id = ?",
        [ctx.dataset_id],
    )
    total, distinct_keys = row[0], row[1]
    failures = {name for name, count in zip(checks, row[2:], strict=True) if count}
    if failures:
        _raise_first_failure(ctx, labels, find_line, failures, checks)
    if distinct_keys < total:
        _check_duplicates(ctx, labels, find_line)
    return ctx.con.execute(
        f"SELECT count(*) FROM {STAGED_TABLE} WHERE dataset_id = ?", [ctx.dataset_id]
    ).fetchall()[0][0]


def _any_column_is(columns: tuple[str, ...], value: str) -> Callable[[dict[str, str]], bool]:
    """A row predicate: one of ``columns`` holds ``value``."""
    return lambda row: any(row.get(column) == value for column in columns)


def _row_line(ctx: LoadContext, predicate: Callable[[dict[str, str]], bool], column: str) -> int | None:
    """Line of ``column``'s field in the first CSV data row (a dict of its stripped cells) that satisfies
    ``predicate`` (a quoted field may hold line breaks: the line is the field's, not the row's first)."""
    if ctx.sniff.kind != "text":
        return None
    import csv

    with open(ctx.path, encoding=ctx.sniff.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=ctx.sniff.delimiter)
        header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
        for cells in reader:
            if predicate(dict(zip(header, (cell.strip() for cell in cells), strict=False))):
                index = header.index(column) if column in header else 0
                return field_line(reader.line_num, cells, min(index, max(len(cells) - 1, 0)))
    return None


def _line_in_record(ctx: LoadContext, start: int, column: str) -> int:
    """The line ``column``'s field starts on in the CSV record that starts on line ``start`` (as adapters store it)."""
    if ctx.sniff.kind != "text" or column not in ctx.sniff.header:
        return start
    return refine_line(ctx.path, ctx.sniff.encoding, ctx.sniff.delimiter, start, column)


def _period_column(ctx: LoadContext, labels: TradeColumnLabels) -> str:
    """The column a period problem is named in: the file's period (or month) column, else its year column."""
    if ctx.sniff.kind != "text":
        return "period"
    return next((name for name in ("period", "Period", "month") if name in ctx.sniff.header), labels.year)


def _raise_first_failure(
    ctx: LoadContext,
    labels: TradeColumnLabels,
    find_line: LineFinder | None,
    failures: set[str],
    checks: dict[str, str],
) -> None:
    def line_of(row: tuple | None, column: str, predicate: Callable[[str], bool]) -> int | None:
        if row is not None and row[0] is not None:
            return _line_in_record(ctx, int(row[0]), column)
        return find_line(column, predicate) if find_line else None

    if "reporter" in failures:
        row = _first(ctx, checks["reporter"])
        code = (row[1] or "?")[1:]
        raise ctx.error(
            f"unknown reporter code {code!r}",
            line=line_of(row, labels.reporter, lambda v: v == code),
            column=labels.reporter,
            hint="use UN Comtrade / ISO 3166 country codes; see the countries table (`balanza status`)",
        )
    if "partner" in failures:
        row = _first(ctx, checks["partner"])
        code = (row[2] or "?")[1:]
        raise ctx.error(
            f"unknown partner code {code!r}",
            line=line_of(row, labels.partner, lambda v: v == code),
            column=labels.partner,
            hint="use UN Comtrade / ISO 3166 country codes; see the countries table",
        )
    for side, label in (("reporter", labels.reporter), ("partner", labels.partner)):
        if f"{side}_iso" in failures:
            row = _first(ctx, checks[f"{side}_iso"])
            from_code, in_file = (row[1] if side == "reporter" else row[2])[1:].split("|", 1)
            iso_columns = (f"{side}ISO", f"{side.title()} ISO")
            raise ctx.error(
                f"the {side} ISO3 code {in_file!r} contradicts the {side} code, which is {from_code}",
                line=_line_in_record(ctx, int(row[0]), label)
                if row[0] is not None
                else _row_line(ctx, _any_column_is(iso_columns, in_file), label),
                column=label,
                hint="the numeric code and the ISO3 column must name the same country; download the file again "
                "(or correct the column that is wrong)",
            )
    if "flow_code" in failures:
        row = _first(ctx, checks["flow_code"])
        code = row[7][1:]
        raise ctx.error(
            f"unknown flow code {code!r}",
            line=line_of(row, labels.flow, lambda v: v.strip().upper() == code.upper()),
            column=labels.flow,
            hint="flows are X (exports), M (imports), RX (re-exports), RM (re-imports) or a Comtrade breakdown "
            "(DX, FM, XIP, MIP, XOP, MOP); no row was loaded, so none was lost silently",
        )
    if "classification" in failures:
        row = _first(ctx, checks["classification"])
        code = row[8]
        kind = "SITC" if code.upper().startswith("S") else "BEC" if code.upper().startswith("B") else "non-HS"
        column = "Classification" if "Classification" in ctx.sniff.header else "classificationCode"
        raise ctx.error(
            f"classification {code!r} ({kind}) is not the Harmonized System: its product codes are not HS codes",
            line=line_of(row, column, lambda v: v.strip() == code),
            column=column,
            hint="Balanza loads HS classifications only (H0-H6); download the data in HS",
        )
    if "value" in failures:
        row = _first(ctx, checks["value"])
        raise ctx.error(
            "trade value is missing or not a finite number",
            line=line_of(
                row, labels.value, lambda v: not math.isfinite(parse(v, ctx.number_style) or math.nan)
            ),
            column=labels.value,
            hint="every row needs a numeric trade value in US dollars",
        )
    if "negative" in failures:
        row = _first(ctx, checks["negative"])
        raise ctx.error(
            f"negative trade value {row[3]:,.2f}",
            line=line_of(row, labels.value, lambda v: v.startswith("-")),
            column=labels.value,
            hint="trade values cannot be negative; check the column mapping or the source",
        )
    if "magnitude" in failures:
        row = _first(ctx, checks["magnitude"])
        raise ctx.error(
            f"implausible trade value {row[3]:.4g} USD: more than {MAX_VALUE_USD:.0e} USD, above a year of all "
            "world trade",
            line=line_of(row, labels.value, lambda v: (_as_float(v) or 0.0) > MAX_VALUE_USD),
            column=labels.value,
            hint="check the units (dollars, not cents or thousands) and the number format of the column",
        )
    if "year" in failures:
        row = _first(ctx, checks["year"])
        shown = "missing or not a whole number" if row[5] is None else repr(row[5])
        raise ctx.error(
            f"implausible year {shown}",
            line=line_of(row, labels.year, lambda v: not v.isdigit() or int(v) < FIRST_YEAR),
            column=labels.year,
            hint="years must be four-digit calendar years",
        )
    if "future" in failures:
        row = _first(ctx, checks["future"])
        year, period = int(row[5]), str(row[6])
        provisional = latest_year(provisional=True) >= year and _marked_provisional(ctx, year)
        problem = year_problem(year, provisional=provisional)
        if problem is not None:
            raise ctx.error(
                problem,
                line=line_of(row, labels.year, lambda v: v.strip().startswith(str(year))),
                column=labels.year,
                hint=FUTURE_HINT,
            )
        month = latest_month()
        raise ctx.error(
            f"period {period} is after the current month ({month // 100}-{month % 100:02d}): no statistics exist "
            "for it yet",
            line=line_of(row, _period_column(ctx, labels), lambda v: v.strip().replace("-", "") == period),
            column=_period_column(ctx, labels),
            hint=FUTURE_HINT,
        )
    if "period" in failures:
        row = _first(ctx, checks["period"])
        column = _period_column(ctx, labels)
        # '!period|column=value': the row's own metadata contradicts its period (etl/sources/comtrade.py)
        if str(row[6]).startswith("!"):
            period, declared = str(row[6])[1:].split("|", 1)
            name, value = declared.split("=", 1)
            meaning = {"A": " (annual: the period is YYYY)", "M": " (monthly: the period is YYYYMM)"}
            raise ctx.error(
                f"period {period!r} contradicts {name} {value!r} of the same row"
                + (meaning.get(value, "") if name == "freqCode" else ""),
                line=line_of(row, "period", lambda v: v.strip() == period),
                column=name,
                hint="the row describes two different periods; download the file again (or correct the column "
                "that is wrong)",
            )
        raise ctx.error(
            f"period {row[6]!r} is not the year {row[5]} or one of its months (YYYY or YYYYMM, month 01-12)",
            line=line_of(row, column, lambda v: v.strip() == row[6]),
            column=column,
            hint="the period must be the reference year, or that year followed by a month 01-12",
        )
    if "self" in failures:
        row = _first(ctx, checks["self"])
        raise ctx.error(
            f"{row[1]} reports {row[7]}s to itself",
            line=_line_in_record(ctx, int(row[0]), labels.partner)
            if row[0] is not None
            else _row_line(
                ctx,
                lambda r: (
                    r.get(labels.reporter) is not None and r.get(labels.reporter) == r.get(labels.partner)
                ),
                labels.partner,
            ),
            column=labels.partner,
            hint="reporter and partner must differ for exports; check the partner column",
        )
    if "hs" in failures:
        row = _first(ctx, checks["hs"])
        code = row[4]
        raise ctx.error(
            f"invalid HS code {code!r}",
            line=line_of(row, labels.hs_code, lambda v: v == (code or "")),
            column=labels.hs_code,
            hint="HS codes are 'TOTAL' or 2/4/6/8/10 digits (keep leading zeros: save the column as text)",
        )
    row = _first(ctx, checks["flow"])
    raise ctx.error("unsupported or missing flow/valuation", line=row[0], column=labels.flow)


def _marked_provisional(ctx: LoadContext, year: int) -> bool:
    found = ctx.con.execute(
        "SELECT count(*) FROM provisional WHERE dataset_id = ? AND year = ?", [ctx.dataset_id, year]
    ).fetchall()
    return bool(found[0][0])


def _check_duplicates(ctx: LoadContext, labels: TradeColumnLabels, find_line: LineFinder | None) -> None:
    key = ", ".join(TRADE_KEY)
    conflict = first_row(
        ctx.con,
        f"""
        SELECT {key}, list(source_line ORDER BY source_line), max(value_usd), count(DISTINCT value_usd)
        FROM {STAGED_TABLE} WHERE dataset_id = ? GROUP BY ALL HAVING count(*) > 1
        ORDER BY count(DISTINCT value_usd) DESC LIMIT 1
        """,
        [ctx.dataset_id],
    )
    if conflict is None:
        return  # only a hash collision
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
        f"""
        DELETE FROM {STAGED_TABLE} WHERE dataset_id = ? AND rowid IN (
            SELECT rowid FROM {STAGED_TABLE} WHERE dataset_id = ?
            QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY source_line, rowid) > 1
        )
        """,
        [ctx.dataset_id, ctx.dataset_id],
    )


def _not_finite(number: float | None) -> bool:
    return number is None or not math.isfinite(number)


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def check_overlap_with_loaded(ctx: LoadContext, replacing_dataset_id: int | None) -> None:
    """Refuse observations another file of the same source already holds: summing both would double count."""
    key_join = " AND ".join(f"t.{name} = s.{name}" for name in TRADE_KEY)
    # Loaded rows are read only where they can match: the new rows' sources, reporters and years, given as
    # constants so the scan skips every stored file and row group outside them (etl.store).
    bounds = first_row(
        ctx.con,
        f"SELECT list(DISTINCT source), list(DISTINCT reporter_iso3), min(year), max(year) FROM {STAGED_TABLE} "
        "WHERE dataset_id = ?",
        [ctx.dataset_id],
    )
    if not bounds or bounds[2] is None:
        return
    views = {
        r[0] for r in ctx.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    }
    loaded = ALL_TABLE if ALL_TABLE in views else "trade"
    params: dict[str, object] = {
        "first": bounds[2],
        "last": bounds[3],
        "id": ctx.dataset_id,
        "replacing": replacing_dataset_id,
    }
    params |= {f"s{i}": value for i, value in enumerate(bounds[0])}
    params |= {f"r{i}": value for i, value in enumerate(bounds[1])}
    sources = ", ".join(f"$s{i}" for i in range(len(bounds[0])))
    reporters = ", ".join(f"$r{i}" for i in range(len(bounds[1])))
    rows = ctx.con.execute(
        f"""
        SELECT s.source_line, s.reporter_iso3, s.partner_iso3, s.flow, s.period, s.hs_code, d.path
        FROM {STAGED_TABLE} s
        JOIN (SELECT * FROM {loaded} WHERE source IN ({sources}) AND reporter_iso3 IN ({reporters})
              AND year BETWEEN $first AND $last) t ON {key_join}
        JOIN datasets d ON d.dataset_id = t.dataset_id
        WHERE s.dataset_id = $id AND t.dataset_id <> $id AND t.dataset_id IS DISTINCT FROM $replacing
        LIMIT 1
        """,
        params,
    ).fetchall()
    if rows:
        row = rows[0]
        raise OverlapError(
            ctx.path,
            f"observation {row[1]}→{row[2]} {row[3]} {row[4]} HS {row[5]} is already loaded from {row[6]}",
            line=row[0],
            hint="load each observation from one file only; to replace that file's data, load its new version "
            "under the same path",
        )
