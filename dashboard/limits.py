"""Server-side limits on the sizes one browser session may request.

A classroom shares one server (``docs/serving.md``): no single session may ask for a
computation so large that it monopolises the CPU or the memory. Every size a user can set
(from a slider or from the URL) is capped by a named limit here; views use the maxima as
the upper ``bounds`` of their parameters, so the widgets cannot exceed them and a URL that
asks for more is refused by the URL check (``dashboard.assembly``). :func:`check` raises a
``ValueError`` naming the parameter, the value, the limit and its reason, for code paths that
take sizes from elsewhere; :func:`describe` gives the text to show in the UI.

The maxima equal the views' upper bounds at the time of writing; ``tests/load/test_limits.py``
checks that every size parameter of every registered view stays within its limit and that
every numeric view parameter has a finite upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LIMITS", "SessionLimit", "check", "describe"]


@dataclass(frozen=True)
class SessionLimit:
    """Largest value of one kind of size a session may request, and why."""

    name: str
    maximum: int
    what: str
    reason: str


LIMITS: dict[str, SessionLimit] = {
    limit.name: limit
    for limit in (
        SessionLimit(
            "particles",
            64,
            "particle number N of the Tonks–Girardeau ring",
            "determinants of N×N matrices at every pair of points",
        ),
        SessionLimit(
            "ring_length",
            64,
            "ring length L (units 1/n)",
            "grid points of the one-particle solver grow with L",
        ),
        SessionLimit(
            "realisations",
            32,
            "number of disorder realisations averaged",
            "each realisation is a full one-particle solve",
        ),
        SessionLimit(
            "series_order",
            30,
            "order of a perturbative series partial sum",
            "only the shipped coefficient tables are summed",
        ),
        SessionLimit(
            "pade_order",
            50,
            "order of a Padé approximant of the Borel transform",
            "high-precision linear algebra of that order",
        ),
        SessionLimit(
            "grid_points",
            401,
            "points on a plotted curve",
            "each point is one integral-equation solve",
        ),
    )
}


def describe(name: str) -> str:
    """UI text of limit ``name``, e.g. ``at most 64 (server limit: particle number …)``."""
    limit = LIMITS[name]
    return f"at most {limit.maximum} (server limit on the {limit.what}: {limit.reason})"


def check(name: str, parameter: str, value: float) -> None:
    """Raise ``ValueError`` if ``value`` of ``parameter`` exceeds limit ``name``."""
    if name not in LIMITS:
        raise ValueError(f"limit={name!r} is not defined; valid limits: {sorted(LIMITS)}")
    limit = LIMITS[name]
    if not value <= limit.maximum:
        raise ValueError(
            f"{parameter}={value!r} exceeds the server limit {name!r}: {describe(name)}"
        )
