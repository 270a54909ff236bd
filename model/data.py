"""Queries the model needs (SQL → DataFrame, parameters bound). Read-only; never writes.

Trade values come from the series of record (etl.record): the same value of an observation as every page.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd

from etl import record, record_balance
from etl.errors import SpecError
from etl.schema import EU_MEMBERS, EUROPEAN_UNION, UNITED_STATES
from model.market import Market, market_from_arrays

US_LINES_SOURCE = "us_census_consumption"
US_CHAPTERS_SOURCE = "us_census_hs2"  # every partner, by HS chapter: the denominator of US import shares


def _cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of its own per query: the dashboard shares one connection between sessions and threads."""
    return con.cursor()


def query_import_lines(con: duckdb.DuckDBPyConnection, importer: str, year: int) -> pd.DataFrame:
    """Imports by HS10 line and partner (US imports for consumption): hs10, partner_iso3, imports_usd, duty_usd.

    EU members are left out where the EU aggregate is a partner by model.market.build_market (one place).
    """
    return (
        _cursor(con)
        .execute(
            """
        SELECT hs_code AS hs10, partner_iso3, sum(value_usd) AS imports_usd, sum(duty_usd) AS duty_usd
        FROM trade
        WHERE source = ? AND reporter_iso3 = ? AND year = ? AND hs_level = 10 AND flow = 'import'
          AND partner_iso3 NOT IN ('WLD', '_X')
        GROUP BY ALL
        """,
            [US_LINES_SOURCE, importer, year],
        )
        .df()
    )


def query_market_arrays(
    con: duckdb.DuckDBPyConnection, importer: str, year: int, level: str = "hs10"
) -> dict[str, np.ndarray]:
    """The same lines as `query_import_lines` (at HS10, or summed to HS6), encoded for the model by DuckDB.

    Keys: products (sorted codes), partners (sorted ISO3), product_index and partner_index per row (rows sorted
    by product, then partner), imports_usd, duty_usd (0 where none). Rows with no positive value are left out.
    """
    import pyarrow.compute as pc

    where = """
        FROM trade
        WHERE source = ? AND reporter_iso3 = ? AND year = ? AND hs_level = 10 AND flow = 'import'
          AND partner_iso3 NOT IN ('WLD', '_X')
    """
    if level == "hs6":
        sql = ("SELECT left(hs_code, 6) AS product, partner_iso3, sum(value_usd) AS imports, "
               "greatest(coalesce(sum(duty_usd), 0), 0) AS duty " + where + " GROUP BY ALL HAVING sum(value_usd) > 0")  # fmt: skip
    else:
        sql = ("SELECT hs_code AS product, partner_iso3, value_usd AS imports, greatest(coalesce(duty_usd, 0), 0) AS duty "
               + where + " AND value_usd > 0")  # fmt: skip
    # Held until the table is fetched: older DuckDB releases closed a dropped cursor under its relation.
    cursor = _cursor(con)
    table = cursor.sql(sql, params=[US_LINES_SOURCE, importer, year]).to_arrow_table()
    # Codes → sorted code lists and row indices in Arrow (no Python string per row), rows sorted by NumPy.
    product_col, partner_col = table.column("product"), table.column("partner_iso3")
    products = pc.unique(product_col)
    products = pc.take(products, pc.sort_indices(products))
    partners = pc.unique(partner_col)
    partners = pc.take(partners, pc.sort_indices(partners))
    product_index = pc.index_in(product_col, value_set=products).to_numpy().astype(np.int64)
    partner_index = pc.index_in(partner_col, value_set=partners).to_numpy().astype(np.int64)
    order = np.lexsort((partner_index, product_index))
    product_index, partner_index = product_index[order], partner_index[order]
    imports = table.column("imports").to_numpy()[order].astype(float)
    duty = table.column("duty").to_numpy()[order].astype(float)
    repeated = (np.diff(product_index) == 0) & (np.diff(partner_index) == 0)
    if repeated.any():  # one row per line and partner: sum any repeats (the Census files have none)
        first = np.r_[True, ~repeated]
        starts = np.flatnonzero(first)
        imports, duty = np.add.reduceat(imports, starts), np.add.reduceat(duty, starts)
        product_index, partner_index = product_index[first], partner_index[first]
    return {
        "products": np.array(products.to_pylist(), dtype=str),
        "partners": np.array(partners.to_pylist(), dtype=str),
        "product_index": product_index,
        "partner_index": partner_index,
        "imports_usd": imports,
        "duty_usd": duty,
    }


