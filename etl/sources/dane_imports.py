"""DANE/DIAN import annex, compiled by origin: Colombia's imports (CIF, US dollars) by country of origin.

One row per origin, year and `capitulo`: "TOTAL" (all goods) or one of 25 DANE chapter NAMES (no codes).

- `capitulo = TOTAL` rows load as HS 'TOTAL'. The file has no World row, and the sum of its origins is
  0.3-1.8 % below DANE's national total (some origins are missing), so no World row is ever made from it.
- Chapter names map to HS chapters through `CHAPTER_NAMES`, an explicit table: a name is mapped only when it
  names exactly one HS chapter. "Disposiciones de tratamiento especial" is Colombia's national chapter 98
  (special treatment provisions), not a Harmonized System chapter, so its rows are skipped
  (`SKIPPED_CHAPTERS`). A name in neither table refuses the file.
- Origins keep their own ISO3 code (Puerto Rico is PRI, apart from the USA). The one origin without a code,
  "Antillas Holandesas" (M49 530), is the Netherlands Antilles, loaded as ANT (`MISSING_ISO3`).
- The compiler's cut-off must be given as the manifest option `data_through = "YYYY-MM"`: the file does not
  say it. Rows of that year are year-to-date; with January as the cut-off they are stored as the month
  (period YYYY01), so `trade_annual.months_covered` is 1 and the year is never taken as complete.
  `provisional_years` (option) lists the years the publisher marks provisional; they go to `provisional`.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from etl.detect import Sniff
from etl.schema import STAGED_TABLE
from etl.sources.base import (
    TEXT,
    LoadContext,
    Record,
    TradeColumnLabels,
    TradeFormat,
    check_header,
    read_records,
    record_year_flags,
)
from etl.sources.numbers import parse, style_of
from etl.years import FUTURE_HINT, year_problem

SOURCE = "dane_imports"
PUBLISHER = "DANE / DIAN (import annex by origin; compiled by D. Sierra Porta)"
REQUIRED = ("codigo pais m49", "codigo iso3", "pais origen", "anio", "capitulo", "valor dolares cif")
LABELS = TradeColumnLabels(
    year="anio", reporter="(Colombia)", partner="codigo iso3", flow="(imports)", hs_code="capitulo",
    value="valor dolares cif",
)  # fmt: skip
HINT = (
    "columns: "
    + ", ".join(REQUIRED)
    + " (values in US dollars, CIF; capitulo = TOTAL or a DANE chapter name)"
)

# DANE's abbreviated chapter names (as printed in its import annexes) → the one HS chapter each names.
CHAPTER_NAMES: dict[str, str] = {
    "Cereales": "10",
    "Grasas y aceites animales o vegetales": "15",
    "Residuos industrias alimentarias. Alimentos para animales": "23",
    "Combustibles y aceites minerales y sus productos": "27",
    "Productos químicos inorgánicos": "28",
    "Productos químicos orgánicos": "29",
    "Productos farmacéuticos": "30",
    "Abonos": "31",
    "Extractos curtientes, pinturas, tintas": "32",
    "Aceites esenciales, perfumería, cosméticos": "33",
    "Productos diversos de las industrias químicas": "38",
    "Materias plásticas y manufacturas": "39",
    "Caucho y manufacturas": "40",
    "Papel, cartón y sus manufacturas": "48",
    "Algodón": "52",
    "Calzado, botines, artículos análogos y partes": "64",
    "Fundición, hierro y acero": "72",
    "Manufactura de fundición, de hierro o acero": "73",
    "Cobre y sus manufacturas": "74",
    "Reactores nucleares, calderas, máquinas y partes": "84",
    "Aparatos y material eléctrico, de grabación o imagen": "85",
    "Vehículos, partes y accesorios": "87",
    "Navegación aérea o espacial": "88",
    "Instrumentos y aparatos de óptica, fotografía, cinematografía": "90",
}
# Names that do not name a Harmonized System chapter: rows skipped, with the reason.
SKIPPED_CHAPTERS: dict[str, str] = {
    "Disposiciones de tratamiento especial": "Colombia's national chapter 98 (special treatment), not an HS chapter",
}
# Origins the file gives without an ISO3 code: M49 code and name → ISO3.
MISSING_ISO3: dict[tuple[str, str], str] = {("530", "Antillas Holandesas"): "ANT"}

_DATA_THROUGH = re.compile(r"(\d{4})-(\d{2})")


def matches(sniff: Sniff) -> bool:
    return sniff.kind == "text" and {"codigo iso3", "pais origen", "capitulo", "valor dolares cif"} <= set(
        sniff.header
    )


def chapter_code(name: str) -> str | None:
    """HS chapter of a DANE chapter name; 'TOTAL' for all goods; None for a name that is skipped."""
    text = name.strip()
    if text == "TOTAL":
        return "TOTAL"
    if text in CHAPTER_NAMES:
        return CHAPTER_NAMES[text]
    if text in SKIPPED_CHAPTERS:
        return None
    raise KeyError(text)


def _data_through(ctx: LoadContext) -> tuple[int, int]:
    value = str(ctx.options.get("data_through", ""))
    found = _DATA_THROUGH.fullmatch(value)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ctx.error(
            "the file does not say through which month its last year runs",
            hint='give the compiler\'s cut-off as the manifest option data_through = "YYYY-MM" '
            "(e.g. \"2026-01\" for data 'actualizados a enero de 2026')",
        )
    return int(found.group(1)), int(found.group(2))


def stage(ctx: LoadContext) -> TradeColumnLabels:
    check_header(ctx, ctx.sniff.header, REQUIRED, HINT)
    last_year, last_month = _data_through(ctx)
    provisional = {int(year) for year in ctx.options.get("provisional_years", [])}
    rows = read_records(ctx)
    # Values may be written with separators ('"1,334,162,658.44"'): read in the file's own style.
    style = style_of(ctx, {"valor dolares cif": [row.cells.get("valor dolares cif") for row in rows]})
    records = [_record(ctx, row, last_year, last_month, provisional, style) for row in rows]
    kept = [r for r in records if r is not None]
    if len(kept) < len(records):  # said, not dropped silently: their value stays in each origin's TOTAL
        ctx.notes.append(f"set aside {len(records) - len(kept):,} rows of chapters that are not HS chapters "
                         f"({'; '.join(f'{k!r}: {v}' for k, v in SKIPPED_CHAPTERS.items())}); their value is in "
                         "each origin's TOTAL, outside the named chapters")  # fmt: skip
    if not kept:
        raise ctx.error("no rows to load", line=2, hint=HINT)
    frame = pd.DataFrame(kept, columns=["year", "period", "partner", "hs_code", "value_usd", "source_line"])
    ctx.con.register("dane_frame", frame)
    ctx.con.execute(
        f"""
        INSERT INTO {STAGED_TABLE} (year, period, reporter_iso3, partner_iso3, flow, hs_code, hs_level, value_usd,
                                    valuation, net_weight_kg, source, dataset_id, duty_usd, hs_vintage,
                                    valuation_stated, source_line)
        SELECT f.year, f.period, 'COL', coalesce(c.iso3, '?' || f.partner), 'import', f.hs_code,
               CASE WHEN f.hs_code = 'TOTAL' THEN 0 ELSE length(f.hs_code) END, f.value_usd, 'CIF', NULL,
               '{SOURCE}', {int(ctx.dataset_id)}, NULL, NULL, TRUE, f.source_line
        FROM dane_frame f LEFT JOIN countries c ON c.iso3 = f.partner
        """
    )
    ctx.con.unregister("dane_frame")
    record_year_flags(ctx, SOURCE, {int(y) for y in frame["year"]})
    return LABELS


def _record(
    ctx: LoadContext, record: Record, last_year: int, last_month: int, provisional: set[int], style: str
) -> tuple | None:
    row, line = record.cells, record.line
    if not record.complete or any(row.get(name) is None for name in REQUIRED):
        raise ctx.error("wrong number of fields", line=line, hint=HINT)
    chapter = str(row["capitulo"]).strip()
    try:
        code = chapter_code(chapter)
    except KeyError:
        raise ctx.error(
            f"unknown chapter name {chapter!r}",
            line=record.line_of("capitulo"),
            column="capitulo",
            hint="add the name to CHAPTER_NAMES in etl/sources/dane_imports.py only if it names exactly one HS chapter",
        ) from None
    if code is None:
        return None
    year_text = str(row["anio"]).strip()
    year_line = record.line_of("anio")
    if not year_text.isdigit():
        raise ctx.error(
            f"year {year_text!r} is not a four-digit year", line=year_line, column="anio", hint=HINT
        )
    year = int(year_text)
    if year > last_year:
        raise ctx.error(f"year {year} is after the cut-off {last_year}-{last_month:02d}", line=year_line,
                        column="anio", hint="check the manifest option data_through")  # fmt: skip
    problem = year_problem(year, provisional=year in provisional)
    if problem:
        raise ctx.error(problem, line=year_line, column="anio", hint=FUTURE_HINT)
    value_text = str(row["valor dolares cif"]).strip()
    value = parse(value_text, style)
    if value is None or not math.isfinite(value) or value < 0:
        raise ctx.error(f"value {value_text!r} is not a non-negative number of US dollars",
                        line=record.line_of("valor dolares cif"), column="valor dolares cif", hint=HINT)  # fmt: skip
    iso3 = str(row["codigo iso3"]).strip().upper()
    if not iso3:
        key = (str(row["codigo pais m49"]).strip(), str(row["pais origen"]).strip())
        if key not in MISSING_ISO3:
            raise ctx.error(f"origin {key[1]!r} (M49 {key[0]}) has no ISO3 code", line=record.line_of("codigo iso3"),
                            column="codigo iso3",
                            hint="add it to MISSING_ISO3 in etl/sources/dane_imports.py if it is a known territory")  # fmt: skip
        iso3 = MISSING_ISO3[key]
    if year == last_year and last_month < 12:
        if last_month != 1:
            raise ctx.error(
                f"{year} holds January-{last_month:02d} year to date, which a trade period (a year or one month) "
                "cannot hold",
                line=year_line, column="anio", hint="load the file once its last year is complete, or cut at January",
            )  # fmt: skip
        period = f"{year}01"
    else:
        period = str(year)
    return (year, period, iso3, code, value, line)


FORMAT = TradeFormat("dane_imports_by_origin_csv", SOURCE, PUBLISHER, TEXT, lambda probe: matches(probe.sniff), stage,
                     text_lines=True, columns=REQUIRED)  # fmt: skip
