"""The pins CI tests on the lowest versions (.ci/lowest-constraints.txt) are pyproject.toml's floors."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from tools import lowest

ROOT = Path(__file__).resolve().parents[2]


def _floors_from_pyproject_text() -> dict[str, str]:
    # read independently of tools.lowest: "name>=X,<Y" → name, X
    with (ROOT / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    found = {}
    for line in dependencies:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)\s*(,\s*<\s*[0-9.]+)?", line)
        assert match, f"runtime dependency {line!r} has no plain floor"
        found[match[1].lower().replace("_", "-")] = match[2]
    return found


def _pins_in_file() -> dict[str, str]:
    pins = {}
    for line in (ROOT / ".ci" / "lowest-constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name] = version
    return pins


def test_the_constraints_file_pins_every_floor_of_pyproject() -> None:
    assert _pins_in_file() == _floors_from_pyproject_text()
    assert lowest.check() == []


def test_every_floor_is_a_full_release_version() -> None:
    # "1.60" would let pip choose 1.60.x; the file pins what CI installs, down to the patch release
    assert all(len(version.split(".")) >= 2 for version in _pins_in_file().values())


def test_check_fails_when_a_floor_moves(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    name, version = next(iter(_floors_from_pyproject_text().items()))
    moved = re.sub(rf'"{re.escape(name)}\s*>=\s*{re.escape(version)}', f'"{name}>=99.0', text, count=1)
    assert moved != text
    pyproject.write_text(moved, encoding="utf-8")
    shutil.copyfile(ROOT / ".ci" / "lowest-constraints.txt", tmp_path / "pins.txt")
    assert lowest.check(pyproject, tmp_path / "pins.txt")
    (tmp_path / "pins.txt").write_text(lowest.constraints_text(lowest.floors(pyproject)), encoding="utf-8")
    assert lowest.check(pyproject, tmp_path / "pins.txt") == []


def test_a_dependency_without_a_floor_is_refused(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["duckdb>=1.2.0,<3", "pandas<4"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="pandas<4"):
        lowest.floors(pyproject)


def test_verify_names_a_package_in_another_version() -> None:
    assert lowest.installed_mismatches({"pytest": "0.1"}) == [
        f"pytest: {pytest.__version__} installed, floor 0.1"
    ]
    assert lowest.installed_mismatches({"pytest": pytest.__version__}) == []
    assert lowest.installed_mismatches({"no-such-package-here": "1.0"}) == [
        "no-such-package-here: not installed (floor 1.0)"
    ]
