"""The dashboard with test-only fault hooks, served by ``tests/load/test_faults.py``.

Not part of the product: ``qgas serve`` always serves ``dashboard/app.py``. This wrapper
builds the same app and, when the page URL carries ``qge_test_fault=<mode>``, breaks that
one session's views through the documented ``View`` contract:

``data``    every view's ``data()`` raises ``RuntimeError`` (a physics exception);
``figure``  every view's ``figure()`` raises (a plotting exception);
``slow``    every view's ``data()`` sleeps ``SLOW_SECONDS`` before computing (a long
            computation, to disconnect the client in the middle of it).
"""

import time

import panel as pn

from dashboard.assembly import build_app

SLOW_SECONDS = 3.0
MESSAGE = "forced failure (test hook qge_test_fault)"


def _raising(*_args, **_kwargs):
    raise RuntimeError(MESSAGE)


def _slowed(compute):
    def slow_data():
        time.sleep(SLOW_SECONDS)
        return compute()

    return slow_data


app = build_app(show=False)
mode = b"".join(pn.state.session_args.get("qge_test_fault", [b""])).decode()
for view in app.views.values():
    if mode in ("data", "figure"):
        setattr(view, mode, _raising)
    elif mode == "slow":
        view.data = _slowed(view.data)
app.show(app.navigation.view)
app.servable(title="Quantum Gas Explorer")
