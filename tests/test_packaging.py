"""Packaging invariants: conda and pip agree, physics stays UI-free, the CLI answers."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name_and_bound(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_names_the_runtime_dependencies_of_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = dict(_name_and_bound(r) for r in pyproject["project"]["dependencies"])
    conda = {}
    section = None
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if line and not line.startswith((" ", "#")):
            section = stripped.rstrip(":")
            continue
        if stripped.startswith("- pip:"):
            section = "pip"
        if section != "dependencies" or not stripped.startswith("- "):
            continue
        name, bound = _name_and_bound(stripped[2:])
        if name not in {"python", "pip"}:
            conda[name] = bound
    assert conda == runtime


def test_physics_never_imports_the_ui():
    code = (
        "import sys, importlib, pkgutil, physics\n"
        "for m in pkgutil.walk_packages(physics.__path__, 'physics.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in {'panel','holoviews','bokeh'})\n"
        "print(bad)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_cli_help_lists_the_subcommands():
    out = subprocess.run(
        [sys.executable, "-m", "qgas.cli", "--help"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    from qgas.cli import COMMANDS

    for name in COMMANDS:
        assert name in out
    assert "serve" in out
