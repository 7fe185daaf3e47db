"""Classroom load benchmark: many sessions moving every slider of the served dashboard.

Run ``python -m benchmarks.load`` (30 sessions for 60 s; ``--help`` for options). It serves
the dashboard with exactly the command line of ``qgas serve`` (one process on loopback), then
starts the students. Each is its own Bokeh session: it opens the page, and until the time is
up visits every tab and moves every slider that drives the visible view (the view's own
sliders, found generically, so new views and sliders are covered without changes here, and
the sidebar sliders of the global inputs the view depends on) by one step in a random
direction, waiting a think time between moves. A student is either (``--client``)

* ``protocol`` (default): a Bokeh-protocol client (:mod:`benchmarks.protocol_client`) that
  sends what the browser sends and renders nothing, so the run measures the server; or
* ``browser``: a Playwright context of Debian's Chromium pressing the ``.noUi-handle``s.

Measured:

* slider → update latency: from the step to the last websocket message carrying new plot
  data (Bokeh ``ColumnDataChanged``/``ColumnsStreamed``/``ColumnsPatched``, or a new
  ``ColumnDataSource``: the first plots of a view) of the burst it triggered, in the
  student's own clock; p50 and p95 over all moves of all sessions, next to the same figures
  for one session alone measured in the same run (the baseline);
* server resident memory (RSS of the server's process tree) sampled every 0.5 s, the number
  of live sessions from the server log (:mod:`qgas.serve_hooks`), memory per live session,
  and memory after every session closed and was destroyed against the baseline;
* errors: page and console errors (browser), websocket closes (dropped sessions), error
  alerts that appeared during the run, tracebacks in the server log, moves whose update
  never came.

The test suite runs a small version (``tests/load/``) through :func:`measure`.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psutil

from dashboard.assembly import GLOBAL_SLIDER_CLASSES
from dashboard.views import VIEWS, load_view_class
from qgas.commands import serve

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "CLIENTS",
    "IDLE_JS",
    "BrowserStudent",
    "LoadReport",
    "ProtocolStudent",
    "ProxiedDashboards",
    "ServedDashboard",
    "SessionResult",
    "StaleHandle",
    "cpu_seconds",
    "danger_alerts",
    "drive_session",
    "driving_classes",
    "driving_selectors",
    "free_port",
    "load_generator_cpu_seconds",
    "load_page",
    "measure",
    "move_slider",
    "nginx_config",
    "open_session",
    "percentile",
    "process_tree",
    "run_sessions",
    "view_class",
    "visible_handles",
]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Installed before any page script: records, in the page's clock, the arrival of every
#: websocket message carrying plot data and of every other document patch, and closes.
RECORDER_JS = r"""
(() => {
  const Native = window.WebSocket;
  const record = {data: [], patch: [], opened: 0, closed: 0};
  const DATA = new RegExp(
    '"kind":\\s*"(ColumnDataChanged|ColumnsStreamed|ColumnsPatched)"'
    + '|"type":\\s*"object",\\s*"name":\\s*"ColumnDataSource"');
  const keep = (list, t) => { list.push(t); if (list.length > 400) list.splice(0, 200); };
  window.__qgeLoad = record;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      record.opened += 1;
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        const now = performance.now();
        if (DATA.test(event.data)) keep(record.data, now);
        else if (event.data.includes('"events"')) keep(record.patch, now);
      });
      this.addEventListener('close', () => { record.closed += 1; });
    }
  };
})();
"""

#: Resolves when the update after ``t0`` is complete: the last plot-data message followed by
#: ``settle`` ms without another one; ``latency`` is null if none came within ``timeout`` ms.
WAIT_UPDATE_JS = r"""
async ({t0, settle, timeout}) => new Promise((resolve) => {
  const record = window.__qgeLoad;
  const poll = () => {
    const now = performance.now();
    const data = record.data.filter((t) => t > t0);
    const last = data.length ? data[data.length - 1] : null;
    if (last !== null && now - last >= settle) {
      resolve({latency: last - t0, messages: data.length});
    } else if (last === null && now - t0 > timeout) {
      resolve({latency: null, messages: 0});
    } else {
      setTimeout(poll, 20);
    }
  };
  poll();
})
"""

IDLE_JS = (
    "() => window.Bokeh !== undefined && Bokeh.documents.length > 0 && Bokeh.documents[0].is_idle"
)

#: How the students reach the server (``--client``); the first is the default.
CLIENTS = ("protocol", "browser")

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

    worker = threading.Thread(target=target, name="qge-load-event-loop")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0..100) of ``values`` by linear interpolation; NaN if empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


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


def nginx_config(listen_port: int, backend_ports: list[int], prefix: Path | None = None) -> str:
    """nginx configuration: one public port, sticky sessions over ``qgas serve`` backends.

    A browser's first request goes to any backend (round robin); the response sets the cookie
    ``qgas_backend`` naming the backend that served it, and every later request of that
    browser (the page's websocket included) goes to the same backend. Unlike ``ip_hash``
    this keeps a classroom behind one NAT address spread over the backends. Only the listed
    backends can be chosen: an unknown cookie value falls back to round robin. ``prefix``
    (a directory) adds the process-level settings needed to run nginx unprivileged there.
    """
    names = [f"b{index}" for index in range(1, len(backend_ports) + 1)]
    lines = []
    if prefix is not None:
        lines += [
            f"pid {prefix}/nginx.pid;",
            f"error_log {prefix}/error.log warn;",
            "events { worker_connections 1024; }",
            "http {",
            f"access_log {prefix}/access.log;",
            f"client_body_temp_path {prefix}/body;",
            f"proxy_temp_path {prefix}/proxy;",
        ]
    lines += ["upstream qgas_any {"]
    lines += [f"    server 127.0.0.1:{port};" for port in backend_ports]
    lines += ["}"]
    for name, port in zip(names, backend_ports, strict=True):
        lines += [f"upstream qgas_{name} {{ server 127.0.0.1:{port}; }}"]
    lines += ["map $cookie_qgas_backend $qgas_pool {"]
    lines += [f"    {name} qgas_{name};" for name in names]
    lines += ["    default qgas_any;", "}"]
    lines += ["map $upstream_addr $qgas_backend_name {"]
    lines += [
        f"    127.0.0.1:{port} {name};" for name, port in zip(names, backend_ports, strict=True)
    ]
    lines += ['    default "";', "}"]
    lines += [
        "map $http_upgrade $connection_upgrade {",
        "    default upgrade;",
        "    '' close;",
        "}",
    ]
    lines += [
        "server {",
        f"    listen 127.0.0.1:{listen_port};",
        "    location / {",
        "        proxy_pass http://$qgas_pool;",
        "        proxy_http_version 1.1;",
        "        proxy_set_header Upgrade $http_upgrade;",
        "        proxy_set_header Connection $connection_upgrade;",
        "        proxy_set_header Host $http_host;",
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "        proxy_set_header X-Forwarded-Proto $scheme;",
        "        proxy_read_timeout 1h;",
        "        proxy_buffering off;",
        '        add_header Set-Cookie "qgas_backend=$qgas_backend_name; Path=/; HttpOnly; '
        'SameSite=Lax" always;',
        "    }",
        "}",
    ]
    if prefix is not None:
        lines += ["}"]
    return "\n".join(lines) + "\n"


class ProxiedDashboards:
    """``backends`` ``qgas serve`` processes behind nginx with sticky sessions (loopback).

    Offers the measuring methods of :class:`ServedDashboard`, summed over the backends.
    """

    def __init__(self, log_dir: Path, backends: int, serve_options: list[str]) -> None:
        self.port = free_port()
        origin = ["--allow-websocket-origin", f"127.0.0.1:{self.port}"]
        self.backends = [
            ServedDashboard(log_dir / f"backend{index}.log", [*serve_options, *origin])
            for index in range(backends)
        ]
        self.prefix = log_dir / "nginx"
        for sub in ("body", "proxy"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        config = self.prefix / "nginx.conf"
        config.write_text(
            nginx_config(self.port, [backend.port for backend in self.backends], self.prefix)
        )
        self.process = subprocess.Popen(
            ["nginx", "-p", str(self.prefix), "-c", str(config), "-g", "daemon off;"],
            start_new_session=True,
            stderr=(self.prefix / "stderr.log").open("w"),
        )
        deadline = time.monotonic() + 30
        while not self.alive():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"nginx did not start; see {self.prefix}")
            time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/app"

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/liveness", timeout=5
            ) as response:
                return response.status == 200 and all(b.alive() for b in self.backends)
        except OSError:
            return False

    def processes(self) -> list[psutil.Process]:
        """Every backend's processes and nginx's."""
        backends = [process for backend in self.backends for process in backend.processes()]
        return [*process_tree(self.process.pid), *backends]

    def rss_mb(self) -> float:
        return sum(backend.rss_mb() for backend in self.backends)

    def cpu_seconds(self) -> float:
        return sum(backend.cpu_seconds() for backend in self.backends)

    def session_counts(self) -> tuple[int, int, int]:
        counts = [backend.session_counts() for backend in self.backends]
        return tuple(sum(column) for column in zip(*counts, strict=True))  # type: ignore[return-value]

    def sessions_per_backend(self) -> list[int]:
        return [backend.session_counts()[0] for backend in self.backends]

    def documents_in_memory(self, timeout: float = 10.0) -> int | None:
        counts = [backend.documents_in_memory(timeout) for backend in self.backends]
        return None if None in counts else sum(counts)  # type: ignore[arg-type]

    def server_errors(self) -> list[str]:
        return [line for backend in self.backends for line in backend.server_errors()]

    def wait_sessions_destroyed(self, timeout: float) -> bool:
        return all(backend.wait_sessions_destroyed(timeout) for backend in self.backends)

    def wait_settled(self, timeout: float = 120.0) -> bool:
        return all(backend.wait_settled(timeout) for backend in self.backends)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        for backend in self.backends:
            backend.stop()


def load_generator_cpu_seconds(server: ServedDashboard | ProxiedDashboards) -> float:
    """User + system CPU time used so far by this process and its processes that are not the
    server's: the students (protocol clients in this process, or Chromium's processes)."""
    own = psutil.Process()
    times = own.cpu_times()
    served = {process.pid for process in server.processes()}
    students = [child for child in own.children(recursive=True) if child.pid not in served]
    ended_children = times.children_user + times.children_system
    return times.user + times.system + ended_children + cpu_seconds(students)


class MemorySampler:
    """Samples (seconds since start, server RSS MB, live sessions) every ``interval`` s."""

    def __init__(self, server: ServedDashboard, interval: float = 0.5) -> None:
        self.server = server
        self.interval = interval
        self.samples: list[tuple[float, float, int]] = []
        self._stop = threading.Event()
        self._start = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            live = self.server.session_counts()[2]
            self.samples.append((time.monotonic() - self._start, self.server.rss_mb(), live))
            self._stop.wait(self.interval)

    def now(self) -> float:
        return time.monotonic() - self._start


@dataclass
class SessionResult:
    """What one browser session measured and saw."""

    latencies_ms: list[float] = field(default_factory=list)
    #: the same latencies, by the view (slug) whose tab was shown
    view_latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    #: the view (slug) of each move counted in ``no_update``
    no_update_views: list[str] = field(default_factory=list)
    moves: int = 0
    no_update: int = 0
    load_seconds: float = float("nan")
    tabs: int = 0
    handles: int = 0
    stale_handles: int = 0
    errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


def view_class(tab_index: int) -> str:
    """CSS class of the layout of the view in tab ``tab_index`` (built on first visit)."""
    return f"qge-view-{list(VIEWS)[tab_index]}"


def driving_classes(tab_index: int) -> list[str]:
    """CSS classes of what holds the sliders that drive the view in tab ``tab_index``: the
    view's own layout, and the sidebar sliders of the global inputs it depends on (moving
    another global slider updates no visible plot: hidden views wait until shown)."""
    view = load_view_class(list(VIEWS)[tab_index])
    return [
        view_class(tab_index),
        *(GLOBAL_SLIDER_CLASSES[name] for name in view.state_dependencies),
    ]


def driving_selectors(tab_index: int) -> list[str]:
    """Selectors of the slider handles that drive the view in tab ``tab_index``
    (:func:`driving_classes`)."""
    return [f".{css_class} .noUi-handle" for css_class in driving_classes(tab_index)]


async def visible_handles(page: Any, tab_index: int | None = None) -> list[Any]:
    """The visible slider handles (``.noUi-handle``) in ``page``; with ``tab_index``, only
    those that drive that tab's view (:func:`driving_selectors`)."""
    selector = ".noUi-handle" if tab_index is None else ", ".join(driving_selectors(tab_index))
    handles = page.locator(selector)
    found = []
    for index in range(await handles.count()):
        handle = handles.nth(index)
        if await handle.is_visible():
            found.append(handle)
    return found


