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

Balances (:func:`query_balance`) are valuation-consistent and name their basis. The headline, per year:
DANE's own balance (exports FOB − imports FOB) where a figure DANE published is in ``published_figures``;
otherwise exports − imports when both records have the same valuation; otherwise exports FOB − imports CIF ÷
factor (an estimate of FOB imports). The exports FOB − imports CIF difference is always an alternative, labelled
as mixed valuation, never the headline.

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

# The words of a figure's ``caveat`` (written by record_sql, the balance vetting and _caveats), and the short flag
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
    """  # noqa: S608 - fixed fragments only


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


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
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
    frame = _frame(
        con,
        f"SELECT * FROM ({record_sql(condition, rows_relation(con, hs_code))}) "  # noqa: S608 - fixed fragments
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
    frame = _frame(
        con,
        f"SELECT * FROM ({record_sql(condition, rows_relation(con, hs_code))}) "  # noqa: S608 - fixed fragments
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


# -------------------------------------------------------------------------------------------- balances
OFFICIAL = "official"  # the reporter's office's own balance, exports FOB − imports FOB, as published
SAME_VALUATION = "same_valuation"  # exports − imports, both records on the same valuation
FOB_ESTIMATED = "fob_estimated"  # every CIF side ÷ factor (exports FOB − imports CIF ÷ factor)
MIXED = "fob_cif"  # exports − imports as valued (FOB − CIF): mixed valuation, an alternative only
BASES = (OFFICIAL, SAME_VALUATION, FOB_ESTIMATED, MIXED)
HEADLINE_ORDER = (OFFICIAL, SAME_VALUATION, FOB_ESTIMATED)
BALANCE_COLUMNS = [
    "partner_iso3", "year", "basis", "basis_label", "headline", "balance_usd", "export_usd", "import_usd",
    "export_valuation", "import_valuation", "export_source", "import_source", "export_publisher",
    "import_publisher", "publisher", "printed_by", "url", "provisional", "comparable", "caveat", "export_caveat",
    "import_caveat", "factor", "factor_source",
]  # fmt: skip
# Where the CIF/FOB factor of an estimated balance comes from (column ``factor_source``): a year of DANE's own
# figures for the partner ('DANE 2013', see :func:`derive_cif_fob_factors`), IMF's conventional factor, or a
# factor the caller chose (a what-if).
FACTOR_FROM_IMF = "IMF"
FACTOR_GIVEN = "given"


def basis_label(
    basis: str,
    factor: float,
    *,
    office: str = "DANE",
    export_valuation: str = "FOB",
    import_valuation: str = "FOB",
    factor_source: str = FACTOR_GIVEN,
) -> str:
    """The words that name a balance's basis (shown beside every balance); an estimate says where its CIF/FOB
    factor comes from (``factor_source``: 'DANE 2013', :data:`FACTOR_FROM_IMF` or :data:`FACTOR_GIVEN`)."""
    if basis == OFFICIAL:
        return f"{office}'s trade balance: exports FOB − imports FOB (official)"
    if basis == SAME_VALUATION:
        return f"exports {export_valuation} − imports {import_valuation}"
    if basis == FOB_ESTIMATED:
        derived = factor_source.startswith("DANE ")
        shown = f"{factor:.3f}" if derived else f"{factor:.2f}"
        exports = "exports FOB" if export_valuation != "CIF" else f"exports CIF ÷ {shown}"
        imports = "imports FOB" if import_valuation != "CIF" else f"imports CIF ÷ {shown}"
        if derived:
            why = f"CIF/FOB factor from DANE's own {factor_source.removeprefix('DANE ')} figures: an estimate"
        elif factor_source == FACTOR_FROM_IMF:
            why = "IMF's CIF/FOB factor: an estimate"
        else:
            why = "CIF converted to FOB: an estimate"
        return f"{exports} − {imports} ({why})"
    if basis == MIXED:
        return (
            f"exports {export_valuation} − imports {import_valuation} "
            "(mixed valuation, not a trade balance basis)"
        )
    raise ValueError(f"unknown basis {basis!r}; expected one of {BASES}")


# What a printed balance must pass to stand as the office's own (official) balance, unless the office itself is
# its publisher (its own release). The office states the basis of its balance (DANE: exports FOB − imports FOB).
OFFICE_BALANCE_VALUATION = {COLOMBIA: "FOB"}
MIXED_MATCH_TOLERANCE = 0.005  # within 0.5 % of exports FOB − imports CIF: the mixed figure, not the office's
ESTIMATE_FLAG_TOLERANCE = 0.05  # more than 5 % from exports FOB − imports CIF ÷ factor: accepted, flagged
OFFICIAL_COLUMNS = [
    "partner_iso3",
    "year",
    "balance_usd",
    "url",
    "valuation",
    "publisher",
    "printed_by",
    "check",
]
VETTED_COLUMNS = ["year", "partner_iso3", "value_usd", "valuation", "publisher", "url", "office", "page",
                  "own_release", "accepted", "check"]  # fmt: skip


def vet_official_balances(
    printed: pd.DataFrame, record: pd.DataFrame, *, office: str, basis_valuation: str = "FOB",
    factor: float | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Which printed balances may stand as the office's own balance (pure). Columns :data:`VETTED_COLUMNS`.

    ``printed``: ``published_figures`` balance rows (year, partner_iso3, value_usd, valuation, publisher, url);
    ``record``: the reporter's TOTAL export and import rows. A row is a candidate when its publisher is the office
    (its own release) or its page cites the office ("(citing DANE)", in any case); other rows are left out.
    A candidate is refused when its stated valuation is not the office's (a balance stated as CIF is not
    DANE's FOB/FOB one). A page citing the office must also not be the mixed figure: within
    :data:`MIXED_MATCH_TOLERANCE` of exports FOB − imports CIF it is refused. An accepted page's figure more than
    :data:`ESTIMATE_FLAG_TOLERANCE` from exports FOB − imports CIF ÷ factor (IMF's by default) is kept, flagged
    in ``check``. The office's own release needs no more than its valuation.
    """
    from etl.settings import CIF_FOB_FACTOR_IMF

    factor = CIF_FOB_FACTOR_IMF if factor is None else factor
    flows = {(r["partner_iso3"], int(r["year"]), r["flow"]): r for r in record.to_dict("records")}
    rows = []
    for row in printed.to_dict("records"):
        cited, page = split_publisher(str(row["publisher"]))
        own = page == "" and cited == office
        if not own and office.upper() not in cited.upper():
            continue
        key = (row["partner_iso3"], int(row["year"]))
        value, stated = float(row["value_usd"]), str(row["valuation"])
        accepted, check = True, ""
        if stated not in ("unknown", basis_valuation):
            accepted, check = (
                False,
                f"stated as {stated}: not {office}'s {basis_valuation}/{basis_valuation} balance",
            )
        elif not own:
            exp, imp = flows.get((*key, "export")), flows.get((*key, "import"))
            if exp is None or imp is None or exp["valuation"] != "FOB" or imp["valuation"] != "CIF":
                check = f"not checked against the record (no exports FOB and imports CIF for {key[1]})"
            else:
                mixed = float(exp["value_usd"]) - float(imp["value_usd"])
                estimate = float(exp["value_usd"]) - float(imp["value_usd"]) / factor
                if abs(value - mixed) <= abs(mixed) * MIXED_MATCH_TOLERANCE:
                    accepted = False
                    check = (f"equals exports FOB − imports CIF ({mixed / 1e9:,.2f} bn) within "
                             f"{MIXED_MATCH_TOLERANCE:.1%}: the mixed-valuation figure, not {office}'s balance")  # fmt: skip
                elif abs(value - estimate) > abs(estimate) * ESTIMATE_FLAG_TOLERANCE:
                    gap = (value - estimate) / abs(estimate)
                    check = (f"{abs(gap):.1%} {'above' if gap > 0 else 'below'} the FOB estimate (exports FOB − "
                             f"imports CIF ÷ {factor:.2f}: {estimate / 1e9:,.2f} bn)")  # fmt: skip
        rows.append({**{k: row[k] for k in ("year", "partner_iso3", "value_usd", "valuation", "publisher", "url")},
                     "office": cited, "page": page, "own_release": own, "accepted": accepted, "check": check})  # fmt: skip
    return pd.DataFrame(rows, columns=VETTED_COLUMNS)


