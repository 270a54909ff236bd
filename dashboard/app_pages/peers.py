"""Peers: Colombia beside Argentina, Brazil, Chile, Ecuador, Mexico and Peru — the shares of their trade with China
and the United States, their balance with China, the year China overtook the US, and what the partners report.

Its own page rather than a part of Dependence: Dependence is Colombia's shares with any partner it chooses; here
the reporter varies and the partners are fixed, with a ranking, small multiples and mirror checks of its own.
Everything it computes is in ``dashboard/peers.py`` (pure, tested without Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, components, downloads, i18n, peer_charts, peers, time_charts, units, url_state
from dashboard.i18n import t
from etl import settings
from etl.schema import BILLION, CHINA, MILLION, UNITED_STATES

lang = components.lang()
names = components.country_names()
FACTOR = settings.CIF_FOB_FACTOR_IMF
COLOURS = {CHINA: charts.VERMILLION, UNITED_STATES: charts.BLUE}

query_indicators = components.cached_query(peers.query_peer_indicators)
query_vintage_gaps = components.cached_query(peers.query_vintage_gaps)
query_mirror_pairs = components.cached_query(peers.query_mirror_pairs)
query_mirror_overview = components.cached_query(peers.query_mirror_overview)


def name_of(iso3: str) -> str:
    return names.get(iso3, iso3)


def indicator_name(indicator: str) -> str:
    return i18n.column(indicator, lang)


def pct(value: float) -> str:
    return i18n.percent(value, lang)


st.title(t("peers_title", lang))
st.caption(t("peers_intro", lang))

indicators = query_indicators(reporters=list(peers.PEERS))  # the record's CIF/FOB rule for the balances
years = sorted({int(y) for y in indicators["year"]}) or [peers.LAST_YEAR]
SPECS = [
    url_state.Param("peers", url_state.MULTI, list(peers.PEERS), peers.PEERS),
    url_state.Param("measure", url_state.CHOICE, peers.MEASURES[0], peers.MEASURES),
    url_state.Param("year", url_state.CHOICE, years[-1], tuple(years)),
    url_state.Param("rank", url_state.CHOICE, peers.INDICATORS[0], peers.INDICATORS),
    url_state.Param("mirror", url_state.CHOICE, "BRA", peers.PEERS),
    url_state.Param("mpartner", url_state.CHOICE, CHINA, peers.COUNTERPARTS),
]
url_state.init_state(SPECS, lang)
left, right = st.columns([3, 2])
chosen = left.multiselect(
    t("countries", lang), peers.PEERS, key="peers", format_func=name_of,
    placeholder=t("choose_many", lang), select_all=False,
)  # fmt: skip
measure = right.radio(
    t("peers_show", lang),
    peers.MEASURES,
    key="measure",
    format_func=lambda m: t(f"peers_measure_{m}", lang),
    horizontal=True,
)
url_state.sync_url(SPECS[:2])
year_from, year_to = time_charts.year_range_widget(years[0], years[-1])
shown = [p for p in peers.PEERS if p in chosen]
in_range = indicators[
    indicators["reporter_iso3"].isin(shown) & indicators["year"].between(year_from, year_to)
]

# ---- small multiples: one panel per country, one scale ---------------------------------------------------------
wanted = [peers.BALANCE] if measure == "balance" else [f"{measure}_chn", f"{measure}_usa"]
series = in_range[in_range["indicator"].isin(wanted)].copy()
series["country"] = series["reporter_iso3"].map(name_of)
partner_of = {f"{measure}_chn": CHINA, f"{measure}_usa": UNITED_STATES}
series["series"] = [
    t("peers_balance_series", lang) if i == peers.BALANCE else name_of(partner_of[i])
    for i in series["indicator"]
]
colours = {name_of(code): colour for code, colour in COLOURS.items()}
colours[t("peers_balance_series", lang)] = charts.VERMILLION


def vintage_markers(frame: pd.DataFrame) -> list[tuple[float, str]]:
    """Where the IMF's later vintage takes over from the workbooks within the years shown."""
    later = [
        int(y) for y, s in zip(frame["year"], frame["source"], strict=True) if "imf_dots_dbnomics" in str(s)
    ]
    earlier = [
        int(y)
        for y, s in zip(frame["year"], frame["source"], strict=True)
        if "imf_dots" in str(s).split(" / ") and "imf_dots_dbnomics" not in str(s)
    ]
    if not later or not earlier or min(later) <= min(earlier):
        return []
    return [(min(later) - 0.5, t("peers_marker_vintage", lang, year=min(later)))]


if series.empty:
    st.info(t("no_data", lang))
