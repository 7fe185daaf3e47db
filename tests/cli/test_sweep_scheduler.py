"""``qgas sweep --scheduler`` with an address where no Dask scheduler answers: one line, exit 2.

Malformed addresses, a closed port, a server that accepts and never answers, and one that
answers something else than Dask's protocol (what a web server or a proxy does) must each end
the command with one error line naming the address, before any work, without a traceback or
an "Exception ignored" report at exit. The subprocess timeout only bounds a hang (before the
fix the silent server kept ``distributed.Client`` waiting as long as it held the connection).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
#: A small sweep (three points of e(gamma)) given by flags, without its output and scheduler.
QGAS_SWEEP = [sys.executable, "-m", "qgas.cli", "sweep", "--no-progress", "--observable"]
QGAS_SWEEP += ["lieb_liniger.ground_state_energy", "--grid", "gamma=0.1:1:3"]


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=["silent", "http"])
def foreign_server(request) -> Iterator[str]:
    """A server on 127.0.0.1 that is not Dask's: it accepts and says nothing, or answers
    every connection with an HTTP error; its ``tcp://`` address."""
    listener = socket.create_server(("127.0.0.1", 0))
    connections: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connections.append(connection)
            if request.param == "http":
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for connection in connections:
        connection.close()


def sweep_with_scheduler(address: str, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*QGAS_SWEEP, "--output", str(output), "--scheduler", address],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=90,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, address: str, output: Path):
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"qgas sweep: error: scheduler={address!r}")
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""
    assert not output.exists()


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("nonsense", "missing port number"),
        ("tcp://host:notaport", "invalid literal"),
        ("tcp://host:99999", "port 99999 outside 1..65535"),
        ("tcp://:8786", "no host"),
        ("tls://host:8786", "scheme 'tls'"),
    ],
)
def test_a_malformed_address_is_one_line_naming_it(tmp_path, address, problem):
    output = tmp_path / "out.nc"
    result = sweep_with_scheduler(address, output)
    assert_one_line_error(result, address, output)
    assert "is not an address tcp://HOST:PORT" in result.stderr and problem in result.stderr


def test_a_closed_port_is_one_line_naming_it(tmp_path):
    address = f"tcp://127.0.0.1:{closed_port()}"
    output = tmp_path / "out.nc"
    result = sweep_with_scheduler(address, output)
    assert_one_line_error(result, address, output)
    assert "cannot connect to a Dask scheduler there (Connection refused)" in result.stderr


def test_an_unknown_host_is_one_line_naming_it(tmp_path):
    address = "tcp://no-such-host.invalid:8786"  # .invalid never resolves (RFC 2606)
    output = tmp_path / "out.nc"
    result = sweep_with_scheduler(address, output)
    assert_one_line_error(result, address, output)
    assert "unknown host 'no-such-host.invalid'" in result.stderr


def test_a_server_that_is_not_a_scheduler_is_one_line_naming_it(tmp_path, foreign_server):
    output = tmp_path / "out.nc"
    result = sweep_with_scheduler(foreign_server, output)
    assert_one_line_error(result, foreign_server, output)
    assert "cannot connect to a Dask scheduler there" in result.stderr
