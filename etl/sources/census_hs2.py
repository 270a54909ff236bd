"""US Census Bureau: 2024 imports for consumption by HS chapter, one file per partner (Census country code).

Columns `HS2, 2024_imports, 2024_duty, CTY_NAME, CTY_CODE` are Census figures (customs value, US dollars, and
calculated duty); `2025_tariff_increase` and `2024_tariff` are a repository author's modelled percentages and
are not loaded. Stored as source `us_census_hs2`, apart from the HS10 series `us_census_consumption` (the same
statistic at another level for 51 partners: never add the two). The bundled manifest loads every country file
and not the European Union file (code 0003), whose members are all loaded as countries, so a sum over
partners is the US total by chapter.
"""

from __future__ import annotations

import duckdb

from etl.detect import Sniff
from etl.schema import STAGED_TABLE
from etl.sources.base import (
    MAX_RECORD_BYTES,
    TEXT,
    LoadContext,
    TradeColumnLabels,
    TradeFormat,
    check_header,
    duckdb_read_error,
    with_lines,
)
from etl.sources.numbers import read_table_numbers

SOURCE = "us_census_hs2"
PUBLISHER = "US Census Bureau (imports for consumption by HS chapter)"
REQUIRED = ("HS2", "2024_imports", "2024_duty", "CTY_CODE")
LABELS = TradeColumnLabels(
    year="(2024)", reporter="(United States)", partner="CTY_CODE", flow="(imports)", hs_code="HS2",
    value="2024_imports",
)  # fmt: skip
HINT = "columns: HS2 (two digits), 2024_imports and 2024_duty (US dollars), CTY_CODE (Census country code)"
YEAR = 2024  # the value columns are named for the year


def matches(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"HS2", "2024_imports", "CTY_CODE"} <= set(sniff.header)


def stage(ctx: LoadContext) -> TradeColumnLabels:
    """Straight from DuckDB's CSV reader (many small files: no per-row Python); values checked by etl/validate.py."""
    check_header(ctx, ctx.sniff.header, REQUIRED, HINT)
    try:
        # The header is known from the sniff: no auto-detection pass over each small file.
        columns = {name: "VARCHAR" for name in ctx.sniff.header}
        with_lines(
            ctx, "hs2_raw", "SELECT * FROM read_csv(?, header = true, auto_detect = false, columns = ?, delim = ?, "
            f"quote = '\"', encoding = ?, max_line_size = {MAX_RECORD_BYTES})",
            [str(ctx.path), columns, ctx.sniff.delimiter, "utf-8" if ctx.sniff.encoding != "latin-1" else "latin-1"],
        )  # fmt: skip
        # Numbers may be written with separators ('"1,334,162.5"'): read in the file's own style.
        read_table_numbers(ctx, "hs2_raw", ["2024_imports", "2024_duty"], HINT)
        bad = ctx.con.execute(
            """
            SELECT line, 'HS2', "HS2" FROM hs2_raw WHERE NOT regexp_full_match(coalesce(trim("HS2"), ''), '[0-9]{2}')
            UNION ALL
            SELECT line, '2024_duty', CAST("2024_duty" AS VARCHAR) FROM hs2_raw
            WHERE "2024_duty" IS NOT NULL AND NOT coalesce("2024_duty" BETWEEN 0 AND 1e18, FALSE)
            ORDER BY line LIMIT 1
            """
        ).fetchall()
        if bad:
            line, column, text = bad[0]
            hint = "keep the leading zero (save the column as text)" if column == "HS2" else HINT
            raise ctx.error(f"{column} {text!r} is not valid", line=int(line), column=column, hint=hint)
        ctx.con.execute(
            f"""
            INSERT INTO {STAGED_TABLE} (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level,
                                        value_usd, valuation, net_weight_kg, source, dataset_id, duty_usd,
                                        hs_vintage, valuation_stated, source_line)
            SELECT {YEAR}, '{YEAR}', 'USA', coalesce(c.iso3, '?' || lpad(trim(r.CTY_CODE), 4, '0')), 'import',
                   trim(r."HS2"), 2, r."2024_imports", 'FOB', NULL, '{SOURCE}',
                   {int(ctx.dataset_id)}, r."2024_duty", NULL, TRUE, r.line
            FROM hs2_raw r LEFT JOIN census_countries c ON c.cty_code = lpad(trim(r.CTY_CODE), 4, '0')
            """
        )
        ctx.con.execute("DROP TABLE hs2_raw")
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT) from None
    return LABELS


FORMAT = TradeFormat("us_census_hs2_csv", SOURCE, PUBLISHER, TEXT, lambda probe: matches(probe.sniff), stage,
                     text_lines=True, columns=(*REQUIRED, "CTY_NAME"))  # fmt: skip