else:
    note = t("peers_chart_note_balance", lang) if measure == "balance" else t("peers_chart_note_share", lang)

    def multiples_figure() -> go.Figure:
        markers = vintage_markers(series) + time_charts.break_markers(
            series, units.NOMINAL, year_from, year_to
        )
        return peer_charts.small_multiples(
            series,
            panel="country",
            color="series",
            y="value_pct",
            title=t(f"peers_chart_{measure}", lang),
            y_title=t("peers_axis_balance" if measure == "balance" else "peers_axis_share", lang),
            x_title=t("year", lang),
            footnote=components.footnote(series, note),
            colours=colours,
            panels=[name_of(p) for p in shown],
            year_range=(year_from, year_to),
            markers=markers,
        )

    fig = components.shared_figure(
        ("peers", measure, tuple(shown), year_from, year_to), [series], multiples_figure
    )
    components.show_figure(fig, filename=f"balanza-peers-{measure}", key="peers_chart", finished=True)
    components.gap_notes(series, ["country", "series"], "value_pct", lambda key: " · ".join(key))

# ---- what the figures rest on: vintages, publishers, provisional years ----------------------------------------
gaps = query_vintage_gaps(reporters=list(peers.PEERS))
gaps = gaps[gaps["reporter_iso3"].isin(shown) & (gaps["largest_gap_pct"].abs() >= 5.0)]
if not gaps.empty:
    items = "; ".join(
        t(
            "peers_vintage_item",
            lang,
            country=name_of(str(r["reporter_iso3"])),
            series=f"{i18n.flow(str(r['flow']), lang).lower()} · {name_of(str(r['partner_iso3']))}",
            gap=i18n.signed(float(r["largest_gap_pct"]), lang, 1) + " %",
            year=r["largest_gap_year"],
        )
        for r in gaps.to_dict("records")
    )
    overlap = str(gaps["years"].iloc[0])
    st.caption(t("peers_vintage_note", lang, years=overlap, year=overlap.split("–")[0], items=items))
if "PER" in shown:
    world = indicators[(indicators["reporter_iso3"] == "PER") & (indicators["indicator"] == "import_chn")]
    by_year = dict(zip(world["year"].astype(int), world["denominator_usd"], strict=True))
    if {2019, 2021, 2022} <= set(by_year):
        amounts = {f"y{year}": i18n.money(by_year[year], lang) for year in (2019, 2021, 2022)}
        st.caption(t("peers_peru_note", lang, **amounts))
st.caption(t("peers_publishers_note", lang))
provisional = in_range[in_range["provisional"].astype(bool)]
if not provisional.empty:
    items = "; ".join(
        f"{name_of(str(r))} ({charts.format_years(sorted({int(y) for y in g['year']}))})"
        for r, g in provisional.groupby("reporter_iso3", sort=True)
    )
    st.caption(t("peers_provisional_note", lang, items=items))

# ---- the year China overtook the US --------------------------------------------------------------------------
st.subheader(t("peers_overtaking_title", lang))
st.caption(t("peers_overtaking_note", lang))
overtaken = peers.overtaking(indicators[indicators["reporter_iso3"].isin(shown)])


def status(row: pd.Series) -> str:
    if pd.notna(row["overtaken_year"]):
        text = t("peers_status_overtook", lang, year=int(row["overtaken_year"]))
        if int(row["overtaken_year"]) - int(row["us_last_ahead"]) > 1:
            text += " " + t(
                "peers_status_gap", lang, before=int(row["us_last_ahead"]), year=int(row["overtaken_year"])
            )
        if not row["china_ahead_last"]:
            text += "; " + t("peers_status_us_again", lang, year=int(row["last_year"]))
        return text
    if row["china_ahead_first"] and row["china_ahead_last"]:
        return t(
            "peers_status_china_throughout", lang, first=int(row["first_year"]), last=int(row["last_year"])
        )
    if row["china_ahead_first"]:
        return t("peers_status_china_then_us", lang, first=int(row["first_year"]), last=int(row["last_year"]))
    return t("peers_status_never", lang, first=int(row["first_year"]), last=int(row["last_year"]))


overtaking_table = pd.DataFrame(
    {
        "reporter_iso3": overtaken["reporter_iso3"],
        "country": overtaken["reporter_iso3"].map(name_of),
        "flow": overtaken["flow"].map(lambda f: i18n.flow(f, lang)),
        "overtaken_year": overtaken["overtaken_year"],
        "status": [status(r) for _, r in overtaken.iterrows()],
        "last_year": overtaken["last_year"],
        "china_share_last": overtaken["china_share_last"],
        "us_share_last": overtaken["us_share_last"],
    }
)
components.show_table(
    overtaking_table, decimals={"china_share_last": 1, "us_share_last": 1}, key="overtaking"
)

