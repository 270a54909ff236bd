"""What the Scenarios page hands out, read back as its user would: the files' headers in the page's language,
the purchase scenario's publishers and basis, Colombia's own rows, the report and the slide deck."""

from __future__ import annotations

import io
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import i18n
from dashboard.csv_export import TableFile, csv_bytes
from dashboard.scenarios import colombia, exports, model_text, tables
from dashboard.scenarios.report import comparison_report_html
from etl import record
from model.scenario import run_scenario
from model.spec import PRESETS_DIR, parse_spec

SNAKE_CASE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def _preset(name: str, con: duckdb.DuckDBPyConnection):
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


# ---- Colombia first ---------------------------------------------------------------------------------------------

RAW_COLOMBIA = (
    Path(__file__).resolve().parents[2] / "data/raw/us-census-imports-2024-hs10/2024-hs10-imports3010.parquet"
)


def _raw_colombia_2024() -> float:
    """US imports for consumption from Colombia in 2024, summed straight from the Census file (CTY 3010)."""
    return duckdb.sql(
        f"SELECT sum(CAST(CON_VAL_YR AS DOUBLE)) FROM read_parquet('{RAW_COLOMBIA}')"
    ).fetchall()[0][0]


@pytest.fixture(scope="module")
def three(bundled_db: Path) -> list:
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        return [
            _preset(n, con)
            for n in ("us_august_2025_country_rates", "colombia_10pp_more", "us_10pct_everyone")
        ]
    finally:
        con.close()


@pytest.mark.slow
def test_colombia_rows_before_and_after_in_every_scenario(three: list) -> None:
    before = _raw_colombia_2024()
    for lang in ("en", "es"):
        table = colombia.colombia_table(three, lang)
        assert len(table) >= len(three)  # at least all goods for each scenario
        first = table.iloc[0]
        assert first.iloc[1] == ("All goods" if lang == "en" else "Todos los bienes")
        for result in three:
            name = model_text.preset_name(result.name, lang)
            row = table[(table.iloc[:, 0] == name) & (table.iloc[:, 1] == first.iloc[1])].iloc[0]
            change = result.by_partner.set_index("partner_iso3").loc["COL", "total_change_usd"]
            assert row.iloc[2] == pytest.approx(before / 1e6, abs=1e-6)
            assert row.iloc[3] == pytest.approx((before + change) / 1e6, abs=1e-6)
            assert row.iloc[4] == pytest.approx(change / 1e6, abs=1e-6)
            assert row.iloc[5] == pytest.approx(100 * change / before, rel=1e-9)
    # the headline table of the comparison starts with Colombia's rows
    rows = colombia.headline_rows(three, "es")
    assert rows["measure"].tolist()[:3] == [
        "Exportaciones de Colombia a EE. UU., 2024", "Exportaciones de Colombia a EE. UU., después",
        "Cambio para Colombia",
    ]  # fmt: skip
    assert rows[three[1].name].iloc[0] == pytest.approx(before / 1e6, abs=1e-6)
    # The +10 points scenario costs Colombia more than the August 2025 rates (issue 21: −3,886.5 vs −1,756.7 m)
    assert rows[three[1].name].iloc[2] < rows[three[0].name].iloc[2] < 0


@pytest.mark.slow
def test_report_opens_with_colombias_summary_and_links_relatively(three: list, bundled_db: Path) -> None:
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        results = [*three, _preset("china_buys_more", con)]
    finally:
        con.close()
    page = comparison_report_html(results, lang="es", view_url="scenarios?lang=es&sc=abc")
    body = page[page.index("<body>") :]
    first_paragraph = re.search(r"<p[^>]*>(.*?)</p>", body, re.S)
    assert first_paragraph and "class='summary'" in first_paragraph.group(0)
    total = i18n.number(_raw_colombia_2024() / 1e6, "es", 1)
    assert f"Colombia exportó {total} millones de USD a EE. UU. en 2024" in first_paragraph.group(1)
    loss = i18n.number(
        -three[1].by_partner.set_index("partner_iso3").loc["COL", "total_change_usd"] / 1e6, "es", 1
    )
    assert f"pierde {loss} millones de USD" in first_paragraph.group(1)
    assert "http" not in page and "127.0.0.1" not in page  # the link is relative without BALANZA_PUBLIC_URL
    link = page.index("href='scenarios?lang=es&amp;sc=abc'")
    assert link > page.rindex("<h2>")  # at the end, after the last section
    assert "Abrir esta vista en Balanza" in page
    assert "Exportaciones de Colombia a EE. UU., antes y después" in page
    assert len(page.encode()) < 200_000


@pytest.mark.slow
def test_the_deck_puts_colombias_rows_first_in_spanish(three: list) -> None:
    from pptx import Presentation

    from dashboard import deck
    from dashboard.scenarios.slides import scenario_deck

    outline = scenario_deck(
        three, {"COL": "Colombia"}, {"COL": "Colombia (COL)"}, "es", link="scenarios?lang=es"
    )
    charts = [s for s in outline.slides if isinstance(s, deck.ChartSlide)]
    assert len(charts) == len(three)  # one chart slide per scenario
    data = deck.build_deck(outline, deck.Rendered([None] * len(charts), "sin navegador"))
    slides = list(Presentation(io.BytesIO(data)).slides)
    title = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "exportaciones de Colombia" in title and "Colombia exportó" in title
    table = next(s.table for s in slides[1].shapes if s.has_table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    names = [model_text.preset_name(r.name, "es") for r in three]
    assert cells[0] == ["Productos", "Antes, 2024 (millones de USD)", *names]  # scenarios across
    assert cells[1][:2] == ["Todos los bienes", i18n.number(_raw_colombia_2024() / 1e6, "es", 1)]
    for column, result in enumerate(three, start=2):
        change = result.by_partner.set_index("partner_iso3").loc["COL", "total_change_usd"]
        assert cells[1][column].startswith(i18n.number(change / 1e6, "es", 1) + " (")
    groups = [row[0] for row in cells[1:]]
    assert groups[0] == "Todos los bienes" and len(groups) == len(set(groups)) >= 2  # then the product groups
    takeaway = " ".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    assert takeaway.startswith("Colombia pierde")
    # every chart slide's title says the result in words, Colombia's loss included
    for slide, result in zip(slides[2:5], three, strict=True):
        heading = next(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert model_text.preset_name(result.name, "es") in heading and "Colombia pierde" in heading


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "es"])
def test_claims_files_have_readable_headers(bundled_con: duckdb.DuckDBPyConnection, lang: str) -> None:
    from dashboard import claims
    from dashboard.claims.evidence import query_claim_data
    from dashboard.csv_export import readable_headers

    cards = claims.build_cards(query_claim_data(bundled_con, with_scenarios=False), lang=lang)
    for card in cards:
        headers = list(readable_headers(claims.card_csv_frame(card), lang).columns)
        assert not [h for h in headers if SNAKE_CASE.match(str(h)) or str(h).islower()], (
            card.spec.id,
            headers,
        )
        assert len(set(headers)) == len(headers)
    if lang == "es":
        assert {"N.º de afirmación", "Veredicto", "Publicador", "Serie"} <= set(headers)
