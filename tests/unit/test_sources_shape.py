"""Every source adapter has the same shape: a module in etl/sources/ that declares its TradeFormat(s) — name,
publisher series, the sniffed kind it reads, how it recognises a file, and how it stages it — and detection is a
loop over the registry of those declarations."""

from __future__ import annotations

import importlib
import pkgutil

import etl.sources
from etl.sources import TRADE_FORMATS
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
