"""The Claims page renders on the bundled data: every card, its verdict, a CSV button each, no exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import claims

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py")
TIMEOUT = 120


def _claims_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page("app_pages/claims.py")
    return at.run()


@pytest.mark.slow
def test_claims_page_renders_every_card(bundled_env: Path) -> None:
    at = _claims_page()
    assert not at.exception, [e.value for e in at.exception]
    specs = claims.read_claims()
    downloads = [b for b in at.get("download_button") if (b.key or "").startswith("claim_csv")]
    assert [b.proto.label for b in downloads] == ["Download CSV", "Download Excel"] * len(specs)  # per card
    markdown = " ".join(m.value for m in at.markdown)
    for spec in specs:
        assert spec.quote in markdown, spec.id
    badges = [m.value for m in at.markdown if "-badge[" in m.value]  # st.badge renders as badge markdown
    assert len(badges) == len(specs)
    for verdict in (claims.SUPPORTED, claims.PARTLY, claims.SCENARIO, claims.OUT_OF_SCOPE):
        assert any(b.endswith(f" {verdict}]") for b in badges), verdict
    assert len(at.get("plotly_chart")) >= 7  # every card with numbers over time draws the claim on a chart
    summary = at.dataframe[0].value
    assert list(summary["#"]) == [s.id for s in specs]


@pytest.mark.slow
def test_spanish_summary_keeps_its_claim_number_column(bundled_env: Path) -> None:
    """Two headers both 'Afirmación' made one column vanish: the number and the statement have their own."""
    at = _claims_page({"lang": "es"})
    assert not at.exception, [e.value for e in at.exception]
    summary = at.dataframe[0].value
    assert list(summary["N.º"]) == [s.id for s in claims.read_claims()]
    assert "Afirmación" in summary.columns and len(set(summary.columns)) == len(summary.columns) == 6


@pytest.mark.slow
def test_claims_page_single_claim_from_the_url(bundled_env: Path) -> None:
    at = _claims_page({"claim": "1"})
    assert not at.exception, [e.value for e in at.exception]
    assert (
        len([b for b in at.get("download_button") if (b.key or "").startswith("claim_csv")]) == 2
    )  # CSV, Excel
    text = " ".join(m.value for m in at.markdown)
    assert "$14 billion" in text
    assert ":orange-badge[:material/adjust: partly supported]" in text
    assert "**Basis:**" in text and "**Figure:**" in text and "Other bases" in text
    assert "mixed valuation" in text  # the alternative, labelled, beside the primary basis
    captions = " ".join(m.value for m in at.caption)
    assert "±5 %" in captions  # the tolerance is shown
    assert "Publisher: DANE" in captions.replace("\\", "")
    assert at.info, "the card says where the data and the article disagree"
    assert len(at.get("plotly_chart")) == 1
    assert len(at.get("page_link")) == 1


@pytest.mark.slow
def test_balances_charts_carry_claim_1(bundled_env: Path) -> None:
    import json

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["partners"] = "CHN,WLD"
    at.switch_page("app_pages/balances.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    layouts = [json.loads(chart.proto.spec)["layout"] for chart in at.get("plotly_chart")]
    lines = [shape["y0"] for layout in layouts for shape in layout.get("shapes", [])]
    assert (
        -14.0 in lines
    )  # claim 1 on the balance panel (USD billions); the Balances page no longer has a share panel


@pytest.mark.slow
def test_a_card_in_spanish(bundled_env: Path) -> None:
    at = _claims_page({"claim": "1", "lang": "es"})
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "parcialmente respaldada]" in text
    assert (
        "**Base:** exportaciones FOB − importaciones CIF ÷ 1,053 (factor CIF/FOB de las propias cifras del DANE de 2013"
        in text
    )
    assert (
        "El déficit comercial de bienes de Colombia con China es de unos 14 mil millones de USD."
        in " ".join(s.value for s in at.subheader)
    )
    written = " ".join(m.value for m in at.markdown if not m.value.startswith(">"))
    assert "mil millones de USD" in written and " bn" not in written
    captions = " ".join(m.value for m in at.caption)
    assert "Tolerancia: «14 mil millones de dólares»" in captions
    assert "Presidencia de Colombia (según el artículo)" in captions
    assert "la cifra del artículo solo coincide con la diferencia de valoración mixta" in at.info[
        0
    ].value.replace("\\", "")
    numbers = at.dataframe[0].value
    assert set(numbers["Medida"]) == {"balanza con China (negativa = déficit colombiano)"}
    assert "según Colombia (base principal)" in set(numbers["Según"])
