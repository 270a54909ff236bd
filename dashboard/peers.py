"""Colombia among its peers (Argentina, Brazil, Chile, Ecuador, Mexico, Peru): how much each sells to and buys from
China and the United States, its balance with China, the year China overtook the US, and what the partners report.

Every value is the series of record (etl.record), read for each country as reporter; nothing here picks a value.
``query_*`` functions take an open connection (a cursor of their own, values bound); the rest is pure. No Streamlit.

A share divides two record values of the same reporter, flow and year: the value with the partner by the value
with the World. Where their valuations differ, the CIF side is converted to FOB with the factor and the row says
so. The balance with China is the record's headline balance (etl.record_balance.query_balance) divided by the reporter's
trade with the World on the same footing (exports FOB + imports FOB, CIF imports ÷ factor).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import duckdb
import pandas as pd

from etl import record, record_balance
from etl.schema import CHINA, COLOMBIA, UNITED_STATES, WORLD
from etl.schema import PEERS as REGION
from etl.settings import CIF_FOB_FACTOR_IMF
from etl.years import format_years

PEERS = (COLOMBIA, *REGION)
COUNTERPARTS = (CHINA, UNITED_STATES)
FIRST_YEAR, LAST_YEAR = 2000, 2024
FLOWS = ("export", "import")
# indicator → (flow, partner); the balance with China is its own kind
SHARES = {
    "export_chn": ("export", CHINA),
    "export_usa": ("export", UNITED_STATES),
    "import_chn": ("import", CHINA),
    "import_usa": ("import", UNITED_STATES),
}
BALANCE = "balance_chn"
INDICATORS = (*SHARES, BALANCE)
# What the small multiples draw: a flow's two shares (China, the US), or the balance with China.
MEASURES = ("export", "import", "balance")
INDICATOR_COLUMNS = [
    "reporter_iso3", "indicator", "year", "value_pct", "numerator_usd", "denominator_usd", "numerator_valuation",
    "denominator_valuation", "converted", "numerator_publisher", "denominator_publisher", "source", "basis",
    "provisional", "comparable",
]  # fmt: skip
IMF_VINTAGES = ("imf_dots", "imf_dots_dbnomics")  # early 2022 workbooks, the 2026 DBnomics copy


# ------------------------------------------------------------------------------------------------ queries
def query_peer_record(con: duckdb.DuckDBPyConnection, *, reporters: Sequence[str] = PEERS) -> pd.DataFrame:
    """Each reporter's record with China, the USA and the World (both flows, complete years 2000–2024):
    :data:`etl.record.RECORD_COLUMNS`."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    frames = [
        record.query_record(con, reporter=reporter, partners=[CHINA, UNITED_STATES, WORLD], years=years)
        for reporter in reporters
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=record.RECORD_COLUMNS)


def query_china_balances(
    con: duckdb.DuckDBPyConnection, *, reporters: Sequence[str] = PEERS, factor: float | None = None
) -> pd.DataFrame:
    """Each reporter's headline balance with China per year (etl.record_balance.query_balance; its basis and CIF/FOB
    factor named), with a ``reporter_iso3`` column. ``factor`` None: the record's rule (DANE's own figures give
    Colombia's factor where they can, else the IMF's), so Colombia's balance is the Overview's."""
    frames = []
    for reporter in reporters:
        frame = record_balance.query_balance(
            con, reporter=reporter, partners=[CHINA], basis="headline", factor=factor
        )
        if not frame.empty:
            frames.append(frame.assign(reporter_iso3=reporter))
    if not frames:
        return pd.DataFrame(columns=[*record_balance.BALANCE_COLUMNS, "reporter_iso3"])
    out = pd.concat(frames, ignore_index=True)
    return out[out["year"].between(FIRST_YEAR, LAST_YEAR)].reset_index(drop=True)


def query_peer_indicators(
    con: duckdb.DuckDBPyConnection, *, reporters: Sequence[str] = PEERS, factor: float | None = None
) -> pd.DataFrame:
    """:func:`peer_indicators` over the record of ``reporters`` (columns :data:`INDICATOR_COLUMNS`); ``factor``
    None: the record's CIF/FOB rule (a number: a what-if used everywhere)."""
    peer_record = query_peer_record(con, reporters=reporters)
    balances = query_china_balances(con, reporters=reporters, factor=factor)
    return peer_indicators(peer_record, balances, factor)