async def danger_alerts(page: Any) -> set[str]:
    """Texts of the visible error alerts (``.alert-danger``) in ``page``."""
    alerts = page.locator(".alert-danger")
    texts = set()
    for index in range(await alerts.count()):
        alert = alerts.nth(index)
        if await alert.is_visible():
            texts.add((await alert.inner_text()).strip()[:200])
    return texts


def view_selector(tab_index: int) -> str:
    """CSS selector of the layout of the view in tab ``tab_index`` (built on first visit)."""
    return f".{view_class(tab_index)}"


async def wait_for_view(page: Any, tab_index: int, timeout_ms: float = 120_000) -> None:
    """Wait until the view of tab ``tab_index`` is shown and the document is idle."""
    await page.locator(view_selector(tab_index)).first.wait_for(state="visible", timeout=timeout_ms)
    await page.wait_for_function(IDLE_JS, timeout=timeout_ms)


class StaleHandle(Exception):
    """The slider handle vanished or stopped responding (the view rebuilt its controls)."""


async def move_slider(
    page: Any, handle: Any, rng: random.Random, timeout_ms: float
) -> float | None:
    """One keyboard step of ``handle`` in a random allowed direction.

    Returns the slider → update latency in ms, or None if no plot data came within
    ``timeout_ms``. Raises :class:`StaleHandle` if the handle is gone.
    """
    from playwright.async_api import Error as PlaywrightError

    try:
        now = await handle.get_attribute("aria-valuenow", timeout=10_000)
        low = await handle.get_attribute("aria-valuemin", timeout=10_000)
        high = await handle.get_attribute("aria-valuemax", timeout=10_000)
        key = "ArrowRight" if rng.random() < 0.5 else "ArrowLeft"
        if now is not None and low is not None and high is not None:
            if float(now) >= float(high):
                key = "ArrowLeft"
            elif float(now) <= float(low):
                key = "ArrowRight"
        t0 = await page.evaluate("performance.now()")
        await handle.press(key, timeout=10_000)
    except PlaywrightError as error:  # TimeoutError included
        raise StaleHandle(str(error)[:200]) from None
    result = await page.evaluate(WAIT_UPDATE_JS, {"t0": t0, "settle": 400, "timeout": timeout_ms})
    return result["latency"]


