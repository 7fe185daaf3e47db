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
