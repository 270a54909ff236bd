"""The articles' statements checked against the data: evidence, verdicts and explanations per claim.

Two layers. `query_claim_data` runs the SQL (read-only connection, bound parameters) and returns plain
DataFrames; everything else is pure: `build_card(spec, data)` turns those frames into a `ClaimCard` with the
numbers per source, a verdict, sentences written from the numbers, and what the bundled data lacks.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.csv_export import neutralise_cell, neutralise_frame
from etl.settings import CIF_FOB_FACTOR_IMF, SEEDS_DIR

CLAIMS_PATH = SEEDS_DIR / "claims.toml"

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
CANNOT_CHECK = "cannot be checked with the bundled data"
SCENARIO = "scenario"
CONTEXT = "context"
OUT_OF_SCOPE = "out of scope"
__all__ = ["neutralise_cell"]  # re-exported: the card CSV uses the same rule as every other download

VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, CANNOT_CHECK, SCENARIO, CONTEXT, OUT_OF_SCOPE)
KINDS = ("checkable", "scenario", "context", "out_of_scope")

COL_REPORTED = "Colombia-reported"
MIRROR = "partner-reported (mirror)"
RECONCILED = f"reconciled (imports CIF→FOB ÷ {CIF_FOB_FACTOR_IMF:g})"

NUMBER_COLUMNS = (
    "measure", "year", "perspective", "value", "unit", "valuation", "source", "dataset", "publisher", "note",
)  # fmt: skip

# Years in which the DIAN series withholds many destinations as "not declared" (see its PROVENANCE).
DIAN_WITHHELD_FROM_YEAR = 2025
REFERENCE_YEAR_MAX = 2024  # the articles (May 2025) speak of the last full year, 2024
SHARES_FROM_YEAR = 2010
CENTRAL_AMERICA = ("GTM", "HND", "NIC", "CRI", "SLV")
FLOWER_CODES = ("0603", "060311")
COFFEE_CODE = "0901"

SOURCE_PUBLISHERS = {
    "imf_dots": "IMF Direction of Trade Statistics",
    "us_census_general": "US Census Bureau (general imports / total exports)",
    "us_census_consumption": "US Census Bureau (imports for consumption, HS10)",
    "dian": "DIAN / DANE",
    "published": "printed figures (publisher per row)",
    "comtrade": "UN Comtrade",
    "world_bank": "World Bank, World Development Indicators",
    "tariff_tracker": "US executive orders as encoded by tradewartracker",
}


# --------------------------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class ClaimSpec:
    """One statement from seeds/claims.toml."""

    id: int
    article: str
    date: str
    speaker: str
    quote: str
    kind: str
    check: str
    summary: str
    tolerance: dict[str, Any]
    tolerance_text: str
    link_page: str | None = None
    link_params: dict[str, str] = field(default_factory=dict)
    scenario_preset: str | None = None
    related_quote: str | None = None
    related_article: str | None = None


def read_claims(path: Path = CLAIMS_PATH) -> list[ClaimSpec]:
    """Parse claims.toml into specs, in file order."""
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)
    specs = []
    for item in raw.get("claim", []):
        tolerance = dict(item.get("tolerance", {}))
        link = item.get("link", {})
        specs.append(
            ClaimSpec(
                id=int(item["id"]),
                article=item["article"],
                date=str(item["date"]),
                speaker=item["speaker"],
                quote=item["quote"],
                kind=item["kind"],
                check=item["check"],
                summary=item.get("summary", ""),
                tolerance=tolerance,
                tolerance_text=str(tolerance.pop("text", "")),
                link_page=link.get("page"),
                link_params={k: str(v) for k, v in link.get("params", {}).items()},
                scenario_preset=item.get("scenario_preset"),
                related_quote=item.get("related_quote"),
                related_article=item.get("related_article"),
            )
        )
    return specs


# --------------------------------------------------------------------------------------------- cards


@dataclass(frozen=True)
class ClaimCard:
    """Everything one card shows. `numbers` has NUMBER_COLUMNS; `series` feeds the chart."""

    spec: ClaimSpec
    verdict: str
    explanation: tuple[str, ...]
    numbers: pd.DataFrame
    missing: tuple[str, ...] = ()
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    facts: dict[str, float] = field(default_factory=dict)  # the headline figures, for tests and annotations


@dataclass(frozen=True)
class ClaimData:
    """The frames the cards are built from (all values in USD unless a column says otherwise)."""

    totals: pd.DataFrame  # trade_annual TOTAL rows: year, reporter_iso3, partner_iso3, flow, valuation, source, value_usd, months_covered
    published: pd.DataFrame  # published_figures rows + dataset
    dian_monthly: pd.DataFrame  # period, partner_iso3, value_usd
    products: pd.DataFrame  # us_census_consumption rows for the claim's products: partner_iso3, hs_code, value_usd, duty_usd
    tariff_timeline: pd.DataFrame  # date, partner_iso3, effective_tariff_pct, tariff_2024_pct
    exemptions: pd.DataFrame  # COL 2024 imports in exempt codes: hs4, list_name, value_usd
    gdp: pd.DataFrame  # iso3, year, gdp_usd
    datasets: dict[str, str] = field(default_factory=dict)  # source -> dataset file(s)
    # Scenario runs of the shipped presets (model/presets): preset -> focus table / by-partner table.
    scenario_focus: dict[str, pd.DataFrame] = field(default_factory=dict)
    scenario_partners: dict[str, pd.DataFrame] = field(default_factory=dict)
    scenario_errors: dict[str, str] = field(default_factory=dict)


def empty_frame(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})


PRESETS_DIR = SEEDS_DIR.parent / "model" / "presets"
SINGLED_OUT_PRESET = "colombia_10pp_more"  # Colombia alone faces 10 more points
EVERYONE_PRESET = "us_10pct_everyone"  # every supplier faces the same 10 points
LATIN_AMERICA = (
    "ARG", "BOL", "BRA", "CHL", "CRI", "CUB", "DOM", "ECU", "GTM", "HND", "HTI", "JAM", "MEX", "NIC", "PAN", "PER",
    "PRY", "SLV", "TTO", "URY", "VEN",
)  # fmt: skip


def query_scenarios(con: duckdb.DuckDBPyConnection, presets: Sequence[str] = (SINGLED_OUT_PRESET, EVERYONE_PRESET)
                    ) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict[str, str]]:  # fmt: skip
    """Run the shipped tariff presets the cards cite; a preset that is absent or fails is reported, not raised."""
    focus: dict[str, pd.DataFrame] = {}
    partners: dict[str, pd.DataFrame] = {}
    errors: dict[str, str] = {}
    try:
        from model.scenario import run_scenario
        from model.spec import parse_spec
    except ImportError as exc:  # the model package is optional for the cards
        return focus, partners, {name: f"scenario model unavailable ({exc})" for name in presets}
    for name in presets:
        path = PRESETS_DIR / f"{name}.json"
        if not path.exists():
            errors[name] = f"preset {name} is not in model/presets"
            continue
        try:
            result = run_scenario(parse_spec(path.read_text(encoding="utf-8")), con)
        except Exception as exc:  # noqa: BLE001 - a failing scenario must not take the evidence cards down
            errors[name] = f"preset {name} did not run: {exc}"
            continue
        focus[name] = result.focus
        partners[name] = result.by_partner
    return focus, partners, errors


def query_claim_data(con: duckdb.DuckDBPyConnection, *, with_scenarios: bool = True) -> ClaimData:
    """Read what the cards need from a (read-only) Balanza database."""
    cur = con.cursor()
    totals = cur.execute(
        """
        SELECT year, reporter_iso3, partner_iso3, flow, valuation, source, value_usd, months_covered
        FROM trade_annual
        WHERE hs_code = 'TOTAL' AND flow IN ('export', 'import')
          AND reporter_iso3 IN (?, ?, ?) AND partner_iso3 IN (?, ?, ?, ?, ?)
        """,
        ["COL", "CHN", "USA", "COL", "CHN", "USA", "WLD", "_X"],
    ).df()
    published = cur.execute(
        """
        SELECT p.year, p.reporter_iso3, p.partner_iso3, p.flow, p.value_usd, p.valuation, p.publisher, p.url,
               p.quote, p.chosen, d.path AS dataset
        FROM published_figures p LEFT JOIN datasets d USING (dataset_id)
        WHERE p.reporter_iso3 IN (?, ?) AND p.partner_iso3 IN (?, ?, ?, ?)
        """,
        ["COL", "CHN", "CHN", "USA", "WLD", "COL"],
    ).df()
    dian_monthly = cur.execute(
        """
        SELECT period, partner_iso3, sum(value_usd) AS value_usd
        FROM trade
        WHERE source = ? AND reporter_iso3 = ? AND flow = ? AND hs_code = 'TOTAL' AND length(period) = 6
        GROUP BY ALL ORDER BY period
        """,
        ["dian", "COL", "export"],
    ).df()
    partners = ["COL", "ECU", *CENTRAL_AMERICA]
    products = cur.execute(
        """
        SELECT partner_iso3, hs_code, value_usd, duty_usd
        FROM trade
        WHERE source = ? AND reporter_iso3 = ? AND flow = ? AND year = ?
          AND (starts_with(hs_code, ?) OR starts_with(hs_code, ?))
        """,
        ["us_census_consumption", "USA", "import", 2024, FLOWER_CODES[0], COFFEE_CODE],
    ).df()
    timeline = cur.execute(
        """
        SELECT date, partner_iso3, effective_tariff_pct, tariff_2024_pct
        FROM us_tariff_timeline WHERE list_contains(?::VARCHAR[], partner_iso3)
        ORDER BY partner_iso3, date
        """,
        [partners],
    ).df()
    exemptions = cur.execute(
        """
        SELECT left(t.hs_code, 4) AS hs4, e.list_name, sum(t.value_usd) AS value_usd
        FROM trade t
        JOIN (
            -- Annex II names HTS8 subheadings, some padded to ten digits with '00'
            SELECT DISTINCT CASE WHEN length(hts_code) = 10 AND ends_with(hts_code, '00') THEN left(hts_code, 8)
                                 ELSE hts_code END AS prefix, list_name
            FROM us_tariff_exemptions
        ) e ON starts_with(t.hs_code, e.prefix)
        WHERE t.source = ? AND t.reporter_iso3 = ? AND t.partner_iso3 = ? AND t.flow = ? AND t.year = ?
        GROUP BY ALL
        """,
        ["us_census_consumption", "USA", "COL", "import", 2024],
    ).df()
    gdp = cur.execute("SELECT iso3, year, gdp_usd FROM gdp WHERE iso3 = ? ORDER BY year", ["COL"]).df()
    dataset_rows = cur.execute(
        "SELECT coalesce(source, '') AS source, string_agg(DISTINCT path, '; ' ORDER BY path) AS paths "
        "FROM datasets GROUP BY ALL"
    ).fetchall()
    datasets = {str(source): str(paths) for source, paths in dataset_rows}
    focus, by_partner, errors = query_scenarios(con) if with_scenarios else ({}, {}, {})
    return ClaimData(totals, published, dian_monthly, products, timeline, exemptions, gdp, datasets,
                     focus, by_partner, errors)  # fmt: skip


def build_cards(data: ClaimData, specs: Sequence[ClaimSpec] | None = None) -> list[ClaimCard]:
    """One card per claim, in claims.toml order."""
    return [build_card(spec, data) for spec in (specs if specs is not None else read_claims())]


def build_card(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    builder = CHECKS.get(spec.check)
    if builder is None:
        raise ValueError(f"claim {spec.id}: unknown check {spec.check!r} (known: {', '.join(sorted(CHECKS))})")
    return builder(spec, data)


# --------------------------------------------------------------------------------------------- verdict rules


def verdict_close_to(value: float | None, target: float, match_pct: float, partial_pct: float) -> str:
    """A stated amount against a measured one: within match_pct % → supported, partial_pct % → partly."""
    if value is None or _missing(value):
        return CANNOT_CHECK
    gap_pct = abs(value - target) / abs(target) * 100
    if gap_pct <= match_pct:
        return SUPPORTED
    if gap_pct <= partial_pct:
        return PARTLY
    return NOT_SUPPORTED


def verdict_share_at_least(shares: Sequence[float | None], share_min: float, partial_min: float) -> str:
    """"Practically all": every comparable measure ≥ share_min → supported; any ≥ partial_min → partly."""
    known = [s for s in shares if s is not None and not _missing(s)]
    if not known:
        return CANNOT_CHECK
    if all(s >= share_min for s in known):
        return SUPPORTED
    if any(s >= partial_min for s in known):
        return PARTLY
    return NOT_SUPPORTED


def verdict_conditions(conditions: Sequence[bool | None]) -> str:
    """A premise made of several tests: all pass → supported, some → partly, none → not supported."""
    known = [c for c in conditions if c is not None]
    if not known or len(known) < len(conditions):
        return CANNOT_CHECK
    if all(known):
        return SUPPORTED
    if any(known):
        return PARTLY
    return NOT_SUPPORTED


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# --------------------------------------------------------------------------------------------- formatting


def bn(value: float) -> str:
    """USD billions with two decimals: 13559000000 → '13.56'."""
    return f"{value / 1e9:,.2f}"


def pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f} %"


def _signed(value: float, digits: int = 2) -> str:
    """'+0.03', '-1.20', and '0.00' rather than '-0.00'."""
    text = f"{value:+.{digits}f}"
    return text[1:] if float(text) == 0 else text


def years_text(years: Iterable[int]) -> str:
    """Compact year list: 2021, 2022, 2023, 2025 → '2021–2023, 2025'."""
    ordered = sorted(set(int(y) for y in years))
    if not ordered:
        return ""
    runs: list[list[int]] = [[ordered[0], ordered[0]]]
    for year in ordered[1:]:
        if year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _row(measure: str, year: Any, perspective: str, value: float, unit: str, valuation: str, source: str,
         dataset: str, publisher: str, note: str = "") -> dict[str, Any]:  # fmt: skip
    return {
        "measure": measure, "year": year, "perspective": perspective, "value": value, "unit": unit,
        "valuation": valuation, "source": source, "dataset": dataset, "publisher": publisher, "note": note,
    }  # fmt: skip


def _numbers(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return empty_frame(NUMBER_COLUMNS)
    return pd.DataFrame(rows, columns=list(NUMBER_COLUMNS))


# --------------------------------------------------------------------------------------------- series


SERIES_COLUMNS = (
    "year", "perspective", "exports_usd", "imports_usd", "balance_usd", "import_valuation", "source", "dataset",
    "publisher", "note",
)  # fmt: skip


def pick_published(rows: pd.DataFrame) -> pd.Series | None:
    """One printed value per observation: the chosen one, else the value most publishers printed, else the first."""
    if rows.empty:
        return None
    chosen = rows[rows["chosen"].fillna(False).astype(bool)]
    if not chosen.empty:
        return chosen.iloc[0]
    counts = rows["value_usd"].value_counts(sort=True)
    return rows[rows["value_usd"] == counts.index[0]].iloc[0]


def _published_value(published: pd.DataFrame, year: int, reporter: str, partner: str, flow: str) -> pd.Series | None:
    rows = published[
        (published["year"] == year)
        & (published["reporter_iso3"] == reporter)
        & (published["partner_iso3"] == partner)
        & (published["flow"] == flow)
    ]
    return pick_published(rows)


def _agreeing(published: pd.DataFrame, picked: pd.Series) -> list[str]:
    """Every publisher that printed the picked value for the same observation (the chosen one first)."""
    same = published[
        (published["year"] == picked["year"]) & (published["reporter_iso3"] == picked["reporter_iso3"])
        & (published["partner_iso3"] == picked["partner_iso3"]) & (published["flow"] == picked["flow"])
        & (published["value_usd"] == picked["value_usd"])
    ]  # fmt: skip
    others = sorted(set(same["publisher"].astype(str)) - {str(picked["publisher"])})
    return [str(picked["publisher"]), *others]


def colombia_series(data: ClaimData, partner: str, factor: float = CIF_FOB_FACTOR_IMF) -> pd.DataFrame:
    """Colombia-reported exports (FOB), imports (CIF) and balance with one partner, by year, plus the
    reconciled series (imports ÷ factor, i.e. FOB). IMF DOTS first; printed DANE figures for later years."""
    rows: list[dict[str, Any]] = []
    dots = data.totals[
        (data.totals["source"] == "imf_dots")
        & (data.totals["reporter_iso3"] == "COL")
        & (data.totals["partner_iso3"] == partner)
    ]
    dots_years = set()
    for year, group in dots.groupby("year"):
        flows = dict(zip(group["flow"], group["value_usd"], strict=False))
        if "export" not in flows or "import" not in flows:
            continue
        dots_years.add(int(year))
        rows.append({
            "year": int(year), "perspective": COL_REPORTED, "exports_usd": flows["export"],
            "imports_usd": flows["import"], "balance_usd": flows["export"] - flows["import"],
            "import_valuation": "CIF", "source": "imf_dots", "dataset": data.datasets.get("imf_dots", "imf-dots"),
            "publisher": SOURCE_PUBLISHERS["imf_dots"], "note": "",
        })  # fmt: skip
    pub = data.published[(data.published["reporter_iso3"] == "COL") & (data.published["partner_iso3"] == partner)]
    for year in sorted(set(pub["year"].astype(int)) - dots_years):
        exp = _published_value(pub, year, "COL", partner, "export")
        imp = _published_value(pub, year, "COL", partner, "import")
        bal = _published_value(pub, year, "COL", partner, "balance")
        publishers = sorted({name for r in (exp, imp, bal) if r is not None for name in _agreeing(pub, r)})
        dataset = next((str(r["dataset"]) for r in (exp, imp, bal) if r is not None and r["dataset"]), "published")
        if exp is not None and imp is not None:
            imp_val = str(imp["valuation"])
            note = "" if imp_val != "unknown" else "import valuation not printed; CIF by DANE convention"
            rows.append({
                "year": year, "perspective": COL_REPORTED, "exports_usd": float(exp["value_usd"]),
                "imports_usd": float(imp["value_usd"]),
                "balance_usd": float(bal["value_usd"]) if bal is not None and partner != "WLD"
                else float(exp["value_usd"]) - float(imp["value_usd"]),
                "import_valuation": "CIF" if imp_val == "unknown" else imp_val, "source": "published",
                "dataset": dataset, "publisher": "; ".join(publishers), "note": note,
            })  # fmt: skip
        elif bal is not None and partner != "WLD":
            rows.append({
                "year": year, "perspective": COL_REPORTED, "exports_usd": float("nan"), "imports_usd": float("nan"),
                "balance_usd": float(bal["value_usd"]), "import_valuation": "unknown", "source": "published",
                "dataset": dataset, "publisher": "; ".join(publishers), "note": "only the balance was printed",
            })  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(SERIES_COLUMNS)) if rows else empty_frame(SERIES_COLUMNS)
    reconciled = frame[frame["import_valuation"] == "CIF"].copy()
    if not reconciled.empty:
        reconciled["imports_usd"] = reconciled["imports_usd"] / factor
        reconciled["balance_usd"] = reconciled["exports_usd"] - reconciled["imports_usd"]
        reconciled["perspective"] = RECONCILED
        reconciled["import_valuation"] = "FOB"
        reconciled["note"] = f"imports CIF ÷ {factor:g}"
    return pd.concat([frame, reconciled], ignore_index=True) if not reconciled.empty else frame


def mirror_series(data: ClaimData, partner: str) -> pd.DataFrame:
    """Colombia's trade as the partner reports it: Colombia's exports = partner's imports (CIF) and vice versa."""
    rows: list[dict[str, Any]] = []
    seen = set()
    dots = data.totals[
        (data.totals["source"] == "imf_dots")
        & (data.totals["reporter_iso3"] == partner)
        & (data.totals["partner_iso3"] == "COL")
    ]
    for year, group in dots.groupby("year"):
        flows = dict(zip(group["flow"], group["value_usd"], strict=False))
        if "export" not in flows or "import" not in flows:
            continue
        seen.add(int(year))
        rows.append({
            "year": int(year), "perspective": MIRROR, "exports_usd": flows["import"], "imports_usd": flows["export"],
            "balance_usd": flows["import"] - flows["export"], "import_valuation": "FOB", "source": "imf_dots",
            "dataset": data.datasets.get("imf_dots", "imf-dots"), "publisher": SOURCE_PUBLISHERS["imf_dots"],
            "note": f"{partner}'s exports (FOB) as Colombia's imports; {partner}'s imports (CIF) as Colombia's exports",
        })  # fmt: skip
    pub = data.published[(data.published["reporter_iso3"] == partner) & (data.published["partner_iso3"] == "COL")]
    for year in sorted(set(pub["year"].astype(int)) - seen):
        exp = _published_value(pub, year, partner, "COL", "export")
        imp = _published_value(pub, year, partner, "COL", "import")
        if exp is None or imp is None:
            continue
        rows.append({
            "year": year, "perspective": MIRROR, "exports_usd": float(imp["value_usd"]),
            "imports_usd": float(exp["value_usd"]), "balance_usd": float(imp["value_usd"]) - float(exp["value_usd"]),
            "import_valuation": "FOB", "source": "published", "dataset": str(exp["dataset"] or "published"),
            "publisher": str(exp["publisher"]), "note": f"{partner}'s printed exports and imports with Colombia",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(SERIES_COLUMNS)) if rows else empty_frame(SERIES_COLUMNS)


def deficit_series(data: ClaimData, partner: str = "CHN") -> pd.DataFrame:
    """Every perspective of Colombia's balance with a partner, long format (for the deficit chart)."""
    parts = [colombia_series(data, partner), mirror_series(data, partner)]
    frame = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) else empty_frame(SERIES_COLUMNS)
    return frame.sort_values(["perspective", "year"], ignore_index=True) if not frame.empty else frame


