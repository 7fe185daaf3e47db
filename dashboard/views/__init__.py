"""Registry of the dashboard's views: one module per view, one line per view here.

``VIEWS`` maps a view's slug (used in URLs and tabs) to ``"module:ClassName"``. Modules are
imported lazily by :func:`load_view_class`, so a view whose physics has not landed, or whose
module fails to import, is shown as an error inside its own tab and never breaks the others.
To add a view: write ``dashboard/views/<name>.py`` with a :class:`dashboard.base.View`
subclass and add one line below.
"""

from __future__ import annotations

import importlib

from dashboard.base import View

__all__ = ["VIEWS", "load_view_class"]

VIEWS: dict[str, str] = {
    "energy": "dashboard.views.energy:EnergyView",
    "borel": "dashboard.views.borel:BorelView",
    "resurgence": "dashboard.views.resurgence:ResurgenceView",
    "polaron": "dashboard.views.polaron:PolaronView",
    "decay": "dashboard.views.decay:DecayView",
    "phase_map": "dashboard.views.phase_map:PhaseMapView",
    "sweeps": "dashboard.views.sweeps:SweepsView",
}


def load_view_class(slug: str) -> type[View]:
    """Import and return the :class:`View` subclass registered under ``slug``."""
    if slug not in VIEWS:
        raise ValueError(f"view={slug!r} is not registered; valid views: {sorted(VIEWS)}")
    module_name, class_name = VIEWS[slug].split(":")
    view_class = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(view_class, type) and issubclass(view_class, View)):
        raise TypeError(f"{VIEWS[slug]} is not a dashboard.base.View subclass")
    return view_class
