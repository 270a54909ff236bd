"""The statements checked: one `ClaimSpec` per [[claim]] in seeds/claims.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.settings import SEEDS_DIR

CLAIMS_PATH = SEEDS_DIR / "claims.toml"

KINDS = ("checkable", "scenario", "context", "out_of_scope")


@dataclass(frozen=True)
class ClaimSpec:
    """One statement from seeds/claims.toml."""

    id: int
    article: str
    date: str
    speaker: str
    quote: str
    kind: str
    check: str
    summary: str
    tolerance: dict[str, Any]
    tolerance_text: str
    link_page: str | None = None
    link_params: dict[str, str] = field(default_factory=dict)
    scenario_preset: str | None = None
    related_quote: str | None = None
    related_article: str | None = None
    spanish: dict[str, str] = field(default_factory=dict)  # speaker, summary, tolerance_text in Spanish

    def text(self, name: str, lang: str = "en") -> str:
        """``speaker``, ``summary`` or ``tolerance_text`` in ``lang`` (English where no Spanish is given)."""
        english = str(getattr(self, name))
        return self.spanish.get(name, english) if lang == "es" else english


def read_claims(path: Path = CLAIMS_PATH) -> list[ClaimSpec]:
    """Parse claims.toml into specs, in file order."""
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)
    specs = []
    for item in raw.get("claim", []):
        tolerance = dict(item.get("tolerance", {}))
        link = item.get("link", {})
        specs.append(
            ClaimSpec(
                id=int(item["id"]),
                article=item["article"],
                date=str(item["date"]),
                speaker=item["speaker"],
                quote=item["quote"],
                kind=item["kind"],
                check=item["check"],
                summary=item.get("summary", ""),
                tolerance=tolerance,
                tolerance_text=str(tolerance.pop("text", "")),
                spanish={
                    key: str(value)
                    for key, value in (
                        ("speaker", item.get("speaker_es")),
                        ("summary", item.get("summary_es")),
                        ("tolerance_text", tolerance.pop("text_es", None)),
                    )
                    if value
                },
                link_page=link.get("page"),
                link_params={k: str(v) for k, v in link.get("params", {}).items()},
                scenario_preset=item.get("scenario_preset"),
                related_quote=item.get("related_quote"),
                related_article=item.get("related_article"),
            )
        )
    return specs
