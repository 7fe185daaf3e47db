"""The ``qgas serve`` supervisor: one port, server processes replaced behind it (recycled or
crashed), never a refused connection.

The children here are small Python scripts on the inherited socket, not the dashboard (the
dashboard's recycling is tested in ``test_serve.py``): they answer each connection with their
process id, so the tests see which process served whom.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from qgas.supervisor import (
    LISTEN_FDS_ENV,
    RECYCLE_EXIT_CODE,
    SUPERVISOR_PID_ENV,
    bind_listeners,
    supervise,
)
from tests.support.terminal import foreground_process

ROOT = Path(__file__).resolve().parents[2]

#: A server that answers one connection with its pid, then exits with the status its marker
#: file decides: RECYCLE_EXIT_CODE while the file says so, 0 afterwards.
ONE_ANSWER_SERVER = textwrap.dedent(
    """
    import os, socket, sys
    listener = socket.socket(fileno=int(os.environ["{fds}"].split(",")[0]))
    listener.setblocking(True)
    connection, _ = listener.accept()
    connection.sendall(str(os.getpid()).encode())
    connection.close()
    marker = sys.argv[1]
    recycle = os.path.exists(marker)
    if recycle:
        os.remove(marker)
    sys.exit({code} if recycle else 0)
    """
).format(fds=LISTEN_FDS_ENV, code=RECYCLE_EXIT_CODE)


def answer(port: int) -> int:
    """Connect to the port and read the serving process's pid."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        return int(connection.makefile("rb").read().decode())


def test_a_retiring_server_is_replaced_on_the_same_socket(tmp_path):
    marker = tmp_path / "recycle-once"
    marker.touch()
    listeners = bind_listeners("127.0.0.1", 0)
    port = listeners[0].getsockname()[1]
    pids: list[int] = []
    lines: list[str] = []
    client = threading.Thread(target=lambda: pids.extend(answer(port) for _ in range(2)))
    client.start()
    status = supervise(
        [sys.executable, "-c", ONE_ANSWER_SERVER, str(marker)],
        dict(os.environ),
        listeners,
        log=lines.append,
    )
    client.join(timeout=60)
    assert status == 0
    assert len(pids) == 2 and pids[0] != pids[1], pids
    assert os.getpid() not in pids
    assert len(lines) == 1 and f"server process {pids[0]} retired" in lines[0]


def test_a_connection_made_while_no_server_runs_waits_and_is_served():
    """Between two server processes the supervisor's socket keeps queueing connections."""
    listeners = bind_listeners("127.0.0.1", 0)
    port = listeners[0].getsockname()[1]
    early = socket.create_connection(("127.0.0.1", port), timeout=30)  # before any child
    waiting_server = textwrap.dedent(
        f"""
        import os, socket, time
        time.sleep(1.0)
        listener = socket.socket(fileno=int(os.environ["{LISTEN_FDS_ENV}"]))
        listener.setblocking(True)
        connection, _ = listener.accept()
        connection.sendall(b"served")
        connection.close()
        """
    )
    assert supervise([sys.executable, "-c", waiting_server], dict(os.environ), listeners) == 0
    assert early.makefile("rb").read() == b"served"
    early.close()


def test_a_server_that_fails_is_not_restarted():
    listeners = bind_listeners("127.0.0.1", 0)
    lines: list[str] = []
    status = supervise(
        [sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ), listeners, lines.append
    )
    assert status == 3 and lines == []


#: A server whose n-th start (counted in the file argv[1]) exits with status argv[2][n - 1]
#: (the last one for every later start).
SCRIPTED_EXITS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    counter = Path(sys.argv[1])
    runs = int(counter.read_text() or 0) + 1 if counter.exists() else 1
    counter.write_text(str(runs))
    statuses = [int(code) for code in sys.argv[2].split(",")]
    sys.exit(statuses[min(runs, len(statuses)) - 1])
    """
)


def test_a_fresh_server_that_fails_to_start_is_started_again(tmp_path):
    """After a recycle, a fresh process that fails at start-up (a file missing at that moment)
    must not take the class's server down: it is retried, each failure logged."""
    lines: list[str] = []
    status = supervise(
        [
            sys.executable,
            "-c",
            SCRIPTED_EXITS,
            str(tmp_path / "runs"),
            f"{RECYCLE_EXIT_CODE},3,3,0",
        ],
        dict(os.environ),
        bind_listeners("127.0.0.1", 0),
        lines.append,
        retry_delay_s=0.01,
    )
    assert status == 0
    assert (tmp_path / "runs").read_text() == "4"
    assert len(lines) == 3 and "retired" in lines[0]
    assert "exited with status 3 (1 failure(s) in a row); starting a fresh one" in lines[1]
    assert "exited with status 3 (2 failure(s) in a row); starting a fresh one" in lines[2]


def test_a_fresh_server_that_keeps_failing_is_given_up_with_a_log_line(tmp_path):
    lines: list[str] = []
    status = supervise(
        [sys.executable, "-c", SCRIPTED_EXITS, str(tmp_path / "runs"), f"{RECYCLE_EXIT_CODE},4"],
        dict(os.environ),
        bind_listeners("127.0.0.1", 0),
        lines.append,
        start_retries=2,
        retry_delay_s=0.01,
    )
    assert status == 4
    assert (tmp_path / "runs").read_text() == "4"  # the recycled one, then 1 + 2 retries
    assert len(lines) == 4
    assert lines[3].startswith("qgas serve: giving up: server process ")
    assert "exited with status 4 (3 failure(s) in a row); not restarting it" in lines[3]


def test_a_server_killed_by_a_signal_is_restarted(tmp_path):
    """The out-of-memory killer's SIGKILL takes one server process, not the service."""
    marker = tmp_path / "crash-once"
    marker.touch()
    crash_once = (
        f"import os, signal; m = {str(marker)!r}\n"
        "if os.path.exists(m):\n    os.remove(m); os.kill(os.getpid(), signal.SIGKILL)"
    )
    lines: list[str] = []
    listeners = bind_listeners("127.0.0.1", 0)
    status = supervise(
        [sys.executable, "-c", crash_once], dict(os.environ), listeners, lines.append
    )
    assert status == 0
    assert len(lines) == 1 and "was killed by signal 9 (SIGKILL)" in lines[0]


def test_a_server_that_keeps_crashing_is_given_up():
    always_crash = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    lines: list[str] = []
    listeners = bind_listeners("127.0.0.1", 0)
    status = supervise(
        [sys.executable, "-c", always_crash], dict(os.environ), listeners, lines.append, 2
    )
    assert status == 128 + signal.SIGKILL
    assert len(lines) == 3
    assert all("starting a fresh one" in line for line in lines[:2])
    assert lines[2].startswith("qgas serve: giving up: server process ")
    assert "was killed by signal 9 (SIGKILL), 3 crashes within 600 s; not restarting" in lines[2]


def test_the_server_gets_the_supervisor_pid_to_exit_with_it():
    """The server process exits when the supervisor dies (tests/cli/test_orphans.py): it
    learns whom to watch from its environment."""
    listeners = bind_listeners("127.0.0.1", 0)
    report = f"import os; raise SystemExit(int(os.environ['{SUPERVISOR_PID_ENV}']) - os.getppid())"
    assert supervise([sys.executable, "-c", report], dict(os.environ), listeners) == 0


@pytest.mark.slow
def test_sigterm_stops_the_server_and_the_supervisor(tmp_path):
    """SIGTERM to ``qgas serve`` reaches its server process; nothing is restarted."""
    started = tmp_path / "child.pid"
    child = f"import os, time; open({str(started)!r}, 'w').write(str(os.getpid())); time.sleep(600)"
    supervisor_script = textwrap.dedent(
        f"""
        import os, sys
        from qgas.supervisor import bind_listeners, supervise
        listeners = bind_listeners("127.0.0.1", 0)
        sys.exit(supervise([sys.executable, "-c", {child!r}], dict(os.environ), listeners))
        """
    )
    process = subprocess.Popen([sys.executable, "-c", supervisor_script], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not (started.exists() and started.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    child_pid = int(started.read_text())
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 128 + signal.SIGTERM
    with pytest.raises(ProcessLookupError):
        os.kill(child_pid, 0)


#: A server that writes its pid, then waits; Ctrl-C makes it note so and exit 0 (as Bokeh's
#: server does: "Interrupted, shutting down").
INTERRUPTIBLE_SERVER = textwrap.dedent(
    """
    import os, sys, time
    started, interrupted = sys.argv[1:]
    open(started, "w").write(str(os.getpid()))
    try:
        time.sleep(600)
    except KeyboardInterrupt:
        open(interrupted, "a").write("interrupted\\n")
    """
)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_supervisor_alone_stops_the_server_once(tmp_path, signum):
    """``kill -INT`` of the supervisor alone (not its process group) used to leave the server
    running: the supervisor stopped restarting it but did not pass SIGINT on. Now the server
    gets the signal exactly once (its own process group: a terminal's Ctrl-C reaches it only
    through the supervisor) and the supervisor exits 128 + the signal after it."""
    started, interrupted = tmp_path / "child.pid", tmp_path / "interrupted"
    child = [sys.executable, "-c", INTERRUPTIBLE_SERVER, str(started), str(interrupted)]
    supervisor_script = textwrap.dedent(
        f"""
        import os, sys
        from qgas.supervisor import bind_listeners, supervise
        listeners = bind_listeners("127.0.0.1", 0)
        sys.exit(supervise({child!r}, dict(os.environ), listeners))
        """
    )
    process = foreground_process([sys.executable, "-c", supervisor_script], ROOT, None)
    try:
        deadline = time.monotonic() + 60
        while not (started.exists() and started.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        child_pid = int(started.read_text())
        assert os.getpgid(child_pid) != os.getpgid(process.pid)
        process.send_signal(signum)
        assert process.wait(timeout=30) == 128 + signum
        with pytest.raises(ProcessLookupError):
            os.kill(child_pid, 0)
        if signum == signal.SIGINT:
            assert interrupted.read_text() == "interrupted\n"
    finally:
        process.kill()
        if started.exists() and started.read_text():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(started.read_text()), signal.SIGKILL)
