"""Ctrl-C for real: SIGINT to a running ``qgas sweep`` subprocess (its whole process group,
as a terminal does), then ``--resume``; the result equals an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xarray as xr

from qgas.sweeps.checkpoint import checkpoint_path, load_checkpoint
from qgas.sweeps.config import load_config
from qgas.sweeps.dataset import RUN_ATTRIBUTES, open_sweep
from qgas.sweeps.observables import REGISTRY
from qgas.sweeps.runner import prepare_sweep, run_sweep
from tests.support.terminal import foreground_process

ROOT = Path(__file__).resolve().parents[2]

# 32 disorder averages of ~0.1 s each (seeded per task, so any executor gives the same
# numbers): after the first checkpoint (one batch of 4) seconds of work remain, so the signal
# lands midway even on a fast or loaded machine.
CONFIG = """
observable = "tonks_girardeau.fermi_energy"
output = "interrupted.nc"
seed = 7

[grid]
strength = { start = 0.5, stop = 4.0, num = 32 }

[fixed]
n_particles = 16
length = 16.0
kind = "gaussian"
realisations = 4
"""


def sweep_command(config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "qgas.cli", "sweep", str(config), "--no-progress", *extra]


def strip_run_attributes(dataset: xr.Dataset) -> xr.Dataset:
    kept = {k: v for k, v in dataset.attrs.items() if k not in RUN_ATTRIBUTES}
    return dataset.drop_attrs(deep=False).assign_attrs(kept)


@pytest.mark.slow
def test_sigint_midway_then_resume_equals_an_uninterrupted_run(tmp_path):
    config_file = tmp_path / "sweep.toml"
    config_file.write_text(CONFIG)
    output = tmp_path / "interrupted.nc"
    checkpoint = checkpoint_path(output)
    options = ("--workers", "2", "--batch-size", "4", "--checkpoint-interval", "0")
    process = foreground_process(sweep_command(config_file, *options), ROOT, subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "--resume" in stderr
    saved = load_checkpoint(checkpoint)
    assert 0 < saved.done.sum() < saved.done.size
    assert not output.exists()

    resumed = subprocess.run(
        sweep_command(config_file, "--resume", "--workers", "1"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{saved.done.sum()} resumed" in resumed.stdout
    assert not checkpoint.exists()

    reference_config = load_config(config_file, REGISTRY, {"output": str(tmp_path / "ref.nc")})
    reference = run_sweep(prepare_sweep(reference_config), progress=False).dataset
    final = open_sweep(output)
    assert final.attrs["sessions"] == 2
    xr.testing.assert_identical(strip_run_attributes(final), strip_run_attributes(reference))
