"""The Scenarios page's state without Streamlit: form values ↔ scenario documents, the saved set, the link
and uploaded files (dashboard.scenarios.form)."""

from __future__ import annotations

import json
import tomllib
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.scenarios import form
from etl import settings as balanza_settings
from etl.errors import SpecError
from model.scenario_link import encode_scenario_set
from model.spec import preset_paths

PRESET_DOCS = [json.loads(p.read_text(encoding="utf-8")) for p in preset_paths()]


def _without_description(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "description"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("", "all"), ("  all ", "all"), ("0603", ["0603"]), (" 0603, 0901 ,, ", ["0603", "0901"])],
)
def test_codes_reads_a_comma_separated_list_or_all(typed: str, expected: object) -> None:
    assert form.codes(typed) == expected


def test_presets_are_read_from_the_bundled_files_and_the_default_is_one_of_them() -> None:
    assert set(form.PRESETS) == {doc["name"] for doc in PRESET_DOCS}
    assert form.DEFAULT_PRESET in form.PRESETS


@pytest.mark.parametrize("doc", PRESET_DOCS, ids=lambda d: d["name"][:40])
def test_every_preset_survives_the_form_unchanged_but_for_its_description(doc: dict) -> None:
    current = form.canonical(doc)
    values = form.form_values(current)
    if current["kind"] == "tariff":
        back = form.tariff_document(values, current)
    else:
        back = form.purchase_document(values, current)
    assert _without_description(form.canonical(back)) == _without_description(current)
    assert json.loads(values["sc_json"]) == current  # the JSON tab shows the whole document


def test_tariff_form_values_of_the_default_preset() -> None:
    values = form.form_values(form.canonical(form.PRESETS[form.DEFAULT_PRESET]))
    # colombia_10pp_more.json: 10 points on Colombia, every product, σ 1.5, ε 99, η from the data
    assert values["sc_t_kind"] == "add_pp" and values["sc_t_value"] == 10.0
    assert values["sc_t_partners"] == ["COL"] and values["sc_t_products"] == "all"
    assert values["sc_t_sigma_data"] is False and values["sc_t_sigma"] == 1.5
    assert values["sc_t_supply"] == 99.0 and values["sc_t_eta_data"] is True
    assert not any(key.startswith("sc_p_") for key in values)


def test_the_tariff_form_edits_the_first_change_and_keeps_the_rest() -> None:
    current = form.canonical(
        {
            "name": "two changes",
            "tariff_changes": [
                {"partners": ["ECU"], "products": ["0603"], "add_pp": 5, "except_products": ["060311"]},
                {"partners": ["CRI"], "new_rate": 0.2},
            ],
        }
    )
    values = form.form_values(current) | {
        "sc_t_value": 7.5,
        "sc_t_partners": ["ECU", "GTM"],
        "sc_t_scope": "06",
    }
    doc = form.tariff_document(values, current)
    first, second = doc["tariff_changes"]
    assert first == {
        "partners": ["ECU", "GTM"],
        "products": ["0603"],
        "add_pp": 7.5,
        "except_products": ["060311"],
    }
    assert second == current["tariff_changes"][1]
    assert doc["products"] == ["06"] and doc["importer"] == "USA" and doc["year"] == 2024


def test_the_tariff_form_from_a_purchase_scenario_starts_a_single_change() -> None:
    tariff_values = form.form_values(form.canonical(form.PRESETS[form.DEFAULT_PRESET]))
    purchase = form.canonical(form.PRESETS["China buys enough more to close the deficit"])
    doc = form.tariff_document(tariff_values | {"sc_t_prefixes": "8703, 8704", "sc_t_partners": []}, purchase)
    assert len(doc["tariff_changes"]) == 1 and doc["tariff_changes"][0]["partners"] == "all"
    assert doc["exemptions"][-2:] == ["8703", "8704"]


@pytest.mark.parametrize(
    ("mode", "value", "increase"),
    [
        ("amount", 2.5, {"amount_usd": 2_500_000_000.0}),
        ("percent", 12.0, {"percent": 12.0}),
        ("close", 99.0, {"close_balance": True}),
    ],
)
def test_purchase_form_modes(mode: str, value: float, increase: dict) -> None:
    values = {
        "sc_p_name": "p",
        "sc_p_buyer": "CHN",
        "sc_p_seller": "COL",
        "sc_p_year": 2024.0,
        "sc_p_mode": mode,
        "sc_p_value": value,
        "sc_p_chapters": "09, 06",
    }
    doc = form.purchase_document(values)
    assert doc["increase"] == increase | {"chapters": ["09", "06"]}
    assert doc["year"] == 2024 and isinstance(doc["year"], int)
    back = form.form_values(form.canonical(doc))
    assert back["sc_p_mode"] == mode and back["sc_p_chapters"] == "09, 06"
    if mode != "close":
        assert back["sc_p_value"] == pytest.approx(value)  # an amount goes back to USD billion


def test_saving_names_each_scenario_apart_and_stops_at_four() -> None:
    assert form.unique_name("A", ["A", "A (2)", "B"]) == "A (3)"
    assert form.unique_name("C", ["A"]) == "C"
    doc = {"name": "A", "kind": "tariff"}
    saved: list = []
    for _ in range(form.MAX_SAVED):
        saved = form.with_saved(saved, doc)
    assert [d["name"] for d in saved] == ["A", "A (2)", "A (3)", "A (4)"]
    assert doc["name"] == "A"  # the current scenario keeps its name
    with pytest.raises(ValueError, match="up to 4"):
        form.with_saved(saved, doc)
    assert "4" in form.full_message("es") and "quite uno" in form.full_message("es")


def test_the_link_gives_back_the_current_scenario_and_the_saved_set() -> None:
    default = form.from_link(None)
    assert default.current == form.canonical(form.PRESETS[form.DEFAULT_PRESET]) and default.saved == []
    docs = [form.canonical(d) for d in PRESET_DOCS]
    loaded = form.from_link(encode_scenario_set({"current": docs[1], "saved": docs}))
    assert loaded.current == docs[1]
    assert loaded.saved == docs[: form.MAX_SAVED]  # never more than four
    with pytest.raises(SpecError):
        form.from_link("not-a-scenario-set")
    assert "could not be used (" in form.link_message(ValueError("x"), "en")


def test_an_uploaded_scenario_becomes_the_current_one() -> None:
    doc = {"name": "Ecuador +5", "tariff_changes": [{"partners": ["ECU"], "add_pp": 5}]}
    loaded = form.from_upload("one.json", json.dumps(doc).encode("utf-8"), "en")
    assert loaded.saved is None  # the saved set is kept
    assert loaded.current is not None and loaded.current["name"] == "Ecuador +5"
    assert loaded.current["tariff_changes"][0]["add_pp"] == 5


def test_an_uploaded_set_becomes_the_saved_set_first_one_shown() -> None:
    docs = [dict(d, name=f"s{i}") for i, d in enumerate(PRESET_DOCS[: form.MAX_SAVED])]
    loaded = form.from_upload("set.json", json.dumps({"scenarios": docs}, indent=2).encode("utf-8-sig"), "en")
    assert loaded.saved is not None and [d["name"] for d in loaded.saved] == ["s0", "s1", "s2", "s3"]
    assert loaded.current == loaded.saved[0]
    empty = form.from_upload("empty.json", b'{"scenarios": []}', "en")
    assert empty.current is None and empty.saved == []


@pytest.mark.parametrize(
    ("data", "lang", "says"),
    [
        (b"\xff\xfe not utf-8", "en", "bad.json: not a JSON scenario file ("),
        (b"{not json", "en", "bad.json: not a JSON scenario file ("),
        (b"{not json", "es", "bad.json: no es un archivo JSON de escenario ("),
        (b'{"name": "x", "tariff_changes": [{"add_pp": "ten"}]}', "en", "tariff_changes[0].add_pp"),
        (b"[1, 2]", "en", "a scenario must be a JSON object"),
        (b'{"scenarios": [{"kind": "nothing"}]}', "en", "bad.json: "),
    ],
)
def test_a_bad_upload_is_refused_by_name(data: bytes, lang: str, says: str) -> None:
    with pytest.raises(form.ScenarioFileError) as caught:
        form.from_upload("bad.json", data, lang)
    assert says in str(caught.value) and str(caught.value).startswith("bad.json: ")


# ---- hostile files: each refused by name, in the page's language, never another exception -------------------------

ONE_CHANGE = {"partners": ["ECU"], "products": ["0603"], "add_pp": 5}


def _set(count: int, **fields: object) -> bytes:
    return json.dumps({"scenarios": [dict({"name": f"s{i}", "tariff_changes": [ONE_CHANGE]}, **fields)
                                     for i in range(count)]}).encode("utf-8")  # fmt: skip


HOSTILE = [
    # (what, file content, English words, Spanish words)
    ("larger than the upload limit", b" " * (form.MAX_FILE_BYTES - 2) + b"{}\n",
     "a scenario file can be at most 1 MB", "puede tener como máximo 1 MB"),
    ("nested beyond the parser's stack", b"[" * 100_000, "nested more than 12 levels deep", "anidado a más de 12"),
    ("nested beyond the bound, within the stack", b"[" * 40 + b"]" * 40, "nested more than 12 levels", "anidado"),
    ("a scenario nested too deep", json.dumps({"name": "x", "products": [[[[[[[[[[[["01"]]]]]]]]]]]]}).encode(),
     "nested more than 12 levels", "anidado"),
    ("scenarios not a list", b'{"scenarios": 5}', '"scenarios" must be a list', '"scenarios" debe ser una lista'),
    ("scenarios an object", b'{"scenarios": {"a": 1}}', '"scenarios" must be a list', "debe ser una lista"),
    ("more scenarios than can be compared", _set(form.MAX_SAVED + 1), "5 scenarios: up to 4 can be compared",
     "5 escenarios: se pueden comparar hasta 4"),
    ("a scenario that is not an object", b'{"scenarios": [5]}', "a scenario must be a JSON object",
     "a scenario must be a JSON object"),
    ("too many tariff changes", json.dumps({"name": "x", "tariff_changes": [ONE_CHANGE] * 51}).encode(),
     "51 changes: at most 50 in one scenario", "51 changes: at most 50"),
    ("an integer of 5,000 digits", b'{"name": "x", "year": ' + b"1" * 5000 + b"}", "not a JSON scenario file",
     "no es un archivo JSON de escenario"),
    ("not UTF-8", b"\xff\xfe{}", "not a JSON scenario file", "no es un archivo JSON"),
    ("empty", b"", "not a JSON scenario file", "no es un archivo JSON"),
    ("NaN where a number goes", b'{"name": "x", "tariff_changes": [{"add_pp": NaN}]}', "tariff_changes[0].add_pp",
     "tariff_changes[0].add_pp"),
    ("too large for the page's link",
     json.dumps({"name": "x", "products": [f"{n:010d}" for n in range(0, 10**10, 10**10 // 40_000)]}).encode(),
     "too large to keep in the page's link", "demasiado grande para el enlace"),
]  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    ("data", "english", "spanish"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_a_hostile_file_is_refused_by_name_in_the_page_language(
    data: bytes, english: str, spanish: str, lang: str
) -> None:
    with pytest.raises(form.ScenarioFileError) as caught:
        form.from_upload("hostile.json", data, lang)
    message = str(caught.value)
    assert message.startswith("hostile.json: ") and (english if lang == "en" else spanish) in message, message


def test_checking_a_file_stops_at_its_cpu_budget() -> None:
    data = _set(form.MAX_SAVED)
    assert form.from_upload("set.json", data, "en").saved  # within the default budget
    with pytest.raises(form.ScenarioFileError, match=r"set.json: took more than 0 s of processor time"):
        form.from_upload("set.json", data, "en", cpu_budget=0.0)
    with pytest.raises(form.ScenarioFileError, match=r"su revisión tomó más de 0 s de procesador"):
        form.from_upload("set.json", data, "es", cpu_budget=0.0)


def test_the_json_tab_takes_one_scenario_within_the_same_bounds() -> None:
    assert form.from_text(json.dumps({"name": "x"}), "Scenario JSON", "en")["name"] == "x"
    with pytest.raises(form.ScenarioFileError, match=r"^Scenario JSON: nested more than 12 levels"):
        form.from_text("[" * 50_000, "Scenario JSON", "en")
    with pytest.raises(form.ScenarioFileError, match=r"^JSON del escenario: aquí va un escenario"):
        form.from_text(json.dumps({"scenarios": [{"name": "x"}]}), "JSON del escenario", "es")


@given(document=st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["scenarios", "name", "kind", "tariff_changes", "partners", "products", "add_pp", "year",
                         "increase", "buyer", "seller", "elasticities", "x"]), children, max_size=4),
    max_leaves=40,
))  # fmt: skip
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_json_document_loads_or_is_refused_by_name(document: object) -> None:
    try:
        loaded = form.from_upload("any.json", json.dumps(document).encode("utf-8"), "es")
    except form.ScenarioFileError as exc:
        assert str(exc).startswith("any.json: ")
    else:
        assert loaded.current is None or loaded.current["name"]


@given(data=st.binary(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_bytes_load_or_are_refused_by_name(data: bytes) -> None:
    try:
        form.from_upload("any.json", data, "en")
    except form.ScenarioFileError as exc:
        assert str(exc).startswith("any.json: ")


def test_the_upload_bound_is_streamlits_and_nginxs() -> None:
    from dashboard import serve

    command = serve.streamlit_command("127.0.0.1", 8501)
    assert int(command[command.index("--server.maxUploadSize") + 1]) * 1024 * 1024 == form.MAX_FILE_BYTES
    assert f"client_max_body_size {form.MAX_FILE_BYTES // (1024 * 1024)}m;" in serve.nginx_config(
        Path("/run/x"), "127.0.0.1", 8501, [9000]
    )
    project = tomllib.loads(
        (balanza_settings.PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    )
    assert project["server"]["maxUploadSize"] * 1024 * 1024 == form.MAX_FILE_BYTES


@pytest.mark.parametrize(
    "data",
    [
        b"["
        + b",".join([b"{}"] * (form.MAX_FILE_BYTES // 3 - 1))
        + b"]",  # the most objects a megabyte holds
        b'{"name":"x","products":[' + b",".join([b'"01"'] * (form.MAX_FILE_BYTES // 5 - 6)) + b"]}",  # codes
        b"[" * form.MAX_FILE_BYTES,
    ],
    ids=["empty objects", "two-digit codes", "brackets"],
)
def test_the_memory_of_checking_the_largest_file_is_bounded(data: bytes) -> None:
    """Python memory allocated while reading and checking a file of the largest size the server takes, in the
    shapes that cost the most per byte (bench/uploads.py prints the figures; docs/reliability.md)."""
    assert len(data) <= form.MAX_FILE_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(form.ScenarioFileError):
            form.from_upload("big.json", data, "en")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * form.MAX_FILE_BYTES, f"{peak / 1e6:.1f} MB"
