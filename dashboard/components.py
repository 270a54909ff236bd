"""Streamlit glue shared by every page: the database connection, cached queries, figures with footnotes,
the Download CSV button, gap notes and links that carry the filters."""

from __future__ import annotations

import copy
import functools
import gc
import hashlib
import inspect
import json
import logging
import os
import pickle
import threading
import time
from collections import OrderedDict
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

from dashboard import charts, claims, claims_charts, i18n, product_views, products, queries, units, url_state
from dashboard.cache import VersionedCache, freeze
from dashboard.csv_export import to_csv_bytes
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from etl import settings, store
from etl.db import connect_read_only, file_identity
from etl.errors import BalanzaError
from etl.schema import CHINA, UNITED_STATES, WORLD
from model.cli import preset_paths
from model.market import Market
from model.result import ScenarioResult
from model.scenario import load_market, run_scenario
from model.spec import TariffScenario, parse_spec, spec_to_dict

LANG = url_state.Param("lang", url_state.CHOICE, DEFAULT_LANGUAGE, LANGUAGES)
IMAGE_FORMAT = url_state.Param("img", url_state.CHOICE, "png", ("png", "svg"))
# Filters that links between pages carry along.
SHARED_PARAMS = ("lang", "img", "partners", "unit", "base", "view", "factor")
PAGES = {
    "overview": "app_pages/overview.py",
    "balances": "app_pages/balances.py",
    "products": "app_pages/products.py",
    "dependence": "app_pages/dependence.py",
    "coverage": "app_pages/coverage.py",
    "data": "app_pages/data.py",
}


class LiveConnection:
    """One read-only connection per database path, replaced when a writer swaps a new file in.

    DuckDB shares one database instance per path string within a process, so connecting to the same path
    again would still see the replaced file. The new file is therefore opened through a private hard link
    (removed at once; the open file keeps its inode), and the old connection is not closed: sessions still
    running a query on it finish on the file they started with, and it is freed when the last of them lets
    go. Where a hard link cannot be made, the old connection is closed first (the only other way in).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened = 0
        self._lock = threading.Lock()

    def get(self) -> duckdb.DuckDBPyConnection:
        return self.current()[0]

    def current(self) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int] | None]:
        """The connection to the current file and that file's identity."""
        identity = file_identity(Path(self.path))
        with self._lock:
            if self._con is None:
                self._con = connect_read_only(Path(self.path))
                self._identity = identity
            elif identity != self._identity:
                self._con, self._identity = self._reopen()
            return self._con, self._identity

    def _reopen(self) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int] | None]:
        self._opened += 1
        link = Path(f"{self.path}.reader-{os.getpid()}-{self._opened}")
        try:
            os.link(self.path, link)
        except OSError:
            if self._con is not None:
                self._con.close()
            return connect_read_only(Path(self.path)), file_identity(Path(self.path))
        try:
            stat = link.stat()
            return connect_read_only(link, named=Path(self.path)), (stat.st_ino, stat.st_mtime_ns)
        finally:
            link.unlink(missing_ok=True)


_LIVE: dict[str, LiveConnection] = {}
_LIVE_LOCK = threading.Lock()


def _live_connection(path: str) -> LiveConnection:
    with _LIVE_LOCK:
        return _LIVE.setdefault(path, LiveConnection(path))


DatabaseVersion = tuple[str, tuple[int, int] | None]


def database_key() -> DatabaseVersion:
    """(path, file identity) of the served database: changes whenever a writer swaps a new file in."""
    path = settings.db_path()
    return str(path), file_identity(path)


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide read-only connection to the current database file; stops the page with a
    message when the database cannot be opened."""
    return _live()[0]


def _live() -> tuple[duckdb.DuckDBPyConnection, DatabaseVersion]:
    """The connection and the version it reads (taken together, so a swap in between cannot mix them)."""
    path = str(settings.db_path())
    try:
        con, identity = _live_connection(path).current()
    except BalanzaError as exc:
        _stop_with(exc)
        raise  # unreachable: _stop_with raises
    return con, (path, identity)


def _stop_with(exc: BalanzaError) -> None:
    """Show a named database error on the page instead of its content (a missing, damaged or mismatched
    store says which file and what to do), and stop the page; the warming thread re-raises."""
    if get_script_run_ctx() is None:  # the warming thread: no page to show the message on
        raise exc
    st.error(t("db_error", lang(), error=str(exc)))
    st.stop()


# ---- results shared by every session: computed once per database version -----------------------------------

SHARED = VersionedCache()
P = ParamSpec("P")
R = TypeVar("R")


def cached_query(function: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R]) -> Callable[P, R]:
    """``function(cursor, ...)`` computed once per database version and arguments, shared by all sessions.

    Every caller gets its own copy of the result (frames, lists, tuples of them), so a page may change what
    it receives. The wrapper keeps ``function``'s signature: pages call it with the same keyword arguments
    and a type checker checks them.
    """
    name = f"{function.__module__}.{function.__qualname__}"
    signature = inspect.signature(function)

    @functools.wraps(function)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        con, version = _live()

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

        key = (name, _arguments_key(signature, (None, *args), kwargs))
        try:
            result = _copy(SHARED.get(version, key, compute))
        except BalanzaError as exc:
            _stop_with(exc)
            raise
        _remember(key, lambda: functools.partial(cached, *copy.deepcopy(args), **copy.deepcopy(kwargs)))
        return result

    return cached


# The queries pages asked for most recently (up to ASKED_KEPT distinct calls): after a database swap the warming
# thread asks them again, so the pages people were looking at are computed before they come back.
ASKED_KEPT = 256
_ASKED: OrderedDict[Hashable, Callable[[], object]] = OrderedDict()
_ASKED_LOCK = threading.Lock()


def _remember(key: Hashable, make_call: Callable[[], Callable[[], object]]) -> None:
    with _ASKED_LOCK:
        if key in _ASKED:
            _ASKED.move_to_end(key)
            return
        _ASKED[key] = make_call()
        while len(_ASKED) > ASKED_KEPT:
            _ASKED.popitem(last=False)


def asked_recently() -> list[Callable[[], object]]:
    """The recently asked queries as calls, oldest first."""
    with _ASKED_LOCK:
        return list(_ASKED.values())


def shared(function: Callable[P, R]) -> Callable[P, R]:
    """``function(...)`` computed once per database version and arguments; every caller gets the SAME object.

    For results that pages only read: figures, claim cards, model runs. ``function`` reads the database
    through :func:`connection` or through :func:`cached_query` wrappers.
    """
    name = f"{function.__module__}.{function.__qualname__}"
    signature = inspect.signature(function)

    @functools.wraps(function)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (name, _arguments_key(signature, args, kwargs))
        return SHARED.get(database_key(), key, lambda: function(*args, **kwargs))

    return cached


def _arguments_key(signature: inspect.Signature, args: tuple, kwargs: dict) -> Hashable:
    """The call's arguments by name with the defaults filled in, so f(a, b) and f(a, b, default) or
    f(a, b=b) are one key (a result is not computed twice for two spellings of one call)."""
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return freeze(dict(bound.arguments))


def _copy(value: R) -> R:
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()  # type: ignore[return-value]
    if isinstance(value, list):
        return list(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_copy(item) for item in value)  # type: ignore[return-value]
    return value


def clear_caches() -> None:
    """Forget every shared result and rendered table (benchmarks time the first visitor after a rebuild
    this way)."""
    SHARED.clear()
    STYLED.clear()
    st.cache_data.clear()


query_cpi = cached_query(queries.query_cpi)
query_gdp = cached_query(queries.query_gdp)
query_countries = cached_query(queries.query_countries)
query_total_partners = cached_query(queries.query_total_partners)
query_totals = cached_query(queries.query_totals)
query_balances = cached_query(queries.query_balances)
query_series_years = cached_query(queries.query_series_years)
query_hs_tree = cached_query(queries.query_hs_tree)
query_top_products = cached_query(queries.query_top_products)
query_top_movers = cached_query(queries.query_top_movers)
query_coverage_countries = cached_query(queries.query_coverage_countries)
query_coverage = cached_query(queries.query_coverage)
query_datasets = cached_query(queries.query_datasets)
query_series_vintages = cached_query(queries.query_series_vintages)
query_data_options = cached_query(queries.query_data_options)
query_trade_rows = cached_query(queries.query_trade_rows)
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
        name = row[column] if isinstance(row[column], str) and row[column] else str(row["name_en"])
        names[str(row["iso3"])] = name[: -len(" (the)")] if name.endswith(" (the)") else name
    names.setdefault(WORLD, "World" if language == "en" else "Mundo")
    names.setdefault("_X", "Not declared" if language == "en" else "No declarado")
    return names


def country_labels() -> dict[str, str]:
    """ISO3 → 'Name (ISO3)' for the current language; look labels up in this dict inside loops."""
    return _country_labels(lang())


@shared
def _country_labels(language: str) -> dict[str, str]:
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


def finish_figure(fig: go.Figure, language: str) -> go.Figure:
    """The last touches every drawn figure gets: the language's number separators, a small-screen layout."""
    fig.update_layout(separators=i18n.plotly_separators(language))
    return charts.fit_small_screens(fig)


