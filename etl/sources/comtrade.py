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


def _iso_sql(given: str) -> str:
    """A file's ISO3 text (trimmed, upper case) the way comtrade_areas spells it (W00 and WORLD are the World, EUR
    the EU as one partner)."""
    return f"CASE {given} WHEN 'W00' THEN '{WORLD}' WHEN 'WORLD' THEN '{WORLD}' WHEN 'EUR' THEN '{EUROPEAN_UNION}' ELSE {given} END"


def _area_sql(code: str, given: str, alias: str) -> str:
    """ISO3 from the numeric code; '?code' when the code is unknown, '!iso-from-code|iso-in-file' on disagreement.
    (A file's ISO3 equal to the code's, the usual case, is settled by the first comparison.)"""
    return (
        f"CASE WHEN {alias}.iso3 IS NULL THEN '?' || {code} "
        f"WHEN {given} IS NOT NULL AND {given} <> {alias}.iso3 AND {_iso_sql(f'upper({given})')} <> upper({alias}.iso3) "
        f"THEN '!' || {alias}.iso3 || '|' || {given} ELSE {alias}.iso3 END"
    )


def _is_total(column: str, total: str) -> str:
    """The row is the total over a breakdown column: its total code, or the column empty (or absent)."""
    return f"({column} = '{total}' OR coalesce(nullif(trim(CAST({column} AS VARCHAR)), ''), '{total}') = '{total}')"


# The period as the file gives it, unless the row's own metadata contradicts it: `freqCode` A (annual) needs a
# year, M (monthly) a year and month; `refPeriodId` (YYYYMMDD) starts with the period. A contradiction is staged as
# '!period|column=value' and refused by etl/validate.py, naming the column. Only a well-formed period of the row's
# own year is compared (a malformed one is refused as such); a consistent row is settled by the first tests.
_MONTHS = "(" + ", ".join(f"'{month:02d}'" for month in range(1, 13)) + ")"
_WELL_FORMED = (
    "coalesce(left(r.p, 4) = CAST(r.year AS VARCHAR) AND (length(r.p) = 4 OR (length(r.p) = 6 "
    f"AND substr(r.p, 5, 2) IN {_MONTHS})), FALSE)"
)
PERIOD_SQL = f"""CASE
    WHEN ((r.freq = 'A' AND length(r.p) <> 4) OR (r.freq = 'M' AND length(r.p) <> 6)) AND {_WELL_FORMED}
        THEN '!' || r.p || '|freqCode=' || r.freq
    WHEN length(r.pid) = 8 AND left(r.pid, length(r.p)) <> r.p AND TRY_CAST(r.pid AS INTEGER) IS NOT NULL
         AND {_WELL_FORMED}
        THEN '!' || r.p || '|refPeriodId=' || r.pid
    ELSE r.p END"""

# An HS code saved as a number loses its leading zero (chapter 01 → 1, heading 0901 → 901). Where the row's
# aggregate level says how many digits the code has, the zero is given back when exactly one is missing.
HS_CODE_SQL = (
    "CASE WHEN r.level IN (2, 4, 6, 8, 10) AND length(r.cmd) = r.level - 1 AND regexp_full_match(r.cmd, '[1-9][0-9]*') "
    "THEN '0' || r.cmd ELSE r.cmd END"
)

# Comtrade rows → Balanza rows, in one pass. `raw` is any relation with Comtrade's column names (as text or typed);
# each field is read and normalised once (`r`), then mapped. Nothing is dropped silently: unknown flow codes become
# '?code' (refused by etl/validate.py), breakdown flows '~code' (set aside with a note); only the customs/transport/
# second-partner breakdowns of a total are left out.
_TRANSFORM_SQL = f"""
INSERT INTO {STAGED_TABLE}
SELECT
    r.year,
    $period AS period,
    {_area_sql("r.reporter", "r.reporter_iso", "rep")} AS reporter_iso3,
    {_area_sql("r.partner", "r.partner_iso", "par")} AS partner_iso3,
    CASE r.flow WHEN 'X' THEN 'export' WHEN 'M' THEN 'import' WHEN 'RX' THEN 're-export' WHEN 'RM' THEN 're-import'
         ELSE CASE WHEN r.flow IN {_SUBFLOW_SQL} THEN '~' ELSE '?' END || coalesce(r.flow_text, '') END AS flow,
    CASE WHEN upper(r.cmd) = 'TOTAL' THEN 'TOTAL' ELSE $hs_code END AS hs_code,
    CASE WHEN hs_code = 'TOTAL' THEN 0 ELSE length(hs_code) END AS hs_level,
    r.value AS value_usd,
    CASE WHEN r.flow IN ('M', 'RM') THEN 'CIF' ELSE 'FOB' END AS valuation,
    r.weight AS net_weight_kg,
    'comtrade' AS source,
    $dataset_id AS dataset_id,
    NULL AS duty_usd,
    r.vintage AS hs_vintage,
    TRUE AS valuation_stated,
    r.line AS source_line
FROM (
    SELECT
        CASE WHEN TRY_CAST(raw.refYear AS DOUBLE) = floor(TRY_CAST(raw.refYear AS DOUBLE))
             THEN TRY_CAST(TRY_CAST(raw.refYear AS DOUBLE) AS INTEGER) END AS year,
        trim(CAST(raw.period AS VARCHAR)) AS p,
        upper(trim(CAST(raw.freqCode AS VARCHAR))) AS freq,
        trim(CAST(raw.refPeriodId AS VARCHAR)) AS pid,
        trim(CAST(raw.reporterCode AS VARCHAR)) AS reporter,
        trim(CAST(raw.partnerCode AS VARCHAR)) AS partner,
        nullif(trim(CAST(raw.reporterISO AS VARCHAR)), '') AS reporter_iso,
        nullif(trim(CAST(raw.partnerISO AS VARCHAR)), '') AS partner_iso,
        trim(CAST(raw.flowCode AS VARCHAR)) AS flow_text,
        upper(trim(CAST(raw.flowCode AS VARCHAR))) AS flow,
        trim(CAST(raw.cmdCode AS VARCHAR)) AS cmd,
        TRY_CAST(TRY_CAST(raw.aggrLevel AS DOUBLE) AS INTEGER) AS level,
        $value AS value,
        $weight AS weight,
        nullif(trim(CAST(raw.classificationCode AS VARCHAR)), '') AS vintage,
        $line_expr AS line
    FROM $raw AS raw
    WHERE {_is_total("raw.customsCode", COMTRADE_TOTAL_CUSTOMS)} AND {_is_total("raw.motCode", COMTRADE_TOTAL_MOT)}
      AND {_is_total("raw.partner2Code", COMTRADE_TOTAL_PARTNER2)}
) AS r
LEFT JOIN comtrade_areas rep ON rep.code = TRY_CAST(r.reporter AS INTEGER)
LEFT JOIN comtrade_areas par ON par.code = TRY_CAST(r.partner AS INTEGER)
"""


