"""`balanza status`: which years each series covers, at which HS levels, read straight from `trade` (or as of a
past time: `trade_as_of`), and the vintages; `balanza verify`: the catalogue and every stored file against
their checksums."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from etl import store
from etl.db import connect_read_only
from etl.errors import DatabaseError
from etl.schema import AREAS_NES, CHINA, COLOMBIA, EUROPEAN_UNION, PEERS, UNITED_STATES, WORLD
from etl.years import format_years


def parse_as_of(text: str) -> datetime:
    """'2026-01-01' → the end of that day (UTC); '2026-01-01T12:00' (or with a space) → that minute."""
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.strptime(text, "%Y-%m-%d") + timedelta(days=1) - timedelta(microseconds=1)
        return datetime.fromisoformat(text.replace(" ", "T")).replace(tzinfo=None)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date like 2026-01-01 or a time like 2026-01-01T12:00"
        ) from None


def _rows(as_of: datetime | None) -> tuple[str, list]:
    return ("trade", []) if as_of is None else (f"{store.AS_OF_MACRO}(?)", [as_of])


def coverage_matrix(db_path: Path, *, as_of: datetime | None = None) -> pd.DataFrame:
    """One row per source × reporter × partner × flow: years present (as ranges), HS levels, row count; with
    ``as_of`` (UTC), of the rows as they were at that time."""
    con = connect_read_only(db_path)
    relation, params = _rows(as_of)
    try:
        with store.explained_read_errors(con, db_path):
            return con.execute(
                f"""
                SELECT source, reporter_iso3, partner_iso3, flow,
                       list(DISTINCT year ORDER BY year) AS years,
                       list(DISTINCT hs_level ORDER BY hs_level) AS hs_levels,
                       bool_or(length(period) = 6) AS monthly,
                       count(*) AS rows
                FROM {relation} GROUP BY ALL ORDER BY source, reporter_iso3, partner_iso3, flow
                """,
                params,
            ).df()
    finally:
        con.close()


def render_coverage(matrix: pd.DataFrame, max_partner_rows: int = 12) -> str:
    """Text table; sources with many partners show the first ones and a count of the rest."""
    if matrix.empty:
        return "the database holds no trade rows"
    lines = [
        f"{'source':<22} {'reporter':<8} {'partner':<8} {'flow':<9} {'HS levels':<10} {'rows':>8}  years"
    ]
    for (source, reporter, flow), group in matrix.groupby(["source", "reporter_iso3", "flow"], sort=True):
        shown = group
        focus = group[
            group["partner_iso3"].isin(
                [WORLD, CHINA, UNITED_STATES, COLOMBIA, "ECU", EUROPEAN_UNION, AREAS_NES]
            )
        ]
        if len(group) > max_partner_rows:
            shown = pd.concat([focus, group.drop(focus.index).head(max_partner_rows - len(focus))])
        for row in shown.to_dict("records"):
            levels = ",".join(str(level) for level in row["hs_levels"])
            years = (format_years(row["years"], dash="-") or "-") + (" (monthly)" if row["monthly"] else "")
            lines.append(f"{source:<22} {reporter:<8} {row['partner_iso3']:<8} {flow:<9} {levels:<10} "
                         f"{row['rows']:>8,}  {years}")  # fmt: skip
        if len(group) > len(shown):
            rest = group.drop(shown.index)
            lines.append(f"{source:<22} {reporter:<8} {'+' + str(len(rest)) + ' more':<8} {flow:<9} {'':<10} "
                         f"{int(rest['rows'].sum()):>8,}  partners not shown")  # fmt: skip
    return "\n".join(lines)


def peer_coverage(db_path: Path) -> pd.DataFrame:
    """Colombia and its peers (etl.schema.PEERS): for each reporter, flow and partner (China, the USA, the World),
    the years of the series of record by the source it takes them from (etl/record.py)."""
    con = connect_read_only(db_path)
    try:
        return con.execute(
            """
            SELECT reporter_iso3, flow, partner_iso3, source, list(DISTINCT year ORDER BY year) AS years,
                   coalesce(list(DISTINCT year ORDER BY year) FILTER (WHERE provisional), []) AS provisional_years
            FROM trade_record
            WHERE list_contains($reporters, reporter_iso3) AND list_contains($partners, partner_iso3)
              AND hs_code = 'TOTAL' AND flow IN ('export', 'import') AND complete
            GROUP BY ALL
            """,
            {"reporters": [COLOMBIA, *PEERS], "partners": [CHINA, UNITED_STATES, WORLD]},
        ).df()
    finally:
        con.close()


def render_peer_coverage(coverage: pd.DataFrame) -> str:
    """One line per reporter, flow and partner: the record's sources in the order the years come."""
    if coverage.empty:
        return "Colombia and its peers: no trade rows with China, the USA or the World"
    lines = [
        "Colombia and its peers: the series of record with China, the USA and the World (complete years by source)",
        f"{'reporter':<8} {'flow':<7} {'partner':<7}  sources and years",
    ]
    order = {code: index for index, code in enumerate([COLOMBIA, *PEERS])}
    partners = {code: index for index, code in enumerate([CHINA, UNITED_STATES, WORLD])}
    keys = sorted(
        {
            (r, f, p)
            for r, f, p in zip(
                coverage["reporter_iso3"], coverage["flow"], coverage["partner_iso3"], strict=True
            )
        },
        key=lambda k: (order[k[0]], k[1], partners[k[2]]),
    )
    for reporter, flow, partner in keys:
        rows = coverage[(coverage["reporter_iso3"] == reporter) & (coverage["flow"] == flow)
                        & (coverage["partner_iso3"] == partner)]  # fmt: skip
        parts = sorted((min(r["years"]), _years_text(r)) for r in rows.to_dict("records"))
        lines.append(f"{reporter:<8} {flow:<7} {partner:<7}  " + "; ".join(text for _, text in parts))
    return "\n".join(lines)


