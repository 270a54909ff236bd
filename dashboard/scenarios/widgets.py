"""The Scenarios page's Streamlit pieces: the two scenario forms, a result of each kind, the comparison of
saved scenarios. Each only lays out widgets; what they show comes from the pure modules
(``form``, ``summary``, ``tables``, ``view``, ``labels`` of this package).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import components, downloads, i18n, shared_results
from dashboard.scenarios import colombia, exports, model_text, reconciliation, summary, tables, view
from dashboard.scenarios.form import MAX_SAVED
from dashboard.scenarios.labels import EQUATIONS, change_label, tab_labels, text
from dashboard.scenarios.summary import Metric
from dashboard.url_state import escape_markdown as plain
from model.market import DEFAULT_IMPORT_DEMAND
from model.result import ScenarioResult, colombia_first
from model.spec import CHANGE_KINDS, EXEMPTION_LISTS, LEVELS


def show_table(frame: pd.DataFrame, lang: str, key: str | None = None, decimals: int = 1) -> None:
    """A model table as the reader sees it (``tables.display``)."""
    styler = components.shared_styler(
        ("scenario_table", lang, decimals), frame, lambda: tables.display(frame, lang, decimals)
    )  # rendered once per distinct table, shared by every session
    st.dataframe(styler, hide_index=True, key=key, width="stretch")


def show_metrics(metrics: Sequence[Metric]) -> None:
    """Headline figures side by side, four to a row, each with its one sentence under it."""
    cols = st.columns(4)
    for col, metric in zip(cols, metrics, strict=False):
        with col:
            st.metric(metric.label, metric.value, delta=metric.delta, help=metric.help)
            components.takeaway(metric.takeaway)


def csv_button(
    frame: pd.DataFrame,
    name: str,
    filename: str,
    key: str,
    lang: str,
    *,
    millions: bool = True,
    source: str | None = None,
    valuation: str | None = None,
) -> None:
    """CSV and Excel downloads of a model table (a shared, read-only result), named by its scenario, with
    headers in the reader's language and USD in millions as the page shows them (``millions=False``: whole
    dollars, for the full line table, which is offered as CSV only); the rows are made on the click."""
    decimals = tables.export_frame(frame.head(0), lang, millions=millions)[1]  # the places, from the dtypes
    scenario = model_text.preset_name(name, lang)
    units = text("units_usd_m" if millions else "units_usd", lang)
    downloads.download_table(
        lambda: tables.export_frame(frame, lang, millions=millions)[0].assign(
            **{view.header("scenario", lang): scenario}
        ),
        filename=filename, source=source or text("csv_source", lang), valuation=valuation or text("customs", lang),
        units=units, filters={"scenario": name}, key=key, decimals=decimals, excel=millions,
    )  # fmt: skip


def show_reconciliation(current: dict[str, Any], lang: str) -> None:
    """A dated preset's reconciliation (``dashboard.scenarios.reconciliation``): the measures in force on its legal
    date one by one, the published figure and the tracker's, and a download of the table."""
    as_of = str(current["as_of"])
    rec = shared_results.preset_reconciliation(as_of)
    st.subheader(reconciliation.heading(as_of, lang))
    if not reconciliation.describes_the_law(current):
        st.caption(reconciliation.edited_note(lang))
    for line in reconciliation.summary_lines(rec, lang):
        st.markdown(plain(line))
    show_table(reconciliation.measure_table(rec, lang), lang, key="sc_tbl_reconcile", decimals=2)
    with st.expander(reconciliation.word("tracker_heading", lang)):
        show_table(reconciliation.bridge_table(rec, lang), lang, key="sc_tbl_bridge", decimals=2)
    downloads.download_table(
        lambda: reconciliation.csv_frame(rec, lang), filename=f"balanza-reconciliation-{as_of}.csv",
        source=reconciliation.word("csv_source", lang), valuation=text("customs", lang), units="USD; %",
        filters={"as_of": as_of}, key="sc_dl_reconcile", decimals=reconciliation.csv_decimals(lang),
    )  # fmt: skip


# ---- forms ------------------------------------------------------------------------------------------------------


