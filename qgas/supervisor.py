"""The supervisor of ``qgas serve``: it holds the listening sockets and keeps a server running.

Why a supervisor: a Python server process does not give its memory back after a class has
left. CPython's and glibc's allocators keep the arenas of the peak (thirty live sessions)
mapped as long as a few long-lived objects sit in them (``docs/performance/load.md``: 1.8–3 ×
the baseline after every session was destroyed, with no object left behind). The sure way
back to the baseline is a fresh process. So ``qgas serve`` binds the port itself, and runs
the server (:mod:`qgas.server_process`) as a child process that inherits the bound sockets.
When the child finds itself idle and grown (:func:`qgas.serve_hooks.retire_if_grown`), it
exits with :data:`RECYCLE_EXIT_CODE` and the supervisor starts a fresh one on the same
sockets. Connections that arrive in between wait in the kernel's accept queue of the sockets
the supervisor keeps open: they are served a few seconds late, never refused.

This module imports only the standard library and tornado (for Bokeh's socket binding).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

__all__ = [
    "CRASH_RESTARTS",
    "CRASH_WINDOW_S",
    "LISTEN_FDS_ENV",
    "RECYCLE_EXIT_CODE",
    "RECYCLE_GROWTH_ENV",
    "RETRY_DELAY_MAX_S",
    "RETRY_DELAY_S",
    "START_RETRIES",
    "SUPERVISOR_PID_ENV",
    "bind_listeners",
    "supervise",
]

#: Exit status of a server process that retires to be replaced by a fresh one (EX_TEMPFAIL).
RECYCLE_EXIT_CODE = 75
#: Environment variable naming the inherited listening sockets' file descriptors ("3,4").
LISTEN_FDS_ENV = "QGAS_LISTEN_FDS"
#: Restarts after a crash (death by a signal) allowed within :data:`CRASH_WINDOW_S` seconds.
CRASH_RESTARTS = 5
CRASH_WINDOW_S = 600.0
#: Fresh server processes (after a recycle or a crash) that may fail in a row (exit with an
#: error status: a missing file, a port problem, a failed warm-up) before the supervisor
#: gives up; each retry waits RETRY_DELAY_S · 2^k seconds (k = 0, 1, …), at most
#: RETRY_DELAY_MAX_S: 2 + 4 + 8 + 16 + 32 + 60 s, about two minutes of retries.
START_RETRIES = 6
RETRY_DELAY_S = 2.0
RETRY_DELAY_MAX_S = 60.0
#: Environment variable with ``qgas serve --recycle-growth`` (percent; absent or 0: never).
RECYCLE_GROWTH_ENV = "QGAS_RECYCLE_GROWTH"
#: Environment variable with the supervisor's pid: the server process exits if it dies
#: (:mod:`qgas.server_process`).
SUPERVISOR_PID_ENV = "QGAS_SUPERVISOR_PID"


def bind_listeners(address: str, port: int) -> list[socket.socket]:
    """Listening sockets for ``address:port``, bound as Bokeh's server binds them.

    ``localhost`` may give two sockets (IPv4 and IPv6). Raises ``OSError`` if the port is
    taken.
    """
    from tornado.netutil import bind_sockets

    return bind_sockets(port, address=address)


def supervise(
    command: Sequence[str],
    env: dict[str, str],
    listeners: Sequence[socket.socket],
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
    crash_restarts: int = CRASH_RESTARTS,
    start_retries: int = START_RETRIES,
    retry_delay_s: float = RETRY_DELAY_S,
) -> int:
    """Run ``command`` with the ``listeners`` inherited, again each time it asks to be recycled
    or a signal kills it (the kernel's out-of-memory killer, a crash in native code).

    The child finds the sockets' descriptors in ``env[LISTEN_FDS_ENV]`` and this process's
    pid in ``env[SUPERVISOR_PID_ENV]`` (it exits if the supervisor dies). A child killed by
    a signal is restarted at most ``crash_restarts`` times within :data:`CRASH_WINDOW_S`
    (the next crash is logged as giving up). The first child exiting with an error status (a
    bad option, a failed start) is not restarted: it would fail again, and the operator is
    watching. A later, fresh child that does (after a recycle or a crash: a file missing at
    that moment, a failed warm-up) would leave a class without its server, so it is started
    again after a growing delay (``retry_delay_s`` · 2^k, at most :data:`RETRY_DELAY_MAX_S`),
    each failure logged, up to ``start_retries`` failures in a row (a recycle resets the
    count); the next failure is logged as giving up. Returns the exit status of the last
    child (128 + the signal number if a signal killed it).
    SIGINT and SIGTERM to the supervisor are passed on to the child, which runs in its own
    process group so that Ctrl-C in a terminal (SIGINT to the terminal's foreground group)
    reaches it once, through the supervisor, and not twice (a second SIGINT would cut Bokeh's
    shutdown short with a traceback); ``kill -INT`` of the supervisor alone stops it too. The
    supervisor then returns 128 + that signal's number (130 for SIGINT) once the child has
    exited, and starts no other.
    """
    descriptors = [listener.fileno() for listener in listeners]
    child_env = {
        **env,
        LISTEN_FDS_ENV: ",".join(map(str, descriptors)),
        SUPERVISOR_PID_ENV: str(os.getpid()),
    }
    child: subprocess.Popen | None = None
    stopping = 0  # the signal that told the supervisor to stop, 0 before

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = signum
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    crashes: list[float] = []  # monotonic times of the recent restarts after a crash
    failures = 0  # fresh children that exited with an error status, in a row
    first = True
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            started = time.monotonic()
            child = subprocess.Popen(
                list(command), env=child_env, pass_fds=descriptors, process_group=0
            )
            if stopping and child.poll() is None:  # the signal came while the child started
                child.send_signal(stopping)
            status = child.wait()
            now = time.monotonic()
            crashes = [moment for moment in crashes if now - moment < CRASH_WINDOW_S]
            retired = status == RECYCLE_EXIT_CODE
            crashed = status < 0
            failed = status > 0 and not retired and not first
            first = False
            if stopping:
                return 128 + stopping
            if not (retired or crashed or failed):
                return status if status >= 0 else 128 - status
            if failed:
                failures += 1
                reason = f"exited with status {status} ({failures} failure(s) in a row)"
                if failures > start_retries:
                    log(
                        f"qgas serve: giving up: server process {child.pid} {reason}; not "
                        "restarting it"
                    )
                    return status
                delay = min(retry_delay_s * 2 ** (failures - 1), RETRY_DELAY_MAX_S)
                log(
                    f"qgas serve: server process {child.pid} {reason}; starting a fresh one "
                    f"in {delay:.0f} s"
                )
                _sleep_unless(delay, lambda: bool(stopping))
                if stopping:
                    return 128 + stopping
                continue
            if retired:
                failures = 0
                reason = f"retired after {now - started:.0f} s"
            else:
                reason = f"was killed by signal {-status} ({signal.Signals(-status).name})"
                if len(crashes) >= crash_restarts:
                    log(
                        f"qgas serve: giving up: server process {child.pid} {reason}, "
                        f"{len(crashes) + 1} crashes within {CRASH_WINDOW_S:.0f} s; not "
                        "restarting it"
                    )
                    return 128 - status
                crashes.append(now)
            log(
                f"qgas serve: server process {child.pid} {reason}; starting a fresh one on the "
                "same port"
            )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _sleep_unless(seconds: float, stopped: Callable[[], bool]) -> None:
    """Wait ``seconds``, returning early once ``stopped()`` (a signal arrived)."""
    deadline = time.monotonic() + seconds
    while not stopped() and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.1))
