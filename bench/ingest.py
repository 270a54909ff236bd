"""Ingest benchmark: `balanza load` of a 5-million-row Comtrade+ CSV vs DuckDB's own read_csv.

Generates the CSV once (fixed seed, all 47 Comtrade+ columns, unique observations), then runs each contender in a
fresh process, alternating, and reports wall time, CPU time (user + system of the process and its threads), rows/s,
peak RSS and two throughput ratios, each against a floor measured in the same run: DuckDB reading all 47 columns
into a table, and DuckDB reading only the 12 columns a load keeps. The machine's load average is printed at the
start and the end: on a shared machine wall times stretch with the load, CPU times much less.
Targets: ratio >= 0.8 against the 12-column read and balanza peak RSS <= 600 MB.

    .venv/bin/python bench/ingest.py [--rows 5000000] [--workdir bench/out]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import store  # noqa: E402
from etl.db import write_session  # noqa: E402
from etl.schema import COMTRADE_PLUS_COLUMNS  # noqa: E402

REPORTERS = [170, 156, 842, 76, 32, 484, 152, 604, 218, 124, 276, 250, 380, 724, 392, 410, 356, 36, 710, 818]


def generate_csv(path: Path, rows: int, seed: float = 0.42) -> None:
    """Unique (reporter, partner, flow, year, HS6) combinations; values drawn with a fixed seed."""
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed})")
    partners = [r[0] for r in con.execute(
        "SELECT min(CAST(CAST(id AS DOUBLE) AS INTEGER)) AS code FROM read_csv(?, all_varchar = true) "
        "WHERE iso_3 ~ '^[A-Z]{3}$' GROUP BY iso_3 ORDER BY code LIMIT 50",
        [str(ROOT / "data/raw/reference/uncomtrade-reference/comtrade_partner_areas.csv")],
    ).fetchall()]  # fmt: skip
    codes = [r[0] for r in con.execute(
        "SELECT hscode FROM read_csv(?, all_varchar = true) WHERE level = '6' ORDER BY hscode LIMIT 200",
        [str(ROOT / "data/raw/reference/hs-nomenclature/harmonized-system.csv")],
    ).fetchall()]  # fmt: skip
    con.execute(
        "CREATE TABLE areas AS SELECT min(CAST(CAST(id AS DOUBLE) AS INTEGER)) AS code, iso_3 AS iso "
        "FROM read_csv(?, all_varchar = true) WHERE iso_3 ~ '^[A-Z]{3}$' GROUP BY iso_3",
        [str(ROOT / "data/raw/reference/uncomtrade-reference/comtrade_partner_areas.csv")],
    )
    # The ISO3 columns agree with the numeric codes (the loader checks that they do).
    con.execute("CREATE TABLE reporters AS SELECT u.code, a.iso FROM (SELECT unnest(?) AS code) u "
                "JOIN areas a USING (code)", [REPORTERS])  # fmt: skip
    con.execute("CREATE TABLE partners AS SELECT u.code, a.iso FROM (SELECT unnest(?) AS code) u "
                "JOIN areas a USING (code)", [partners])  # fmt: skip
    con.execute("CREATE TABLE hs AS SELECT unnest(?) AS code", [codes])
    select = {name: "NULL" for name in COMTRADE_PLUS_COLUMNS}
    select.update({
        "typeCode": "'C'", "freqCode": "'A'", "refPeriodId": "y * 10000 + 101", "refYear": "y", "refMonth": "52",
        "period": "CAST(y AS VARCHAR)", "reporterCode": "r.code", "reporterISO": "r.iso", "reporterDesc": "'r'",
        "flowCode": "f", "flowDesc": "CASE f WHEN 'X' THEN 'Export' ELSE 'Import' END", "partnerCode": "p.code", "partnerISO": "p.iso",
        "partner2Code": "0", "classificationCode": "'H5'", "classificationSearchCode": "'HS'",
        "isOriginalClassification": "1", "cmdCode": "h.code", "cmdDesc": "'Product, \"quoted\" text'",
        "aggrLevel": "6", "isLeaf": "1", "customsCode": "'C00'", "customsDesc": "'TOTAL CPC'", "mosCode": "0",
        "motCode": "0", "motDesc": "'TOTAL MOT'", "qtyUnitCode": "8", "qtyUnitAbbr": "'kg'",
        "qty": "round(random() * 1e6, 2)", "netWgt": "round(random() * 1e6, 2)",
        "primaryValue": "round(random() * 1e8, 2)", "cifvalue": "0", "fobvalue": "0",
        "legacyEstimationFlag": "0", "isReported": "1", "isAggregate": "0",
    })  # fmt: skip
    columns = ", ".join(f"{expr} AS {name}" for name, expr in select.items())
    con.execute(
        f"""
        COPY (
            SELECT {columns}
            FROM reporters r, partners p, (VALUES ('X'), ('M')) flows(f), range(2000, 2025) years(y), hs h
            WHERE r.code <> p.code
            LIMIT {int(rows)}
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )
    con.close()


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of a child process."""
    wrapper = (
        "import resource, subprocess, sys, time, json;"
        "t = time.perf_counter(); rc = subprocess.call(sys.argv[1:]); t = time.perf_counter() - t;"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'rc': rc, 'seconds': t, 'peak_mb': r.ru_maxrss / 1024, 'cpu': r.ru_utime + r.ru_stime}))"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, env=env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"{command} failed: {out.stderr[-2000:]}")
    return result["seconds"], result["peak_mb"], result["cpu"]


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per contender, alternating; medians reported"
    )
    args = parser.parse_args()
    print(f"load average at start (1, 5, 15 min): {load_average()}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    csv_path = args.workdir / f"comtrade_plus_{args.rows}.csv"
    if not csv_path.exists():
        started = time.perf_counter()
        generate_csv(csv_path, args.rows)
        print(
            f"generated {csv_path} ({csv_path.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - started:.1f}s"
        )

    baseline_db = args.workdir / "baseline.duckdb"
    baseline_script = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]);"
        "con.execute('CREATE TABLE t AS SELECT * FROM read_csv(?)', [sys.argv[2]]); con.close()"
    )

    # balanza needs its reference tables: start from a database built with the reference entries only.
    reference_db = args.workdir / "reference.duckdb"
    if not reference_db.exists():
        subprocess.run([str(ROOT / ".venv/bin/balanza"), "build", "--db", str(reference_db)], check=True,
                       capture_output=True)  # fmt: skip
        with write_session(reference_db) as con:
            store.delete_rows(con, "TRUE")
    target_db = args.workdir / "balanza.duckdb"
    # A stricter baseline: DuckDB reading only the columns balanza keeps (projection), typed as balanza types them.
    projected_script = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]);"
        "con.execute('CREATE TABLE t AS SELECT refYear, period, reporterCode, partnerCode, flowCode, cmdCode, "
        "customsCode, motCode, partner2Code, classificationCode, primaryValue, netWgt FROM read_csv(?)', "
        "[sys.argv[2]]); con.close()"
    )
    base_runs, load_runs, projected_runs = [], [], []
    for _ in range(args.repeat):  # alternate, so all see the same background load on average
        baseline_db.unlink(missing_ok=True)
        base_runs.append(
            run_measured([sys.executable, "-c", baseline_script, str(baseline_db), str(csv_path)])
        )
        baseline_db.unlink(missing_ok=True)
        projected_runs.append(
            run_measured([sys.executable, "-c", projected_script, str(baseline_db), str(csv_path)])
        )
        for stale in target_db.parent.glob(target_db.name + "*"):  # the previous run's database and store
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        store.copy_database(reference_db, target_db)  # the catalogue and its store folder, if it lists files
        load_runs.append(run_measured([str(ROOT / ".venv/bin/balanza"), "load", str(csv_path), "--db",
                                       str(target_db)]))  # fmt: skip
    base_s, base_mb = median([r[0] for r in base_runs]), max(r[1] for r in base_runs)
    load_s, load_mb = median([r[0] for r in load_runs]), max(r[1] for r in load_runs)
    proj_s, proj_mb = median([r[0] for r in projected_runs]), max(r[1] for r in projected_runs)
    base_cpu, proj_cpu, load_cpu = (
        median([r[2] for r in runs]) for runs in (base_runs, projected_runs, load_runs)
    )
    print("runs (wall s): duckdb " + ", ".join(f"{r[0]:.2f}" for r in base_runs)
          + " | duckdb 12 columns " + ", ".join(f"{r[0]:.2f}" for r in projected_runs)
          + " | balanza " + ", ".join(f"{r[0]:.2f}" for r in load_runs))  # fmt: skip
    print("runs (CPU s): duckdb " + ", ".join(f"{r[2]:.2f}" for r in base_runs)
          + " | duckdb 12 columns " + ", ".join(f"{r[2]:.2f}" for r in projected_runs)
          + " | balanza " + ", ".join(f"{r[2]:.2f}" for r in load_runs))  # fmt: skip
    loaded = (
        duckdb.connect(str(target_db), read_only=True)
        .execute("SELECT count(*) FROM trade WHERE source = 'comtrade'")
        .fetchone()[0]
    )
    assert loaded == args.rows, f"loaded {loaded} rows, expected {args.rows}"

    base_rate = args.rows / base_s
    load_rate = args.rows / load_s
    print(f"rows: {args.rows:,}  cores: {os.cpu_count()}")
    print(f"duckdb read_csv → table : {base_s:7.2f} s  CPU {base_cpu:6.2f} s  {base_rate:>10,.0f} rows/s  "
          f"peak RSS {base_mb:6.0f} MB")  # fmt: skip
    print(f"duckdb, 12 columns only : {proj_s:7.2f} s  CPU {proj_cpu:6.2f} s  {args.rows / proj_s:>10,.0f} rows/s  "
          f"peak RSS {proj_mb:6.0f} MB")  # fmt: skip
    print(f"balanza load            : {load_s:7.2f} s  CPU {load_cpu:6.2f} s  {load_rate:>10,.0f} rows/s  "
          f"peak RSS {load_mb:6.0f} MB")  # fmt: skip
    print(f"throughput ratio (balanza / duckdb, all 47 columns): {load_rate / base_rate:.2f} wall, "
          f"{base_cpu / load_cpu:.2f} CPU")  # fmt: skip
    print(f"throughput ratio (balanza / duckdb 12 columns): {proj_s / load_s:.2f} wall, {proj_cpu / load_cpu:.2f} CPU "
          "(target >= 0.80)")  # fmt: skip
    print(f"balanza peak RSS: {load_mb:.0f} MB (target <= 600 MB; max over runs)")
    print(f"load average at end (1, 5, 15 min): {load_average()}")


if __name__ == "__main__":
    main()
