"""A served dashboard for tests and benchmarks: ``qgas serve`` in its own process group.

:class:`ServedDashboard` starts the dashboard with exactly the command line of ``qgas serve``,
waits for ``/liveness``, reads the session counts and errors the server logs
(:mod:`qgas.serve_hooks`), its memory and CPU time, and stops it with every worker. Used by the
served tests (``tests/cli``, ``tests/load``) and by the benchmarks (``benchmarks/load.py``,
``benchmarks/adversary.py``, ``benchmarks/dashboard_latency.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

from qgas.commands import serve

__all__ = ["ROOT", "ServedDashboard", "cpu_seconds", "free_port", "process_tree", "run_coroutine"]

ROOT = Path(__file__).resolve().parents[2]

_LIVE_RE = re.compile(r"session \S+ (created|destroyed) in process (\d+).*live sessions: (\d+)")
_DOCUMENTS_RE = re.compile(r"no live sessions in process (\d+): documents in memory: (\d+)")
_READY_RE = re.compile(r"process (\d+) ready: ")
_RETIRES_RE = re.compile(r"process (\d+) retires: ")
_SERVER_ERROR_RE = re.compile(r"Traceback|ERROR|Exception in callback|Error running")


def free_port() -> int:
    """A TCP port the OS reports free on 127.0.0.1 (ephemeral range: none Chromium refuses)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_coroutine(coroutine: Any) -> Any:
    """``asyncio.run(coroutine)`` in a thread of its own.

    Safe where the calling thread already runs an event loop (Playwright's sync API, Jupyter,
    an earlier test's fixture), which makes a plain ``asyncio.run`` refuse.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=target, name="qge-event-loop")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def process_tree(pid: int) -> list[psutil.Process]:
    """Process ``pid`` and its descendants (none if it has ended)."""
    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User + system CPU time used so far by ``processes`` (those that ended count 0)."""
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


class ServedDashboard:
    """The dashboard served with the command line of ``qgas serve``, in its own process group.

    ``serve_options`` are ``qgas serve`` options (e.g. ``["--num-procs", "2"]``); ``app``
    replaces ``dashboard/app.py`` (the fault tests serve a wrapper of it).
    """

    def __init__(
        self,
        log_path: Path,
        serve_options: list[str] | None = None,
        app: Path = serve.APP_PATH,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = port or free_port()
        if not any(option.startswith("--page-loads-per-browser") for option in serve_options or []):
            # a test browser opens pages far faster than a person (docs/serving.md)
            serve_options = [*(serve_options or []), "--page-loads-per-browser", "10000"]
        parser = argparse.ArgumentParser()
        serve.add_arguments(parser)
        args = parser.parse_args(["--port", str(self.port), *(serve_options or [])])
        serve.panel_arguments(args, app_path=app)  # bad options raise ValueError here
        self.argv = [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from qgas.commands.serve import main; "
            f"sys.exit(main(sys.argv[1:], Path({str(app)!r})))",
            "--port",
            str(self.port),
            *(serve_options or []),
        ]
        self.app = app
        self.log_path = log_path
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        self.wait_ready()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.app.stem}"

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Wait until ``/liveness`` answers (raise with the log's tail if the server died)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/liveness", timeout=2
                ) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log_text()[-2000:]
                self.stop()
                raise RuntimeError(f"server did not start: {self.argv}\n{tail}")
            time.sleep(0.2)

    def warm_up(self, timeout: float = 600) -> None:
        """Fetch the page once: the first session fills the process-wide physics caches."""
        urllib.request.urlopen(self.url, timeout=timeout).read()

    def alive(self, patience: float = 60.0) -> bool:
        """Whether the server process runs and ``/liveness`` answers 200 within ``patience`` s.

        A server busy for a few seconds (building sessions, collecting garbage) is alive.
        """
        deadline = time.monotonic() + patience
        while self.process.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/liveness", timeout=10
                ) as response:
                    return response.status == 200
            except OSError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.5)
        return False

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def processes(self) -> list[psutil.Process]:
        """The server process and its forked workers (``--num-procs``)."""
        return process_tree(self.process.pid)

    def rss_mb(self) -> float:
        """Resident memory of the server's process tree, MB (10**6 bytes)."""
        total = 0
        for process in self.processes():
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total / 1e6

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the server's process tree."""
        return cpu_seconds(self.processes())

    def session_counts(self) -> tuple[int, int, int]:
        """(sessions created, sessions destroyed, live sessions) from the server log."""
        created = destroyed = 0
        live: dict[str, int] = {}
        for kind, pid, count in _LIVE_RE.findall(self.log_text()):
            created += kind == "created"
            destroyed += kind == "destroyed"
            live[pid] = int(count)
        return created, destroyed, sum(live.values())

    def documents_in_memory(self, timeout: float = 30.0) -> int | None:
        """Session documents left once the last session of each process was destroyed.

        Sums, over the processes, the ``documents in memory`` line (:mod:`qgas.serve_hooks`)
        that follows each process's latest session destruction, waiting up to ``timeout`` s
        for it; None if a process has not reported after its latest destruction.
        """
        deadline = time.monotonic() + timeout
        while True:
            latest: dict[str, int | None] = {}
            for line in self.log_text().splitlines():
                destroyed = _LIVE_RE.search(line)
                if destroyed and destroyed.group(1) == "destroyed":
                    latest[destroyed.group(2)] = None
                documents = _DOCUMENTS_RE.search(line)
                if documents:
                    latest[documents.group(1)] = int(documents.group(2))
            if latest and None not in latest.values():
                return sum(latest.values())  # type: ignore[arg-type]
            if time.monotonic() > deadline:
                return None
            time.sleep(0.5)

    def server_errors(self) -> list[str]:
        """Log lines that report an exception in the server."""
        return [line for line in self.log_text().splitlines() if _SERVER_ERROR_RE.search(line)]

    def wait_sessions_destroyed(self, timeout: float) -> bool:
        """Wait until every session created so far is destroyed; whether that happened."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            created, destroyed, live = self.session_counts()
            if created == destroyed and live == 0:
                return True
            time.sleep(0.5)
        return False

    def wait_settled(self, timeout: float = 120.0) -> bool:
        """Wait until every server process that retired (``--recycle-growth``) has a ready
        successor, then for the memory reading to settle; whether that happened in time."""
        time.sleep(0.5)  # the retiring line follows the idle report within the same callback
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = [
                (match.start(), kind)
                for kind, pattern in (("ready", _READY_RE), ("retired", _RETIRES_RE))
                for match in pattern.finditer(self.log_text())
            ]
            if not events or max(events)[1] == "ready":
                time.sleep(1.0)
                return True
            time.sleep(0.5)
        return False

    def stop(self) -> None:
        """Stop the server and every worker (SIGTERM to the group, SIGKILL after 10 s)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
