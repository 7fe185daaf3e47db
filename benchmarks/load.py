"""Classroom load benchmark: many sessions moving every slider of the served dashboard.

Run ``python -m benchmarks.load`` (30 sessions for 60 s; ``--help`` for options). It serves
the dashboard with exactly the command line of ``qgas serve`` (one process on loopback), then
starts the students. Each is its own Bokeh session: it opens the page, and until the time is
up visits every tab and moves every slider that drives the visible view (the view's own
sliders, found generically, so new views and sliders are covered without changes here, and
the sidebar sliders of the global inputs the view depends on) by one step in a random
direction, waiting a think time between moves. A student is either (``--client``)

* ``protocol`` (default): a Bokeh-protocol client (:mod:`tests.support.protocol_client`) that
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

The pieces: the served dashboard (:mod:`tests.support.served`), the page helpers
(:mod:`tests.support.browser`), the students (:mod:`benchmarks.load_students`) and the report
(:mod:`benchmarks.load_report`). The test suite runs a small version (``tests/load/``) through
the command line (``--json``).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict
from pathlib import Path

import psutil

from benchmarks.load_report import LoadReport, median_and_p95
from benchmarks.load_students import CLIENTS, run_sessions
from dashboard.views import VIEWS
from qgas.commands import serve
from tests.support.browser import CHROMIUM
from tests.support.served import (
    ServedDashboard,
    cpu_seconds,
    free_port,
    process_tree,
    run_coroutine,
)

__all__ = ["MemorySampler", "ProxiedDashboards", "measure", "nginx_config"]


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
        p50, p95 = median_and_p95(latencies)
        solo_p50, solo_p95 = median_and_p95(solo_latencies)
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
            p50_ms=p50,
            p95_ms=p95,
            no_update_views=dict(
                collections.Counter(slug for r in results for slug in r.no_update_views)
            ),
            view_latency_ms={
                slug: median_and_p95(values)
                for slug in VIEWS
                if (values := [v for r in results for v in r.view_latencies_ms.get(slug, [])])
            },
            solo_p50_ms=solo_p50,
            solo_p95_ms=solo_p95,
            load_p50_s=median_and_p95([result.load_seconds for result in results])[0],
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
