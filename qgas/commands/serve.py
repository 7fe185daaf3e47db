"""``qgas serve``: serve the dashboard with Panel's Bokeh server, with safe defaults.

Safe defaults (see ``docs/serving.md``):

* binds to 127.0.0.1; a non-loopback ``--address`` is refused unless at least one
  ``--allow-websocket-origin`` names the host (and port) browsers will use, and an origin
  that lets any site in (``*``, ``*:5006``) is refused there unless ``--allow-any-origin``
  says the operator means it; an empty origin is always refused;
* serves only ``dashboard/app.py`` (fixed path) plus Panel's static files and ``/liveness``:
  no endpoint runs user-supplied code or reads user-supplied paths (no ``--dev``,
  ``--autoreload``, ``--admin``, ``--static-dirs`` or REST provider);
* closed sessions are destroyed: every ``--check-unused-sessions`` milliseconds the server
  drops sessions without a connection for ``--unused-session-lifetime`` milliseconds, and
  :mod:`qgas.serve_hooks` (``panel serve --setup``) logs each session's creation and
  destruction with the number of live sessions, then returns the freed memory to the OS;
* memory goes back to its baseline after a class: ``qgas serve`` is a small supervisor
  (:mod:`qgas.supervisor`) that binds the port and runs the server in a child process
  (:mod:`qgas.server_process`); once no session is left, a server process whose resident
  memory grew more than ``--recycle-growth`` percent above its fresh size retires and the
  supervisor starts a fresh one on the same, never closed, port.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard import physics_pool
from qgas import page_loads, supervisor

__all__ = [
    "APP_PATH",
    "HELP",
    "RECYCLE_GROWTH_PERCENT",
    "SETUP_PATH",
    "add_arguments",
    "check_address",
    "check_origins",
    "main",
    "matches_any_host",
    "panel_arguments",
    "run",
    "server_environment",
]

HELP = "Serve the dashboard (default http://127.0.0.1:5006)."

APP_PATH = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
SETUP_PATH = Path(__file__).resolve().parents[1] / "serve_hooks.py"

#: Defaults of the session clean-up (milliseconds). A session not yet connected counts as
#: unused, so the lifetime must exceed the slowest page load: when a class opens the page at
#: once, the server builds the sessions one after the other and the last page waits tens of
#: seconds (docs/performance/load.md); a shorter lifetime destroys waiting sessions and
#: builds them again, doubling the work at the worst moment. A closed tab's session is gone
#: at most lifetime + check interval (62 s) later.
CHECK_UNUSED_SESSIONS_MS = 2_000
#: Bounds of the session clean-up (milliseconds). Below 100 ms the server would spend its
#: event loop looking for unused sessions; above an hour between looks, or a day of lifetime,
#: closed tabs' sessions (tens of MB each) pile up for a whole teaching day, which is what the
#: clean-up exists to prevent, and a typo (an extra digit or three) should not silently
#: disable it.
CHECK_UNUSED_SESSIONS_RANGE_MS = (100, 3_600_000)
UNUSED_SESSION_LIFETIME_MAX_MS = 86_400_000
#: Default number of physics worker processes per server process (dashboard.physics_pool):
#: on a 2-core machine, one core for the event loop and one for the disorder averages.
PHYSICS_WORKERS = 1
#: Largest --page-loads-per-browser (per 30 s; a test browser opens pages far faster than a
#: person).
PAGE_LOADS_MAX = 10_000
#: Default of ``--recycle-growth``: an idle server process more than this many percent above
#: its fresh size is replaced (the classroom target: memory back within 10 % after a class).
RECYCLE_GROWTH_PERCENT = 10
UNUSED_SESSION_LIFETIME_MS = 60_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=5006, help="TCP port (default 5006)")
    parser.add_argument(
        "--address",
        default="127.0.0.1",
        help="interface to bind (default 127.0.0.1; a non-loopback address also needs "
        "--allow-websocket-origin)",
    )
    parser.add_argument(
        "--allow-websocket-origin",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="host[:port] that browsers use to reach the server (repeatable); required with a "
        "non-loopback --address and behind a reverse proxy",
    )
    parser.add_argument(
        "--allow-any-origin",
        action="store_true",
        help="accept an --allow-websocket-origin that matches any host ('*', '*:PORT') with a "
        "non-loopback --address: any web page a student opens can then drive their session; "
        "see docs/serving.md",
    )
    parser.add_argument(
        "--num-procs",
        type=int,
        default=1,
        help="worker processes forked by the server (default 1); see docs/serving.md",
    )
    parser.add_argument(
        "--physics-workers",
        type=int,
        default=PHYSICS_WORKERS,
        help="processes per server process that compute the heavy views (default "
        f"{PHYSICS_WORKERS}; 0: threads of the server process); see docs/serving.md",
    )
    parser.add_argument(
        "--recycle-growth",
        type=int,
        metavar="PERCENT",
        help="replace the server process, once no session is left, when its memory grew more "
        f"than PERCENT %% above its fresh size (default {RECYCLE_GROWTH_PERCENT}; 0: never; "
        "only with --num-procs 1); see docs/serving.md",
    )
    parser.add_argument(
        "--check-unused-sessions",
        type=int,
        default=CHECK_UNUSED_SESSIONS_MS,
        metavar="MS",
        help=f"how often to look for unused sessions, ms (default {CHECK_UNUSED_SESSIONS_MS})",
    )
    parser.add_argument(
        "--unused-session-lifetime",
        type=int,
        default=UNUSED_SESSION_LIFETIME_MS,
        metavar="MS",
        help="destroy a session this long after its last connection closed, ms "
        f"(default {UNUSED_SESSION_LIFETIME_MS})",
    )
    parser.add_argument(
        "--page-loads-per-browser",
        type=int,
        default=page_loads.DEFAULT_PAGE_LOADS,
        metavar="N",
        help=f"pages one browser may open per {page_loads.WINDOW_S:g} s (default "
        f"{page_loads.DEFAULT_PAGE_LOADS}; beyond: HTTP 429); see docs/serving.md",
    )
    parser.add_argument("--show", action="store_true", help="open a browser tab")


#: One label of a host name (RFC 1123 section 2.1): letters, digits and hyphens, 1 to 63
#: characters, no hyphen at either end.
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
#: Longest host name (RFC 1123 section 2.1, DNS names of RFC 1035).
HOST_NAME_MAX = 253


def check_address(address: str) -> None:
    """Raise ``ValueError`` unless ``address`` is an IP address or a host name (RFC 1123:
    dot-separated labels of letters, digits and hyphens, at most 253 characters); the message
    shows the value with ``repr`` (nothing in it is markup or a second line)."""
    try:
        ipaddress.ip_address(address)
        return
    except ValueError:
        pass
    labels = address.removesuffix(".").split(".")
    if len(address) <= HOST_NAME_MAX and all(_HOST_LABEL.fullmatch(label) for label in labels):
        return
    raise ValueError(
        f"--address={address!r} is not an IP address or a host name (letters, digits, hyphens "
        f"and dots, labels of 1..63 characters, {HOST_NAME_MAX} characters at most)"
    )


def is_loopback(address: str) -> bool:
    """Whether ``address`` (an IP literal or ``localhost``) only accepts local connections."""
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def matches_any_host(origin: str) -> bool:
    """Whether the websocket origin pattern ``origin`` (Bokeh's ``HOST[:PORT]`` with ``*``
    wildcards, ``bokeh.server.util.match_host``) admits every host name: ``*``, ``*:5006``,
    ``*.*``."""
    host = origin.rsplit(":", 1)[0] if ":" in origin else origin
    return all(label == "*" for label in host.split("."))


def check_origins(args: argparse.Namespace) -> None:
    """Raise ``ValueError`` for an empty ``--allow-websocket-origin``, and for one that admits
    every host with a non-loopback ``--address`` unless ``--allow-any-origin`` is given."""
    for origin in args.allow_websocket_origin:
        if not origin.strip():
            raise ValueError(
                f"--allow-websocket-origin={origin!r} is empty: give HOST[:PORT], the host name "
                "(and port) that browsers will use"
            )
        if matches_any_host(origin) and not is_loopback(args.address) and not args.allow_any_origin:
            raise ValueError(
                f"--allow-websocket-origin={origin!r} with --address={args.address} lets any "
                "web site a student visits drive their session: name the host browsers will "
                "use (HOST[:PORT]), or add --allow-any-origin if that is what you mean"
            )


def panel_arguments(args: argparse.Namespace, app_path: Path = APP_PATH) -> list[str]:
    """The command line of one server process: ``panel serve`` with the parsed options,
    run by :mod:`qgas.server_process` on the sockets of the supervisor.

    Raises ``ValueError`` naming the option, its value and the valid range for bad input,
    and for a non-loopback address without an allowed websocket origin. ``app_path`` is not
    a command-line option: the tests use it to serve a test app with the same settings.
    """
    if not 1 <= args.port <= 65535:
        raise ValueError(f"--port={args.port} is outside the valid range 1..65535")
    if not 1 <= args.num_procs <= 64:
        raise ValueError(f"--num-procs={args.num_procs} is outside the valid range 1..64")
    if not 0 <= args.physics_workers <= physics_pool.MAX_WORKERS:
        raise ValueError(
            f"--physics-workers={args.physics_workers} is outside the valid range "
            f"0..{physics_pool.MAX_WORKERS}"
        )
    if args.recycle_growth is not None:
        if not 0 <= args.recycle_growth <= 1000:
            raise ValueError(
                f"--recycle-growth={args.recycle_growth} is outside the valid range 0..1000"
            )
        if args.recycle_growth and args.num_procs > 1:
            raise ValueError(
                f"--recycle-growth={args.recycle_growth} works only with --num-procs 1, not "
                f"--num-procs={args.num_procs} (Bokeh forks those processes, so none is "
                "recycled): drop one of the two, or run several qgas serve behind a proxy"
            )
    if not 1 <= args.page_loads_per_browser <= PAGE_LOADS_MAX:
        raise ValueError(
            f"--page-loads-per-browser={args.page_loads_per_browser} is outside the valid "
            f"range 1..{PAGE_LOADS_MAX}"
        )
    low, high = CHECK_UNUSED_SESSIONS_RANGE_MS
    if not low <= args.check_unused_sessions <= high:
        raise ValueError(
            f"--check-unused-sessions={args.check_unused_sessions} ms is outside the valid "
            f"range {low}..{high} ms (an hour)"
        )
    lifetime = args.unused_session_lifetime
    if not args.check_unused_sessions <= lifetime <= UNUSED_SESSION_LIFETIME_MAX_MS:
        raise ValueError(
            f"--unused-session-lifetime={lifetime} ms is outside the valid "
            f"range {args.check_unused_sessions}..{UNUSED_SESSION_LIFETIME_MAX_MS} ms (from "
            "--check-unused-sessions to a day)"
        )
    check_address(args.address)
    if not is_loopback(args.address) and not args.allow_websocket_origin:
        raise ValueError(
            f"--address={args.address} exposes the server beyond this machine: also give "
            "--allow-websocket-origin HOST[:PORT] with the host name (and port) that browsers "
            f"will use, e.g. --allow-websocket-origin teacher-laptop.local:{args.port}"
        )
    check_origins(args)
    argv = [
        sys.executable,
        "-m",
        "qgas.server_process",
        "serve",
        str(app_path),
        "--address",
        args.address,
        "--port",
        str(args.port),
        "--num-procs",
        str(args.num_procs),
        "--check-unused-sessions",
        str(args.check_unused_sessions),
        "--unused-session-lifetime",
        str(args.unused_session_lifetime),
        "--setup",
        str(SETUP_PATH),
        "--liveness",
    ]
    for origin in args.allow_websocket_origin:
        argv += ["--allow-websocket-origin", origin]
    if args.show:
        argv.append("--show")
    return argv


def server_environment(args: argparse.Namespace) -> dict[str, str]:
    """Environment variables the server process needs besides the command line.

    Recycling needs the server to be the supervisor's child: with ``--num-procs`` above 1,
    Bokeh forks the processes and tornado restarts a retired one at most 100 times, so it
    is off there (run several ``qgas serve`` behind a proxy instead, docs/serving.md), and
    :func:`panel_arguments` refuses an explicit ``--recycle-growth`` above 0 with it.
    """
    growth = 0 if args.num_procs > 1 else args.recycle_growth
    if growth is None:
        growth = RECYCLE_GROWTH_PERCENT
    return {
        physics_pool.WORKERS_ENV: str(args.physics_workers),
        page_loads.PAGE_LOADS_ENV: str(args.page_loads_per_browser),
        supervisor.RECYCLE_GROWTH_ENV: str(growth),
    }


def run(args: argparse.Namespace, app_path: Path = APP_PATH) -> int:
    """Bind the port, then run and recycle the server (:func:`qgas.supervisor.supervise`).

    ``app_path`` is not a command-line option: the tests serve a test app with it.
    """
    try:
        argv = panel_arguments(args, app_path)
        listeners = supervisor.bind_listeners(args.address, args.port)
    except ValueError as error:
        print(f"qgas serve: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(
            f"qgas serve: error: cannot listen on {args.address}:{args.port}: {error.strerror}",
            file=sys.stderr,
        )
        return 2
    host = f"[{args.address}]" if ":" in args.address else args.address
    print(f"Quantum Gas Explorer at http://{host}:{args.port}/{app_path.stem}", flush=True)
    return supervisor.supervise(argv, {**os.environ, **server_environment(args)}, listeners)


def main(argv: Sequence[str], app_path: Path = APP_PATH) -> int:
    """``qgas serve`` with the options ``argv``, serving ``app_path`` (benchmarks and tests)."""
    parser = argparse.ArgumentParser(prog="qgas serve", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(list(argv)), app_path)