def query_mirror_pairs(con: duckdb.DuckDBPyConnection, *, reporter: str, partner: str) -> pd.DataFrame:
    """``reporter``'s record with ``partner`` beside what ``partner`` reports (its own record, flows swapped:
    etl.record.query_mirror), for the years both exist. Flows are ``reporter``'s."""
    own = record.query_record(con, reporter=reporter, partners=[partner])
    mirror = record.query_mirror(con, reporter=reporter, partners=[partner])
    return mirror_pairs(own, mirror)


def query_mirror_overview(
    con: duckdb.DuckDBPyConnection,
    *,
    reporters: Sequence[str] = PEERS,
    partners: Sequence[str] = COUNTERPARTS,
    factor: float,
) -> pd.DataFrame:
    """For every reporter and partner: :func:`mirror_summary` of their mirror check, with ``reporter_iso3`` and
    ``partner_iso3``, over 2000–2024; pairs where one side never reports are absent."""
    frames = []
    for reporter in reporters:
        for partner in partners:
            pairs = query_mirror_pairs(con, reporter=reporter, partner=partner)
            pairs = pairs[pairs["year"].between(FIRST_YEAR, LAST_YEAR)]
            summary = mirror_summary(mirror_comparison(pairs, factor))
            frames.append(summary.assign(reporter_iso3=reporter, partner_iso3=partner))
    columns = [
        "reporter_iso3",
        "partner_iso3",
        "flow",
        "first_year",
        "last_year",
        "years",
        "year_list",
        "gap_pct",
        "gap_fob_pct",
    ]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def query_vintage_gaps(con: duckdb.DuckDBPyConnection, *, reporters: Sequence[str] = PEERS) -> pd.DataFrame:
    """Where the two IMF DOTS vintages both hold a year (2015–2020) for a reporter's trade with China, the USA or
    the World: the largest difference, later vintage against earlier, in %. The record takes the later one; this
    says how far it moves a series that switches vintage in 2015."""
    cursor = con.cursor()
    try:
        frame = cursor.execute(
            """
            SELECT reporter_iso3, partner_iso3, flow, year, source, value_usd FROM trade_annual
            WHERE list_contains($reporters, reporter_iso3) AND list_contains($partners, partner_iso3)
              AND hs_code = 'TOTAL' AND list_contains($sources, source) AND flow IN ('export', 'import')
            """,
            {
                "reporters": list(reporters),
                "partners": [CHINA, UNITED_STATES, WORLD],
                "sources": list(IMF_VINTAGES),
            },
        ).df()
    finally:
        cursor.close()
    return vintage_gaps(frame)


# ------------------------------------------------------------------------------------------------ pure
def _citation(row: pd.Series | dict) -> str:
    printed_by = row.get("printed_by")
    return record.citation(str(row["publisher"]), printed_by if isinstance(printed_by, str) else None)


def share_rows(peer_record: pd.DataFrame, factor: float | None = None) -> pd.DataFrame:
    """Shares (%) of each reporter's exports going to, and imports coming from, China and the USA: the record
    value with the partner ÷ the record value with the World, same reporter, flow and year, where both exist.
    Columns :data:`INDICATOR_COLUMNS`."""
    if peer_record.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    factor = CIF_FOB_FACTOR_IMF if factor is None else factor
    rows = peer_record.assign(citation=[_citation(r) for r in peer_record.to_dict("records")])
    if "comparable" not in rows:  # record rows from before the flag (tests build some by hand)
        rows = rows.assign(comparable=True)
    world = rows[rows["partner_iso3"] == WORLD]
    world = world[["reporter_iso3", "flow", "year", "value_usd", "valuation", "source", "citation", "provisional",
                   "comparable"]]  # fmt: skip
    world = world.rename(
        columns={"value_usd": "den", "valuation": "den_val", "source": "den_src", "citation": "den_pub",
                 "provisional": "den_prov", "comparable": "den_comp"}
    )  # fmt: skip
    out = []
    for indicator, (flow, partner) in SHARES.items():
        part = rows[(rows["partner_iso3"] == partner) & (rows["flow"] == flow)]
        merged = part.merge(world, on=["reporter_iso3", "flow", "year"], how="inner")
        merged = merged[merged["den"] > 0]
        for r in merged.to_dict("records"):
            numerator, denominator = float(r["value_usd"]), float(r["den"])
            converted = r["valuation"] != r["den_val"]
            if converted:  # one side CIF, the other FOB: the CIF side to FOB with the factor
                numerator = numerator / factor if r["valuation"] == "CIF" else numerator
                denominator = denominator / factor if r["den_val"] == "CIF" else denominator
            out.append(
                {
                    "reporter_iso3": r["reporter_iso3"], "indicator": indicator, "year": int(r["year"]),
                    "value_pct": numerator / denominator * 100.0, "numerator_usd": numerator,
                    "denominator_usd": denominator, "numerator_valuation": r["valuation"],
                    "denominator_valuation": r["den_val"], "converted": bool(converted),
                    "numerator_publisher": r["citation"], "denominator_publisher": r["den_pub"],
                    "source": r["source"] if r["source"] == r["den_src"] else f"{r['source']} / {r['den_src']}",
                    "basis": f"{flow}s {r['valuation']} ÷ {flow}s {r['den_val']}, all partners"
                    + (f" (CIF ÷ {factor:.2f})" if converted else ""),
                    "provisional": bool(r["provisional"]) or bool(r["den_prov"]),
                    "comparable": bool(r["comparable"]) and bool(r["den_comp"]),
                }
            )  # fmt: skip
    return pd.DataFrame(out, columns=INDICATOR_COLUMNS)


