"""The layers import downwards only: ``physics`` nothing above it, ``dashboard`` nothing from
``qgas`` or ``benchmarks``, the tests no benchmark module (checked on the source with ``ast``,
imports inside functions included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package -> top-level packages of this repository it must not import
FORBIDDEN = {
    "physics": {"dashboard", "qgas", "benchmarks", "tests", "assets"},
    "dashboard": {"qgas", "benchmarks", "tests"},
    "tests": {"benchmarks"},
}


def imported_packages(source: str) -> set[str]:
    """Top-level names of the absolute imports in ``source``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_checker_sees_every_kind_of_import():
    source = "import a.b\nfrom c.d import e\ndef f():\n    import g\nfrom . import h\n"
    assert imported_packages(source) == {"a", "c", "g"}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_nothing_above_it(package):
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in sorted(imported_packages(path.read_text()) & FORBIDDEN[package])
    ]
    assert offences == []
