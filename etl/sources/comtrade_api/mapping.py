"""Balanza's terms → the API's: ISO3 areas to Comtrade's numeric codes, HS levels and flows to its codes, and one
call's filters (``ComtradeQuery``) as query parameters, a description and the name its answer is cached under."""

from __future__ import annotations

import csv
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from etl import settings
from etl.schema import CHINA, COLOMBIA, UNITED_STATES, WORLD
from etl.sources.comtrade_api.errors import ComtradeError

# Balanza's HS levels → Comtrade's cmdCode for "every code at that level".
LEVEL_CMD_CODES = {"TOTAL": "TOTAL", "HS2": "AG2", "HS4": "AG4", "HS6": "AG6"}
FLOW_CODES = {"import": "M", "export": "X"}

# Codes that must not depend on the reference table: the USA reports as 842 (with Puerto Rico and the
# US Virgin Islands), not its M49 840; the World partner is 0.
AREA_CODE_OVERRIDES = {WORLD: 0, UNITED_STATES: 842, COLOMBIA: 170, CHINA: 156}
REFERENCE_DIR = settings.DATA_DIR / "raw" / "reference" / "uncomtrade-reference"
PARTNER_AREAS_CSV = REFERENCE_DIR / "comtrade_partner_areas.csv"
HS_CODES_CSV = REFERENCE_DIR / "comtrade_cmd_HS_combined.csv"


@dataclass(frozen=True)
class ComtradeQuery:
    """One call's filters. Fixed: goods, annual, HS; totals over customs procedure, transport mode, partner 2."""

    reporter_code: int
    partner_codes: tuple[int, ...]
    years: tuple[int, ...]
    flow_codes: tuple[str, ...]
    cmd_codes: tuple[str, ...]

    def params(self) -> dict[str, str]:
        return {
            "reporterCode": str(self.reporter_code),
            "partnerCode": ",".join(str(code) for code in self.partner_codes),
            "period": ",".join(str(year) for year in self.years),
            "cmdCode": ",".join(self.cmd_codes),
            "flowCode": ",".join(self.flow_codes),
            "customsCode": "C00",
            "motCode": "0",
            "partner2Code": "0",
            "includeDesc": "TRUE",
        }

    def cache_name(self) -> str:
        """A file name derived from the filters alone (never from the key or the endpoint)."""
        canonical = urlencode(sorted(self.params().items()))
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
        if len(self.cmd_codes) == 1:
            cmd = self.cmd_codes[0]
        else:
            cmd = f"{self.cmd_codes[0]}-{self.cmd_codes[-1]}x{len(self.cmd_codes)}"
        partners = "+".join(str(code) for code in self.partner_codes)
        years = "+".join(str(year) for year in self.years)
        return f"C_A_HS-r{self.reporter_code}-p{partners}-y{years}-{''.join(self.flow_codes)}-{cmd}-{digest}.json"

    def describe(self) -> str:
        """E.g. 'COL→CHN 2010 M,X TOTAL' (Comtrade codes shown where no ISO3 is known)."""
        if len(self.cmd_codes) <= 3:
            cmd = ",".join(self.cmd_codes)
        else:
            cmd = f"{len(self.cmd_codes)} codes {self.cmd_codes[0]}…{self.cmd_codes[-1]}"
        partners = ",".join(area_label(code) for code in self.partner_codes)
        years = ",".join(map(str, self.years))
        return f"{area_label(self.reporter_code)}→{partners} {years} {','.join(self.flow_codes)} {cmd}"


@functools.cache
def _area_codes_from_reference(path: Path = PARTNER_AREAS_CSV) -> dict[str, int]:
    codes: dict[str, int] = {}
    if not path.exists():
        return codes
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            iso3 = (row.get("iso_3") or "").strip().upper()
            if len(iso3) != 3 or (row.get("exit_year") or "").strip():
                continue  # areas that no longer exist (e.g. the former Fed. Rep. of Germany) are not asked for
            codes.setdefault(iso3, int(row["id"]))
    return codes


def area_label(code: int) -> str:
    """The ISO3 code for a Comtrade area code, or the number itself when none is known."""
    for iso3, known in AREA_CODE_OVERRIDES.items():
        if known == code:
            return iso3
    for iso3, known in _area_codes_from_reference().items():
        if known == code:
            return iso3
    return str(code)


def area_code(area: str) -> int:
    """Comtrade's numeric area code for an ISO3 code (COL → 170, USA → 842, WLD → 0) or a numeric code."""
    text = area.strip().upper()
    if text.isdigit():
        return int(text)
    if text in AREA_CODE_OVERRIDES:
        return AREA_CODE_OVERRIDES[text]
    codes = _area_codes_from_reference()
    if text not in codes:
        raise ComtradeError(
            f"unknown area '{area}'",
            hint=f"use an ISO3 code listed in {PARTNER_AREAS_CSV.name} or a Comtrade numeric code",
        )
    return codes[text]


@functools.cache
def hs_codes_by_chapter(level: int, path: Path = HS_CODES_CSV) -> dict[str, tuple[str, ...]]:
    """HS codes of one level (4 or 6) grouped by chapter, from Comtrade's combined list (all HS editions)."""
    grouped: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["id"].strip()
            if len(code) == level and code.isdigit():
                grouped.setdefault(code[:2], []).append(code)
    return {chapter: tuple(sorted(codes)) for chapter, codes in sorted(grouped.items())}