def tariff_form(partners: Sequence[str], lang: str, *, several: bool, on_submit: Callable[[], None]) -> None:
    """The tariff form (it edits the current scenario's first change; ``several``: say so)."""
    with st.form("sc_tariff_form"):
        st.text_input(text("name", lang), key="sc_t_name", max_chars=120)
        a, b = st.columns(2)
        a.selectbox(
            text("change", lang),
            CHANGE_KINDS,
            key="sc_t_kind",
            format_func=lambda k: change_label(k, lang),
            placeholder=i18n.t("choose_one", lang),
        )
        b.number_input(text("value", lang), key="sc_t_value", step=1.0, format="%.4g")
        many = i18n.t("choose_many", lang)  # a placeholder in the page's language, no English "Select all"
        a.multiselect(
            text("partners_all", lang),
            partners,
            key="sc_t_partners",
            format_func=components.country_label,
            placeholder=many,
            select_all=False,
        )
        b.multiselect(
            text("except", lang),
            partners,
            key="sc_t_except",
            format_func=components.country_label,
            placeholder=many,
            select_all=False,
        )
        a.text_input(text("products_changed", lang), key="sc_t_products")
        b.text_input(text("scope", lang), key="sc_t_scope")
        a.multiselect(
            text("lists", lang), EXEMPTION_LISTS, key="sc_t_lists", placeholder=many, select_all=False
        )
        b.text_input(text("prefixes", lang), key="sc_t_prefixes")
        levels = {"hs10": text("level_hs10", lang), "hs6": text("level_hs6", lang)}
        a.selectbox(text("level", lang), LEVELS, key="sc_t_level", format_func=levels.__getitem__,
                    placeholder=i18n.t("choose_one", lang))  # fmt: skip
        b.checkbox(text("sigma_data", lang), key="sc_t_sigma_data")
        c, d, e, f = st.columns(4)
        c.number_input(text("sigma", lang), min_value=0.0, max_value=50.0, step=0.25, key="sc_t_sigma")
        d.number_input(text("supply", lang), min_value=0.1, step=1.0, key="sc_t_supply")
        e.checkbox(text("eta_data", lang), key="sc_t_eta_data")
        f.number_input(text("eta", lang), min_value=-50.0, max_value=-0.01, step=0.25, key="sc_t_eta")
        if several:
            st.caption(text("several", lang))
        st.form_submit_button(text("run_tariff", lang), on_click=on_submit)


def purchase_form(lang: str, *, on_submit: Callable[[], None]) -> None:
    """The purchase form: buyer, seller, year and the increase (USD billion, % of exports or the deficit)."""
    with st.form("sc_purchase_form"):
        st.text_input(text("name", lang), key="sc_p_name", max_chars=120)
        a, b, c = st.columns(3)
        a.text_input(text("buyer", lang), key="sc_p_buyer")
        b.text_input(text("seller", lang), key="sc_p_seller")
        c.number_input(text("year", lang), min_value=1960, max_value=2100, step=1, key="sc_p_year")
        modes = {"amount": text("usd_bn", lang), "percent": text("pct_exports", lang),
                 "close": text("close_deficit", lang)}  # fmt: skip
        a.radio(text("increase_as", lang), tuple(modes), key="sc_p_mode", horizontal=True,
                format_func=modes.__getitem__)  # fmt: skip
        b.number_input(text("increase", lang), min_value=0.0, step=0.5, key="sc_p_value")
        c.text_input(text("chapters", lang), key="sc_p_chapters")
        st.form_submit_button(text("run_purchase", lang), on_click=on_submit)


# ---- one result -------------------------------------------------------------------------------------------------


def show_focus(result: ScenarioResult, names: Mapping[str, str], lang: str) -> None:
    """Roses and coffee: 'who gains' only where someone does."""
    focus = summary.focus_summary(result, names, lang)
    st.markdown(f"**{focus.title}**")
    for line in (focus.gains, focus.losses):
        if line:
            st.caption(line)
    show_table(focus.table, lang, key="sc_tbl_focus_top")


