"""The serving machinery of one dashboard process, owned by one object: :class:`Runtime`.

What a Streamlit server process keeps for all its sessions lives here, not in the page helpers: the read-only
connection per database file (replaced when a writer swaps a new file in), the results shared by every session
(per database version, in memory and on disk for every process: dashboard/disk_results.py), the tables rendered once and shared, the queries pages asked for recently, the warming
thread, ``gc.freeze`` after warming, and the patch of Streamlit's private helper that sends a shared table's
display text again. ``start()`` installs the patch and starts the warming thread; ``close()`` stops the thread,
takes the patch out, unfreezes the collector, forgets the caches and closes the connections. The page helpers
(dashboard/components.py) use one process-wide instance.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import inspect
import logging
import os
import pickle
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard.cache import VersionedCache, freeze
from dashboard.disk_results import DiskResults, results_folder
from etl import settings
from etl.db import connect_read_only, file_identity

_LOG = logging.getLogger("balanza.runtime")
T = TypeVar("T")

DatabaseVersion = tuple[str, tuple[int, int] | None]

# Streamlit's private helper that turns a Styler's rendering into display text, and its parameters: the patch
# replaces it with a function of the same parameters (Runtime.start checks both before patching).
STYLER_MODULE = "streamlit.elements.lib.pandas_styler_utils"
PATCHED_HELPER = "_marshall_display_values"
PATCHED_PARAMETERS = 3  # (proto, df, styles)


def database_key() -> DatabaseVersion:
    """(path, file identity) of the served database: changes whenever a writer swaps a new file in."""
    path = settings.db_path()
    return str(path), file_identity(path)


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

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con, self._identity = None, None

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


def frame_digest(frame: pd.DataFrame) -> Hashable:
    """A key for ``frame``'s content: a digest of its pickle (column names, dtypes, index and values). Two
    frames with the same content built the same way get the same key; different contents never share one.
    Raises TypeError for a frame that cannot be pickled."""
    try:
        data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError) as exc:
        raise TypeError(str(exc)) from exc
    return len(frame), hashlib.blake2b(data, digest_size=16).hexdigest()


def arguments_key(signature: inspect.Signature, args: tuple, kwargs: dict) -> Hashable:
    """The call's arguments by name with the defaults filled in, so f(a, b) and f(a, b, default) or
    f(a, b=b) are one key (a result is not computed twice for two spellings of one call)."""
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return freeze(dict(bound.arguments))


def own_copy(value: T) -> T:
    """What a caller of a shared query gets: its own copy of frames, series, lists and tuples of them (so a page
    may change what it receives); anything else as it is."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()  # type: ignore[return-value]
    if isinstance(value, list):
        return list(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(own_copy(item) for item in value)  # type: ignore[return-value]
    return value


class Runtime:
    """The caches, the warming thread and the Streamlit patch of one server process.

    ``warm`` (given to :meth:`start`) is a generator function: each step computes something the first visitor
    of a page would otherwise wait for, then yields, so :meth:`close` can stop warming between two steps.
    After it the queries pages asked for recently are asked again (after a swap: on the new database).
    After each warming the collector runs once; with ``freeze_after_warming`` what is alive then (modules, shared
    results) is frozen (``gc.freeze()``) so the collector's full passes stop walking it; the next swap unfreezes
    it first.
    """

    def __init__(
        self,
        *,
        watch_seconds: float = 1.0,
        asked_kept: int = 256,
        freeze_after_warming: bool = True,
        stop_timeout: float = 60.0,
    ) -> None:
        self.watch_seconds = watch_seconds
        self.asked_kept = asked_kept
        self.freeze_after_warming = freeze_after_warming
        self.stop_timeout = stop_timeout
        # Results every session shares, per database version (frames, figures, claim cards, model runs); those
        # asked through shared_result are also kept on disk for every process (dashboard/disk_results.py).
        self.shared = VersionedCache(is_live=_is_live)
        self._disk: dict[tuple[str, Path], DiskResults] = {}
        # Tables as st.dataframe shows them, by content: pandas' rendering of a Styler (every cell's display
        # text) is done once per distinct table and shared by every session that shows it. Keyed by the frame's
        # content, not by the database version, so a result of a new database is a new key; the least
        # recently used go first.
        self.styled = VersionedCache(versions_kept=1, entries_per_version=256)
        self.patched = False  # the display-text patch is installed (by this runtime or another one)
        self.warmed: DatabaseVersion | None = None  # the database version warming last finished
        self._asked: OrderedDict[Hashable, Callable[[], object]] = OrderedDict()
        self._asked_lock = threading.Lock()
        self._connections: dict[str, LiveConnection] = {}
        self._connections_lock = threading.Lock()
        self._lock = threading.Lock()
        self._started = False
        self._original_helper: Callable[..., None] | None = (
            None  # set while this runtime's patch is installed
        )
        self._warmer: threading.Thread | None = None
        self._stop = threading.Event()
        self._frozen = False

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self, warm: Callable[[], Iterable[object]] | None = None) -> None:
        """Install the display-text patch (once) and, when ``warm`` is given, start the warming thread (once).

        Cheap when already started: the frame calls it on every page run. A patch whose target Streamlit no
        longer has is logged as an error and left out (tables are then marshalled afresh: slower, the same).
        """
        with self._lock:
            if not self._started:
                self._stop.clear()
                self.patched = self._install_patch()
                self._started = True
            if warm is not None and (self._warmer is None or not self._warmer.is_alive()):
                self._warmer = threading.Thread(
                    target=self._watch, args=(warm,), name="balanza-warm", daemon=True
                )
                self._warmer.start()

    def close(self) -> None:
        """Stop the warming thread (between two warming steps) and wait for it, take the patch out, unfreeze
        the collector, forget every cached result and close the connections. ``start`` may be called again."""
        with self._lock:
            self._stop.set()
            warmer, self._warmer = self._warmer, None
        if warmer is not None:
            warmer.join(self.stop_timeout)
            if warmer.is_alive():
                _LOG.error("the warming thread did not stop within %.0fs", self.stop_timeout)
        with self._lock:
            self._remove_patch()
            if self._frozen:
                gc.unfreeze()
                self._frozen = False
            self._started = False
        self.clear_caches(stored=False)
        with self._asked_lock:
            self._asked.clear()
        with self._connections_lock:
            connections = list(self._connections.values())
            self._connections.clear()
        for live in connections:
            live.close()

    @property
    def warming(self) -> bool:
        """The warming thread is running."""
        return self._warmer is not None and self._warmer.is_alive()

    def clear_caches(self, *, stored: bool = True) -> None:
        """Forget every shared result and rendered table (benchmarks time the first visitor after a rebuild
        this way); with ``stored``, the results stored on disk for the served database too (every process's)."""
        self.shared.clear()
        self.styled.clear()
        st.cache_data.clear()
        if stored:
            for disk in {*self._disk.values(), self.disk_results(str(settings.db_path()))}:
                if disk is not None:
                    disk.clear()

    # ---- shared results ----------------------------------------------------------------------------------

    def disk_results(self, path: str) -> DiskResults | None:
        """The results on disk of the database at ``path`` (None: ``BALANZA_RESULTS=off``)."""
        folder = results_folder(path)
        if folder is None:
            return None
        with self._lock:
            return self._disk.setdefault((path, folder), DiskResults(folder))

    def shared_result(self, version: DatabaseVersion, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``key`` under ``version``: from this process's memory, else from disk (what any
        process of this server computed for the version), else ``compute()`` (stored in both)."""
        path, identity = version
        disk = self.disk_results(path) if identity is not None else None
        if disk is None or identity is None:
            return self.shared.get(version, key, compute)
        stored = identity
        return self.shared.get(
            version, key, lambda: disk.get(stored, key, compute, lambda: _is_live(version))
        )

    # ---- connections -------------------------------------------------------------------------------------

    def connection(self, path: str) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int] | None]:
        """The read-only connection to the current file at ``path`` and that file's identity."""
        with self._connections_lock:
            live = self._connections.setdefault(path, LiveConnection(path))
        return live.current()

    # ---- what pages asked for ------------------------------------------------------------------------------

    def remember(self, key: Hashable, make_call: Callable[[], Callable[[], object]]) -> None:
        """Note a query a page asked for (``make_call`` makes the call that asks it again), most recent last;
        the ``asked_kept`` most recent distinct calls are kept."""
        with self._asked_lock:
            if key in self._asked:
                self._asked.move_to_end(key)
                return
            self._asked[key] = make_call()
            while len(self._asked) > self.asked_kept:
                self._asked.popitem(last=False)

    def asked_recently(self) -> list[Callable[[], object]]:
        """The recently asked queries as calls, oldest first."""
        with self._asked_lock:
            return list(self._asked.values())

    # ---- shared tables -----------------------------------------------------------------------------------

    def shared_styler(self, key_parts: Hashable, frame: pd.DataFrame, build: Callable[[], Styler]) -> Styler:
        """``build()`` (a Styler of ``frame``), rendered once per (``key_parts``, content of ``frame``) and shared.

        ``key_parts`` must name everything else the Styler depends on (language, units, decimals). st.dataframe
        marshals a Styler by calling its ``_compute()`` and ``_translate(False, False)`` (pandas' rendering of
        every cell, the bulk of a table's cost); the shared Styler answers both from the first rendering, and
        with the patch installed the display text Streamlit made of it the first time is sent again. Any other
        call goes to pandas. A frame that cannot be pickled is styled afresh.
        """
        try:
            key = (key_parts, frame_digest(frame))
        except TypeError:
            return build()
        return self.styled.get("content", key, lambda: _rendered_once(build()))

    # ---- the patch -----------------------------------------------------------------------------------------

    def _install_patch(self) -> bool:
        from streamlit.elements.lib import pandas_styler_utils as styler_utils

        original = getattr(styler_utils, PATCHED_HELPER, None)
        if getattr(original, "shares_rendering", False):
            return True  # another runtime of this process installed it
        if original is None or not callable(original):
            _LOG.error(
                "streamlit %s has no %s.%s: shared tables are marshalled afresh on every run (slower); "
                "see dashboard/runtime.py",
                st.__version__, STYLER_MODULE, PATCHED_HELPER,
            )  # fmt: skip
            return False
        try:
            parameters = len(inspect.signature(original).parameters)
        except (TypeError, ValueError):
            parameters = -1
        if parameters != PATCHED_PARAMETERS:
            _LOG.error(
                "streamlit %s: %s.%s takes %d parameters, not %d: not patched, shared tables are marshalled "
                "afresh on every run (slower); see dashboard/runtime.py",
                st.__version__, STYLER_MODULE, PATCHED_HELPER, parameters, PATCHED_PARAMETERS,
            )  # fmt: skip
            return False
        setattr(styler_utils, PATCHED_HELPER, _sharing_marshall(original))
        self._original_helper = original
        return True

    def _remove_patch(self) -> None:
        if self._original_helper is None:
            return
        from streamlit.elements.lib import pandas_styler_utils as styler_utils

        setattr(styler_utils, PATCHED_HELPER, self._original_helper)
        self._original_helper = None
        self.patched = False

    # ---- warming -------------------------------------------------------------------------------------------

    def _watch(self, warm: Callable[[], Iterable[object]]) -> None:
        while not self._stop.is_set():
            version = database_key()
            if version != self.warmed and version[1] is not None:
                self._warm(version, warm)
            self._stop.wait(self.watch_seconds)

    def _warm(self, version: DatabaseVersion, warm: Callable[[], Iterable[object]]) -> None:
        started = time.perf_counter()
        if self._frozen:
            gc.unfreeze()  # the previous version's results may be freed now
            self._frozen = False
        try:
            for _ in warm():
                if self._stop.is_set():
                    return
            for call in self.asked_recently():  # what pages asked for on the previous database
                if self._stop.is_set():
                    return
                try:
                    call()
                except Exception:  # a page asking it again shows the problem; warming goes on
                    _LOG.exception("warming a recently asked query failed")
            _LOG.info("warmed %s in %.1fs", version[0], time.perf_counter() - started)
        except Exception:  # a page will show the problem to whoever asks; the watcher keeps watching
            _LOG.exception("warming %s failed", version[0])
        gc.collect()  # warming's own garbage goes now, not during somebody's page
        release_free_memory()  # the previous version's results, freed, go back to the system
        if self.freeze_after_warming:
            # What is alive now (modules, shared results) lives until the next swap: the garbage collector's
            # full passes stop walking it, so they cost what a page run leaves behind, not the whole cache.
            gc.freeze()
            self._frozen = True
        self.warmed = version


