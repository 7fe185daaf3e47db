"""``--scheduler`` under hostile input: every address where no Dask scheduler answers, and a
scheduler that dies mid-sweep, end with one line naming the address (exit status 2).

The expected messages come from what each server does, not from the code: a web server or
ssh speaks a text protocol (its first line is what the user needs to see, never Dask's
``MemoryError`` from reading ``HTTP/1.1`` as a frame length of ~3.5e18 bytes); a server that
waits for the client to speak (an HTTP proxy) sends no greeting, where a Dask scheduler sends
its handshake at once; a server that closes at once has not answered; an empty address,
another scheme or a host name with an empty label (RFC 1035 section 2.3.4) is not an
address. The scheduler that dies is a real one (a ``LocalCluster`` in a subprocess, killed
with SIGKILL once the first checkpoint exists).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qgas.cli import build_parser, main
from qgas.sweeps.checkpoint import checkpoint_path, load_checkpoint
from qgas.sweeps.executors import SCHEDULER_CONNECT_TIMEOUT_S, check_scheduler, make_executor
from tests.support.terminal import foreground_process

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]

#: Tonks-Girardeau disorder averages, ~0.1 s per grid point (as in test_interrupt.py): the
#: first checkpoint (one batch of 2) comes early and seconds of work remain after it.
SLOW_SWEEP = [
    *("--observable", "tonks_girardeau.fermi_energy", "--grid", "strength=0.5:4:32"),
    *("--fixed", "n_particles=16", "--fixed", "length=16", "--fixed", "kind=gaussian"),
    *("--fixed", "realisations=4", "--seed", "7", "--no-progress"),
    *("--batch-size", "2", "--checkpoint-interval", "0"),
]

#: A Dask cluster in one process (scheduler and a one-thread worker); prints its address.
CLUSTER_SCRIPT = """
import sys
from distributed import LocalCluster
cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                       dashboard_address=None, protocol="tcp://", host="127.0.0.1")
print(cluster.scheduler_address, flush=True)
sys.stdin.read()
"""


def one_shot_server(greeting: bytes | None) -> Iterator[str]:
    """A server on 127.0.0.1 that sends ``greeting`` to every connection and keeps it open, or
    (``None``) closes it at once; yields its ``tcp://`` address."""
    listener = socket.create_server(("127.0.0.1", 0))
    connections: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            if greeting is None:
                connection.close()
                continue
            connections.append(connection)
            connection.sendall(greeting)

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for connection in connections:
        connection.close()


@pytest.fixture
def server(request) -> Iterator[str]:
    yield from one_shot_server(request.param)


def refusal(address: str, timeout: float = 2.0) -> str:
    with pytest.raises(ValueError) as caught:
        check_scheduler(address, timeout)
    message = str(caught.value)
    assert message.startswith(f"scheduler={address!r}: cannot connect to a Dask scheduler there")
    assert "\n" not in message and "Error" not in message, message
    return message


@pytest.mark.parametrize(
    ("server", "first_line"),
    [
        (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        (b"SSH-2.0-OpenSSH_9.6\r\n", "SSH-2.0-OpenSSH_9.6"),
    ],
    indirect=["server"],
)
def test_a_text_protocol_server_is_named_by_its_first_line(server, first_line):
    message = refusal(server)
    assert message.endswith(f"(a server answers, but not Dask's protocol: it sent {first_line!r})")


@pytest.mark.parametrize("server", [b"\x1b[2J\x1b]0;owned\x07 HTTP\n2nd line\n"], indirect=True)
def test_what_a_server_sent_reaches_the_terminal_escaped_on_one_line(server):
    message = refusal(server)
    assert "it sent '\\x1b[2J\\x1b]0;owned\\x07 HTTP'" in message
    assert not re.search(r"[\x00-\x1f\x7f]", message), message


@pytest.mark.parametrize("server", [struct.pack("Q", 1 << 40) + b"\x00" * 8], indirect=True)
def test_a_greeting_announcing_a_terabyte_is_refused_before_dask_reads_it(server):
    assert "not Dask's protocol" in refusal(server)


@pytest.mark.parametrize("server", [b""], indirect=True)
def test_a_server_that_waits_for_the_client_to_speak_is_not_a_scheduler(server):
    """What a web server or an HTTP proxy does (a Dask scheduler greets at once)."""
    message = refusal(server, timeout=0.5)
    assert message.endswith(
        "(a server accepted the connection but sent no Dask greeting within 0.5 s)"
    )


@pytest.mark.parametrize("server", [None], indirect=True)
def test_a_server_that_closes_at_once_has_not_answered(server):
    assert refusal(server).endswith("(the server there closed the connection without answering)")


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("http://scheduler.example.org", "scheme 'http'"),
        ("unix:///tmp/dask.sock", "scheme 'unix'"),
        ("tcp://a..b:8786", "host 'a..b' is not a valid name"),
        (f"tcp://{'a' * 64}.example.org:8786", "is not a valid name"),
    ],
)
def test_a_malformed_address_is_not_an_address(address, problem):
    with pytest.raises(ValueError) as caught:
        make_executor(scheduler=address)
    message = str(caught.value)
    assert message.startswith(f"scheduler={address!r} is not an address tcp://HOST:PORT")
    assert problem in message


