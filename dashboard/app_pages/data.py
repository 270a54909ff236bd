"""Data: pick source, reporter, partner, flow, HS level and years; see the rows; download them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import charts, components, downloads, i18n, url_state
from dashboard.i18n import t
from etl.schema import BILLION, CHINA, COLOMBIA

ROW_LIMIT = 5000
DEFAULTS = {"source": "imf_dots", "reporter": COLOMBIA, "partner": CHINA, "flow": "export", "level": 0}

lang = components.lang()
labels = components.country_labels()


def label_of(iso3: str) -> str:
    return labels.get(iso3, iso3)


st.title(t("page_data", lang))

options = components.query_data_options()
if options.empty:
    st.info(t("no_data", lang))
    st.stop()

# Each choice narrows the next one's options to combinations that exist.
columns = st.columns(5)
cascade: list[tuple[str, str, str, Callable[[Any], str]]] = [
    ("source", "source", t("source", lang), lambda v: i18n.publisher(v, lang)),
    ("reporter", "reporter_iso3", t("reporter", lang), label_of),
    ("partner", "partner_iso3", t("partner", lang), label_of),
    ("flow", "flow", t("flow", lang), lambda f: t(f, lang) if f in ("export", "import") else f),
    ("level", "hs_level", t("hs_level", lang), str),
]
specs: list[url_state.Param] = []
remaining = options
chosen: dict[str, object] = {}
for column, (name, field, label, formatter) in zip(columns, cascade, strict=True):
    choices = tuple(sorted({int(v) if name == "level" else str(v) for v in remaining[field]}))
    default = DEFAULTS[name] if DEFAULTS[name] in choices else choices[0]
    spec = url_state.Param(name, url_state.CHOICE, default, choices)
    specs.append(spec)
    url_state.init_state([spec], lang)
    chosen[name] = column.selectbox(
        label, choices, key=name, format_func=formatter, placeholder=t("choose_one", lang)
    )
    remaining = remaining[remaining[field] == chosen[name]]

year_min, year_max = int(remaining["year_min"].min()), int(remaining["year_max"].max())
year_specs = [
    url_state.Param("from", url_state.INT, year_min, minimum=year_min, maximum=year_max),
    url_state.Param("to", url_state.INT, year_max, minimum=year_min, maximum=year_max),
]
url_state.init_state(year_specs, lang)
for key, fallback in (("from", year_min), ("to", year_max)):
    if not year_min <= st.session_state[key] <= year_max:
        st.session_state[key] = fallback  # the series changed under the kept years
if year_min < year_max:
    left, right = st.columns(2)
    left.number_input(t("years", lang) + " ≥", min_value=year_min, max_value=year_max, step=1, key="from")
    right.number_input(t("years", lang) + " ≤", min_value=year_min, max_value=year_max, step=1, key="to")
year_from, year_to = int(st.session_state["from"]), int(st.session_state["to"])
url_state.sync_url([*specs, *year_specs])

rows, total = components.query_trade_rows(
    source=str(chosen["source"]),
    reporter=str(chosen["reporter"]),
    partner=str(chosen["partner"]),
    flow=str(chosen["flow"]),
    hs_level=int(str(chosen["level"])),
    year_from=year_from,
    year_to=year_to,
    limit=ROW_LIMIT,
)
st.caption(
    i18n.publisher(str(chosen["source"]), lang) + " · " + t("rows_shown", lang, shown=len(rows), total=total)
)
# Which files (vintages) the series' values come from, and when each was loaded.
vintages = components.query_series_vintages(source=str(chosen["source"]), reporter=str(chosen["reporter"]),
                                            partner=str(chosen["partner"]), flow=str(chosen["flow"]))  # fmt: skip
if not vintages.empty:
    files = [
        t(
            "series_file",
            lang,
            path=url_state.escape_markdown(str(row["path"]).rsplit("/", 1)[-1]),
            date=f"{row['loaded_at']:%Y-%m-%d %H:%M}",
            revision=t("series_revision", lang) if row["revision"] else "",
        )  # fmt: skip
        for row in vintages.head(5).to_dict("records")
    ]
    st.caption(t("series_loaded", lang, files="; ".join(files) + (" …" if len(vintages) > 5 else "")))

if not rows.empty:
    by_year = rows.groupby("year", as_index=False)["value_usd"].sum()
    yearly = by_year.assign(value=by_year["value_usd"] / BILLION, source=chosen["source"])
    # Built once per database, language and data, shared by every session (read-only).
    fig = components.shared_figure(
        ("data_by_year",),
        [yearly],
        lambda: charts.bar_chart(
            yearly,
            x="year",
            y="value",
            title=t("data_chart_title", lang),
            y_title=components.unit_label("nominal", 0),
            x_title=t("year", lang),
            footnote=components.footnote(yearly),
        ),
    )
    components.show_figure(fig, filename="balanza-data", key="data_chart", finished=True)
    components.gap_notes(
        yearly.assign(series=i18n.publisher(str(chosen["source"]), lang)),
        ["series"],
        "value",
        lambda key: key[0],
    )
    if total > len(rows):
        st.caption(t("rows_shown", lang, shown=len(rows), total=total))

table = rows.assign(
    source=components.publisher_column(rows), flow=rows["flow"].map(lambda f: i18n.flow(f, lang))
)
components.show_table(table, decimals={"value_usd": 0})
downloads.download_table(
    table,
    decimals={"value_usd": 0},
    filename="balanza-data.csv",
    source=i18n.publisher(str(chosen["source"]), lang),
    valuation=components.valuation_summary(rows),
    units=t("usd_nominal", lang),
    filters={**chosen, "from": year_from, "to": year_to},
)
components.page_links("data")