def _latest(frame: pd.DataFrame, perspective: str, max_year: int = REFERENCE_YEAR_MAX) -> pd.Series | None:
    rows = frame[(frame["perspective"] == perspective) & (frame["year"] <= max_year)].dropna(subset=["balance_usd"])
    return None if rows.empty else rows.sort_values("year").iloc[-1]


def _series_number_rows(series: pd.DataFrame, measure: str, years: Iterable[int] | None = None) -> list[dict[str, Any]]:
    rows = []
    wanted = set(years) if years is not None else None
    for rec in series.to_dict("records"):
        if wanted is not None and rec["year"] not in wanted:
            continue
        valuation = f"exports FOB, imports {rec['import_valuation']}"
        rows.append(_row(measure, int(rec["year"]), rec["perspective"], rec["balance_usd"], "USD", valuation,
                         rec["source"], rec["dataset"], rec["publisher"], rec["note"]))  # fmt: skip
    return rows


def _missing_years(series: pd.DataFrame, perspective: str, first: int, last: int) -> list[int]:
    have = set(series[(series["perspective"] == perspective)].dropna(subset=["balance_usd"])["year"].astype(int))
    return [y for y in range(first, last + 1) if y not in have]


# --------------------------------------------------------------------------------------------- claim 1


def check_china_deficit(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    target = float(tol["target_usd"])
    series = deficit_series(data, "CHN")
    series = series[series["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    col = _latest(series, COL_REPORTED)
    rec = _latest(series, RECONCILED)
    mir = _latest(series, MIRROR)
    first_year = SHARES_FROM_YEAR
    missing = []
    gaps = _missing_years(series, COL_REPORTED, first_year, REFERENCE_YEAR_MAX)
    if gaps:
        missing.append(f"Colombia-reported exports and imports with China: {years_text(gaps)} "
                       "(IMF DOTS ends in 2020; no printed DANE figure for those years in the bundle)")
    mgaps = _missing_years(series, MIRROR, first_year, REFERENCE_YEAR_MAX)
    if mgaps:
        missing.append(f"China-reported exports and imports with Colombia: {years_text(mgaps)} "
                       "(IMF DOTS ends in 2020; later China-side figures printed only for 2022 split by flow)")
    if col is None:
        return ClaimCard(spec, CANNOT_CHECK, ("No Colombia-reported balance with China is in the bundled data.",),
                         _numbers(_series_number_rows(series, "balance with China")), tuple(missing), series)
    deficit = -float(col["balance_usd"])
    verdict = verdict_close_to(deficit, target, float(tol["match_pct"]), float(tol["partial_pct"]))
    gap = (deficit - target) / target * 100
    where = "within" if abs(gap) <= float(tol["match_pct"]) else "outside"
    sentences = [
        f"Colombia-reported ({col['publisher']}): the deficit with China was USD {bn(deficit)} bn in "
        f"{int(col['year'])} with imports valued CIF, {abs(gap):.1f} % {'below' if gap < 0 else 'above'} "
        f"the USD {bn(target)} bn claimed — {where} the ±{float(tol['match_pct']):g} % tolerance."
    ]
    other = []
    facts = {"deficit_usd": deficit, "year": float(col["year"]), "gap_pct": gap}
    if rec is not None and int(rec["year"]) == int(col["year"]):
        rdef = -float(rec["balance_usd"])
        facts["reconciled_deficit_usd"] = rdef
        other.append(f"with imports converted to FOB (÷ {CIF_FOB_FACTOR_IMF:g}) it is USD {bn(rdef)} bn "
                     f"({abs(rdef - target) / target * 100:.1f} % {'below' if rdef < target else 'above'} the claim)")
    if mir is not None:
        mdef = -float(mir["balance_usd"])
        facts["mirror_deficit_usd"] = mdef
        facts["mirror_year"] = float(mir["year"])
        other.append(f"China's own figures give USD {bn(mdef)} bn for {int(mir['year'])}, its latest split year")
    if other:
        sentences.append("On other bases: " + "; ".join(other) + ".")
    numbers = _numbers(_series_number_rows(series, "balance with China (negative = Colombian deficit)"))
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), series, facts)


# --------------------------------------------------------------------------------------------- claim 2


SHARE_BASES = ("both CIF imports", "both FOB imports", "mixed: China CIF over headline FOB")


def china_share_table(data: ClaimData, factor: float = CIF_FOB_FACTOR_IMF) -> pd.DataFrame:
    """China's deficit as a share of Colombia's total goods deficit, by year and valuation basis."""
    china = colombia_series(data, "CHN", factor)
    world = colombia_series(data, "WLD", factor)
    pub_world = data.published[(data.published["reporter_iso3"] == "COL") & (data.published["partner_iso3"] == "WLD")]
    rows = []
    for year in sorted(set(china["year"].astype(int))):
        c_cif = china[(china["year"] == year) & (china["perspective"] == COL_REPORTED)]
        c_fob = china[(china["year"] == year) & (china["perspective"] == RECONCILED)]
        w_cif = world[(world["year"] == year) & (world["perspective"] == COL_REPORTED)]
        w_fob = world[(world["year"] == year) & (world["perspective"] == RECONCILED)]
        headline = None if year <= 2020 and not w_cif.empty else _published_value(pub_world, year, "COL", "WLD", "balance")
        if not c_cif.empty and not w_cif.empty and c_cif.iloc[0]["import_valuation"] == "CIF":
            rows.append(_share_row(year, SHARE_BASES[0], c_cif.iloc[0], float(w_cif.iloc[0]["balance_usd"]), w_cif.iloc[0]))
        # The printed headline balance has imports really valued FOB: prefer it to the ÷ factor estimate.
        if not c_fob.empty and headline is not None:
            rows.append(_share_row(year, SHARE_BASES[1], c_fob.iloc[0], float(headline["value_usd"]), headline,
                                   world_note="DANE headline balance (imports FOB)"))
        elif not c_fob.empty and not w_fob.empty:
            rows.append(_share_row(year, SHARE_BASES[1], c_fob.iloc[0], float(w_fob.iloc[0]["balance_usd"]), w_fob.iloc[0]))
        if headline is not None and not c_cif.empty and c_cif.iloc[0]["import_valuation"] == "CIF":
            rows.append(_share_row(year, SHARE_BASES[2], c_cif.iloc[0], float(headline["value_usd"]), headline,
                                   world_note="DANE headline balance (imports FOB); not comparable"))
    columns = ["year", "basis", "china_balance_usd", "world_balance_usd", "share", "china_publisher",
               "world_publisher", "dataset", "note"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)


def _share_row(year: int, basis: str, china: pd.Series, world_balance: float, world: pd.Series,
               world_note: str = "") -> dict[str, Any]:  # fmt: skip
    china_balance = float(china["balance_usd"])
    share = china_balance / world_balance if world_balance < 0 and china_balance < 0 else float("nan")
    return {
        "year": year, "basis": basis, "china_balance_usd": china_balance, "world_balance_usd": world_balance,
        "share": share, "china_publisher": str(china["publisher"]), "world_publisher": str(world["publisher"]),
        "dataset": str(china["dataset"]), "note": world_note,
    }  # fmt: skip


def check_china_share_of_deficit(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    table = china_share_table(data)
    numbers = _numbers([
        _row("China deficit ÷ total goods deficit", int(r["year"]), r["basis"], r["share"] * 100, "%", r["basis"],
             "imf_dots" if r["year"] <= 2020 else "published", r["dataset"],
             f"China: {r['china_publisher']}; total: {r['world_publisher']}",
             f"China {bn(-r['china_balance_usd'])} bn ÷ total {bn(-r['world_balance_usd'])} bn. {r['note']}".strip())
        for r in table.to_dict("records")
    ])  # fmt: skip
    table = table[table["year"] >= SHARES_FROM_YEAR].reset_index(drop=True)
    consistent = table[table["basis"] != SHARE_BASES[2]].dropna(subset=["share"])
    missing = []
    surplus_years = set(table[(table["basis"] == SHARE_BASES[0]) & (table["world_balance_usd"] >= 0)]["year"])
    have_years = set(consistent["year"].astype(int)) | surplus_years
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in have_years]
    if gaps:
        missing.append(f"a China deficit and a total deficit on the same valuation: {years_text(gaps)} "
                       "(Colombia-reported trade with China or with the world is missing for those years)")
    if consistent.empty:
        return ClaimCard(spec, CANNOT_CHECK, ("No year has both deficits on one valuation in the bundled data.",),
                         numbers, tuple(missing), table)
    latest_year = int(consistent["year"].max())
    latest = consistent[consistent["year"] == latest_year]
    shares = latest["share"].tolist()
    verdict = verdict_share_at_least(shares, float(tol["share_min"]), float(tol["partial_share_min"]))
    parts = [f"{pct(r['share'], 0)} with {r['basis']} (China {bn(-r['china_balance_usd'])} bn of "
             f"{bn(-r['world_balance_usd'])} bn)" for r in latest.to_dict("records")]
    sentences = [f"In {latest_year} the deficit with China was " + " and ".join(parts) + " of Colombia's total goods deficit."]
    if any(s > 1 for s in shares):
        sentences.append("Above 100 % means Colombia's trade with the rest of the world taken together was in surplus.")
    earlier = consistent[(consistent["year"] < latest_year) & (consistent["basis"] == SHARE_BASES[0])]
    if surplus_years:
        sentences.append(f"No share exists for {years_text(surplus_years)}: Colombia's total goods trade was in surplus.")
    if not earlier.empty:
        low = earlier.loc[earlier["share"].idxmin()]
        high = earlier.loc[earlier["share"].idxmax()]
        sentences.append(f"In earlier years (both CIF) the share ranged from {pct(low['share'], 0)} ({int(low['year'])}) to "
                         f"{pct(high['share'], 0)} ({int(high['year'])}, when the total deficit was USD "
                         f"{bn(-high['world_balance_usd'])} bn).")
    mixed = table[(table["basis"] == SHARE_BASES[2]) & (table["year"] == latest_year)]
    if not mixed.empty:
        sentences.append(f"Dividing the CIF China deficit by DANE's headline (FOB) balance gives "
                         f"{pct(float(mixed.iloc[0]['share']), 0)}, which mixes valuations.")
    facts = {f"share_{b.split()[1] if b != SHARE_BASES[2] else 'mixed'}": float(s)
             for b, s in zip(table[table["year"] == latest_year]["basis"], table[table["year"] == latest_year]["share"], strict=False)}  # fmt: skip
    facts["year"] = float(latest_year)
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), table, facts)


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
        world = _published_value(pub, year, "COL", "WLD", flow)
        if world is None:
            continue
        for partner in partners:
            if (year, partner) in have:
                continue
            value = _published_value(pub, year, "COL", partner, flow)
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
            rows.append(_row(f"{r['partner']} share of Colombia's {flow}", r["year"], COL_REPORTED, r["share"] * 100,
                             "%", "FOB" if flow == "exports" else "CIF", r["source"], r["dataset"], r["publisher"],
                             r["note"]))  # fmt: skip
    us_census = data.totals[(data.totals["source"] == "us_census_general") & (data.totals["reporter_iso3"] == "USA")
                            & (data.totals["partner_iso3"] == "COL")]  # fmt: skip
    for r in us_census.to_dict("records"):
        label = "US imports from Colombia" if r["flow"] == "import" else "US exports to Colombia"
        rows.append(_row(label, int(r["year"]), MIRROR, float(r["value_usd"]), "USD", r["valuation"],
                         "us_census_general", data.datasets.get("us_census_general", "us_census_general"),
                         SOURCE_PUBLISHERS["us_census_general"]))  # fmt: skip
    numbers = _numbers(rows)
    comparable = _comparable(exports[exports["year"] >= SHARES_FROM_YEAR])
    both = comparable.pivot_table(index="year", columns="partner", values="share")
    both = both.dropna() if {"USA", "CHN"} <= set(both.columns) else pd.DataFrame()
    missing = []
    imp_years = set(imports[imports["partner"] == "USA"]["year"]) if not imports.empty else set()
    gaps = [y for y in range(2021, REFERENCE_YEAR_MAX + 1) if y not in imp_years]
    if gaps:
        missing.append(f"Colombia-reported imports from the US: {years_text(gaps)} (IMF DOTS ends in 2020; "
                       "no printed figure in the bundle)")
    exp_years = set(comparable["year"]) if not comparable.empty else set()
    egaps = [y for y in range(2021, REFERENCE_YEAR_MAX + 1) if y not in exp_years]
    if egaps:
        missing.append(f"Colombia-reported export shares by partner: {years_text(egaps)}")
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
    numbers = _numbers(
        [_row("imports from China", r["year"], COL_REPORTED, r["value_usd"], "USD", "CIF", r["source"], r["dataset"],
              r["publisher"], r["note"]) for r in shares.to_dict("records")]
        + [_row("China share of Colombia's imports", r["year"], COL_REPORTED, r["share"] * 100, "%", "CIF",
                r["source"], r["dataset"], r["publisher"], r["note"]) for r in shares.to_dict("records")]
    )  # fmt: skip
    have = set(shares["year"].astype(int))
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in have]
    missing = [f"Colombia-reported imports from China (with the total): {years_text(gaps)}"] if gaps else []
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