async def open_session(browser: Any, url: str, result: SessionResult) -> tuple[Any, Any]:
    """A fresh browser context and page whose errors and off-host requests go to ``result``.

    The page records websocket traffic (:data:`RECORDER_JS`); requests to other hosts than
    ``url``'s are blocked and listed in ``result.external_requests``.
    """
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.add_init_script(RECORDER_JS)
    page = await context.new_page()
    host = urlparse(url).hostname

    async def block_external(route: Any) -> None:
        if urlparse(route.request.url).hostname == host:
            await route.continue_()
        else:
            result.external_requests.append(route.request.url)
            await route.abort()

    def console(message: Any) -> None:
        source = urlparse(message.location.get("url", "")).hostname
        if message.type == "error" and source in (host, None):
            result.errors.append(f"console error: {message.text[:300]}")

    await page.route("**/*", block_external)
    page.on("pageerror", lambda error: result.errors.append(f"page error: {error}"))
    page.on("console", console)
    return context, page


async def load_page(page: Any, url: str, result: SessionResult) -> None:
    """Open ``url`` and wait until the Bokeh document is idle; record the load time."""
    started = time.monotonic()
    await page.goto(url, timeout=120_000)
    await page.wait_for_function(IDLE_JS, timeout=120_000)
    result.load_seconds = time.monotonic() - started