def query_line_years(con: duckdb.DuckDBPyConnection, importer: str) -> list[int]:
    rows = (
        _cursor(con)
        .execute(
            "SELECT DISTINCT year FROM trade WHERE source = ? AND reporter_iso3 = ? AND hs_level = 10 ORDER BY year",
            [US_LINES_SOURCE, importer],
        )
        .fetchall()
    )
    return [row[0] for row in rows]


def query_import_demand_elasticities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """hs6 (HS 1988/92), elasticity (negative), significant_5pct, std_error: only correctly signed, significant
    estimates are used."""
    return (
        _cursor(con)
        .execute(
            """
        SELECT hs6, elasticity, significant_5pct, std_error FROM import_demand_elasticities
        WHERE elasticity < 0 AND coalesce(significant_5pct, FALSE)
        """
        )
        .df()
    )


def query_substitution_elasticities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """hs6 (HS 1988/92), sigma, std_error: every estimate (the model keeps the sensible ones)."""
    return _cursor(con).execute("SELECT hs6, sigma, std_error FROM substitution_elasticities").df()


def query_product_list_codes(con: duckdb.DuckDBPyConnection, list_name: str) -> list[str]:
    """HTS codes (prefixes) of one bundled product-coverage list (e.g. s232_steel_2025)."""
    rows = (
        _cursor(con)
        .execute(
            "SELECT DISTINCT replace(hts_code, '.', '') FROM us_tariff_product_lists WHERE list_name = ? ORDER BY 1",
            [list_name],
        )
        .fetchall()
    )
    return [row[0] for row in rows]


def query_rate_list(con: duckdb.DuckDBPyConnection, list_name: str) -> dict[str, float]:
    """{partner ISO3: rate in percent} of one bundled country-rate list (rows without an ISO3 are left out)."""
    rows = (
        _cursor(con)
        .execute(
            "SELECT partner_iso3, max(rate_pct) FROM us_reciprocal_rates WHERE list_name = ? AND partner_iso3 IS NOT NULL "
            "GROUP BY 1",
            [list_name],
        )
        .fetchall()
    )
    return {iso3: float(rate) for iso3, rate in rows}


def query_exemption_codes(con: duckdb.DuckDBPyConnection, list_name: str) -> list[str]:
    rows = (
        _cursor(con)
        .execute(
            "SELECT DISTINCT replace(hts_code, '.', '') FROM us_tariff_exemptions WHERE list_name = ? ORDER BY 1",
            [list_name],
        )
        .fetchall()
    )
    return [row[0] for row in rows]


def query_country_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = _cursor(con).execute("SELECT iso3, name_en FROM countries").fetchall()
    return {iso3: name for iso3, name in rows}


def query_chapter_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = _cursor(con).execute("SELECT hs_code, description FROM hs_codes WHERE hs_level = 2").fetchall()
    return {code: description for code, description in rows}


