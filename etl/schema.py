"""THE schema: every table, column and type Balanza stores, and the columns of the Comtrade+ format.

Everything that reads or writes the database imports its names from here.
"""

from __future__ import annotations

SCHEMA_VERSION = (
    9  # 3: the trade_record view (etl/record.py); 4: elasticity standard errors, us_tariff_product_lists;
    # 5: hs_codes_es (the Spanish HS nomenclature); 6: not_comparable, trade_record's comparable and caveat;
    # 7: gdp's source and publisher (a year the World Bank lacks, derived from official publications);
    # 8: the store's files listed relative to the catalogue's folder with size, footer and content checksums
    # (trade_files), vintages (datasets.revision, trade_superseded); 9: country_iso2 (IMF DOTS rows via DBnomics)
)

# Adapters insert here, tagged with their dataset_id (in a write session: the staging table).
STAGED_TABLE = "trade"

FLOWS = ("export", "import", "re-export", "re-import")
VALUATIONS = ("FOB", "CIF")
# The partners Balanza is about, by ISO 3166 alpha-3 code (the codes `reporter_iso3`/`partner_iso3` hold).
COLOMBIA = "COL"
CHINA = "CHN"
UNITED_STATES = "USA"
WORLD = "WLD"
# Colombia's peers in the region (the Peers page, `balanza status`): Argentina, Brazil, Chile, Ecuador, Mexico, Peru.
PEERS = ("ARG", "BRA", "CHL", "ECU", "MEX", "PER")
EUROPEAN_UNION = "EUN"  # WITS code for the EU as one partner; never added to its members
# Members of the European Union since 1 February 2020 (the 27 after the UK left): a sum over partners never
# holds both EUROPEAN_UNION and any of these.
EU_MEMBERS = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA", "LVA",
    "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
)  # fmt: skip
AREAS_NES = "_X"  # UN Comtrade's "Areas, not elsewhere specified" (e.g. DIAN's "país no declarado")

# Values are stored in US dollars (`value_usd`); publishers print millions, pages show billions.
MILLION = 1e6
BILLION = 1e9

# Short names of the publisher series held in `trade.source`.
SOURCES = {
    "imf_dots": "IMF Direction of Trade Statistics",
    "imf_dots_dbnomics": "IMF Direction of Trade Statistics, 2026 vintage (via DBnomics)",
    "us_census_general": "US Census Bureau, general imports / total exports (country totals)",
    "us_census_consumption": "US Census Bureau, imports for consumption by HS10",
    "dian": "DIAN / DANE exports by destination",
    "published": "Printed figures (DANE and others, as quoted)",
    "comtrade": "UN Comtrade",
    "dane_imports": "DANE / DIAN imports by country of origin (CIF)",
    "gacc": "General Administration of Customs of China (converted from CNY at a cited annual rate)",
    "us_census_hs2": "US Census Bureau, imports for consumption by HS chapter, all partners",
}

# GDP sources (table gdp): the World Bank's series, and years it lacks derived from official publications.
GDP_WORLD_BANK = "world_bank"
GDP_DERIVED = "derived"

# Printed non-trade figures (table published_indicators).
INDICATORS = {"central_government_balance": "Central government fiscal balance (deficit negative)"}
INDICATOR_UNITS = {"pct_gdp": "% of GDP", "COP": "Colombian pesos", "USD": "US dollars"}

# The canonical observation: one row per value a publisher printed.
# NOT NULL marks what etl/validate.py enforces, naming the file, line and column of any violation; the table
# itself carries no constraints so bulk inserts stay fast and a bad row never fails with a generic error.
TRADE_COLUMNS: dict[str, str] = {
    "year": "INTEGER NOT NULL",
    "period": "VARCHAR NOT NULL",  # YYYY or YYYYMM
    "reporter_iso3": "VARCHAR NOT NULL",
    "partner_iso3": "VARCHAR NOT NULL",
    "flow": "VARCHAR NOT NULL",
    "hs_code": "VARCHAR NOT NULL",  # 'TOTAL' or HS digits with leading zeros
    "hs_level": "TINYINT NOT NULL",  # 0 for TOTAL
    "value_usd": "DOUBLE NOT NULL",
    "valuation": "VARCHAR NOT NULL",
    "net_weight_kg": "DOUBLE",
    "source": "VARCHAR NOT NULL",
    "dataset_id": "INTEGER NOT NULL",
    "duty_usd": "DOUBLE",  # calculated duty, where the publisher gives it (US Census)
    "hs_vintage": "VARCHAR",  # H0..H6 where known
    "valuation_stated": "BOOLEAN NOT NULL",  # FALSE: valuation follows convention, not the page
    "source_line": "BIGINT",  # physical line in the source file, where it has lines
}
TRADE_KEY = ("source", "reporter_iso3", "partner_iso3", "flow", "period", "hs_code", "valuation")