# ---- ranking for a chosen year ----------------------------------------------------------------------------------
year_col, rank_col = st.columns(2)
year = year_col.selectbox(
    t("peers_ranking_year", lang), years[::-1], key="year", placeholder=t("choose_one", lang)
)
rank_by = rank_col.selectbox(
    t("peers_rank_by", lang), peers.INDICATORS, key="rank", format_func=indicator_name,
    placeholder=t("choose_one", lang),
)  # fmt: skip
url_state.sync_url(SPECS[2:4])
st.subheader(t("peers_ranking_title", lang, year=year))
ranked = peers.ranking(indicators, int(year), rank_by, shown)
ranked.insert(2, "country", ranked["reporter_iso3"].map(name_of))
ranked["source"] = components.publisher_column(ranked)
components.show_table(ranked, decimals={i: 1 for i in peers.INDICATORS}, key="ranking")
flagged = ranked.loc[ranked["provisional"], "country"].tolist()
if flagged:
    st.caption(t("peers_ranking_provisional", lang, year=year, countries=", ".join(flagged)))
filters = {"peers": shown, "measure": measure, "yr": f"{year_from}-{year_to}"}
downloads.download_table(
    components.localized(ranked),
    filename=f"balanza-peers-ranking-{year}.csv",
    source=components.source_summary(ranked),
    valuation=t("per_row", lang),
    units="%",
    filters={**filters, "year": year, "rank": rank_by},
    key="ranking_csv",
    decimals={i: 1 for i in peers.INDICATORS},
)

# ---- every value ------------------------------------------------------------------------------------------------
st.subheader(t("peers_table_title", lang))
table = in_range[
    ["reporter_iso3", "indicator", "year", "value_pct", "numerator_usd", "denominator_usd", "basis",
     "numerator_publisher", "denominator_publisher", "provisional", "source"]
].copy()  # fmt: skip
table.insert(1, "country", table["reporter_iso3"].map(name_of))
table["indicator"] = table["indicator"].map(indicator_name)
for column in ("basis", "numerator_publisher", "denominator_publisher"):
    table[column] = table[column].map(lambda text: i18n.record_text(text, lang))
table["source"] = components.publisher_column(table)
table = table.reset_index(drop=True)
components.show_table(
    table, decimals={"value_pct": 1, "numerator_usd": 0, "denominator_usd": 0}, key="peers_all"
)
downloads.download_table(
    components.localized(table),
    filename="balanza-peers.csv",
    source=components.source_summary(in_range),
    valuation=t("per_row", lang),
    units=t("peers_units", lang),
    filters=filters,
    key="peers_csv",
    decimals={"value_pct": 1, "numerator_usd": 0, "denominator_usd": 0},
)

# ---- mirror checks ------------------------------------------------------------------------------------------------
st.subheader(t("peers_mirror_title", lang))
st.caption(t("peers_mirror_intro", lang))
st.caption(t("gap_explanation", lang))
st.caption(t("peers_mirror_overview", lang, factor=i18n.number(FACTOR, lang)))
overview = query_mirror_overview(reporters=list(peers.PEERS), factor=FACTOR)
overview = overview[overview["reporter_iso3"].isin(shown)].reset_index(drop=True)
overview_table = pd.DataFrame(
    {
        "reporter_iso3": overview["reporter_iso3"],
        "country": overview["reporter_iso3"].map(name_of),
        "partner": overview["partner_iso3"].map(name_of),
        "flow": overview["flow"].map(lambda f: t(f"peers_mirror_flow_short_{f}", lang)),
        "years_compared": overview["year_list"],
        "median_gap_pct": overview["gap_pct"],
        "median_gap_fob_pct": overview["gap_fob_pct"],
    }
)
components.show_table(
    overview_table, decimals={"median_gap_pct": 1, "median_gap_fob_pct": 1}, key="mirror_overview"
)
downloads.download_table(
    components.localized(overview_table),
    filename="balanza-peers-mirror-overview.csv",
    source=t("peers_mirror_title", lang),
    valuation=t("per_row", lang),
    units="%",
    filters={"peers": shown},
    key="mirror_overview_csv",
    decimals={"median_gap_pct": 1, "median_gap_fob_pct": 1},
)
country_col, partner_col = st.columns(2)
mirror_country = country_col.selectbox(
    t("peers_mirror_country", lang), peers.PEERS, key="mirror", format_func=name_of,
    placeholder=t("choose_one", lang),
)  # fmt: skip
mirror_partner = partner_col.radio(
    t("partner", lang), peers.COUNTERPARTS, key="mpartner", format_func=name_of, horizontal=True
)
url_state.sync_url(SPECS[4:])
pairs = query_mirror_pairs(reporter=mirror_country, partner=mirror_partner)
comparison = peers.mirror_comparison(pairs, FACTOR)
comparison = comparison[comparison["year"].between(year_from, year_to)].reset_index(drop=True)
country_name, partner_name = name_of(mirror_country), name_of(mirror_partner)
if comparison.empty:
    st.info(t("peers_mirror_none", lang, country=country_name, partner=partner_name))