def query_printed_balances(
    con: duckdb.DuckDBPyConnection, *, reporter: str = COLOMBIA, partners: Sequence[str]
) -> pd.DataFrame:
    """Every printed balance of ``reporter`` with ``partners`` in ``published_figures``, in file order.

    One page, one vote: a page's number transcribed in two files (the same url, observation and value) is one
    row, the first loaded, so no page counts twice when :func:`choose_printed` picks the figure most pages agree on.
    """
    return _frame(
        con,
        """
        SELECT year, reporter_iso3, partner_iso3, flow, value_usd, valuation, publisher, url
        FROM published_figures
        WHERE reporter_iso3 = $reporter AND list_contains($partners, partner_iso3) AND flow = 'balance'
        QUALIFY row_number() OVER (PARTITION BY year, partner_iso3, coalesce(url, publisher), value_usd
                                   ORDER BY dataset_id, rowid) = 1
        ORDER BY dataset_id, rowid
        """,
        {"reporter": reporter, "partners": list(partners)},
    )


def query_official_balances(
    con: duckdb.DuckDBPyConnection,
    *,
    reporter: str = COLOMBIA,
    partners: Sequence[str],
    record: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Balances the reporter's own office published, one per (year, partner): among the printed balances
    :func:`vet_official_balances` accepts (the office's own release, or a page citing the office whose figure
    passes the checks), the one :func:`choose_printed` picks; the office's own release first. A more often
    printed figure from pages citing no office does not hide it. ``record``: the reporter's TOTAL record
    (queried when not given). Columns :data:`OFFICIAL_COLUMNS` (``check``: why a figure is flagged)."""
    office = REPORTER_OFFICES.get(reporter, reporter)
    printed = query_printed_balances(con, reporter=reporter, partners=partners)
    if printed.empty:
        return pd.DataFrame(columns=OFFICIAL_COLUMNS)
    if record is None:
        record = query_record(con, reporter=reporter, partners=partners)
    vetted = vet_official_balances(printed, record, office=office,
                                   basis_valuation=OFFICE_BALANCE_VALUATION.get(reporter, "FOB"))  # fmt: skip
    vetted = vetted[vetted["accepted"]]
    if vetted.empty:
        return pd.DataFrame(columns=OFFICIAL_COLUMNS)
    own = vetted.groupby(["year", "partner_iso3"])["own_release"].transform("any")
    vetted = vetted[vetted["own_release"] | ~own].reset_index(
        drop=True
    )  # the office's own release, where there is one
    vetted["reporter_iso3"], vetted["flow"] = reporter, "balance"
    frame = vetted[choose_printed(vetted.copy())].rename(columns={"value_usd": "balance_usd"})
    frame["publisher"], frame["printed_by"] = frame["office"], frame["page"].replace("", None)
    return frame[OFFICIAL_COLUMNS].sort_values(["partner_iso3", "year"]).reset_index(drop=True)


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


def _caveats(*rows: dict | None) -> str:
    """The flags of the records a figure is made of ('exports: provisional; imports: …'), each said once."""
    said: list[str] = []
    for row in rows:
        text = str((row or {}).get("caveat") or "")
        if text and f"{row['flow']}s: {text}" not in said:  # type: ignore[index]
            said.append(f"{row['flow']}s: {text}")  # type: ignore[index]
    return "; ".join(said)


# ------------------------------------------------------------------------ the CIF/FOB factor of an estimate
# A derived factor outside this band says the record and the office's balance do not cover the same trade
# (freight and insurance are a few per cent of CIF): it is not used.
DERIVED_FACTOR_RANGE = (1.0, 1.15)
FACTOR_COLUMNS = ["partner_iso3", "year", "factor", "import_cif_usd", "export_fob_usd", "official_balance_usd",
                  "publisher"]  # fmt: skip


def derive_cif_fob_factors(record: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """The partner's CIF/FOB factor in each year its office published a FOB/FOB balance (pure).

    DANE's balance with a partner is exports FOB − imports FOB; so its FOB imports from the partner are exports
    FOB − that balance, and imports CIF ÷ those FOB imports is the factor of that partner's imports that year,
    from the office's own figures. Used only from a year whose records are final and comparable (a provisional
    or a non-comparable partner figure would bend the ratio) and whose ratio lies in :data:`DERIVED_FACTOR_RANGE`.
    ``record``: the reporter's TOTAL export and import rows; ``official``: :func:`query_official_balances`.
    Columns :data:`FACTOR_COLUMNS`.
    """
    flows = {(r["partner_iso3"], int(r["year"]), r["flow"]): r for r in record.to_dict("records")}
    rows = []
    for off in official.to_dict("records"):
        key = (off["partner_iso3"], int(off["year"]))
        exp, imp = flows.get((*key, "export")), flows.get((*key, "import"))
        if exp is None or imp is None or exp["valuation"] != "FOB" or imp["valuation"] != "CIF":
            continue
        if any(bool(r.get("provisional")) or not bool(r.get("comparable", True)) for r in (exp, imp)):
            continue
        fob_imports = float(exp["value_usd"]) - float(off["balance_usd"])
        if fob_imports <= 0:
            continue
        factor = float(imp["value_usd"]) / fob_imports
        if DERIVED_FACTOR_RANGE[0] <= factor <= DERIVED_FACTOR_RANGE[1]:
            rows.append({"partner_iso3": key[0], "year": key[1], "factor": factor,
                         "import_cif_usd": float(imp["value_usd"]), "export_fob_usd": float(exp["value_usd"]),
                         "official_balance_usd": float(off["balance_usd"]),
                         "publisher": citation(off["publisher"], off.get("printed_by"))})  # fmt: skip
    return pd.DataFrame(rows, columns=FACTOR_COLUMNS)


def partner_factor(factors: pd.DataFrame, partner: str, year: int) -> tuple[float, str]:
    """The CIF/FOB factor for ``partner``'s imports in ``year`` and where it comes from: the factor of the
    nearest year with DANE's own figures for the partner (:func:`derive_cif_fob_factors`; the later year on a
    tie), else IMF's conventional factor (:data:`etl.settings.CIF_FOB_FACTOR_IMF`)."""
    from etl.settings import CIF_FOB_FACTOR_IMF

    own = factors[factors["partner_iso3"] == partner]
    if own.empty:
        return CIF_FOB_FACTOR_IMF, FACTOR_FROM_IMF
    nearest = min(own.to_dict("records"), key=lambda r: (abs(int(r["year"]) - year), -int(r["year"])))
    return float(nearest["factor"]), f"DANE {int(nearest['year'])}"


def balance_frame(
    record: pd.DataFrame, official: pd.DataFrame, factor: float | None = None, *, office: str = "DANE"
) -> pd.DataFrame:
    """Every basis of the balance per (partner, year), long, with ``headline`` True for one row each (pure).

    ``record``: TOTAL export and import rows (query_record or query_mirror output); ``official``:
    :func:`query_official_balances` output (may be empty). ``factor``: the CIF/FOB factor of the estimated
    basis; None (the rule): for the reporter's CIF imports, :func:`partner_factor` (DANE's own figures for the
    partner where they give one, else IMF's), for any other CIF side IMF's; a number: that factor everywhere
    (a what-if, labelled as such). Columns :data:`BALANCE_COLUMNS` (``factor``, ``factor_source``: what the
    estimate of the year used).
    """
    from etl.settings import CIF_FOB_FACTOR_IMF

    if factor is not None and not (1.0 <= factor <= 1.5):
        raise ValueError(f"CIF/FOB factor {factor} is outside 1.00–1.50")
    factors = (
        derive_cif_fob_factors(record, official) if factor is None else pd.DataFrame(columns=FACTOR_COLUMNS)
    )
    rows: list[dict] = []
    flows = {(r["partner_iso3"], int(r["year"]), r["flow"]): r for r in record.to_dict("records")}
    keys = sorted(
        {(p, y) for p, y, _ in flows}
        | {(r["partner_iso3"], int(r["year"])) for r in official.to_dict("records")}
    )
    official_by = {(r["partner_iso3"], int(r["year"])): r for r in official.to_dict("records")}
    for partner, year in keys:
        exp = flows.get((partner, year, "export"))
        imp = flows.get((partner, year, "import"))
        base = {
            "partner_iso3": partner, "year": year,
            "export_usd": exp["value_usd"] if exp else float("nan"),
            "import_usd": imp["value_usd"] if imp else float("nan"),
            "export_valuation": exp["valuation"] if exp else None, "import_valuation": imp["valuation"] if imp else None,
            "export_source": exp["source"] if exp else None, "import_source": imp["source"] if imp else None,
            "export_publisher": citation(exp["publisher"], exp["printed_by"]) if exp else None,
            "import_publisher": citation(imp["publisher"], imp["printed_by"]) if imp else None,
            "provisional": bool((exp and exp["provisional"]) or (imp and imp["provisional"])),
            "comparable": bool((not exp or exp.get("comparable", True)) and (not imp or imp.get("comparable", True))),
            "caveat": _caveats(exp, imp),
            "export_caveat": str(exp.get("caveat") or "") if exp else "",
            "import_caveat": str(imp.get("caveat") or "") if imp else "",
            "factor": float("nan"), "factor_source": None,
        }  # fmt: skip
        # A CIF side to convert: the factor of the year's estimate.
        if exp and imp and exp["valuation"] != imp["valuation"]:
            if factor is not None:
                base["factor"], base["factor_source"] = factor, FACTOR_GIVEN
            elif exp["valuation"] == "FOB" and imp["valuation"] == "CIF":  # the reporter's own CIF imports
                base["factor"], base["factor_source"] = partner_factor(factors, partner, year)
            else:  # a mirror: the partner's CIF imports, which no office's balance here speaks for
                base["factor"], base["factor_source"] = CIF_FOB_FACTOR_IMF, FACTOR_FROM_IMF
        used = float(base["factor"])
        both = f"{base['export_publisher']} / {base['import_publisher']}"
        if base["export_publisher"] == base["import_publisher"]:
            both = str(base["export_publisher"])
        candidates: list[dict] = []
        if (partner, year) in official_by:
            off = official_by[(partner, year)]
            candidates.append({**base, "basis": OFFICIAL, "balance_usd": float(off["balance_usd"]),
                               "publisher": off["publisher"], "printed_by": off["printed_by"], "url": off["url"],
                               "basis_label": basis_label(OFFICIAL, used, office=office),
                               "caveat": "; ".join(t for t in (base["caveat"], str(off.get("check") or "")) if t)})  # fmt: skip
        if exp and imp:
            ev, iv = exp["valuation"], imp["valuation"]
            common = {"publisher": both, "printed_by": None, "url": None}
            if ev == iv:
                candidates.append({**base, **common, "basis": SAME_VALUATION,
                                   "balance_usd": exp["value_usd"] - imp["value_usd"],
                                   "basis_label": basis_label(SAME_VALUATION, used, export_valuation=ev,
                                                              import_valuation=iv)})  # fmt: skip
            else:  # CIF on one side (Colombia's imports; or a mirror's exports, the partner's imports)
                estimate = (exp["value_usd"] / used if ev == "CIF" else exp["value_usd"]) - (
                    imp["value_usd"] / used if iv == "CIF" else imp["value_usd"]
                )
                label = basis_label(FOB_ESTIMATED, used, export_valuation=ev, import_valuation=iv,
                                    factor_source=str(base["factor_source"]))  # fmt: skip
                candidates.append({**base, **common, "basis": FOB_ESTIMATED, "balance_usd": estimate,
                                   "basis_label": label})  # fmt: skip
                candidates.append({**base, **common, "basis": MIXED, "balance_usd": exp["value_usd"] - imp["value_usd"],
                                   "basis_label": basis_label(MIXED, used, export_valuation=ev, import_valuation=iv)})  # fmt: skip
        headline = next((c for b in HEADLINE_ORDER for c in candidates if c["basis"] == b), None)
        for candidate in candidates:
            candidate["headline"] = candidate is headline
            rows.append(candidate)
    if not rows:
        return pd.DataFrame(columns=BALANCE_COLUMNS)
    return (
        pd.DataFrame(rows)[BALANCE_COLUMNS]
        .sort_values(["partner_iso3", "year", "headline"], ascending=[True, True, False])
        .reset_index(drop=True)
    )


def query_balance(
    con: duckdb.DuckDBPyConnection,
    *,
    reporter: str = COLOMBIA,
    partners: Sequence[str],
    basis: str = "headline",
    side: str = "reporter",
    factor: float | None = None,
    complete_only: bool = True,
) -> pd.DataFrame:
    """``reporter``'s balance with each partner, per year, on a named basis (columns :data:`BALANCE_COLUMNS`).

    ``basis`` 'headline' (default): one row per (partner, year), the valuation-consistent headline (the
    office's own balance where published; see the module docstring). 'all': the headline and every
    alternative, ``headline`` marking which is which. Or one of :data:`BASES` for that basis alone.
    ``side`` 'reporter' (the reporter's own record) or 'mirror' (as the partners report it; no official
    balance then). ``factor``: the CIF/FOB factor of the estimated basis; None (default) applies the rule of
    :func:`balance_frame` (DANE's own figures for the partner where they give one, else IMF's); a number is a
    what-if used everywhere.
    """
    if side == "reporter":
        record = query_record(con, reporter=reporter, partners=partners, complete_only=complete_only)
        official = query_official_balances(con, reporter=reporter, partners=partners, record=record)
    elif side == "mirror":
        record = query_mirror(
            con, reporter=reporter, partners=[p for p in partners if p != WORLD], complete_only=complete_only
        )
        official = pd.DataFrame(columns=OFFICIAL_COLUMNS)
    else:
        raise ValueError(f"unknown side {side!r}; expected 'reporter' or 'mirror'")
    frame = balance_frame(record, official, factor, office=REPORTER_OFFICES.get(reporter, reporter))
    if basis == "all":
        return frame
    if basis == "headline":
        return frame[frame["headline"]].reset_index(drop=True)
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}; expected 'headline', 'all' or one of {BASES}")
    return frame[frame["basis"] == basis].reset_index(drop=True)


