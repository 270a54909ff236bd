"""The manifest (data/sources.toml): which files a build loads, in order, and what is said about each."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.errors import ManifestError

ENTRY_KEYS = {"path", "publisher", "licence", "origin", "description", "options", "source", "exclude"}


@dataclass
class FileMetadata:
    """What the manifest says about a file (publisher, licence, origin); defaults come from its format."""

    publisher: str | None = None
    licence: str | None = None
    origin: str | None = None
    description: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ManifestEntry:
    path: Path
    metadata: FileMetadata


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
            raise ManifestError(
                f"{manifest}: [[file]] entry {index} {problem}", hint="see the keys other entries use"
            )
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
