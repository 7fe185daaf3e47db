"""One server process of ``qgas serve``: ``panel serve`` on the supervisor's listening sockets.

Run as ``python -m qgas.server_process serve APP [panel serve options]`` by
:func:`qgas.supervisor.supervise`. Bokeh's server binds its port itself; here it adopts the
sockets the supervisor bound and passed down (:data:`qgas.supervisor.LISTEN_FDS_ENV`), so a
replacement process serves the same port while the supervisor keeps the port open. Without
that variable (run by hand) it is plain ``panel serve``.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Sequence

from qgas.supervisor import LISTEN_FDS_ENV

__all__ = ["adopt_listeners", "main", "serve_on"]


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


def main(argv: Sequence[str] | None = None) -> None:
    """``panel serve`` with ``argv`` (default: this process's arguments), on inherited sockets."""
    listeners = adopt_listeners()
    if listeners:
        serve_on(listeners)
    from panel.command import main as panel_main

    sys.argv = ["panel", *(sys.argv[1:] if argv is None else argv)]
    panel_main()


if __name__ == "__main__":
    main()
