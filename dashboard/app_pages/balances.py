"""Balances: exports, imports and balance over time; the total balance split into China, the United States
and the rest of the world; reporter vs mirror. Every time chart follows one year range kept in the URL."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import (
    balance_split,
    charts,
    claims,
    claims_charts,
    components,
    downloads,
    i18n,
    queries,
    readout,
    shared_results,
    time_charts,
    units,
    url_state,
)
from dashboard.i18n import t
from etl import record_balance
from etl.schema import CHINA, UNITED_STATES, WORLD

DEFAULT_PARTNERS = [CHINA, UNITED_STATES, WORLD]

lang = components.lang()
labels = components.country_labels()


def label_of(iso3: str) -> str:
    return labels.get(iso3, iso3)


st.title(t("page_balances", lang))

partner_choices = components.query_total_partners()
specs = [*components.view_specs(partner_choices, DEFAULT_PARTNERS), *components.unit_specs()]
url_state.init_state(specs, lang)
left, middle, right = st.columns([2, 2, 2])
partners = left.multiselect(
    t("partners", lang), partner_choices, key="partners", format_func=label_of,
    placeholder=t("choose_many", lang), select_all=False,
)  # fmt: skip
with middle:
    view, factor = components.view_widgets()
with right:
    unit, base_year = components.unit_widgets()
url_state.sync_url(specs)
unit_text = components.unit_label(unit, base_year)
measure_names = {m: t(m, lang) for m in ("export", "import", "balance")}

# The series of record (etl/record.py): exports, imports and the headline balance, each with its publisher; the
# balance on a named, valuation-consistent basis.
wide = components.balances_for(view, partners, factor)
all_years = sorted({int(y) for y in wide["year"]}) or [time_charts.DEFAULT_FIRST_YEAR]
year_from, year_to = time_charts.year_range_widget(all_years[0], all_years[-1])
wide = wide[wide["year"].between(year_from, year_to)]
# The takeaway: each partner's balance in the latest year whose figures are final for all of them.
with_balance = wide[wide["balance"].notna()]
present = [p for p in partners if p in set(with_balance["partner_iso3"])]
lead_year = (
    record_balance.latest_common_year(with_balance, present, value="balance", final_only=True)
    if present
    else None
)
if lead_year is not None:
    names = components.country_names()
    components.takeaway(" ".join(  # in USD billions, the unit the sentence reads
        readout.balance_sentence(p, names.get(p, p), float(row["balance"]) / units.BILLION, year=int(lead_year),
                                 unit=units.NOMINAL, base_year=None, lang=lang,
                                 trade=(float(row["export"] or 0) + float(row["import"] or 0)) / units.BILLION)
        for p in present
        for _, row in with_balance[(with_balance["partner_iso3"] == p) & (with_balance["year"] == lead_year)].iterrows()
    ))  # fmt: skip
# queries.long_measures of the balances, shared (read-only), in the years shown: a frame of the page's own
long = shared_results.long_balances(view, tuple(partners), factor)
long = long[long["year"].between(year_from, year_to)].reset_index(drop=True)
long["value"] = components.in_units(long, unit, base_year)
long["partner"] = long["partner_iso3"].map(label_of)
long["measure_label"] = long["measure"].map(measure_names)
long["publisher_shown"] = long["publisher"].map(
    lambda v: i18n.record_text(v, lang)
)  # the tooltip's publisher
hover = {"publisher_shown": i18n.column("publisher", lang)}

if long.empty:
    st.info(t("no_data", lang))
else:

    def balances_figure() -> go.Figure:
        fig = charts.line_chart(
            long,
            y="value",
            color="partner",
            facet_row="measure_label",
            title=t("balances_title", lang),
            y_title=unit_text,
            footnote=components.footnote(long),
            hover=hover,
            x_title=t("year", lang),
        )
        if unit == units.NOMINAL and CHINA in partners:  # claim 1 is in nominal dollars
            claims_charts.add_claim_annotations(
                fig,
                claims.read_claims(),
                usd_per_unit=units.BILLION,
                facet_label=measure_names["balance"],
                lang=lang,
            )
        return time_charts.finish_time_chart(fig, long, unit, year_from, year_to)

    # Built once per database, choices and data, shared by every session showing the same chart.
    fig = components.shared_figure(
        ("balances", unit, base_year, CHINA in partners, year_from, year_to), [long], balances_figure
    )
    components.show_figure(fig, filename="balanza-balances", key="balances_chart", finished=True)
    # Said where the reader sees CIF imports beside a FOB/FOB balance: exports − imports is not that balance.
    if cif_note := readout.cif_fob_note(wide, components.country_names(), lang, factor):
        st.info(cif_note, icon=":material/calculate:")
    components.gap_notes(long, ["partner", "measure_label"], "value", lambda key: " · ".join(key))

table = long[["partner_iso3", "year", "measure", "value", "value_usd", "publisher", "valuation", "flag"]]
table = table.sort_values(["partner_iso3", "measure", "year"]).reset_index(drop=True)
table["measure"] = table["measure"].map(measure_names)
table["publisher"] = table["publisher"].map(lambda v: i18n.record_text(v, lang))
table["valuation"] = table["valuation"].map(lambda v: i18n.record_text(v, lang))
caveats = table["flag"]  # the records' caveats: a short flag in the cell, the reasons under the table
table["flag"] = caveats.map(lambda v: i18n.flag_short(v, lang))
table_units = {"value": unit_text}
st.subheader(t("table", lang))
components.show_table(table, units=table_units, decimals={"value_usd": 0})
components.flag_caption(caveats)
downloads.download_table(
    components.with_flag_notes(table, caveats),
    column_units=table_units,
    decimals={"value_usd": 0},
    filename="balanza-balances.csv",
    source=components.source_summary(long),
    valuation=t("per_row", lang),
    units=unit_text,
    filters={
        "partners": partners,
        "view": view,
        "factor": factor if view == queries.RECONCILED_VIEW else "",
        "unit": unit,
        "base": base_year if unit == "constant" else "",
        "yr": f"{year_from}-{year_to}",
    },
)

# The total balance split into China, the United States and the rest of the world (Colombia's own figures:
# the World does not report). Stays meaningful in surplus years, unlike a share of a total that changes sign.
st.subheader(t("split_title", lang))
split_wide = components.balances_for(queries.REPORTER_VIEW, list(balance_split.PARTS), factor)
split_wide = split_wide[split_wide["year"].between(year_from, year_to)].copy()
split_totals = shared_results.long_balances(queries.REPORTER_VIEW, tuple(balance_split.PARTS), factor)
split_totals = split_totals[split_totals["year"].between(year_from, year_to)].reset_index(drop=True)
split_wide["value"] = components.in_units(split_wide, unit, base_year, value_column="balance")
split = balance_split.split(split_wide, value="value")
part_names = {
    CHINA: components.country_names().get(CHINA, CHINA),
    UNITED_STATES: components.country_names().get(UNITED_STATES, UNITED_STATES),
    "rest": t("rest_of_world", lang),
}
if split.empty:
    st.info(t("split_none", lang, years=f"{year_from}–{year_to}"))
else:
    complete = split.dropna(subset=[CHINA, UNITED_STATES, "rest"])
    split_long = split_wide.assign(measure="balance", value_usd=split_wide["balance"])

    def split_figure() -> go.Figure:
        fig = charts.balance_split_chart(
            split,
            parts=[
                (CHINA, part_names[CHINA]),
                (UNITED_STATES, part_names[UNITED_STATES]),
                ("rest", part_names["rest"]),
            ],
            total_column="total",
            total_name=t("total_balance", lang),
            title=t("split_title", lang),
            y_title=unit_text,
            footnote=components.footnote(split_totals, t("split_note", lang)),
            x_title=t("year", lang),
        )
        if unit == units.NOMINAL:
            claims_charts.add_claim_annotations(
                fig, claims.read_claims(), usd_per_unit=units.BILLION, lang=lang
            )
        return time_charts.finish_time_chart(fig, split_long, unit, year_from, year_to)

    fig = components.shared_figure(
        ("balance_split", unit, base_year, year_from, year_to),
        [split, split_totals, split_long],
        split_figure,
    )
    components.show_figure(fig, filename="balanza-balance-split", key="split_chart", finished=True)
    partial = sorted(set(split["year"].astype(int)) - set(complete["year"].astype(int)))
    if partial:
        st.caption(t("split_partial", lang, years=charts.format_years(partial)))

# Reporter vs mirror: both records for each partner that reports (the World does not).
st.subheader(t("gap_title", lang))
with components.details(t("gap_why", lang)):
    st.caption(t("gap_explanation", lang))
mirror_view = queries.RECONCILED_VIEW if view == queries.RECONCILED_VIEW else queries.MIRROR_VIEW
reporting = [p for p in partners if p != WORLD]
records = pd.concat(
    [
        components.totals_for(queries.REPORTER_VIEW, reporting, factor).assign(
            record=t("as_reported_by_col", lang)
        ),
        components.totals_for(mirror_view, reporting, factor).assign(
            record=t("as_reported_by_partner", lang)
        ),
    ],
    ignore_index=True,
)
records = records[records["year"].between(year_from, year_to)].copy()
if records.empty:
    st.info(t("no_data", lang) if reporting else t("gap_needs_partner", lang))
else:
    records["value"] = components.in_units(records, unit, base_year)
    records["partner"] = records["partner_iso3"].map(label_of)
    records["flow_label"] = records["flow"].map(measure_names)
    records["publisher_shown"] = records["publisher"].map(lambda v: i18n.record_text(v, lang))

    def gap_figure() -> go.Figure:
        fig = charts.line_chart(
            records,
            y="value",
            color="partner",
            dash="record",
            facet_row="flow_label",
            title=t("gap_title", lang),
            y_title=unit_text,
            footnote=components.footnote(records),
            hover={**hover, "valuation": i18n.column("valuation", lang)},
            x_title=t("year", lang),
        )
        return time_charts.finish_time_chart(fig, records, unit, year_from, year_to)

    fig = components.shared_figure(
        ("balance_gap", unit, base_year, year_from, year_to), [records], gap_figure
    )
    components.show_figure(fig, filename="balanza-reporter-vs-mirror", key="gap_chart", finished=True)

components.page_links("balances")