def balance_rows(
    balances: pd.DataFrame, peer_record: pd.DataFrame, factor: float | None = None
) -> pd.DataFrame:
    """The headline balance with China as a % of the reporter's trade with the World (exports + imports, both
    FOB: CIF ÷ the factor the balance's estimate used, ``factor`` or IMF's where it used none), where both exist.
    Columns :data:`INDICATOR_COLUMNS`."""
    if balances.empty or peer_record.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    world = peer_record[peer_record["partner_iso3"] == WORLD]
    totals: dict[tuple[str, int], dict] = {}
    for r in world.to_dict("records"):
        entry = totals.setdefault((r["reporter_iso3"], int(r["year"])), {})
        entry[r["flow"]] = (
            float(r["value_usd"]),
            r["valuation"],
            r["source"],
            _citation(r),
            bool(r["provisional"]),
        )
    out = []
    for b in balances.to_dict("records"):
        used = b.get("factor")
        year_factor = float(used) if isinstance(used, float | int) and not math.isnan(float(used)) else None
        year_factor = year_factor or factor or CIF_FOB_FACTOR_IMF
        total = {
            flow: (value / (year_factor if valuation == "CIF" else 1.0), valuation, *rest)
            for flow, (value, valuation, *rest) in totals.get(
                (b["reporter_iso3"], int(b["year"])), {}
            ).items()
        }
        if "export" not in total or "import" not in total or not isinstance(b["balance_usd"], float | int):
            continue
        if math.isnan(float(b["balance_usd"])):
            continue
        exp, imp = total["export"], total["import"]
        trade = exp[0] + imp[0]
        converted = "CIF" in (exp[1], imp[1])
        valuations = "exports FOB + imports FOB" + (
            f" (CIF ÷ {round(year_factor, 3):g})" if converted else ""
        )
        out.append(
            {
                "reporter_iso3": b["reporter_iso3"], "indicator": BALANCE, "year": int(b["year"]),
                "value_pct": float(b["balance_usd"]) / trade * 100.0, "numerator_usd": float(b["balance_usd"]),
                "denominator_usd": trade,
                "numerator_valuation": b["export_valuation"] if b["basis"] == record_balance.SAME_VALUATION else "FOB",
                "denominator_valuation": "FOB", "converted": "CIF" in (exp[1], imp[1]),
                "numerator_publisher": str(b["publisher"]) if b["basis"] == record_balance.OFFICIAL else
                _pair(b["export_publisher"], b["import_publisher"]),
                "denominator_publisher": _pair(exp[3], imp[3]),
                "source": " / ".join(dict.fromkeys(
                    [*(str(b[k]) for k in ("export_source", "import_source") if isinstance(b[k], str)),
                     exp[2], imp[2]])),
                "basis": f"{b['basis_label']} ÷ trade with all partners, {valuations}",
                "provisional": bool(b["provisional"]) or exp[4] or imp[4],
                "comparable": bool(b.get("comparable", True)),
            }
        )  # fmt: skip
    return pd.DataFrame(out, columns=INDICATOR_COLUMNS)


def _pair(first: object, second: object) -> str:
    return str(first) if first == second else f"{first} / {second}"