def release_free_memory() -> bool:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim(0)``): the frames of a replaced
    database version's results are freed in the middle of the heap, where glibc keeps them otherwise, so a worker
    would grow with every swap. False where there is no glibc."""
    if _MALLOC_TRIM is None:
        return False
    _MALLOC_TRIM(0)
    return True


def _glibc_malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _glibc_malloc_trim() if sys.platform.startswith("linux") else None


def _is_live(version: Hashable) -> bool:
    """Whether ``version`` (a :data:`DatabaseVersion`) is the file at its path now."""
    if not (isinstance(version, tuple) and len(version) == 2 and isinstance(version[0], str)):
        return True  # not a database version (a test's own key): kept
    return file_identity(Path(version[0])) == version[1]


class _Rendered(dict):
    """pandas' rendering of a shared Styler, and the display text streamlit made of it (kept after the first
    time it was sent)."""

    display_values: bytes | None = None


def _sharing_marshall(original: Callable[..., None]) -> Callable[..., None]:
    """Streamlit turns a Styler's rendering into a frame of display texts (cell by cell) every time it sends
    the table: for a shared Styler the bytes of the first time are sent again. Any other Styler is marshalled
    as Streamlit does."""

    def marshall(proto: Any, frame: pd.DataFrame, styles: Mapping[str, object]) -> None:
        kept = styles.display_values if isinstance(styles, _Rendered) else None
        if kept is not None:
            proto.styler.display_values = kept
            return
        original(proto, frame, styles)
        if isinstance(styles, _Rendered):
            styles.display_values = proto.styler.display_values

    marshall.shares_rendering = True  # type: ignore[attr-defined]
    marshall.original = original  # type: ignore[attr-defined]
    return marshall


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