class BrowserStudent:
    """A student in a Chromium browser context: clicks tabs and presses slider handles."""

    def __init__(self, browser: Any, url: str, result: SessionResult) -> None:
        self.browser, self.url, self.result = browser, url, result

    async def open(self) -> None:
        self.context, self.page = await open_session(self.browser, self.url, self.result)
        await load_page(self.page, self.url, self.result)
        self.tabs = self.page.locator(".bk-tab")

    async def tab_count(self) -> int:
        return max(await self.tabs.count(), 1)

    async def show_tab(self, tab_index: int) -> None:
        if await self.tabs.count():
            await self.tabs.nth(tab_index).click()
            await wait_for_view(self.page, tab_index)

    async def sliders(self, tab_index: int) -> list[Any]:
        return await visible_handles(self.page, tab_index)

    async def move(self, slider: Any, rng: random.Random, timeout_ms: float) -> float | None:
        return await move_slider(self.page, slider, rng, timeout_ms)

    async def alerts(self) -> set[str]:
        return await danger_alerts(self.page)

    async def dropped(self) -> bool:
        return (await self.page.evaluate("window.__qgeLoad"))["closed"] > 0

    async def close(self) -> None:
        await self.context.close()


class ProtocolStudent:
    """A student speaking Bokeh's protocol (:mod:`benchmarks.protocol_client`): sets the
    ``Tabs`` and slider models as the browser would, renders nothing."""

    def __init__(self, url: str, result: SessionResult) -> None:
        from benchmarks.protocol_client import ProtocolSession

        self.session = ProtocolSession(url)
        self.result = result

    async def open(self) -> None:
        started = time.monotonic()
        await self.session.connect()
        self.result.load_seconds = time.monotonic() - started

    async def tab_count(self) -> int:
        tabs = self.session.tabs()
        return len(tabs.tabs) if tabs is not None else 1

    async def show_tab(self, tab_index: int) -> None:
        tabs = self.session.tabs()
        if tabs is not None and tabs.active != tab_index:
            self.session.select_tab(tab_index)
        await self.session.wait_for_class(view_class(tab_index), timeout=120.0)

    async def sliders(self, tab_index: int) -> list[Any]:
        found = {}
        for css_class in driving_classes(tab_index):
            for slider in self.session.sliders_under(css_class):
                if slider.visible:
                    found.setdefault(slider.id, slider)
        return list(found.values())

    async def move(self, slider: Any, rng: random.Random, timeout_ms: float) -> float | None:
        if not slider.in_document:
            raise StaleHandle(f"slider {slider.title!r} left the document")
        sent = self.session.step_slider(slider, rng.choice((-1, 1)))
        latency = await self.session.wait_update(sent, settle=0.4, timeout=timeout_ms / 1000)
        return None if latency is None else latency * 1000

    async def alerts(self) -> set[str]:
        return {
            str(model.text).strip()[:200]
            for model in self.session.models_with_class("alert-danger")
            if model.visible and str(model.text).strip()
        }

    async def dropped(self) -> bool:
        return self.session.closed

    async def close(self) -> None:
        await self.session.close()


