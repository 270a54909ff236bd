"""Results shared by every session of a server process, kept per database version.

A result that depends only on the database (and its arguments) is computed once per database version and
handed to every session that asks: the first caller computes it, callers arriving meanwhile wait for that
computation instead of repeating it, and a new database version (a writer swapped a new file in) starts
empty. Only the newest version is kept: the first result stored for a new version drops the older version's
results at once (a worker's memory holds one warmed set, not two), and a result an older version's computation
finishes afterwards is handed to its caller without being stored. Sessions still finishing a page on the old file
read the older results from disk (dashboard/disk_results.py) or compute them. No Streamlit here:
dashboard.components supplies the connection and the version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

VERSIONS_KEPT = 1
ENTRIES_PER_VERSION = 512


class VersionedCache:
    """Compute-once results keyed by (database version, key); least recently used entries go first.

    ``is_live(version)`` is asked before a store is made for a version: a result an older version's computation
    finishes after the newer version's first one is handed to its caller and not kept (it would push the live
    version's results out).
    """

    def __init__(
        self,
        *,
        versions_kept: int = VERSIONS_KEPT,
        entries_per_version: int = ENTRIES_PER_VERSION,
        is_live: Callable[[Hashable], bool] | None = None,
    ) -> None:
        self.versions_kept = versions_kept
        # Whether a version is the live database's: a version that is not gets no store of its own (None: all do).
        self.is_live = is_live
        self.entries_per_version = entries_per_version
        self._stores: OrderedDict[Hashable, OrderedDict[Hashable, Any]] = OrderedDict()
        self._inflight: dict[tuple[Hashable, Hashable], threading.Lock] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many times a result was computed (tests and benchmarks read it)

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        """The stored result for ``key`` under ``version``, computing it (once) when missing.

        An exception from ``compute`` reaches the caller and nothing is stored.
        """
        found, value = self._lookup(version, key)
        if found:
            return value
        with self._lock:
            gate = self._inflight.setdefault((version, key), threading.Lock())
        with gate:  # a caller arriving while the result is computed waits here, then finds it stored
            found, value = self._lookup(version, key)
            if found:
                return value
            try:
                value = compute()
                self._store(version, key, value)
                return value
            finally:
                with self._lock:
                    self._inflight.pop((version, key), None)

    def versions(self) -> list[Hashable]:
        with self._lock:
            return list(self._stores)

    def clear(self) -> None:
        with self._lock:
            self._stores.clear()

    def _lookup(self, version: Hashable, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            store = self._stores.get(version)
            if store is None or key not in store:
                return False, None
            store.move_to_end(key)
            return True, store[key]

    def _store(self, version: Hashable, key: Hashable, value: object) -> None:
        with self._lock:
            self.computed += 1
            store = self._stores.get(version)
            if store is None:
                if self._stores and self.is_live is not None and not self.is_live(version):
                    return  # an older version's late result: its caller has it, the cache does not keep it
                store = self._stores[version] = OrderedDict()
                while len(self._stores) > self.versions_kept:
                    self._stores.popitem(last=False)
            store[key] = value
            while len(store) > self.entries_per_version:
                store.popitem(last=False)


def freeze(value: object) -> Hashable:
    """A hashable stand-in for call arguments: lists and tuples → tuples, dicts → sorted item tuples."""
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return tuple(sorted(freeze(item) for item in value))  # type: ignore[type-var]
    hash(value)  # unhashable arguments fail here, loudly, rather than being cached under a wrong key
    return value
