"""Printed figures: one number per row with its publisher, page and exact quote.

Every row goes to `published_figures`. `trade` gets ONE value per observation (year, reporter, partner,
flow), because several pages often print the same number; the rule is the series of record's
(etl.record.choose_printed). The valuation is the one stated in the group when the pages state one; otherwise exports are FOB and
imports CIF by customs convention, and `valuation_stated` is FALSE.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.detect import Sniff
from etl.errors import InputError
from etl.record import choose_printed
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
from etl.years import FUTURE_HINT, year_problem

COLUMNS = (
    "year",
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "value_usd",
    "valuation",
    "publisher",
    "url",
    "quote",
)
LABELS = TradeColumnLabels(
    year="year",
    reporter="reporter_iso3",
    partner="partner_iso3",
    flow="flow",
    hs_code="(total)",
    value="value_usd",
)
HINT = "columns: " + ", ".join(COLUMNS) + "; one printed number per row"
PUBLISHED_FLOWS = ("export", "import", "balance", "total_trade")


def matches(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"publisher", "quote", "value_usd", "flow"} <= set(sniff.header)


def stage(ctx: LoadContext) -> TradeColumnLabels:
    check_header(ctx, ctx.sniff.header, COLUMNS, HINT)
    types = {name: "VARCHAR" for name in COLUMNS} | {"year": "INTEGER", "value_usd": "DOUBLE"}
    try:
        frame, problem = _read(ctx, types)
        if separators_refused(problem, ["value_usd"]):  # '"1,334,162,658"': read as text, in the file's style
            frame, problem = _read(ctx, types | {"value_usd": "VARCHAR"})
            if problem is None:
                read_frame_numbers(ctx, frame, ["value_usd"], list(frame["source_line"]), HINT)
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT) from None
    if problem:
        raise problem
    for position, row in frame.iterrows():
        line = int(row["source_line"])
        if row["flow"] not in PUBLISHED_FLOWS:
            raise ctx.error(f"unknown flow {row['flow']!r}", line=line, column="flow",
                            hint="flow is one of " + ", ".join(PUBLISHED_FLOWS))  # fmt: skip
        if row["valuation"] not in ("FOB", "CIF", "unknown"):
            raise ctx.error(f"unknown valuation {row['valuation']!r}", line=line, column="valuation",
                            hint="valuation is FOB, CIF or unknown")  # fmt: skip
        if pd.isna(row["value_usd"]):
            raise ctx.error("value_usd is empty", line=line, column="value_usd", hint=HINT)
        why = year_problem(int(row["year"])) if not pd.isna(row["year"]) else "the year is missing"
        if why:
            raise ctx.error(why, line=line, column="year", hint=FUTURE_HINT)
        if not str(row["publisher"] or "").strip():
            raise ctx.error("publisher is empty", line=line, column="publisher",
                            hint="every printed number needs its publisher")  # fmt: skip
        del position
    frame["chosen"] = choose_printed(frame)
    frame["dataset_id"] = ctx.dataset_id
    ctx.con.register("published_frame", frame)
    ctx.con.execute(
        """
        INSERT INTO published_figures
        SELECT year, reporter_iso3, partner_iso3, flow, value_usd, valuation, publisher, url, quote, chosen,
               dataset_id FROM published_frame
        """
    )
    ctx.con.execute(
        f"""
        INSERT INTO {STAGED_TABLE}
        SELECT f.year, CAST(f.year AS VARCHAR), coalesce(r.iso3, '?' || f.reporter_iso3),
               coalesce(p.iso3, '?' || f.partner_iso3), f.flow, 'TOTAL', 0, f.value_usd,
               CASE WHEN f.stated_valuation IS NOT NULL THEN f.stated_valuation
                    WHEN f.flow = 'export' THEN 'FOB' ELSE 'CIF' END,
               NULL, 'published', {int(ctx.dataset_id)}, NULL, NULL, f.stated_valuation IS NOT NULL, f.source_line
        FROM published_frame f
        LEFT JOIN countries r ON r.iso3 = f.reporter_iso3
        LEFT JOIN countries p ON p.iso3 = f.partner_iso3
        WHERE f.chosen AND f.flow IN ('export', 'import')
        """
    )
    ctx.con.unregister("published_frame")
    record_year_flags(ctx, "published", {int(y) for y in frame["year"]})
    return LABELS


def _read(ctx: LoadContext, types: dict[str, str]) -> tuple[pd.DataFrame, InputError | None]:
    """Every row (with the line it starts on: quotes may hold line breaks) and the first row the reader refused."""
    frame = ctx.con.execute(
        "SELECT *, NULL AS _ FROM read_csv(?, header = true, types = ?, store_rejects = true, "
        f"rejects_table = 'pub_rejects', rejects_scan = 'pub_rejects_scan', max_line_size = {MAX_RECORD_BYTES})",
        [str(ctx.path), types],
    ).df()
    problem = first_reject(ctx.con, ctx.path, "pub_rejects", HINT, encoding=ctx.sniff.encoding,
                           delimiter=ctx.sniff.delimiter)  # fmt: skip
    ctx.con.execute("DROP TABLE IF EXISTS pub_rejects; DROP TABLE IF EXISTS pub_rejects_scan")
    frame = frame.drop(columns="_")
    frame["source_line"] = data_lines(ctx, len(frame))
    return frame, problem


FORMAT = TradeFormat("published_figures_csv", "published", "various (see published_figures)", TEXT,
                     lambda probe: matches(probe.sniff), stage, text_lines=True, columns=COLUMNS)  # fmt: skip