async def drive_session(
    student: BrowserStudent | ProtocolStudent,
    duration: float,
    think: float,
    seed: int,
    update_timeout: float = 20.0,
    hold: tuple[asyncio.Queue, asyncio.Event] | None = None,
    start_together: tuple[asyncio.Queue, asyncio.Event] | None = None,
) -> SessionResult:
    """One student: open the page and move every slider of every tab until ``duration`` s.

    With ``start_together = (queue, event)`` the student first opens every tab once (its
    views are built), puts its ``seed`` into the queue and waits for the event before the
    timed moves: the moves then measure a class at work, not a class joining.

    A handle whose first move brings no plot update within ``update_timeout`` s is counted
    in ``no_update`` and not moved again (a slider no plot depends on). With ``hold =
    (queue, event)`` the session puts its ``seed`` into the queue when its moves are done
    and stays connected, idle, until the event is set.
    """
    rng = random.Random(seed)
    result = student.result
    try:
        await student.open()
        alerts_at_start = await student.alerts()
        result.tabs = await student.tab_count()
        if start_together is not None:
            for tab_index in range(result.tabs):
                await student.show_tab(tab_index)
            start_together[0].put_nowait(seed)
            await start_together[1].wait()
        deadline = time.monotonic() + duration
        silent: set[tuple[int, int]] = set()
        while time.monotonic() < deadline:
            for tab_index in range(result.tabs):
                if time.monotonic() >= deadline:
                    break
                await student.show_tab(tab_index)
                sliders = await student.sliders(tab_index)
                result.handles = max(result.handles, len(sliders))
                for slider_index, slider in enumerate(sliders):
                    if time.monotonic() >= deadline:
                        break
                    if (tab_index, slider_index) in silent:
                        continue
                    try:
                        latency = await student.move(slider, rng, update_timeout * 1000)
                    except StaleHandle:
                        result.stale_handles += 1
                        break  # the controls changed: list the sliders again
                    result.moves += 1
                    slug = list(VIEWS)[tab_index]
                    if latency is None:
                        result.no_update += 1
                        result.no_update_views.append(slug)
                        silent.add((tab_index, slider_index))
                    else:
                        result.latencies_ms.append(latency)
                        result.view_latencies_ms.setdefault(slug, []).append(latency)
                    await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        new_alerts = await student.alerts() - alerts_at_start
        result.errors += [f"error alert appeared: {text}" for text in sorted(new_alerts)]
    except Exception as error:  # a failing session is a result, not a crash of the run
        result.errors.append(f"{type(error).__name__}: {str(error)[:300]}")
    if hold is not None:
        hold[0].put_nowait(seed)
        await hold[1].wait()
    try:
        if await student.dropped():
            result.errors.append("websocket closed by the server: session dropped")
    except Exception as error:
        result.errors.append(f"{type(error).__name__}: {str(error)[:300]}")
    finally:
        await student.close()
    return result


