"""UN Comtrade annual export totals as trade-network edges: `exporter, importer, year, value_usd`.

Each row is the exporter's reported exports (Comtrade `primaryValue`, FOB, US dollars, all goods) to one
partner in one year, as extracted from Comtrade+ with the breakdown rows already dropped (motCode 0,
partner2Code 0, customsCode C00). Codes are ISO3. The reporter is the exporter; there is no World row.
`provisional_years` (option) lists the years the compiler says may still be incomplete or revised; they go to
`provisional`.
"""

from __future__ import annotations

import math

import pandas as pd

from etl.detect import Sniff
from etl.schema import STAGED_TABLE
from etl.sources.base import TEXT, LoadContext, TradeColumnLabels, TradeFormat, check_header, read_records
from etl.sources.numbers import parse, style_of

SOURCE = "comtrade"
COLUMNS = ("exporter", "importer", "year", "value_usd")
LABELS = TradeColumnLabels(
    year="year",
    reporter="exporter",
    partner="importer",
    flow="(exports)",
    hs_code="(total)",
    value="value_usd",
)
HINT = "columns: exporter, importer (ISO3 codes), year, value_usd (exports FOB in US dollars, all goods)"


def matches(sniff: Sniff) -> bool:
    return sniff.kind == "text" and set(sniff.header) == set(COLUMNS)


def stage(ctx: LoadContext) -> TradeColumnLabels:
    check_header(ctx, ctx.sniff.header, COLUMNS, HINT)
    records = []
    rows = read_records(ctx)
    # Values may be written with separators ('"1,334,162,658.44"'): read in the file's own style.
    style = style_of(ctx, {"value_usd": [row.cells["value_usd"] for row in rows]})
    for row in rows:
        if not row.complete:
            raise ctx.error("wrong number of fields", line=row.line, hint=HINT)
        year_text = str(row.cells["year"]).strip()
        if not year_text.isdigit():
            raise ctx.error(f"year {year_text!r} is not a four-digit year", line=row.line_of("year"), column="year",
                            hint=HINT)  # fmt: skip
        value_text = str(row.cells["value_usd"]).strip()
        value = parse(value_text, style)
        if value is None or not math.isfinite(value) or value < 0:
            raise ctx.error(f"value_usd {value_text!r} is not a non-negative number", line=row.line_of("value_usd"),
                            column="value_usd", hint=HINT)  # fmt: skip
        records.append((int(year_text), str(row.cells["exporter"]).strip().upper(),
                        str(row.cells["importer"]).strip().upper(), value, row.line))  # fmt: skip
    if not records:
        raise ctx.error("no rows to load", line=2, hint=HINT)
    frame = pd.DataFrame(records, columns=["year", "exporter", "importer", "value_usd", "source_line"])
    ctx.con.register("edges_frame", frame)
    ctx.con.execute(
        f"""
        INSERT INTO {STAGED_TABLE} (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd,
                                    valuation, net_weight_kg, source, dataset_id, duty_usd, hs_vintage,
                                    valuation_stated, source_line)
        SELECT f.year, CAST(f.year AS VARCHAR), coalesce(r.iso3, '?' || f.exporter),
               coalesce(p.iso3, '?' || f.importer), 'export', 'TOTAL', 0, f.value_usd, 'FOB', NULL,
               '{SOURCE}', {int(ctx.dataset_id)}, NULL, NULL, TRUE, f.source_line
        FROM edges_frame f
        LEFT JOIN countries r ON r.iso3 = f.exporter
        LEFT JOIN countries p ON p.iso3 = f.importer
        """
    )
    ctx.con.unregister("edges_frame")
    provisional = {int(year) for year in ctx.options.get("provisional_years", [])}
    years = sorted({int(y) for y in frame["year"]} & provisional)
    if years:
        ctx.con.executemany(
            "INSERT INTO provisional VALUES (?, ?, ?, ?)",
            [[SOURCE, year, ctx.dataset_id, "may be incomplete or revised (compiler)"] for year in years],
        )
    return LABELS


FORMAT = TradeFormat("comtrade_export_edges_csv", SOURCE, "UN Comtrade", TEXT, lambda probe: matches(probe.sniff), stage,
                     text_lines=True, columns=COLUMNS)  # fmt: skip
