"""The Comtrade transform, shared by the Comtrade+ formats (CSV, XLSX, API JSON) and the legacy CSV formats:
Comtrade rows (Comtrade+ column names) → Balanza's staged trade rows. The one place Comtrade's codes (flows,
areas, breakdown totals) are mapped to ours."""

from __future__ import annotations

from etl.db import one_row
from etl.schema import (
    COMTRADE_TOTAL_CUSTOMS,
    COMTRADE_TOTAL_MOT,
    COMTRADE_TOTAL_PARTNER2,
    EUROPEAN_UNION,
    STAGED_TABLE,
    WORLD,
)
from etl.sources.base import LineFinder, LoadContext, locate_line

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
    $period AS period,
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


# The period as the file gives it, unless the row's own metadata contradicts it: `freqCode` A (annual) needs a
# year, M (monthly) a year and month; `refPeriodId` (YYYYMMDD) names the same year and month. A contradiction is
# staged as '!period|column=value' and refused by etl/validate.py, naming the column.
_PERIOD = "trim(CAST(raw.period AS VARCHAR))"
_FREQ = "upper(trim(CAST(raw.freqCode AS VARCHAR)))"
_PERIOD_ID = "trim(CAST(raw.refPeriodId AS VARCHAR))"
_PERIOD_OF_ROW = (  # a well-formed period of the row's own year: only then can the metadata contradict it
    f"regexp_full_match({_PERIOD}, '[0-9]{{4}}(0[1-9]|1[0-2])?') "
    f"AND substr({_PERIOD}, 1, 4) = CAST(TRY_CAST(TRY_CAST(raw.refYear AS DOUBLE) AS INTEGER) AS VARCHAR)"
)
PERIOD_SQL = f"""CASE
    WHEN NOT coalesce({_PERIOD_OF_ROW}, FALSE) THEN {_PERIOD}
    WHEN ({_FREQ} = 'A' AND length({_PERIOD}) <> 4) OR ({_FREQ} = 'M' AND length({_PERIOD}) <> 6)
        THEN '!' || {_PERIOD} || '|freqCode=' || {_FREQ}
    WHEN regexp_full_match({_PERIOD_ID}, '[0-9]{{8}}') AND (substr({_PERIOD_ID}, 1, 4) <> substr({_PERIOD}, 1, 4)
         OR (length({_PERIOD}) = 6 AND substr({_PERIOD_ID}, 5, 2) <> substr({_PERIOD}, 5, 2)))
        THEN '!' || {_PERIOD} || '|refPeriodId=' || {_PERIOD_ID}
    ELSE {_PERIOD} END"""

# An HS code saved as a number loses its leading zero (chapter 01 → 1, heading 0901 → 901). Where the row's
# aggregate level says how many digits the code has, the zero is given back when exactly one is missing.
_CODE = "trim(CAST(raw.cmdCode AS VARCHAR))"
_LEVEL = "TRY_CAST(TRY_CAST(raw.aggrLevel AS DOUBLE) AS INTEGER)"
HS_CODE_SQL = (
    f"CASE WHEN regexp_full_match({_CODE}, '[1-9][0-9]*') AND {_LEVEL} IN (2, 4, 6, 8, 10) "
    f"AND length({_CODE}) = {_LEVEL} - 1 THEN '0' || {_CODE} ELSE {_CODE} END"
)


def to_trade(ctx: LoadContext, raw: str, line_expr: str = "NULL", params: list | None = None,
             number: str = "TRY_CAST({} AS DOUBLE)", hs_code: str = HS_CODE_SQL) -> None:  # fmt: skip
    """Insert the rows of ``raw`` (any relation with Comtrade+ column names, text or typed) as staged trade rows,
    then give back lost leading zeros and set aside breakdown flows. ``number``: SQL reading a numeric column."""
    sql = (
        _TRANSFORM_SQL.replace("$raw", raw)
        .replace("$line_expr", line_expr)
        .replace("$dataset_id", str(int(ctx.dataset_id)))
        .replace("$value", number.format("raw.primaryValue"))
        .replace("$weight", number.format("raw.netWgt"))
        .replace("$hs_code", hs_code)
        .replace("$period", PERIOD_SQL)
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
    lengths = one_row(
        ctx.con,
        f"""SELECT list(DISTINCT length(hs_code)), bool_or(hs_code LIKE '0%' AND length(hs_code) % 2 = 1),
                   count(*) FILTER (WHERE length(hs_code) % 2 = 1)
            FROM {STAGED_TABLE} WHERE dataset_id = ? AND hs_code <> 'TOTAL'
            AND regexp_full_match(hs_code, '[0-9]+')""",  # noqa: S608
        [ctx.dataset_id],
    )
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


def csv_line_finder(ctx: LoadContext) -> LineFinder:
    encoding = "latin-1" if ctx.sniff.encoding == "latin-1" else ctx.sniff.encoding
    return lambda column, predicate: locate_line(ctx.path, encoding, ctx.sniff.delimiter, column, predicate)
