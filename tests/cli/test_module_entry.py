"""``python -m qgas`` runs the same command line as the ``qgas`` script (pyproject's entry
point ``qgas.cli:main``): its exit status and its refusal of a bad argument."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_qgas_is_the_command_line():
    shown = subprocess.run(
        [sys.executable, "-m", "qgas", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert shown.returncode == 0 and shown.stdout.startswith("usage: qgas")
    refused = subprocess.run(
        [sys.executable, "-m", "qgas", "coefficients", "--order", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "--order" in refused.stderr


def test_a_reader_that_leaves_early_gets_no_traceback():
    """QA: `qgas sweep --list | head` ended with a BrokenPipeError traceback. The pipe is
    closed before the command (still importing) writes: its flush meets a closed pipe."""
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "qgas", "sweep", "--list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.close()
    error = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=120) == 141  # 128 + SIGPIPE, as a shell reports it
    assert "Traceback" not in error and "BrokenPipeError" not in error, error
