"""Bounded numeric settings of the command line, checked before any work.

A value arrives as text from a flag or as a number from a TOML file; each function returns it
converted, or raises :class:`ValueError` whose one-line message names the setting, the value
and the valid range, which the sub-commands print before exiting with status 2.
"""

from __future__ import annotations

import math

__all__ = ["bounded_integer", "bounded_real"]


def bounded_integer(name: str, value: object, low: int, high: int) -> int:
    """``value`` (an ``int`` or its decimal text) as an integer in ``[low, high]``."""
    valid = f"valid range [{low}, {high}]"
    number: int | None = None
    if isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    if number is None:
        raise ValueError(f"{name}={value!r} is not an integer; {valid}")
    if not low <= number <= high:
        raise ValueError(f"{name}={number} is outside the {valid}")
    return number


def bounded_real(name: str, value: object, low: float, high: float) -> float:
    """``value`` (a number or its decimal text) as a finite float in ``[low, high]``."""
    valid = f"valid range [{low:g}, {high:g}]"
    number: float | None = None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value) if abs(value) < 1e308 else math.inf
    if number is None:
        raise ValueError(f"{name}={value!r} is not a number; {valid}")
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{name}={value!r} is outside the {valid}")
    return number