def yearly_sql(condition: str = "TRUE", *, relation: str = "trade", name: str = "yearly") -> str:
    """Common table expressions for a WITH clause, ending in ``name``: the rows of ``relation`` (``trade``, or
    a table with its columns) that match ``condition`` as yearly values, one per (source, year, reporter,
    partner, flow, HS code, valuation).

    Annual rows count as published (12 months). A series published only monthly is summed per year, with the
    number of months it covers (``months_covered``; fewer than 12 is an incomplete year) and
    ``valuation_stated`` only where every month states it; a monthly series that also has an annual row for
    the year gives way to it. Columns: year, reporter_iso3, partner_iso3, flow, hs_code, hs_level, valuation,
    source, value_usd, net_weight_kg, duty_usd, months_covered, valuation_stated.

    Written once, for the ``trade_annual`` view, the series of record (``etl.record.record_sql``) and the
    query layer (``dashboard.queries``). ``condition`` is a fixed SQL fragment (values are bound by the
    caller); it is applied inside both branches so DuckDB prunes by column statistics instead of aggregating
    the whole table first.
    """
    return f"""annual AS (
            SELECT year, reporter_iso3, partner_iso3, flow, hs_code, hs_level, valuation, source, value_usd,
                   net_weight_kg, duty_usd, 12 AS months_covered, valuation_stated
            FROM {relation} WHERE length(period) = 4 AND ({condition})
        ), monthly AS (
            SELECT year, reporter_iso3, partner_iso3, flow, hs_code, hs_level, valuation, source,
                   sum(value_usd) AS value_usd, sum(net_weight_kg) AS net_weight_kg, sum(duty_usd) AS duty_usd,
                   count(DISTINCT period)::INTEGER AS months_covered,
                   bool_and(valuation_stated) AS valuation_stated
            FROM {relation} WHERE length(period) = 6 AND ({condition})
            GROUP BY ALL
        ), {name} AS (
            SELECT * FROM annual
            UNION ALL
            SELECT m.* FROM monthly m
            ANTI JOIN annual a USING (source, year, reporter_iso3, partner_iso3, flow, hs_code, valuation)
        )"""