def query_line_descriptions(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    """Descriptions for HS codes (the nearest level the nomenclature has: 6, then 4 digits)."""
    if not codes:
        return {}
    wanted = sorted({c[:6] for c in codes} | {c[:4] for c in codes})
    rows = (
        _cursor(con)
        .execute("SELECT hs_code, description FROM hs_codes WHERE list_contains(?, hs_code)", [wanted])
        .fetchall()
    )
    found = dict(rows)
    return {c: found.get(c[:6]) or found.get(c[:4]) or "" for c in codes}


def query_bilateral_annual(con: duckdb.DuckDBPyConnection, reporter: str, partner: str) -> pd.DataFrame:
    """Annual exports and imports of ``reporter`` with ``partner``: the series of record, complete years.

    Columns: year, flow, value_usd, source, valuation, publisher (with "as printed by" for printed figures).
    """
    frame = record.query_record(con, reporter=reporter, partners=[partner])
    if frame.empty:
        return pd.DataFrame(columns=["year", "flow", "value_usd", "source", "valuation", "publisher"])
    frame["publisher"] = [
        record.citation(p, b) for p, b in zip(frame["publisher"], frame["printed_by"], strict=True)
    ]
    return frame[["year", "flow", "value_usd", "source", "valuation", "publisher"]].reset_index(drop=True)


def query_headline_balances(
    con: duckdb.DuckDBPyConnection, reporter: str, partner: str, side: str = "reporter"
) -> pd.DataFrame:
    """The headline balance of ``reporter`` with ``partner`` per year (etl.record_balance.query_balance): columns year,
    balance_usd, basis, basis_label, publisher (with "as printed by"), provisional, comparable, caveat (the
    record's flags of the figures the balance is made of), factor, factor_source (the CIF/FOB factor the balance
    applies, NaN where it converts nothing). ``side`` 'mirror': as the partner's own records give it
    (its imports from ``reporter`` are ``reporter``'s exports)."""
    columns = [
        "year",
        "balance_usd",
        "basis",
        "basis_label",
        "publisher",
        "provisional",
        "comparable",
        "caveat",
        "factor",
        "factor_source",
    ]
    frame = record_balance.query_balance(con, reporter=reporter, partners=[partner], side=side)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["publisher"] = [
        record.citation(str(p), b) for p, b in zip(frame["publisher"], frame["printed_by"], strict=True)
    ]
    return frame[columns].reset_index(drop=True)


def query_mirror_balance(
    con: duckdb.DuckDBPyConnection, reporter: str, partner: str, year: int
) -> dict[str, Any] | None:
    """``reporter``'s headline balance with ``partner`` in ``year`` on the partner's own customs records (etl.record
    mirror side): keys balance_usd, basis_label, exports_usd (the partner's imports from ``reporter``),
    exports_valuation, imports_usd, imports_valuation, publisher, cif_fob, cif_fob_source (the CIF/FOB factor its
    balance applies). None where the partner's record lacks the year."""
    frame = record_balance.query_balance(con, reporter=reporter, partners=[partner], side="mirror")
    row = frame[frame["year"] == year]
    if row.empty:
        return None
    first = row.iloc[0]
    return {
        "balance_usd": float(first["balance_usd"]),
        "basis_label": str(first["basis_label"]),
        "exports_usd": float(first["export_usd"]),
        "exports_valuation": str(first["export_valuation"]),
        "imports_usd": float(first["import_usd"]),
        "imports_valuation": str(first["import_valuation"]),
        "publisher": record.citation(str(first["publisher"]), first["printed_by"]),
        **_factor(first),
    }


def query_cpi(con: duckdb.DuckDBPyConnection) -> dict[int, float]:
    """US CPI-U, annual average of the monthly index (BLS; 1982-84 = 100), complete years only: {year: index}."""
    rows = (
        _cursor(con)
        .execute("SELECT year, cpi_u FROM cpi_annual WHERE n_months = 12 ORDER BY year")
        .fetchall()
    )
    return {int(year): float(value) for year, value in rows}


def query_headline_balance(
    con: duckdb.DuckDBPyConnection, reporter: str, partner: str, year: int
) -> dict[str, Any] | None:
    """The headline balance of ``reporter`` with ``partner`` in ``year``: keys balance_usd, basis, basis_label,
    publisher, provisional, comparable, caveat, cif_fob (the CIF/FOB factor the balance applies, None where it
    converts nothing), cif_fob_source; None where the record has none."""
    frame = query_headline_balances(con, reporter, partner)
    row = frame[frame["year"] == year]
    if row.empty:
        return None
    first = row.iloc[0]
    return {
        "balance_usd": float(first["balance_usd"]),
        "basis": str(first["basis"]),
        "basis_label": str(first["basis_label"]),
        "publisher": str(first["publisher"]),
        "provisional": bool(first["provisional"]),
        "comparable": bool(first["comparable"]),
        "caveat": str(first["caveat"] or ""),
        **_factor(first),
    }


def _factor(row: pd.Series) -> dict[str, Any]:
    """The CIF/FOB factor a balance row applies (etl.record balance_frame's factor, factor_source)."""
    factor = row.get("factor")
    if factor is None or pd.isna(factor):
        return {"cif_fob": None, "cif_fob_source": None}
    return {"cif_fob": float(factor), "cif_fob_source": str(row.get("factor_source") or "")}


def query_chapter_exports(con: duckdb.DuckDBPyConnection, seller: str, buyer: str, year: int) -> pd.DataFrame:
    """The seller's exports to the buyer by HS chapter in ``year`` (columns chapter, value_usd): the seller's
    record, and for chapters it lacks the buyer's record of its imports from the seller (etl.record mirror)."""
    own = record.query_record(
        con, reporter=seller, partners=[buyer], flows=("export",), hs_code=None, years=[year]
    )
    mirror = record.query_mirror(
        con, reporter=seller, partners=[buyer], flows=("export",), hs_code=None, years=[year]
    )
    own, mirror = own[own["hs_level"] == 2], mirror[mirror["hs_level"] == 2]
    mirror = mirror[~mirror["hs_code"].isin(set(own["hs_code"]))]
    both = pd.concat([own[["hs_code", "value_usd"]], mirror[["hs_code", "value_usd"]]], ignore_index=True)
    both = both.rename(columns={"hs_code": "chapter"})
    return both.sort_values("chapter").reset_index(drop=True)


def query_import_coverage(
    con: duckdb.DuckDBPyConnection, importer: str = UNITED_STATES, year: int = 2024
) -> pd.DataFrame:
    """How much of the importer's imports the partners with HS10 lines cover, per HS chapter and in total.

    Columns: chapter ('TOTAL' for all goods), lines_usd (imports for consumption from the partners that have
    HS10 lines, the EU aggregate counted once: its members' own rows left out), all_partners_usd (US Census
    imports for consumption by chapter from every partner, source us_census_hs2) and coverage_pct. A share
    computed over the bundled partners divides by lines_usd; say so, with coverage_pct. Chapters without an
    all-partner figure have NaN there (a gap, never a zero).
    """
    frame = (
        _cursor(con)
        .execute(
            """
        WITH lines AS (
            SELECT left(hs_code, 2) AS chapter, sum(value_usd) AS lines_usd FROM trade
            WHERE source = $lines AND reporter_iso3 = $importer AND year = $year AND hs_level = 10
              AND flow = 'import' AND partner_iso3 NOT IN ('WLD', '_X')
              AND NOT (list_contains($eu_members, partner_iso3) AND EXISTS (
                  SELECT 1 FROM trade e WHERE e.source = $lines AND e.reporter_iso3 = $importer AND e.year = $year
                    AND e.partner_iso3 = $eu))
            GROUP BY 1
        ), everyone AS (
            SELECT hs_code AS chapter, sum(value_usd) AS all_partners_usd FROM trade
            WHERE source = $all AND reporter_iso3 = $importer AND year = $year AND hs_level = 2
              AND flow = 'import' AND partner_iso3 NOT IN ('WLD', '_X')
            GROUP BY 1
        )
        SELECT coalesce(l.chapter, e.chapter) AS chapter, coalesce(l.lines_usd, 0) AS lines_usd,
               e.all_partners_usd
        FROM lines l FULL JOIN everyone e USING (chapter)
        ORDER BY chapter
        """,
            {
                "lines": US_LINES_SOURCE,
                "all": US_CHAPTERS_SOURCE,
                "importer": importer,
                "year": year,
                "eu_members": list(EU_MEMBERS),
                "eu": EUROPEAN_UNION,
            },
        )
        .df()
    )
    if frame.empty:
        return pd.DataFrame(columns=["chapter", "lines_usd", "all_partners_usd", "coverage_pct"])
    total = pd.DataFrame(
        {
            "chapter": ["TOTAL"],
            "lines_usd": [frame["lines_usd"].sum()],
            "all_partners_usd": [frame["all_partners_usd"].sum(min_count=1)],
        }
    )
    frame = pd.concat([frame, total], ignore_index=True)
    frame["coverage_pct"] = 100.0 * frame["lines_usd"] / frame["all_partners_usd"]
    return frame


def load_market(con: duckdb.DuckDBPyConnection, importer: str, year: int, level: str = "hs10") -> Market:
    """The market of `importer` in `year` at product level "hs10" or "hs6", with its elasticities."""
    arrays = query_market_arrays(con, importer, year, level)
    if arrays["imports_usd"].size == 0:
        years = query_line_years(con, importer)
        raise SpecError(
            "year" if years else "importer",
            f"no imports by HS10 line for {importer} in {year}",
            hint=f"years with lines for {importer}: {', '.join(map(str, years))}"
            if years
            else "the bundled lines are US imports for consumption: use importer USA, year 2024",
        )
    return market_from_arrays(
        arrays,
        query_import_demand_elasticities(con),
        query_substitution_elasticities(con),
        level=level,
    )
