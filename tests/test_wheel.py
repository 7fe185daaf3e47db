"""The wheel works without the source tree.

``pip install .`` once built a wheel without the coefficient tables and the page styles. Here
the wheel is built from a copy of the checkout, installed into a fresh virtual environment
outside it, and used from a directory outside it: the physics imports from the installed
files, reads a shipped table, and ``qgas serve`` serves the page with its styles.

The new environment gets the dependencies (not this project) from the environment running
the tests: a ``.pth`` file puts that environment's ``site-packages`` on its path, after its
own. A directory named in a ``.pth`` file is only appended to ``sys.path``; the ``.pth`` files
inside it are not run, so the editable install of this checkout (a ``.pth`` import hook)
stays out. The tests check that every module of the project comes from the new environment.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
#: What a clean clone does not hold (or holds only as local state): never copied into the build.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", "tmp", "test-results"
)
PROJECT_PACKAGES = ("assets", "dashboard", "physics", "qgas")
SERVER_START_SECONDS = 120


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run ``argv``; its standard output, or a failure showing both of its output streams."""
    done = subprocess.run(
        [str(arg) for arg in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel installed in a new virtual environment outside the checkout.

    Returns its ``venv``, ``python``, ``site_packages``, the ``dependencies`` directories it
    borrows and a working directory ``outside`` the checkout.
    """
    work = tmp_path_factory.mktemp("wheel")
    assert not work.resolve().is_relative_to(ROOT), f"{work} must be outside {ROOT}"
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-w", work / "dist", cwd=work)
    (wheel,) = (work / "dist").glob("quantum_gas_explorer-*.whl")
    shutil.rmtree(source)

    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    site_packages = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=work
        ).strip()
    )
    dependencies = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site_packages / "dependencies-of-the-test-run.pth").write_text("\n".join(dependencies) + "\n")
    install = ["install", "--no-deps", "--no-index", wheel]
    run(sys.executable, "-m", "pip", "--python", python, *install, cwd=work)
    outside = work / "elsewhere"
    outside.mkdir()
    return {
        "venv": venv,
        "python": python,
        "site_packages": site_packages,
        "dependencies": list(dependencies),
        "outside": outside,
    }


def clean_environment(venv: Path) -> dict[str, str]:
    """This process's environment without anything that points Python at the checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


PROBE = """
import json, math, sys
import assets, dashboard, physics, qgas
from physics._assets import shipped_file
from physics.series import weak_coupling_coefficients
print(json.dumps({
    "lessons": sorted(f.name for f in shipped_file("lessons").iterdir() if f.is_file()),
    "files": {m.__name__: m.__file__ for m in (assets, dashboard, physics, qgas)},
    "path": sys.path,
    "lieb_liniger": [float(c) for c in weak_coupling_coefficients("lieb-liniger", 1)],
    "gaudin_yang": [float(c) for c in weak_coupling_coefficients("gaudin-yang", 1)],
}))
"""


def test_installed_physics_reads_the_shipped_tables_of_the_wheel(environment):
    probe = json.loads(
        run(
            environment["python"],
            "-c",
            PROBE,
            cwd=environment["outside"],
            env=clean_environment(environment["venv"]),
        )
    )
    for name in PROJECT_PACKAGES:
        assert Path(probe["files"][name]).is_relative_to(environment["site_packages"]), name
    in_checkout = {
        entry for entry in probe["path"] if entry and Path(entry).resolve().is_relative_to(ROOT)
    }
    assert in_checkout <= set(environment["dependencies"])  # this run's site-packages at most
    # Mariño–Reis Eqs. (29)-(30): e_B = γ (1 − 4√γ/(3π) + …), e_F = π²/12 − γ/2 + …
    assert probe["lieb_liniger"] == pytest.approx([1.0, -4 / (3 * math.pi)], rel=1e-14)
    assert probe["gaudin_yang"] == pytest.approx([math.pi**2 / 12, -0.5], rel=1e-14)
    # the lessons ship as package data (dashboard.lessons reads them through shipped_file)
    shipped = sorted(path.name for path in (ROOT / "assets" / "lessons").glob("*.toml"))
    assert shipped and probe["lessons"] == shipped


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[str, str]:
    """The body and the content type of ``url`` (HTTP errors fail the test)."""
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode("utf-8"), response.headers.get_content_type()


def stop_group(process: subprocess.Popen) -> None:
    """Stop ``process`` and every process of its group (the supervisor and its server)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=30)
            break
        except subprocess.TimeoutExpired:
            continue
    process.wait()


def answers(url: str) -> bool:
    """Whether ``url`` answers with a success status."""
    try:
        fetch(url)
    except OSError:
        return False
    return True


@pytest.fixture
def served(environment, tmp_path: Path) -> Iterator[str]:
    """``qgas serve`` of the new environment on a free port; its base URL."""
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [environment["venv"] / "bin/qgas", "serve", f"--port={port}", "--physics-workers=0"],
            cwd=environment["outside"],
            env=clean_environment(environment["venv"]),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not answers(f"{base}/liveness"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"qgas serve did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base
    finally:
        stop_group(process)


def test_installed_dashboard_serves_its_page_with_its_styles(served):
    page, content_type = fetch(f"{served}/app")
    assert content_type == "text/html"
    assert "Quantum Gas Explorer" in page
    css = (ROOT / "dashboard" / "static" / "dashboard.css").read_text(encoding="utf-8")
    assert css.strip() in page  # the shipped stylesheet, inlined whole by pn.extension(raw_css=…)
    stylesheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', page)
    assert stylesheets, "the page links no stylesheet"
    for href in stylesheets:
        body, kind = fetch(urllib.parse.urljoin(f"{served}/app", href))
        assert kind == "text/css" and body, href
