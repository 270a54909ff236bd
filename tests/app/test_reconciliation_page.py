"""The Scenarios page shows a dated preset's law measure by measure (AppTest, real bundled database): its date in
words, the measures with their imports and extra duty, the published figure, the bridge to the bundled tracker and a
download, in English and in Spanish; expected figures read from the raw files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.scenarios import form
from dashboard.scenarios import reconciliation as words
from model import measures, tariff_measures
from model.reconciliation import Reconciliation
from model.scenario_link import encode_scenario_set
from model.spec import preset_path

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "dashboard" / "app_pages" / "scenarios.py")
RAW = ROOT / "data" / "raw"
CHAPTER_98 = ("9801", "9808", "9810", "9812", "9817", "9999")


def _page(stem: str, lang: str) -> AppTest:
    document = form.canonical(json.loads(preset_path(stem).read_text(encoding="utf-8")))
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["sc"] = encode_scenario_set({"current": document, "saved": []})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest, first_column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if df.value.columns[0] == first_column)


def _china_imports_without_chapter_98() -> float:
    frames = [
        pd.read_parquet(RAW / "us-census-imports-2024-hs10" / f"2024-hs10-imports{code}.parquet")
        for code in ("5700", "5820")  # China, Hong Kong
    ]
    raw = pd.concat(frames)
    raw = raw[(raw["imports"] > 0) & ~raw["I_COMMODITY"].astype(str).str.startswith(CHAPTER_98)]
    return float(raw["imports"].sum())


def _number(shown: object) -> float:
    """A number as the table shows it (English format, '—' where none): columns with a missing value are text."""
    return float(str(shown).replace(",", "")) if str(shown) != "—" else float("nan")


def _tracker(day: str) -> float:
    with open(
        RAW / "us-tariffs-2025" / "daily-tariff-latest-data.csv", newline="", encoding="utf-8"
    ) as handle:
        return {row["date"]: float(row["import_weighted_avg_tariff"]) for row in csv.DictReader(handle)}[day]


@pytest.mark.usefixtures("bundled_env")
def test_7_august_measure_by_measure_in_english() -> None:
    at = _page("us_august_2025_country_rates", "en")
    assert "The law on 7 August 2025, measure by measure" in [s.value for s in at.subheader]
    captions = [c.value for c in at.caption]
    assert any("as it stood on 7 August 2025" in c for c in captions)
    table = _table(at, "Measure").set_index("Measure")
    china = table.loc["China and Hong Kong, fentanyl duty 20 %"]
    china_bn = _china_imports_without_chapter_98() / 1e9
    assert _number(china["Imports affected (USD bn)"]) == pytest.approx(
        china_bn, abs=0.005
    )  # shown to 2 decimals
    assert _number(china["Extra duty (USD bn)"]) == pytest.approx(0.2 * china_bn, abs=0.005)
    assert china["Federal Register"] == "90 FR 11463" and china["In force from"] == "4 March 2025"
    assert table.loc["Section 232 copper, 50 %", "Federal Register"] == "FR Doc 2025-14893 (page not read)"
    # the points add up from the 2024 applied rate to the last cumulative rate
    points = [_number(p) for p in table["Points of the all-partner rate"].iloc[1:]]
    baseline = _number(table.loc["2024 applied tariffs", "Rate after (%)"])
    assert baseline + sum(points) == pytest.approx(
        _number(table["Rate after (%)"].iloc[-1]), abs=0.01 * len(points)
    )
    assert (
        abs(_number(table["Rate after (%)"].iloc[-1]) - measures.YALE_AUGUST_7["pre_substitution_pct"]) <= 1.0
    )
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")  # Markdown-escaped on the page
    assert "The Budget Lab at Yale put it at 18.30 % before substitution" in text
    bridge = _table(at, "Step").set_index("Step")
    assert _number(bridge.loc["The tracker's own figure", "Rate (%)"]) == pytest.approx(
        _tracker("2025-08-07"), abs=0.005
    )
    assert _number(bridge.loc["This table, as the law reads", "Rate (%)"]) == pytest.approx(
        _number(table["Rate after (%)"].iloc[-1]), abs=1e-9
    )
    ids = [b.proto.id for b in at.get("download_button")]
    assert any("sc_dl_reconcile" in i for i in ids) and any(
        "sc_dl_reconcile_xlsx" in i for i in ids
    )  # CSV, Excel


@pytest.mark.usefixtures("bundled_env")
def test_20_november_in_spanish() -> None:
    at = _page("us_tariffs_2025_11_20", "es")
    assert "La ley del 20 de noviembre de 2025, medida por medida" in [s.value for s in at.subheader]
    table = _table(at, "Medida").set_index("Medida")
    assert "Bienes agrícolas de Brasil exentos de su 40 %" not in table.index  # an exemption adds no duty row
    assert (
        table.loc["China y Hong Kong, arancel por fentanilo 10 %", "Vigente desde"]
        == "10 de noviembre de 2025"
    )
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")  # Markdown-escaped on the page
    assert "no publicó cifra para esta fecha" in text
    assert list(_table(at, "Paso").columns) == ["Paso", "Tasa (%)", "Puntos de la tasa de todos los socios"]


def test_every_measure_has_its_words_in_both_languages() -> None:
    ids = {m.measure for m in tariff_measures.read_table().measures}
    assert ids == set(words.MEASURES)
    assert {step for step, _ in measures.BRIDGE_STEPS} == set(words.BRIDGE_STEPS)


def test_the_preset_list_reads_as_a_timeline() -> None:
    dates = [str(doc["as_of"]) for doc in form.PRESETS.values()]
    assert dates == sorted(dates)
    dated = [
        name for name, doc in form.PRESETS.items() if doc["as_of"] in {d for d, *_ in measures.PRESET_DATES}
    ]
    assert (
        dated[0].startswith("US 10% baseline") or dated[0] == "US tariffs on 5 April 2025: the 10% baseline"
    )
    assert words.as_of_caption("2025-08-07", "es").startswith("La ley tal como estaba el 7 de agosto de 2025")


@pytest.mark.usefixtures("bundled_env")
def test_a_scenario_that_is_not_the_law_of_its_date_is_told_so() -> None:
    """The hand-made April preset keeps 5 April as its date but not the law's changes: the table is the law's."""
    at = _page("us_10pct_baseline_april_2025", "en")
    assert "The law on 5 April 2025, measure by measure" in [s.value for s in at.subheader]
    assert any(c.value == words.edited_note("en") for c in at.caption)
    law = _page("us_tariffs_2025_04_05", "en")
    assert not any(c.value == words.edited_note("en") for c in law.caption)
    assert _table(at, "Measure").equals(_table(law, "Measure"))  # the same law, whatever the scenario


def test_the_download_gives_dollars_in_full() -> None:
    """The CSV rows beside the table: the measure ids and the duty in dollars, the shown billions times 1e9."""
    frame = pd.DataFrame(
        {"measure": ["china_fentanyl_20"], "instrument": ["EO 14228 (amending EO 14195)"],
         "citation": ["90 FR 11463 (7 Mar 2025)"], "fr_pages": ["90 FR 11463"], "fr_document": [""],
         "effective": ["2025-03-04"], "stacking": ["added"], "rate_pct": [20.0], "rate_list": [""],
         "exempt_share": [""], "shares": [{}], "replaces": [[]], "imports_affected_usd": [4.0e11],
         "extra_duty_usd": [8.0e10], "points": [2.5], "rate_after_pct": [5.0]}
    )  # fmt: skip
    rec = Reconciliation("2025-08-07", 2.5, 5.0, frame, pd.DataFrame(), None, None, None)
    shown = words.measure_table(rec, "es")
    assert shown["Arancel adicional (miles de millones de USD)"].iloc[1] == pytest.approx(80.0)
    assert shown["Tasa"].iloc[1] == "+20 %"
    rows = words.csv_frame(rec, "es")
    assert list(rows["id"]) == ["", "china_fentanyl_20"]
    assert rows["Arancel adicional (USD)"].iloc[1] == 8.0e10
    assert rows["Fecha legal"].iloc[1] == "2025-08-07"
    assert set(words.csv_decimals("es")) <= set(
        rows.columns
    )  # the files keep whole dollars, rates to 2 places
    assert words.csv_decimals("es")["Arancel adicional (USD)"] == 0


def test_5_april_says_why_the_tracker_is_higher() -> None:
    """Where the tracker dates a measure otherwise than the law, the sentences say so (in the reader's language)."""
    empty = pd.DataFrame(columns=["measure"])
    april = Reconciliation("2025-04-05", 2.36, 14.88, empty, pd.DataFrame(), 25.51, 10.93, None)
    august = Reconciliation("2025-08-07", 2.36, 19.15, empty, pd.DataFrame(), 18.89, -0.55, None)
    assert words.TRACKER_DATING["2025-04-05"][1] in words.summary_lines(april, "es")
    assert words.TRACKER_DATING["2025-04-05"][0] in words.summary_lines(april, "en")
    assert not any("Annex I" in line for line in words.summary_lines(august, "en"))
