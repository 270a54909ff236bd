"""The series of record: ONE value per observation, chosen by ONE documented rule, with its publisher.

Every page, the claims, the scenario model, the CLI and the CSV exports read trade values through this module
(or through the ``trade_record`` view it defines). No other module picks "the" value of a year.

An observation is (year, reporter, partner, flow, HS code). The ``trade`` table may hold several values for it,
one per publisher series (``trade.source``) and valuation. The rule, applied in this order:

1. **Yearly values.** Annual rows count as published (12 months). A series published only monthly is summed per
   year, with the number of months it covers (``months_covered``); a year with fewer than 12 is incomplete.
2. **Complete before partial.** A complete year beats a partial one, whatever its source.
3. **Source priority** (:data:`SOURCE_PRIORITY`), per reporter and flow: the reporter's own statistical office
   first (for Colombia DANE: DIAN export records for exports, DANE's import annex for imports; for the USA the
   Census Bureau; for China the General Administration of Customs), then UN Comtrade (what that office reported
   to the UN), then IMF Direction of Trade Statistics, newest vintage first (``imf_dots_dbnomics``, the DBnomics
   mirror read in 2026, before ``imf_dots``, the workbooks of early 2022: the IMF revises its latest years, and
   both vintages are the IMF's), then figures printed in the press (``published``, one printed value per
   observation by :func:`choose_printed`). A source missing from the list ranks after it, by name. What a
   partner reports (the mirror) never stands in for the reporter's own figure: it is shown beside it.
4. **Valuation.** Within one source, a valuation the page states beats a conventional one, and the customs
   convention of the flow (exports FOB, imports CIF) beats the other.

The mirror (what the partner reports, flows swapped: the partner's imports from Colombia are Colombia's
exports) is :func:`mirror_frame`, written once; :func:`query_mirror` applies it to the partner's own record,
chosen by the same rule with the partner as reporter.

Balances are etl/record_balance.py: made only of these records (and of the office's printed balances, one per
year by :func:`choose_printed`), valuation-consistent, each naming its basis. It chooses no value of its own.

Each value carries its publisher: the statistical office that compiled it (``publisher``), and for printed
figures the page that printed it (``printed_by``, with ``url``). The publisher a printed page cites is read from
its "(citing X)" note; a page that cites no one has publisher "not stated". ``provisional`` is True for a
year its publisher marks provisional (the ``provisional`` table, filled by the adapters) or a partial year;
``comparable`` is False for a partner figure of a year whose publisher says its partner figures are not comparable
with earlier years (the ``not_comparable`` table: DIAN withholds destinations from 2025); ``caveat`` says why in
words. Balances carry both flags from the records they are made of.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb
import pandas as pd

from etl.schema import CHINA, COLOMBIA, GDP_DERIVED, GDP_WORLD_BANK, UNITED_STATES, WORLD, yearly_sql

TRADE_FLOWS = ("export", "import")
# The mirror: the partner's imports from the reporter are the reporter's exports (and so on), written once.
FLOW_SWAP = {"import": "export", "export": "import", "re-import": "re-export", "re-export": "re-import"}
ANY = "*"

# ---------------------------------------------------------------------------------------------- the rule
# Shared tail for every reporter: UN Comtrade (the reporter's own office, as reported to the UN), IMF DOTS newest
# vintage first (the IMF revises its latest years: the DBnomics copy of 2026 before the workbooks of early 2022),
# then printed figures.
SHARED_TAIL = ("comtrade", "imf_dots_dbnomics", "imf_dots", "published")
SOURCE_PRIORITY: dict[tuple[str, str], tuple[str, ...]] = {
    # (reporter, flow): sources, first wins. Colombia: DANE (DIAN export records; DANE's import annex).
    (COLOMBIA, "export"): ("dian", *SHARED_TAIL),
    (COLOMBIA, "import"): ("dane_imports", *SHARED_TAIL),
    # United States: Census Bureau country totals (general imports, total exports), then its HS lines.
    (UNITED_STATES, ANY): ("us_census_general", "us_census_hs2", "us_census_consumption", *SHARED_TAIL),
    # China: the General Administration of Customs (converted from CNY at its published rate).
    (CHINA, ANY): ("gacc", *SHARED_TAIL),
    # Everyone else: what the reporter told UN Comtrade, then IMF DOTS, then printed figures.
    (ANY, ANY): SHARED_TAIL,
}

# The statistical office behind each series (for Comtrade: the reporting country's office).
SOURCE_PUBLISHERS = {
    "dian": "DANE (DIAN export records)",
    "dane_imports": "DANE (import annex, DANE/DIAN)",
    "us_census_general": "US Census Bureau",
    "us_census_consumption": "US Census Bureau",
    "us_census_hs2": "US Census Bureau",
    "gacc": "General Administration of Customs of China (GACC)",
    "imf_dots": "IMF Direction of Trade Statistics",
    "imf_dots_dbnomics": "IMF Direction of Trade Statistics (2026 vintage, via DBnomics)",
    "comtrade": "UN Comtrade",
    "published": "not stated",
}
REPORTER_OFFICES = {COLOMBIA: "DANE", UNITED_STATES: "US Census Bureau", CHINA: "GACC"}
CONVENTIONAL_VALUATION = {"export": "FOB", "import": "CIF", "re-export": "FOB", "re-import": "CIF"}

# Printed pages name the office they quote as "(citing X)" or "(…, citing X)", in any case ("(Citing DANE)");
# one pattern, used in SQL (RE2) and here.
CITING_PATTERN = r"(?i)citing ([^)]+)\)"
CITING_NOTE_PATTERN = r"(?i),?\s*citing [^)]+"
# A figure whose publisher IS a reporter's office ("DANE", "DANE (boletín técnico)") is that office's own release.
OWN_RELEASE_PATTERN = r"(?i)^\s*(" + "|".join(re.escape(o) for o in REPORTER_OFFICES.values()) + r")\b"
NOT_STATED = "not stated"

# The words of a figure's ``caveat`` (written by record_sql, and by etl.record_balance's vetting and caveats), and the short flag
# each stands for in a table cell (:func:`caveat_flags`; the words themselves go in a footnote).
CAVEAT_PROVISIONAL = "provisional"
CAVEAT_PARTIAL = "partial year"
CAVEAT_NOT_COMPARABLE = "not comparable with earlier years"
CAVEAT_OFF_ESTIMATE = (
    "the FOB estimate"  # a printed official balance more than 5 % from the estimate (vetting)
)
FLAG_PROVISIONAL, FLAG_NOT_COMPARABLE, FLAG_CHECK = "provisional", "not comparable", "check"
CAVEAT_FLAGS = {CAVEAT_PROVISIONAL: FLAG_PROVISIONAL, CAVEAT_PARTIAL: FLAG_PROVISIONAL,
                CAVEAT_NOT_COMPARABLE: FLAG_NOT_COMPARABLE, CAVEAT_OFF_ESTIMATE: FLAG_CHECK}  # fmt: skip

RECORD_COLUMNS = [
    "year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "hs_level", "value_usd", "valuation",
    "valuation_stated", "source", "publisher", "printed_by", "url", "months_covered", "complete", "provisional",
    "comparable", "caveat",
]  # fmt: skip


def source_priority(reporter: str, flow: str) -> tuple[str, ...]:
    """The source order for one reporter and flow (see the module docstring)."""
    for key in ((reporter, flow), (reporter, ANY), (ANY, flow), (ANY, ANY)):
        if key in SOURCE_PRIORITY:
            return SOURCE_PRIORITY[key]
    raise AssertionError("SOURCE_PRIORITY has a (*, *) entry")  # pragma: no cover


def _sql_list(values: Sequence[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _rank_sql() -> str:
    """The source rank as SQL: position in the (reporter, flow) list; sources not listed come after it."""
    cases = []
    for (reporter, flow), sources in SOURCE_PRIORITY.items():
        if (reporter, flow) == (ANY, ANY):
            continue
        conditions = []
        if reporter != ANY:
            conditions.append(f"reporter_iso3 = '{reporter}'")
        if flow != ANY:
            conditions.append(f"flow = '{flow}'")
        cases.append(f"WHEN {' AND '.join(conditions)} THEN list_position({_sql_list(sources)}, source)")
    # Specific (reporter, flow) pairs first: they are listed before (reporter, *) in the dict.
    default = f"list_position({_sql_list(SOURCE_PRIORITY[(ANY, ANY)])}, source)"
    return f"coalesce(CASE {' '.join(cases)} ELSE {default} END, 1000)"


def _own_release_sql(column: str) -> str:
    """The office a printed row's publisher IS (its own release), in the office's spelling; NULL otherwise."""
    spelled = " ".join(f"WHEN '{o.upper()}' THEN '{o}'" for o in REPORTER_OFFICES.values())
    return f"(CASE upper(regexp_extract({column}, '{OWN_RELEASE_PATTERN}', 1)) {spelled} END)"


def _publisher_sql() -> str:
    offices = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in REPORTER_OFFICES.items())
    fixed = " ".join(
        f"WHEN '{k}' THEN '{v}'" for k, v in SOURCE_PUBLISHERS.items() if k not in ("comtrade", "published")
    )
    return f"""CASE
        WHEN r.source = 'published' THEN coalesce(nullif(regexp_extract(pf.publisher, '{CITING_PATTERN}', 1), ''),
                                                  {_own_release_sql("pf.publisher")}, '{NOT_STATED}')
        WHEN r.source = 'comtrade' THEN coalesce((CASE r.reporter_iso3 {offices} END) || ' via UN Comtrade',
                                                 'UN Comtrade (reported by ' || r.reporter_iso3 || ')')
        ELSE coalesce(CASE r.source {fixed} END, r.source) END"""


def record_sql(condition: str = "TRUE", relation: str = "trade") -> str:
    """The rule as one SELECT over ``trade`` rows matching ``condition`` (a fixed SQL fragment; values bound).

    Step 1 of the rule (yearly values) is :func:`etl.schema.yearly_sql`, the fragment the ``trade_annual`` view
    and the query layer use too; the filter is applied inside it so DuckDB prunes by column statistics. The
    ``trade_record`` view is this query with no filter. ``relation``: where the rows are read, ``trade`` or
    :data:`TOTALS_TABLE` (the same rows for all goods, see :func:`rows_relation`).
    """
    conventional = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CONVENTIONAL_VALUATION.items())
    return f"""
        WITH {yearly_sql(condition, relation=relation)}, ranked AS (
            SELECT *, {_rank_sql()} AS source_rank FROM yearly
        ), picked AS (
            SELECT * FROM ranked
            QUALIFY row_number() OVER (
                PARTITION BY year, reporter_iso3, partner_iso3, flow, hs_code
                ORDER BY months_covered >= 12 DESC, source_rank, source, coalesce(valuation_stated, FALSE) DESC,
                         valuation = (CASE flow {conventional} END) DESC, valuation
            ) = 1
        )
        SELECT r.year, r.reporter_iso3, r.partner_iso3, r.flow, r.hs_code, r.hs_level, r.value_usd, r.valuation,
               coalesce(r.valuation_stated, FALSE) AS valuation_stated, r.source,
               {_publisher_sql()} AS publisher,
               CASE WHEN r.source = 'published' AND {_own_release_sql("pf.publisher")} IS NULL
                    THEN regexp_replace(regexp_replace(pf.publisher, '{CITING_NOTE_PATTERN}', ''), '\\s*\\(\\)', '')
               END AS printed_by,
               pf.url,
               r.months_covered, r.months_covered >= 12 AS complete,
               pv.source IS NOT NULL OR r.months_covered < 12 AS provisional,
               nc.source IS NULL AS comparable,
               concat_ws('; ', CASE WHEN pv.source IS NOT NULL THEN '{CAVEAT_PROVISIONAL}' END,
                         CASE WHEN r.months_covered < 12 THEN '{CAVEAT_PARTIAL} (' || r.months_covered || ' months)' END,
                         CASE WHEN nc.source IS NOT NULL THEN '{CAVEAT_NOT_COMPARABLE}: ' || nc.note END) AS caveat
        FROM picked r
        LEFT JOIN (SELECT DISTINCT source, year FROM provisional) pv ON pv.source = r.source AND pv.year = r.year
        LEFT JOIN (SELECT source, year, min(note) AS note FROM not_comparable GROUP BY ALL) nc
          ON nc.source = r.source AND nc.year = r.year AND r.partner_iso3 <> '{WORLD}'
        LEFT JOIN published_figures pf
          ON r.source = 'published' AND pf.chosen AND pf.year = r.year AND pf.reporter_iso3 = r.reporter_iso3
         AND pf.partner_iso3 = r.partner_iso3 AND pf.flow = r.flow AND r.hs_code = 'TOTAL'
    """


def record_view_ddl() -> str:
    """DDL of the ``trade_record`` view (created by etl.db.create_schema)."""
    return f"CREATE OR REPLACE VIEW trade_record AS {record_sql()}"


# ------------------------------------------------------------------------------------- printed figures
CLUSTER_TOLERANCE = 0.005


def split_publisher(printed: str) -> tuple[str, str]:
    """'El Nuevo Siglo (citing DANE)' → ('DANE', 'El Nuevo Siglo'): the office a page cites, and the page.

    The note is read in any case ("(Citing DANE)"). A figure whose publisher is the office itself ("DANE",
    "DANE (boletín técnico)") is the office's own release: ('DANE', '') — no page printed it for the office.
    """
    match = re.search(CITING_PATTERN, printed or "")
    if not match:
        own = re.search(OWN_RELEASE_PATTERN, printed or "")
        if own:
            spelled = {o.upper(): o for o in REPORTER_OFFICES.values()}
            return spelled[own.group(1).upper()], ""
    office = match.group(1).strip() if match else NOT_STATED
    page = re.sub(r"\s*\(\)", "", re.sub(CITING_NOTE_PATTERN, "", printed or "")).strip()
    return office, page


def citation(publisher: str, printed_by: str | None) -> str:
    """'DANE, as printed by El Nuevo Siglo' (or just the publisher)."""
    if printed_by and isinstance(printed_by, str):
        return f"{publisher}, as printed by {printed_by}"
    return publisher


def choose_printed(frame: pd.DataFrame) -> pd.Series:
    """True for the ONE printed value per (year, reporter, partner, flow); used when printed figures are loaded.

    1. group the rows whose values lie within 0.5 % of each other;
    2. take the largest group (the figure most pages agree on); on a tie, the group with more pages citing
       DANE, then the group with a stated valuation;
    3. the value is the one printed most often inside that group (the first printed on a tie).
    Also sets ``frame["stated_valuation"]``: the valuation the group's pages state, where they agree on one.
    """
    chosen = pd.Series(False, index=frame.index)
    stated = pd.Series(None, index=frame.index, dtype=object)
    for _, group in frame.groupby(["year", "reporter_iso3", "partner_iso3", "flow"], sort=False):
        best_rows = _best_cluster(group)
        counts = best_rows["value_usd"].value_counts(sort=False)
        top_value = counts.idxmax()  # first printed value on a tie
        row_index = best_rows.index[best_rows["value_usd"] == top_value][0]
        chosen[row_index] = True
        stated_values = {v for v in best_rows["valuation"] if v in ("FOB", "CIF")}
        if len(stated_values) == 1:
            stated[row_index] = stated_values.pop()
    frame["stated_valuation"] = stated
    return chosen


def _best_cluster(group: pd.DataFrame) -> pd.DataFrame:
    best: pd.DataFrame | None = None
    best_score: tuple = ()
    for anchor in group["value_usd"].to_list():
        members = group[(group["value_usd"] - anchor).abs() <= abs(anchor) * CLUSTER_TOLERANCE]
        score = (
            len(members),
            int(members["publisher"].str.contains("DANE", case=False, na=False).sum()),
            int(members["valuation"].isin(["FOB", "CIF"]).sum()),
        )
        if best is None or score > best_score:
            best, best_score = members, score
    assert best is not None
    return best


# ------------------------------------------------------------------------------------------- accessors
# The all-goods rows (hs_code 'TOTAL') of the listed trade files, copied into the catalogue by etl.store.publish
# at every commit: a few tens of thousands of rows that the record of country totals reads without opening
# every Parquet file (7× faster on the bundled data). Same rows, same rule (record_sql): only where they are read.
TOTALS_TABLE = "trade_totals"


def rows_relation(con: duckdb.DuckDBPyConnection, hs_code: str | None) -> str:
    """Where :func:`record_sql` reads the rows for ``hs_code``: :data:`TOTALS_TABLE` for 'TOTAL' when the
    catalogue has it and ``trade`` is the view of the listed files (not a write session's staging table, nor
    a table made by hand); ``trade`` otherwise."""
    if hs_code != "TOTAL":
        return "trade"
    cursor = con.cursor()
    try:
        kinds = dict(
            cursor.execute(
                "SELECT table_name, table_type FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_name IN ('trade', ?)",
                [TOTALS_TABLE],
            ).fetchall()
        )
    finally:
        cursor.close()
    return (
        TOTALS_TABLE if kinds.get("trade") == "VIEW" and kinds.get(TOTALS_TABLE) == "BASE TABLE" else "trade"
    )


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    cursor = con.cursor()  # a cursor of its own: the dashboard shares one connection between sessions
    try:
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()


def query_record(
    con: duckdb.DuckDBPyConnection,
    *,
    reporter: str,
    partners: Sequence[str] | None,
    flows: Sequence[str] = TRADE_FLOWS,
    hs_code: str | None = "TOTAL",
    complete_only: bool = True,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The record of ``reporter``'s trade with each of ``partners`` (None: every partner): one row per
    (year, partner, flow, HS code), columns :data:`RECORD_COLUMNS`, sorted by partner, flow, year.

    ``hs_code`` 'TOTAL' (default) for all goods, an HS code for one product, None for every code.
    ``complete_only`` drops years a monthly series covers for fewer than 12 months.
    """
    condition, params = _condition(
        reporter=reporter,
        partners=partners,
        flows=flows,
        hs_code=hs_code,
        years=years,
        reporter_column="reporter_iso3",
        partner_column="partner_iso3",
    )
    frame = query_frame(
        con,
        f"SELECT * FROM ({record_sql(condition, rows_relation(con, hs_code))}) "
        f"{'WHERE complete' if complete_only else ''} "
        "ORDER BY partner_iso3, flow, hs_code, year",
        params,
    )
    return frame[RECORD_COLUMNS]


