"""Streamlit glue shared by every page: the database connection, cached queries, figures with footnotes,
tables, unit and view filters, gap notes and links that carry the filters (the download buttons are
dashboard/downloads.py, year ranges and break markers dashboard/time_charts.py). The process-wide machinery behind the
caches (connections, shared results and tables, warming, the Streamlit patch) is dashboard/runtime.py."""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import charts, i18n, queries, trace, units, url_state
from dashboard.cache import freeze
from dashboard.csv_export import TableFile
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from dashboard.runtime import DatabaseVersion, Runtime, arguments_key, database_key, frame_digest, own_copy
from etl import settings, store
from etl.errors import BalanzaError
from etl.schema import WORLD

LANG = url_state.Param("lang", url_state.CHOICE, DEFAULT_LANGUAGE, LANGUAGES)
IMAGE_FORMAT = url_state.Param("img", url_state.CHOICE, "png", ("png", "svg"))
# Filters that links between pages carry along.
SHARED_PARAMS = ("lang", "img", "partners", "unit", "base", "view", "factor")
PAGES = {
    "overview": "app_pages/overview.py",
    "balances": "app_pages/balances.py",
    "products": "app_pages/products.py",
    "dependence": "app_pages/dependence.py",
    "peers": "app_pages/peers.py",
    "coverage": "app_pages/coverage.py",
    "data": "app_pages/data.py",
}


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide read-only connection to the current database file; stops the page with a
    message when the database cannot be opened."""
    return _live()[0]


def _live() -> tuple[duckdb.DuckDBPyConnection, DatabaseVersion]:
    """The connection and the version it reads (taken together, so a swap in between cannot mix them)."""
    path = str(settings.db_path())
    try:
        con, identity = RUNTIME.connection(path)
    except BalanzaError as exc:
        _stop_with(exc)
        raise  # unreachable: _stop_with raises
    return trace.connection(con), (path, identity)


def _stop_with(exc: BalanzaError) -> None:
    """Show a named database error on the page instead of its content (a missing, damaged or mismatched
    store says which file and what to do), and stop the page; the warming thread re-raises."""
    if get_script_run_ctx() is None:  # the warming thread: no page to show the message on
        raise exc
    st.error(t("db_error", lang(), error=str(exc)))
    st.stop()


# ---- results shared by every session: computed once per database version -----------------------------------

# This process's serving machinery (dashboard/runtime.py); the frame (streamlit_app.py) starts it.
RUNTIME = Runtime()
P = ParamSpec("P")
R = TypeVar("R")


def cached_query(
    function: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R], *, persist: bool = True
) -> Callable[P, R]:
    """``function(cursor, ...)`` computed once per database version and arguments, shared by all sessions; with
    ``persist``, also stored on disk for every process of the server (dashboard/disk_results.py: a second worker
    reads the rows instead of asking DuckDB again); without, in this process's memory only (rows a reader's own
    filters choose, which another worker is unlikely to ask for).

    Every caller gets its own copy of the result (frames, lists, tuples of them), so a page may change what
    it receives. The wrapper keeps ``function``'s signature: pages call it with the same keyword arguments
    and a type checker checks them.
    """
    name = f"{function.__module__}.{function.__qualname__}"
    signature = inspect.signature(function)

    @functools.wraps(function)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (name, arguments_key(signature, (None, *args), kwargs))
        read: list[DatabaseVersion] = []
        try:
            try:
                result = own_copy(_compute_on_live(name, function, key, args, kwargs, read, persist))
            except (BalanzaError, duckdb.Error):
                if not read or database_key() == read[-1]:
                    raise
                # A newer catalogue was swapped in while this query read the older one, whose files a writer
                # may have collected since (past the grace period): read again, once, from the newer one.
                result = own_copy(_compute_on_live(name, function, key, args, kwargs, read, persist))
        except BalanzaError as exc:
            _stop_with(exc)
            raise
        RUNTIME.remember(
            key, lambda: functools.partial(cached, *copy.deepcopy(args), **copy.deepcopy(kwargs))
        )
        return result

    return cached


def _compute_on_live(
    name: str,
    function: Callable[..., R],
    key: Hashable,
    args: tuple,
    kwargs: Mapping,
    read: list[DatabaseVersion],
    persist: bool,
) -> R:
    """``function(cursor, *args, **kwargs)`` on the live connection, shared per database version (appended to
    ``read``); a failed read of a damaged stored file raises its named error."""
    con, version = _live()
    read.append(version)

    def compute() -> R:
        cursor = con.cursor()
        try:
            return function(cursor, *args, **kwargs)
        except duckdb.Error as exc:  # a stored file damaged since the open check: name it
            named = store.explain_read_error(con, Path(version[0]), exc)
            if named is None:
                raise
            raise named from exc
        finally:
            cursor.close()

    return _traced_get(name, version, key, compute, persist=persist)


def shared(function: Callable[P, R]) -> Callable[P, R]:
    """``function(...)`` computed once per database version and arguments; every caller gets the SAME object.

    For results that pages only read: figures, claim cards, model runs. ``function`` reads the database
    through :func:`connection` or through :func:`cached_query` wrappers. The result is also stored on disk for
    every process of the server (dashboard/disk_results.py): a second worker reads it instead of computing it.
    """
    name = f"{function.__module__}.{function.__qualname__}"
    signature = inspect.signature(function)

    @functools.wraps(function)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (name, arguments_key(signature, args, kwargs))
        return _traced_get(name, database_key(), key, lambda: function(*args, **kwargs))

    return cached


def _traced_get(
    name: str, version: DatabaseVersion, key: Hashable, compute: Callable[[], R], *, persist: bool = True
) -> R:
    """The shared result (RUNTIME.shared_result, on disk too; with ``persist`` False, in memory only), noted in the page run's query trace when
    BALANZA_TRACE=1 (dashboard/trace.py): a result read from disk counts as reused."""
    get = RUNTIME.shared_result if persist else RUNTIME.shared.get
    run = trace.active()
    if run is None:
        return get(version, key, compute)
    with run.call(name.removeprefix("dashboard.")) as event:

        def computing() -> R:
            event.computed = True
            return compute()

        return get(version, key, computing)


def clear_caches() -> None:
    """Forget every shared result and rendered table, and the results stored on disk for the served database
    (benchmarks time the first visitor after a rebuild this way)."""
    RUNTIME.clear_caches()


query_cpi = cached_query(queries.query_cpi)
query_gdp = cached_query(queries.query_gdp)
query_countries = cached_query(queries.query_countries)
query_total_partners = cached_query(queries.query_total_partners)
query_totals = cached_query(queries.query_totals)
query_balances = cached_query(queries.query_balances)
query_series_years = cached_query(queries.query_series_years)
query_hs_tree = cached_query(queries.query_hs_tree)
query_top_products = cached_query(queries.query_top_products)
query_movers = cached_query(queries.query_movers)
query_coverage_countries = cached_query(queries.query_coverage_countries)
query_coverage = cached_query(queries.query_coverage)
query_datasets = cached_query(queries.query_datasets)
query_series_vintages = cached_query(queries.query_series_vintages)
query_data_options = cached_query(queries.query_data_options)
query_trade_rows = cached_query(queries.query_trade_rows, persist=False)  # the Data page's own filters
query_hs_codes = cached_query(queries.query_hs_codes)
query_chapter_imports = cached_query(queries.query_chapter_imports)
query_prefix_values = cached_query(queries.query_prefix_values)
query_provisional_years = cached_query(queries.query_provisional_years)


def lang() -> str:
    value = st.session_state.get("lang") or st.query_params.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def image_format() -> str:
    value = st.session_state.get("img", "png")
    return value if value in ("png", "svg") else "png"


def country_names() -> dict[str, str]:
    """ISO3 → name in the current language (built once per database file and language)."""
    return _country_names(lang())


@shared
def _country_names(language: str) -> dict[str, str]:
    frame = query_countries()
    column = "name_es" if language == "es" else "name_en"
    names: dict[str, str] = {}
    for row in frame.to_dict("records"):
        # Comtrade's historic areas (Netherlands Antilles, USSR) have no name in the UN list: i18n names them
        name = row[column] if isinstance(row[column], str) and row[column] else None
        name = name or i18n.area_name(str(row["iso3"]), language) or str(row["name_en"])
        names[str(row["iso3"])] = name[: -len(" (the)")] if name.endswith(" (the)") else name
    names.setdefault(WORLD, "World" if language == "en" else "Mundo")
    names.setdefault("_X", "Not declared" if language == "en" else "No declarado")
    return names


def country_labels() -> dict[str, str]:
    """ISO3 → 'Name (ISO3)' for the current language; look labels up in this dict inside loops."""
    return country_labels_in(lang())


@shared
def country_labels_in(language: str) -> dict[str, str]:
    return {iso3: f"{name} ({iso3})" for iso3, name in _country_names(language).items()}


def country_label(iso3: str) -> str:
    name = country_names().get(iso3)
    return f"{name} ({iso3})" if name else iso3


def source_labels() -> dict[str, str]:
    """Source code → the publisher's name in the current language."""
    return {name: i18n.publisher(name, lang()) for name in i18n.PUBLISHERS}


