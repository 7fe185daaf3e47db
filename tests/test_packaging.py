"""Packaging invariants: conda and pip agree, physics stays UI-free, the CLI answers, docs and
docstrings name only files inside the repository."""

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


#: Where the docs and the docstrings live (plus README.md and pyproject.toml).
DOCUMENTED = ("assets", "benchmarks", "dashboard", "docs", "physics", "qgas", "tests")
#: A design note or source kept next to the repository rather than in it.
OUTSIDE_NOTE = re.compile(r"shared/(design|seeds)|physics-conventions\.md")
#: ``docs/….md`` named anywhere, and the target of a Markdown link to a file.
DOCS_PAGE = re.compile(r"(?<![\w./-])(docs/[\w./-]+\.md)")
MARKDOWN_LINK = re.compile(r"\]\(([^)#:\s]+\.(?:md|py|toml|json|png|svg|nc))(?:#[^)]*)?\)")


def _documented_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    for top in DOCUMENTED:
        files += [
            path
            for path in sorted((ROOT / top).rglob("*"))
            if path.suffix in {".py", ".md"} and "__pycache__" not in path.parts
        ]
    return files


def test_docs_and_docstrings_name_no_note_outside_the_repository():
    outside = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _documented_files()
        for match in OUTSIDE_NOTE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not outside, outside


def test_docs_pages_and_links_named_in_docs_and_docstrings_exist():
    missing = []
    for path in _documented_files():
        text = path.read_text(encoding="utf-8")
        missing += [
            f"{path.relative_to(ROOT)}: {page}"
            for page in DOCS_PAGE.findall(text)
            if not (ROOT / page).is_file()
        ]
        if path.suffix == ".md":
            missing += [
                f"{path.relative_to(ROOT)}: ({target})"
                for target in MARKDOWN_LINK.findall(text)
                if not (path.parent / target).exists()
            ]
    assert not missing, missing
