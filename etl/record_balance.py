"""Balances of record: exports − imports from etl/record.py's records, valuation-consistent, each naming its basis.

Nothing here chooses a value: the export and import figures are :func:`etl.record.query_record` (or
:func:`etl.record.query_mirror`) rows, and a printed official balance is the one
:func:`etl.record.choose_printed` picks among the pages that pass :func:`vet_official_balances`.

The headline (:func:`query_balance`), per year: DANE's own balance (exports FOB − imports FOB) where a figure DANE
published is in ``published_figures``; otherwise exports − imports when both records have the same valuation;
otherwise exports FOB − imports CIF ÷ factor (an estimate of FOB imports, the factor from DANE's own figures for
the partner where they give one, else IMF's). The exports FOB − imports CIF difference is always an alternative,
labelled as mixed valuation, never the headline.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from etl.record import (
    REPORTER_OFFICES,
    choose_printed,
    citation,
    query_frame,
    query_mirror,
    query_record,
    split_publisher,
)
from etl.schema import COLOMBIA, WORLD

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
    return query_frame(
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