def show_figure(
    fig: go.Figure, *, filename: str = "balanza-chart", key: str | None = None, finished: bool = False
) -> None:
    """Draw a figure with the modebar's PNG/SVG download (format chosen in the sidebar).

    ``finished``: the figure already went through :func:`finish_figure` (a shared figure: never changed here).
    """
    if not finished:
        finish_figure(fig, lang())
    st.plotly_chart(fig, config=charts.plotly_config(image_format(), filename), key=key, width="stretch")


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


# Tables as st.dataframe shows them, by content: pandas' rendering of a Styler (every cell's display text) is
# done once per distinct table and shared by every session that shows it. Keyed by the frame's content, not
# by the database version, so a result of a new database is a new key; the least recently used go first.
STYLED = VersionedCache(versions_kept=1, entries_per_version=256)
_STYLED_VERSION = "content"


def frame_digest(frame: pd.DataFrame) -> Hashable:
    """A key for ``frame``'s content: a digest of its pickle (column names, dtypes, index and values). Two
    frames with the same content built the same way get the same key; different contents never share one.
    Raises TypeError for a frame that cannot be pickled."""
    try:
        data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError) as exc:
        raise TypeError(str(exc)) from exc
    return len(frame), hashlib.blake2b(data, digest_size=16).hexdigest()


def shared_styler(key_parts: Hashable, frame: pd.DataFrame, build: Callable[[], Styler]) -> Styler:
    """``build()`` (a Styler of ``frame``), rendered once per (``key_parts``, content of ``frame``) and shared.

    ``key_parts`` must name everything else the Styler depends on (language, units, decimals). st.dataframe
    marshals a Styler by calling its ``_compute()`` and ``_translate(False, False)`` (pandas' rendering of
    every cell, the bulk of a table's cost); the shared Styler answers both from the first rendering. Any other
    call goes to pandas. A frame that cannot be pickled is styled afresh.
    """
    try:
        key = (key_parts, frame_digest(frame))
    except TypeError:
        return build()
    return STYLED.get(_STYLED_VERSION, key, lambda: _rendered_once(build()))


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
    return SHARED.get(database_key(), key, lambda: finish_figure(build(), language))


class _Rendered(dict):
    """pandas' rendering of a shared Styler, and the display text streamlit made of it (kept after the first
    time it was sent)."""

    display_values: bytes | None = None


def _share_display_values() -> None:
    """Streamlit turns a Styler's rendering into a frame of display texts (cell by cell) every time it sends
    the table: for a shared Styler the bytes of the first time are sent again. Any other Styler is marshalled
    as streamlit does; if streamlit's helper is not where it was, nothing is changed."""
    from streamlit.elements.lib import pandas_styler_utils as styler_utils

    original = getattr(styler_utils, "_marshall_display_values", None)
    if original is None or getattr(original, "shares_rendering", False):
        return

    def marshall(proto: object, frame: pd.DataFrame, styles: Mapping[str, object]) -> None:
        kept = styles.display_values if isinstance(styles, _Rendered) else None
        if kept is not None:
            proto.styler.display_values = kept  # type: ignore[attr-defined]
            return
        original(proto, frame, styles)
        if isinstance(styles, _Rendered):
            styles.display_values = proto.styler.display_values  # type: ignore[attr-defined]

    marshall.shares_rendering = True  # type: ignore[attr-defined]
    styler_utils._marshall_display_values = marshall  # type: ignore[assignment]


_share_display_values()


