"""The 2025 tariff stack on the real data: the 7 August rate against the Yale Budget Lab's published figure, partners'
rates recomputed from the raw Census file and the raw lists by hand, every dated preset runnable, and the
reconciliation with the bundled tracker."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard.scenarios.reconciliation import TRACKER_DATING
from model import measures, reconciliation, tariff_measures
from model.scenario import load_market, resolve_lists, run_scenario
from model.spec import parse_spec, preset_path

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
# The Budget Lab at Yale, "State of U.S. Tariffs: August 1, 2025" (through 31 July, with the reciprocal rates taking
# effect on 7 August): overall average effective tariff rate 18.3 % before substitution (as printed by a reproduction
# of the report, r/stocks, 1 August 2025; docs/scenarios.md).
YALE_PRE_SUBSTITUTION_PCT = 18.3
CENSUS = {"COL": "3010", "ECU": "3310", "CHN": "5700", "BRA": "3510", "GBR": "4120"}


@pytest.fixture(scope="module")
def august(bundled_db: Path):
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        return run_scenario(parse_spec(preset_path("us_august_2025_country_rates").read_text()), con)
    finally:
        con.close()


def _final(result) -> pd.DataFrame:
    rates = result.effective_rates
    return rates[rates["step"] == rates["step"].max()].set_index("partner_iso3")


def test_7_august_lands_within_a_point_of_the_yale_budget_lab(august) -> None:
    final = _final(august)
    assert august.spec.as_of == "2025-08-07"
    assert abs(final.loc["ALL", "rate_pre_substitution_pct"] - YALE_PRE_SUBSTITUTION_PCT) <= 1.0
    assert final.loc["ALL", "rate_post_substitution_pct"] < final.loc["ALL", "rate_pre_substitution_pct"]


def _codes(name: str, folder: str = "us-tariffs-2025-hts-lists") -> tuple[str, ...]:
    with open(RAW / folder / name, newline="", encoding="utf-8-sig") as handle:
        codes = [row["HTSUS"].strip().replace(".", "") for row in csv.DictReader(handle)]
    # An 8-digit subheading padded to ten digits with 00 covers its statistical lines.
    return tuple(code[:8] if len(code) == 10 and code.endswith("00") else code for code in codes)


def _rate_by_hand(partner: str) -> float:
    """The 7 August 2025 rate of one partner, from the raw Census file and the raw lists, rules written out."""
    frame = pd.read_parquet(
        RAW / "us-census-imports-2024-hs10" / f"2024-hs10-imports{CENSUS[partner]}.parquet"
    )
    frame = frame[frame["imports"] > 0]
    code, value = frame["I_COMMODITY"].astype(str), frame["imports"].to_numpy()
    t = np.clip(frame["duty"].fillna(0).to_numpy(), 0, None) / value

    def on(codes: tuple[str, ...]) -> np.ndarray:
        return code.str.startswith(codes).to_numpy()

    metals = on(_codes("steel-base-articles-proc9705.csv") + _codes("steel-tariffs.csv")
                + _codes("aluminium-base-articles-proc9704.csv") + _codes("alu-tariffs.csv"))  # fmt: skip
    autos_list = _codes("auto-tariffs.csv")
    autos = on(autos_list)
    vehicles = on(tuple(c for c in autos_list if c.startswith(("8703", "8704"))))
    copper = on(_codes("copper-list.csv"))
    s232 = metals | autos | copper
    annex = on(_codes("annex-II-exemptions.csv", "us-tariffs-2025"))
    electronics = on(_codes("consumer_electronics_EO14257_apr11.csv"))
    ch98 = on(("9801", "9808", "9810", "9812", "9817", "9999"))
    t = np.where(metals, np.maximum(t, 0.25 if partner == "GBR" else 0.5), t)
    t = t + 0.25 * (autos | vehicles) + 0.5 * copper
    reciprocal = ~(annex | electronics | s232 | ch98)
    if partner == "CHN":
        t = t + 0.20 * ~ch98 + 0.10 * reciprocal
    else:
        with open(
            RAW / "us-tariffs-2025" / "agust-7-tariffs.csv", newline="", encoding="utf-8-sig"
        ) as handle:
            listed = {row["Countries and Territories"]: float(row["Reciprocal Tariff, Adjusted"].rstrip("%"))
                      for row in csv.DictReader(handle)}  # fmt: skip
        names = {"COL": "Colombia", "ECU": "Ecuador", "BRA": "Brazil", "GBR": "United Kingdom"}
        t = t + listed.get(names[partner], 10.0) / 100 * reciprocal
    if partner == "BRA":
        brazil = on(_codes("brazil-non-airplane-exemptions.csv") + _codes("brazil-airplane-exemptions.csv"))
        t = t + 0.40 * ~(brazil | s232 | ch98)
    return 100 * float((t * value).sum() / value.sum())


@pytest.mark.parametrize("partner", ["COL", "ECU", "CHN", "BRA", "GBR"])
def test_partner_rates_on_7_august_recomputed_from_the_raw_files(august, partner: str) -> None:
    assert _final(august).loc[partner, "rate_pre_substitution_pct"] == pytest.approx(
        _rate_by_hand(partner), rel=1e-9
    )


@pytest.fixture(scope="module")
def stack(bundled_db: Path):
    con = duckdb.connect(str(bundled_db), read_only=True)
    table = tariff_measures.read_table()
    market = load_market(con, "USA", 2024)
    yield con, table, market
    con.close()


def test_reconciliation_adds_up_and_is_in_the_docs(stack, august) -> None:
    con, table, market = stack
    spec = parse_spec(measures.preset_document(table, "2025-08-07", "x"))
    lists, rates = resolve_lists(con, spec)
    frame = measures.reconcile(table, "2025-08-07", market, lists, rates)
    baseline = 100 * float((market.t0 * market.imports).sum() / market.imports.sum())
    final = _final(august).loc["ALL", "rate_pre_substitution_pct"]
    assert baseline + frame["points"].sum() == pytest.approx(final, abs=1e-9)
    assert frame["rate_after_pct"].iloc[-1] == pytest.approx(final, abs=1e-9)
    china = frame.set_index("measure").loc["china_fentanyl_20"]
    # China's fentanyl 20 % on every line of China and Hong Kong but chapter 98: 20 % of those imports.
    raw = pd.concat(
        pd.read_parquet(RAW / "us-census-imports-2024-hs10" / f"2024-hs10-imports{code}.parquet")
        for code in ("5700", "5820")
    )
    raw = raw[
        (raw["imports"] > 0)
        & ~raw["I_COMMODITY"].str.startswith(("9801", "9808", "9810", "9812", "9817", "9999"))
    ]
    assert china["imports_affected_usd"] == pytest.approx(raw["imports"].sum(), rel=1e-12)
    assert china["extra_duty_usd"] == pytest.approx(0.2 * raw["imports"].sum(), rel=1e-12)
    doc = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert measures.reconciliation_markdown(frame, baseline) in doc, "python -m model.measures --reconcile"


def test_the_tracker_is_reconciled(stack) -> None:
    con, table, market = stack
    with open(
        RAW / "us-tariffs-2025" / "daily-tariff-latest-data.csv", newline="", encoding="utf-8"
    ) as handle:
        daily = {row["date"]: float(row["import_weighted_avg_tariff"]) for row in csv.DictReader(handle)}
    assert measures.tracker_rate(con, "2025-08-07") == pytest.approx(daily["2025-08-07"], abs=1e-9)
    bridge = measures.tracker_bridge(table, con, market)
    assert bridge["rate_pct"].iloc[0] == pytest.approx(
        measures.pre_substitution_rate(table, "2025-08-07", con, market)
    )
    assert abs(bridge["rate_pct"].iloc[-1] - daily["2025-08-07"]) < 1.0  # what remains is listed in the docs


@pytest.mark.parametrize(("as_of", "stem"), [(as_of, stem) for as_of, stem, _, _ in measures.PRESET_DATES])
def test_every_dated_preset_runs_from_the_command_line(bundled_db: Path, as_of: str, stem: str) -> None:
    out = subprocess.run([sys.executable, "-m", "balanza", "scenario", stem, "--db", str(bundled_db), "--indent", "0"],
                         capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
    document = json.loads(out.stdout)
    assert document["scenario"]["as_of"] == as_of
    assert document["totals"]["as_of"] == as_of
    assert document["colombia"][0]["partner_group"] == "Colombia"


def test_the_electronics_memorandum_covers_what_the_trackers_list_covers() -> None:
    """The 20 headings of the memorandum of 11 April 2025 and the tracker's 109 codes reach the same 2024 lines."""
    memorandum = ("8471", "847330", "8486", "85171300", "85176200", "85235100", "8524", "85285200", "85411000",
                  "85412100", "85412900", "85413000", "85414910", "85414970", "85414980", "85414995", "85415100",
                  "85415900", "85419000", "8542")  # fmt: skip
    tracker = _codes("consumer_electronics_EO14257_apr11.csv")
    lines = pd.concat(
        pd.read_parquet(path, columns=["I_COMMODITY", "imports"])
        for path in sorted((RAW / "us-census-imports-2024-hs10").glob("2024-hs10-imports*.parquet"))
    )
    lines = lines[lines["imports"] > 0]
    code = lines["I_COMMODITY"].astype(str)
    by_memorandum, by_tracker = code.str.startswith(memorandum), code.str.startswith(tracker)
    assert (by_memorandum == by_tracker).all()
    assert lines.loc[by_memorandum, "imports"].sum() == pytest.approx(382.56e9, rel=1e-3)