def to_trade(ctx: LoadContext, raw: str, line_expr: str = "NULL", params: list | None = None,
             number: str = "TRY_CAST({} AS DOUBLE)") -> None:  # fmt: skip
    """Insert the rows of ``raw`` (any relation with Comtrade+ column names, text or typed) as staged trade rows,
    then give back lost leading zeros and set aside breakdown flows. ``number``: SQL reading a numeric column."""
    sql = (
        _TRANSFORM_SQL.replace("$raw", raw)
        .replace("$line_expr", line_expr)
        .replace("$dataset_id", str(int(ctx.dataset_id)))
        .replace("$value", number.format("raw.primaryValue"))
        .replace("$weight", number.format("raw.netWgt"))
        .replace("$hs_code", HS_CODE_SQL)
        .replace("$period", PERIOD_SQL)
    )
    ctx.con.execute(sql, params or [])
    # One scan tells both fix-ups what they need: the lengths of the product codes and the breakdown flows staged.
    stats = one_row(
        ctx.con,
        f"""SELECT list(DISTINCT length(hs_code)) FILTER (WHERE numeric),
                   bool_or(hs_code LIKE '0%' AND length(hs_code) % 2 = 1) FILTER (WHERE numeric),
                   count(*) FILTER (WHERE numeric AND length(hs_code) % 2 = 1),
                   list(DISTINCT substr(flow, 2)) FILTER (WHERE flow LIKE '~%')
            FROM (SELECT hs_code, flow, hs_code <> 'TOTAL' AND regexp_full_match(hs_code, '[0-9]+') AS numeric
                  FROM {STAGED_TABLE} WHERE dataset_id = ?)""",
        [ctx.dataset_id],
    )
    restore_leading_zeros(ctx, stats[:3])
    if stats[3]:
        set_aside_subflows(ctx)


def restore_leading_zeros(ctx: LoadContext, lengths: tuple) -> None:
    """Give back the leading zero of HS codes saved as numbers, where every code in the file shows the level.

    When every product code has L or L-1 digits for one HS level L (2, 4, 6, 8, 10), some have L-1, and none
    of those starts with 0 (a number never does), the short ones are codes of level L that lost their zero.
    Otherwise nothing is changed, and a code of the wrong length is refused by validation. ``lengths``: the
    distinct lengths of the numeric codes, whether an odd-length one starts with 0, how many have an odd length.
    """
    found, odd_with_zero, short = set(lengths[0] or ()), lengths[1], lengths[2]
    if not short or odd_with_zero:
        return
    levels = [level for level in (2, 4, 6, 8, 10) if found <= {level - 1, level}]
    if len(levels) != 1:
        return
    level = levels[0]
    ctx.con.execute(
        f"UPDATE {STAGED_TABLE} SET hs_code = '0' || hs_code, hs_level = {level} "
        f"WHERE dataset_id = ? AND hs_code <> 'TOTAL' AND length(hs_code) = {level - 1}",
        [ctx.dataset_id],
    )
    ctx.notes.append(f"{short:,} HS codes saved as numbers got their leading zero back (every code in the file "
                     f"is of level {level})")  # fmt: skip


def set_aside_subflows(ctx: LoadContext) -> None:
    """Remove the rows of breakdown flows (DX, FM, …) staged as '~code', and say how many there were."""
    counts = ctx.con.execute(
        f"SELECT substr(flow, 2), count(*) FROM {STAGED_TABLE} WHERE dataset_id = ? AND flow LIKE '~%' "
        "GROUP BY 1 ORDER BY 1",
        [ctx.dataset_id],
    ).fetchall()
    if not counts:
        return
    ctx.con.execute(f"DELETE FROM {STAGED_TABLE} WHERE dataset_id = ? AND flow LIKE '~%'", [ctx.dataset_id])
    listed = ", ".join(f"{n:,} {code} ({SUBFLOWS.get(code.upper(), code)})" for code, n in counts)
    ctx.notes.append(f"set aside {listed}: breakdowns of exports/imports, not loaded")


def csv_line_finder(ctx: LoadContext) -> LineFinder:
    encoding = "latin-1" if ctx.sniff.encoding == "latin-1" else ctx.sniff.encoding
    return lambda column, predicate: locate_line(ctx.path, encoding, ctx.sniff.delimiter, column, predicate)
