"""Sub-commands of ``qgas``; see :data:`qgas.cli.COMMANDS`.

Every sub-command reports a bad input the way argparse does, in one line
``qgas <command>: error: <what>`` on stderr (:func:`report_error`), and exits with status 2.
"""

from __future__ import annotations

import sys

#: Exit status of a bad input (argparse's own).
EXIT_BAD_INPUT = 2


def report_error(command: str, message: str, status: int = EXIT_BAD_INPUT) -> int:
    """Print ``qgas <command>: error: <message>`` to stderr and return ``status``."""
    print(f"qgas {command}: error: {message}", file=sys.stderr)
    return status