async def run_sessions(
    url: str,
    sessions: int,
    duration: float,
    think: float,
    stagger: float = 0.3,
    on_all_loaded: Any = None,
    client: str = CLIENTS[0],
    warm_start: bool = False,
) -> list[SessionResult]:
    """``sessions`` concurrent students, started ``stagger`` s apart.

    With ``warm_start`` every student opens every tab first, and the timed moves of all of
    them begin when the last one has (:func:`drive_session`'s ``start_together``).

    ``client`` is ``"browser"`` (each student a context of one headless Chromium) or
    ``"protocol"`` (each a :class:`ProtocolStudent`, all in this process).
    ``on_all_loaded()`` is called (in a thread) once every session has finished its moves
    but is still connected: the place to read the memory of ``sessions`` live sessions.
    """
    if client not in CLIENTS:
        raise ValueError(f"client={client!r} is not one of {CLIENTS}")
    finished: asyncio.Queue = asyncio.Queue()
    release = asyncio.Event()
    opened: asyncio.Queue = asyncio.Queue()
    start = asyncio.Event()

    async def all_sessions(queue: asyncio.Queue, tasks: list[asyncio.Task]) -> None:
        """Every session has put into ``queue``, or ended (a crash shows in gather)."""
        while queue.qsize() + sum(task.done() for task in tasks) < sessions:
            await asyncio.sleep(0.2)

    async def students(make_student: Any) -> list[SessionResult]:
        async def student(index: int) -> SessionResult:
            await asyncio.sleep(index * stagger)
            return await drive_session(
                make_student(SessionResult()),
                duration,
                think,
                seed=index,
                hold=(finished, release),
                start_together=(opened, start) if warm_start else None,
            )

        tasks = [asyncio.create_task(student(i)) for i in range(sessions)]
        if warm_start:
            await all_sessions(opened, tasks)
            start.set()
        await all_sessions(finished, tasks)
        if on_all_loaded is not None:
            await asyncio.to_thread(on_all_loaded)
        release.set()
        return list(await asyncio.gather(*tasks))

    if client == "protocol":
        return await students(lambda result: ProtocolStudent(url, result))
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        results = await students(lambda result: BrowserStudent(browser, url, result))
        await browser.close()
    return results


