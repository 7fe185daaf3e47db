"""Process-wide memoisation of physics calls made by the views.

``memoize(f)`` wraps a physics function with ``pn.cache``: results are keyed on the
arguments (numbers, strings, numpy arrays), kept in an LRU store of bounded size and shared
by every browser session served by the process, so identical inputs are computed once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import panel as pn

__all__ = ["memoize"]

F = TypeVar("F", bound=Callable)

#: Bound on the number of stored results per wrapped function.
MAX_ITEMS = 512


def memoize(func: F) -> F:
    """``func`` memoised across sessions (LRU, at most :data:`MAX_ITEMS` results)."""
    return pn.cache(func, max_items=MAX_ITEMS, policy="LRU")