def test_every_dated_preset_runs(stack) -> None:
    con, _, market = stack
    rates = {}
    for as_of, stem, _, _ in measures.PRESET_DATES:
        result = run_scenario(parse_spec(preset_path(stem).read_text()), con, market)
        rates[as_of] = _final(result)
    # China at 125 % + 20 % on 10 April, back down after Geneva; India +25 on 27 August; fentanyl 10 % in November.
    assert rates["2025-04-10"].loc["CHN", "rate_pre_substitution_pct"] > 120
    assert rates["2025-05-14"].loc["CHN", "rate_pre_substitution_pct"] < 45
    assert (
        rates["2025-08-27"].loc["IND", "rate_pre_substitution_pct"]
        > rates["2025-08-07"].loc["IND", "rate_pre_substitution_pct"] + 10
    )
    assert (
        rates["2025-11-14"].loc["CHN", "rate_pre_substitution_pct"]
        < rates["2025-09-25"].loc["CHN", "rate_pre_substitution_pct"] - 5
    )
    # The November farm exemptions lower Colombia's rate (coffee, bananas).
    assert (
        rates["2025-11-14"].loc["COL", "rate_pre_substitution_pct"]
        < rates["2025-09-25"].loc["COL", "rate_pre_substitution_pct"]
    )


