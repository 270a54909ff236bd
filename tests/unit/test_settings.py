"""The settings registry is the only reader of the environment, and the README documents exactly it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from balanza.cli import build_parser
from etl import settings

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("balanza", "etl", "model", "dashboard", "bench", "tests", "tools")
DOCS = [ROOT / "README.md", ROOT / "data" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ENV_NAME = re.compile(r"\b(?:BALANZA|COMTRADE)_[A-Z][A-Z_]*\b")


def test_readme_settings_table_is_the_registry() -> None:
    readme = settings.README_PATH.read_text(encoding="utf-8")
    assert settings.with_settings_table(readme) == readme, (
        "README.md's settings table differs from etl/settings.py SETTINGS: run `make docs` and commit README.md"
    )


def test_every_setting_has_a_unique_name_and_help() -> None:
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))
    for setting in settings.SETTINGS:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", setting.name), setting.name
        assert len(setting.help) > 20, f"{setting.name}: say what it sets"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_variable_the_docs_name_is_registered(doc: Path) -> None:
    registered = {s.name for s in settings.SETTINGS}
    named = set(ENV_NAME.findall(doc.read_text(encoding="utf-8")))
    assert named <= registered, (
        f"{doc.name} names {sorted(named - registered)}, which etl/settings.py does not register"
    )


def _environment_reads(tree: ast.AST) -> list[int]:
    """Line numbers of os.environ.get(...), os.getenv(...), os.environ[...] reads and `in os.environ` tests."""

    def is_environ(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "environ"
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ) or (isinstance(node, ast.Name) and node.id == "environ")

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"get", "setdefault", "pop"} and is_environ(node.func.value):
                lines.append(node.lineno)
            elif node.func.attr == "getenv":
                lines.append(node.lineno)
        elif isinstance(node, ast.Subscript) and is_environ(node.value) and isinstance(node.ctx, ast.Load):
            lines.append(node.lineno)
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            lines.append(node.lineno)
    return lines


def test_only_the_registry_reads_the_environment() -> None:
    offenders = []
    files = [p for d in CODE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    assert len(files) > 50
    for path in files:
        if path == ROOT / "etl" / "settings.py":
            continue
        for line in _environment_reads(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, (
        f"read the environment through etl/settings.py (a Setting), not directly: {offenders}"
    )


def test_the_scan_finds_direct_reads() -> None:
    source = (
        "import os\na = os.environ.get('X')\nb = os.getenv('Y')\nc = os.environ['Z']\nd = 'W' in os.environ\n"
    )
    assert _environment_reads(ast.parse(source)) == [2, 3, 4, 5]
    assert (
        _environment_reads(ast.parse("import os\nenv = dict(os.environ, A='1')\nos.environ['B'] = '2'\n"))
        == []
    )


def test_get_strips_blanks_and_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALANZA_MEMORY_LIMIT", "  1GB ")
    assert settings.MEMORY_LIMIT.get() == "1GB"
    monkeypatch.setenv("BALANZA_MEMORY_LIMIT", "   ")
    assert settings.MEMORY_LIMIT.get() == "400MB"
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    assert settings.COMTRADE_API_KEY.get() is None
    with pytest.raises(LookupError, match="COMTRADE_API_KEY"):
        settings.COMTRADE_API_KEY.require()
    monkeypatch.setenv("BALANZA_FUZZ_EXAMPLES", "many")
    with pytest.raises(ValueError, match="BALANZA_FUZZ_EXAMPLES"):
        settings.FUZZ_EXAMPLES.get_int()


def test_db_path_flag_then_environment_then_checkout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BALANZA_DB", raising=False)
    assert settings.db_path() == ROOT / "data" / "balanza.duckdb"
    monkeypatch.setenv("BALANZA_DB", str(tmp_path / "env.duckdb"))
    assert settings.db_path() == tmp_path / "env.duckdb"
    assert settings.db_path(tmp_path / "flag.duckdb") == tmp_path / "flag.duckdb"


def test_every_subcommand_shares_one_db_flag() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    helps = {}
    for name, sub in subparsers.choices.items():  # type: ignore[attr-defined]
        for action in sub._actions:
            if "--db" in action.option_strings:
                helps[name] = action.help
    assert {"build", "load", "status", "serve", "scenario", "fetch"} <= set(helps)
    assert len(set(helps.values())) == 1, helps