def peer_indicators(
    peer_record: pd.DataFrame, balances: pd.DataFrame, factor: float | None = None
) -> pd.DataFrame:
    """Every indicator (:data:`INDICATORS`) per reporter and year, long; years without one are absent (gaps)."""
    frame = pd.concat(
        [share_rows(peer_record, factor), balance_rows(balances, peer_record, factor)], ignore_index=True
    )
    order = {name: index for index, name in enumerate(INDICATORS)}
    return (
        frame.assign(_order=frame["indicator"].map(order))
        .sort_values(["reporter_iso3", "_order", "year"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


OVERTAKING_COLUMNS = [
    "reporter_iso3", "flow", "first_year", "last_year", "overtaken_year", "us_last_ahead", "china_ahead_first",
    "china_ahead_last", "china_share_last", "us_share_last",
]  # fmt: skip


def overtaking(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per reporter and flow: the first year China's share was above the US's after a year in which it was not
    (``overtaken_year``; missing if China was ahead from the first year compared or never overtook), and who
    was ahead in the first and the last year compared. Only years with both shares count: a gap is not a year.
    ``us_last_ahead``: the last year before the overtaking in which the US was ahead (more than a year apart
    from it when data are missing in between)."""
    rows = []
    for reporter in dict.fromkeys(indicators["reporter_iso3"]):
        for flow in FLOWS:
            row = _overtaking_row(indicators, str(reporter), flow)
            if row is not None:
                rows.append(row)
    frame = pd.DataFrame(rows, columns=OVERTAKING_COLUMNS)
    for column in ("overtaken_year", "us_last_ahead"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _overtaking_row(indicators: pd.DataFrame, reporter: str, flow: str) -> dict | None:
    china = _series(indicators, reporter, f"{flow}_chn")
    usa = _series(indicators, reporter, f"{flow}_usa")
    years = sorted(set(china) & set(usa))
    if not years:
        return None
    ahead = {year: china[year] > usa[year] for year in years}
    overtaken = us_last = None
    for previous, year in zip(years, years[1:], strict=False):
        if ahead[year] and not ahead[previous]:
            overtaken, us_last = year, previous
            break
    return {
            "reporter_iso3": reporter, "flow": flow, "first_year": years[0], "last_year": years[-1],
            "overtaken_year": overtaken, "us_last_ahead": us_last, "china_ahead_first": ahead[years[0]],
            "china_ahead_last": ahead[years[-1]], "china_share_last": china[years[-1]],
            "us_share_last": usa[years[-1]],
        }  # fmt: skip


def _series(indicators: pd.DataFrame, reporter: str, indicator: str) -> dict[int, float]:
    part = indicators[(indicators["reporter_iso3"] == reporter) & (indicators["indicator"] == indicator)]
    return {
        int(y): float(v) for y, v in zip(part["year"], part["value_pct"], strict=True) if not math.isnan(v)
    }


def ranking(indicators: pd.DataFrame, year: int, by: str, reporters: Sequence[str] = PEERS) -> pd.DataFrame:
    """One row per reporter for ``year``: every indicator (%; missing where there is no value), ranked by ``by``
    (largest first; a reporter without a value ranks last, unranked). Columns: rank, reporter_iso3,
    :data:`INDICATORS`, provisional, source."""
    if by not in INDICATORS:
        raise ValueError(f"unknown indicator {by!r}; expected one of {INDICATORS}")
    part = indicators[indicators["year"] == year]
    wide = part.pivot_table(index="reporter_iso3", columns="indicator", values="value_pct", aggfunc="first")
    wide = wide.reindex(index=list(reporters), columns=list(INDICATORS))
    flags = part.groupby("reporter_iso3")["provisional"].any().reindex(list(reporters)).fillna(False)
    sources = part.groupby("reporter_iso3")["source"].agg(
        lambda values: " / ".join(dict.fromkeys(s for v in values for s in str(v).split(" / ")))
    )
    out = wide.reset_index().rename(columns={"index": "reporter_iso3"})
    out.columns.name = None
    out["provisional"] = [bool(flags[r]) for r in out["reporter_iso3"]]
    out["source"] = [sources.get(r) for r in out["reporter_iso3"]]
    out = out.sort_values(by, ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    ranks = out[by].rank(ascending=False, method="min")
    out.insert(0, "rank", ranks.astype("Int64"))
    return out


MIRROR_COLUMNS = [
    "partner_iso3", "flow", "year", "reporter_usd", "reporter_valuation", "reporter_source", "reporter_publisher",
    "partner_usd", "partner_valuation", "partner_source", "partner_publisher", "provisional",
]  # fmt: skip


def mirror_pairs(own: pd.DataFrame, mirror: pd.DataFrame) -> pd.DataFrame:
    """The reporter's record and the partner's (flows already swapped), side by side, for the years both hold.
    Columns :data:`MIRROR_COLUMNS`."""
    if own.empty or mirror.empty:
        return pd.DataFrame(columns=MIRROR_COLUMNS)

    def side(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
        shaped = frame[["partner_iso3", "flow", "year"]].copy()
        shaped[f"{prefix}_usd"] = frame["value_usd"].astype(float)
        shaped[f"{prefix}_valuation"] = frame["valuation"]
        shaped[f"{prefix}_source"] = frame["source"]
        shaped[f"{prefix}_publisher"] = [_citation(r) for r in frame.to_dict("records")]
        shaped[f"{prefix}_provisional"] = frame["provisional"].astype(bool)
        return shaped

    merged = side(own, "reporter").merge(side(mirror, "partner"), on=["partner_iso3", "flow", "year"])
    merged["provisional"] = merged["reporter_provisional"] | merged["partner_provisional"]
    return merged[MIRROR_COLUMNS].sort_values(["flow", "year"]).reset_index(drop=True)


def mirror_comparison(pairs: pd.DataFrame, factor: float) -> pd.DataFrame:
    """``pairs`` with the gap between the two records: ``gap_pct`` = reporter ÷ partner − 1 as valued, and
    ``gap_fob_pct`` once every CIF side is divided by ``factor`` (the part of the gap freight and insurance do not
    explain)."""
    out = pairs.copy()
    if out.empty:
        return out.assign(gap_pct=pd.Series(dtype=float), gap_fob_pct=pd.Series(dtype=float))
    own_fob = out["reporter_usd"] / out["reporter_valuation"].map(lambda v: factor if v == "CIF" else 1.0)
    theirs_fob = out["partner_usd"] / out["partner_valuation"].map(lambda v: factor if v == "CIF" else 1.0)
    out["gap_pct"] = (out["reporter_usd"] / out["partner_usd"] - 1.0) * 100.0
    out["gap_fob_pct"] = (own_fob / theirs_fob - 1.0) * 100.0
    return out


VINTAGE_COLUMNS = ["reporter_iso3", "partner_iso3", "flow", "years", "largest_gap_pct", "largest_gap_year"]


def vintage_gaps(rows: pd.DataFrame) -> pd.DataFrame:
    """Per (reporter, partner, flow), over the years both IMF vintages hold: the largest difference of the later
    vintage from the earlier (%) and its year. Columns :data:`VINTAGE_COLUMNS`, largest gaps first."""
    if rows.empty:
        return pd.DataFrame(columns=VINTAGE_COLUMNS)
    wide = rows.pivot_table(
        index=["reporter_iso3", "partner_iso3", "flow", "year"],
        columns="source",
        values="value_usd",
        aggfunc="first",
    ).dropna()
    if wide.empty or not set(IMF_VINTAGES) <= set(wide.columns):
        return pd.DataFrame(columns=VINTAGE_COLUMNS)
    wide = wide[wide["imf_dots"] > 0]
    wide["gap_pct"] = (wide["imf_dots_dbnomics"] / wide["imf_dots"] - 1.0) * 100.0
    out = []
    for (reporter, partner, flow), group in wide.reset_index().groupby(
        ["reporter_iso3", "partner_iso3", "flow"]
    ):
        largest = group.iloc[int(group["gap_pct"].abs().to_numpy().argmax())]
        years = sorted(int(y) for y in group["year"])
        out.append((reporter, partner, flow, f"{years[0]}–{years[-1]}", float(largest["gap_pct"]),
                    int(largest["year"])))  # fmt: skip
    frame = pd.DataFrame(out, columns=VINTAGE_COLUMNS)
    return frame.reindex(frame["largest_gap_pct"].abs().sort_values(ascending=False).index).reset_index(
        drop=True
    )


def mirror_summary(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per flow: the years compared (``year_list``: '2000–2018, 2020') and the median gaps (as valued; CIF
    converted to FOB), in %."""
    if comparison.empty:
        return pd.DataFrame(
            columns=["flow", "first_year", "last_year", "years", "year_list", "gap_pct", "gap_fob_pct"]
        )
    grouped = comparison.groupby("flow", sort=True)
    return pd.DataFrame(
        {
            "first_year": grouped["year"].min().astype(int),
            "last_year": grouped["year"].max().astype(int),
            "years": grouped["year"].nunique().astype(int),
            "year_list": grouped["year"].agg(lambda years: format_years(int(y) for y in years)),
            "gap_pct": grouped["gap_pct"].median(),
            "gap_fob_pct": grouped["gap_fob_pct"].median(),
        }
    ).reset_index()
