"""Argument checks shared by every public function of :mod:`physics`.

Each check raises :class:`ValueError` naming the parameter, the offending value and the valid
range, so that a bad slider value or URL parameter produces a message a user can act on.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np


def _describe_range(
    low: float | None, high: float | None, *, low_open: bool, high_open: bool
) -> str:
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    return f"{left}{lo}, {hi}{right}"


def real_array(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float array after checking it is finite and inside the range.

    Parameters
    ----------
    name
        Parameter name used in the error message.
    value
        A real number or array-like of real numbers.
    low, high
        Bounds of the valid range (``None``: unbounded on that side).
    low_open, high_open
        Whether the corresponding bound is excluded.

    Raises
    ------
    ValueError
        If ``value`` is not numeric, contains NaN or infinities, or lies outside the range.
    """
    valid = _describe_range(low, high, low_open=low_open, high_open=high_open)
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name}={value!r} is not a real number; valid range {valid}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r} is not a real number; valid range {valid}") from None
    if np.iscomplexobj(np.asarray(value)):
        raise ValueError(f"{name}={value!r} is not a real number; valid range {valid}")
    bad = ~np.isfinite(array)
    if low is not None:
        bad |= (array <= low) if low_open else (array < low)
    if high is not None:
        bad |= (array >= high) if high_open else (array > high)
    if np.any(bad):
        offending = array[bad].flat[0] if array.ndim else float(array)
        raise ValueError(f"{name}={offending!r} is outside the valid range {valid}")
    return array


def real_scalar(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Like :func:`real_array` for a single real number; returns a Python float."""
    array = real_array(name, value, low, high, low_open=low_open, high_open=high_open)
    if array.ndim != 0:
        raise ValueError(f"{name}={value!r} must be a single real number, not an array")
    return float(array)


def integer(name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking it is an integer inside ``[low, high]``."""
    valid = _describe_range(low, high, low_open=False, high_open=False)
    is_integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not is_integral:
        if isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name}={value!r} is not an integer; valid range {valid}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name}={value!r} is outside the valid range {valid}")
    return value


def choice(name: str, value: Any, options: Iterable[str]) -> str:
    """Return ``value`` after checking it is one of ``options``."""
    options = tuple(options)
    if value not in options:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(repr, options))}")
    return value