def query_cif_fob_factors(
    con: duckdb.DuckDBPyConnection, *, reporter: str = COLOMBIA, partners: Sequence[str]
) -> pd.DataFrame:
    """The CIF/FOB factors the office's own figures give for ``partners`` (:func:`derive_cif_fob_factors`)."""
    record = query_record(con, reporter=reporter, partners=partners)
    official = query_official_balances(con, reporter=reporter, partners=partners, record=record)
    return derive_cif_fob_factors(record, official)


# --------------------------------------------------------------------------------------------- GDP
# One GDP per (country, year): the World Bank's where it has one, else a figure derived from official
# publications (its method named in `publisher`).
GDP_SOURCE_PRIORITY = (GDP_WORLD_BANK, GDP_DERIVED)
GDP_COLUMNS = ["year", "gdp_usd", "source", "publisher"]


def query_gdp(con: duckdb.DuckDBPyConnection, iso3: str = COLOMBIA) -> pd.DataFrame:
    """``iso3``'s GDP in current US dollars, one row per year (columns :data:`GDP_COLUMNS`), by
    :data:`GDP_SOURCE_PRIORITY`; ``source`` says whether the year's figure is derived."""
    return _frame(
        con,
        f"""
        SELECT year, gdp_usd, source, publisher FROM gdp WHERE iso3 = $iso3
        QUALIFY row_number() OVER (PARTITION BY year ORDER BY
                                   coalesce(list_position({_sql_list(GDP_SOURCE_PRIORITY)}, source), 1000), source) = 1
        ORDER BY year
        """,  # noqa: S608 - fixed fragments only
        {"iso3": iso3},
    )[GDP_COLUMNS]


def latest_common_year(
    balances: pd.DataFrame, partners: Sequence[str], value: str = "balance_usd", *, final_only: bool = False
) -> int | None:
    """The latest year in which every one of ``partners`` has a balance (None if there is none);
    ``final_only``: only years whose figures are not provisional (``provisional`` column)."""
    rows = balances[balances[value].notna()]
    if final_only and "provisional" in rows:
        rows = rows[~rows["provisional"].astype(bool)]
    years = None
    for partner in partners:
        have = {int(y) for y in rows.loc[rows["partner_iso3"] == partner, "year"]}
        years = have if years is None else years & have
    return max(years) if years else None