def show_tariff(result: ScenarioResult, current: dict[str, Any], names: Mapping[str, str], lang: str) -> None:
    """A tariff scenario: Colombia's own result first, headline metrics, captions, roses and coffee, then one tab
    per view."""
    show_colombia([result], lang, current=True)
    totals = result.totals
    show_metrics(summary.tariff_metrics(totals, lang))
    switching, others = summary.split_notes(result.notes, lang)
    for note in switching:
        st.info(note)
    with components.details(text("details", lang)):  # the model's fine print, folded away
        st.caption(summary.tariff_caption(totals, lang))
        st.caption(text("coverage", lang) + summary.coverage_text(totals["elasticity_coverage"], lang))
        st.caption(others)
    show_focus(result, names, lang)
    labels = components.country_labels()
    tabs = st.tabs(tab_labels(lang))
    with tabs[0]:
        shown = view.focus_partners([result], [current])
        # Figures built once per database, scenario and language, shared by every session (read-only).
        fig = components.shared_figure(
            ("sc_partners", result.name, tuple(shown)), [result.by_partner],
            lambda: view.partner_panels([result], shown, labels, title=text("by_partner_title", lang),
                                                 x_title=text("x_change", lang), lang=lang),
        )  # fmt: skip
        components.show_figure(fig, filename="balanza-scenario-partners", key="sc_fig_partner", finished=True)
        show_table(
            result.by_partner.drop(columns=["partner_name"], errors="ignore"), lang, key="sc_tbl_partner"
        )
    spanish = shared_results.spanish_hs_names() if lang == "es" else None
    with tabs[1]:
        fig = components.shared_figure(
            ("sc_chapters",), [result.by_chapter], lambda: summary.chapter_figure(result.by_chapter, lang, spanish)
        )  # fmt: skip
        components.show_figure(fig, filename="balanza-scenario-chapters", key="sc_fig_chapter", finished=True)
        show_table(tables.chapter_table(result.by_chapter, lang, spanish), lang, key="sc_tbl_chapter")
    with tabs[2]:
        fig = components.shared_figure(
            ("sc_components",), [result.by_partner],
            lambda: summary.components_figure(result.by_partner, labels, lang),
        )  # fmt: skip
        components.show_figure(
            fig, filename="balanza-scenario-components", key="sc_fig_components", finished=True
        )
    with tabs[3]:
        show_effective_rates(result, lang)
    with tabs[4]:
        lines = tables.lines_table(result.top_lines, lang, spanish)
        show_table(lines, lang, key="sc_tbl_lines")
        st.caption(text("lines_note", lang, n=len(lines), rows=i18n.number(len(result.lines), lang, 0)))
        csv_button(
            colombia_first(result.lines),
            result.name,
            "balanza-scenario-lines.csv",
            "sc_dl_lines",
            lang,
            millions=False,
        )
    with tabs[5]:
        st.markdown(text("eq_intro", lang))
        for equation in EQUATIONS:
            st.latex(equation)
        st.markdown(text("eq_defaults", lang, eta=i18n.number(DEFAULT_IMPORT_DEMAND, lang, 2)))


def show_effective_rates(result: ScenarioResult, lang: str) -> None:
    """Effective tariff rate by partner before and after each action, before and after substitution."""
    rates = result.effective_rates
    if rates.empty:
        return
    st.write(text("rates_intro", lang))
    table = tables.effective_rates_table(rates, components.country_label, lang)
    show_table(table, lang, key="sc_tbl_rates", decimals=2)
    csv_button(rates, result.name, "balanza-scenario-effective-rates.csv", "sc_dl_rates", lang)


def show_purchase(result: ScenarioResult, names: Mapping[str, str], lang: str) -> None:
    """A purchase scenario: headline metrics, the model's notes, the chart and the year-by-year table."""
    show_metrics(summary.purchase_metrics(result.totals, lang))
    for note in model_text.notes_text(result.notes, lang, names):
        st.info(note)
    fig = summary.purchase_figure(result, names, lang)
    components.show_figure(fig, filename="balanza-scenario-purchase", key="sc_fig_purchase")
    with st.expander(text("p_history", lang)):
        show_table(pd.DataFrame(result.extra["history"]), lang, key="sc_tbl_history")


