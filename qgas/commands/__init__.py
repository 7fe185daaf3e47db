"""Sub-commands of ``qgas``; see :data:`qgas.cli.COMMANDS`.

Every sub-command reports a bad input the way argparse does, in one line
``qgas <command>: error: <what>`` on stderr (:func:`report_error`), and exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: Exit status of a bad input (argparse's own).
EXIT_BAD_INPUT = 2


def report_error(command: str, message: str, status: int = EXIT_BAD_INPUT) -> int:
    """Print ``qgas <command>: error: <message>`` to stderr and return ``status``."""
    print(f"qgas {command}: error: {message}", file=sys.stderr)
    return status


def refuse_lower_order(flag: str, order: int, existing: int, path: Path, allowed: bool) -> None:
    """ValueError if ``order`` is below the ``existing`` order of the table at ``path`` and
    ``--allow-lower-order`` (``allowed``) was not given: no table is silently replaced by one
    of lower order."""
    if order < existing and not allowed:
        raise ValueError(
            f"{flag}={order} is lower than the order {existing} of the table at "
            f"{str(path)!r}; pass --allow-lower-order to replace it anyway, or write elsewhere"
        )