def footnote(frame: pd.DataFrame, extra: str = "") -> str:
    """The source footnote for a frame with per-point ``source`` and ``year`` columns."""
    text = charts.source_footnote(frame, source_labels(), prefix=t("footnote_source", lang()))
    return f"{text}<br>{charts.wrap_text(extra)}" if extra else text


def finish_figure(fig: go.Figure, language: str, *, width_px: int = charts.NARROW_WIDTH_PX) -> go.Figure:
    """The last touches every drawn figure gets: the language's number separators, a small-screen layout
    (``width_px``: the narrowest the chart is drawn; a chart inside a card is narrower than the screen)."""
    fig.update_layout(separators=i18n.plotly_separators(language))
    return charts.fit_small_screens(fig, width_px)


def show_figure(
    fig: go.Figure,
    *,
    filename: str = "balanza-chart",
    key: str | None = None,
    finished: bool = False,
    takeaway: str | None = None,
) -> None:
    """Draw a figure with the modebar's PNG/SVG download (format chosen in the sidebar), and keep it for the
    page's slide deck.

    ``finished``: the figure already went through :func:`finish_figure` (a shared figure: never changed here).
    ``takeaway``: what the chart shows, in words: its slide's title (default: the chart's own title).
    """
    if not finished:
        finish_figure(fig, lang())
    st.plotly_chart(fig, config=charts.plotly_config(image_format(), filename), key=key, width="stretch")
    remember_for_slides(fig, takeaway)


