"""What the Scenarios page hands out, read back as its user would: the files' headers in the page's language,
the purchase scenario's publishers and basis, Colombia's own rows, the report and the slide deck."""

from __future__ import annotations

import io
import re

import duckdb
import pandas as pd
import pytest

from dashboard import i18n
from dashboard.csv_export import TableFile, csv_bytes
from dashboard.scenarios import exports, tables
from etl import record
from model.scenario import run_scenario
from model.spec import PRESETS_DIR, parse_spec

SNAKE_CASE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def _preset(name: str, con: duckdb.DuckDBPyConnection):  # noqa: ANN202 - a ScenarioResult
    return run_scenario(parse_spec((PRESETS_DIR / f"{name}.json").read_text(encoding="utf-8")), con)


@pytest.mark.slow
def test_purchase_files_name_the_records_publishers_and_basis(bundled_con: duckdb.DuckDBPyConnection) -> None:
    result = _preset("china_buys_more", bundled_con)
    exports_2024 = record.query_record(
        bundled_con, reporter="COL", partners=["CHN"], flows=("export",), years=[2024]
    )
    imports_2024 = record.query_record(
        bundled_con, reporter="COL", partners=["CHN"], flows=("import",), years=[2024]
    )
    for lang in ("en", "es"):
        made_from = exports.provenance(result, lang)
        for frame in (exports_2024, imports_2024):
            publisher = record.citation(frame["publisher"].iloc[0], frame["printed_by"].iloc[0])
            assert i18n.record_text(publisher, lang) in made_from.source
        # not the tariff model's US Census customs value
        assert "Census" not in made_from.source and "Censo" not in made_from.source
        assert "FOB" in made_from.valuation and "CIF" in made_from.valuation
    spanish = exports.provenance(result, "es")
    assert spanish.source.startswith("exportaciones: DANE") and "base de la balanza" in spanish.valuation


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "es"])
def test_scenario_tables_have_readable_headers(bundled_con: duckdb.DuckDBPyConnection, lang: str) -> None:
    result = _preset("colombia_10pp_more", bundled_con)
    for frame in (result.by_partner, result.effective_rates, result.top_lines, result.lines.head(50)):
        shown, places = tables.export_frame(frame, lang)
        assert not [c for c in shown.columns if SNAKE_CASE.match(str(c))], list(shown.columns)
        data = csv_bytes(TableFile(shown, "s", "v", "u", {}, "", lang, decimals=places))
        options = {"sep": ";", "decimal": ","} if lang == "es" else {}
        read = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **options)
        assert list(read.columns)[: len(shown.columns)] == list(shown.columns)
    # USD in millions to one place, as the page shows it: Colombia's 2024 exports to the US
    shown, places = tables.export_frame(result.by_partner, lang)
    before = shown.columns[list(result.by_partner.columns).index("baseline_usd")]
    assert places[before] == 1
    colombia = result.by_partner.set_index("partner_iso3").loc["COL", "baseline_usd"]
    assert shown.set_index(shown.columns[0]).loc["COL", before] == pytest.approx(colombia / 1e6)
