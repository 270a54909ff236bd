"""`balanza build`: a fresh database from the manifest data/sources.toml, swapped in atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from etl import settings
from etl.db import write_session
from etl.load import LoadResult, ProgressBar, load_into
from etl.manifest import ManifestEntry, read_manifest


@dataclass
class BuildSummary:
    db_path: Path
    results: list[LoadResult] = field(default_factory=list)

    def render(self, *, per_file: bool = True) -> str:
        lines = [result.render() for result in self.results] if per_file else []
        trade_rows = sum(r.rows for r in self.results if r.table == "trade")
        lines.append(f"built {self.db_path}: {len(self.results)} files, {trade_rows:,} trade rows")
        return "\n".join(lines)


def build_database(
    db_path: Path,
    *,
    manifest: Path = settings.MANIFEST_PATH,
    progress: bool = False,
    keep: Callable[[ManifestEntry], bool] | None = None,
) -> BuildSummary:
    """A fresh database from the manifest's files, in order; ``keep`` (tests' small databases) skips the
    entries it returns False for."""
    entries = [entry for entry in read_manifest(manifest) if keep is None or keep(entry)]
    summary = BuildSummary(db_path)
    with write_session(db_path, fresh=True) as con:
        bar = ProgressBar(len(entries), enabled=progress)
        for entry in entries:
            bar.step(entry.path.name)
            summary.results.append(load_into(con, entry.path, entry.metadata))
        bar.done()
    return summary
