"""Results every session shares, kept on disk per database version, so every server process reads what one computed.

The second tier under the in-process cache (dashboard/cache.py): a result of a ``shared`` function (claim cards,
scenario markets and runs, the product catalogue, figures) is written once per database version into a folder
beside the database, and every Streamlit process of ``balanza serve --workers N`` reads it instead of computing
it again::

    balanza.duckdb
    balanza.duckdb.results/<inode>-<mtime_ns>-<code>/<digest>.pickle   one result
    balanza.duckdb.results/<inode>-<mtime_ns>-<code>/<digest>.lock     taken while one process computes it

The version folder is named after the database file's identity (a writer swaps a new file in: a new folder) and
a digest of the code that computes the results and of the library versions that pickle them (an upgraded server
never reads what older code wrote). A result's file is named after a digest of its key (the function's qualified
name and its arguments, frozen); the key is stored beside the result and compared when read. Only keys made of
strings, numbers, booleans, None and tuples of them are written (their text is the same in every process).

- **Written atomically**: a temporary file (mode 0600) is written, fsynced and renamed over the result's name,
  so a reader sees a whole result or none. A result is written only while its version is the live database
  (a result computed across a swap stays in memory).
- **Computed once**: a process about to compute a result takes the result's lock file (``flock``), reads again,
  and computes only when no other process wrote it meanwhile; one that waits longer than ``LOCK_WAIT_SECONDS``
  computes it itself.
- **Two versions kept**: when a process makes the folder of a new version, it removes every other version's
  folder but the newest one (renamed aside first, then removed). A process still reading a removed result has it
  open; one that finds it gone computes it.
- **Never an error on a page**: an unreadable or damaged file is computed again and overwritten; a result that
  cannot be pickled, a full disk or a folder removed meanwhile leave the result in memory only.
- **Private**: results are Python pickles, and unpickling runs code, so the folder belongs to the server's user
  alone: made 0700, files 0600; a folder owned by another user, or that its group or others may write, is not
  used (logged once, results kept in memory only). The same when the folder cannot be made (a read-only database
  folder): ``BALANZA_RESULTS`` names another folder, or ``off`` keeps results in each process's memory only.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import importlib.metadata
import logging
import os
import pickle
import secrets
import shutil
import stat
import sys
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from etl import settings

_LOG = logging.getLogger("balanza.results")
T = TypeVar("T")

SUFFIX = ".results"  # the folder beside the database: <database>.results/
LOCK_WAIT_SECONDS = 120.0  # at most this long waiting for another process computing the same result
LOCK_POLL_SECONDS = 0.02
VERSIONS_KEPT = 2  # the live version's folder and the newest other one
# What the stored results depend on besides the database: the code that computes them, the data files it reads,
# and the libraries whose objects are pickled.
CODE_FOLDERS = ("dashboard", "model", "etl", "seeds")
CODE_SUFFIXES = (".py", ".json", ".toml", ".csv", ".yaml", ".yml", ".txt")
PICKLED_LIBRARIES = ("pandas", "numpy", "plotly", "pyarrow", "duckdb")
_PLAIN = (str, int, float, bool, bytes, type(None))


def results_folder(database: str | os.PathLike[str]) -> Path | None:
    """Where results of ``database`` are kept (``BALANZA_RESULTS``): None when it is ``off``."""
    chosen = settings.RESULTS.get()
    if chosen is not None and chosen.lower() == "off":
        return None
    if chosen is not None:
        return Path(chosen)
    return Path(f"{os.fspath(database)}{SUFFIX}")


def key_text(key: Hashable) -> str | None:
    """The key's text, the same in every process: None for a key holding anything but strings, numbers,
    booleans, None and tuples of them (such a result stays in memory)."""

    def plain(value: object) -> bool:
        if isinstance(value, tuple):
            return all(plain(item) for item in value)
        return isinstance(value, _PLAIN)

    return repr(key) if plain(key) else None


_STAMP: list[str] = []


def code_stamp() -> str:
    """A digest of the code that computes the results, the data files it reads and the versions of Python and of
    the libraries that pickle them (computed once per process)."""
    if not _STAMP:
        digest = hashlib.blake2b(digest_size=6)
        digest.update(sys.version.encode())
        for name in PICKLED_LIBRARIES:
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        for folder in CODE_FOLDERS:
            for path in sorted((settings.PROJECT_ROOT / folder).rglob("*")):
                if path.suffix in CODE_SUFFIXES and path.is_file():
                    digest.update(str(path.relative_to(settings.PROJECT_ROOT)).encode())
                    digest.update(path.read_bytes())
        _STAMP.append(digest.hexdigest())
    return _STAMP[0]


class DiskResults:
    """The results of one database path on disk, in ``folder``; per version, keyed by text."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.read = 0  # results read from disk (tests and benchmarks read it)
        self.written = 0
        self._usable: bool | None = None
        self._made: set[str] = set()  # version folders this process made or found
        self._lock = threading.Lock()

    def get(self, identity: tuple[int, int], key: Hashable, compute: Callable[[], T],
            is_live: Callable[[], bool]) -> T:  # fmt: skip
        """The result stored for ``key`` under the database file ``identity``, else ``compute()`` (written
        when the database is still ``is_live()`` afterwards). An exception from ``compute`` reaches the caller."""
        text = key_text(key)
        if text is None or not self._check_folder():
            return compute()
        version = self.folder / f"{identity[0]}-{identity[1]}-{code_stamp()}"
        name = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        path = version / f"{name}.pickle"
        found, value = self._read(path, text)
        if found:
            return value
        if not is_live() or not self._version_folder(version):
            return compute()
        with self._locked(version / f"{name}.lock"):
            found, value = self._read(path, text)
            if found:
                return value
            value = compute()
            if is_live():
                self._write(path, text, value)
            return value

    def clear(self) -> None:
        """Remove every stored result (every version's folder; benchmarks and tests start cold this way)."""
        with self._lock:
            self._made.clear()
        if self.folder.is_dir() and self._check_folder():
            self._remove_old(keep=None)

    # ---- reading and writing -------------------------------------------------------------------------------

    def _read(self, path: Path, text: str) -> tuple[bool, Any]:
        try:
            with open(path, "rb") as handle:
                stored_text, value = pickle.load(handle)  # a pickle: the folder is the server user's alone
        except FileNotFoundError:
            return False, None
        except Exception as exc:  # a damaged file: computed again and overwritten
            _LOG.warning(
                "unreadable stored result %s (%s: %s): computing it again", path, type(exc).__name__, exc
            )
            return False, None
        if stored_text != text:
            _LOG.warning("stored result %s is another key's: computing it again", path)
            return False, None
        with self._lock:
            self.read += 1
        return True, value

    def _write(self, path: Path, text: str, value: object) -> None:
        try:
            data = pickle.dumps((text, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an object pickle cannot take: the result stays in memory
            _LOG.debug("result %s not stored (%s: %s)", text[:120], type(exc).__name__, exc)
            return
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    temporary.unlink()
                raise
        except OSError as exc:  # a full disk, or the folder removed meanwhile (an older version's)
            _LOG.debug("result %s not stored (%s)", path, exc)
            if exc.errno == errno.ENOENT:
                with self._lock:
                    self._made.discard(path.parent.name)  # made again by the next result, if still live
            return
        with self._lock:
            self.written += 1

    @contextlib.contextmanager
    def _locked(self, lock_path: Path) -> Iterator[None]:
        """Hold ``lock_path``'s flock (waiting for the process computing the same result); without it when it
        cannot be opened or another process holds it past LOCK_WAIT_SECONDS."""
        try:
            descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield
            return
        try:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        _LOG.warning(
                            "waited %.0fs for %s: computing it here too", LOCK_WAIT_SECONDS, lock_path
                        )
                        break
                    time.sleep(LOCK_POLL_SECONDS)
            yield
        finally:
            os.close(descriptor)  # releases the lock

    # ---- folders -----------------------------------------------------------------------------------------

    def _check_folder(self) -> bool:
        """Whether the results folder can be used: made (0700) when missing; owned by this user and written by
        nobody else. Decided once per process; a refusal is logged."""
        if self._usable is not None:
            return self._usable
        with self._lock:
            if self._usable is None:
                self._usable = self._usable_folder()
            return self._usable

    def _usable_folder(self) -> bool:
        try:
            self.folder.mkdir(mode=0o700)
            os.chmod(self.folder, 0o700)  # the mode mkdir gave passed through the umask
        except FileExistsError:
            pass
        except OSError as exc:
            _LOG.warning("results kept in memory only: cannot make %s (%s)", self.folder, exc.strerror or exc)
            return False
        try:
            info = os.stat(self.folder, follow_symlinks=False)
        except OSError as exc:
            _LOG.warning("results kept in memory only: %s (%s)", self.folder, exc.strerror or exc)
            return False
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            _LOG.warning(
                "results kept in memory only: %s is not a folder of this user that only it may write "
                "(stored results are pickles: see dashboard/disk_results.py)",
                self.folder,
            )
            return False
        return True

    def _version_folder(self, version: Path) -> bool:
        """Make the folder of a (live) version when missing, then remove older versions' folders."""
        if version.name in self._made:
            return True
        try:
            version.mkdir(mode=0o700)
            os.chmod(version, 0o700)
        except FileExistsError:
            pass
        except OSError as exc:
            _LOG.debug("no folder %s (%s)", version, exc)
            return False
        else:
            self._remove_old(keep=version)
        with self._lock:
            self._made.add(version.name)
        return True

    def _remove_old(self, keep: Path | None) -> None:
        """Remove every version folder but ``keep`` and the newest other one (by modification time; with
        ``keep`` None, every one): renamed aside (atomic), then removed."""
        try:
            others = [entry for entry in self.folder.iterdir() if keep is None or entry.name != keep.name]
        except OSError:
            return
        versions = [entry for entry in others if not entry.name.startswith(".")]
        versions.sort(key=_mtime, reverse=True)
        kept = 0 if keep is None else VERSIONS_KEPT - 1
        doomed = versions[kept:] + [entry for entry in others if entry.name.startswith(".old-")]
        for entry in doomed:
            aside = entry if entry.name.startswith(".old-") else self.folder / f".old-{secrets.token_hex(6)}"
            try:
                if aside != entry:
                    os.rename(entry, aside)
            except OSError as exc:
                if exc.errno != errno.ENOENT:  # another process removed it first
                    _LOG.debug("cannot rename %s aside (%s)", entry, exc)
                continue
            shutil.rmtree(aside, ignore_errors=True)
            with self._lock:
                self._made.discard(entry.name)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
