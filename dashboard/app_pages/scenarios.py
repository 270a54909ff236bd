"""Scenarios: presets, build or edit, run, compare up to four, download/upload, all kept in the URL.

Thin: widgets → model (model.scenario, model.compare) → charts (model.charts). The equations live in
model/smart.py and docs/scenarios.md.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import components
from etl.errors import BalanzaError, SpecError
from model import charts
from model.compare import headline_table, partner_comparison
from model.market import DEFAULT_IMPORT_DEMAND, MATCHES
from model.report import comparison_report_html
from model.scenario import ScenarioResult
from model.spec import (
    CHANGE_KINDS,
    EXEMPTION_LISTS,
    LEVELS,
    decode_scenario_set,
    encode_scenario_set,
    parse_spec,
    preset_paths,
    spec_to_dict,
)

MAX_SAVED = 4
URL_KEY = "sc"
CHANGE_LABELS = {
    "add_pp": "add percentage points",
    "new_rate": "new rate (fraction, 0.10 = 10 %)",
    "max_rate": "maximum rate (fraction)",
    "min_rate": "minimum rate (fraction)",
    "linear_cut": "linear cut (fraction of the tariff removed)",
    "swiss": "Swiss formula (coefficient a, in points)",
}
PRESETS = {doc["name"]: doc for doc in (json.loads(p.read_text(encoding="utf-8")) for p in preset_paths())}
DEFAULT_PRESET = "Colombia faces 10 points more than its competitors"


# ---- cached model runs --------------------------------------------------------------------------------------


def run(spec_doc: dict[str, Any]) -> ScenarioResult:
    """A scenario run, once per database and scenario for all sessions (the presets are warmed at start)."""
    return components.scenario_result(json.dumps(spec_doc, sort_keys=True))


# ---- state: current scenario, saved set, URL ------------------------------------------------------------------


def _set_current(doc: dict[str, Any]) -> None:
    st.session_state["sc_current"] = spec_to_dict(parse_spec(doc))
    _fill_forms(st.session_state["sc_current"])


def _init_state() -> None:
    if "sc_current" in st.session_state:
        return
    current, saved = PRESETS[DEFAULT_PRESET], []
    raw = st.query_params.get(URL_KEY)
    if raw:
        try:
            decoded = decode_scenario_set(raw)
            current = spec_to_dict(parse_spec(decoded.get("current") or current))
            saved = [spec_to_dict(parse_spec(doc)) for doc in decoded.get("saved", [])][:MAX_SAVED]
        except SpecError as exc:
            st.session_state["sc_message"] = (
                f"The link's scenarios could not be used ({exc}); showing a preset."
            )
            current, saved = PRESETS[DEFAULT_PRESET], []
    st.session_state["sc_saved"] = saved
    _set_current(current)


def _sync_url() -> None:
    encoded = encode_scenario_set(
        {"current": st.session_state["sc_current"], "saved": st.session_state["sc_saved"]}
    )
    if st.query_params.get(URL_KEY) != encoded:
        st.query_params[URL_KEY] = encoded


def _fill_forms(doc: dict[str, Any]) -> None:
    """Seed the form widgets from a scenario (tariff form edits the first change)."""
    state = st.session_state
    state["sc_json"] = json.dumps(doc, indent=2, ensure_ascii=False)
    if doc["kind"] == "tariff":
        change = (doc["tariff_changes"] or [{"partners": "all", "products": "all", "add_pp": 0.0}])[0]
        kind = next(k for k in CHANGE_KINDS if k in change)
        elasticities = doc["elasticities"]
        sigma = elasticities["substitution"]
        state.update(
            sc_t_name=doc["name"],
            sc_t_kind=kind,
            sc_t_value=float(change[kind]) if isinstance(change[kind], int | float) else 0.0,
            sc_t_level=doc.get("level", "hs10"),
            sc_t_sigma_data=sigma == "data",
            sc_t_partners=[] if change["partners"] == "all" else list(change["partners"]),
            sc_t_except=list(change.get("except_partners", [])),
            sc_t_products="all" if change["products"] == "all" else ", ".join(change["products"]),
            sc_t_scope="all" if doc["products"] == "all" else ", ".join(doc["products"]),
            sc_t_lists=[e for e in doc["exemptions"] if e in EXEMPTION_LISTS],
            sc_t_prefixes=", ".join(e for e in doc["exemptions"] if e not in EXEMPTION_LISTS),
            sc_t_sigma=1.5 if sigma == "data" else float(sigma),
            sc_t_supply=float(elasticities["supply"]),
            sc_t_eta_data=elasticities["import_demand"] == "data",
            sc_t_eta=DEFAULT_IMPORT_DEMAND
            if elasticities["import_demand"] == "data"
            else float(elasticities["import_demand"]),
        )
    else:
        increase = doc["increase"]
        state.update(
            sc_p_name=doc["name"],
            sc_p_buyer=doc["buyer"],
            sc_p_seller=doc["seller"],
            sc_p_year=int(doc["year"]),
            sc_p_mode="percent" if "percent" in increase else "amount",
            sc_p_value=float(increase.get("percent", (increase.get("amount_usd") or 0) / 1e9)),
            sc_p_chapters="all" if increase["chapters"] == "all" else ", ".join(increase["chapters"]),
        )


def _codes(text: str) -> list[str] | str:
    text = text.strip()
    return "all" if text in ("", "all") else [part.strip() for part in text.split(",") if part.strip()]


def _apply(build) -> None:  # noqa: ANN001 - a callback building the scenario document
    try:
        _set_current(build())
        st.session_state.pop("sc_error", None)
    except SpecError as exc:
        st.session_state["sc_error"] = str(exc)


def _tariff_from_form() -> dict[str, Any]:
    s = st.session_state
    change: dict[str, Any] = {
        "partners": s["sc_t_partners"] or "all",
        "products": _codes(s["sc_t_products"]),
        s["sc_t_kind"]: s["sc_t_value"],
    }
    if s["sc_t_except"]:
        change["except_partners"] = s["sc_t_except"]
    current = s["sc_current"]
    others = current["tariff_changes"][1:] if current["kind"] == "tariff" else []
    first = current["tariff_changes"][0] if current["kind"] == "tariff" and current["tariff_changes"] else {}
    for kept in ("action", "except_products"):  # edited in the JSON tab; the form keeps them
        if kept in first:
            change[kept] = first[kept]
    prefixes = _codes(s["sc_t_prefixes"])
    return {
        "kind": "tariff",
        "name": s["sc_t_name"],
        "importer": "USA",
        "year": 2024,
        "level": s["sc_t_level"],
        "products": _codes(s["sc_t_scope"]),
        "tariff_changes": [change, *others],
        "exemptions": list(s["sc_t_lists"]) + ([] if prefixes == "all" else prefixes),
        "elasticities": {
            "substitution": "data" if s["sc_t_sigma_data"] else s["sc_t_sigma"],
            "supply": s["sc_t_supply"],
            "import_demand": "data" if s["sc_t_eta_data"] else s["sc_t_eta"],
        },
    }


def _purchase_from_form() -> dict[str, Any]:
    s = st.session_state
    increase: dict[str, Any] = (
        {"percent": s["sc_p_value"]} if s["sc_p_mode"] == "percent" else {"amount_usd": s["sc_p_value"] * 1e9}
    )
    increase["chapters"] = _codes(s["sc_p_chapters"])
    return {
        "kind": "purchase",
        "name": s["sc_p_name"],
        "buyer": s["sc_p_buyer"],
        "seller": s["sc_p_seller"],
        "year": int(s["sc_p_year"]),
        "increase": increase,
    }


def _load_preset() -> None:
    _apply(lambda: PRESETS[st.session_state["sc_preset"]])


def _apply_json() -> None:
    _apply(lambda: json.loads(st.session_state["sc_json"]))


def _unique_name(name: str, taken: list[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _save_current() -> None:
    saved = st.session_state["sc_saved"]
    if len(saved) >= MAX_SAVED:
        st.session_state["sc_error"] = f"Up to {MAX_SAVED} scenarios can be compared: remove one first."
        return
    doc = dict(st.session_state["sc_current"])
    doc["name"] = _unique_name(doc["name"], [d["name"] for d in saved])
    saved.append(doc)


def _remove_saved(index: int) -> None:
    st.session_state["sc_saved"].pop(index)


def _load_upload() -> None:
    upload = st.session_state.get("sc_upload")
    if upload is None:
        return
    try:
        document = json.loads(upload.getvalue().decode("utf-8"))
        if isinstance(document, dict) and "scenarios" in document:
            docs = [spec_to_dict(parse_spec(d)) for d in document["scenarios"]][:MAX_SAVED]
            st.session_state["sc_saved"] = docs
            if docs:
                _set_current(docs[0])
        else:
            _set_current(document)
        st.session_state.pop("sc_error", None)
    except (ValueError, UnicodeDecodeError) as exc:
        st.session_state["sc_error"] = f"{upload.name}: not a JSON scenario file ({exc})"
    except SpecError as exc:
        st.session_state["sc_error"] = f"{upload.name}: {exc}"


def _millions(frame: pd.DataFrame) -> pd.DataFrame:
    """USD columns in USD million for display (CSV downloads keep dollars)."""
    out = frame.copy()
    money = [c for c in out.columns if c.endswith("_usd")]
    out[money] = out[money] / 1e6
    return out.rename(columns={c: c.removesuffix("_usd") + " (USD m)" for c in money})


def show_table(frame: pd.DataFrame, **kwargs: Any) -> None:
    shown = _millions(frame)
    config = {
        c: st.column_config.NumberColumn(format="localized") for c in shown.columns if c.endswith("(USD m)")
    }
    config |= {c: st.column_config.NumberColumn(format="%.2f") for c in shown.columns if c.endswith("_pct")}
    st.dataframe(shown, hide_index=True, column_config=config, **kwargs)


# ---- page -----------------------------------------------------------------------------------------------------

st.title("Scenarios: tariffs and purchases")
st.write(
    "What a tariff change does to US imports by partner and product, who picks up the trade, and how much more "
    "a partner would have to buy to close a deficit. A single-market partial-equilibrium model of the WITS-SMART "
    "kind on US imports for consumption in 2024 by HS10 line and partner (US Census Bureau)."
)
_init_state()
if message := st.session_state.pop("sc_message", None):
    st.warning(message)

partners = sorted(components.scenario_market("USA", 2024).partners.tolist())
countries = components.country_names()

with st.container(border=True):
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox("Presets", list(PRESETS), key="sc_preset", index=list(PRESETS).index(DEFAULT_PRESET))
    right.button("Load preset", on_click=_load_preset, key="sc_load_preset", width="stretch")

with st.expander("Build or edit a scenario", expanded=False):
    tariff_tab, purchase_tab, json_tab = st.tabs(["Tariff scenario", "Purchase scenario", "JSON"])
    with tariff_tab, st.form("sc_tariff_form"):
        st.text_input("Name", key="sc_t_name", max_chars=120)
        a, b = st.columns(2)
        a.selectbox("Change", CHANGE_KINDS, key="sc_t_kind", format_func=CHANGE_LABELS.__getitem__)
        b.number_input("Value", key="sc_t_value", step=1.0, format="%.4g")
        a.multiselect(
            "Partners (empty = all)", partners, key="sc_t_partners", format_func=components.country_label
        )
        b.multiselect("Except partners", partners, key="sc_t_except", format_func=components.country_label)
        a.text_input("Products changed (HS prefixes, comma-separated, or all)", key="sc_t_products")
        b.text_input("Market simulated (HS prefixes or all)", key="sc_t_scope")
        a.multiselect("Exemption lists", EXEMPTION_LISTS, key="sc_t_lists")
        b.text_input("Other exempt HTS prefixes (comma-separated)", key="sc_t_prefixes")
        a.selectbox("Product level", LEVELS, key="sc_t_level",
                    format_func={"hs10": "HS10 lines (US tariff lines)", "hs6": "HS6 (as WITS-SMART)"}.__getitem__)  # fmt: skip
        b.checkbox("σ from the bundled estimates where sensible (else the σ below)", key="sc_t_sigma_data")
        c, d, e, f = st.columns(4)
        c.number_input("Substitution σ", min_value=0.0, max_value=50.0, step=0.25, key="sc_t_sigma")
        d.number_input("Export supply ε (≥ 99 = infinite)", min_value=0.1, step=1.0, key="sc_t_supply")
        e.checkbox("η from the bundled estimates", key="sc_t_eta_data")
        f.number_input(
            "η for every line (if not from data)", min_value=-50.0, max_value=-0.01, step=0.25, key="sc_t_eta"
        )
        if len(st.session_state["sc_current"].get("tariff_changes", [])) > 1:
            st.caption(
                "This scenario has several changes: the form edits the first; edit the rest (and changes that "
                "read their rates from a bundled list) in the JSON tab."
            )
        st.form_submit_button("Run this tariff scenario", on_click=_apply, args=(_tariff_from_form,))
    with purchase_tab, st.form("sc_purchase_form"):
        st.text_input("Name", key="sc_p_name", max_chars=120)
        a, b, c = st.columns(3)
        a.text_input("Buyer (ISO3)", key="sc_p_buyer")
        b.text_input("Seller (ISO3)", key="sc_p_seller")
        c.number_input("Year", min_value=1960, max_value=2100, step=1, key="sc_p_year")
        a.radio("Increase as", ("amount", "percent"), key="sc_p_mode", horizontal=True,
                format_func={"amount": "USD billion", "percent": "% of exports"}.__getitem__)  # fmt: skip
        b.number_input("Increase", min_value=0.0, step=0.5, key="sc_p_value")
        c.text_input("HS chapters (comma-separated, or all)", key="sc_p_chapters")
        st.form_submit_button("Run this purchase scenario", on_click=_apply, args=(_purchase_from_form,))
    with json_tab:
        st.text_area("Scenario JSON", key="sc_json", height=320)
        st.button("Apply JSON", on_click=_apply_json, key="sc_apply_json")

if error := st.session_state.get("sc_error"):
    st.error(error)

current = st.session_state["sc_current"]
try:
    result = run(current)
except BalanzaError as exc:
    st.error(str(exc))
    st.stop()

st.subheader(result.name)
if description := current.get("description"):
    st.caption(description)


def show_tariff(result: ScenarioResult) -> None:
    t = result.totals
    cols = st.columns(4)
    cols[0].metric(
        "Change in US imports",
        f"USD {t['total_change_usd'] / 1e9:,.1f} bn",
        help=f"Band: USD {t['total_change_low_usd'] / 1e9:,.1f} bn to {t['total_change_high_usd'] / 1e9:,.1f} bn. "
        + t["band_basis"],
    )
    cols[1].metric("Switching between suppliers", f"USD {t['gross_diversion_usd'] / 1e9:,.2f} bn",
                   help=f"{100 * t['gross_diversion_share']:.3f} % of baseline imports")  # fmt: skip
    cols[2].metric("Tariff revenue change", f"USD {t['tariff_revenue_change_usd'] / 1e9:,.1f} bn")
    cols[3].metric("Net welfare (consumers + revenue)", f"USD {t['welfare_change_usd'] / 1e9:,.1f} bn")
    level = "HS10 lines" if t["level"] == "hs10" else "HS6 subheadings"
    st.caption(
        f"Band on the total: USD {t['total_change_low_usd'] / 1e9:,.1f} bn to "
        f"{t['total_change_high_usd'] / 1e9:,.1f} bn. {t['band_basis']} Baseline USD {t['baseline_usd'] / 1e9:,.0f} bn "
        f"over {t['lines']:,} {level} and {t['partners']} partners; {t['rows_exempt']:,} line-partner rows exempt."
    )
    st.caption("Elasticities by share of baseline import value: " + coverage_text(t["elasticity_coverage"]))
    switching = [n for n in result.notes if "only where starting tariffs differ" in n]
    for note in switching:
        st.info(note)
    st.caption(" ".join(n for n in result.notes if n not in switching))
    by_partner = result.by_partner.assign(
        partner_label=[components.country_label(p) for p in result.by_partner["partner_iso3"]]
    )
    st.markdown("**Who gains: roses and coffee** (USD million; low and high from the sensitivity runs)")
    show_table(result.focus.drop(columns=["hs_prefix"]))
    tabs = st.tabs(["By partner", "By HS chapter", "Creation and diversion", "Effective tariff rates",
                    "Largest lines", "Equations"])  # fmt: skip
    with tabs[0]:
        components.show_figure(
            charts.change_bar_chart(by_partner, label="partner_label", title="Change in US imports by partner"),
            filename="balanza-scenario-partners", key="sc_fig_partner",
        )  # fmt: skip
        show_table(by_partner.drop(columns=["partner_label"]))
    with tabs[1]:
        chapters = result.by_chapter.assign(
            label=[
                f"{c} {str(d)[:40]}"
                for c, d in zip(result.by_chapter["chapter"], result.by_chapter["description"], strict=True)
            ]
        )
        components.show_figure(
            charts.change_bar_chart(chapters, label="label", title="Change in US imports by HS chapter"),
            filename="balanza-scenario-chapters", key="sc_fig_chapter",
        )  # fmt: skip
        show_table(result.by_chapter)
    with tabs[2]:
        st.write(
            "Trade that moves when Colombia's tariff changes: Ecuador's roses and Central America's coffee."
        )
        st.dataframe(result.focus, hide_index=True, key="sc_tbl_focus")
        components.show_figure(
            charts.components_chart(by_partner.assign(partner_iso3=by_partner["partner_label"]), title="Creation and diversion by partner"),
            filename="balanza-scenario-components", key="sc_fig_components",
        )  # fmt: skip
    with tabs[3]:
        show_effective_rates(result)
    with tabs[4]:
        lines = result.top_lines.assign(
            elasticity=result.top_lines["elasticity_is_default"].map({True: "default", False: "data"})
        )
        show_table(lines.drop(columns=["elasticity_is_default"]))
        st.caption(
            f"The {len(lines)} largest changes. Every line and partner ({len(result.lines):,} rows, with each line's "
            "elasticities and how they were found): the CSV below."
        )
        components.download_csv_button(
            result.lines.assign(scenario=result.name), filename="balanza-scenario-lines.csv",
            source="model run on US Census imports for consumption 2024 (line × partner)", valuation="customs value",
            units="USD; rates in %", filters={"scenario": result.name}, key="sc_dl_lines",
        )  # fmt: skip
    with tabs[5]:
        st.markdown(
            "Per product *g* (HS10 line or HS6) and partner *k*: baseline imports $M_k$, tariffs $t_0 \\to t_1$, "
            "$\\rho_k = (1+t_{1k})/(1+t_{0k})$, exporters' price ratio $p_k$ (1 with infinite supply), "
            "domestic price ratio $q_k = \\rho_k p_k$:"
        )
        st.latex(r"C_k = M_k\,q_k^{\eta}\qquad X_k = \Big(\sum_j C_j\Big)\frac{C_k\,q_k^{-\sigma}}{\sum_j C_j\,q_j^{-\sigma}}")
        st.latex(r"TC_k = C_k - M_k\qquad TD_k = X_k - C_k\qquad PE_k = X_k\,(p_k - 1)")
        st.latex(r"\ln q_k = \frac{\ln \lambda^0_g}{\varepsilon-\eta} + \frac{\varepsilon}{\varepsilon-\eta+\sigma}\ln\rho_k,\quad "
                 r"\lambda^0_g = \frac{\sum_j M_j (q^0_j)^{\eta}}{\sum_j M_j (q^0_j)^{\eta-\sigma}},\ q^0_j=\rho_j^{\varepsilon/(\varepsilon-\eta+\sigma)}")
        st.latex(r"\Delta R = \sum_k t_{1k} X_k p_k - t_{0k} M_k \qquad \Delta CS = -\sum_k (1+t_{0k})(q_k-1)\,\tfrac12(M_k+X_k)")
        st.markdown(
            f"SMART solved in levels: no floor, monotone in each tariff, creation scales with η. Defaults: σ = 1.5 "
            f"(or per-product estimates), ε = 99 (infinite), η from the bundled Hauk US HS6 estimates, else "
            f"{DEFAULT_IMPORT_DEMAND}. See docs/scenarios.md."
        )


def coverage_text(coverage: dict[str, dict[str, float]]) -> str:
    """'η: same code 25.9 %, …; σ: …' from totals['elasticity_coverage']."""
    parts = []
    for key, symbol in (("import_demand", "η"), ("substitution", "σ")):
        shares = coverage[key]
        if shares.get("set for all lines"):
            parts.append(f"{symbol}: one value for all lines")
            continue
        names = {"same code": "own HS6 estimate", "5-digit group": "5-digit group median",
                 "heading median": "HS4 heading median", "default": "default"}  # fmt: skip
        parts.append(f"{symbol}: " + ", ".join(f"{names[m]} {100 * shares[m]:.1f} %" for m in MATCHES))
    return "; ".join(parts) + " (estimates in HS 1988/92 codes matched to 2024 lines: docs/scenarios.md)."


def show_effective_rates(result: ScenarioResult) -> None:
    """Effective tariff rate by partner before and after each action, before and after substitution."""
    rates = result.effective_rates
    if rates.empty:
        return
    st.write(
        "Trade-weighted tariff by partner after each step, in %: before substitution (2024 import weights) and "
        "after (the imports the model gives for the tariffs in force after that step)."
    )
    steps = rates.drop_duplicates("step")[["step", "action"]]
    wide = rates.pivot(index=["partner_iso3", "partner_name"], columns="step",
                       values=["rate_pre_substitution_pct", "rate_post_substitution_pct"])  # fmt: skip
    columns = {}
    for step, action in zip(steps["step"], steps["action"], strict=True):
        columns[f"{step}. {action}: before substitution"] = wide[("rate_pre_substitution_pct", step)]
        if step:
            columns[f"{step}. {action}: after substitution"] = wide[("rate_post_substitution_pct", step)]
    table = pd.DataFrame(columns).reset_index()
    order = rates[rates["step"] == 0].set_index("partner_iso3")["imports_2024_usd"]
    table = table.assign(_w=table["partner_iso3"].map(order)).sort_values("_w", ascending=False).drop(columns="_w")
    st.dataframe(table, hide_index=True, key="sc_tbl_rates",
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in columns})  # fmt: skip
    components.download_csv_button(
        rates.assign(scenario=result.name), filename="balanza-scenario-effective-rates.csv",
        source="model run on US Census imports for consumption 2024 (line × partner)", valuation="customs value",
        units="percent; USD", filters={"scenario": result.name}, key="sc_dl_rates",
    )  # fmt: skip


def show_purchase(result: ScenarioResult) -> None:
    t = result.totals
    cols = st.columns(4)
    cols[0].metric(f"Balance {t['year']}", f"USD {t['balance_before_usd'] / 1e9:,.2f} bn")
    cols[1].metric("Balance after", f"USD {t['balance_after_usd'] / 1e9:,.2f} bn",
                   delta=f"{t['increase_usd'] / 1e9:+,.2f} bn")  # fmt: skip
    cols[2].metric("Needed to close", f"USD {t['needed_to_close_usd'] / 1e9:,.2f} bn",
                   help=f"{t['needed_pct_of_exports'] or 0:,.0f} % of {t['year']} exports")  # fmt: skip
    if t["largest_growth_usd"] is not None:
        cols[3].metric(
            "Largest yearly rise on record",
            f"USD {t['largest_growth_usd'] / 1e9:,.2f} bn",
            help=f"in {t['largest_growth_usd_year']}; largest % rise {t['largest_growth_pct']:,.0f} % "
            f"({t['largest_growth_pct_year']}, from a base ≥ USD {t['largest_growth_pct_min_base_usd'] / 1e6:,.0f} m)",
        )
    for note in result.notes:
        st.info(note)
    history = pd.DataFrame(result.extra["history"])
    spec = result.spec
    components.show_figure(charts.purchase_chart(history, t, seller=spec.seller, buyer=spec.buyer),
                           filename="balanza-scenario-purchase", key="sc_fig_purchase")  # fmt: skip
    with st.expander("Year by year"):
        show_table(history)


if result.spec.kind == "tariff":
    show_tariff(result)
else:
    show_purchase(result)

with st.container(border=True):
    st.markdown("**What the model leaves out**")
    st.markdown("\n".join(f"- {item}" for item in result.left_out))

# ---- save and compare ------------------------------------------------------------------------------------------

st.subheader("Compare saved scenarios")
saved = st.session_state["sc_saved"]
st.button(
    f"Save “{result.name}” for comparison ({len(saved)}/{MAX_SAVED})",
    on_click=_save_current, key="sc_save", disabled=len(saved) >= MAX_SAVED,
)  # fmt: skip
if saved:
    columns = st.columns(MAX_SAVED)
    for i, doc in enumerate(saved):
        with columns[i]:
            st.markdown(f"**{i + 1}.** {doc['name']}")
            st.button("Remove", key=f"sc_remove_{i}", on_click=_remove_saved, args=(i,))
    saved_results = []
    for doc in saved:
        try:
            saved_results.append(run(doc))
        except BalanzaError as exc:
            st.error(f"{doc['name']}: {exc}")
    if saved_results:
        st.caption("USD million")
        headlines = headline_table(saved_results)
        numeric = headlines.columns[1:]
        headlines[numeric] = headlines[numeric] / 1e6
        st.dataframe(
            headlines,
            hide_index=True,
            column_config={c: st.column_config.NumberColumn(format="localized") for c in numeric},
        )
        tariff_results = [r for r in saved_results if r.spec.kind == "tariff"]
        if tariff_results:
            comparison = partner_comparison(tariff_results, countries)
            components.show_figure(
                charts.comparison_chart(comparison, [r.name for r in tariff_results], title="Change in US imports by partner, by scenario"),
                filename="balanza-scenario-comparison", key="sc_fig_compare",
            )  # fmt: skip
            if len(tariff_results) > 1:
                components.show_figure(
                    charts.delta_chart(comparison, [r.name for r in tariff_results], title="Difference from the first scenario, by partner"),
                    filename="balanza-scenario-delta", key="sc_fig_delta",
                )  # fmt: skip
            with st.expander("By partner, with differences from the first scenario"):
                show_table(comparison.rename(columns={c: c + "_usd" for c in comparison.columns[2:]}))
else:
    st.caption(f"Save up to {MAX_SAVED} scenarios to compare them side by side.")

# ---- files -----------------------------------------------------------------------------------------------------

st.subheader("Files")
report_results = [run(doc) for doc in saved] if saved else [result]
a, b, c, d = st.columns(4)
with a:
    st.download_button(
        "Scenario JSON", data=json.dumps(current, indent=2, ensure_ascii=False), file_name="balanza-scenario.json",
        mime="application/json", key="sc_dl_json", on_click="ignore", icon=":material/download:",
    )  # fmt: skip
    if saved:
        st.download_button(
            "Saved set JSON", data=json.dumps({"scenarios": saved}, indent=2, ensure_ascii=False),
            file_name="balanza-scenarios.json", mime="application/json", key="sc_dl_set", on_click="ignore",
        )  # fmt: skip
with b:
    csv_frame = result.by_partner.assign(scenario=result.name)
    components.download_csv_button(
        csv_frame, filename="balanza-scenario-by-partner.csv",
        source="model run on US Census imports for consumption 2024 (HS10 × partner)", valuation="customs value",
        units="USD", filters={"scenario": result.name}, key="sc_dl_csv",
    )  # fmt: skip
with c:
    st.download_button(
        "HTML report",
        data=lambda: comparison_report_html(report_results, country_names=countries, view_url=components.view_url()),
        file_name="balanza-scenarios-report.html", mime="text/html", key="sc_dl_report", on_click="ignore",
        icon=":material/slideshow:",
    )  # fmt: skip
with d:
    st.file_uploader("Upload scenario JSON", type=["json"], key="sc_upload", on_change=_load_upload)

_sync_url()
st.caption(
    "The link in the address bar reproduces this page: the current scenario and the saved set are in it."
)