# ---- saved scenarios --------------------------------------------------------------------------------------------


def show_comparison(
    pairs: Sequence[tuple[dict[str, Any], ScenarioResult]], names: Mapping[str, str], lang: str
) -> None:
    """Saved scenarios compared like with like: a headline table per kind; for tariff scenarios a panel per
    scenario and the by-partner table."""
    for group in tables.comparison_groups(pairs, lang):
        st.markdown(f"**{group.heading}**")
        headlines = view.headline_table(group.results, lang)
        if group.kind == "tariff":  # Colombia's own result first
            columns = [str(c) for c in headlines.columns if c != "measure"]  # one per scenario, in order
            headlines = pd.concat(
                [colombia.headline_rows(group.results, lang, columns), headlines], ignore_index=True
            )
        headlines = _named(headlines, lang)  # the bundled presets by their name in the page's language
        show_table(headlines, lang, key=f"sc_tbl_headlines_{group.kind}", decimals=1)
        comparison_files(
            headlines, group.results, f"balanza-scenarios-{group.kind}.csv", f"sc_dl_cmp_{group.kind}", lang
        )
        if group.kind != "tariff":
            continue
        show_colombia(group.results, lang)
        shown = view.focus_partners(group.results, group.docs)
        components.show_figure(
            view.partner_panels(group.results, shown, components.country_labels(),
                                         title=text("cmp_chart", lang), x_title=text("x_change", lang), lang=lang),
            filename="balanza-scenario-comparison", key="sc_fig_compare",
        )  # fmt: skip
        with st.expander(text("cmp_table", lang)):
            show_table(
                _named(tables.partner_comparison_table(group.results, names), lang),
                lang,
                key="sc_tbl_compare",
            )


def _named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A comparison table whose headers name the scenarios: the bundled presets by their name in ``lang``."""
    return frame.rename(columns={c: model_text.with_preset_names(str(c), lang) for c in frame.columns})


def show_colombia(results: Sequence[ScenarioResult], lang: str, *, current: bool = False) -> None:
    """Colombia's exports to the US before and after each scenario, by product group, with its files
    (``current``: the one scenario on screen, at the top of its result, before the totals of all partners)."""
    table = colombia.colombia_table(results, lang)
    if table.empty:
        return
    suffix = "_current" if current else ""
    st.markdown(f"**{text('cur_colombia' if current else 'cmp_colombia', lang)}**")
    st.caption(plain(colombia.summary(results, lang)))  # scenario names from the link: text, never Markdown
    styler = components.shared_styler(
        ("scenario_colombia", lang), table, lambda: tables.display(table, lang, 1)
    )  # rendered once per distinct table, shared by every session
    st.dataframe(styler, hide_index=True, key=f"sc_tbl_colombia{suffix}", width="stretch")
    filename = "balanza-scenario-colombia.csv" if current else "balanza-scenarios-colombia.csv"
    comparison_files(table, results, filename, f"sc_dl_colombia{suffix}", lang)


def comparison_files(
    table: pd.DataFrame, results: Sequence[ScenarioResult], filename: str, key: str, lang: str
) -> None:
    """CSV and Excel of a comparison table as shown (USD million and % to one place)."""
    made_from = exports.provenance(results[0], lang)
    downloads.download_table(
        table.rename(columns={"measure": view.header("measure", lang)}), filename=filename, source=made_from.source,
        valuation=made_from.valuation, units=text("units_usd_m", lang), key=key,
        filters={"scenarios": [r.name for r in results]},
        decimals={c: 1 for c in table.columns if pd.api.types.is_float_dtype(table[c])},
    )  # fmt: skip


def show_saved(saved: Sequence[dict[str, Any]], lang: str, *, on_remove: Callable[[int], None]) -> None:
    """The saved scenarios in a row, each with its Remove button."""
    columns = st.columns(MAX_SAVED)
    for i, doc in enumerate(saved):
        with columns[i]:
            st.markdown(f"**{i + 1}.** {plain(model_text.preset_name(doc['name'], lang))}")
            st.button(text("remove", lang), key=f"sc_remove_{i}", on_click=on_remove, args=(i,))
