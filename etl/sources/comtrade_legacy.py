"""Legacy UN Comtrade CSV: the 35-column bulk format and the reduced API formats.

Its columns are renamed to Comtrade+ names and go through the same transform. Flows may be written in
`Trade Flow` (words or codes such as X, M, RX) while `Trade Flow Code` is 0.
"""

from __future__ import annotations

import duckdb

from etl.detect import Sniff
from etl.sources.base import (
    MAX_RECORD_BYTES,
    TEXT,
    LoadContext,
    TradeColumnLabels,
    TradeFormat,
    check_header,
    duckdb_encoding,
    duckdb_read_error,
)
from etl.sources.comtrade import csv_line_finder, to_trade
from etl.sources.numbers import number_parser

REQUIRED = ("Year", "Reporter Code", "Partner Code", "Commodity Code", "Trade Value (US$)")
KNOWN_COLUMNS = (*REQUIRED, "Trade Flow", "Trade Flow Code", "Period", "Netweight (kg)", "Classification",
                 "Customs Proc. Code", "Mode of Transport Code", "2nd Partner Code", "Reporter ISO", "Partner ISO",
                 "Aggregate Level")  # fmt: skip
LABELS = TradeColumnLabels(
    year="Year", reporter="Reporter Code", partner="Partner Code", flow="Trade Flow",
    hs_code="Commodity Code", value="Trade Value (US$)",
)  # fmt: skip
HINT = (
    "re-download the legacy Comtrade CSV; it needs Year, Reporter/Partner Code, Commodity Code, Trade Value"
)


def matches(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"Year", "Reporter Code", "Commodity Code", "Trade Value (US$)"} <= set(
        sniff.header
    )


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _optional(header: set[str], name: str) -> str:
    return f"raw.{_q(name)}" if name in header else "NULL"


def stage(ctx: LoadContext) -> TradeColumnLabels:
    header = set(ctx.sniff.header)
    check_header(ctx, ctx.sniff.header, REQUIRED, HINT)
    if "Trade Flow" not in header and "Trade Flow Code" not in header:
        raise ctx.error(
            "missing column 'Trade Flow' (or 'Trade Flow Code')", line=1, column="Trade Flow", hint=HINT
        )
    flow_code = _optional(header, "Trade Flow Code")
    flow_text = _optional(header, "Trade Flow")
    period = _optional(header, "Period")
    encoding = duckdb_encoding(ctx.sniff)
    try:
        ctx.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE legacy_renamed AS
            SELECT
                raw."Year" AS refYear,
                coalesce(nullif(trim({period}), ''), raw."Year") AS period,
                raw."Reporter Code" AS reporterCode,
                raw."Partner Code" AS partnerCode,
                CASE
                    WHEN trim({flow_code}) = '1' THEN 'M' WHEN trim({flow_code}) = '2' THEN 'X'
                    WHEN trim({flow_code}) = '3' THEN 'RX' WHEN trim({flow_code}) = '4' THEN 'RM'
                    WHEN upper(trim({flow_text})) IN ('X', 'M', 'RX', 'RM') THEN upper(trim({flow_text}))
                    WHEN lower(trim({flow_text})) IN ('export', 'exports') THEN 'X'
                    WHEN lower(trim({flow_text})) IN ('import', 'imports') THEN 'M'
                    WHEN lower(trim({flow_text})) IN ('re-export', 're-exports') THEN 'RX'
                    WHEN lower(trim({flow_text})) IN ('re-import', 're-imports') THEN 'RM'
                    ELSE coalesce({flow_text}, {flow_code})
                END AS flowCode,
                raw."Commodity Code" AS cmdCode,
                raw."Trade Value (US$)" AS primaryValue,
                {_optional(header, "Netweight (kg)")} AS netWgt,
                {_optional(header, "Classification")} AS classificationCode,
                {_optional(header, "Customs Proc. Code")} AS customsCode,
                {_optional(header, "Mode of Transport Code")} AS motCode,
                {_optional(header, "2nd Partner Code")} AS partner2Code,
                {_optional(header, "Reporter ISO")} AS reporterISO,
                {_optional(header, "Partner ISO")} AS partnerISO,
                {_optional(header, "Aggregate Level")} AS aggrLevel,
                NULL AS freqCode,
                NULL AS refPeriodId
            FROM read_csv(?, header = true, all_varchar = true, delim = ?, encoding = ?,
                          null_padding = ?, max_line_size = {MAX_RECORD_BYTES}) AS raw
            """,
            [str(ctx.path), ctx.sniff.delimiter, encoding, ctx.sniff.trailing_empty_column],
        )
        # Numbers are text here: read in the file's own style ('1,234.5', or 1.234,5 from a Spanish spreadsheet).
        number = number_parser(ctx, "SELECT * FROM legacy_renamed", [], ["primaryValue", "netWgt"])
        bad = ctx.con.execute(
            "SELECT refYear, primaryValue FROM legacy_renamed WHERE TRY_CAST(refYear AS DOUBLE) IS NULL "
            f"OR (primaryValue IS NOT NULL AND trim(primaryValue) <> '' AND {number.format('primaryValue')} IS NULL) "
            "LIMIT 1"
        ).fetchone()
        if bad:
            column, value = (
                ("Year", bad[0]) if not str(bad[0] or "").strip().isdigit() else ("Trade Value (US$)", bad[1])
            )
            finder = csv_line_finder(ctx)
            raise ctx.error(
                f"{column} is {value!r}, not a number",
                line=finder(column, lambda v: v == (value or "")),
                column=column,
                hint=HINT,
            )
        to_trade(ctx, "legacy_renamed", number=number)
        ctx.con.execute("DROP TABLE legacy_renamed")
    except duckdb.Error as exc:
        raise duckdb_read_error(ctx.path, exc, HINT) from None
    return LABELS


FORMAT = TradeFormat("comtrade_legacy_csv", "comtrade", "UN Comtrade", TEXT, lambda probe: matches(probe.sniff), stage,
                     text_lines=True, reads_utf16=True, columns=KNOWN_COLUMNS)  # fmt: skip