@dataclass
class LoadReport:
    """Figures of one load run (times in ms, memory in MB)."""

    client: str
    warm_start: bool
    sessions: int
    duration_s: float
    think_s: float
    num_procs: int
    physics_workers: int
    backends: int
    moves: int
    no_update: int
    errors: list[str]
    dropped_sessions: int
    p50_ms: float
    p95_ms: float
    #: view slug -> moves on its tab counted in ``no_update``
    no_update_views: dict[str, int]
    #: view slug -> (p50, p95) ms of the moves made on that view's tab
    view_latency_ms: dict[str, tuple[float, float]]
    solo_p50_ms: float
    solo_p95_ms: float
    load_p50_s: float
    baseline_rss_mb: float
    live_rss_mb: float
    per_session_mb: float
    peak_rss_mb: float
    after_close_rss_mb: float
    after_close_ratio: float
    sessions_opened: int
    sessions_created: int
    sessions_destroyed: int
    all_destroyed: bool
    documents_left: int | None
    server_alive: bool
    server_cpu_s: float
    #: CPU seconds of the server / of the students (the load generator) during the class
    class_server_cpu_s: float
    students_cpu_s: float
    views_tabs: int
    slider_handles: int
    external_requests: list[str]
    rss_timeline: list[tuple[float, float, int]]

    def table(self) -> str:
        """The human-readable summary printed by the benchmark."""
        ratio = self.p50_ms / self.solo_p50_ms if self.solo_p50_ms else float("nan")
        rows = [
            f"{self.client} clients: sessions {self.sessions} x {self.duration_s:.0f} s"
            f"{' after every session opened every tab' if self.warm_start else ''}, "
            f"think {self.think_s} s, "
            f"num-procs {self.num_procs}, physics workers {self.physics_workers}, "
            f"backends behind nginx {self.backends}; "
            f"{self.views_tabs} tabs, "
            f"{self.slider_handles} slider handles per tab visit at most",
            f"moves {self.moves}, without update {self.no_update} {self.no_update_views}, "
            f"errors {len(self.errors)}, "
            f"dropped sessions {self.dropped_sessions}, server alive {self.server_alive}",
            f"latency slider->update  p50 {self.p50_ms:8.0f} ms   p95 {self.p95_ms:8.0f} ms",
            f"  baseline (1 session)  p50 {self.solo_p50_ms:8.0f} ms   p95 {self.solo_p95_ms:8.0f}"
            f" ms   ratio p50 {ratio:.2f}",
            "  by view (p50/p95 ms): "
            + ", ".join(
                f"{slug} {p50:.0f}/{p95:.0f}" for slug, (p50, p95) in self.view_latency_ms.items()
            ),
            f"page load p50 {self.load_p50_s:.1f} s; server CPU {self.server_cpu_s:.0f} s, "
            f"during the class {self.class_server_cpu_s:.0f} s (students' processes "
            f"{self.students_cpu_s:.1f} s)",
            f"RSS baseline {self.baseline_rss_mb:.0f} MB, with all sessions live "
            f"{self.live_rss_mb:.0f} MB ({self.per_session_mb:.1f} MB per session), peak "
            f"{self.peak_rss_mb:.0f} MB",
            f"RSS after close {self.after_close_rss_mb:.0f} MB = {self.after_close_ratio:.3f} x "
            f"baseline; browser sessions {self.sessions_opened}, server sessions created "
            f"{self.sessions_created}, destroyed {self.sessions_destroyed}, all destroyed "
            f"{self.all_destroyed}; session documents left in memory {self.documents_left}",
        ]
        if self.external_requests:
            rows.append(f"requests off the server (blocked): {self.external_requests[:5]}")
        rows += [f"  error: {error}" for error in self.errors[:20]]
        return "\n".join(rows)


def _settled_rss(server: ServedDashboard, seconds: float = 3.0) -> float:
    """Median RSS over a few seconds (a single reading catches transient allocations)."""
    readings = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        readings.append(server.rss_mb())
        time.sleep(0.25)
    return statistics.median(readings)


