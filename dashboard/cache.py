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

import functools
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

import panel as pn

__all__ = [
    "MAX_ITEMS",
    "memoize",
    "misses",
    "precomputed_functions",
    "reset_misses",
    "warm_up",
]

F = TypeVar("F", bound=Callable)

#: Bound on the number of stored results per wrapped function (above every finite input set).
MAX_ITEMS = 512

_PRECOMPUTED: dict[str, Callable[[], Iterable[tuple]]] = {}  # name -> its input set
_WRAPPED: dict[str, Callable] = {}  # name -> memoised function
_MISSES: Counter[str] = Counter()  # name -> computations since the last reset_misses()


def _name(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def memoize(func: F | None = None, *, inputs: Callable[[], Iterable[tuple]] | None = None):
    """``func`` memoised across sessions (LRU, at most :data:`MAX_ITEMS` results).

    ``inputs``: a function yielding every argument tuple the dashboard can call ``func`` with;
    :func:`warm_up` then computes them all ahead (at most :data:`MAX_ITEMS` of them). Used as
    ``@memoize`` or ``@memoize(inputs=...)``.
    """
    if func is None:
        return lambda decorated: memoize(decorated, inputs=inputs)
    name = _name(func)

    @functools.wraps(func)  # same module and name: pn.cache keys its store on them
    def computing(*args, **kwargs):
        _MISSES[name] += 1
        return func(*args, **kwargs)

    wrapped = pn.cache(computing, max_items=MAX_ITEMS, policy="LRU")
    _WRAPPED[name] = wrapped
    if inputs is not None:
        _PRECOMPUTED[name] = inputs
    return wrapped


def precomputed_functions() -> dict[Callable, str]:
    """Memoised function -> its name, for every function with a declared input set."""
    return {_WRAPPED[name]: name for name in _PRECOMPUTED}


def misses() -> dict[str, int]:
    """Computations (cache misses) per memoised function since :func:`reset_misses`."""
    return dict(_MISSES)


def reset_misses() -> None:
    """Start counting :func:`misses` from zero."""
    _MISSES.clear()


def warm_up() -> dict[str, float]:
    """Compute every declared input set of every memoised function; seconds per function.

    Import the view modules first (``dashboard.views.load_view_class``): they declare them.
    """
    seconds = {}
    for name, inputs in _PRECOMPUTED.items():
        start = time.perf_counter()
        arguments = list(inputs())
        if len(arguments) > MAX_ITEMS:
            raise ValueError(
                f"{name} declares {len(arguments)} inputs, more than its cache holds ({MAX_ITEMS})"
            )
        for args in arguments:
            _WRAPPED[name](*args)
        seconds[name] = time.perf_counter() - start
    return seconds
