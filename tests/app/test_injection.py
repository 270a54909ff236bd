"""Hostile input through the URL, and hostile text on the way out (CSV and HTML files).

URL query parameters carrying SQL, HTML and script payloads reach every page that reads them: the app
renders without an exception, each payload is either rejected with a visible message (and the URL
rewritten to a valid value) or, for free text, used only as a bound search value; the trade table is
intact afterwards. CSV exports never start a text cell with = + - @ tab or CR; HTML scenario reports
escape the names and descriptions users give their scenarios.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import tomllib
import zlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.csv_export import FORMULA_PREFIXES, neutralise_frame, to_csv_bytes
from dashboard.url_state import escape_markdown
from etl.errors import SpecError
from model.scenario_link import decode_scenario_set, encode_scenario_set

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py")
PRESETS = Path(__file__).resolve().parents[2] / "model" / "presets"

SQL = "CHN');DROP TABLE trade;--"
SQL_OR = "x' OR '1'='1"
SCRIPT = "<script>alert(1)</script>"
HTML = '"><img src=x onerror=alert(1)>'

# page → URL parameters it reads, each set to a payload. All are rejected except the free-text search `q`.
HOSTILE = {
    "overview": {"lang": SCRIPT, "img": HTML, "view": SQL, "unit": SQL_OR},
    "balances": {"partners": SQL, "view": SCRIPT, "factor": "1e9", "unit": HTML, "base": "2020 OR 1=1"},
    "products": {"series": "USA:CHN:import:x' OR 1=1--", "year": "2024;DROP TABLE trade", "from": SCRIPT},
    "dependence": {"partners": f"USA,{HTML}"},
    "coverage": {"country": "COL' --", "with": f"CHN,{SCRIPT}"},
    "data": {"source": SQL_OR, "reporter": SQL, "partner": SCRIPT, "flow": HTML, "level": "0 OR 1=1",
             "from": "0; DROP TABLE trade", "to": "NaN"},
    "claims": {"claim": SCRIPT},
}  # fmt: skip
ACCEPTED_TEXT = {"products": {"q": "'; DROP TABLE trade; --"}}


def trade_fingerprint(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {
            row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        return con.execute("SELECT count(*), sum(hash(t)) FROM trade t").fetchone(), frozenset(tables)
    finally:
        con.close()


def run_page(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def url_value(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def assert_no_raw_html(at: AppTest, payloads: list[str]) -> None:
    """Only elements that render HTML could run a payload: none may carry one."""
    for element in at.markdown:
        if getattr(element.proto, "allow_html", False):
            assert not any(payload in element.value for payload in payloads), element.value


@pytest.mark.parametrize("page", sorted(HOSTILE))
def test_hostile_url_parameters_are_rejected_with_a_message(bundled_env: Path, page: str) -> None:
    before = trade_fingerprint(bundled_env)
    params = {**HOSTILE[page], **ACCEPTED_TEXT.get(page, {})}
    at = run_page(page, params)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    warnings = " ".join(w.value for w in at.warning)
    for name, payload in HOSTILE[page].items():
        assert f"Ignored URL parameter {name}=" in warnings, (name, warnings)
        # The URL now holds a valid value, never the payload.
        assert url_value(at, name) != payload
    assert_no_raw_html(at, list(params.values()))
    assert trade_fingerprint(bundled_env) == before


def test_sql_in_the_free_text_search_is_only_a_search_value(bundled_env: Path) -> None:
    before = trade_fingerprint(bundled_env)
    at = run_page("products", {"q": "'; DROP TABLE trade; --"})
    assert not at.exception and not at.warning
    assert url_value(at, "q") == "'; DROP TABLE trade; --"
    # The search is a plain match on the nomenclature: nothing matches it (the page says so), nothing was dropped.
    assert not [df.value for df in at.dataframe if "HS digits" in df.value.columns]
    assert any("No HS code matches" in i.value for i in at.info)
    assert trade_fingerprint(bundled_env) == before
    # A real search still finds coffee.
    at = run_page("products", {"q": "coffee"})
    tables = [df.value for df in at.dataframe if "HS digits" in df.value.columns]
    assert tables and tables[-1]["HS code"].str.startswith("09").any()


def test_overlong_search_text_is_rejected(bundled_env: Path) -> None:
    at = run_page("products", {"q": "a" * 5000})
    assert not at.exception
    assert any("Ignored URL parameter q=" in w.value for w in at.warning)
    assert url_value(at, "q") == ""


def test_a_rejected_value_is_shown_as_text_not_as_markdown(bundled_env: Path) -> None:
    at = run_page("overview", {"lang": "[Session expired: sign in again](https://evil.example/login)"})
    warning = next(w.value for w in at.warning if "Ignored URL parameter lang=" in w.value)
    assert "](https://evil.example/login)" not in warning


# ---- the Scenarios page: its whole state travels in `sc` -------------------------------------------------


def _scenario_page(sc: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["sc"] = sc
    at.switch_page("app_pages/scenarios.py")
    return at.run()


@pytest.mark.parametrize(
    "sc",
    [
        "not-base64!!",
        SQL,
        base64.urlsafe_b64encode(zlib.compress(b"[1, 2, 3]")).decode(),
        base64.urlsafe_b64encode(zlib.compress(b" " * 5_000_000, 9))
        .decode()
        .rstrip("="),  # a decompression bomb
    ],
    ids=["not-base64", "sql", "not-a-scenario-set", "zip-bomb"],
)
def test_a_broken_scenario_link_falls_back_with_a_message(bundled_env: Path, sc: str) -> None:
    before = trade_fingerprint(bundled_env)
    at = _scenario_page(sc)
    assert not at.exception, [e.value for e in at.exception]
    assert any("could not be used" in w.value for w in at.warning), [w.value for w in at.warning]
    assert url_value(at, "sc") != sc
    assert trade_fingerprint(bundled_env) == before


def test_a_scenario_named_with_a_script_renders_as_text(bundled_env: Path) -> None:
    doc = json.loads((PRESETS / "us_10pct_everyone.json").read_text(encoding="utf-8"))
    doc.update(name=f"{SCRIPT} {SQL}", description=HTML)
    at = _scenario_page(encode_scenario_set({"current": doc, "saved": []}))
    assert not at.exception, [e.value for e in at.exception]
    assert not any("could not be used" in w.value for w in at.warning)
    assert any(escape_markdown(SCRIPT) in h.value for h in at.subheader)
    assert_no_raw_html(at, [SCRIPT, HTML])


LINKS = "[click me](http://evil.example/x) ![pixel](http://evil.example/p.png) <http://evil.example>"


def test_a_scenario_name_from_the_link_renders_no_markdown_link_or_image(bundled_env: Path) -> None:
    """Names and descriptions from `?sc=` are shown as text everywhere: heading, caption, save button, saved list."""
    doc = json.loads((PRESETS / "us_10pct_everyone.json").read_text(encoding="utf-8"))
    doc.update(name=LINKS, description=LINKS)
    at = _scenario_page(encode_scenario_set({"current": doc, "saved": [doc]}))
    assert not at.exception, [e.value for e in at.exception]
    shown = [h.value for h in at.subheader] + [c.value for c in at.caption] + [m.value for m in at.markdown] + [
        b.label for b in at.button]  # fmt: skip
    with_name = [text for text in shown if "evil" in text]
    assert len(with_name) >= 4, with_name  # heading, description, save button, saved list
    for text in with_name:
        # Every bracket escaped: no live link, image or autolink.
        assert not re.search(r"(?<!\\)\]\(|(?<!\\)!\[|(?<!\\)<http", text), text


def test_a_deeply_nested_scenario_link_is_refused_by_name_not_a_recursion_error(bundled_env: Path) -> None:
    sc = base64.urlsafe_b64encode(zlib.compress(b"[" * 100_000, 9)).decode().rstrip("=")
    assert len(sc) < 200
    with pytest.raises(SpecError, match="nested more than"):
        decode_scenario_set(sc)
    at = _scenario_page(sc)
    assert not at.exception, [e.value for e in at.exception]
    assert any("could not be used" in w.value for w in at.warning)


def test_the_grids_own_csv_download_is_disabled(bundled_env: Path) -> None:
    """st.dataframe's toolbar download exports formulas as they are: the app hides it (client.disableDataExport),
    and `balanza serve` starts Streamlit with it off too."""
    from streamlit import config

    from dashboard.serve import streamlit_command

    config.set_option("client.disableDataExport", False)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert config.get_option("client.disableDataExport") is True
    command = streamlit_command("127.0.0.1", 8501)
    assert command[command.index("--client.disableDataExport") + 1] == "true"
    project_config = tomllib.loads((Path(APP).parent.parent / ".streamlit" / "config.toml").read_text())
    assert project_config["client"]["disableDataExport"] is True


# ---- files that leave the app ----------------------------------------------------------------------------

HOSTILE_TEXT = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x","y")',
                "=cmd|' /C calc'!A0", "plain", "", "  =1+1"]  # fmt: skip


def _records(data: bytes) -> list[list[str]]:
    """Records as a spreadsheet reads them (newline='' so a bare CR outside quotes ends a record, as in Excel)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_export_cells_never_start_a_formula() -> None:
    texts = [text for text in HOSTILE_TEXT if "\r" not in text]
    frame = pd.DataFrame({"partner": texts, "value_usd": [-1.5 * i for i in range(len(texts))],
                          "year": range(2000, 2000 + len(texts))})  # fmt: skip
    data = to_csv_bytes(
        frame, source="=src", valuation="+v", units="-u", filters={"q": "@x"}, view_url="=url"
    )
    header, *rows = _records(data)
    assert len(rows) == len(texts)
    for row in rows:
        for name, cell in zip(header, row, strict=True):
            if name not in ("value_usd", "year"):
                assert not cell.startswith(FORMULA_PREFIXES), (name, cell)
    # The text survives behind the quote; numbers stay numbers, negative ones included.
    assert [row[0] for row in rows][:2] == ["'=1+1", "'+SUM(A1:A2)"]
    assert rows[1][header.index("value_usd")] == "-1.5"


def test_neutralise_frame_leaves_numeric_and_date_columns_alone() -> None:
    frame = pd.DataFrame(
        {"text": ["-5", "=x"], "number": [-5, 3], "when": pd.to_datetime(["2024-01-01", "2024-02-01"])}
    )
    out = neutralise_frame(frame)
    assert out["text"].tolist() == ["'-5", "'=x"]
    assert out["number"].tolist() == [-5, 3]
    assert frame["text"].tolist() == ["-5", "=x"]  # the input frame is not modified


def test_csv_export_a_carriage_return_cannot_start_a_new_row_with_a_formula() -> None:
    frame = pd.DataFrame({"quote": ["\r=1+1", 'text\r=HYPERLINK("http://x")'], "value_usd": [1.0, 2.0]})
    data = to_csv_bytes(frame, source="s", valuation="v", units="u", filters={}, view_url="")
    header, *rows = _records(data)
    assert len(rows) == 2
    for row in rows:
        assert not any(cell.startswith(FORMULA_PREFIXES) for cell in row), row


def test_html_report_escapes_scenario_names_and_descriptions(bundled_db: Path) -> None:
    from dashboard.scenarios.report import comparison_report_html
    from model.scenario import run_scenario
    from model.spec import parse_spec

    tariff = json.loads((PRESETS / "us_10pct_everyone.json").read_text(encoding="utf-8"))
    tariff.update(name=f"</h2>{SCRIPT}", description=HTML)
    purchase = json.loads((PRESETS / "china_buys_more.json").read_text(encoding="utf-8"))
    purchase.update(name='"><svg onload=alert(2)>', description="<b>bold</b> & more")
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        results = [run_scenario(parse_spec(doc), con) for doc in (tariff, purchase)]
    finally:
        con.close()
    report = comparison_report_html(results, title=f"Report {SCRIPT}")
    for raw in (SCRIPT, "<img src=x", "<svg onload", "<b>bold</b>"):
        assert raw not in report, raw
    assert "&lt;/h2&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in report
    # Names also reach the embedded charts as JSON inside <script>: plotly escapes '<' there.
    assert "</script><script>" not in report