def _years_text(row: dict) -> str:
    text = f"{row['source']} {format_years(row['years'], dash='-')}"
    provisional = list(row["provisional_years"])
    return text + (f" ({format_years(provisional, dash='-')} provisional)" if provisional else "")


@dataclass
class VintageSummary:
    """What the trade rows' vintages are: datasets and rows loaded by then, the revisions among them, the rows
    they superseded (by then), and the first and last load dates."""

    as_of: datetime | None
    datasets: int
    rows: int
    revisions: list[tuple[str, str, int]]  # (file, loaded at, rows of earlier vintages it superseded)
    superseded: int
    first_loaded: datetime | None
    last_loaded: datetime | None


def vintage_summary(db_path: Path, *, as_of: datetime | None = None) -> VintageSummary:
    con = connect_read_only(db_path)
    limit = as_of or datetime.max
    try:
        datasets, first, last = con.execute(
            "SELECT count(*), min(loaded_at), max(loaded_at) FROM datasets WHERE source IS NOT NULL AND loaded_at <= ?",
            [limit],
        ).fetchall()[0]  # fmt: skip
        with store.explained_read_errors(con, db_path):
            rows = con.execute(f"SELECT count(*) FROM {_rows(as_of)[0]}", _rows(as_of)[1]).fetchall()[0][0]
        revisions = con.execute(
            f"""
            SELECT d.path, strftime(d.loaded_at, '%Y-%m-%d %H:%M'), count(s.dataset_id)
            FROM datasets d JOIN {store.SUPERSEDED_TABLE} s ON s.superseded_by = d.dataset_id
            WHERE d.loaded_at <= ? GROUP BY ALL ORDER BY min(d.dataset_id)
            """,
            [limit],
        ).fetchall()
    finally:
        con.close()
    return VintageSummary(as_of, int(datasets), int(rows), [(str(p), str(t), int(n)) for p, t, n in revisions],
                          sum(n for _, _, n in revisions), first, last)  # fmt: skip


def render_vintages(summary: VintageSummary) -> str:
    when = f"as of {summary.as_of:%Y-%m-%d %H:%M:%S} UTC: " if summary.as_of else ""
    if not summary.datasets:
        return f"{when}no trade files were loaded by then" if summary.as_of else ""
    span = (f"loaded {summary.first_loaded:%Y-%m-%d %H:%M}" + (f" to {summary.last_loaded:%Y-%m-%d %H:%M}"
            if summary.last_loaded and summary.first_loaded and summary.last_loaded.date() != summary.first_loaded.date() else "")
            + " UTC") if summary.first_loaded else ""  # fmt: skip
    lines = [f"{when}{summary.rows:,} trade rows from {summary.datasets} trade files, {span}"]
    if summary.revisions:
        lines.append(f"vintages: {len(summary.revisions)} revision(s) superseded {summary.superseded:,} rows of earlier "
                     "releases (see them with --as-of a date before the revision):")  # fmt: skip
        lines += [
            f"  {path} (loaded {loaded} UTC): {count:,} rows" for path, loaded, count in summary.revisions
        ]
    else:
        lines.append("vintages: no observation has been revised (one release of each)")
    return "\n".join(lines)


