"""A subprocess that Ctrl-C reaches as it would in a terminal (tests of interruption)."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

__all__ = ["foreground_process"]


def _as_in_a_terminal() -> None:
    """SIGINT handled by default, as in a terminal's foreground job. A test suite started in
    the background (``make test &``, a CI runner) has SIGINT ignored, and a child inherits
    that: the command would never see the signal (what failed two clean-clone runs)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def foreground_process(command: list[str], cwd: Path, stdout: int | None) -> subprocess.Popen:
    """``command`` in its own process group (``os.killpg(p.pid, SIGINT)`` signals the whole
    group, as a terminal does) with SIGINT at its default; stderr is a text pipe."""
    return subprocess.Popen(
        command,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=_as_in_a_terminal,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )
