"""Scenarios: presets, build or edit, run, compare up to four, download/upload, all kept in the URL.

Thin: session state and widgets only. Form ↔ scenario documents, the link and uploads: dashboard.scenarios.form;
what a result shows: dashboard.scenarios.summary and dashboard.scenarios.tables; the widgets of each part:
dashboard.scenarios.widgets; the page's words: dashboard.scenarios.labels; the model's words (notes, presets):
dashboard.scenarios.model_text. The model is model.scenario and model.compare; the equations live in model/smart.py
and docs/scenarios.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import components, downloads, i18n, shared_results
from dashboard.deck import browser_path, build_deck, html_to_pdf
from dashboard.scenarios import exports, form, model_text, reconciliation, widgets
from dashboard.scenarios.form import DEFAULT_PRESET, MAX_SAVED, PRESETS, ScenarioFileError
from dashboard.scenarios.labels import text
from dashboard.scenarios.report import comparison_report_html
from dashboard.scenarios.slides import scenario_deck
from dashboard.url_state import escape_markdown as plain
from etl.errors import BalanzaError, SpecError
from etl.schema import UNITED_STATES
from model.reconciliation import reconcilable
from model.result import ScenarioResult, colombia_first
from model.scenario_link import encode_scenario_set

URL_KEY = "sc"
UPLOAD_LIMIT_MB = 1  # a scenario or a saved set of four is a few kilobytes
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
lang = components.lang()


def spanish() -> dict[str, str] | None:
    """The Spanish HS nomenclature's texts on a Spanish page (the chapters' names in the report)."""
    return shared_results.spanish_hs_names() if lang == "es" else None


def run(spec_doc: dict[str, Any]) -> ScenarioResult:
    """A scenario run, once per database and scenario for all sessions (the presets are warmed at start)."""
    return shared_results.scenario_result(json.dumps(spec_doc, sort_keys=True))


# ---- state: current scenario, saved set, URL (callbacks run before the page) ------------------------------------


def _set_current(doc: Any) -> None:
    st.session_state["sc_current"] = form.canonical(doc)
    st.session_state.update(form.form_values(st.session_state["sc_current"]))


def _init_state() -> None:
    if "sc_current" in st.session_state:
        return
    try:
        loaded = form.from_link(st.query_params.get(URL_KEY))
    except SpecError as exc:
        st.session_state["sc_message"] = form.link_message(exc, lang)
        loaded = form.from_link(None)
    st.session_state["sc_saved"] = loaded.saved
    _set_current(loaded.current)


def _sync_url() -> None:
    encoded = encode_scenario_set(
        {"current": st.session_state["sc_current"], "saved": st.session_state["sc_saved"]}
    )
    if st.query_params.get(URL_KEY) != encoded:
        st.query_params[URL_KEY] = encoded


def _apply(build: Callable[[], Any]) -> None:
    try:
        _set_current(build())
        st.session_state.pop("sc_error", None)
    except (SpecError, ScenarioFileError) as exc:
        st.session_state["sc_error"] = str(exc)


def _apply_tariff_form() -> None:
    _apply(lambda: form.tariff_document(st.session_state.to_dict(), st.session_state["sc_current"]))


def _apply_purchase_form() -> None:
    _apply(lambda: form.purchase_document(st.session_state.to_dict()))


def _load_preset() -> None:
    _apply(lambda: PRESETS[st.session_state["sc_preset"]])


def _apply_json() -> None:
    _apply(lambda: form.from_text(st.session_state["sc_json"], text("json", lang), lang))


def _save_current() -> None:
    try:
        st.session_state["sc_saved"] = form.with_saved(
            st.session_state["sc_saved"], st.session_state["sc_current"]
        )
    except ValueError:
        st.session_state["sc_error"] = form.full_message(lang)


def _remove_saved(index: int) -> None:
    st.session_state["sc_saved"].pop(index)


def _load_upload() -> None:
    upload = st.session_state.get("sc_upload")
    if upload is None:
        return
    try:
        loaded = form.from_upload(upload.name, upload.getvalue(), lang)
    except ScenarioFileError as exc:
        st.session_state["sc_error"] = str(exc)
        return
    if loaded.saved is not None:
        st.session_state["sc_saved"] = loaded.saved
    if loaded.current is not None:
        _set_current(loaded.current)
    st.session_state.pop("sc_error", None)


# ---- page -------------------------------------------------------------------------------------------------------

st.title(text("title", lang))
st.write(text("intro", lang))
_init_state()
if message := st.session_state.pop("sc_message", None):
    st.warning(plain(message))

partners = sorted(shared_results.scenario_market(UNITED_STATES, 2024).partners.tolist())
countries = components.country_names()

with st.container(border=True):
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(text("presets", lang), list(PRESETS), key="sc_preset", index=list(PRESETS).index(DEFAULT_PRESET),
                   format_func=lambda name: model_text.preset_name(name, lang),
                   placeholder=i18n.t("choose_one", lang))  # fmt: skip
    right.button(text("load_preset", lang), on_click=_load_preset, key="sc_load_preset", width="stretch")

with st.expander(text("build", lang), expanded=False):
    tariff_tab, purchase_tab, json_tab = st.tabs(
        [text("tab_tariff", lang), text("tab_purchase", lang), "JSON"]
    )
    with tariff_tab:
        several = len(st.session_state["sc_current"].get("tariff_changes", [])) > 1
        widgets.tariff_form(partners, lang, several=several, on_submit=_apply_tariff_form)
    with purchase_tab:
        widgets.purchase_form(lang, on_submit=_apply_purchase_form)
    with json_tab:
        st.text_area(text("json", lang), key="sc_json", height=320, max_chars=form.MAX_FILE_BYTES)
        st.button(text("apply_json", lang), on_click=_apply_json, key="sc_apply_json")

if error := st.session_state.get("sc_error"):
    st.error(plain(error))

current = st.session_state["sc_current"]
try:
    result = run(current)
except BalanzaError as exc:
    st.error(plain(str(exc)))
    st.stop()

# names and descriptions come from whoever wrote the link: text, never Markdown
st.subheader(plain(model_text.preset_name(result.name, lang)))
if description := current.get("description"):
    # in plain words: a preset's description may point at the repository's files ("docs/scenarios.md")
    st.caption(plain(i18n.without_file_names(model_text.preset_description(result.name, description, lang))))

if reconcilable(result.spec.as_of):  # a dated preset: the law on that date, its date in words
    st.caption(reconciliation.as_of_caption(str(result.spec.as_of), lang))

if result.spec.kind == "tariff":
    widgets.show_tariff(result, current, countries, lang)
else:
    widgets.show_purchase(result, countries, lang)

with st.container(border=True):
    st.markdown(f"**{text('left_out', lang)}**")
    st.markdown("\n".join(f"- {item}" for item in model_text.left_out(result.left_out, lang)))

if result.spec.kind == "tariff" and reconcilable(result.spec.as_of):
    widgets.show_reconciliation(current, lang)

# ---- save and compare: like with like ---------------------------------------------------------------------------

st.subheader(text("compare", lang))
saved = st.session_state["sc_saved"]
st.button(
    text("save", lang, name=plain(model_text.preset_name(result.name, lang)), n=len(saved), max=MAX_SAVED),
    on_click=_save_current, key="sc_save", disabled=len(saved) >= MAX_SAVED,
)  # fmt: skip
if saved:
    widgets.show_saved(saved, lang, on_remove=_remove_saved)
    saved_pairs = []
    for doc in saved:
        try:
            saved_pairs.append((doc, run(doc)))
        except BalanzaError as exc:
            st.error(plain(f"{doc['name']}: {exc}"))
    widgets.show_comparison(saved_pairs, countries, lang)
else:
    st.caption(text("save_hint", lang, max=MAX_SAVED))

# ---- files -----------------------------------------------------------------------------------------------------

_sync_url()
report_url = components.view_url(page="scenarios")  # the exact view: this page, this scenario, this saved set
shared_url = downloads.shareable_url("scenarios")  # the same view, as a downloaded file links to it
st.subheader(text("files", lang))
report_results = [run(doc) for doc in saved] if saved else [result]
a, b, c, d = st.columns(4)
with a:
    st.download_button(
        text("dl_json", lang), data=json.dumps(current, indent=2, ensure_ascii=False),
        file_name="balanza-scenario.json", mime="application/json", key="sc_dl_json", on_click="ignore",
        icon=":material/download:",
    )  # fmt: skip
    if saved:
        st.download_button(
            text("dl_set", lang), data=json.dumps({"scenarios": saved}, indent=2, ensure_ascii=False),
            file_name="balanza-scenarios.json", mime="application/json", key="sc_dl_set", on_click="ignore",
        )  # fmt: skip
with b:
    made_from = exports.provenance(result, lang)  # the purchase figures' own publishers and basis
    widgets.csv_button(
        colombia_first(result.by_partner) if result.spec.kind == "tariff" else exports.purchase_table(result, lang),
        result.name, "balanza-scenario-by-partner.csv" if result.spec.kind == "tariff" else "balanza-scenario.csv",
        "sc_dl_csv", lang, source=made_from.source, valuation=made_from.valuation,
    )  # fmt: skip
with c:
    st.download_button(
        text("dl_report", lang),
        data=lambda: comparison_report_html(report_results, country_names=countries, view_url=shared_url, lang=lang,
                                            spanish=spanish()),
        file_name="balanza-scenarios-report.html", mime="text/html", key="sc_dl_report", on_click="ignore",
        icon=":material/slideshow:",
    )  # fmt: skip
    st.download_button(
        text("dl_deck", lang),
        data=lambda: build_deck(scenario_deck(report_results, countries, components.country_labels_in(lang), lang,
                                              link=shared_url)),
        file_name="balanza-scenarios.pptx", mime=PPTX_MIME, key="sc_dl_deck", on_click="ignore",
        icon=":material/co_present:",
    )  # fmt: skip
    if browser_path() is not None:  # the machine's Chromium prints the same report (about 6 s)
        st.download_button(
            text("dl_pdf", lang),
            data=lambda: html_to_pdf(comparison_report_html(report_results, country_names=countries,
                                                            view_url=shared_url, lang=lang, spanish=spanish())),
            file_name="balanza-scenarios-report.pdf", mime="application/pdf", key="sc_dl_pdf", on_click="ignore",
            icon=":material/picture_as_pdf:",
        )  # fmt: skip
    st.link_button(text("open_view", lang), report_url, icon=":material/link:")
with d:
    # Streamlit writes the drop zone's own words ("Upload", "1MB per file • JSON") in English whatever the page's
    # language (README: what cannot be translated); the label and help say it all in the page's language.
    st.file_uploader(text("upload", lang), type=["json"], key="sc_upload", on_change=_load_upload,
                     help=text("upload_help", lang, mb=UPLOAD_LIMIT_MB), max_upload_size=UPLOAD_LIMIT_MB)  # fmt: skip

st.caption(text("link_note", lang))