# ---- balanza verify --------------------------------------------------------------------------------------------


@dataclass
class VerifyReport:
    database: Path
    files: int = 0
    bytes: int = 0
    rows: int = 0
    seconds: float = 0.0
    catalogue: str = ""  # what was found about the catalogue file itself
    problems: list[str] = field(default_factory=list)
    file_problems: list[store.FileProblem] = field(default_factory=list)
    unlisted: int = (
        0  # files in the store no catalogue lists (removed by a later write after the grace period)
    )

    def render(self) -> str:
        lines = [f"catalogue {self.database}: {self.catalogue}"]
        lines += [f"  FAILED: {problem}" for problem in self.problems]
        lines += [f"  FAILED: {problem.describe()}" for problem in self.file_problems]
        verdict = (
            f"{len(self.file_problems)} file(s) do not match" if self.file_problems else "every file matches"
        )
        lines.append(f"store: {self.files} files, {self.rows:,} rows, {self.bytes / 1e6:,.1f} MB read and hashed in "
                     f"{self.seconds:.2f} s: {verdict}")  # fmt: skip
        if self.unlisted:
            lines.append(f"  {self.unlisted} file(s) in the store are listed by no catalogue (kept for the grace period "
                         "for readers of an older catalogue, or left by an interrupted write; removed by a later write)")  # fmt: skip
        return "\n".join(lines)

    def raise_for_problems(self) -> None:
        if self.file_problems:
            raise store.damaged_store_error(self.database, self.file_problems, verified=True)
        if self.problems:
            raise store.damaged_catalogue_error(self.database, self.problems[0], writing=False)


def verify_database(db_path: Path, *, progress: bool = False) -> VerifyReport:
    """Every check Balanza can make: the catalogue file against the checksum recorded at its last commit, every
    table read in full (DuckDB checks each block's checksum), and every listed file's size, footer and sha256."""
    report = VerifyReport(db_path)
    started = time.perf_counter()
    if not db_path.exists():
        raise DatabaseError(
            f"{db_path}: database not found", hint="pass the path of a Balanza database with --db"
        )
    state = store.catalogue_state(store.catalogue_checksum(db_path), store.recorded_checksums(db_path))
    report.catalogue = {
        "as written": "matches the checksum recorded at its last commit",
        "unrecorded": "no checksum recorded (copied without its folder, or new); its tables were read in full",
        "checkpointed elsewhere": "changed and checkpointed by another DuckDB client since Balanza's last commit; "
        "its tables were read in full",
        "damaged": "does NOT match the checksum recorded at its last commit",
    }[state]
    if state == "damaged":
        report.problems.append(store.CHANGED_BYTES)
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        report.problems.append(" ".join(str(exc).split())[:200])
        report.seconds = time.perf_counter() - started
        return report
    try:
        store.use_folder(con, db_path)
        store.check_version(con)
        report.problems += store.read_every_table(con)
        listed = con.execute(f"SELECT count(*), coalesce(sum(size_bytes), 0), coalesce(sum(row_count), 0) "
                             f"FROM {store.FILES_TABLE}").fetchall()[0]  # fmt: skip
        report.files, report.bytes, report.rows = int(listed[0]), int(listed[1]), int(listed[2])
        done = [0]

        def step(path: str, size: int) -> None:
            done[0] += 1
            if progress and sys.stderr.isatty():
                sys.stderr.write(f"\r{done[0]}/{report.files} files {path[-60:]:<60}")
                sys.stderr.flush()

        report.file_problems = store.check_files(con, db_path, content=True, progress=step)
        if progress and sys.stderr.isatty() and report.files:
            sys.stderr.write("\r" + " " * 90 + "\r")
        names = {row[0] for row in con.execute(f"SELECT path FROM {store.FILES_TABLE}").fetchall()}
    finally:
        con.close()
    root = store.catalogue_folder(db_path)
    folder = root / store.store_dir(db_path).name
    if folder.is_dir():
        report.unlisted = sum(
            1 for path in folder.glob("source=*/*.parquet") if path.relative_to(root).as_posix() not in names
        )
    report.seconds = time.perf_counter() - started
    return report
