"""The query layer: SQL with bound parameters → DataFrame. "The" value of an observation comes from the series
of record (etl.record); this module shapes it for the pages.

Functions named ``query_*`` take an open DuckDB connection, run on a fresh cursor and return a new frame.
No Streamlit here: caching and the connection's lifetime live in dashboard.components.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from etl import record, record_balance
from etl.schema import COLOMBIA, SOURCES, WORLD, yearly_sql

COLOMBIA = COLOMBIA
REPORTER_VIEW = "reporter"
MIRROR_VIEW = "mirror"
RECONCILED_VIEW = "reconciled"
VIEWS = (REPORTER_VIEW, MIRROR_VIEW, RECONCILED_VIEW)
TRADE_FLOWS = ("export", "import")

SERIES_CONDITION = (
    "reporter_iso3 = $reporter AND partner_iso3 = $partner AND flow = $flow AND "
    "source = $source AND hs_level > 0"
)
# The same series' all-goods row (where the series publishes one): what its product shares are shares of.
TOTAL_CONDITION = (
    "reporter_iso3 = $reporter AND partner_iso3 = $partner AND flow = $flow AND source = $source AND "
    "hs_code = 'TOTAL'"
)
TOTALS_COLUMNS = [
    "year",
    "partner_iso3",
    "flow",
    "value_usd",
    "valuation",
    "source",
    "valuation_stated",
    "publisher",
    "printed_by",
    "provisional",
    "comparable",
    "caveat",
]
WIDE_COLUMNS = [
    "partner_iso3", "year", "export", "import", "balance", "basis", "basis_label", "balance_source",
    "balance_publisher", "alt_balance", "alt_basis_label", "export_source", "import_source", "export_valuation",
    "import_valuation", "export_publisher", "import_publisher", "provisional", "comparable", "caveat",
    "export_caveat", "import_caveat", "est_balance", "factor", "factor_source",
]  # fmt: skip


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> pd.DataFrame:
    cursor = con.cursor()
    try:
        return cursor.execute(sql, params if params is not None else []).df()
    finally:
        cursor.close()


def source_label(source: str) -> str:
    """The publisher series' long name (falls back to the short one)."""
    return SOURCES.get(source, source)


