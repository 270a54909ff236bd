"""What a scenario file can cost the dashboard: memory and CPU of reading and checking the largest files.

Each file is as large as the page takes (settings.MAX_UPLOAD_MB) or as large as it accepts, in the shapes that cost
the most per byte: many small JSON objects, long lists of short codes, the most tariff changes, four scenarios.
For each: its size, the outcome (loaded, or the start of the refusal), the CPU seconds of
dashboard.scenarios.form.from_upload (the page's own work on an upload) and the peak of Python memory it
allocated (tracemalloc), beside the file's own size. Floor, measured the same way: json.loads of the same bytes.

    .venv/bin/python bench/uploads.py
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.scenarios import form
from model.spec import MAX_TARIFF_CHANGES

LIMIT = form.MAX_FILE_BYTES


def filled(head: bytes, item: bytes, tail: bytes, separator: bytes = b",") -> bytes:
    """head + item, item, … + tail, as long as it stays within the upload limit."""
    count = (LIMIT - len(head) - len(tail) + len(separator)) // (len(item) + len(separator))
    return head + separator.join([item] * count) + tail


def largest(make: Callable[[int], bytes], fits: Callable[[bytes], bool]) -> bytes:
    """The largest file ``make(n)`` that ``fits`` (bisection over n)."""
    low, high = 1, 2
    while fits(make(high)):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(make(middle)) else (low, middle)
    return make(low)


def _within_limit(data: bytes) -> bool:
    return len(data) <= LIMIT


def _accepted(data: bytes) -> bool:
    if len(data) > LIMIT:
        return False
    try:
        form.from_upload("bench.json", data, "en")
    except form.ScenarioFileError:
        return False
    return True


def codes_set(count: int) -> bytes:
    """Four scenarios, each with ``count`` distinct ten-digit product codes in its first change."""
    return json.dumps({"scenarios": [
        {"name": f"s{s}", "tariff_changes": [{"partners": ["ECU"], "products": [f"{(n * 7919 + s) % 10**10:010d}"
                                                                               for n in range(count)], "add_pp": 5}]}
        for s in range(form.MAX_SAVED)]}, indent=2).encode("utf-8")  # fmt: skip


def most_changes(_count: int) -> bytes:
    change = {"partners": ["ECU", "COL"], "products": ["0603", "0901"], "add_pp": 5}
    return json.dumps({"scenarios": [{"name": f"s{s}", "tariff_changes": [change] * MAX_TARIFF_CHANGES}
                                     for s in range(form.MAX_SAVED)]}, indent=2).encode("utf-8")  # fmt: skip


FILES: dict[str, Callable[[], bytes]] = {
    "1 MiB of empty objects [{},{},…] (refused: not a scenario)": lambda: filled(b"[", b"{}", b"]"),
    "1 MiB of empty lists in a product list (refused)": lambda: filled(b'{"name":"x","products":[', b"[]", b"]}"),
    "1 MiB of 2-digit codes in a product list (refused: link)": lambda: filled(b'{"name":"x","products":[', b'"01"', b"]}"),
    "1 MiB of 10-digit codes, four scenarios (refused: link)": lambda: largest(codes_set, _within_limit),
    "1 MiB of [[[[…: nested beyond the parser (refused)": lambda: b"[" * LIMIT,
    "largest accepted: four scenarios of distinct 10-digit codes": lambda: largest(codes_set, _accepted),
    f"four scenarios of {MAX_TARIFF_CHANGES} changes (accepted)": lambda: most_changes(0),
}  # fmt: skip


def _outcome(run: Callable[[], object]) -> str:
    try:
        run()
    except form.ScenarioFileError as exc:
        return "refused: " + str(exc).split(": ", 1)[1][:48]
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__
    return "loaded"


def measure(run: Callable[[], object], repeat: int = 3) -> tuple[float, float, str]:
    """CPU seconds (the least of ``repeat`` runs), peak MB of Python allocations (a separate run under
    tracemalloc, which slows allocation), outcome."""
    cpu = []
    for _ in range(repeat):
        started = time.process_time()
        outcome = _outcome(run)
        cpu.append(time.process_time() - started)
    tracemalloc.start()
    _outcome(run)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return min(cpu), peak, outcome


def main() -> int:
    print(
        f"upload limit {LIMIT:,} bytes; CPU seconds and peak Python memory (tracemalloc) of form.from_upload"
    )
    print(
        f"{'file':62} {'bytes':>10} {'CPU s':>6} {'peak MB':>8} {'floor: json.loads CPU s / MB':>30}  outcome"
    )
    for name, make in FILES.items():
        data = make()
        cpu, peak, outcome = measure(lambda data=data: form.from_upload("bench.json", data, "en"))
        floor_cpu, floor_peak, _ = measure(lambda data=data: json.loads(data))
        print(
            f"{name:62} {len(data):>10,} {cpu:>6.3f} {peak:>8.1f} {floor_cpu:>20.3f} / {floor_peak:>6.1f}  {outcome}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