def show_table(
    frame: pd.DataFrame,
    *,
    units: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    key: str | None = None,
) -> None:
    """A table with readable headers in the current language, units in the headers, numbers shown in the
    reader's format rounded to fit (``decimals`` per column; default 2 for floats, 0 for whole numbers) and
    gaps shown as '—'. Sorting still uses the numbers; code columns keep their codes."""
    language = lang()
    key_parts = ("show_table", language, freeze(dict(units or {})), freeze(dict(decimals or {})))
    styler = shared_styler(key_parts, frame, lambda: _table_styler(frame, language, units, decimals))
    st.dataframe(styler, hide_index=True, width="stretch", key=key)


def _table_styler(
    frame: pd.DataFrame, language: str, units: Mapping[str, str] | None, decimals: Mapping[str, int] | None
) -> Styler:
    decimals = dict(decimals or {})
    shown = i18n.with_headers(frame.reset_index(drop=True), language, units)
    headers = dict(zip(frame.columns, shown.columns, strict=True))
    thousands, decimal = (".", ",") if language == "es" else (",", ".")
    for (
        name,
        header,
    ) in headers.items():  # the grid shows a missing number as "None": such columns become text
        series = frame[name].reset_index(drop=True)
        if name != "year" and pd.api.types.is_float_dtype(series) and series.isna().any():
            places = decimals.get(name, 2)
            shown[header] = [i18n.number(v, language, places) for v in series]
    styler = shown.style
    for name, header in headers.items():
        series = shown[header]
        if name == "year" or not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        places = decimals.get(name, 2 if pd.api.types.is_float_dtype(series) else 0)
        styler = styler.format(
            precision=places, thousands=thousands, decimal=decimal, na_rep="—", subset=[header]
        )
    return styler.format(
        na_rep="—", subset=[h for h in headers.values() if not pd.api.types.is_numeric_dtype(shown[h])]
    )