def query_totals(con: duckdb.DuckDBPyConnection, *, view: str, partners: list[str]) -> pd.DataFrame:
    """Colombia's total exports and imports with each partner: the series of record (etl.record), one value
    per (year, partner, flow), complete years only.

    ``view`` 'reporter': as Colombia reports them. 'mirror' or 'reconciled': as each partner reports its
    trade with Colombia, flows swapped (the World does not report). Reconciliation of CIF values is applied
    later by :func:`reconcile` (it needs no SQL). Columns :data:`TOTALS_COLUMNS`.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {VIEWS}")
    if view == REPORTER_VIEW:
        frame = record.query_record(con, reporter=COLOMBIA, partners=list(partners))
    else:
        frame = record.query_mirror(
            con, reporter=COLOMBIA, partners=[p for p in partners if p != record.WORLD]
        )
    return frame[TOTALS_COLUMNS].reset_index(drop=True)


def reconcile(totals: pd.DataFrame, factor: float) -> pd.DataFrame:
    """Partner CIF values divided by ``factor`` (to FOB). Pure: returns a new frame."""
    if not (1.0 <= factor <= 1.5):
        raise ValueError(f"CIF/FOB factor {factor} is outside 1.00–1.50")
    out = totals.copy()
    cif = out["valuation"] == "CIF"
    out.loc[cif, "value_usd"] = out.loc[cif, "value_usd"] / factor
    out.loc[cif, "valuation"] = f"FOB (CIF ÷ {factor:.2f})"
    return out


def query_balances(
    con: duckdb.DuckDBPyConnection, *, view: str, partners: list[str], factor: float | None = None
) -> pd.DataFrame:
    """Exports, imports and the headline balance per (partner, year), wide (columns :data:`WIDE_COLUMNS`).

    The balance is etl.record's headline: valuation-consistent and named (``basis``, ``basis_label``): DANE's
    own FOB/FOB balance where DANE published one, else exports − imports with CIF converted to FOB by a CIF/FOB
    factor (``factor``, ``factor_source``): None, the series of record's rule (DANE's own figures for the partner
    where they give one, else IMF's); a number, that factor everywhere (the reconciled view's what-if).
    ``alt_balance`` is exports − imports as valued (mixed FOB − CIF), labelled in ``alt_basis_label``;
    ``est_balance`` the estimate with CIF converted to FOB (the basis every year has, to compare years whose
    headlines differ in basis). ``provisional``, ``comparable`` and ``caveat`` flag the balance
    (``export_caveat``, ``import_caveat``: each flow's own flags).
    'reporter' view: Colombia's record; 'mirror': the partners' records; 'reconciled': the partners' records
    with CIF values ÷ ``factor`` (then export − import = the headline). A year without a balance is absent.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {VIEWS}")
    side = "reporter" if view == REPORTER_VIEW else "mirror"
    frame = record_balance.query_balance(
        con, reporter=COLOMBIA, partners=list(partners), side=side, basis="all", factor=factor
    )
    if frame.empty:
        return pd.DataFrame(columns=WIDE_COLUMNS)
    head = frame[frame["headline"]].copy()
    alt = frame.loc[
        frame["basis"] == record_balance.MIXED, ["partner_iso3", "year", "balance_usd", "basis_label"]
    ]
    alt = alt.rename(columns={"balance_usd": "alt_balance", "basis_label": "alt_basis_label"})
    est = frame.loc[frame["basis"] == record_balance.FOB_ESTIMATED, ["partner_iso3", "year", "balance_usd"]]
    alt = alt.merge(
        est.rename(columns={"balance_usd": "est_balance"}), on=["partner_iso3", "year"], how="outer"
    )
    wide = head.merge(alt, on=["partner_iso3", "year"], how="left").rename(
        columns={"export_usd": "export", "import_usd": "import", "balance_usd": "balance"}
    )
    wide["balance_publisher"] = [
        record.citation(p, b) for p, b in zip(wide["publisher"], wide["printed_by"], strict=True)
    ]
    wide["balance_source"] = [
        "published" if basis == record_balance.OFFICIAL else (e if e == i else f"{e} / {i}")
        for basis, e, i in zip(wide["basis"], wide["export_source"], wide["import_source"], strict=True)
    ]
    if view == RECONCILED_VIEW:  # each CIF value ÷ the factor its year's estimate used
        for flow in TRADE_FLOWS:
            cif = wide[f"{flow}_valuation"] == "CIF"
            wide.loc[cif, flow] = wide.loc[cif, flow] / wide.loc[cif, "factor"]
            wide.loc[cif, f"{flow}_valuation"] = [f"FOB (CIF ÷ {f:.2f})" for f in wide.loc[cif, "factor"]]
    return wide[WIDE_COLUMNS].sort_values(["partner_iso3", "year"]).reset_index(drop=True)


def long_measures(wide: pd.DataFrame) -> pd.DataFrame:
    """Wide balance frame → long rows (partner_iso3, year, measure, value_usd, source, valuation, publisher,
    flag: the figure's provisional and non-comparable flags in words, '' when final and comparable).

    The balance row's valuation is its basis label (e.g. "DANE's trade balance: exports FOB − imports FOB").
    """
    rows = []
    for measure in ("export", "import", "balance"):
        part = wide[["partner_iso3", "year", measure]].rename(columns={measure: "value_usd"})
        part.insert(2, "measure", measure)
        if measure == "balance":
            part["source"] = wide["balance_source"]
            part["valuation"] = wide["basis_label"]
            part["publisher"] = wide["balance_publisher"]
            part["flag"] = wide["caveat"] if "caveat" in wide else ""
        else:
            part["source"] = wide[f"{measure}_source"]
            part["valuation"] = wide[f"{measure}_valuation"]
            part["publisher"] = wide[f"{measure}_publisher"]
            part["flag"] = wide[f"{measure}_caveat"] if f"{measure}_caveat" in wide else ""
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    return out.dropna(subset=["value_usd"]).reset_index(drop=True)


def deficit_shares(wide: pd.DataFrame, world: str = WORLD) -> pd.DataFrame:
    """Each partner's headline balance as a % of Colombia's headline balance with the World, in deficit years.

    Rows: partner_iso3, year, share_pct, denominator. Years without a World balance, or with a surplus, are
    absent.
    """
    world_rows = wide.loc[wide["partner_iso3"] == world, ["year", "balance", "basis_label"]]
    world_rows = world_rows.rename(columns={"balance": "world", "basis_label": "denominator"})
    partners = wide.loc[wide["partner_iso3"] != world, ["partner_iso3", "year", "balance"]]
    merged = partners.merge(world_rows, on="year", how="inner")
    merged = merged[(merged["world"] < 0) & merged["balance"].notna()]
    merged = merged.assign(
        share_pct=merged["balance"] / merged["world"] * 100.0,
        denominator="Colombia's balance with the World: " + merged["denominator"].astype(str),
    )
    return (
        merged[["partner_iso3", "year", "share_pct", "denominator"]]
        .sort_values(["partner_iso3", "year"])
        .reset_index(drop=True)
    )


def partner_shares(totals: pd.DataFrame, partners: list[str], world: str = WORLD) -> pd.DataFrame:
    """Each partner's share (%) of Colombia's trade with the World, per flow and year, where both exist.

    Rows: partner_iso3, flow, year, share_pct, source (partner's source / world's source), publisher (the
    partner figure's, as the series of record names it), denominator (what the share divides by, with its
    publisher), flag (provisional, not comparable).
    """
    world_rows = totals.loc[
        totals["partner_iso3"] == world,
        ["year", "flow", "value_usd", "source", "publisher", "printed_by"]
        + [c for c in ("caveat",) if c in totals],
    ]
    world_rows = world_rows.assign(
        denominator=[
            f"Colombia's {f}s, all partners ({record.citation(p, b)})"
            for f, p, b in zip(
                world_rows["flow"], world_rows["publisher"], world_rows["printed_by"], strict=True
            )
        ]
    )
    world_rows = world_rows.rename(
        columns={"value_usd": "world_usd", "source": "world_source", "caveat": "world_caveat"}
    )
    world_rows = world_rows.drop(columns=["publisher", "printed_by"])
    partner_rows = totals[totals["partner_iso3"].isin(partners)]
    merged = partner_rows.merge(world_rows, on=["year", "flow"], how="inner")
    merged = merged[merged["world_usd"] > 0]
    merged = merged.assign(
        share_pct=merged["value_usd"] / merged["world_usd"] * 100.0,
        source=[
            p if p == w else f"{p} / {w}"
            for p, w in zip(merged["source"], merged["world_source"], strict=True)
        ],
    )
    partner_flags = merged["caveat"] if "caveat" in merged else pd.Series("", index=merged.index)
    world_flags = merged["world_caveat"] if "world_caveat" in merged else pd.Series("", index=merged.index)
    merged["flag"] = [
        "; ".join(dict.fromkeys(str(f) for f in (p, w) if isinstance(f, str) and f))
        for p, w in zip(partner_flags, world_flags, strict=True)
    ]
    merged["publisher"] = [
        record.citation(p, b) for p, b in zip(merged["publisher"], merged["printed_by"], strict=True)
    ]  # named as every other page names it (the record's publisher, "as printed by")
    return (
        merged[["partner_iso3", "flow", "year", "share_pct", "source", "publisher", "denominator", "flag"]]
        .sort_values(["partner_iso3", "flow", "year"])
        .reset_index(drop=True)
    )


def query_cpi(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(con, "SELECT year, cpi_u, n_months FROM cpi_annual ORDER BY year")


def query_gdp(con: duckdb.DuckDBPyConnection, iso3: str = COLOMBIA) -> pd.DataFrame:
    """GDP in current US dollars per year (year, gdp_usd, source, publisher): etl.record's one value per year."""
    return record.query_gdp(con, iso3)


def query_countries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(con, "SELECT iso3, name_en, name_es, is_aggregate FROM countries ORDER BY iso3")


def query_total_partners(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Partners with total (not product-level) trade data with Colombia, from either side."""
    frame = _frame(
        con,
        """
        SELECT DISTINCT CASE WHEN reporter_iso3 = ? THEN partner_iso3 ELSE reporter_iso3 END AS partner
        FROM trade
        WHERE hs_code = 'TOTAL' AND (reporter_iso3 = ? OR partner_iso3 = ?) AND flow IN ('export', 'import')
        ORDER BY partner
        """,
        [COLOMBIA, COLOMBIA, COLOMBIA],
    )
    return [p for p in frame["partner"] if p != COLOMBIA]


def product_series(options: pd.DataFrame) -> pd.DataFrame:
    """The (reporter, partner, flow, source) series with product (HS) detail and their deepest HS level,
    from :func:`query_data_options` (pure: the catalogue is shared with the Data page's cache)."""
    keys = ["reporter_iso3", "partner_iso3", "flow", "source"]
    detail = options[(options["hs_level"] > 0) & options["flow"].isin(TRADE_FLOWS)]
    if detail.empty:
        return pd.DataFrame(columns=[*keys, "max_level"])
    return detail.groupby(keys, sort=True, as_index=False).agg(max_level=("hs_level", "max"))


def query_series_years(
    con: duckdb.DuckDBPyConnection, *, reporter: str, partner: str, flow: str, source: str
) -> list[int]:
    """The years in which one series has product detail (a pruned scan: fast at any table size)."""
    frame = _frame(
        con,
        f"SELECT DISTINCT year FROM trade WHERE {SERIES_CONDITION} ORDER BY year",  # noqa: S608 - fixed fragment
        {"reporter": reporter, "partner": partner, "flow": flow, "source": source},
    )
    return [int(y) for y in frame["year"]]


def query_hs_tree(
    con: duckdb.DuckDBPyConnection, *, reporter: str, partner: str, flow: str, source: str, year: int
) -> pd.DataFrame:
    """Values by HS chapter and heading (heading NULL where the data stops at chapters).

    Uses only the most detailed level the series has that year, so nothing is counted twice.
    """
    series = {"reporter": reporter, "partner": partner, "flow": flow, "source": source, "year": year}
    return _frame(
        con,
        f"""
        WITH {yearly_sql(SERIES_CONDITION + " AND year = $year", name="annual_rows")},
        deepest AS (SELECT max(hs_level) AS level FROM annual_rows),
        tree AS (
            SELECT left(hs_code, 2) AS chapter,
                   CASE WHEN level >= 4 THEN left(hs_code, 4) END AS heading,
                   sum(value_usd) AS value_usd
            FROM annual_rows, deepest WHERE hs_level = level
            GROUP BY ALL
        )
        SELECT tree.chapter, tree.heading, tree.value_usd,
               c.description AS chapter_description, h.description AS heading_description
        FROM tree
        LEFT JOIN hs_codes c ON c.hs_code = tree.chapter
        LEFT JOIN hs_codes h ON h.hs_code = tree.heading
        ORDER BY tree.chapter, tree.heading
        """,  # noqa: S608 - fixed fragments only
        series,
    )


def query_top_products(
    con: duckdb.DuckDBPyConnection,
    *,
    reporter: str,
    partner: str,
    flow: str,
    source: str,
    year: int,
    limit: int = 20,
) -> pd.DataFrame:
    """The largest products at the series' most detailed level, with the HS6 (or coarser) description.

    ``share_pct`` divides by the whole: the series' all-goods total for the year where it publishes one (DANE's
    import annex names 19–24 chapters, about 77 % of imports from China in 2024), else the sum of all its lines;
    ``denominator`` says which. ``total_usd`` is that whole and ``lines_usd`` the sum of the series' lines, so
    the part no line holds (``total_usd − lines_usd``) can be shown.
    """
    series = {
        "reporter": reporter,
        "partner": partner,
        "flow": flow,
        "source": source,
        "year": year,
        "limit": limit,
    }
    frame = _frame(
        con,
        f"""
        WITH {yearly_sql(SERIES_CONDITION + " AND year = $year", name="annual_rows")},
        deepest AS (SELECT max(hs_level) AS level FROM annual_rows),
        lines AS (SELECT hs_code, value_usd FROM annual_rows, deepest WHERE hs_level = level),
        top AS (SELECT hs_code, value_usd FROM lines ORDER BY value_usd DESC, hs_code LIMIT $limit)
        SELECT top.hs_code, h.description, top.value_usd, (SELECT sum(value_usd) FROM lines) AS lines_usd
        FROM top
        LEFT JOIN hs_codes h ON h.hs_code = left(top.hs_code, least(length(top.hs_code), 6))
        ORDER BY top.value_usd DESC, top.hs_code
        """,  # noqa: S608 - fixed fragments only
        series,
    )
    published = _frame(
        con,
        f"WITH {yearly_sql(TOTAL_CONDITION + ' AND year = $year')} SELECT sum(value_usd) AS v FROM yearly",  # noqa: S608
        {k: v for k, v in series.items() if k != "limit"},
    )["v"].iloc[0]
    frame["total_usd"] = published if pd.notna(published) else frame["lines_usd"]
    frame["share_pct"] = frame["value_usd"] / frame["total_usd"] * 100
    direction = "from" if flow == "import" else "to"
    whole = "all goods (the series' total)" if pd.notna(published) else "every line of this series"
    frame["denominator"] = f"{reporter}'s {flow}s {direction} {partner} in {year}, {whole}"
    return frame


def query_movers(
    con: duckdb.DuckDBPyConnection,
    *,
    reporter: str,
    partner: str,
    flow: str,
    source: str,
    year_from: int,
    year_to: int,
) -> pd.DataFrame:
    """Every HS heading (4 digits, or chapter where that is all both years have) of one series with its value in
    ``year_from`` and ``year_to`` (0 where the series has no row that year) and the change, by code. The ranking
    (by change or by growth in %) is dashboard.product_views.movers_table's."""
    series = {
        "reporter": reporter,
        "partner": partner,
        "flow": flow,
        "source": source,
        "year_from": year_from,
        "year_to": year_to,
    }
    return _frame(
        con,
        f"""
        WITH {yearly_sql(SERIES_CONDITION + " AND year IN ($year_from, $year_to)", name="annual_rows")},
        deepest AS (SELECT year, max(hs_level) AS level FROM annual_rows GROUP BY year),
        grouped AS (
            SELECT left(r.hs_code, least((SELECT min(level) FROM deepest), 4)) AS hs_code,
                   sum(CASE WHEN r.year = $year_from THEN value_usd END) AS value_from,
                   sum(CASE WHEN r.year = $year_to THEN value_usd END) AS value_to
            FROM annual_rows r JOIN deepest d ON r.year = d.year AND r.hs_level = d.level
            GROUP BY 1
        )
        SELECT g.hs_code, h.description, coalesce(value_from, 0) AS value_from, coalesce(value_to, 0) AS value_to,
               coalesce(value_to, 0) - coalesce(value_from, 0) AS change_usd
        FROM grouped g LEFT JOIN hs_codes h USING (hs_code)
        ORDER BY g.hs_code
        """,  # noqa: S608 - fixed fragments only
        series,
    )


def query_coverage_countries(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every country code that appears as reporter or partner."""
    frame = _frame(
        con, "SELECT reporter_iso3 AS iso3 FROM trade UNION SELECT partner_iso3 FROM trade ORDER BY 1"
    )
    return frame["iso3"].tolist()


def query_coverage(con: duckdb.DuckDBPyConnection, *, country: str, counterparts: list[str]) -> pd.DataFrame:
    """Series between ``country`` and each of ``counterparts`` (either side reporting), per year: the months
    covered (12 for annual figures) and whether they are totals or product detail."""
    condition = (
        "(reporter_iso3 = $country AND partner_iso3 IN (SELECT unnest($counterparts::VARCHAR[])))"
        " OR (partner_iso3 = $country AND reporter_iso3 IN (SELECT unnest($counterparts::VARCHAR[])))"
    )
    return _frame(
        con,
        f"""
        SELECT source, reporter_iso3, partner_iso3, flow,
               CASE WHEN hs_level = 0 THEN 'totals' ELSE 'HS' || hs_level END AS detail,
               year,
               CASE WHEN bool_or(length(period) = 4) THEN 12
                    ELSE count(DISTINCT period) FILTER (WHERE length(period) = 6) END AS months_covered
        FROM trade WHERE {condition}
        GROUP BY ALL
        ORDER BY source, reporter_iso3, partner_iso3, flow, detail, year
        """,  # noqa: S608 - fixed fragments only
        {"country": country, "counterparts": list(counterparts)},
    )


def query_datasets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every loaded file with its provenance, load date (UTC) and vintage: loaded as a revision or not, how
    many rows of earlier releases it revises, and how many of its own rows a later release superseded."""
    return _frame(
        con,
        """
        SELECT d.dataset_id, d.source, d.publisher, d.licence, d.origin, d.path, d.description, d.row_count,
               d.loaded_at, d.revision AS vintage,
               (SELECT count(*) FROM trade_superseded s WHERE s.superseded_by = d.dataset_id) AS revises_rows,
               (SELECT count(*) FROM trade_superseded s WHERE s.dataset_id = d.dataset_id) AS superseded_rows
        FROM datasets d ORDER BY d.dataset_id
        """,
    )


def query_series_vintages(
    con: duckdb.DuckDBPyConnection, *, source: str, reporter: str, partner: str, flow: str
) -> pd.DataFrame:
    """The loaded files one series' current rows come from: path, load date (UTC), whether loaded as a
    revision, and rows (largest first)."""
    return _frame(
        con,
        """
        SELECT d.path, d.loaded_at, d.revision, count(*) AS rows
        FROM trade t JOIN datasets d USING (dataset_id)
        WHERE t.source = $source AND t.reporter_iso3 = $reporter AND t.partner_iso3 = $partner AND t.flow = $flow
        GROUP BY ALL ORDER BY rows DESC, d.loaded_at
        """,
        {"source": source, "reporter": reporter, "partner": partner, "flow": flow},
    )


def query_data_options(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The distinct (source, reporter, partner, flow, hs_level) combinations, with year range."""
    return _frame(
        con,
        """
        SELECT source, reporter_iso3, partner_iso3, flow, hs_level, min(year) AS year_min, max(year) AS year_max
        FROM trade GROUP BY ALL ORDER BY ALL
        """,
    )


def query_trade_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    reporter: str,
    partner: str,
    flow: str,
    hs_level: int,
    year_from: int,
    year_to: int,
    limit: int,
) -> tuple[pd.DataFrame, int]:
    """Annual rows of one series (monthly-only series summed per year) and the total row count."""
    params = {
        "source": source,
        "reporter": reporter,
        "partner": partner,
        "flow": flow,
        "hs_level": hs_level,
        "year_from": year_from,
        "year_to": year_to,
        "limit": limit,
    }
    condition = (
        "source = $source AND reporter_iso3 = $reporter AND partner_iso3 = $partner AND flow = $flow"
        " AND hs_level = $hs_level AND year BETWEEN $year_from AND $year_to"
    )
    frame = _frame(
        con,
        f"""
        WITH {yearly_sql(condition, name="annual_rows")}
        SELECT year, reporter_iso3, partner_iso3, flow, hs_code, value_usd, valuation, source, months_covered,
               count(*) OVER () AS total_rows
        FROM annual_rows
        ORDER BY year, value_usd DESC, hs_code LIMIT $limit
        """,  # noqa: S608 - fixed fragments only
        params,
    )
    total = int(frame["total_rows"].iloc[0]) if not frame.empty else 0
    return frame.drop(columns="total_rows"), total


def query_hs_codes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every HS code of the bundled nomenclature: hs_code, hs_level, description (WCO, English), and the
    Spanish nomenclature's description_es and heading_es (its heading's text, for a subheading; NULL where the
    Spanish nomenclature has no such code)."""
    return _frame(
        con,
        "SELECT h.hs_code, h.hs_level, h.description, e.description AS description_es, e.heading AS heading_es "
        "FROM hs_codes h LEFT JOIN hs_codes_es e USING (hs_code) ORDER BY h.hs_code",
    )


def query_prefix_values(
    con: duckdb.DuckDBPyConnection,
    *,
    reporter: str,
    partner: str,
    flow: str,
    source: str,
    year: int,
    prefixes: list[str],
) -> pd.DataFrame:
    """For each HS prefix, the series' value in ``year`` over the codes it covers (at the series' deepest
    level that year, so nothing is counted twice). Rows: hs_code, value_usd (NULL where nothing is traded)."""
    series = {
        "reporter": reporter,
        "partner": partner,
        "flow": flow,
        "source": source,
        "year": year,
        "prefixes": list(prefixes),
    }
    return _frame(
        con,
        f"""
        WITH {yearly_sql(SERIES_CONDITION + " AND year = $year", name="annual_rows")},
        deepest AS (SELECT max(hs_level) AS level FROM annual_rows),
        lines AS (SELECT hs_code, value_usd FROM annual_rows, deepest WHERE hs_level = level)
        SELECT p.hs_code,
               (SELECT sum(value_usd) FROM lines WHERE starts_with(lines.hs_code, p.hs_code)) AS value_usd
        FROM (SELECT unnest($prefixes::VARCHAR[]) AS hs_code) p
        """,  # noqa: S608 - fixed fragments only
        series,
    )


def query_chapter_imports(con: duckdb.DuckDBPyConnection, *, partners: list[str]) -> pd.DataFrame:
    """Colombia's imports from ``partners`` by HS chapter and in total, from the series of record (complete
    years only). Rows: partner_iso3, year, hs_code ('TOTAL' or a chapter), value_usd, source, publisher,
    valuation, provisional."""
    from etl import record

    frame = record.query_record(con, reporter=COLOMBIA, partners=partners, flows=("import",), hs_code=None)
    frame = frame[(frame["hs_code"] == "TOTAL") | (frame["hs_level"] == 2)]
    return frame[
        ["partner_iso3", "year", "hs_code", "value_usd", "source", "publisher", "valuation", "provisional"]
    ].reset_index(drop=True)


def query_provisional_years(con: duckdb.DuckDBPyConnection, *, source: str) -> list[int]:
    """The years a source's publisher marks provisional (the ``provisional`` table)."""
    frame = _frame(con, "SELECT DISTINCT year FROM provisional WHERE source = ? ORDER BY year", [source])
    return [int(y) for y in frame["year"]]