else:
    flow_names = {
        flow: t(f"peers_mirror_flow_{flow}", lang, country=country_name, partner=partner_name)
        for flow in peers.FLOWS
    }
    sides = pd.concat(
        [
            comparison.assign(
                value=comparison["reporter_usd"] / BILLION,
                side=t("peers_reported_by", lang, country=country_name),
                source=comparison["reporter_source"],
                valuation=comparison["reporter_valuation"],
            ),
            comparison.assign(
                value=comparison["partner_usd"] / BILLION,
                side=t("peers_reported_by", lang, country=partner_name),
                source=comparison["partner_source"],
                valuation=comparison["partner_valuation"],
            ),
        ],
        ignore_index=True,
    )
    # short panel names (a 400-pixel screen); the table's flow column says whose imports they are
    sides["flow_label"] = sides["flow"].map(
        lambda f: t(f"peers_mirror_panel_{f}", lang, country=country_name)
    )

    def mirror_figure() -> go.Figure:
        fig = charts.line_chart(
            sides[["year", "value", "side", "flow_label", "source", "valuation", "provisional"]].assign(
                publisher_shown=components.publisher_column(
                    sides
                )  # the tooltip names the publisher, not its code
            ),
            y="value",
            color="side",
            facet_row="flow_label",
            title=t("peers_mirror_chart", lang, country=country_name, partner=partner_name),
            y_title=t("peers_mirror_axis", lang),
            footnote=components.footnote(sides),
            hover={
                "publisher_shown": i18n.column("publisher", lang),
                "valuation": i18n.column("valuation", lang),
            },
            x_title=t("year", lang),
        )
        return time_charts.finish_time_chart(fig, sides, units.NOMINAL, year_from, year_to)

    fig = components.shared_figure(
        ("peers_mirror", mirror_country, mirror_partner, year_from, year_to), [sides], mirror_figure
    )
    components.show_figure(fig, filename="balanza-peers-mirror", key="peers_mirror_chart", finished=True)
    for row in peers.mirror_summary(comparison).to_dict("records"):
        st.caption(
            t(
                "peers_mirror_summary",
                lang,
                flow=flow_names[str(row["flow"])],
                country=country_name,
                partner=partner_name,
                gap=i18n.signed(float(row["gap_pct"]), lang, 1) + " %",
                gap_fob=i18n.signed(float(row["gap_fob_pct"]), lang, 1) + " %",
                factor=i18n.number(FACTOR, lang),
                years=row["year_list"],
            )
        )
    mirror_table = comparison[
        ["flow", "year", "reporter_usd", "reporter_valuation", "reporter_publisher", "partner_usd",
         "partner_valuation", "partner_publisher", "gap_pct", "gap_fob_pct", "provisional"]
    ].copy()  # fmt: skip
    mirror_table["flow"] = mirror_table["flow"].map(flow_names)
    for column in ("reporter_usd", "partner_usd"):
        mirror_table[column] = mirror_table[column] / MILLION
    for column in ("reporter_publisher", "partner_publisher"):
        mirror_table[column] = mirror_table[column].map(lambda text: i18n.record_text(text, lang))
    money_units = {"reporter_usd": t("usd_m", lang), "partner_usd": t("usd_m", lang)}
    components.show_table(
        mirror_table, units=money_units, decimals={"gap_pct": 1, "gap_fob_pct": 1}, key="mirror"
    )
    downloads.download_table(
        components.localized(mirror_table, money_units),
        filename=f"balanza-peers-mirror-{mirror_country}-{mirror_partner}.csv",
        source=components.source_summary(sides),
        valuation=t("per_row", lang),
        units=t("usd_m", lang),
        filters={"mirror": mirror_country, "mpartner": mirror_partner, "yr": f"{year_from}-{year_to}"},
        key="mirror_csv",
        decimals={"gap_pct": 1, "gap_fob_pct": 1},
    )

components.page_links("peers")