def shared_styler(key_parts: Hashable, frame: pd.DataFrame, build: Callable[[], Styler]) -> Styler:
    """``build()`` rendered once per (``key_parts``, content of ``frame``) and shared by every session
    (:meth:`dashboard.runtime.Runtime.shared_styler`)."""
    return RUNTIME.shared_styler(key_parts, frame, build)


def shared_figure(
    key_parts: Hashable, frames: Sequence[pd.DataFrame], build: Callable[[], go.Figure]
) -> go.Figure:
    """``build()`` finished for the current language (:func:`finish_figure`), built once per database version,
    ``key_parts``, language and content of ``frames`` and shared by every session; read-only: draw it with
    ``show_figure(..., finished=True)``. ``frames``: the data ``build`` draws; ``key_parts`` must name
    everything else it reads (units, years, choices). A frame that cannot be pickled: built afresh."""
    language = lang()
    try:
        key = ("figure", key_parts, language, tuple(frame_digest(frame) for frame in frames))
    except TypeError:
        return finish_figure(build(), language)
    return RUNTIME.shared_result(database_key(), key, lambda: finish_figure(build(), language))


def flag_caption(caveats: pd.Series) -> None:
    """Under a table whose flag cells are short words: what they mean, and why (nothing when none is flagged)."""
    note = i18n.flag_note(list(caveats), lang())
    if note:
        st.caption(note)


def with_flag_notes(table: pd.DataFrame, caveats: pd.Series) -> pd.DataFrame:
    """``table`` with a ``flag_note`` column, each row's flags in words (a CSV keeps the reasons beside the row)."""
    language = lang()
    notes = [i18n.record_text(v, language) if isinstance(v, str) and v else "" for v in caveats]
    return table.assign(flag_note=notes)


