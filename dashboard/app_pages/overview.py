"""Overview: the latest balance with China, the US and the World, its change, a sparkline and its sources."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from dashboard import charts, components, downloads, i18n, queries, readout, url_state
from dashboard.i18n import t
from etl import record_balance
from etl.schema import CHINA, UNITED_STATES, WORLD

PARTNERS = [CHINA, UNITED_STATES, WORLD]
SPARKLINE_YEARS = 25

lang = components.lang()
st.title(t("page_overview", lang))
st.write(t("overview_intro", lang))

specs = [*components.view_specs(PARTNERS, PARTNERS)[1:], *components.unit_specs()]
url_state.init_state(specs, lang)
with st.expander(t("view", lang) + " · " + t("units", lang), expanded=False):
    view, factor = components.view_widgets()
    unit, base_year = components.unit_widgets()
url_state.sync_url(specs)
unit_text = components.unit_label(unit, base_year)

# The series of record (etl/record.py): the headline balance per partner and year, on a named basis.
wide = components.balances_for(view, PARTNERS, factor)
for measure in ("export", "import", "balance", "alt_balance", "est_balance"):
    wide[f"{measure}_value"] = components.in_units(wide, unit, base_year, value_column=measure)

# One year for every partner: the latest year in which all of them have a balance, so the cards compare
# like with like (a partner without that year says so instead of showing an older year beside newer ones).
with_balance = wide[wide["balance_value"].notna()]
present = [p for p in PARTNERS if p in set(with_balance["partner_iso3"])]
# Final figures first: a later year whose figures the publisher still calls provisional is named, not compared.
shared_year = (
    record_balance.latest_common_year(with_balance, present, value="balance_value", final_only=True)
    if present
    else None
)
latest_year = (
    record_balance.latest_common_year(with_balance, present, value="balance_value") if present else None
)
if shared_year is None:
    shared_year = latest_year
if shared_year is not None:
    st.caption(t("overview_same_year", lang, year=shared_year))
if latest_year is not None and shared_year is not None and latest_year > shared_year:
    st.caption(t("overview_provisional_later", lang, year=latest_year))


def change_text(latest: pd.Series, previous: pd.Series) -> str | None:
    """'+0.62 vs 2023' when both years' headlines are on one basis; else the change of the FOB estimate both
    years have, named so; None when there is no common basis."""
    year = int(latest["year"]) - 1
    if latest["basis"] == previous["basis"]:
        change = latest["balance_value"] - previous["balance_value"]
        return f"{i18n.signed(change, lang)} " + t("vs_year", lang, year=year)
    if pd.notna(latest["est_balance_value"]) and pd.notna(previous["est_balance_value"]):
        change = latest["est_balance_value"] - previous["est_balance_value"]
        return f"{i18n.signed(change, lang)} " + t("vs_year_estimated", lang, year=year)
    return None


rows = []
columns = st.columns(len(PARTNERS))
for column, partner in zip(columns, PARTNERS, strict=True):
    series = with_balance[with_balance["partner_iso3"] == partner].sort_values("year")
    if shared_year is not None:
        series = series[series["year"] <= shared_year]
    if not series.empty:  # the sparkline covers the last 25 years up to the compared year
        series = series[series["year"] > series["year"].max() - SPARKLINE_YEARS]
    with column:
        if series.empty:
            st.metric(components.country_label(partner), "—")
            st.caption(t("no_balance", lang, partner=components.country_label(partner)))
            continue
        latest = series.iloc[-1]
        previous = series[series["year"] == latest["year"] - 1]
        delta = None
        if not previous.empty:  # a change on one basis: the headline's, else the estimate both years have
            delta = change_text(latest, previous.iloc[0])
        st.metric(
            t("latest_balance", lang, partner=components.country_label(partner), year=int(latest["year"])),
            readout.headline(latest["balance_value"], unit, lang),
            delta=delta,
            help=unit_text,
        )
        # One sentence under the number; the basis, publishers and alternative folded away below the sparkline.
        components.takeaway(
            readout.balance_sentence(
                partner, components.country_names().get(partner, partner), latest["balance_value"],
                year=int(latest["year"]), unit=unit, base_year=base_year, lang=lang,
                trade=(latest["export_value"] or 0) + (latest["import_value"] or 0),
            )
        )  # fmt: skip
        spark = components.shared_figure(  # built once per database and data, shared (read-only)
            ("sparkline",), [series], functools.partial(charts.sparkline_chart, series, y="balance_value")
        )
        components.show_figure(
            spark, filename=f"balanza-balance-{partner}", key=f"spark_{partner}", finished=True
        )
        with components.details():
            st.caption(unit_text)
            st.caption(
                t(
                    "balance_basis",
                    lang,
                    basis=i18n.record_text(latest["basis_label"], lang),
                    publisher=i18n.record_text(latest["balance_publisher"], lang),
                )
            )
            if pd.notna(latest["alt_balance_value"]):
                st.caption(
                    t(
                        "balance_alternative",
                        lang,
                        basis=i18n.record_text(latest["alt_basis_label"], lang),
                        value=i18n.number(latest["alt_balance_value"], lang),
                    )
                )
            st.caption(
                t(
                    "sources_of",
                    lang,
                    export=i18n.record_text(latest["export_publisher"] or "—", lang),
                    import_=i18n.record_text(latest["import_publisher"] or "—", lang),
                )
            )
            if delta and delta.endswith(t("vs_year_estimated", lang, year=int(latest["year"]) - 1)):
                st.caption(t("change_estimated", lang))  # why the change is on the estimate, not the headline
            gaps = charts.missing_years(series.assign(key=partner), ["key"], "balance_value")
            if gaps:
                st.caption(
                    t(
                        "missing_years",
                        lang,
                        series=components.country_label(partner),
                        years=charts.format_years(gaps[(partner,)]),
                    )
                )
        rows.append(latest)

with components.details(t("how_chosen", lang)):
    st.caption(t("selection_rule", lang))

if rows:
    table = (
        wide.loc[[r.name for r in rows]][
            [
                "partner_iso3",
                "year",
                "export_value",
                "import_value",
                "balance_value",
                "basis_label",
                "balance_publisher",
                "alt_balance_value",
                "alt_basis_label",
                "export_publisher",
                "import_publisher",
                "export_valuation",
                "import_valuation",
                "caveat",
            ]
        ]
        .rename(
            columns={
                "export_value": "export",
                "import_value": "import",
                "balance_value": "balance",
                "alt_balance_value": "alt_balance",
            }
        )
        .reset_index(drop=True)
    )
    table["year"] = table["year"].astype("int64")
    for text_column in (
        "basis_label",
        "balance_publisher",
        "alt_basis_label",
        "export_publisher",
        "import_publisher",
    ):
        table[text_column] = table[text_column].map(lambda v: i18n.record_text(v, lang) if v else "")
    caveats = table["caveat"]  # a short flag in the cell, the reasons under the table
    table["caveat"] = caveats.map(lambda v: i18n.flag_short(v, lang))
    value_units = {m: unit_text for m in ("export", "import", "balance", "alt_balance")}
    # the table puts CIF imports beside FOB/FOB balances: said where the reader sees them
    if cif_note := readout.cif_fob_note(
        wide.loc[[r.name for r in rows]], components.country_names(), lang, factor
    ):
        st.caption(cif_note)
    components.show_table(table, units=value_units)
    components.flag_caption(caveats)
    downloads.download_table(
        components.with_flag_notes(table, caveats),
        column_units=value_units,
        filename="balanza-overview.csv",
        source="; ".join(
            dict.fromkeys(
                [
                    *table["export_publisher"].dropna(),
                    *table["import_publisher"].dropna(),
                    *table["balance_publisher"].dropna(),
                ]
            )
        )
        or "—",
        valuation=t("valuation_overview", lang),
        units=unit_text,
        filters={
            "view": view,
            "factor": factor if view == queries.RECONCILED_VIEW else "",
            "unit": unit,
            "base": base_year if unit == "constant" else "",
        },
    )
else:
    st.info(t("no_data", lang))
    downloads.download_table(
        wide.head(0),
        filename="balanza-overview.csv",
        source="—",
        valuation="—",
        units=unit_text,
        filters={"view": view},
    )

components.page_links("overview")
