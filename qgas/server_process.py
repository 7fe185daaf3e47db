"""One server process of ``qgas serve``: ``panel serve`` on the supervisor's listening sockets.

Run as ``python -m qgas.server_process serve APP [panel serve options]`` by
:func:`qgas.supervisor.supervise`. Bokeh's server binds its port itself; here it adopts the
sockets the supervisor bound and passed down (:data:`qgas.supervisor.LISTEN_FDS_ENV`), so a
replacement process serves the same port while the supervisor keeps the port open. Without
that variable (run by hand) it is plain ``panel serve``.

No server process outlives its parent (:func:`physics._process_pool.exit_with_parent`):
this one exits when the supervisor (:data:`qgas.supervisor.SUPERVISOR_PID_ENV`) dies, and
each process Bokeh forks from it (``--num-procs``) exits when this one dies. Their physics
workers follow them in turn.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Sequence

from physics._process_pool import exit_with_parent
from qgas.supervisor import LISTEN_FDS_ENV, SUPERVISOR_PID_ENV

__all__ = ["adopt_listeners", "exit_with_parents", "main", "serve_on"]


def adopt_listeners() -> list[socket.socket]:
    """The listening sockets inherited from the supervisor (none when run without one)."""
    descriptors = os.environ.get(LISTEN_FDS_ENV, "")
    listeners = [socket.socket(fileno=int(fd)) for fd in descriptors.split(",") if fd]
    for listener in listeners:
        listener.setblocking(False)  # tornado accepts without blocking
    return listeners


def serve_on(listeners: Sequence[socket.socket]) -> None:
    """Make Bokeh's server listen on ``listeners`` instead of binding its own port.

    ``bokeh.server.server.Server`` calls its module's ``bind_sockets(address, port)``; that
    name now returns the inherited sockets and their port, whatever it is asked.
    """
    import bokeh.server.server as bokeh_server

    port = listeners[0].getsockname()[1]

    def inherited_sockets(_address: str | None, _port: int) -> tuple[list[socket.socket], int]:
        return list(listeners), port

    bokeh_server.bind_sockets = inherited_sockets


def exit_with_parents() -> None:
    """Exit when the supervisor dies; make every process forked from this one exit when this
    one dies (a forked child inherits no thread, so it starts its own watch)."""
    supervisor = os.environ.get(SUPERVISOR_PID_ENV)
    if supervisor:
        exit_with_parent(int(supervisor))
    server = os.getpid()
    os.register_at_fork(after_in_child=lambda: exit_with_parent(server))


def main(argv: Sequence[str] | None = None) -> None:
    """``panel serve`` with ``argv`` (default: this process's arguments), on inherited sockets."""
    exit_with_parents()
    listeners = adopt_listeners()
    if listeners:
        serve_on(listeners)
    import panel.command
    from bokeh.command.util import die

    def die_once(message: str, status: int = 1) -> None:
        # panel's main passes "ERROR: " + the error to bokeh's die, which adds "ERROR: " again
        die(message.removeprefix("ERROR: "), status)

    panel.command.die = die_once
    sys.argv = ["panel", *(sys.argv[1:] if argv is None else argv)]
    panel.command.main()


if __name__ == "__main__":
    main()