# --------------------------------------------------------------------------------------------- claim 4


def product_shares(products: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """US imports 2024 of one HS prefix by supplier among the bundled partners, with share and 2024 duty rate."""
    sub = products[products["hs_code"].astype(str).str.startswith(prefix)]
    if sub.empty:
        return empty_frame(["partner_iso3", "value_usd", "duty_usd", "share", "duty_rate"])
    grouped = sub.groupby("partner_iso3", as_index=False)[["value_usd", "duty_usd"]].sum()
    grouped["share"] = grouped["value_usd"] / grouped["value_usd"].sum()
    grouped["duty_rate"] = grouped["duty_usd"] / grouped["value_usd"]
    return grouped.sort_values("value_usd", ascending=False, ignore_index=True)


def relative_price_shift(own_before: float, own_added: float, rival_before: float, rival_added: float) -> float:
    """How much an added tariff raises one supplier's duty-inclusive price relative to a rival's (fraction)."""
    own = (1 + own_before + own_added) / (1 + own_before)
    rival = (1 + rival_before + rival_added) / (1 + rival_before)
    return own / rival - 1


def check_roses_and_coffee(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    added = 0.10  # the April 2025 baseline, applied to Colombia and all these rivals alike (none paid more then)
    rows = []
    checks: list[bool | None] = []
    sentences = []
    missing = []
    facts: dict[str, float] = {}
    groups = (("cut flowers", "0603", ("ECU",), "Ecuador"), ("roses", "060311", ("ECU",), "Ecuador"),
              ("coffee", COFFEE_CODE, CENTRAL_AMERICA, "Central America"))  # fmt: skip
    for label, prefix, rivals, rival_name in groups:
        table = product_shares(data.products, prefix)
        if table.empty or "COL" not in set(table["partner_iso3"]):
            missing.append(f"US imports for consumption 2024 of HS {prefix} from Colombia")
            checks.append(None)
            continue
        for r in table.to_dict("records"):
            if r["partner_iso3"] in ("COL", *rivals):
                rows.append(_row(f"share of US imports of HS {prefix} ({label}), 2024", 2024, MIRROR, r["share"] * 100,
                                 "%", "customs value", "us_census_consumption",
                                 data.datasets.get("us_census_consumption", "us_census_consumption"),
                                 SOURCE_PUBLISHERS["us_census_consumption"],
                                 f"{r['partner_iso3']}: USD {r['value_usd'] / 1e6:,.1f} m; 2024 duty {pct(r['duty_rate'], 2)}"))  # fmt: skip
        col = table[table["partner_iso3"] == "COL"].iloc[0]
        riv = table[table["partner_iso3"].isin(rivals)]
        rival_share = float(riv["share"].sum())
        rival_rate = float(riv["duty_usd"].sum() / riv["value_usd"].sum()) if not riv.empty else float("nan")
        shift = relative_price_shift(float(col["duty_rate"]), added, rival_rate, added) if not riv.empty else float("nan")
        facts[f"{prefix}_col_share"] = float(col["share"])
        facts[f"{prefix}_rival_share"] = rival_share
        facts[f"{prefix}_price_shift"] = shift
        if prefix != "060311":
            checks.append(rival_share >= float(tol["rival_share_min"]))
        sentences.append(
            f"HS {prefix} ({label}): Colombia supplied {pct(float(col['share']))} of US imports in 2024, "
            f"{rival_name} {pct(rival_share)}; starting duties {pct(float(col['duty_rate']), 2)} vs "
            f"{pct(rival_rate, 2)}, so an equal 10 points moves Colombia's price {_signed(shift * 100)} % relative to them."
        )
    tariff_gap = _tariff_gap_at(data.tariff_timeline, spec.date, ("ECU", *CENTRAL_AMERICA))
    if tariff_gap is None:
        missing.append(f"US effective tariffs for Colombia and its rivals on {spec.date}")
    else:
        facts["tariff_gap_pts"] = tariff_gap
        rows.append(_row("Colombia's effective US tariff minus its rivals' (trade-weighted, all goods)", spec.date,
                         "US policy", tariff_gap, "points", "", "us_tariff_timeline",
                         data.datasets.get("tariff_tracker", "us-tariffs-2025/country-by-time.csv"),
                         SOURCE_PUBLISHERS["tariff_tracker"], "average over rivals, simple mean"))  # fmt: skip
    gap_ok = None if tariff_gap is None else tariff_gap >= float(tol["tariff_gap_min_pts"])
    rivals_ok = verdict_conditions(checks)
    if rivals_ok == CANNOT_CHECK:
        verdict = CANNOT_CHECK
    elif rivals_ok == SUPPORTED and gap_ok:
        verdict = SUPPORTED
    elif rivals_ok == NOT_SUPPORTED and gap_ok is False:
        verdict = NOT_SUPPORTED
    else:
        verdict = PARTLY
    if tariff_gap is not None:
        sentences.append(f"On {spec.date} Colombia's effective US tariff was {tariff_gap:+.1f} points from its rivals' "
                         "average: the opportunity needs Colombia to face a higher tariff — see the scenario.")
    sentences.extend(_scenario_sentences(data, rows, facts))
    chart_rows = [product_shares(data.products, prefix).assign(hs=f"HS {prefix} ({label})")
                  for label, prefix, _, _ in groups]  # fmt: skip
    chart_frame = pd.concat([f for f in chart_rows if not f.empty], ignore_index=True) if any(
        not f.empty for f in chart_rows) else empty_frame(["partner_iso3", "value_usd", "share", "hs"])
    return ClaimCard(spec, verdict, tuple(sentences), _numbers(rows), tuple(missing), chart_frame, facts)


def _focus_gain(focus: pd.DataFrame, prefix: str, partners: str) -> pd.Series | None:
    rows = focus[(focus["hs_prefix"] == prefix) & (focus["partners"] == partners)]
    return None if rows.empty else rows.iloc[0]


def _scenario_sentences(data: ClaimData, rows: list[dict[str, Any]], facts: dict[str, float]) -> list[str]:
    """Who gains in the model when Colombia alone faces 10 more points, against 10 points on everyone."""
    sentences = []
    central = ", ".join(CENTRAL_AMERICA)
    for preset in (SINGLED_OUT_PRESET, EVERYONE_PRESET):
        focus = data.scenario_focus.get(preset)
        if focus is None or focus.empty:
            continue
        for label, prefix, partners in (("Ecuador's roses", "060311", "ECU"),
                                        ("Central America's coffee", COFFEE_CODE, central)):  # fmt: skip
            gain = _focus_gain(focus, prefix, partners)
            if gain is None:
                continue
            facts[f"{preset}_{prefix}_gain_usd"] = float(gain["total_change_usd"])
            facts[f"{preset}_{prefix}_diversion_usd"] = float(gain["trade_diversion_usd"])
            rows.append(_row(f"modelled change in US imports: {label} (HS {prefix})", 2024, f"scenario {preset}",
                             float(gain["total_change_usd"]), "USD", "customs value", "scenario",
                             f"model/presets/{preset}.json", "Balanza tariff model (SMART) on US Census 2024 lines",
                             f"range {float(gain['low_usd']) / 1e6:,.0f} to {float(gain['high_usd']) / 1e6:,.0f} m "
                             "(elasticities ×0.5 to ×2)"))  # fmt: skip
    singled = f"{SINGLED_OUT_PRESET}_060311_gain_usd"
    everyone = f"{EVERYONE_PRESET}_060311_gain_usd"
    coffee = f"{SINGLED_OUT_PRESET}_{COFFEE_CODE}_gain_usd"
    if singled in facts and coffee in facts:
        text = (f"Model: if Colombia alone faced 10 more points, US imports of Ecuador's roses would change by "
                f"USD {facts[singled] / 1e6:+,.0f} m and of Central America's coffee by USD {facts[coffee] / 1e6:+,.0f} m")
        if everyone in facts:
            switch = facts[everyone.replace("_gain_usd", "_diversion_usd")]
            text += (f"; with the same 10 points on every supplier, buyers switching to Ecuador's roses add only "
                     f"USD {switch / 1e6:+,.1f} m while all rose imports shrink (Ecuador's: USD {facts[everyone] / 1e6:+,.0f} m)")
        sentences.append(text + ".")
    for preset, error in data.scenario_errors.items():
        sentences.append(f"Scenario {preset} not shown: {error}.")
    return sentences


def _tariff_gap_at(timeline: pd.DataFrame, date: str, rivals: Sequence[str]) -> float | None:
    if timeline.empty:
        return None
    at = pd.Timestamp(date)
    frame = timeline.assign(date=pd.to_datetime(timeline["date"]))
    frame = frame[frame["date"] <= at].sort_values("date").groupby("partner_iso3").tail(1).set_index("partner_iso3")
    if "COL" not in frame.index:
        return None
    present = [r for r in rivals if r in frame.index]
    if not present:
        return None
    return float(frame.loc["COL", "effective_tariff_pct"]) - float(frame.loc[present, "effective_tariff_pct"].mean())


# --------------------------------------------------------------------------------------------- claim 6


MONTHLY_EXPORTS_MEASURE = "Colombia's monthly exports"
APRIL_EXEMPTION_LISTS = ("annex_ii_2025_04", "annex-II-exemptions")


def april_exemptions(exemptions: pd.DataFrame) -> pd.DataFrame:
    """Rows of the April 2025 Annex II list (the later November list widened it; it is not what April did)."""
    if exemptions.empty:
        return exemptions
    return exemptions[exemptions["list_name"].isin(APRIL_EXEMPTION_LISTS)]


def check_us_tariff(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    tol = spec.tolerance
    change = pd.Timestamp(str(tol["change_date"]))
    tl = data.tariff_timeline[data.tariff_timeline["partner_iso3"] == "COL"].copy()
    tl["date"] = pd.to_datetime(tl["date"])
    tariff_ds = data.datasets.get("tariff_tracker", "us-tariffs-2025/country-by-time.csv")
    rows = [_row("effective US tariff on Colombian goods", r["date"].date().isoformat(), "US policy",
                 r["effective_tariff_pct"], "%", "", "us_tariff_timeline", tariff_ds,
                 SOURCE_PUBLISHERS["tariff_tracker"], "trade-weighted with 2024 imports")
            for r in tl.to_dict("records")]  # fmt: skip
    missing = []
    before = tl[tl["date"] < change].sort_values("date")
    after = tl[tl["date"] >= change].sort_values("date")
    sentences = []
    facts: dict[str, float] = {}
    if before.empty or after.empty:
        verdict = CANNOT_CHECK
        missing.append(f"US effective tariff on Colombian goods before and after {change.date()}")
    else:
        b, a = before.iloc[-1], after.iloc[0]
        rise = float(a["effective_tariff_pct"]) - float(b["effective_tariff_pct"])
        target = float(tol["target_pts"])
        gap = abs(rise - target)
        verdict = SUPPORTED if gap <= float(tol["match_pts"]) else PARTLY if gap <= float(tol["partial_pts"]) else NOT_SUPPORTED
        at_article = tl[tl["date"] <= pd.Timestamp(spec.date)].sort_values("date").iloc[-1]
        facts.update(before_pct=float(b["effective_tariff_pct"]), after_pct=float(a["effective_tariff_pct"]),
                     rise_pts=rise, article_pct=float(at_article["effective_tariff_pct"]))  # fmt: skip
        sentences.append(
            f"The trade-weighted US tariff on Colombian goods went from {float(b['effective_tariff_pct']):.2f} % "
            f"({b['date'].date()}) to {float(a['effective_tariff_pct']):.2f} % ({a['date'].date()}), a rise of "
            f"{rise:.1f} points; by the article's date it was {float(at_article['effective_tariff_pct']):.2f} %."
        )
    ex = april_exemptions(data.exemptions)
    if not ex.empty:
        by_hs4 = ex.groupby("hs4")["value_usd"].sum()
        total_exempt = float(by_hs4.sum())
        facts["exempt_usd"] = total_exempt
        for hs4 in ("2709", "2701"):
            value = float(by_hs4.get(hs4, 0.0))
            facts[f"exempt_{hs4}_usd"] = value
            rows.append(_row(f"US imports from Colombia 2024 in exempt HS {hs4}", 2024, MIRROR, value, "USD",
                             "customs value", "us_census_consumption",
                             data.datasets.get("us_census_consumption", "us_census_consumption"),
                             SOURCE_PUBLISHERS["us_census_consumption"], "Annex II (April 2025) exemption"))  # fmt: skip
        sentences.append(
            f"Exempt from it (Annex II): USD {bn(total_exempt)} bn of 2024 US imports from Colombia, including crude "
            f"oil (2709) USD {bn(float(by_hs4.get('2709', 0.0)))} bn and coal (2701) USD {bn(float(by_hs4.get('2701', 0.0)))} bn."
        )
    else:
        missing.append("US imports from Colombia in the Annex II exempt codes (exemption list or HS10 imports)")
    dian = data.dian_monthly
    us = dian[dian["partner_iso3"] == "USA"].copy()
    for r in dian[dian["partner_iso3"].isin(["USA", "_X"])].to_dict("records"):
        label = "to the US" if r["partner_iso3"] == "USA" else "with no declared destination"
        rows.append(_row(f"{MONTHLY_EXPORTS_MEASURE} {label}", f"{r['period'][:4]}-{r['period'][4:]}", COL_REPORTED,
                         float(r["value_usd"]), "USD", "FOB", "dian", data.datasets.get("dian", "dian"),
                         SOURCE_PUBLISHERS["dian"],
                         "destinations partly withheld" if int(r["period"][:4]) >= DIAN_WITHHELD_FROM_YEAR else ""))  # fmt: skip
    if not us.empty:
        us["year"] = us["period"].str[:4].astype(int)
        us["month"] = us["period"].str[4:].astype(int)
        after_months = us[(us["year"] == change.year) & (us["month"] >= change.month)]
        if not after_months.empty:
            months = sorted(after_months["month"])
            prior = us[(us["year"] == change.year - 1) & us["month"].isin(months)]
            now_v, prior_v = float(after_months["value_usd"].sum()), float(prior["value_usd"].sum())
            withheld = dian[(dian["partner_iso3"] == "_X") & dian["period"].str.startswith(str(change.year))]
            facts.update(us_exports_after_usd=now_v, us_exports_prior_usd=prior_v)
            change_pct = (now_v / prior_v - 1) * 100 if prior_v else float("nan")
            rows.append(_row(f"Colombia's exports to the US, months {months[0]:02d}–{months[-1]:02d}", change.year,
                             COL_REPORTED, now_v, "USD", "FOB", "dian", data.datasets.get("dian", "dian"),
                             SOURCE_PUBLISHERS["dian"], "destinations partly withheld from 2025"))  # fmt: skip
            rows.append(_row(f"Colombia's exports to the US, months {months[0]:02d}–{months[-1]:02d}", change.year - 1,
                             COL_REPORTED, prior_v, "USD", "FOB", "dian", data.datasets.get("dian", "dian"),
                             SOURCE_PUBLISHERS["dian"], ""))  # fmt: skip
            sentences.append(
                f"DIAN: exports to the US in {months[0]:02d}–{months[-1]:02d}/{change.year} were USD {bn(now_v)} bn, "
                f"{change_pct:+.1f} % on the same months of {change.year - 1}; from {change.year} USD "
                f"{bn(float(withheld['value_usd'].sum()))} bn of that year's exports had no declared destination."
            )
    else:
        missing.append("DIAN monthly exports to the US")
    return ClaimCard(spec, verdict, tuple(sentences), _numbers(rows), tuple(missing), tl, facts)


# --------------------------------------------------------------------------------------------- claim 7


def largest_yearly_increase(values: pd.DataFrame) -> tuple[int, float] | None:
    """(year, increase) of the largest rise between consecutive years in a year/value_usd frame."""
    series = values.dropna(subset=["value_usd"]).groupby("year")["value_usd"].first().sort_index()
    previous = series.reindex(series.index - 1).to_numpy()
    increases = pd.Series(series.to_numpy() - previous, index=series.index).dropna()
    if increases.empty:
        return None
    year = int(increases.idxmax())
    return year, float(increases.loc[year])


def colombia_exports_to(data: ClaimData, partner: str) -> pd.DataFrame:
    """Colombia-reported exports to a partner by year: IMF DOTS, DIAN (full comparable years), printed figures."""
    t = data.totals
    rows = []
    for source in ("imf_dots", "dian"):
        sub = t[(t["source"] == source) & (t["reporter_iso3"] == "COL") & (t["partner_iso3"] == partner)
                & (t["flow"] == "export")]  # fmt: skip
        for r in sub.to_dict("records"):
            if source == "dian" and (int(r["year"]) >= DIAN_WITHHELD_FROM_YEAR or int(r["months_covered"]) < 12):
                continue
            rows.append({"year": int(r["year"]), "value_usd": float(r["value_usd"]), "source": source})
    have = {r["year"] for r in rows}
    pub = data.published[(data.published["reporter_iso3"] == "COL") & (data.published["partner_iso3"] == partner)]
    for year in sorted(set(pub["year"].astype(int)) - have):
        value = _published_value(pub, year, "COL", partner, "export")
        if value is not None:
            rows.append({"year": year, "value_usd": float(value["value_usd"]), "source": "published"})
    frame = pd.DataFrame(rows, columns=["year", "value_usd", "source"])
    return frame.sort_values("year", ignore_index=True)


def check_china_purchases(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    series = deficit_series(data, "CHN")
    col = _latest(series, COL_REPORTED)
    exports = colombia_exports_to(data, "CHN")
    best = largest_yearly_increase(exports)
    rows = [_row("Colombia's exports to China", r["year"], COL_REPORTED, r["value_usd"], "USD", "FOB", r["source"],
                 data.datasets.get(r["source"], r["source"]), SOURCE_PUBLISHERS.get(r["source"], r["source"]))
            for r in exports.to_dict("records")]  # fmt: skip
    sentences = []
    facts: dict[str, float] = {}
    missing = []
    if col is None or best is None:
        missing.append("a Colombia-reported deficit with China and two consecutive years of exports to China")
    else:
        deficit = -float(col["balance_usd"])
        year = int(col["year"])
        current = exports[exports["year"] == year]["value_usd"]
        best_year, best_rise = best
        facts.update(deficit_usd=deficit, year=float(year), best_year=float(best_year), best_increase_usd=best_rise,
                     years_at_best_pace=deficit / best_rise)  # fmt: skip
        sentences.append(
            f"Closing the {year} deficit would take USD {bn(deficit)} bn more Chinese purchases a year"
            + (f", taking Colombia's exports to China from USD {bn(float(current.iloc[0]))} bn to "
               f"USD {bn(float(current.iloc[0]) + deficit)} bn (×{(float(current.iloc[0]) + deficit) / float(current.iloc[0]):.1f})"
               if not current.empty else "")
            + "."
        )
        sentences.append(
            f"The largest yearly increase ever observed was USD {bn(best_rise)} bn ({best_year - 1}→{best_year}); "
            f"at that pace closing the gap takes {deficit / best_rise:.1f} years of record growth, with imports unchanged."
        )
        rows.append(_row("increase needed to close the deficit", year, COL_REPORTED, deficit, "USD", "exports FOB, imports CIF",
                         str(col["source"]), str(col["dataset"]), str(col["publisher"])))  # fmt: skip
    gaps = [y for y in range(SHARES_FROM_YEAR, REFERENCE_YEAR_MAX + 1) if y not in set(exports["year"])]
    if gaps:
        missing.append(f"Colombia-reported exports to China: {years_text(gaps)}")
    return ClaimCard(spec, SCENARIO, tuple(sentences), _numbers(rows), tuple(missing), exports, facts)


# --------------------------------------------------------------------------------------------- claims 5, 8, 10


def check_scenario_substitution(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    table = product_shares(data.products, COFFEE_CODE)
    rows = [_row("share of US coffee imports (HS 0901), 2024", 2024, MIRROR, r["share"] * 100, "%", "customs value",
                 "us_census_consumption", data.datasets.get("us_census_consumption", "us_census_consumption"),
                 SOURCE_PUBLISHERS["us_census_consumption"], r["partner_iso3"])
            for r in table.head(8).to_dict("records")]  # fmt: skip
    sentences = ["A statement about what buyers could do, not about what happened: the scenario page models "
                 "US buyers switching suppliers when Colombia faces a higher tariff."]
    facts: dict[str, float] = {}
    by_partner = data.scenario_partners.get(SINGLED_OUT_PRESET)
    if by_partner is not None and not by_partner.empty:
        gainers = by_partner[(by_partner["partner_iso3"] != "COL") & (by_partner["trade_diversion_usd"] > 0)]
        total_gain = float(gainers["trade_diversion_usd"].sum())
        latam = gainers[gainers["partner_iso3"].isin(LATIN_AMERICA)].sort_values("trade_diversion_usd", ascending=False)
        colombia = by_partner[by_partner["partner_iso3"] == "COL"]
        if total_gain > 0 and not colombia.empty:
            col_change = float(colombia["total_change_usd"].iloc[0])
            latam_share = float(latam["trade_diversion_usd"].sum()) / total_gain
            facts.update(colombia_change_usd=col_change, diverted_usd=total_gain, latam_share=latam_share)
            sentences.append(
                f"In the preset {SINGLED_OUT_PRESET} US imports from Colombia change by USD {bn(col_change)} bn; of the "
                f"USD {bn(total_gain)} bn bought from other suppliers instead, Latin American ones take {pct(latam_share)}"
                + (", led by " + ", ".join(f"{r['partner_iso3']} USD {r['trade_diversion_usd'] / 1e6:,.0f} m"
                                          for r in latam.head(3).to_dict("records")) if not latam.empty else "")
                + "."
            )  # fmt: skip
            for r in latam.head(8).to_dict("records"):
                rows.append(_row("modelled gain from buying elsewhere (trade diversion)", 2024,
                                 f"scenario {SINGLED_OUT_PRESET}", float(r["trade_diversion_usd"]), "USD", "customs value",
                                 "scenario", f"model/presets/{SINGLED_OUT_PRESET}.json",
                                 "Balanza tariff model (SMART) on US Census 2024 lines", str(r["partner_iso3"])))  # fmt: skip
    for preset, error in data.scenario_errors.items():
        if preset == SINGLED_OUT_PRESET:
            sentences.append(f"Scenario not shown: {error}.")
    if not table.empty:
        top = table.head(3)
        sentences.append("Largest US coffee suppliers among the bundled partners in 2024: " + ", ".join(
            f"{r['partner_iso3']} {pct(r['share'])}" for r in top.to_dict("records")) + ".")
    return ClaimCard(spec, SCENARIO, tuple(sentences), _numbers(rows), (), table, facts)


def check_fiscal_context(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    series = deficit_series(data, "CHN")
    col = series[(series["perspective"] == COL_REPORTED) & (series["year"] >= SHARES_FROM_YEAR)].dropna(subset=["balance_usd"])
    gdp = data.gdp.set_index("year")["gdp_usd"] if not data.gdp.empty else pd.Series(dtype=float)
    rows = []
    both = [int(y) for y in col["year"] if int(y) in gdp.index]
    for r in col.to_dict("records"):
        if int(r["year"]) in gdp.index:
            rows.append(_row("deficit with China as % of GDP", int(r["year"]), COL_REPORTED,
                             -r["balance_usd"] / float(gdp.loc[int(r["year"])]) * 100, "% of GDP",
                             f"exports FOB, imports {r['import_valuation']}", r["source"], r["dataset"],
                             f"{r['publisher']}; GDP: {SOURCE_PUBLISHERS['world_bank']}"))  # fmt: skip
    sentences = ["A trade deficit is not a fiscal deficit: the first is what residents buy abroad minus what they "
                 "sell; the second is government spending minus revenue. Closing one does not close the other."]
    facts: dict[str, float] = {}
    missing = []
    latest_col = col[col["year"] <= REFERENCE_YEAR_MAX].sort_values("year")
    if both:
        y = max(both)
        row = col[col["year"] == y].iloc[0]
        share = -float(row["balance_usd"]) / float(gdp.loc[y])
        facts.update(year=float(y), deficit_gdp_share=share)
        sentences.append(f"For scale: in {y}, the latest year with both figures, the deficit with China "
                         f"({row['publisher']}) was {pct(share)} of Colombia's GDP (World Bank).")
    if not latest_col.empty and not gdp.empty:
        ly, gy = int(latest_col["year"].iloc[-1]), int(gdp.index.max())
        if ly > gy:
            share = -float(latest_col["balance_usd"].iloc[-1]) / float(gdp.loc[gy])
            facts.update(latest_deficit_over_gdp=share, latest_year=float(ly), gdp_year=float(gy))
            sentences.append(f"The {ly} deficit (USD {bn(-float(latest_col['balance_usd'].iloc[-1]))} bn) against "
                             f"{gy} GDP (USD {bn(float(gdp.loc[gy]))} bn), the latest bundled, is {pct(share)}.")
            missing.append(f"GDP for {years_text(range(gy + 1, ly + 1))} (World Bank series ends in {gy})")
            rows.append(_row(f"{ly} deficit with China ÷ {gy} GDP", ly, COL_REPORTED, share * 100, "% of GDP",
                             "exports FOB, imports CIF", str(latest_col["source"].iloc[-1]),
                             str(latest_col["dataset"].iloc[-1]), str(latest_col["publisher"].iloc[-1]),
                             f"GDP of {gy}: years differ"))  # fmt: skip
    missing.append("Colombia's fiscal accounts (not part of Balanza's data)")
    numbers = _numbers(rows)
    chart_frame = numbers[numbers["measure"] == "deficit with China as % of GDP"][["year", "value", "source"]]
    return ClaimCard(spec, CONTEXT, tuple(sentences), numbers, tuple(missing), chart_frame.reset_index(drop=True), facts)


def check_out_of_scope(spec: ClaimSpec, data: ClaimData) -> ClaimCard:
    sentences = ("Balanza holds trade statistics; it cannot check figures about lives lost in counternarcotics "
                 "operations, and says nothing about them.",)
    return ClaimCard(spec, OUT_OF_SCOPE, sentences, _numbers([]), ("casualty statistics (outside Balanza's scope)",))


CHECKS = {
    "china_deficit": check_china_deficit,
    "china_share_of_deficit": check_china_share_of_deficit,
    "us_dependence": check_us_dependence,
    "roses_and_coffee": check_roses_and_coffee,
    "scenario_substitution": check_scenario_substitution,
    "us_tariff_10pct": check_us_tariff,
    "china_purchases": check_china_purchases,
    "fiscal_context": check_fiscal_context,
    "china_import_growth": check_china_import_growth,
    "out_of_scope": check_out_of_scope,
}


# --------------------------------------------------------------------------------------------- export


def card_csv_frame(card: ClaimCard) -> pd.DataFrame:
    """The card's numbers with its id and verdict, text cells neutralised for spreadsheets."""
    frame = card.numbers.copy()
    frame.insert(0, "claim_id", card.spec.id)
    frame["verdict"] = card.verdict
    return neutralise_frame(frame)


def link_query(spec: ClaimSpec) -> str:
    """The query string that reproduces a card's numbers on its page (e.g. 'reporter=COL&partner=CHN')."""
    from urllib.parse import urlencode

    return urlencode(spec.link_params)