# ---- Colombia first ---------------------------------------------------------------------------------------------

PEERS = {
    "Colombia": ("3010",),
    "Ecuador": ("3310",),
    "Central America": ("2050", "2150", "2190", "2230", "2110"),
    "Brazil": ("3510",),
    "Vietnam": ("5520",),
}
GROUPS = {"Coffee": ("0901", "210111"), "Cut flowers": ("0603",), "Bananas": ("0803",), "Oil": ("2709", "2710"),
          "Gold": ("7108",)}  # fmt: skip


def test_the_colombia_table_baselines_come_from_the_raw_files_and_changes_from_the_lines(august) -> None:
    table = august.colombia.set_index(["partner_group", "product_group"])
    lines = august.lines
    for peer, codes in PEERS.items():
        raw = pd.concat(
            pd.read_parquet(RAW / "us-census-imports-2024-hs10" / f"2024-hs10-imports{code}.parquet")
            for code in codes
        )
        raw = raw[raw["imports"] > 0]
        named = np.zeros(len(raw), dtype=bool)
        for group, prefixes in GROUPS.items():
            mask = raw["I_COMMODITY"].str.startswith(prefixes).to_numpy()
            named |= mask
            assert table.loc[(peer, group), "baseline_usd"] == pytest.approx(
                raw["imports"][mask].sum(), abs=0.5
            )
        assert table.loc[(peer, "The rest"), "baseline_usd"] == pytest.approx(
            raw["imports"][~named].sum(), abs=0.5
        )
        assert table.loc[(peer, "All goods"), "baseline_usd"] == pytest.approx(raw["imports"].sum(), abs=0.5)
    colombia = lines["partner_iso3"].astype(str) == "COL"
    coffee = lines["hs10"].astype(str).str.startswith(GROUPS["Coffee"])
    assert table.loc[("Colombia", "Coffee"), "total_change_usd"] == pytest.approx(
        lines.loc[colombia & coffee, "total_change_usd"].sum(), rel=1e-9
    )
    # On 7 August Brazil's coffee pays 50 %: buyers switch to Colombia's, which gains.
    assert table.loc[("Colombia", "Coffee"), "trade_diversion_usd"] > 0
    assert table.loc[("Brazil", "Coffee"), "tariff_after_pct"] == pytest.approx(50.0, abs=0.1)


