"""Argument checks shared by every public function of :mod:`physics`.

Each check raises :class:`ValueError` naming the parameter, the offending value and the valid
range, so that a bad slider value or URL parameter produces a message a user can act on. A value
of the wrong type (a string, None, a bool or a complex number where a real number is expected, a
float where an integer is expected) raises :class:`ArgumentTypeError`, a :class:`TypeError` that
callers catching :class:`ValueError` also receive.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

#: Most values of one array argument (32 MB of floats): vectorised closed forms cost ~10 ns a
#: value, so a call stays well under a second and its memory bounded.
MAX_ARRAY_VALUES = 1 << 22
#: Most values of an array argument that costs one integral-equation solve per value
#: (measured cold, per γ: Lieb-Liniger 12 ms, Gaudin-Yang 9 ms, repulsive Gaudin-Yang 38 ms,
#: spin gap 4 ms, polaron 1.6 ms): at most ~40 s for one call.
MAX_SOLVER_VALUES = 1024


#: Most characters of a value quoted in an error message (a longer repr is cut short).
MAX_SHOWN_CHARACTERS = 80
#: Integers with more bits than this are described by their number of digits, never converted
#: to text in full (Python refuses beyond 4300 digits, and the text would drown the message).
MAX_SHOWN_INTEGER_BITS = 256


class ArgumentTypeError(TypeError, ValueError):
    """A parameter of the wrong type: a TypeError that ``except ValueError`` also catches."""


def shown(value: Any) -> str:
    """``repr(value)`` for an error message (of a numpy scalar, its Python value's), at most
    ``MAX_SHOWN_CHARACTERS`` long.

    A huge integer (10**5000) is described by its size, and a repr that fails (an object array
    holding such an integer) by the value's type, so that the message itself never fails.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        bits = abs(int(value)).bit_length()
        if bits > MAX_SHOWN_INTEGER_BITS:
            sign = "-" if value < 0 else ""
            return f"{sign}<an integer of about {math.floor(bits * math.log10(2)) + 1} digits>"
    if isinstance(value, np.generic) and not isinstance(value, np.void):
        value = value.item()  # 1.5, not numpy 2's np.float64(1.5) (QA)
    try:
        text = repr(value)
    except (ValueError, OverflowError, RecursionError):
        text = f"<{type(value).__name__}>"
    if len(text) > MAX_SHOWN_CHARACTERS:
        text = text[: MAX_SHOWN_CHARACTERS - 1] + "…"
    return text


def _describe_range(
    low: float | None, high: float | None, *, low_open: bool, high_open: bool
) -> str:
    left = "(" if low_open or low is None else "["  # ±inf are never valid values
    right = ")" if high_open or high is None else "]"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    return f"{left}{lo}, {hi}{right}"


def _given(given: Mapping[str, Any] | None) -> str:
    """' given a=1, b=2' for a range set by other arguments (empty without any)."""
    if not given:
        return ""
    return " given " + ", ".join(f"{key}={shown(value)}" for key, value in given.items())


def _float_array(name: str, value: Any, valid: str) -> np.ndarray:
    """``value`` as a float array: ArgumentTypeError if it is not made of real numbers (or is a
    masked array, whose mask the computation would ignore), ValueError if a value is beyond the
    float range (a huge integer, a long double above 1.8e308)."""
    expected = f"a real number; valid range {valid}"
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise ArgumentTypeError(f"{name}={shown(value)} is not {expected}")
    if isinstance(value, np.ma.MaskedArray):
        raise ArgumentTypeError(
            f"{name}={shown(value)} is a masked array, whose mask would be ignored; valid: a "
            f"plain array of real numbers in {valid} (fill or compress the masked values first)"
        )
    try:
        raw = np.asarray(value)
        if raw.dtype.kind not in "iuf" and raw.dtype != object:
            raise TypeError(raw.dtype)
        if raw.dtype == object and any(
            isinstance(item, (str, bytes, bool, np.bool_, complex)) or item is None
            for item in raw.ravel()
        ):
            raise TypeError(raw.dtype)
        with np.errstate(over="raise"):
            return raw.astype(float)
    except (OverflowError, FloatingPointError):
        raise ValueError(
            f"{name}={shown(value)} is outside the valid range {valid} (beyond the float range)"
        ) from None
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{name}={shown(value)} is not {expected}") from None


def real_array(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    given: Mapping[str, Any] | None = None,
    max_size: int = MAX_ARRAY_VALUES,
) -> np.ndarray:
    """Return ``value`` as a float array after checking its size, that it is finite and inside
    the range.

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
    given
        The other arguments that set the range, named in the error message.
    max_size
        Most values the array may hold: ``MAX_ARRAY_VALUES`` by default,
        ``MAX_SOLVER_VALUES`` where each value costs an integral-equation solve.

    Raises
    ------
    ArgumentTypeError
        If ``value`` is not real-valued (a string, None, a bool, a complex number, an object).
    ValueError
        If ``value`` has more than ``max_size`` values, contains NaN or infinities, or lies
        outside the range.
    """
    valid = _describe_range(low, high, low_open=low_open, high_open=high_open)
    array = _float_array(name, value, valid)
    array_size(name, array, max_size)
    bad = ~np.isfinite(array)
    if low is not None:
        bad |= (array <= low) if low_open else (array < low)
    if high is not None:
        bad |= (array >= high) if high_open else (array > high)
    if np.any(bad):
        offending = array[bad].flat[0] if array.ndim else float(array)
        raise ValueError(f"{name}={offending!r} is outside the valid range {valid}{_given(given)}")
    return array


def array_size(name: str, array: np.ndarray, limit: int) -> np.ndarray:
    """Return ``array`` after checking it holds at most ``limit`` values."""
    if array.size > limit:
        raise ValueError(
            f"{name} has {array.size} values (shape {array.shape}); valid: at most {limit} "
            f"values in one call"
        )
    return array


def broadcast_size(limit: int = MAX_ARRAY_VALUES, **arrays: np.ndarray) -> tuple[int, ...]:
    """The broadcast shape of the named arrays, after checking it holds at most ``limit`` values
    (arrays of (N, 1) and (1, N) values broadcast to N² values)."""
    shapes = {name: np.shape(array) for name, array in arrays.items()}
    described = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
    try:
        shape = np.broadcast_shapes(*shapes.values())
    except ValueError:
        raise ValueError(f"the shapes {described} do not broadcast together") from None
    size = math.prod(shape)
    if size > limit:
        raise ValueError(
            f"the shapes {described} broadcast to {size} values; valid: at most {limit} values "
            f"in one call"
        )
    return shape


def real_scalar(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    given: Mapping[str, Any] | None = None,
) -> float:
    """Like :func:`real_array` for a single real number; returns a Python float."""
    array = real_array(name, value, low, high, low_open=low_open, high_open=high_open, given=given)
    if array.ndim != 0:
        raise ArgumentTypeError(f"{name}={shown(value)} must be a single real number, not an array")
    return float(array)


def real_interval(
    name: str, value: Any, low: float | None = None, *, low_open: bool = False
) -> tuple[float, float]:
    """Return ``value`` as a pair of floats (a, b) with low <= a < b (low < a if ``low_open``).

    A value that is not a sequence of two numbers (a scalar, a 0-d array, three numbers) is an
    :class:`ArgumentTypeError`; each end is checked as ``name[0]``, ``name[1]``.
    """
    if not isinstance(value, (tuple, list, np.ndarray)) or np.ndim(value) != 1 or len(value) != 2:
        raise ArgumentTypeError(
            f"{name}={shown(value)} is not a pair ({name}[0], {name}[1]); valid: two real "
            f"numbers with {name}[0] < {name}[1]"
        )
    first = real_scalar(f"{name}[0]", value[0], low, None, low_open=low_open)
    second = real_scalar(f"{name}[1]", value[1], first, None, low_open=True)
    return first, second


def integer(
    name: str,
    value: Any,
    low: int | None = None,
    high: int | None = None,
    *,
    integral_floats: bool = False,
    given: Mapping[str, Any] | None = None,
) -> int:
    """Return ``value`` as an ``int`` after checking it is an integer inside ``[low, high]``.

    A bool, a string or a float is an :class:`ArgumentTypeError` (a float with an integral
    value, such as a grid value 8.0, is accepted only with ``integral_floats=True``). ``given``
    names the other arguments that set the range in the error message.
    """
    valid = _describe_range(low, high, low_open=False, high_open=False)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(f"{name}={shown(value)} is not an integer; valid range {valid}")
    if not isinstance(value, numbers.Integral):
        integral = math.isfinite(value) and float(value).is_integer()
        if not (integral_floats and integral):
            raise ArgumentTypeError(f"{name}={shown(value)} is not an integer; valid range {valid}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name}={shown(value)} is outside the valid range {valid}{_given(given)}")
    return value


def choice(name: str, value: Any, options: Iterable[str]) -> str:
    """Return ``value`` after checking it is one of the strings ``options``."""
    options = tuple(options)
    listed = ", ".join(map(repr, options))
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name}={shown(value)} is not a string; valid: one of {listed}")
    if value not in options:
        raise ValueError(f"{name}={shown(value)} is not one of {listed}")
    return value


def instance(name: str, value: Any, kind: type, description: str) -> Any:
    """Return ``value`` after checking it is an instance of ``kind`` (``description`` names it)."""
    if not isinstance(value, kind):
        raise ArgumentTypeError(f"{name}={shown(value)} is not {description}")
    return value


def finite_result(what: str, result: Any, **arguments: Any) -> Any:
    """Return ``result`` after checking every number in it is finite.

    For closed forms whose inputs are each valid but whose combination leaves the float range
    (e.g. 1/a² at a = 1e-300): the ValueError names every argument and its value.
    """
    if np.all(np.isfinite(np.asarray(result, dtype=float))):
        return result
    given = ", ".join(f"{key}={shown(value)}" for key, value in arguments.items())
    raise ValueError(
        f"{what} leaves the float range for {given}; valid: arguments for which it is below "
        f"{np.finfo(float).max:.3g} in magnitude"
    )