def test_an_empty_scheduler_flag_is_refused_not_ignored(tmp_path, capsys):
    output = tmp_path / "out.nc"
    sweep = ["sweep", "--observable", "lieb_liniger.ground_state_energy", "--grid", "gamma=1,2"]
    status = main([*sweep, "--output", str(output), "--no-progress", "--scheduler", ""])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err == (
        "qgas sweep: error: scheduler='' is not an address tcp://HOST:PORT, "
        "e.g. tcp://scheduler.example.org:8786 (empty)\n"
    )
    assert not output.exists()


def test_the_help_states_the_connect_timeout():
    sweep_parser = build_parser()._subparsers._group_actions[0].choices["sweep"]
    help_text = " ".join(sweep_parser.format_help().split())
    assert f"answers there within {SCHEDULER_CONNECT_TIMEOUT_S:g} s" in help_text


@pytest.fixture
def dask_cluster() -> Iterator[tuple[str, subprocess.Popen]]:
    """A real scheduler and worker in a subprocess: its address and the process."""
    process = subprocess.Popen(
        [sys.executable, "-c", CLUSTER_SCRIPT],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    address = process.stdout.readline().strip()
    assert address.startswith("tcp://127.0.0.1:"), address
    yield address, process
    process.kill()
    process.wait(timeout=30)


def sweep_until_first_checkpoint(address: str, output: Path) -> subprocess.Popen:
    """``qgas sweep`` of :data:`SLOW_SWEEP` on ``address``, returned once its first
    checkpoint exists (the sweep still running)."""
    command = [sys.executable, "-m", "qgas.cli", "sweep", *SLOW_SWEEP]
    command += ["--output", str(output), "--scheduler", address]
    sweep = foreground_process(command, ROOT, subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not checkpoint_path(output).exists() and time.monotonic() < deadline:
        assert sweep.poll() is None, sweep.communicate()
        time.sleep(0.01)
    return sweep


def assert_reported_points_kept(stderr: str, output: Path) -> None:
    """The checkpoint holds as many finished points as the message says, and some are left."""
    saved = load_checkpoint(checkpoint_path(output))
    assert f" {saved.done.sum()}/{saved.done.size} finished grid points are saved in " in stderr
    assert 0 < saved.done.sum() < saved.done.size
    assert not output.exists()


@pytest.mark.slow
def test_a_scheduler_dying_mid_sweep_is_one_line_and_the_checkpoint_is_kept(tmp_path, dask_cluster):
    address, cluster = dask_cluster
    output = tmp_path / "out.nc"
    sweep = sweep_until_first_checkpoint(address, output)
    cluster.kill()
    stdout, stderr = sweep.communicate(timeout=60)
    assert sweep.returncode == 2, stderr
    assert stderr.startswith(
        f"qgas sweep: error: scheduler={address!r}: lost the connection to the Dask scheduler "
        "during the sweep; "
    )
    assert stderr.count("\n") == 1 and stderr.endswith("same command plus --resume\n"), stderr
    assert stdout == ""
    assert_reported_points_kept(stderr, output)


@pytest.mark.slow
def test_ctrl_c_of_a_distributed_sweep_keeps_its_checkpoint(tmp_path, dask_cluster):
    address, _ = dask_cluster
    output = tmp_path / "out.nc"
    sweep = sweep_until_first_checkpoint(address, output)
    os.killpg(sweep.pid, signal.SIGINT)
    _, stderr = sweep.communicate(timeout=60)
    assert sweep.returncode == 130, stderr
    assert stderr.strip().startswith("interrupted:") and "--resume" in stderr
    assert_reported_points_kept(stderr, output)
