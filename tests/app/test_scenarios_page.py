"""The Scenarios page on the real bundled database (AppTest)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import i18n
from dashboard.url_state import escape_markdown
from model.scenario_link import decode_scenario_set, encode_scenario_set

PAGE = str(Path(__file__).resolve().parents[2] / "dashboard" / "app_pages" / "scenarios.py")


def _page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(parts)


def _frame(at: AppTest, first_column: str):
    """The first table whose first column is `first_column` (AppTest does not expose dataframe keys)."""
    return next(df.value for df in at.dataframe if df.value.columns[0] == first_column)


def _load_preset(at: AppTest, name: str) -> AppTest:
    at.selectbox(key="sc_preset").select(name)
    return at.button(key="sc_load_preset").click().run()


@pytest.mark.usefixtures("bundled_env")
def test_default_scenario_runs_and_states_what_is_left_out() -> None:
    at = _page()
    assert not at.exception
    assert at.subheader[0].value == escape_markdown(
        "Colombia faces 10 points more than its competitors"
    )  # names are shown as text
    labels = {m.label: m.value for m in at.metric}
    assert labels["Change in US imports"].startswith("USD −")  # a headline tile: short, a true minus sign
    text = _texts(at)
    for omitted in ("Retaliation", "Income effects", "Intermediate inputs", "General equilibrium"):
        assert omitted in text
    focus = _frame(at, "Products and partners").set_index("Products and partners")
    assert focus.loc["Ecuador: roses (HS 060311)", "Change in imports (USD m)"] > 0
    coffee = focus.loc["Central America: coffee (HS 0901)"]
    assert coffee["Low (USD m)"] <= coffee["Change in imports (USD m)"] <= coffee["High (USD m)"]
    assert (
        coffee["Change in imports (USD m)"] > 0
    )  # σ = 1.5 > |η| = 0.69: rivals gain (the band straddles zero)
    assert focus.loc["Colombia: coffee (HS 0901)", "High (USD m)"] < 0
    assert "Roses and coffee: who gains and who loses" in text
    state = decode_scenario_set(
        at.query_params["sc"][0] if isinstance(at.query_params["sc"], list) else at.query_params["sc"]
    )
    assert state["current"]["name"] == "Colombia faces 10 points more than its competitors"


@pytest.mark.usefixtures("bundled_env")
def test_uniform_preset_says_switching_is_small_and_shows_how_much() -> None:
    at = _load_preset(_page(), "US 10% on everyone")
    assert not at.exception
    assert at.subheader[0].value == escape_markdown("US 10% on everyone")  # names are shown as text
    note = next(i.value for i in at.info if "only where starting tariffs differ" in i.value)
    assert "Gross switching: USD" in note and "% of baseline imports" in note


def test_purchase_preset_sets_the_deficit_against_the_record(bundled_env: Path) -> None:
    import duckdb

    from etl import record_balance

    con = duckdb.connect(str(bundled_env), read_only=True)
    balances = record_balance.query_balance(con, reporter="COL", partners=["CHN"])
    con.close()
    deficit = -float(balances.loc[balances["year"] == 2024, "balance_usd"].iloc[0])
    at = _load_preset(_page(), "China buys enough more to close the deficit")
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    # the deficit to close is the series of record's 2024 headline balance, the same number as the Overview's
    assert labels["Needed to close"] == i18n.money(deficit, "en")
    assert labels["Balance after"] == i18n.money(0.0, "en")  # the preset buys exactly that deficit
    assert "Largest yearly rise on record" in labels


@pytest.mark.usefixtures("bundled_env")
def test_save_two_and_compare_then_the_link_reproduces_the_set() -> None:
    at = _page()
    at.button(key="sc_save").click().run()
    at = _load_preset(at, "US 10% on everyone")
    at.button(key="sc_save").click().run()
    assert not at.exception
    table = _frame(at, "Figure")
    assert list(table.columns) == [
        "Figure",
        "Colombia faces 10 points more than its competitors",
        "US 10% on everyone",
    ]
    link = at.query_params["sc"]
    link = link[0] if isinstance(link, list) else link
    again = _page({"sc": link})
    assert not again.exception
    assert again.subheader[0].value == escape_markdown("US 10% on everyone")  # names are shown as text
    assert list(_frame(again, "Figure").columns) == list(table.columns)


@pytest.mark.usefixtures("bundled_env")
def test_a_broken_link_falls_back_with_a_warning() -> None:
    at = _page({"sc": "not-a-scenario-set"})
    assert not at.exception
    assert any("could not be used" in w.value for w in at.warning)


@pytest.mark.usefixtures("bundled_env")
def test_bad_json_names_the_field_and_keeps_the_last_good_scenario() -> None:
    at = _page()
    bad = {"name": "typo", "tariff_changes": [{"partners": ["COL"], "add_pp": "ten"}]}
    at.text_area(key="sc_json").set_value(json.dumps(bad))
    at = at.button(key="sc_apply_json").click().run()
    assert not at.exception
    assert any(escape_markdown("tariff_changes[0].add_pp") in e.value for e in at.error)
    assert at.subheader[0].value == escape_markdown(
        "Colombia faces 10 points more than its competitors"
    )  # names are shown as text


@pytest.mark.usefixtures("bundled_env")
def test_a_hostile_name_is_text_in_the_link_and_the_page() -> None:
    doc = {"name": "<script>alert(1)</script>", "tariff_changes": [{"partners": ["ECU"], "add_pp": 5}]}
    at = _page({"sc": encode_scenario_set({"current": doc, "saved": []})})
    assert not at.exception
    assert at.subheader[0].value == escape_markdown("<script>alert(1)</script>")  # names are shown as text


@pytest.mark.usefixtures("bundled_env")
def test_build_a_tariff_scenario_in_the_form() -> None:
    at = _page()
    at.text_input(key="sc_t_name").set_value("Ecuador +20 on flowers")
    at.selectbox(key="sc_t_kind").select("add_pp")
    at.number_input(key="sc_t_value").set_value(20.0)
    at.multiselect(key="sc_t_partners").set_value(["ECU"])
    at.text_input(key="sc_t_products").set_value("0603")
    at = next(b for b in at.button if b.label == "Run this tariff scenario").click().run()
    assert not at.exception
    assert at.subheader[0].value == escape_markdown("Ecuador +20 on flowers")  # names are shown as text
    state = decode_scenario_set(
        at.query_params["sc"][0] if isinstance(at.query_params["sc"], list) else at.query_params["sc"]
    )
    change = state["current"]["tariff_changes"][0]
    assert (change["partners"], change["products"], change["add_pp"]) == (["ECU"], ["0603"], 20.0)
    focus = _frame(at, "Products and partners").set_index("Products and partners")
    assert focus.loc["Ecuador: roses (HS 060311)", "Change in imports (USD m)"] < 0
    assert focus.loc["Colombia: roses (HS 060311)", "Switching between suppliers (USD m)"] > 0


@pytest.mark.usefixtures("bundled_env")
def test_tariff_and_purchase_scenarios_are_compared_apart() -> None:
    at = _page()
    at.button(key="sc_save").click().run()
    at = _load_preset(at, "China buys enough more to close the deficit")
    at.button(key="sc_save").click().run()
    assert not at.exception
    tables = [df.value for df in at.dataframe if df.value.columns[0] == "Figure"]
    assert len(tables) == 2  # one table per kind
    tariff, purchase = tables
    assert list(tariff.columns) == ["Figure", "Colombia faces 10 points more than its competitors"]
    assert list(purchase.columns) == ["Figure", "China buys enough more to close the deficit"]
    assert "US imports before (2024)" in set(tariff["Figure"]) and "Balance after" in set(purchase["Figure"])


@pytest.mark.usefixtures("bundled_env")
def test_the_report_link_is_this_page_with_its_scenarios(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page()
    link = next(b for b in at.get("link_button")).proto.url
    sc = at.query_params["sc"]
    sc = sc[0] if isinstance(sc, list) else sc
    assert "/scenarios?" in link and f"sc={sc}" in link
    monkeypatch.setenv("BALANZA_PUBLIC_URL", "https://balanza.example.org/app/")
    again = _page({"sc": sc})
    link = next(b for b in again.get("link_button")).proto.url
    assert link.startswith("https://balanza.example.org/app/scenarios?") and f"sc={sc}" in link


@pytest.mark.usefixtures("bundled_env")
def test_spanish_page_and_small_effects_in_millions() -> None:
    doc = {
        "name": "Ecuador +5 on roses",
        "products": ["0603"],
        "tariff_changes": [{"partners": ["ECU"], "products": ["060311"], "add_pp": 5}],
    }
    at = _page({"sc": encode_scenario_set({"current": doc, "saved": []}), "lang": "es"})
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    change = labels["Cambio en las importaciones de EE. UU."]
    # rounded to fit a quarter of the page (M = millones), never -0.0 bn
    assert change.endswith(" M USD") and "0,0 mil millones" not in change


@pytest.mark.usefixtures("bundled_env")
def test_august_2025_preset_shows_effective_rates_and_elasticity_coverage() -> None:
    at = _load_preset(_page(), "US tariffs on 7 August 2025: country rates")
    assert not at.exception
    text = _texts(at)
    assert "own HS6 estimate" in text and "HS4 heading median" in text and "default" in text
    assert "95 % confidence interval" in text
    rates = next(df.value for df in at.dataframe if any(str(c).startswith("0. ") for c in df.value.columns))
    rates = rates.set_index("Partner")
    col = next(p for p in rates.index if p.endswith("(COL)"))
    ecu = next(p for p in rates.index if p.endswith("(ECU)"))
    before = next(c for c in rates.columns if c.startswith("0. "))
    last = max(int(str(c).split(".")[0]) for c in rates.columns if str(c)[:1].isdigit())
    after = [c for c in rates.columns if str(c).startswith(f"{last}. ")]
    assert len(after) == 2  # before and after substitution
    assert rates.loc[col, before] < 1 < rates.loc[col, after[0]]
    assert rates.loc[ecu, after[0]] > rates.loc[col, after[0]]
    keys = {getattr(b, "key", None) for b in at.get("download_button")}
    assert {"sc_dl_lines", "sc_dl_rates"} <= keys


@pytest.mark.usefixtures("bundled_env")
def test_an_uploaded_set_becomes_the_saved_set_and_a_bad_file_is_refused_by_name() -> None:
    at = _page()
    ecuador = {"name": "Ecuador +5 on roses", "tariff_changes": [{"partners": ["ECU"], "add_pp": 5}]}
    purchase = json.loads(
        (Path(PAGE).parents[2] / "model" / "presets" / "china_buys_more.json").read_text(encoding="utf-8")
    )
    upload = json.dumps({"scenarios": [ecuador, purchase]}).encode("utf-8")
    at.file_uploader(key="sc_upload").upload("set.json", upload, "application/json")
    at = at.run()
    assert not at.exception and not at.error
    assert at.subheader[0].value == escape_markdown("Ecuador +5 on roses")  # the first one is shown
    tables = [list(df.value.columns) for df in at.dataframe if df.value.columns[0] == "Figure"]
    assert tables == [["Figure", "Ecuador +5 on roses"], ["Figure", purchase["name"]]]  # compared apart
    at.file_uploader(key="sc_upload").upload(
        "broken.json", b'{"name": "x", "tariff_changes": [{"add_pp": "ten"}]}'
    )
    at = at.run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert (
        message.startswith(escape_markdown("broken.json: "))
        and escape_markdown("tariff_changes[0].add_pp") in message
    )
    assert at.subheader[0].value == escape_markdown("Ecuador +5 on roses")  # the last good scenario stays


@pytest.mark.usefixtures("bundled_env")
def test_colombias_own_result_comes_first_for_the_scenario_on_screen() -> None:
    """Before the totals of all partners: Colombia's exports to the US by product group, 2024 from the raw Census
    file of US imports from Colombia (partner code 3010)."""
    raw = pd.read_parquet(
        Path(__file__).resolve().parents[2]
        / "data/raw/us-census-imports-2024-hs10/2024-hs10-imports3010.parquet",
        columns=["I_COMMODITY", "CON_VAL_YR"],
    )
    values = raw["CON_VAL_YR"].astype(float) / 1e6
    total = values.sum()
    coffee = values[raw["I_COMMODITY"].astype(str).str.startswith(("0901", "210111"))].sum()
    at = _page()
    assert not at.exception
    first = at.dataframe[0].value  # the first table on the page
    assert list(first.columns[:2]) == ["Scenario", "Products"]
    rows = first.set_index("Products")
    assert rows.loc["All goods", "Before, 2024 (USD m)"] == pytest.approx(total, abs=0.05)
    assert rows.loc["Coffee", "Before, 2024 (USD m)"] == pytest.approx(coffee, abs=0.05)
    assert rows.loc["All goods", "Change (USD m)"] < 0  # Colombia faces 10 points more than its competitors
    assert "Colombia's exports to the US, before and after this scenario (USD million)" in _texts(at)
    assert any("sc_dl_colombia_current" in b.proto.id for b in at.get("download_button"))


@pytest.mark.usefixtures("bundled_env")
def test_hostile_uploads_and_json_are_refused_by_name_in_the_page_language() -> None:
    """Each refusal is an error on the page naming the file and what is wrong, in the page's language; the page
    keeps the last good scenario, and nothing raises (RecursionError and TypeError did before)."""
    at = _page({"lang": "es"})
    shown = at.subheader[0].value
    hostile = [
        ("deep.json", b"[" * 200_000, "anidado a más de 12 niveles"),
        ("set.json", b'{"scenarios": 5}', '"scenarios" debe ser una lista'),
        (
            "five.json",
            json.dumps({"scenarios": [{"name": f"s{i}"} for i in range(5)]}).encode(),
            "5 escenarios",
        ),
        ("big.json", b" " * (1024 * 1024) + b"{}", "como máximo 1 MB"),
    ]
    for name, data, says in hostile:
        at.file_uploader(key="sc_upload").upload(name, data, "application/json")
        at = at.run()
        assert not at.exception, (name, at.exception)
        message = " ".join(e.value for e in at.error)
        assert message.startswith(escape_markdown(f"{name}: ")) and escape_markdown(says) in message, message
        assert at.subheader[0].value == shown
    for typed, says in (
        ("{not json", "no es un archivo JSON de escenario"),
        ("[" * 50_000, "anidado a más de 12"),
    ):
        at.text_area(key="sc_json").set_value(typed)
        at = at.button(key="sc_apply_json").click().run()
        assert not at.exception
        message = " ".join(e.value for e in at.error)
        assert (
            message.startswith(escape_markdown("JSON del escenario: ")) and escape_markdown(says) in message
        )
        assert at.subheader[0].value == shown
