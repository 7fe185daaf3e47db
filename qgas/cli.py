"""The ``qgas`` command: one sub-command per module in :mod:`qgas.commands`.

Each module in :data:`COMMANDS` exposes ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``, and optionally ``DASH_VALUE_FLAGS``: options whose value may start with
``-`` (``--log-b -log(4)``), which argparse would otherwise take for an option. Modules are imported
lazily, so ``qgas --help`` stays fast and a sub-command's heavy dependencies load only when it
runs. A command interrupted by Ctrl-C ends with one line and exit status 130
(:mod:`qgas.interrupts`), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from qgas import __version__
from qgas.interrupts import EXIT_INTERRUPTED, interrupts_ignored

#: Exit status when the reader of standard output left (128 + SIGPIPE, as a shell reports).
EXIT_BROKEN_PIPE = 141

#: Sub-command name -> module under ``qgas.commands`` implementing it.
COMMANDS: dict[str, str] = {
    "serve": "qgas.commands.serve",
    "coefficients": "qgas.commands.coefficients",
    "sweep": "qgas.commands.sweep",
    "precompute": "qgas.commands.precompute",
}


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="qgas",
        description="Quantum Gas Explorer: exact physics of 1D quantum gases and its dashboard.",
    )
    parser.add_argument("--version", action="version", version=f"qgas {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        command_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command_parser)
        command_parser.set_defaults(run=module.run)
    return parser


def _attach_dash_values(argv: Sequence[str]) -> list[str]:
    """``--log-b -log(4)`` -> ``--log-b=-log(4)`` for the commands' ``DASH_VALUE_FLAGS``
    (argparse accepts a value starting with ``-`` only attached, unless it is a number)."""
    flags = {
        flag
        for module_name in COMMANDS.values()
        for flag in getattr(importlib.import_module(module_name), "DASH_VALUE_FLAGS", ())
    }
    attached: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token in flags:
            value = next(tokens, None)
            if value is not None and value.startswith("-") and not value.startswith("--"):
                attached.append(f"{token}={value}")
                continue
            attached.append(token)
            if value is not None:
                attached.append(value)
        else:
            attached.append(token)
    return attached


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qgas`` console script."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(_attach_dash_values(argv))
    try:
        status = int(args.run(args) or 0)
        sys.stdout.flush()  # here, not at exit, where a closed pipe is a traceback
        return status
    except BrokenPipeError:
        # the reader left (qgas sweep --list | head): no traceback; stdout is pointed at
        # devnull so the interpreter's final flush does not raise again (Python's signal docs)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        with interrupts_ignored():
            print(
                f"qgas {args.command}: interrupted; every file it reported as written is "
                "complete, nothing else was written",
                file=sys.stderr,
            )
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