def measure(
    log_dir: Path,
    sessions: int = 5,
    duration: float = 20.0,
    think: float = 0.5,
    num_procs: int = 1,
    solo_duration: float = 15.0,
    lifetime_ms: int = 1000,
    backends: int = 1,
    stagger: float = 0.3,
    client: str = CLIENTS[0],
    warm_start: bool = False,
    physics_workers: int = serve.PHYSICS_WORKERS,
) -> LoadReport:
    """Serve, warm up, measure one session alone, then ``sessions`` at once; close; report.

    The baseline memory is read after the solo session has been destroyed (imports done,
    caches warm): what a server that has served one student holds. With ``backends > 1``
    that many ``qgas serve`` processes run behind nginx with sticky sessions
    (:func:`nginx_config`) and the figures are summed over them.
    """
    options = [
        "--num-procs",
        str(num_procs),
        "--physics-workers",
        str(physics_workers),
        "--check-unused-sessions",
        str(min(1000, lifetime_ms)),
        "--unused-session-lifetime",
        str(lifetime_ms),
    ]
    server: ServedDashboard | ProxiedDashboards
    if backends > 1:
        server = ProxiedDashboards(log_dir, backends, options)
    else:
        server = ServedDashboard(log_dir / "server.log", options)
    destroy_wait = 60.0 + lifetime_ms / 1000
    try:
        solo = run_coroutine(run_sessions(server.url, 1, solo_duration, think, client=client))
        server.wait_sessions_destroyed(destroy_wait)
        server.documents_in_memory()
        server.wait_settled()
        baseline = _settled_rss(server)
        live_rss: list[float] = []
        server_cpu_before = server.cpu_seconds()
        students_cpu_before = load_generator_cpu_seconds(server)
        with MemorySampler(server) as sampler:
            results = run_coroutine(
                run_sessions(
                    server.url,
                    sessions,
                    duration,
                    think,
                    stagger=stagger,
                    on_all_loaded=lambda: live_rss.append(_settled_rss(server)),
                    client=client,
                    warm_start=warm_start,
                )
            )
            server_cpu = server.cpu_seconds()  # before a retired process takes its count along
            students_cpu = load_generator_cpu_seconds(server) - students_cpu_before
            all_destroyed = server.wait_sessions_destroyed(destroy_wait)
            # the hook releases memory 1 s after the last destruction, then the process
            # may retire for a fresh one (qgas serve --recycle-growth)
            documents_left = server.documents_in_memory()
            server.wait_settled()
            after = _settled_rss(server)
        created, destroyed, _ = server.session_counts()
        latencies = [value for result in results for value in result.latencies_ms]
        solo_latencies = solo[0].latencies_ms
        errors = [error for result in [*solo, *results] for error in result.errors]
        errors += [f"server: {line}" for line in server.server_errors()]
        live = live_rss[0] if live_rss else float("nan")
        return LoadReport(
            client=client,
            warm_start=warm_start,
            sessions=sessions,
            duration_s=duration,
            think_s=think,
            num_procs=num_procs,
            physics_workers=physics_workers,
            backends=backends,
            moves=sum(result.moves for result in results),
            no_update=sum(result.no_update for result in results),
            errors=errors,
            dropped_sessions=sum(
                any("session dropped" in error for error in result.errors) for result in results
            ),
            p50_ms=percentile(latencies, 50),
            p95_ms=percentile(latencies, 95),
            no_update_views=dict(
                collections.Counter(slug for r in results for slug in r.no_update_views)
            ),
            view_latency_ms={
                slug: (percentile(values, 50), percentile(values, 95))
                for slug in VIEWS
                if (values := [v for r in results for v in r.view_latencies_ms.get(slug, [])])
            },
            solo_p50_ms=percentile(solo_latencies, 50),
            solo_p95_ms=percentile(solo_latencies, 95),
            load_p50_s=percentile([result.load_seconds for result in results], 50),
            baseline_rss_mb=baseline,
            live_rss_mb=live,
            per_session_mb=(live - baseline) / sessions,
            peak_rss_mb=max(rss for _, rss, _ in sampler.samples),
            after_close_rss_mb=after,
            after_close_ratio=after / baseline,
            sessions_opened=sessions + 1,
            sessions_created=created,
            sessions_destroyed=destroyed,
            all_destroyed=all_destroyed,
            documents_left=documents_left,
            server_alive=server.alive(),
            server_cpu_s=server_cpu,
            class_server_cpu_s=server_cpu - server_cpu_before,
            students_cpu_s=students_cpu,
            views_tabs=max(result.tabs for result in results),
            slider_handles=max(result.handles for result in results),
            external_requests=sorted(
                {url for result in [*solo, *results] for url in result.external_requests}
            ),
            rss_timeline=sampler.samples,
        )
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument(
        "--client",
        choices=CLIENTS,
        default=CLIENTS[0],
        help="protocol: Bokeh-protocol clients in this process (measures the server); "
        "browser: headless Chromium contexts (measures the whole stack, clients included)",
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of slider moves")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between moves, s")
    parser.add_argument("--stagger", type=float, default=0.3, help="s between session starts")
    parser.add_argument("--num-procs", type=int, default=1, help="qgas serve --num-procs")
    parser.add_argument(
        "--physics-workers",
        type=int,
        default=serve.PHYSICS_WORKERS,
        help="qgas serve --physics-workers (per server process)",
    )
    parser.add_argument(
        "--backends", type=int, default=1, help="qgas serve processes behind nginx (needs nginx)"
    )
    parser.add_argument(
        "--warm-start",
        action="store_true",
        help="every session opens every tab first; the timed moves start together (a class at "
        "work rather than a class joining)",
    )
    parser.add_argument("--solo-duration", type=float, default=30.0)
    parser.add_argument(
        "--lifetime-ms",
        type=int,
        default=serve.UNUSED_SESSION_LIFETIME_MS,
        help="--unused-session-lifetime of the server (default: qgas serve's)",
    )
    parser.add_argument("--json", type=Path, help="write the full report (with RSS timeline)")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/qge-load"))
    options = parser.parse_args(argv)
    if options.client == "browser" and not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 2
    options.log_dir.mkdir(parents=True, exist_ok=True)
    report = measure(
        options.log_dir,
        sessions=options.sessions,
        duration=options.duration,
        think=options.think,
        num_procs=options.num_procs,
        solo_duration=options.solo_duration,
        lifetime_ms=options.lifetime_ms,
        backends=options.backends,
        stagger=options.stagger,
        client=options.client,
        warm_start=options.warm_start,
        physics_workers=options.physics_workers,
    )
    print(report.table())
    if options.json:
        options.json.write_text(json.dumps(asdict(report), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