def localized(frame: pd.DataFrame, units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with headers in the current language (for CSV downloads: codes kept as values)."""
    return i18n.with_headers(frame, lang(), units)


URL_PATHS = (
    "overview",
    "balances",
    "products",
    "dependence",
    "peers",
    "claims",
    "scenarios",
    "coverage",
    "data",
)


def view_url(page: str | None = None) -> str:
    """The URL that reproduces this view: the page address plus the current query parameters.

    The address is ``BALANZA_PUBLIC_URL`` when set (a dashboard behind a proxy), else the one the dashboard
    was opened at. ``page`` (the page's url path) names the page explicitly; without it the page in the
    opened address is kept.
    """
    opened = urlsplit(st.context.url or f"http://{settings.SERVE_HOST}:{settings.SERVE_PORT}/")
    segments = [part for part in opened.path.split("/") if part]
    opened_page = segments[-1] if segments and segments[-1] in URL_PATHS else ""
    app_root = "/".join(segments[:-1] if opened_page else segments)
    public = settings.PUBLIC_URL.get()
    base = urlsplit(public) if public else opened
    root = base.path.strip("/") if public else app_root
    name = page if page is not None else opened_page
    path = "/" + "/".join(part for part in (root, name) if part)
    query = urlencode({key: st.query_params[key] for key in st.query_params})
    return urlunsplit((base.scheme, base.netloc, path, query, ""))


# ---- the page's slide deck: the charts and tables this run of the page drew ------------------------------------

PAGE_SLIDES = (
    "_page_slides"  # session key: the run's (charts, tables), reset by the frame before every page run
)


def start_page_slides() -> None:
    """Forget the previous run's charts and tables (the frame calls this before running the page)."""
    st.session_state[PAGE_SLIDES] = ([], [])


def remember_for_slides(fig: go.Figure, takeaway: str | None = None) -> None:
    """Keep a drawn figure (a reference: never changed) for the page's deck."""
    kept = st.session_state.get(PAGE_SLIDES)
    if kept is not None:
        kept[0].append((fig, takeaway))


def remember_table(rows: Callable[[], TableFile], title: str) -> None:
    """Keep a table's file maker and title for the page's deck (``downloads.download_table`` calls this)."""
    kept = st.session_state.get(PAGE_SLIDES)
    if kept is not None:
        kept[1].append((rows, title))


def takeaway(sentence: str | None) -> None:
    """The one sentence under a headline number or chart (dashboard.readout), as plain text, never Markdown."""
    if sentence:
        st.markdown(url_state.escape_markdown(sentence))


def details(label: str | None = None, *, expanded: bool = False) -> st.delta_generator.DeltaGenerator:
    """The details behind a headline (basis, publisher, alternatives, notes), folded away: ``with details():``.
    Default label: 'Where this comes from'."""
    return st.expander(label or t("where_from", lang()), expanded=expanded, icon=":material/info:")


def gap_notes(frame: pd.DataFrame, keys: Sequence[str], value: str, describe: Callable[[tuple], str]) -> None:
    """A caption per series naming the years with no value (they are drawn as gaps)."""
    for key, years in charts.missing_years(frame, keys, value).items():
        st.caption(t("missing_years", lang(), series=describe(key), years=charts.format_years(years)))


def page_links(current: str) -> None:
    """Links to the other pages that carry the shared filters."""
    carried = url_state.current_params(SHARED_PARAMS)
    columns = st.columns(len(PAGES))
    for column, (name, path) in zip(columns, PAGES.items(), strict=True):
        if name == current:
            continue
        with column:
            st.page_link(path, label=t(f"page_{name}", lang()), query_params=carried)


def unit_specs() -> list[url_state.Param]:
    """The unit filters: nominal / constant dollars of a base year / % of Colombia's GDP."""
    base_years = tuple(units.complete_cpi_years(query_cpi()))
    default_base = base_years[-1] if base_years else 2024
    return [
        url_state.Param("unit", url_state.CHOICE, units.NOMINAL, units.UNITS),
        url_state.Param("base", url_state.CHOICE, default_base, base_years or (default_base,)),
    ]


def unit_widgets(container: st.delta_generator.DeltaGenerator | None = None) -> tuple[str, int]:
    """Unit radio and base-year select (shown only for constant dollars); call after init_state."""
    target = container or st
    names = {units.NOMINAL: "unit_nominal", units.CONSTANT: "unit_constant", units.PCT_GDP: "unit_pct_gdp"}
    unit = target.radio(
        t("units", lang()),
        units.UNITS,
        key="unit",
        format_func=lambda u: t(names[u], lang()),
        horizontal=True,
    )
    base_years = unit_specs()[1].choices or ()
    if unit == units.CONSTANT:
        target.selectbox(t("base_year", lang()), base_years, key="base", placeholder=t("choose_one", lang()))
    return unit, int(st.session_state["base"])


def in_units(frame: pd.DataFrame, unit: str, base_year: int, value_column: str = "value_usd") -> pd.Series:
    """``frame[value_column]`` (USD) in the chosen unit; NaN where the deflator or GDP is missing."""
    cpi = query_cpi() if unit == units.CONSTANT else None
    gdp = query_gdp() if unit == units.PCT_GDP else None
    return units.convert(frame, unit, cpi=cpi, gdp=gdp, base_year=base_year, value_column=value_column)


def unit_label(unit: str, base_year: int) -> str:
    return units.unit_label(unit, base_year, lang())


def view_specs(partner_choices: Sequence[str], default_partners: Sequence[str]) -> list[url_state.Param]:
    """Partners, whose figures (reporter / mirror / reconciled) and the CIF/FOB factor."""
    return [
        url_state.Param(
            "partners",
            url_state.MULTI,
            [p for p in default_partners if p in partner_choices],
            tuple(partner_choices),
        ),
        url_state.Param("view", url_state.CHOICE, queries.REPORTER_VIEW, queries.VIEWS),
        url_state.Param("factor", url_state.FLOAT, settings.CIF_FOB_FACTOR_IMF, minimum=1.0, maximum=1.5),
    ]


def view_widgets(container: st.delta_generator.DeltaGenerator | None = None) -> tuple[str, float]:
    """The view radio and, for the reconciled view, the CIF/FOB factor with IMF/OEC presets."""
    target = container or st
    view = target.radio(
        t("view", lang()), queries.VIEWS, key="view", format_func=lambda v: t(f"view_{v}", lang())
    )
    if view == queries.RECONCILED_VIEW:
        target.number_input(
            t("cif_fob_factor", lang()),
            min_value=1.0,
            max_value=1.5,
            step=0.01,
            format="%.2f",
            key="factor",
            help=t("cif_fob_help", lang()),
        )
        left, right = target.columns(2)
        left.button(t("use_imf", lang()), on_click=_set_factor, args=(settings.CIF_FOB_FACTOR_IMF,))
        right.button(t("use_oec", lang()), on_click=_set_factor, args=(settings.CIF_FOB_FACTOR_OEC,))
    return view, float(st.session_state["factor"])


def _set_factor(value: float) -> None:
    st.session_state["factor"] = value


def totals_for(view: str, partners: Sequence[str], factor: float) -> pd.DataFrame:
    """The series of record per (year, partner, flow) in the chosen view; reconciled divides CIF values by
    ``factor``."""
    query_view = queries.REPORTER_VIEW if view == queries.REPORTER_VIEW else queries.MIRROR_VIEW
    totals = query_totals(view=query_view, partners=list(partners))
    return queries.reconcile(totals, factor) if view == queries.RECONCILED_VIEW else totals


def balances_for(view: str, partners: Sequence[str], factor: float) -> pd.DataFrame:
    """Exports, imports and the headline balance (with its basis and publisher) per (partner, year).

    ``factor`` (the page's CIF/FOB factor) is a what-if of the reconciled view only; the other views estimate
    with the series of record's rule (etl.record_balance.balance_frame: DANE's own figures for the partner, else IMF's).
    """
    chosen = float(factor) if view == queries.RECONCILED_VIEW else None
    return query_balances(view=view, partners=list(partners), factor=chosen)


def valuation_summary(frame: pd.DataFrame, column: str = "valuation") -> str:
    values = sorted({str(v) for v in frame[column].dropna()}) if column in frame else []
    return ", ".join(values) or "—"


def source_summary(frame: pd.DataFrame, column: str = "source") -> str:
    values = sorted({str(v) for v in frame[column].dropna()}) if column in frame else []
    return "; ".join(dict.fromkeys(i18n.publisher(v, lang()) for v in values)) or "—"


def publisher_column(frame: pd.DataFrame, column: str = "source") -> pd.Series:
    """The per-row source codes as publisher names in the current language."""
    language = lang()
    return frame[column].map(lambda v: i18n.publisher(v, language))
