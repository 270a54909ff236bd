"""IMF Direction of Trade Statistics as served by the DBnomics mirror: one row per (area, indicator, counterpart,
year), `ref_area, indicator, counterpart, year, value`.

A later vintage than the IMF's own DOTS workbooks (`imf_dots`), loaded as its own series, `imf_dots_dbnomics`,
so the two vintages are never mixed inside one series: where both hold an observation the series of record
(etl/record.py) takes this one, and the pages say where a line changes vintage.

Areas are ISO 3166 alpha-2 codes (`country_iso2`), the World is IMF's `W00`; IMF aggregates of other areas
(codes such as `1C_080`, `A10`) are refused with the code named, never summed or guessed. Values are USD
millions. Indicators: `TXG_FOB_USD` (exports FOB), `TMG_CIF_USD` (imports CIF), `TMG_FOB_USD` (imports FOB).
A row whose value is empty or `NA` is a gap the IMF left, not a zero: it is not loaded (and counted in a note).
"""

from __future__ import annotations

import math

import pandas as pd

from etl.detect import Sniff
from etl.schema import MILLION, STAGED_TABLE, WORLD
from etl.sources.base import TEXT, LoadContext, TradeColumnLabels, TradeFormat, check_header, read_records
from etl.sources.numbers import parse, style_of

SOURCE = "imf_dots_dbnomics"
COLUMNS = ("ref_area", "indicator", "counterpart", "year", "value")
# IMF DOTS indicator code → (flow, valuation)
INDICATORS = {
    "TXG_FOB_USD": ("export", "FOB"),
    "TMG_CIF_USD": ("import", "CIF"),
    "TMG_FOB_USD": ("import", "FOB"),
}
IMF_WORLD = "W00"
GAPS = ("", "NA", "NAN")
LABELS = TradeColumnLabels(
    year="year",
    reporter="ref_area",
    partner="counterpart",
    flow="indicator",
    hs_code="(total)",
    value="value",
)
HINT = (
    "columns: ref_area, indicator, counterpart (ISO 3166 two-letter codes; W00 = World), year (YYYY), value "
    "(USD millions); indicators TXG_FOB_USD, TMG_CIF_USD or TMG_FOB_USD, annual"
)


def matches(sniff: Sniff) -> bool:
    return sniff.kind == "text" and set(COLUMNS) <= set(sniff.header) and "indicator" in sniff.header


def stage(ctx: LoadContext) -> TradeColumnLabels:
    check_header(ctx, ctx.sniff.header, COLUMNS, HINT)
    iso3 = dict(ctx.con.execute("SELECT iso2, iso3 FROM country_iso2").fetchall())
    if not iso3:
        raise ctx.error("the two-letter country code table is empty", hint="run `balanza build` first")
    iso3[IMF_WORLD] = WORLD
    records: list[tuple] = []
    gaps = 0
    rows = read_records(ctx)  # each field with the line it starts on (quoted fields may hold line breaks)
    # Values may be written with separators ('"1,830.91"'): read in the file's own style.
    style = style_of(ctx, {"value": [row.cells.get("value") for row in rows]})
    for record in rows:
        line = record.line
        if not record.complete or any(record.cells.get(name) is None for name in COLUMNS):
            raise ctx.error("wrong number of fields", line=line, hint=HINT)
        row = {name: value or "" for name, value in record.cells.items()}
        indicator = row["indicator"].strip().upper()
        if indicator not in INDICATORS:
            raise ctx.error(
                f"unknown indicator {row['indicator'].strip()!r}: not a flow of goods Balanza loads",
                line=record.line_of("indicator"),
                column="indicator",
                hint=HINT,
            )
        codes = []
        for column in ("ref_area", "counterpart"):
            code = row[column].strip().upper()
            if code not in iso3:
                raise ctx.error(
                    f"unknown {'area' if column == 'ref_area' else 'counterpart'} code {row[column].strip()!r} "
                    "(not an ISO 3166 two-letter code nor W00; IMF aggregates are not loaded)",
                    line=record.line_of(column),
                    column=column,
                    hint=HINT,
                )
            codes.append(iso3[code])
        year_text = row["year"].strip()
        if not (len(year_text) == 4 and year_text.isdigit()):
            raise ctx.error(
                f"year {year_text!r} is not a calendar year (YYYY): only annual rows are loaded",
                line=record.line_of("year"),
                column="year",
                hint=HINT,
            )
        value_text = row["value"].strip()
        if value_text.upper() in GAPS:
            gaps += 1
            continue
        parsed = parse(value_text, style)
        value = math.nan if parsed is None else parsed
        if not math.isfinite(value) or value < 0:
            raise ctx.error(
                f"value {value_text!r} is not a non-negative number (USD millions)",
                line=record.line_of("value"),
                column="value",
                hint=HINT,
            )
        flow, valuation = INDICATORS[indicator]
        records.append((int(year_text), codes[0], codes[1], flow, value * MILLION, valuation, line))
    if gaps:
        ctx.notes.append(f"{gaps:,} rows without a value (gaps the IMF left) not loaded")
    frame = pd.DataFrame(
        records,
        columns=["year", "reporter_iso3", "partner_iso3", "flow", "value_usd", "valuation", "source_line"],
    )
    ctx.con.register("dbnomics_frame", frame)
    ctx.con.execute(
        f"""
        INSERT INTO {STAGED_TABLE} (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd,
                                    valuation, net_weight_kg, source, dataset_id, duty_usd, hs_vintage,
                                    valuation_stated, source_line)
        SELECT year, CAST(year AS VARCHAR), reporter_iso3, partner_iso3, flow, 'TOTAL', 0, value_usd, valuation,
               NULL, '{SOURCE}', {int(ctx.dataset_id)}, NULL, NULL, TRUE, source_line
        FROM dbnomics_frame
        """
    )
    ctx.con.unregister("dbnomics_frame")
    return LABELS


FORMAT = TradeFormat("imf_dots_dbnomics_csv", SOURCE, "International Monetary Fund (via DBnomics)", TEXT,
                     lambda probe: matches(probe.sniff), stage, text_lines=True, columns=COLUMNS)  # fmt: skip
