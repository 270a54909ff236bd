"""Every source adapter has the same shape: a module in etl/sources/ that declares its TradeFormat(s) — name,
publisher series, the sniffed kind it reads, how it recognises a file, and how it stages it — and detection is a
loop over the registry of those declarations."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import duckdb
import pytest

import etl.sources
from etl.errors import InputError
from etl.sources import TRADE_FORMATS, detect
from etl.sources.base import JSON, PARQUET, TEXT, XLSX, TradeFormat

NOT_ADAPTERS = {
    "base",
    "comtrade",
    "numbers",
    "reference",
    "comtrade_api",
}  # shared code, reference tables, the API client


def declared() -> dict[str, list[TradeFormat]]:
    out = {}
    for info in pkgutil.iter_modules(etl.sources.__path__):
        if info.name in NOT_ADAPTERS:
            continue
        module = importlib.import_module(f"etl.sources.{info.name}")
        out[info.name] = [v for v in vars(module).values() if isinstance(v, TradeFormat)]
    return out


def test_every_adapter_declares_its_formats_and_all_are_registered() -> None:
    formats = declared()
    assert len(formats) >= 10
    assert [name for name, found in formats.items() if not found] == []
    registered = set(map(id, TRADE_FORMATS))
    unregistered = [f.name for found in formats.values() for f in found if id(f) not in registered]
    assert unregistered == []


def test_formats_are_named_once_and_read_a_known_kind() -> None:
    names = [f.name for f in TRADE_FORMATS]
    assert len(names) == len(set(names))
    assert {f.kind for f in TRADE_FORMATS} <= {TEXT, JSON, XLSX, PARQUET}
    assert all(callable(f.matches) and callable(f.stage) and f.source and f.publisher for f in TRADE_FORMATS)


@pytest.mark.parametrize("trade", [f for f in TRADE_FORMATS if f.kind == TEXT], ids=lambda f: f.name)
def test_every_text_format_names_a_header_written_in_another_letter_case(
    trade: TradeFormat, tmp_path: Path
) -> None:
    """A header a text format knows, written in another letter case, is refused naming the format and the columns
    to rename (issue 19: the DBnomics and printed-balance formats answered "unrecognised format")."""
    assert trade.columns, f"{trade.name} declares no header names"
    path = tmp_path / "other-case.csv"
    path.write_text(",".join(name.swapcase() for name in trade.columns) + "\n" + ",".join("1" for _ in trade.columns)
                    + "\n")  # fmt: skip
    with pytest.raises(InputError) as caught:
        detect(path, duckdb.connect())
    assert f"({trade.name}) whose column names differ in letter case" in caught.value.message
    assert caught.value.line == 1 and caught.value.column == 1
