"""Entry point served by ``panel serve dashboard/app.py``, ``qgas serve`` and ``make serve``."""

from dashboard.assembly import build_app

build_app().servable(title="Quantum Gas Explorer")
