"""`balanza build`: a fresh database from the manifest data/sources.toml, swapped in atomically."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from etl import settings
from etl.db import write_session
from etl.errors import ManifestError
from etl.load import FileMetadata, LoadResult, ProgressBar, load_into

ENTRY_KEYS = {"path", "publisher", "licence", "origin", "description", "options", "source", "exclude"}


@dataclass(frozen=True)
class ManifestEntry:
    path: Path
    metadata: FileMetadata


@dataclass
class BuildSummary:
    db_path: Path
    results: list[LoadResult] = field(default_factory=list)

    def render(self) -> str:
        lines = [result.render() for result in self.results]
        trade_rows = sum(r.rows for r in self.results if r.table == "trade")
        lines.append(f"built {self.db_path}: {len(self.results)} files, {trade_rows:,} trade rows")
        return "\n".join(lines)


def read_manifest(manifest: Path) -> list[ManifestEntry]:
    """Entries of the manifest, in order (reference tables first: trade files are validated against them)."""
    try:
        document = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{manifest}: manifest not found", hint="run from the project folder") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{manifest}: {exc}", hint="fix the TOML syntax") from None
    entries = []
    for index, raw in enumerate(document.get("file", []), start=1):
        unknown = set(raw) - ENTRY_KEYS
        if "path" not in raw or unknown:
            problem = "has no 'path'" if "path" not in raw else f"unknown keys {sorted(unknown)}"
            raise ManifestError(f"{manifest}: [[file]] entry {index} {problem}", hint="see the keys other entries use")
        if any(char in raw["path"] for char in "*?["):
            # A pattern stands for its matching files, in name order, each with the entry's metadata,
            # except the file names listed in `exclude`.
            skipped = set(raw.get("exclude", []))
            paths = sorted(path.resolve() for path in manifest.parent.glob(raw["path"])
                           if path.is_file() and path.name not in skipped)  # fmt: skip
            if not paths:
                raise ManifestError(f"{manifest}: [[file]] entry {index}: {raw['path']} matches no file",
                                    hint="restore the files or remove the entry")  # fmt: skip
        else:
            paths = [(manifest.parent / raw["path"]).resolve()]
            if not paths[0].exists():
                raise ManifestError(f"{manifest}: [[file]] entry {index}: {raw['path']} does not exist",
                                    hint="restore the file or remove its entry")  # fmt: skip
        for path in paths:
            entries.append(
                ManifestEntry(
                    path,
                    FileMetadata(
                        publisher=raw.get("publisher"),
                        licence=raw.get("licence"),
                        origin=raw.get("origin"),
                        description=raw.get("description"),
                        options=dict(raw.get("options", {})),
                    ),
                )
            )
    if not entries:
        raise ManifestError(f"{manifest}: no [[file]] entries", hint="list the files to load")
    return entries


def build_database(db_path: Path, *, manifest: Path = settings.MANIFEST_PATH, progress: bool = False) -> BuildSummary:
    entries = read_manifest(manifest)
    summary = BuildSummary(db_path)
    with write_session(db_path, fresh=True) as con:
        bar = ProgressBar(len(entries), enabled=progress)
        for entry in entries:
            bar.step(entry.path.name)
            summary.results.append(load_into(con, entry.path, entry.metadata))
        bar.done()
    return summary