DDL = f"""
CREATE TABLE IF NOT EXISTS schema_info (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS datasets (
    dataset_id INTEGER PRIMARY KEY,
    path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    source VARCHAR,
    publisher VARCHAR,
    licence VARCHAR,
    origin VARCHAR,
    description VARCHAR,
    row_count BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,  -- UTC: the vintage's date
    revision BOOLEAN NOT NULL DEFAULT FALSE  -- loaded as a newer vintage (balanza load --revision, balanza fetch)
);

-- The store (etl/store/): one immutable Parquet file per dataset's trade rows, listed here. The path is
-- relative to the catalogue's folder, so the folder holding both can be moved or copied. Size and the footer's
-- checksum are checked at every open; the whole file's sha256 by `balanza verify`.
CREATE TABLE IF NOT EXISTS trade_files (
    dataset_id INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    path VARCHAR NOT NULL,  -- relative to the catalogue's folder, '/'-separated
    row_count BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    footer_sha256 VARCHAR NOT NULL,  -- of the Parquet footer (row count, row groups, statistics)
    sha256 VARCHAR NOT NULL,  -- of the whole file
    written_at TIMESTAMP NOT NULL  -- UTC
);
-- Files a commit stopped listing, kept for readers of an older catalogue for the grace period.
CREATE TABLE IF NOT EXISTS trade_files_dropped (path VARCHAR NOT NULL, dropped_at DOUBLE NOT NULL);
-- Files loaded outside the manifest (`balanza load`, `balanza fetch`): a copy of each is kept in the store's
-- loaded/ folder, so `balanza build` loads them again after the manifest's files (etl/build.py). The path is
-- relative to the catalogue's folder; the copy's sha256 is the dataset's (datasets.sha256).
CREATE TABLE IF NOT EXISTS loaded_files (
    dataset_id INTEGER NOT NULL,
    path VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    options VARCHAR NOT NULL DEFAULT '{{}}'  -- the load's options (JSON), e.g. allow_shrink
);
-- Vintages: a stored row of dataset_id with this key is superseded by the same observation (same source) in
-- the later dataset superseded_by. `trade` leaves such rows out; `trade_vintages` and `trade_as_of` keep them.
CREATE TABLE IF NOT EXISTS trade_superseded (
    dataset_id INTEGER NOT NULL,
    {", ".join(f"{name} {TRADE_COLUMNS[name].replace(' NOT NULL', '')}" for name in TRADE_KEY)},
    superseded_by INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS trade (
    {", ".join(f"{name} {kind.replace(' NOT NULL', '')}" for name, kind in TRADE_COLUMNS.items())}
);  -- value ranges, flows and codes are validated by etl/validate.py, which names the file, line and column

CREATE TABLE IF NOT EXISTS countries (
    iso3 VARCHAR PRIMARY KEY,
    m49 INTEGER,
    name_en VARCHAR NOT NULL,
    name_es VARCHAR,
    is_aggregate BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE IF NOT EXISTS comtrade_areas (code INTEGER PRIMARY KEY, iso3 VARCHAR NOT NULL, name VARCHAR);
CREATE TABLE IF NOT EXISTS census_countries (cty_code VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL, name VARCHAR);
CREATE TABLE IF NOT EXISTS country_names (name_key VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL);
-- ISO 3166 alpha-2 → alpha-3, from the same country-codes file (publishers that code countries in two letters,
-- such as IMF DOTS as served by DBnomics).
CREATE TABLE IF NOT EXISTS country_iso2 (iso2 VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS imf_partner_names (imf_name VARCHAR PRIMARY KEY, iso3 VARCHAR);

CREATE TABLE IF NOT EXISTS hs_codes (
    hs_code VARCHAR PRIMARY KEY,
    hs_level TINYINT NOT NULL,
    description VARCHAR NOT NULL,
    parent VARCHAR,
    section VARCHAR
);

-- The HS in Spanish, as published in the EU Combined Nomenclature 2023 (HS 2022 based; the loader in
-- etl/sources/reference.py keeps its HS levels). description: a chapter's title (sentence case), a heading's
-- text, or for a subheading its heading's first clause and its printed lines joined by ' — '; heading: for a
-- subheading, its heading's full text (searched, not shown). Codes the CN lacks have no row (gaps are shown).
CREATE TABLE IF NOT EXISTS hs_codes_es (
    hs_code VARCHAR PRIMARY KEY,
    hs_level TINYINT NOT NULL,
    description VARCHAR NOT NULL,
    heading VARCHAR
);

CREATE TABLE IF NOT EXISTS cpi_annual (year INTEGER PRIMARY KEY, cpi_u DOUBLE NOT NULL, n_months INTEGER NOT NULL);
-- GDP in current US dollars, one row per (country, year, source): the World Bank's series ('world_bank'), and a
-- year it lacks derived from official publications ('derived', the method in `publisher`). One value per year:
-- etl.record.query_gdp (the World Bank's first).
CREATE TABLE IF NOT EXISTS gdp (
    iso3 VARCHAR,
    year INTEGER,
    gdp_usd DOUBLE NOT NULL,
    source VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    PRIMARY KEY (iso3, year, source)
);

-- Every printed number with its page: several publishers per observation, never summed.
CREATE TABLE IF NOT EXISTS published_figures (
    year INTEGER NOT NULL,
    reporter_iso3 VARCHAR NOT NULL,
    partner_iso3 VARCHAR NOT NULL,
    flow VARCHAR NOT NULL,  -- export, import, balance, total_trade
    value_usd DOUBLE NOT NULL,
    valuation VARCHAR NOT NULL,  -- FOB, CIF or unknown, as the page said
    publisher VARCHAR NOT NULL,
    url VARCHAR,
    quote VARCHAR,
    chosen BOOLEAN NOT NULL,  -- the one value per observation that `trade` carries (see etl/sources/published.py)
    dataset_id INTEGER NOT NULL
);

-- Printed non-trade figures (e.g. the central government's fiscal balance), each with its page and exact quote.
CREATE TABLE IF NOT EXISTS published_indicators (
    year INTEGER NOT NULL,
    country_iso3 VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,  -- one of INDICATORS
    value DOUBLE NOT NULL,  -- signed: a deficit is negative
    unit VARCHAR NOT NULL,  -- one of INDICATOR_UNITS
    publisher VARCHAR NOT NULL,  -- the office behind the figure
    printed_by VARCHAR,  -- the page that printed it, when not the publisher's own
    url VARCHAR NOT NULL,
    quote VARCHAR NOT NULL,
    dataset_id INTEGER NOT NULL
);

-- Published annual average exchange rates (reference), each with its publisher, page and exact quote.
CREATE TABLE IF NOT EXISTS exchange_rates (
    currency VARCHAR NOT NULL,  -- ISO 4217
    year INTEGER NOT NULL,
    units_per_usd DOUBLE NOT NULL,
    basis VARCHAR,  -- e.g. 'annual average'
    publisher VARCHAR NOT NULL,
    url VARCHAR NOT NULL,  -- the publisher's page
    as_printed_by VARCHAR,  -- the page the quote is from, when it is not the publisher's own
    quote VARCHAR NOT NULL,
    dataset_id INTEGER NOT NULL
);
-- Trade rows converted to US dollars: the value as published, in its currency, and the rate used.
CREATE TABLE IF NOT EXISTS currency_conversions (
    dataset_id INTEGER NOT NULL,
    source_line BIGINT,
    year INTEGER NOT NULL,
    reporter_iso3 VARCHAR NOT NULL,
    partner_iso3 VARCHAR NOT NULL,
    flow VARCHAR NOT NULL,
    currency VARCHAR NOT NULL,
    value_in_currency DOUBLE NOT NULL,
    units_per_usd DOUBLE NOT NULL
);

-- Years a publisher marks provisional (revisions expected), per source and loaded file.
CREATE TABLE IF NOT EXISTS provisional (
    source VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    dataset_id INTEGER NOT NULL,
    note VARCHAR
);

-- Years whose partner figures a publisher says are not comparable with earlier years (e.g. DIAN withholds
-- destinations from 2025), per source and loaded file; the World total stays comparable.
CREATE TABLE IF NOT EXISTS not_comparable (
    source VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    dataset_id INTEGER NOT NULL,
    note VARCHAR
);

CREATE TABLE IF NOT EXISTS import_demand_elasticities (
    hs6 VARCHAR PRIMARY KEY,  -- HS 1988/92 (H0) codes, as estimated
    elasticity DOUBLE NOT NULL,  -- own-price import demand elasticity; correctly signed estimates are negative
    significant_5pct BOOLEAN,
    std_error DOUBLE,  -- standard error of the estimate, as published
    source VARCHAR NOT NULL,
    dataset_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS substitution_elasticities (
    hs6 VARCHAR PRIMARY KEY,  -- HS 1988/92 (H0) codes, as estimated
    sigma DOUBLE NOT NULL,
    std_error DOUBLE,  -- standard error of the estimate, as published
    source VARCHAR NOT NULL,
    dataset_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS us_tariff_timeline (
    date DATE NOT NULL,
    partner_name VARCHAR NOT NULL,
    partner_iso3 VARCHAR,
    effective_tariff_pct DOUBLE NOT NULL,
    imports_2024_usd DOUBLE,
    tariff_2024_pct DOUBLE,
    dataset_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS us_tariff_exemptions (
    hts_code VARCHAR NOT NULL,
    list_name VARCHAR NOT NULL,
    dataset_id INTEGER NOT NULL
);
-- Product coverage of US tariff actions (e.g. Section 232 steel, aluminium, autos, copper): HTS codes or prefixes.
CREATE TABLE IF NOT EXISTS us_tariff_product_lists (
    hts_code VARCHAR NOT NULL,
    list_name VARCHAR NOT NULL,
    dataset_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS us_reciprocal_rates (
    partner_name VARCHAR NOT NULL,
    partner_iso3 VARCHAR,
    rate_pct DOUBLE NOT NULL,
    list_name VARCHAR NOT NULL,
    dataset_id INTEGER NOT NULL
);

-- One value per year: annual rows as published, and monthly-only series summed with the months they cover.
CREATE OR REPLACE VIEW trade_annual AS
WITH {yearly_sql()}
SELECT * FROM yearly;
"""


# UN Comtrade+ (camelCase) columns, as published; etl/sources/comtrade_plus.py maps them to ours.
COMTRADE_PLUS_COLUMNS = (
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO",
    "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO", "partnerDesc", "partner2Code",
    "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode", "isOriginalClassification",
    "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc",
    "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty",
    "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue",
    "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
)  # fmt: skip
# Totals rows: everything else is a breakdown of them and would double count.
COMTRADE_TOTAL_CUSTOMS = "C00"
COMTRADE_TOTAL_MOT = "0"
COMTRADE_TOTAL_PARTNER2 = "0"
