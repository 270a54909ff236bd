"""Claims 3 and 9: partner shares of Colombia's exports and imports."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    DIAN_WITHHELD_FROM_YEAR,
    MIRROR,
    REFERENCE_YEAR_MAX,
    SHARES_FROM_YEAR,
    SOURCE_PUBLISHERS,
    ClaimCard,
    ClaimData,
    bn,
    empty_frame,
    number_row,
    numbers_frame,
    pct,
)
from dashboard.claims.rules import (
    CANNOT_CHECK,
    verdict_conditions,
)
from dashboard.claims.series import (
    published_value,
)
from dashboard.claims.specs import ClaimSpec
from etl.years import format_years

# --------------------------------------------------------------------------------------------- claim 3 and 9: shares


def colombia_partner_shares(data: ClaimData, flow: str, partners: Sequence[str] = ("USA", "CHN")) -> pd.DataFrame:
    """Colombia-reported partner shares of Colombia's exports or imports by year: IMF DOTS, then DIAN (exports),
    then printed DANE figures. Years after DIAN starts withholding destinations are flagged."""
    rows = []
    t = data.totals
    for source in ("imf_dots", "dian"):
        sub = t[(t["source"] == source) & (t["reporter_iso3"] == "COL") & (t["flow"] == flow)]
        world = sub[sub["partner_iso3"] == "WLD"].set_index("year")
        for partner in partners:
            part = sub[sub["partner_iso3"] == partner].set_index("year")
            for year in sorted(set(part.index) & set(world.index)):
                months = int(part.loc[year, "months_covered"]) if "months_covered" in part.columns else 12
                note = ""
                if source == "dian" and year >= DIAN_WITHHELD_FROM_YEAR:
                    note = "destinations partly withheld as 'not declared' from 2025: not comparable"
                if months < 12:
                    note = (note + "; " if note else "") + f"{months} months"
                rows.append({"year": int(year), "partner": partner, "value_usd": float(part.loc[year, "value_usd"]),
                             "world_usd": float(world.loc[year, "value_usd"]), "source": source, "months": months,
                             "publisher": SOURCE_PUBLISHERS[source], "dataset": data.datasets.get(source, source),
                             "note": note})  # fmt: skip
    have = {(r["year"], r["partner"]) for r in rows}
    pub = data.published[(data.published["reporter_iso3"] == "COL")]
    for year in sorted(set(pub["year"].astype(int))):
        world = published_value(pub, year, "COL", "WLD", flow)
        if world is None:
            continue
        for partner in partners:
            if (year, partner) in have:
                continue
            value = published_value(pub, year, "COL", partner, flow)
            if value is None:
                continue
            rows.append({"year": year, "partner": partner, "value_usd": float(value["value_usd"]),
                         "world_usd": float(world["value_usd"]), "source": "published", "months": 12,
                         "publisher": f"{value['publisher']}; total: {world['publisher']}",
                         "dataset": str(value["dataset"] or "published"), "note": "printed figures"})  # fmt: skip
    columns = ["year", "partner", "value_usd", "world_usd", "share", "source", "months", "publisher", "dataset", "note"]
    if not rows:
        return empty_frame(columns)
    frame = pd.DataFrame(rows)
    frame["share"] = frame["value_usd"] / frame["world_usd"]
    return frame[columns].sort_values(["partner", "year"], ignore_index=True)


def _comparable(shares: pd.DataFrame) -> pd.DataFrame:
    return shares[(shares["months"] >= 12) & ~((shares["source"] == "dian") & (shares["year"] >= DIAN_WITHHELD_FROM_YEAR))]


def check_us_dependence(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    exports = colombia_partner_shares(data, "export")
    exports = exports[exports["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    imports = colombia_partner_shares(data, "import")
    imports = imports[imports["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    rows = []
    for flow, frame in (("exports", exports), ("imports", imports)):
        for r in frame.to_dict("records"):
            rows.append(number_row(f"{r['partner']} share of Colombia's {flow}", r["year"], COL_REPORTED, r["share"] * 100,
                             "%", "FOB" if flow == "exports" else "CIF", r["source"], r["dataset"], r["publisher"],
                             r["note"]))  # fmt: skip
    us_census = data.totals[(data.totals["source"] == "us_census_general") & (data.totals["reporter_iso3"] == "USA")
                            & (data.totals["partner_iso3"] == "COL")]  # fmt: skip
    for r in us_census.to_dict("records"):
        label = "US imports from Colombia" if r["flow"] == "import" else "US exports to Colombia"
        rows.append(number_row(label, int(r["year"]), MIRROR, float(r["value_usd"]), "USD", r["valuation"],
                         "us_census_general", data.datasets.get("us_census_general", "us_census_general"),
                         SOURCE_PUBLISHERS["us_census_general"]))  # fmt: skip
    numbers = numbers_frame(rows)
    comparable = _comparable(exports[exports["year"] >= SHARES_FROM_YEAR])
    both = comparable.pivot_table(index="year", columns="partner", values="share")
    both = both.dropna() if {"USA", "CHN"} <= set(both.columns) else pd.DataFrame()
    missing = []
    imp_years = set(imports[imports["partner"] == "USA"]["year"]) if not imports.empty else set()
    gaps = [y for y in range(2021, REFERENCE_YEAR_MAX + 1) if y not in imp_years]
    if gaps:
        missing.append(f"Colombia-reported imports from the US: {format_years(gaps)} (IMF DOTS ends in 2020; "
                       "no printed figure in the bundle)")
    exp_years = set(comparable["year"]) if not comparable.empty else set()
    egaps = [y for y in range(2021, REFERENCE_YEAR_MAX + 1) if y not in exp_years]
    if egaps:
        missing.append(f"Colombia-reported export shares by partner: {format_years(egaps)}")
    if both.empty:
        return ClaimCard(spec, CANNOT_CHECK, ("No year has both US and China shares of Colombia's exports.",),
                         numbers, tuple(missing), exports)
    year = int(both.index.max())
    us_share, cn_share = float(both.loc[year, "USA"]), float(both.loc[year, "CHN"])
    threshold = float(tol["us_export_share_min"])
    verdict = verdict_conditions([us_share >= threshold, us_share > cn_share])
    first = int(both.index.min())
    src = comparable[(comparable["year"] == year)].iloc[0]["publisher"]
    sentences = [
        f"In {year} the US took {pct(us_share)} of Colombia's exports and China {pct(cn_share)} ({src}); "
        f"in {first} they were {pct(float(both.loc[first, 'USA']))} and {pct(float(both.loc[first, 'CHN']))}.",
    ]
    imp = _comparable(imports[imports["year"] >= SHARES_FROM_YEAR]).pivot_table(index="year", columns="partner", values="share")
    if {"USA", "CHN"} <= set(imp.columns) and not imp.dropna().empty:
        iy = int(imp.dropna().index.max())
        sentences.append(f"Of Colombia's imports in {iy}, {pct(float(imp.loc[iy, 'USA']))} came from the US and "
                         f"{pct(float(imp.loc[iy, 'CHN']))} from China (IMF DOTS, CIF).")
    facts = {"year": float(year), "us_export_share": us_share, "china_export_share": cn_share}
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), exports, facts)


def check_china_import_growth(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    shares = colombia_partner_shares(data, "import", partners=("CHN",))
    shares = shares[shares["year"] >= SHARES_FROM_YEAR]
    numbers = numbers_frame(
        [number_row("imports from China", r["year"], COL_REPORTED, r["value_usd"], "USD", "CIF", r["source"], r["dataset"],
              r["publisher"], r["note"]) for r in shares.to_dict("records")]
        + [number_row("China share of Colombia's imports", r["year"], COL_REPORTED, r["share"] * 100, "%", "CIF",
                r["source"], r["dataset"], r["publisher"], r["note"]) for r in shares.to_dict("records")]
    )  # fmt: skip
    have = set(shares["year"].astype(int))
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in have]
    missing = [f"Colombia-reported imports from China (with the total): {format_years(gaps)}"] if gaps else []
    if len(shares) < 2:
        return ClaimCard(spec, CANNOT_CHECK, ("Fewer than two years of Colombia's imports from China are bundled.",),
                         numbers, tuple(missing), shares)
    first, last = shares.iloc[0], shares.iloc[-1]
    rise_pts = (float(last["share"]) - float(first["share"])) * 100
    growth = float(last["value_usd"]) / float(first["value_usd"])
    verdict = verdict_conditions([rise_pts >= float(tol["share_rise_min_pts"]), growth > 1])
    sentences = [
        f"Imports from China went from USD {bn(first['value_usd'])} bn in {int(first['year'])} to "
        f"USD {bn(last['value_usd'])} bn in {int(last['year'])} (×{growth:.1f}); China's share of Colombia's "
        f"imports moved from {pct(first['share'])} to {pct(last['share'])} ({rise_pts:+.1f} points).",
        "The articles do not say what the associations feared; the data only shows how much exposure there is.",
    ]
    facts = {"first_year": float(first["year"]), "last_year": float(last["year"]), "first_share": float(first["share"]),
             "last_share": float(last["share"]), "growth_factor": growth, "last_imports_usd": float(last["value_usd"])}
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), shares, facts)
