"""Reference tables: countries and code maps, HS nomenclature, CPI, GDP, elasticities, US tariff lists.

Each loader replaces its table's rows from one real reference file (recognised by its header).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.db import one_row
from etl.detect import Sniff
from etl.schema import (
    AREAS_NES,
    CHINA,
    EUROPEAN_UNION,
    GDP_WORLD_BANK,
    INDICATOR_UNITS,
    INDICATORS,
    UNITED_STATES,
    WORLD,
)
from etl.sources.base import LoadContext, duckdb_read_error


@dataclass(frozen=True)
class ReferenceFormat:
    name: str
    table: str
    required: frozenset[str]
    load: Callable[[LoadContext], int]

    def matches(self, sniff: Sniff) -> bool:
        return sniff.kind == "text" and self.required <= set(sniff.header)


def _csv(ctx: LoadContext, types: dict[str, str] | None = None) -> str:
    """A temp view over the file; all text unless typed."""
    view = "ref_raw"
    options = "header = true, all_varchar = true" if types is None else "header = true, types = ?"
    params: list = [str(ctx.path)] + ([types] if types is not None else [])
    try:
        ctx.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT * FROM read_csv(?, {options})", params
        )
    except duckdb.Error as exc:
        raise duckdb_read_error(
            ctx.path, exc, "use the reference file as bundled in data/raw/reference"
        ) from None
    return view


def _count(ctx: LoadContext, table: str, where: str = "TRUE", params: list | None = None) -> int:
    return int(one_row(ctx.con, f"SELECT count(*) FROM {table} WHERE {where}", params)[0])


# A reference file may replace a table with fewer rows (a newer list can drop entries), but not with a small
# fraction of them: a file cut short would otherwise replace, say, every country code with three.
SHRINK_FACTOR = 0.5
ALLOW_SHRINK_OPTION = "allow_shrink"


def check_shrink(ctx: LoadContext, table: str, before: int, after: int) -> None:
    """Refuse a reference file that would leave ``table`` with less than half its rows, unless allowed."""
    if before >= 4 and after < before * SHRINK_FACTOR and not ctx.options.get(ALLOW_SHRINK_OPTION):
        raise ctx.error(
            f"this file would shrink the reference table {table} from {before:,} to {after:,} rows",
            hint="a reference file is usually cut short when this happens; download it again. If the smaller "
            "table is intended, load it with `balanza load --allow-shrink`",
        )


def name_key(name: str) -> str:
    """Lower-case, accent-free, without Spanish/English articles in brackets: matching key for country names."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    text = re.sub(r"\s*\((el|la|los|las|the|l'|le)\)\s*", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# Names DIAN and other Spanish sources use that the UN short names spell differently.
EXTRA_NAMES = {
    "total": WORLD, "mundo": WORLD, "world": WORLD, "pais no declarado": AREAS_NES, "estados unidos": UNITED_STATES,
    "united states": UNITED_STATES, "china": CHINA, "union europea": EUROPEAN_UNION, "european union": EUROPEAN_UNION,
    "corea del sur": "KOR", "paises bajos": "NLD", "turquia": "TUR", "reino unido": "GBR", "rusia": "RUS",
    # English short names in the US tariff lists (EO 14257 Annex I, EO 14326) that the UN names spell otherwise
    "myanmar (burma)": "MMR", "cote d`ivoire": "CIV", "turkey": "TUR", "bolivia": "BOL", "moldova": "MDA",
    "brunei": "BRN", "laos": "LAO", "syria": "SYR", "venezuela": "VEN", "united kingdom": "GBR",
    "south korea": "KOR", "vietnam": "VNM", "taiwan": "TWN", "korea, south": "KOR",
}  # fmt: skip


def load_countries(ctx: LoadContext) -> int:
    raw = _csv(ctx)
    before = _count(ctx, "countries", "NOT is_aggregate")
    ctx.con.execute("DELETE FROM countries")
    ctx.con.execute(
        f"""
        INSERT INTO countries
        SELECT DISTINCT ON ("ISO3166-1-Alpha-3") "ISO3166-1-Alpha-3", TRY_CAST(M49 AS INTEGER),
               coalesce("UNTERM English Short", official_name_en, "CLDR display name"),
               coalesce(official_name_es, "UNTERM Spanish Short"), FALSE
        FROM {raw} WHERE "ISO3166-1-Alpha-3" IS NOT NULL AND trim("ISO3166-1-Alpha-3") <> ''
        """
    )
    specials = [
        (WORLD, 1, "World", "Mundo", True),
        (EUROPEAN_UNION, None, "European Union", "Unión Europea", True),
        (AREAS_NES, 899, "Areas, not elsewhere specified", "País no declarado", True),
        ("XKX", None, "Kosovo", "Kosovo", False),  # IMF reports it; ISO has no alpha-3 code yet
    ]
    check_shrink(ctx, "countries", before, _count(ctx, "countries"))
    ctx.con.executemany("INSERT OR REPLACE INTO countries VALUES (?, ?, ?, ?, ?)", specials)
    names: dict[str, str] = {}
    for iso3, en, es, en_short, es_short in ctx.con.execute(
        f"""SELECT "ISO3166-1-Alpha-3", official_name_en, official_name_es, "UNTERM English Short",
                   "UNTERM Spanish Short" FROM {raw} WHERE "ISO3166-1-Alpha-3" IS NOT NULL"""
    ).fetchall():
        for name in (en, es, en_short, es_short):
            if name:
                names.setdefault(name_key(name), iso3)
    names.update(EXTRA_NAMES)
    ctx.con.execute(
        "CREATE TABLE IF NOT EXISTS country_names (name_key VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL)"
    )
    ctx.con.execute("DELETE FROM country_names")
    ctx.con.executemany("INSERT INTO country_names VALUES (?, ?)", sorted(names.items()))
    ctx.con.execute("DELETE FROM country_iso2")
    ctx.con.execute(
        f"""
        INSERT INTO country_iso2
        SELECT DISTINCT ON (upper(trim("ISO3166-1-Alpha-2"))) upper(trim("ISO3166-1-Alpha-2")), "ISO3166-1-Alpha-3"
        FROM {raw} WHERE "ISO3166-1-Alpha-2" IS NOT NULL AND trim("ISO3166-1-Alpha-2") <> ''
          AND "ISO3166-1-Alpha-3" IS NOT NULL AND trim("ISO3166-1-Alpha-3") <> ''
        """
    )
    ctx.con.execute(f"DROP TABLE {raw}")
    return _count(ctx, "countries")


def load_comtrade_areas(ctx: LoadContext) -> int:
    raw = _csv(ctx)
    before = _count(ctx, "comtrade_areas")
    ctx.con.execute("DELETE FROM comtrade_areas")
    # Comtrade's own codes for areas without ISO codes (e.g. '_X ', 'X1 ') are kept, trimmed.
    ctx.con.execute(
        f"""
        INSERT INTO comtrade_areas
        SELECT DISTINCT ON (code) CAST(CAST(id AS DOUBLE) AS INTEGER) AS code,
               CASE WHEN trim(iso_3) IN ('World', 'W00') OR CAST(CAST(id AS DOUBLE) AS INTEGER) = 0 THEN '{WORLD}'
                    WHEN trim(iso_3) = 'EUR' THEN '{EUROPEAN_UNION}' ELSE trim(iso_3) END,
               country
        FROM {raw} WHERE iso_3 IS NOT NULL AND trim(iso_3) <> ''
        """
    )
    check_shrink(ctx, "comtrade_areas", before, _count(ctx, "comtrade_areas"))
    # Areas Comtrade codes that countries.csv lacks (historic or special areas) join as aggregates.
    ctx.con.execute(
        """
        INSERT INTO countries
        SELECT DISTINCT ON (a.iso3) a.iso3, NULL, a.name, NULL, TRUE FROM comtrade_areas a
        WHERE a.iso3 NOT IN (SELECT iso3 FROM countries)
        """
    )
    ctx.con.execute(f"DROP TABLE {raw}")
    return _count(ctx, "comtrade_areas")


def _replace_rows(
    ctx: LoadContext,
    table: str,
    select: str,
    *,
    list_name: str | None = None,
    scope_column: str = "list_name",
) -> int:
    """Replace ``table``'s rows (or those whose ``scope_column`` is ``list_name``) with ``select`` run over the
    file as ``{raw}``.

    ``select`` may use ``{raw}`` (the file as text columns), ``{dataset_id}`` and, with ``list_name``, one ``?``.
    """
    raw = _csv(ctx)
    where, params = (f"{scope_column} = ?", [list_name]) if list_name is not None else ("TRUE", [])
    before = _count(ctx, table, where, params)
    ctx.con.execute(f"DELETE FROM {table} WHERE {where}", params)
    ctx.con.execute(f"INSERT INTO {table} " + select.format(raw=raw, dataset_id=int(ctx.dataset_id)), params)
    ctx.con.execute(f"DROP TABLE {raw}")
    after = _count(ctx, table, where, params)
    check_shrink(ctx, table, before, after)
    return after


def load_census_countries(ctx: LoadContext) -> int:
    _replace_rows(
        ctx, "census_countries",
        "SELECT DISTINCT ON (CTY_CODE) trim(CTY_CODE), trim(ISO3), country FROM {raw} "
        "WHERE ISO3 IS NOT NULL AND CTY_CODE IS NOT NULL",
    )  # fmt: skip
    # Census code 0003 is the European Union as a whole: its own partner, never added to members.
    ctx.con.execute(
        "INSERT OR REPLACE INTO census_countries VALUES ('0003', ?, 'European Union')", [EUROPEAN_UNION]
    )
    return _count(ctx, "census_countries")


def load_imf_partner_names(ctx: LoadContext) -> int:
    return _replace_rows(ctx, "imf_partner_names", "SELECT imf_name, nullif(trim(iso3), '') FROM {raw}")


def load_hs_codes(ctx: LoadContext) -> int:
    return _replace_rows(
        ctx, "hs_codes",
        "SELECT DISTINCT ON (hscode) hscode, CAST(level AS TINYINT), description, nullif(parent, 'TOTAL'), section "
        "FROM {raw} WHERE level IN ('2', '4', '6')",
    )  # fmt: skip


# The Spanish HS: the EU Combined Nomenclature 2023 structure in Spanish (data/raw/reference/hs-nomenclature-es,
# read its PROVENANCE). Its HS levels are kept: chapters 01-97 (98 is the EU's own chapter), headings, and the
# 6-digit subheadings (a 6-digit code, or an 8-digit one ending in 00 where no 6-digit line exists).
CN_CHAPTER_TITLE = re.compile(r"^CAP[IÍ]TULO\s+\d+\s+-\s+")
CN_HEADING_LEVEL = 3
CN_CODED_KEY_SUFFIX = "80"  # CNKEY ending of a line that carries a code
SUBHEADING_JOIN = " — "


def _cn_text(name: str) -> str:
    """A printed CN line without its indent dashes and surrounding (also non-breaking) spaces."""
    return name.lstrip("-").strip()


def cn_hs_descriptions(rows: list[tuple[str, str, int, str]]) -> dict[str, tuple[int, str, str | None]]:
    """HS code → (level, description, heading text) from CN structure rows (CNKEY, CN_CODE, LEVEL, NAME_ES), in
    CNKEY order. A coded line whose CN_CODE cell is empty takes its code from CNKEY (one line in the 2023 file,
    8414 70 00)."""
    out: dict[str, tuple[int, str, str | None]] = {}
    lines: dict[int, str] = {}  # the printed line at each indent level above the current row
    heading = ""
    for key, cn_code, level, name in rows:
        code = cn_code.replace(" ", "") or (key[:8] if key.endswith(CN_CODED_KEY_SUFFIX) else "")
        text = _cn_text(name)
        lines = {lvl: t for lvl, t in lines.items() if lvl < level} | {level: text}
        if not code.isdigit():
            continue
        if len(code) == 2 and level == 2 and code <= "97":
            title = CN_CHAPTER_TITLE.sub("", text)
            out[code] = (2, title[:1].upper() + title[1:].lower(), None)
        elif level == CN_HEADING_LEVEL and len(code) in (4, 6, 8):
            heading = text
            out[code[:4]] = (4, text, None)
        if len(code) == 6 or (len(code) == 8 and code.endswith("00") and code[:6] not in out):
            if level == CN_HEADING_LEVEL:  # a heading without subheadings: the subheading is the heading
                out[code[:6]] = (6, text, heading)
            else:
                path = [lines[lvl] for lvl in range(CN_HEADING_LEVEL + 1, level + 1) if lvl in lines]
                first_clause = heading.split(";")[0].strip()
                out[code[:6]] = (6, SUBHEADING_JOIN.join([first_clause, *path]), heading)
    return out


def load_hs_codes_es(ctx: LoadContext) -> int:
    raw = _csv(ctx)
    bad = ctx.con.execute(
        f"SELECT line, column_name FROM (SELECT row_number() OVER () + 1 AS line, * FROM {raw}) r, "
        "LATERAL (SELECT * FROM (VALUES (TRY_CAST(r.LEVEL AS INTEGER) IS NULL, 'LEVEL'), "
        "(coalesce(trim(r.NAME_ES), '') = '', 'NAME_ES'), (coalesce(trim(r.CNKEY), '') = '', 'CNKEY')) "
        "AS t(failed, column_name)) WHERE failed ORDER BY line LIMIT 1"
    ).fetchall()
    if bad:
        ctx.con.execute(f"DROP TABLE {raw}")
        raise ctx.error(f"{bad[0][1]} is empty or not a whole number", line=int(bad[0][0]), column=bad[0][1],
                        hint="use the CN structure file as bundled in data/raw/reference/hs-nomenclature-es")  # fmt: skip
    rows = [
        (str(k), str(c or ""), int(lvl), str(n))
        for k, c, lvl, n in ctx.con.execute(
            f"SELECT CNKEY, CN_CODE, CAST(LEVEL AS INTEGER), NAME_ES FROM {raw} ORDER BY CNKEY"
        ).fetchall()
    ]
    ctx.con.execute(f"DROP TABLE {raw}")
    before = _count(ctx, "hs_codes_es")
    ctx.con.execute("DELETE FROM hs_codes_es")
    found = cn_hs_descriptions(rows)
    frame = pd.DataFrame(
        [(code, level, text, heading) for code, (level, text, heading) in sorted(found.items())],
        columns=["hs_code", "hs_level", "description", "heading"],
    )
    ctx.con.register("hs_es_frame", frame)
    ctx.con.execute("INSERT INTO hs_codes_es SELECT * FROM hs_es_frame")
    ctx.con.unregister("hs_es_frame")
    after = _count(ctx, "hs_codes_es")
    check_shrink(ctx, "hs_codes_es", before, after)
    return after


def load_cpi(ctx: LoadContext) -> int:
    return _replace_rows(
        ctx, "cpi_annual",
        "SELECT CAST(year AS INTEGER), CAST(cpi_u_annual_avg_1982_84_100 AS DOUBLE), CAST(n_months AS INTEGER) "
        "FROM {raw}",
    )  # fmt: skip


WORLD_BANK_GDP = "World Bank, World Development Indicators"


def load_gdp(ctx: LoadContext) -> int:
    """GDP in current US dollars. The World Bank's file (datasets/gdp columns) replaces the 'world_bank' rows; a
    file with a ``source`` column ('derived') and a ``publisher`` naming its method replaces that source's rows,
    and every row of it must have both and a positive value (a derived figure says how it was made)."""
    source = GDP_WORLD_BANK
    if "source" in ctx.sniff.header:
        raw = _csv(ctx)
        sources = {row[0] for row in ctx.con.execute(f"SELECT DISTINCT source FROM {raw}").fetchall()}
        bad = ctx.con.execute(
            f'SELECT row_number() OVER () + 1 AS line, * FROM {raw} QUALIFY NOT coalesce(TRY_CAST("Value" AS DOUBLE) '
            "> 0, FALSE) OR TRY_CAST(\"Year\" AS INTEGER) IS NULL OR coalesce(trim(publisher), '') = '' "
            "ORDER BY line LIMIT 1"
        ).fetchall()
        ctx.con.execute(f"DROP TABLE {raw}")
        if len(sources) != 1 or not next(iter(sources)) or GDP_WORLD_BANK in sources:
            raise ctx.error(f"a derived GDP file names one source of its own (found {sorted(map(str, sources))})",
                            column="source", hint="source = 'derived' on every row")  # fmt: skip
        if bad:
            raise ctx.error("a derived GDP needs a year, a positive Value and the publisher naming its method",
                            line=int(bad[0][0]), hint="one figure per row, with how it was derived")  # fmt: skip
        source = str(next(iter(sources)))
    publisher = "publisher" if "publisher" in ctx.sniff.header else f"'{WORLD_BANK_GDP}'"
    return _replace_rows(
        ctx, "gdp",
        'SELECT DISTINCT ON ("Country Code", "Year") "Country Code", CAST("Year" AS INTEGER), CAST("Value" AS DOUBLE), '
        f'?, {publisher} FROM {{raw}} WHERE TRY_CAST("Value" AS DOUBLE) IS NOT NULL',
        list_name=source, scope_column="source",
    )  # fmt: skip


def load_import_demand(ctx: LoadContext) -> int:
    # Hauk reports the own-price elasticity as a magnitude (impliedelasticity = 1 − demandprice, positive when
    # correctly signed); it is stored negated, so a wrongly signed estimate stays positive and is never used.
    # Its standard error is that of demandprice (sedemandprice).
    return _replace_rows(
        ctx, "import_demand_elasticities",
        "SELECT DISTINCT ON (hs6) hs6, -CAST(impliedelasticity AS DOUBLE), "
        "TRY_CAST(TRY_CAST(sigat5per AS DOUBLE) AS BOOLEAN), TRY_CAST(sedemandprice AS DOUBLE), "
        "'Hauk (2012), US HS6 1978-2001', {dataset_id} "
        "FROM {raw} WHERE TRY_CAST(impliedelasticity AS DOUBLE) IS NOT NULL",
    )  # fmt: skip


def load_substitution(ctx: LoadContext) -> int:
    # impliedsigma = 1 − demandprice; its standard error is that of demandprice (sedemandprice).
    return _replace_rows(
        ctx, "substitution_elasticities",
        "SELECT DISTINCT ON (hs6) hs6, CAST(impliedsigma AS DOUBLE), TRY_CAST(sedemandprice AS DOUBLE), "
        "'Hauk (2012), US HS6 1989-2001', {dataset_id} "
        "FROM {raw} WHERE TRY_CAST(impliedsigma AS DOUBLE) IS NOT NULL",
    )  # fmt: skip


def load_tariff_timeline(ctx: LoadContext) -> int:
    count = _replace_rows(
        ctx, "us_tariff_timeline",
        "SELECT CAST(r.date AS DATE), r.country_name, "
        + _iso_for_name("r.country_name") + ", "
        'CAST(r."effective tariff" AS DOUBLE), TRY_CAST(r."total imports" AS DOUBLE), '
        'TRY_CAST(r."2024 tariff" AS DOUBLE), {dataset_id} FROM {raw} r',
    )  # fmt: skip
    ctx.con.execute(
        "UPDATE us_tariff_timeline SET partner_iso3 = ? WHERE partner_iso3 IS NULL "
        "AND upper(partner_name) = 'EUROPEAN UNION'",
        [EUROPEAN_UNION],
    )
    return count


# Lists of HTS codes share one header (HTSUS); `options.list_kind = "coverage"` marks the codes an action
# covers (Section 232 products), anything else the codes exempt from one (Annex II).
def load_exemptions(ctx: LoadContext) -> int:
    table = (
        "us_tariff_product_lists" if ctx.options.get("list_kind") == "coverage" else "us_tariff_exemptions"
    )
    return _replace_rows(
        ctx, table,
        "SELECT DISTINCT trim(HTSUS), ?, {dataset_id} FROM {raw} WHERE HTSUS IS NOT NULL",
        list_name=ctx.options.get("list_name") or ctx.path.stem,
    )  # fmt: skip


def load_exchange_rates(ctx: LoadContext) -> int:
    """Published annual average rates; a row without its publisher, page or quote is refused."""
    raw = _csv(ctx)
    bad = ctx.con.execute(
        f"SELECT row_number() OVER () + 1 AS line, * FROM {raw} QUALIFY TRY_CAST(units_per_usd AS DOUBLE) IS NULL "
        "OR NOT TRY_CAST(units_per_usd AS DOUBLE) > 0 OR TRY_CAST(year AS INTEGER) IS NULL "
        "OR coalesce(trim(publisher), '') = '' OR coalesce(trim(url), '') = '' OR coalesce(trim(quote), '') = '' "
        "ORDER BY line LIMIT 1"
    ).fetchall()
    ctx.con.execute(f"DROP TABLE {raw}")
    if bad:
        raise ctx.error("an exchange rate needs a positive units_per_usd, a year, its publisher, url and quote",
                        line=int(bad[0][0]), hint="one published rate per row, quoted exactly from its page")  # fmt: skip
    printed_by = "nullif(trim(as_printed_by), '')" if "as_printed_by" in ctx.sniff.header else "NULL"
    basis = "basis" if "basis" in ctx.sniff.header else "NULL"
    return _replace_rows(
        ctx, "exchange_rates",
        f"SELECT upper(trim(currency)), CAST(year AS INTEGER), CAST(units_per_usd AS DOUBLE), {basis}, publisher, "
        f"url, {printed_by}, quote, {{dataset_id}} FROM {{raw}}",
    )  # fmt: skip


def load_indicators(ctx: LoadContext) -> int:
    """Printed non-trade figures (schema.INDICATORS, in schema.INDICATOR_UNITS); each row needs its page and quote."""
    raw = _csv(ctx)
    bad = ctx.con.execute(
        f"""
        SELECT line, reason, column_name FROM (
            SELECT row_number() OVER () + 1 AS line, * FROM {raw}
        ) r, LATERAL (SELECT * FROM (VALUES
            (TRY_CAST(r.year AS INTEGER) IS NULL, 'year is not a whole number', 'year'),
            (TRY_CAST(r.value AS DOUBLE) IS NULL OR isnan(TRY_CAST(r.value AS DOUBLE))
             OR isinf(TRY_CAST(r.value AS DOUBLE)), 'value is not a finite number', 'value'),
            (coalesce(r.indicator, '') NOT IN {tuple(INDICATORS) + ("",)} OR r.indicator IS NULL,
             'unknown indicator', 'indicator'),
            (coalesce(r.unit, '') NOT IN {tuple(INDICATOR_UNITS) + ("",)} OR r.unit IS NULL, 'unknown unit', 'unit'),
            (r.country_iso3 IS NULL OR r.country_iso3 NOT IN (SELECT iso3 FROM countries), 'unknown country code',
             'country_iso3'),
            (coalesce(trim(r.publisher), '') = '', 'publisher is empty', 'publisher'),
            (coalesce(trim(r.url), '') = '', 'url is empty', 'url'),
            (coalesce(trim(r.quote), '') = '', 'quote is empty', 'quote')
        ) AS t(failed, reason, column_name)) WHERE failed ORDER BY line LIMIT 1
        """
    ).fetchall()
    ctx.con.execute(f"DROP TABLE {raw}")
    if bad:
        line, reason, column = bad[0]
        raise ctx.error(reason, line=int(line), column=column,
                        hint="one printed figure per row, with its publisher, page (url) and exact quote; "
                        f"indicators: {', '.join(INDICATORS)}; units: {', '.join(INDICATOR_UNITS)}")  # fmt: skip
    printed_by = "nullif(trim(printed_by), '')" if "printed_by" in ctx.sniff.header else "NULL"
    return _replace_rows(
        ctx, "published_indicators",
        f"SELECT CAST(year AS INTEGER), country_iso3, indicator, CAST(value AS DOUBLE), unit, publisher, "
        f"{printed_by}, url, quote, {{dataset_id}} FROM {{raw}}",
    )  # fmt: skip


def _iso_for_name(name_column: str) -> str:
    """ISO3 for a country name: the Census name (e.g. 'South Korea', 'Vietnam'), else the UN/ISO names."""
    return (
        f"coalesce((SELECT min(c.iso3) FROM census_countries c WHERE upper(c.name) = upper(trim({name_column}))), "
        f"(SELECT min(n.iso3) FROM country_names n WHERE n.name_key = lower(strip_accents(trim({name_column})))))"
    )


def load_annex_i(ctx: LoadContext) -> int:
    return _replace_rows(
        ctx, "us_reciprocal_rates",
        "SELECT r.CTY_NAME, coalesce((SELECT c.iso3 FROM census_countries c WHERE c.cty_code = trim(r.CTY_CODE)), "
        + _iso_for_name("r.CTY_NAME").replace("{", "{{").replace("}", "}}")
        + "), CAST(r.tariff_rate AS DOUBLE), ?, {dataset_id} FROM {raw} r",
        list_name=ctx.options.get("list_name") or "eo14257_annex_i",
    )  # fmt: skip


def load_august_rates(ctx: LoadContext) -> int:
    rate = "replace(r.\"Reciprocal Tariff, Adjusted\", '%', '')"
    return _replace_rows(
        ctx, "us_reciprocal_rates",
        'SELECT r."Countries and Territories", ' + _iso_for_name('r."Countries and Territories"')
        + f", CAST({rate} AS DOUBLE), ?, {{dataset_id}} FROM {{raw}} r WHERE TRY_CAST({rate} AS DOUBLE) IS NOT NULL",
        list_name=ctx.options.get("list_name") or "eo14326_aug_2025",
    )  # fmt: skip


REFERENCE_FORMATS = (
    ReferenceFormat("country_codes", "countries", frozenset({"ISO3166-1-Alpha-3", "M49"}), load_countries),
    ReferenceFormat("comtrade_areas", "comtrade_areas", frozenset({"id", "iso_3", "country"}), load_comtrade_areas),
    ReferenceFormat("census_country_map", "census_countries", frozenset({"CTY_CODE", "ISO3", "country"}),
                    load_census_countries),
    ReferenceFormat("imf_partner_names", "imf_partner_names", frozenset({"imf_name", "iso3"}), load_imf_partner_names),
    ReferenceFormat("hs_nomenclature", "hs_codes", frozenset({"hscode", "description", "parent", "level"}),
                    load_hs_codes),
    ReferenceFormat("hs_nomenclature_es", "hs_codes_es", frozenset({"CNKEY", "CN_CODE", "LEVEL", "NAME_ES"}),
                    load_hs_codes_es),
    ReferenceFormat("us_cpi_annual", "cpi_annual", frozenset({"year", "cpi_u_annual_avg_1982_84_100"}), load_cpi),
    ReferenceFormat("wb_gdp", "gdp", frozenset({"Country Code", "Year", "Value"}), load_gdp),
    ReferenceFormat("published_indicators", "published_indicators",
                    frozenset({"indicator", "unit", "country_iso3", "quote"}), load_indicators),
    ReferenceFormat("exchange_rates", "exchange_rates", frozenset({"currency", "units_per_usd", "publisher", "quote"}),
                    load_exchange_rates),
    ReferenceFormat("import_demand_elasticities", "import_demand_elasticities",
                    frozenset({"hs6", "impliedelasticity"}), load_import_demand),
    ReferenceFormat("substitution_elasticities", "substitution_elasticities", frozenset({"hs6", "impliedsigma"}),
                    load_substitution),
    ReferenceFormat("us_tariff_timeline", "us_tariff_timeline",
                    frozenset({"date", "country_name", "effective tariff"}), load_tariff_timeline),
    ReferenceFormat("us_tariff_exemptions", "us_tariff_exemptions", frozenset({"HTSUS"}), load_exemptions),
    ReferenceFormat("us_reciprocal_annex_i", "us_reciprocal_rates", frozenset({"CTY_NAME", "tariff_rate"}),
                    load_annex_i),
    ReferenceFormat("us_reciprocal_aug_2025", "us_reciprocal_rates",
                    frozenset({"Countries and Territories", "Reciprocal Tariff, Adjusted"}), load_august_rates),
)  # fmt: skip