def _rendered_once(styler: Styler) -> Styler:
    # pandas' private rendering steps, the ones streamlit's marshall_styler calls (not in pandas' stubs)
    getattr(styler, "_compute")()  # noqa: B009
    translate = getattr(styler, "_translate")  # noqa: B009
    translated = _Rendered(translate(False, False))

    def compute() -> Styler:
        return styler

    def translate_once(*args: object, **kwargs: object) -> dict:
        return translated if (args, kwargs) == ((False, False), {}) else translate(*args, **kwargs)

    setattr(styler, "_compute", compute)  # noqa: B010 - instance attributes shadow the methods
    setattr(styler, "_translate", translate_once)  # noqa: B010
    return styler


def localized(frame: pd.DataFrame, units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with headers in the current language (for CSV downloads: codes kept as values)."""
    return i18n.with_headers(frame, lang(), units)


URL_PATHS = ("overview", "balances", "products", "dependence", "claims", "scenarios", "coverage", "data")


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


def download_csv_button(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    *,
    filename: str,
    source: str,
    valuation: str,
    units: str,
    filters: Mapping[str, object],
    key: str | None = None,
) -> None:
    """The Download CSV button: exactly ``frame``'s rows plus the metadata columns.

    ``frame``: the rows (copied now: the page may change its frame later), or a function that makes them when
    the button is clicked (for rows made from shared, read-only results: nothing is copied on a page run).
    """
    rows: Callable[[], pd.DataFrame] = (
        frame if callable(frame) else functools.partial(lambda kept: kept, frame.copy())
    )
    # Deferred: the file is written when the button is clicked, not on every run of the page.
    data = functools.partial(
        _csv_of,
        rows,
        source=source,
        valuation=valuation,
        units=units,
        filters=dict(filters),
        view_url=view_url(),
        lang=lang(),
    )
    st.download_button(
        t("download_csv", lang()),
        data=data,
        file_name=filename,
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def _csv_of(
    rows: Callable[[], pd.DataFrame],
    *,
    source: str,
    valuation: str,
    units: str,
    filters: Mapping[str, object],
    view_url: str,
    lang: str,
) -> bytes:
    return to_csv_bytes(
        rows(), source=source, valuation=valuation, units=units, filters=filters, view_url=view_url, lang=lang
    )


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
        target.selectbox(t("base_year", lang()), base_years, key="base")
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
    """Exports, imports and the headline balance (with its basis and publisher) per (partner, year)."""
    return query_balances(view=view, partners=list(partners), factor=float(factor))


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


# ---- year ranges ----------------------------------------------------------------------------------------------

DEFAULT_FIRST_YEAR = 2000


def year_range_spec(first: int, last: int, name: str = "yr") -> url_state.Param:
    """The year range 'from-to' kept in the URL; default 2000 (or the first year) to the latest year."""
    default = f"{max(first, DEFAULT_FIRST_YEAR) if max(first, DEFAULT_FIRST_YEAR) <= last else first}-{last}"
    return url_state.Param(name, url_state.TEXT, default, max_length=9)


def parse_year_range(raw: str, first: int, last: int) -> tuple[int, int]:
    """'2000-2024' → (2000, 2024) clipped to [first, last]; anything unreadable → the default range."""
    try:
        low, high = (int(part) for part in str(raw).split("-", 1))
    except ValueError:
        low, high = max(first, DEFAULT_FIRST_YEAR), last
    low, high = max(first, min(low, last)), min(last, max(high, first))
    return (low, high) if low <= high else (high, low)


def year_range_widget(
    first: int, last: int, name: str = "yr", container: st.delta_generator.DeltaGenerator | None = None
) -> tuple[int, int]:
    """A slider over [first, last] whose value lives in the URL as 'yr=2000-2024'."""
    target = container or st
    spec = year_range_spec(first, last, name)
    url_state.init_state([spec], lang())
    low, high = parse_year_range(str(st.session_state[name]), first, last)
    if first == last:
        return first, last
    widget_key = f"{name}_slider"
    if st.session_state.get(f"{name}_applied") != (low, high) or widget_key not in st.session_state:
        st.session_state[widget_key] = (low, high)
    chosen = target.slider(t("year_range", lang()), min_value=first, max_value=last, key=widget_key, step=1)
    low, high = (
        (int(chosen[0]), int(chosen[1])) if isinstance(chosen, tuple | list) else (int(chosen), int(chosen))
    )
    st.session_state[name] = f"{low}-{high}"
    st.session_state[f"{name}_applied"] = (low, high)
    url_state.sync_url([spec])
    return low, high


# ---- where a series breaks ---------------------------------------------------------------------------------------

DIAN_NOT_DECLARED_FROM = 2025  # DIAN withholds many destinations ("país no declarado") from January 2025
PROVISIONAL_FROM = {"dane_imports": 2025}  # the compiler of the DANE annexes: 2025 and 2026 are provisional


def break_markers(frame: pd.DataFrame, unit: str, year_from: int, year_to: int) -> list[tuple[float, str]]:
    """(x, label) markers for a time chart of ``frame`` (columns year, source; optional provisional):
    DIAN's 'not declared' destinations, the first provisional year, and where GDP or CPI data stops."""
    language = lang()
    markers: list[tuple[float, str]] = []
    sources = {
        part
        for value in frame.get("source", pd.Series(dtype=object)).dropna()
        for part in str(value).split(" / ")
    }
    years = {int(y) for y in frame["year"]} if "year" in frame and not frame.empty else set()
    if (
        "dian" in sources
        and any(y >= DIAN_NOT_DECLARED_FROM for y in years)
        and year_to >= DIAN_NOT_DECLARED_FROM
    ):
        markers.append(
            (DIAN_NOT_DECLARED_FROM - 0.5, t("marker_dian", language, year=DIAN_NOT_DECLARED_FROM))
        )
    provisional_years: set[int] = set()
    if "provisional" in frame:
        provisional_years |= {
            int(y) for y, p in zip(frame["year"], frame["provisional"], strict=True) if p is True
        }
    for source, first in PROVISIONAL_FROM.items():
        if source in sources:
            provisional_years |= {y for y in years if y >= first}
    if provisional_years:
        first = min(provisional_years)
        markers.append((first - 0.5, t("marker_provisional", language, year=first)))
    if unit == units.PCT_GDP:
        gdp = query_gdp()
        last = int(gdp["year"].max()) if not gdp.empty else None
        if last is not None and last < year_to:
            markers.append((last + 0.5, t("marker_gdp", language, year=last)))
    if unit == units.CONSTANT:
        full = units.complete_cpi_years(query_cpi())
        if full and full[-1] < year_to:
            markers.append((full[-1] + 0.5, t("marker_cpi", language, year=full[-1])))
    return [(x, text) for x, text in markers if year_from - 0.5 <= x <= year_to + 0.5]


def finish_time_chart(
    fig: go.Figure, frame: pd.DataFrame, unit: str, year_from: int, year_to: int
) -> go.Figure:
    """The chosen year range on the x axis and the break markers for ``frame``'s series."""
    charts.set_year_axis(fig, year_from, year_to)
    return charts.add_year_markers(fig, break_markers(frame, unit, year_from, year_to))


# ---- figures and model runs that depend only on the database: shared, and warmed after every swap ----------


@shared
def claim_data() -> claims.ClaimData:
    """What the claim cards are built from (the database reads and the scenario runs); read-only."""
    cursor = connection().cursor()
    try:
        return claims.query_claim_data(cursor)
    finally:
        cursor.close()


@shared
def claim_cards(language: str = DEFAULT_LANGUAGE) -> list[claims.ClaimCard]:
    """Every claim's card (numbers, verdict, explanation), its sentences in ``language``; read-only."""
    return claims.build_cards(claim_data(), lang=language)


def _claim_card(claim_id: int, language: str = DEFAULT_LANGUAGE) -> claims.ClaimCard:
    return next(card for card in claim_cards(language) if card.spec.id == claim_id)


@shared
def claim_chart(claim_id: int, language: str) -> go.Figure | None:
    """The chart drawn on a claim's card, finished for ``language``; read-only (st.plotly_chart serialises a
    copy): draw it with ``show_figure(..., finished=True)``."""
    fig = claims_charts.claim_chart(_claim_card(claim_id, language), language)
    return finish_figure(fig, language) if fig is not None else None


@shared
def claim_csv_frame(claim_id: int, language: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """What a claim card's Download CSV button writes (its number rows worded in ``language``); read-only."""
    return claims.card_csv_frame(_claim_card(claim_id, language))


@shared
def scenario_market(importer: str, year: int, level: str = "hs10") -> Market:
    """The importer's market (lines × partners, tariffs, elasticities) for the scenario engine at product level
    "hs10" or "hs6"; read-only."""
    return load_market(connection(), importer, year, level)


@shared
def scenario_result(spec_json: str) -> ScenarioResult:
    """A scenario run (central and sensitivity runs, tables); read-only. ``spec_json``: the canonical JSON
    of the scenario (``json.dumps(spec_to_dict(...), sort_keys=True)``)."""
    spec = parse_spec(spec_json)
    market = (
        scenario_market(spec.importer, spec.year, spec.level) if isinstance(spec, TariffScenario) else None
    )
    return run_scenario(spec, connection(), market=market)


def scenario_presets() -> dict[str, dict]:
    """The shipped scenario presets by name, each in canonical form (as the Scenarios page keeps them)."""
    docs = (json.loads(path.read_text(encoding="utf-8")) for path in preset_paths())
    return {doc["name"]: spec_to_dict(parse_spec(doc)) for doc in docs}


@shared
def hs_search(text: str) -> pd.DataFrame:
    """The Products search (:func:`dashboard.products.search` over the HS codes) for ``text``, once per
    database version and text; read-only."""
    return products.search(query_hs_codes(), text)


@shared
def spanish_hs_names() -> dict[str, str]:
    """HS code → the Spanish nomenclature's text (:func:`dashboard.products.spanish_names`); read-only."""
    return products.spanish_names(query_hs_codes())


@shared
def product_catalogue() -> product_views.Catalogue:
    """The product series on offer and the default one (:func:`dashboard.product_views.series_catalogue`);
    read-only."""
    return product_views.series_catalogue(queries.product_series(query_data_options()))


# The filters a first visitor arrives with (each page's defaults): their queries are warmed too.
WARM_PARTNER_SETS = ([CHINA, UNITED_STATES, WORLD], [CHINA, UNITED_STATES])


def warm() -> None:
    """Compute what the first visitor of each page would otherwise wait for, for the current database."""
    for language in LANGUAGES:
        _country_labels(language)
    query_cpi()
    query_gdp()
    query_total_partners()
    query_coverage_countries()
    query_datasets()
    query_data_options()
    query_hs_codes()
    query_chapter_imports(partners=[CHINA, UNITED_STATES])  # the Products page opens on these
    spanish_hs_names()
    product_catalogue()
    for view in (queries.REPORTER_VIEW, queries.MIRROR_VIEW):
        for partners in WARM_PARTNER_SETS:
            query_totals(view=view, partners=list(partners))
            query_balances(view=view, partners=list(partners), factor=settings.CIF_FOB_FACTOR_IMF)
    for language in LANGUAGES:
        for card in claim_cards(language):
            claim_chart(card.spec.id, language)
            claim_csv_frame(card.spec.id, language)
    for doc in scenario_presets().values():
        scenario_result(json.dumps(doc, sort_keys=True))
    for call in asked_recently():  # what the pages asked for on the previous database, most recent last
        try:
            call()
        except Exception:  # a page asking it again shows the problem; warming goes on
            _LOG.exception("warming a recently asked query failed")


WATCH_SECONDS = 1.0
_WARMER: list[threading.Thread] = []
_WARMER_LOCK = threading.Lock()
_LOG = logging.getLogger("balanza.warm")


def warming_wanted() -> bool:
    return settings.WARM.get() == "1"


def start_warming() -> None:
    """Start (once per process) the thread that warms the shared results now and after every database swap."""
    with _WARMER_LOCK:
        if _WARMER and _WARMER[0].is_alive():
            return
        thread = threading.Thread(target=_watch, name="balanza-warm", daemon=True)
        _WARMER[:] = [thread]
        thread.start()


def _watch() -> None:
    warmed: DatabaseVersion | None = None
    while True:
        version = database_key()
        if version != warmed and version[1] is not None:
            started = time.perf_counter()
            gc.unfreeze()  # the previous version's results may be freed now
            try:
                warm()
                _LOG.info("warmed %s in %.1fs", version[0], time.perf_counter() - started)
            except Exception:  # a page will show the problem to whoever asks; the watcher keeps watching
                _LOG.exception("warming %s failed", version[0])
            # What is alive now (modules, shared results) lives until the next swap: the garbage collector's
            # full passes stop walking it, so they cost what a page run leaves behind, not the whole cache.
            gc.collect()
            gc.freeze()
            warmed = version
        time.sleep(WATCH_SECONDS)
