"""Ctrl-C on the command line (issue 16): one line, exit status 130, what was finished kept.

``qgas coefficients`` and ``qgas precompute`` printed a 25-41-line KeyboardInterrupt
traceback; a second Ctrl-C while ``qgas sweep`` saved its checkpoint or printed its
"interrupted: ..." line gave a traceback too. Real SIGINTs: to a subprocess's whole process
group (as a terminal sends it), or to this process at the exact moment of the second Ctrl-C.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import qgas.commands.sweep as sweep_command
import qgas.sweeps.runner as runner
from qgas.cli import main
from qgas.sweeps.checkpoint import checkpoint_path, load_checkpoint
from tests.support.terminal import foreground_process

ROOT = Path(__file__).resolve().parents[2]

# The slow step of each command is replaced by one that says "ready" and waits for the signal.
SCRIPT = """
import sys, time
import {module} as target

def wait(*args, **kwargs):
    print("ready", file=sys.stderr, flush=True)
    time.sleep(120)

target.{function} = wait
from qgas.cli import main
sys.exit(main(sys.argv[1:]))
"""


def interrupted(module: str, function: str, argv: list[str]) -> tuple[int, list[str]]:
    command = [sys.executable, "-c", SCRIPT.format(module=module, function=function), *argv]
    process = foreground_process(command, ROOT, subprocess.DEVNULL)
    lines = []
    for line in process.stderr:  # until the slow step started
        lines.append(line)
        if line == "ready\n":
            break
    os.killpg(process.pid, signal.SIGINT)
    lines += process.stderr.readlines()
    return process.wait(timeout=60), [line for line in lines if line != "ready\n"]


def test_ctrl_c_during_coefficients_is_one_line_and_status_130(tmp_path):
    output = tmp_path / "t.json"
    argv = ["coefficients", "--model", "lieb-liniger", "--order", "3", "--output", str(output)]
    status, lines = interrupted("physics.series._generate", "run_generation", argv)
    assert status == 130, lines
    assert lines == [
        "qgas coefficients: interrupted; every file it reported as written is complete, "
        "nothing else was written\n"
    ]
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_precompute_keeps_the_finished_tables(tmp_path):
    argv = ["precompute", "--output-dir", str(tmp_path), "--strong-order", "2"]
    argv += ["--only", "strong-coupling.json", "--only", "resurgence-repulsive.json"]
    status, lines = interrupted("physics.resurgence_repulsive", "compute_table", argv)
    assert status == 130, lines
    assert lines[-1].startswith("qgas precompute: interrupted; every file it reported")
    assert not any("Traceback" in line for line in lines), lines
    assert f"wrote {tmp_path / 'strong-coupling.json'}\n" in lines
    assert [path.name for path in tmp_path.iterdir()] == ["strong-coupling.json"]
    assert json.loads((tmp_path / "strong-coupling.json").read_text())["order"] == 2


@pytest.fixture
def ctrl_c_raises():
    """This process turns SIGINT into KeyboardInterrupt, whatever it inherited."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def second_ctrl_c(function):
    """``function`` preceded by a real SIGINT to this process: the second Ctrl-C."""

    def with_signal(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        return function(*args, **kwargs)

    return with_signal


def test_a_second_ctrl_c_cuts_neither_the_checkpoint_nor_the_message(
    tmp_path, capsys, monkeypatch, ctrl_c_raises
):
    output = tmp_path / "e.nc"

    def first_ctrl_c(dataset, path):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "write_dataset", first_ctrl_c)
    monkeypatch.setattr(runner, "save_checkpoint", second_ctrl_c(runner.save_checkpoint))
    monkeypatch.setattr(sweep_command, "_left_behind", second_ctrl_c(sweep_command._left_behind))
    argv = ["sweep", "--observable", "lieb_liniger.ground_state_energy", "--grid", "gamma=1,2"]
    argv += ["-o", str(output), "--no-progress", "--workers", "1", "--checkpoint-interval", "3600"]
    try:
        status = main(argv)
    except KeyboardInterrupt:
        pytest.fail("the second Ctrl-C escaped as a KeyboardInterrupt traceback")
    assert status == 130
    err = capsys.readouterr().err
    assert f"interrupted: 2/2 finished grid points are saved in {checkpoint_path(output)}" in err
    assert load_checkpoint(checkpoint_path(output)).done.all()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored
