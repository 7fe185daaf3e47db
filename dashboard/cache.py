"""Process-wide memoisation of the physics calls the views make, and its warm-up.

``memoize(f)`` wraps a physics function with ``pn.cache``: results are keyed on the
arguments (numbers, strings, numpy arrays), kept in an LRU store of bounded size and shared
by every browser session served by the process, so identical inputs are computed once.

``memoize(f, inputs=...)`` also declares that ``f`` is only ever called with the finite set of
arguments ``inputs()`` yields (a model × an order of a slider, a model × a point of the γ grid):
:func:`warm_up` computes all of them once, when a server process starts (before it serves
anyone, ``qgas.serve_hooks``), so that no slider, URL value or tab ever computes them on the
server's event loop. Costly exact results behind them come from shipped tables
(:mod:`physics._assets`); what remains is the warm-up's few seconds per process, including a
process that replaces a recycled one. :func:`precomputed_functions` lists them (the tests
check that, once warm, driving every control never misses).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

import panel as pn

__all__ = ["MAX_ITEMS", "memoize", "precomputed_functions", "warm_up"]

F = TypeVar("F", bound=Callable)

#: Bound on the number of stored results per wrapped function (above every finite input set).
MAX_ITEMS = 512

_PRECOMPUTED: dict[Callable, tuple[Callable, Callable[[], Iterable[tuple]]]] = {}


def memoize(func: F | None = None, *, inputs: Callable[[], Iterable[tuple]] | None = None):
    """``func`` memoised across sessions (LRU, at most :data:`MAX_ITEMS` results).

    ``inputs``: a function yielding every argument tuple the dashboard can call ``func`` with;
    :func:`warm_up` then computes them all ahead (at most :data:`MAX_ITEMS` of them). Used as
    ``@memoize`` or ``@memoize(inputs=...)``.
    """
    if func is None:
        return lambda decorated: memoize(decorated, inputs=inputs)
    wrapped = pn.cache(func, max_items=MAX_ITEMS, policy="LRU")
    if inputs is not None:
        _PRECOMPUTED[wrapped] = (func, inputs)
    return wrapped


def precomputed_functions() -> dict[Callable, tuple[Callable, Callable[[], Iterable[tuple]]]]:
    """Memoised function -> (the plain function, its input set), for every declared set."""
    return dict(_PRECOMPUTED)


def warm_up() -> dict[str, float]:
    """Compute every declared input set of every memoised function; seconds per function.

    Import the view modules first (``dashboard.views.load_view_class``): they declare them.
    """
    seconds = {}
    for wrapped, (func, inputs) in _PRECOMPUTED.items():
        start = time.perf_counter()
        arguments = list(inputs())
        if len(arguments) > MAX_ITEMS:
            raise ValueError(
                f"{func.__qualname__} declares {len(arguments)} inputs, more than the cache "
                f"holds ({MAX_ITEMS})"
            )
        for args in arguments:
            wrapped(*args)
        seconds[f"{func.__module__}.{func.__qualname__}"] = time.perf_counter() - start
    return seconds