def test_the_command_line_prints_the_colombia_table_first_row_colombia(bundled_db: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "balanza", "scenario", "colombia_10pp_more", "--db", str(bundled_db),
                          "--indent", "0"], capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
    rows = json.loads(out.stdout)["colombia"]
    assert rows[0]["partner_group"] == "Colombia" and rows[0]["product_group"] == "Coffee"
    assert len(rows) == 5 * 7
    purchase = subprocess.run([sys.executable, "-m", "balanza", "scenario", "china_buys_more", "--db", str(bundled_db),
                               "--indent", "0"], capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
    unchanged = json.loads(purchase.stdout)["colombia"]
    assert len(unchanged) == 35 and all(row["total_change_usd"] == 0 for row in unchanged)


def test_a_dated_presets_reconciliation_as_the_page_reads_it(stack) -> None:
    """``model.reconciliation``: the measures' points add up from the 2024 applied rate to the date's rate, which is
    the stack's own; the published figure only where one was published; the bridge ends at the tracker's steps."""
    con, table, market = stack
    with open(
        RAW / "us-tariffs-2025" / "daily-tariff-latest-data.csv", newline="", encoding="utf-8"
    ) as handle:
        daily = {row["date"]: float(row["import_weighted_avg_tariff"]) for row in csv.DictReader(handle)}
    for as_of, *_ in measures.PRESET_DATES:
        rec = reconciliation.reconciliation(con, as_of, market=market, table=table)
        assert rec.rate_pct == pytest.approx(
            measures.pre_substitution_rate(table, as_of, con, market), abs=1e-9
        )
        assert rec.baseline_pct + rec.measures["points"].sum() == pytest.approx(rec.rate_pct, abs=1e-9)
        assert (rec.yale is not None) == (as_of == "2025-08-07")
        assert rec.tracker_pct == pytest.approx(daily[as_of], abs=1e-9)
        assert list(rec.bridge["step_id"]) == [step for step, _ in measures.BRIDGE_STEPS]
        assert rec.residual_points == pytest.approx(daily[as_of] - rec.bridge["rate_pct"].iloc[-1], abs=1e-9)
    rec = reconciliation.reconciliation(con, "2025-08-07", market=market, table=table)
    assert rec.yale is not None and rec.yale.pre_substitution_pct == YALE_PRE_SUBSTITUTION_PCT
    rows = rec.measures.set_index("measure")
    assert rows.loc["china_fentanyl_20", "fr_pages"] == "90 FR 11463"
    assert rows.loc["s232_copper_50", "fr_pages"] == ""  # 90 FR 37727 is cited by others, its page not read
    assert rows.loc["s232_copper_50", "fr_document"] == "2025-14893"
    assert rows.loc["canada_fentanyl_35", "shares"] == {"CAN": table.parameters["usmca_share:CAN"].value}


def test_on_5_april_the_tracker_applies_the_country_rates_the_law_put_in_force_on_9_april(stack) -> None:
    """What the page says of 5 April: the tracker's Vietnam rate jumps to about 46 points on 5 April and falls back
    on 9 April; this table's 5 April stack has no country rates, and the gap is most of the unisolated residual."""
    con, table, market = stack
    vietnam = dict(
        con.execute(
            "SELECT CAST(date AS VARCHAR), effective_tariff_pct FROM us_tariff_timeline WHERE partner_iso3 = 'VNM' "
            "AND date IN ('2025-04-03', '2025-04-05', '2025-04-09')"
        ).fetchall()
    )
    assert vietnam["2025-04-05"] - vietnam["2025-04-03"] > 40  # Annex I's 46 %, less its exemptions
    assert vietnam["2025-04-09"] - vietnam["2025-04-03"] < 15  # back to the 10 % baseline
    rec = reconciliation.reconciliation(con, "2025-04-05", market=market, table=table)
    assert rec.residual_points is not None and rec.residual_points > 5
    assert set(TRACKER_DATING) == {"2025-04-05"}
