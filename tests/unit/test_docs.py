"""The docs and the code agree, both ways.

Docs → code: every file, module, function, table, column and command that docs/architecture.md puts in backticks
exists, and so does every file the README's layout block lists.

Code → docs: every module of the project has a line in docs/architecture.md's module map ("Every module, by wing":
``- `etl/store.py`: what it is for``), and the README's layout block names every top-level folder. The modules are
the ``.py`` files under etl/ (with etl/sources/), model/, dashboard/ (with its packages), balanza/ and tools/. An
``__init__.py`` counts as a module only when it holds more than its docstring (a registry, the package's public
names): one that is only a docstring marks a package, and the map's heading for the package says what it is for.
The scripts in bench/ are not part of the application (nothing imports them): each is named instead in
docs/benchmarks.md, where its figures are quoted. Hidden top-level folders (.ci/, .streamlit/: tool configuration)
and what git ignores (.venv/, build output) are not part of the README's layout.

Generic on purpose: the checks read the names from the Markdown, so a rewrite of the docs is checked as it is.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
from functools import cache
from pathlib import Path

import duckdb
import pytest

from balanza.cli import build_parser
from etl.db import create_schema

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("etl", "model", "dashboard", "balanza")
TOP_DIRS = {"balanza", "etl", "model", "dashboard", "data", "docs", "seeds", "tests", "bench", "tools", ".ci"}
ALIASES = {"st": "streamlit", "pd": "pandas", "np": "numpy", "go": "plotly.graph_objects"}
CHECKED_DOCS = [ROOT / "docs" / "architecture.md"]

FENCE = re.compile(r"^```.*?^```", re.S | re.M)
INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
PATH_LIKE = re.compile(r"[\w.<>*-]+(?:/[\w.<>*-]*)+")
NAME_LIKE = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(\(.*\))?")
FILE_OR_DIR = re.compile(
    r"(?<![\w/])[\w<>*./-]+\.(?:py|md|toml)\b|(?<![\w/])[\w<>*-]+(?:/[\w<>*-]+)*/(?=\s|$)"
)
COMMAND = re.compile(r"(balanza|make) ([a-z][\w-]*)\b.*")


def inline_code(markdown: str) -> list[str]:
    """Text in single backticks outside fenced blocks."""
    return INLINE.findall(FENCE.sub("", markdown))


@cache
def code_names() -> frozenset[str]:
    """Functions, classes and methods at any depth, module-level names, and string constants in the code."""
    names: set[str] = set()
    for directory in CODE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    names.add(node.name)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 40:
                    names.add(node.value)
                elif isinstance(node, ast.Constant) and isinstance(node.value, bytes):  # a file signature
                    names.add(re.match(rb"[\w]*", node.value).group().decode("ascii"))  # type: ignore[union-attr]
            if "app_pages" in path.parts or path.name == "streamlit_app.py":
                continue  # a page is a script: its top-level variables are not names the docs should cite
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(names)


@cache
def database_names() -> dict[str, frozenset[str]]:
    """Every table and view the schema creates, with its columns (from a real in-memory DuckDB)."""
    con = duckdb.connect()
    try:
        create_schema(con)
        rows = con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
    finally:
        con.close()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return {table: frozenset(columns) for table, columns in tables.items()}


def path_exists(text: str, base: Path = ROOT) -> bool:
    pattern = re.sub(r"<[^>]*>", "*", text.rstrip("/"))
    return any(base.glob(pattern)) if "*" in pattern else (base / pattern).exists()


@cache
def short_module_names() -> dict[str, str]:
    """`record` → `etl.record`: a module may be cited by its last name when that name is unique."""
    found: dict[str, list[str]] = {}
    for directory in CODE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            found.setdefault(parts[-1], []).append(".".join(parts))
    return {short: full[0] for short, full in found.items() if len(full) == 1}


def resolve_dotted(name: str) -> bool:
    first, *rest = name.split(".")
    tables = database_names()
    if first in tables:
        return len(rest) == 1 and rest[0] in tables[first]
    parts = [ALIASES.get(first) or short_module_names().get(first) or first, *rest]
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


@cache
def make_targets() -> frozenset[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^([\w-]+):", text, re.M))


def subcommands() -> set[str]:
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return set(action.choices)  # type: ignore[arg-type]


def problem(token: str) -> str | None:
    """Why ``token`` names something that does not exist, or None (exists, or not a name this test reads)."""
    token = token.strip()
    if command := COMMAND.fullmatch(token):
        tool, name = command.groups()
        known = subcommands() if tool == "balanza" else make_targets()
        return None if name in known else f"`{token}`: no such {tool} command"
    if PATH_LIKE.fullmatch(token) and token.split("/")[0] in TOP_DIRS:
        return None if path_exists(token) else f"`{token}`: no such file or directory"
    if match := NAME_LIKE.fullmatch(token):
        name = match.group(1)
        if "." in name:
            if name.rsplit(".", 1)[-1] in {"py", "md", "toml", "csv", "json"}:
                return None if any(ROOT.rglob(name)) else f"`{token}`: no such file"
            return None if resolve_dotted(name) else f"`{token}`: cannot be resolved"
        known = code_names() | set(database_names()) | {c for cs in database_names().values() for c in cs}
        return (
            None
            if name in known
            else f"`{token}`: no function, class, constant, table or column of that name"
        )
    return None  # prose in backticks (SQL, literal values): not a name


@pytest.mark.parametrize("doc", CHECKED_DOCS, ids=lambda p: p.name)
def test_every_name_in_backticks_exists(doc: Path) -> None:
    problems = [p for token in inline_code(doc.read_text(encoding="utf-8")) if (p := problem(token))]
    assert not problems, f"{doc.relative_to(ROOT)} names what the code does not have:\n" + "\n".join(problems)


def layout_entries(readme: str) -> list[tuple[str, str]]:
    """(directory, item) pairs from the README's layout block (``dir/  a.py (what) · b.py · …``)."""
    section = readme.split("## Layout", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "README.md: the Layout section has no code block"
    entries, directory = [], ""
    for line in block.group(1).splitlines():
        head = re.match(r"([\w.]+/)\s+", line)
        if head:
            directory, line = head.group(1), line[head.end() :]
        entries += [(directory, item.strip()) for item in line.split("·") if item.strip()]
    return entries


def layout_problems(entries: list[tuple[str, str]]) -> list[str]:
    problems = []
    for directory, item in entries:
        base = ROOT / directory
        if not base.is_dir():
            problems.append(f"{directory}: no such directory")
            continue
        single = re.fullmatch(r"(\S+)(\s+\(.*\))?", item)
        tokens = [single.group(1)] if single else re.findall(FILE_OR_DIR, item)
        for token in tokens:
            found = (
                path_exists(token, base)
                or path_exists(token)
                or ("/" not in token and any(base.rglob(token)))
            )
            if not found:
                problems.append(f"{directory}{token}: listed in the README layout, not in the tree")
    return problems


def test_readme_layout_lists_what_exists() -> None:
    entries = layout_entries((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(entries) > 15
    assert not (problems := layout_problems(entries)), "\n".join(problems)


def test_the_checks_catch_drift() -> None:
    assert problem("etl/db.py") is None and problem("etl/no_such_module.py")
    assert problem("write_session") is None and problem("staged_trade")
    assert problem("query_totals(con, view='reporter')") is None and problem("with_balance")
    assert problem("trade.value_usd") is None and problem("trade.no_such_column")
    assert problem("etl.db.write_session") is None and problem("etl.db.no_such_function")
    assert problem("record.query_record(con, ...)") is None and problem("record.no_such_accessor")
    assert problem("balanza build") is None and problem("balanza rebuild")
    assert problem("make lint") is None and problem("make no-such-target")
    assert problem("BEGIN TRANSACTION") is None  # prose, not a name
    assert layout_problems([("etl/", "schema.py (THE tables)"), ("etl/", "gone.py")]) == [
        "etl/gone.py: listed in the README layout, not in the tree"
    ]


MODULE_DIRS = ("etl", "model", "dashboard", "balanza", "tools")
MODULE_MAP = "## Every module, by wing"
MAP_LINE = re.compile(r"^- `([\w/]+\.py)`: (\S.*)$")


def holds_code(path: Path) -> bool:
    """True when a module holds more than its docstring and ``from __future__`` imports."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(
        not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
        for node in body
    )


def project_modules(root: Path = ROOT) -> list[str]:
    """The modules the map must describe, as paths from the root (see the module docstring for what counts)."""
    return sorted(
        path.relative_to(root).as_posix()
        for directory in MODULE_DIRS
        for path in (root / directory).rglob("*.py")
        if path.name != "__init__.py" or holds_code(path)
    )


def described_modules(markdown: str) -> dict[str, list[str]]:
    """Module path → its descriptions, from the lines of the module map (a module on two lines has two)."""
    assert MODULE_MAP in markdown, f"docs/architecture.md: no section {MODULE_MAP!r}"
    section = re.split(r"^## ", markdown.split(MODULE_MAP, 1)[1], flags=re.M)[0]
    found: dict[str, list[str]] = {}
    for line in section.splitlines():
        if match := MAP_LINE.match(line):
            found.setdefault(match.group(1), []).append(match.group(2))
    return found


def module_map_problems(modules: list[str], markdown: str) -> list[str]:
    described = described_modules(markdown)
    problems = [
        f"{m}: no line in the module map of docs/architecture.md" for m in modules if m not in described
    ]
    problems += [
        f"{m}: described in the module map, not a module of the project"
        for m in described
        if m not in modules
    ]
    problems += [
        f"{m}: {len(d)} lines in the module map, one expected" for m, d in described.items() if len(d) > 1
    ]
    problems += [
        f"{m}: the module map's line says too little ({d[0]!r})"
        for m, d in described.items()
        if len(d[0].split()) < 3
    ]
    return problems


def test_every_module_is_described() -> None:
    modules = project_modules()
    assert len(modules) > 100 and "etl/record.py" in modules and "etl/sources/__init__.py" in modules
    markdown = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert not (problems := module_map_problems(modules, markdown)), "\n".join(problems)


def test_every_benchmark_is_named_in_the_benchmarks_doc() -> None:
    scripts = sorted(path.name for path in (ROOT / "bench").glob("*.py"))
    assert len(scripts) > 5
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert not (missing := [s for s in scripts if f"bench/{s}" not in text]), (
        f"not in docs/benchmarks.md: {missing}"
    )


def top_level_folders(root: Path = ROOT) -> set[str]:
    """The repository's top-level folders: tracked ones where git is at hand, else every folder not hidden or built."""
    if (root / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
        ).stdout
        names = {line.split("/", 1)[0] for line in listed.splitlines() if "/" in line}
    else:
        names = {p.name for p in root.iterdir() if p.is_dir()}
    return {n for n in names if (root / n).is_dir() and not n.startswith(".") and not n.endswith(".egg-info")}


def test_readme_layout_names_every_top_level_folder() -> None:
    listed = {
        directory.rstrip("/")
        for directory, _ in layout_entries((ROOT / "README.md").read_text(encoding="utf-8"))
    }
    folders = top_level_folders()
    assert {"etl", "model", "dashboard", "balanza", "tests"} <= folders
    assert not (missing := sorted(folders - listed)), f"README.md's layout block does not name: {missing}"


def test_a_new_module_without_a_line_fails(tmp_path: Path) -> None:
    """The code → docs direction catches drift: a module added without a line, a line left behind."""
    markdown = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    before = module_map_problems(project_modules(), markdown)  # empty while the map is complete
    added = module_map_problems([*project_modules(), "etl/scratch.py"], markdown)
    assert set(added) - set(before) == {"etl/scratch.py: no line in the module map of docs/architecture.md"}
    removed = module_map_problems([m for m in project_modules() if m != "model/smart.py"], markdown)
    assert set(removed) - set(before) == {
        "model/smart.py: described in the module map, not a module of the project"
    }
    # What counts as a module, in a scratch tree: a new file anywhere below a wing; an __init__.py with code; not
    # one that is only a docstring, nor anything outside the wings.
    for name, text in {
        "etl/__init__.py": '"""The wing."""\nfrom __future__ import annotations\n',
        "etl/scratch.py": "VALUE = 1\n",
        "etl/sources/__init__.py": '"""Adapters."""\nREGISTRY = []\n',
        "dashboard/scenarios/new_part.py": "",
        "bench/new_bench.py": "",
        "scratch/elsewhere.py": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert project_modules(tmp_path) == [
        "dashboard/scenarios/new_part.py",
        "etl/scratch.py",
        "etl/sources/__init__.py",
    ]
    doc = f"{MODULE_MAP}\n\n- `etl/scratch.py`: a scratch module for this test\n- `etl/sources/__init__.py`: x\n\n## Next\n"
    assert module_map_problems(project_modules(tmp_path), doc) == [
        "dashboard/scenarios/new_part.py: no line in the module map of docs/architecture.md",
        "etl/sources/__init__.py: the module map's line says too little ('x')",
    ]
    assert top_level_folders(tmp_path) == {"bench", "dashboard", "etl", "scratch"}
