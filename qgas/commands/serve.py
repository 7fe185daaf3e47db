"""``qgas serve``: serve the dashboard with Panel's Bokeh server (loopback by default)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = "Serve the dashboard (default http://127.0.0.1:5006)."

APP_PATH = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=5006, help="TCP port (default 5006)")
    parser.add_argument(
        "--address",
        default="127.0.0.1",
        help="interface to bind (default 127.0.0.1; exposing the server needs an explicit address "
        "and --allow-websocket-origin)",
    )
    parser.add_argument(
        "--allow-websocket-origin",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="extra websocket origin to accept (repeatable; needed behind a proxy)",
    )
    parser.add_argument("--num-procs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--show", action="store_true", help="open a browser tab")


def panel_arguments(args: argparse.Namespace) -> list[str]:
    """The ``panel serve`` command line for the parsed options."""
    if not 1 <= args.port <= 65535:
        raise ValueError(f"port={args.port} is outside the valid range 1..65535")
    if args.num_procs < 1:
        raise ValueError(f"num_procs={args.num_procs} must be >= 1")
    argv = [
        sys.executable,
        "-m",
        "panel",
        "serve",
        str(APP_PATH),
        "--address",
        args.address,
        "--port",
        str(args.port),
        "--num-procs",
        str(args.num_procs),
        "--liveness",
    ]
    for origin in args.allow_websocket_origin:
        argv += ["--allow-websocket-origin", origin]
    if args.show:
        argv.append("--show")
    return argv


def run(args: argparse.Namespace) -> int:
    argv = panel_arguments(args)
    print(f"Quantum Gas Explorer at http://{args.address}:{args.port}/app", flush=True)
    os.execv(argv[0], argv)
    return 0  # pragma: no cover - execv does not return