def mirror_frame(partner_record: pd.DataFrame, reporter: str) -> pd.DataFrame:
    """Partner-reported rows as ``reporter``'s trade: the partner becomes the partner, flows swapped (the
    partner's imports from ``reporter`` are ``reporter``'s exports). Adds ``reported_by``. Pure."""
    out = partner_record.copy()
    out["reported_by"] = out["reporter_iso3"]
    out["partner_iso3"] = out["reporter_iso3"]
    out["reporter_iso3"] = reporter
    out["flow"] = out["flow"].map(FLOW_SWAP).fillna(out["flow"])
    return out.sort_values(["partner_iso3", "flow", "hs_code", "year"]).reset_index(drop=True)


def query_mirror(
    con: duckdb.DuckDBPyConnection,
    *,
    reporter: str = COLOMBIA,
    partners: Sequence[str],
    flows: Sequence[str] = TRADE_FLOWS,
    hs_code: str | None = "TOTAL",
    complete_only: bool = True,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """``reporter``'s trade as each partner reports it (the partner's own record, flows swapped).

    ``flows`` are ``reporter``'s flows (``export`` = the partner's imports). Columns: :data:`RECORD_COLUMNS` +
    ``reported_by``.
    """
    partner_flows = [FLOW_SWAP.get(f, f) for f in flows]
    condition, params = _condition(
        reporter=reporter,
        partners=partners,
        flows=partner_flows,
        hs_code=hs_code,
        years=years,
        reporter_column="partner_iso3",
        partner_column="reporter_iso3",
    )
    frame = query_frame(
        con,
        f"SELECT * FROM ({record_sql(condition, rows_relation(con, hs_code))}) "
        f"{'WHERE complete' if complete_only else ''}",
        params,
    )
    return mirror_frame(frame[RECORD_COLUMNS], reporter)


def _condition(
    *,
    reporter: str,
    partners: Sequence[str] | None,
    flows: Sequence[str],
    hs_code: str | None,
    years: Sequence[int] | None,
    reporter_column: str,
    partner_column: str,
) -> tuple[str, dict]:
    parts = [f"{reporter_column} = $reporter", "list_contains($flows, flow)"]
    params: dict = {"reporter": reporter, "flows": list(flows)}
    if partners is not None:
        parts.append(f"list_contains($partners, {partner_column})")
        params["partners"] = list(partners)
    if hs_code is not None:
        parts.append("hs_code = $hs_code")
        params["hs_code"] = hs_code
    if years is not None:
        parts.append("list_contains($years, year)")
        params["years"] = [int(y) for y in years]
    return " AND ".join(parts), params


# ------------------------------------------------------------------------------------------- caveats
def caveat_flags(caveat: object) -> tuple[str, ...]:
    """The short flags a figure's caveat stands for, in a fixed order (:data:`CAVEAT_FLAGS`): ('provisional',
    'not comparable', 'check'), each once; () for a final, comparable, unflagged figure."""
    text = caveat if isinstance(caveat, str) else ""
    found = {flag for words, flag in CAVEAT_FLAGS.items() if words in text}
    return tuple(f for f in (FLAG_PROVISIONAL, FLAG_NOT_COMPARABLE, FLAG_CHECK) if f in found)


def caveat_reasons(caveat: object) -> list[str]:
    """The parts of a caveat that say why (without the 'exports: ' / 'imports: ' prefix), for a footnote."""
    text = caveat if isinstance(caveat, str) else ""
    parts = [re.sub(r"^(exports|imports): ", "", p.strip()) for p in text.split("; ")]
    return [p for p in dict.fromkeys(parts) if p]


# --------------------------------------------------------------------------------------------- GDP
# One GDP per (country, year): the World Bank's where it has one, else a figure derived from official
# publications (its method named in `publisher`).
GDP_SOURCE_PRIORITY = (GDP_WORLD_BANK, GDP_DERIVED)
GDP_COLUMNS = ["year", "gdp_usd", "source", "publisher"]


def query_gdp(con: duckdb.DuckDBPyConnection, iso3: str = COLOMBIA) -> pd.DataFrame:
    """``iso3``'s GDP in current US dollars, one row per year (columns :data:`GDP_COLUMNS`), by
    :data:`GDP_SOURCE_PRIORITY`; ``source`` says whether the year's figure is derived."""
    return query_frame(
        con,
        f"""
        SELECT year, gdp_usd, source, publisher FROM gdp WHERE iso3 = $iso3
        QUALIFY row_number() OVER (PARTITION BY year ORDER BY
                                   coalesce(list_position({_sql_list(GDP_SOURCE_PRIORITY)}, source), 1000), source) = 1
        ORDER BY year
        """,
        {"iso3": iso3},
    )[GDP_COLUMNS]
