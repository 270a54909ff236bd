"""docs/scenarios.md stays honest: every function, module, table and constant it names in backticks exists, and
the preset figures it quotes are what the code gives on the bundled data."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import duckdb
import pytest

from model.spec import PRESETS_DIR, parse_spec

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"
MODULES = (
    "model.smart",
    "model.market",
    "model.scenario",
    "model.tariff_changes",
    "model.data",
    "model.spec",
    "model.measures",
    "model.result",
    "model.compare",
)
# Names the doc must keep describing: the equations as implemented live in these.
REQUIRED = ("smart_effects", "nested_ces_effects", "linear_effects", "price_index", "demand", "world_price_factors", "match_estimates", "tariff_steps", "effective_rates",
            "hts_prefix", "market_from_arrays", "query_market_arrays", "BAND_BASIS", "EU_MEMBERS")  # fmt: skip


def _backticked(text: str) -> set[str]:
    return set(re.findall(r"`([A-Za-z_][A-Za-z0-9_.]*)`", text))


def _exists(name: str) -> bool:
    if name.count(".") and name.split(".")[0] in ("model", "etl"):
        module, _, attribute = name.rpartition(".")
        try:
            return hasattr(importlib.import_module(module), attribute)
        except ImportError:
            return importlib.util.find_spec(name) is not None
    return any(hasattr(importlib.import_module(module), name) for module in (*MODULES, "etl.schema"))


def test_named_functions_exist() -> None:
    names = _backticked(DOC.read_text(encoding="utf-8"))
    short = names | {name.rsplit(".", 1)[-1] for name in names}
    for name in REQUIRED:
        assert name in short, f"docs/scenarios.md no longer names {name}"
    code_like = {n for n in names if "." in n and n.split(".")[0] in ("model", "etl")}
    code_like |= {n for n in names if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", n) and "(" not in n}
    from etl.schema import DDL

    tables = set(re.findall(r"CREATE (?:TABLE IF NOT EXISTS|OR REPLACE VIEW) (\w+)", DDL))
    columns = set(re.findall(r"^\s+(\w+) [A-Z]+", DDL, flags=re.MULTILINE))
    missing = []
    for name in sorted(code_like):
        if name in tables or name in columns or _exists(name):
            continue
        missing.append(name)
    # Names that are data, not code: list names, JSON keys and column names of the results.
    data_words = set(re.findall(r'"(\w+)"', DOC.read_text(encoding="utf-8")))
    allowed = data_words | {
        "annex_ii_2025_04", "annex_ii_2025_11", "electronics_2025_04_11", "s232_steel_2025", "s232_aluminium_2025",
        "s232_autos_2025", "s232_copper_2025", "eo14257_annex_i", "eo14326_aug_2025", "us_census_consumption",
        "import_demand", "substitution", "supply", "level", "others", "action", "except_partners",
        "except_products", "partners_left_out", "elasticity_coverage", "effective_rates", "top_lines", "by_partner",
        "by_chapter", "left_out", "baseline_usd", "trade_creation_usd", "trade_diversion_usd", "price_effect_usd",
        "total_change_usd", "low_usd", "high_usd", "tariff_before_pct", "tariff_after_pct", "partner_iso3",
        "import_demand_elasticity", "import_demand_match", "substitution_elasticity", "published_figures",
        "trade_annual", "new_rate", "add_pp", "max_rate", "min_rate", "linear_cut", "duty_usd", "value_usd",
        "std_error", "us_august_2025_country_rates", "us_section_232_2025", "us_10pct_baseline_april_2025",
        "us_tariff_timeline", "us_tariffs_2025_04_05", "us_tariffs_2025_04_10", "us_tariffs_2025_05_14",
        "us_tariffs_2025_08_27", "us_tariffs_2025_09_25", "us_tariffs_2025_11_14", "us_tariffs_2025_11_20", "s232_steel_base_2018",
        "s232_aluminium_base_2018", "exempt_share", "brazil_eo14323_annex_i", "brazil_eo14323_annex_i_aircraft", "as_of",
        "brazil_ag_nov",
    }  # fmt: skip
    unknown = [name for name in missing if name not in allowed]
    assert not unknown, f"docs/scenarios.md names what the code does not have: {unknown}"


@pytest.mark.slow
def test_quoted_preset_figures_are_the_codes(bundled_con: duckdb.DuckDBPyConnection) -> None:
    from model.scenario import run_scenario

    text = DOC.read_text(encoding="utf-8")

    def run(name: str):
        return run_scenario(
            parse_spec((PRESETS_DIR / f"{name}.json").read_text(encoding="utf-8")), bundled_con
        )

    august = run("us_august_2025_country_rates")
    focus = august.focus.set_index("group")["total_change_usd"] / 1e6
    diversion = august.focus.set_index("group")["trade_diversion_usd"] / 1e6
    rates = august.effective_rates
    final = rates[rates["step"] == rates["step"].max()].set_index("partner_iso3")
    ecuador, colombia = "Ecuador's roses (HS 060311)", "Colombia's roses (HS 060311)"
    singled = run("colombia_10pp_more").focus.set_index("group")["total_change_usd"] / 1e6
    quoted = {
        f"Ecuador's roses (15 %) lose {-focus[ecuador]:.1f} m",
        f"*gain* {diversion[colombia]:.1f} m of",
        f"Colombia 0.14 % → {final.loc['COL', 'rate_pre_substitution_pct']:.2f} %",
        f"fall {-august.totals['total_change_usd'] / 1e9:.1f} bn",
        f"(HS 060311) USD {singled[ecuador]:.1f} million",
        f"2.36 % → {final.loc['ALL', 'rate_pre_substitution_pct']:.2f} % before substitution, "
        f"{final.loc['ALL', 'rate_post_substitution_pct']:.2f} % after",
    }
    flat = " ".join(text.split())
    for sentence in quoted:
        assert sentence in flat, f"docs/scenarios.md should say: {sentence}"
