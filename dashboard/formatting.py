"""Numbers as a reader writes them: ``1.24 × 10⁴``, not ``1.24e+04``."""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["measured", "number", "slider_labels", "superscript"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def number(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits, in scientific notation with a superscript
    exponent (``2.1 × 10⁻⁷``, ``10³`` for a mantissa of 1) outside [10⁻³, 10⁴).

    Non-finite values read ``∞``, ``−∞`` and ``undefined``; the minus sign is U+2212.
    """
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    rounded = float(f"{value:.{digits}g}")
    if rounded == 0 or 1e-3 <= abs(rounded) < 1e4:
        decimals = max(digits - 1 - math.floor(math.log10(abs(rounded))), 0) if rounded else 0
        text = f"{rounded:.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return text.replace("-", "−")
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    power = "10" + superscript(int(exponent))
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    if mantissa in ("1", "-1"):
        return power if mantissa == "1" else "−" + power
    return f"{mantissa} × {power}".replace("-", "−")


def superscript(exponent: int) -> str:
    """An integer exponent in superscript digits: ``superscript(-12)`` is ``⁻¹²``."""
    return str(int(exponent)).translate(_SUPERSCRIPT)


def measured(value: float, error: float, unit: str = "") -> str:
    """``value ± error`` with the error to one significant digit (two when it starts with
    1) and the value to the same decimal place: ``3.5 ± 0.5``, not ``3.46 ± 0.5``. Outside
    [10⁻³, 10⁴) both share one power of ten: ``(0.7 ± 1.0) × 10⁻⁵``. ``unit`` follows the
    numbers (``0.12 ± 0.07 n``). A value within two errors of zero says so
    (``…, consistent with 0 within 2σ``); a non-finite or zero error gives the value alone
    (:func:`number`)."""
    if not (math.isfinite(value) and math.isfinite(error) and error > 0):
        return number(value) + unit
    place = math.floor(math.log10(error))
    if f"{error:.0e}".startswith("1"):
        place -= 1  # 0.12, not 0.1: one digit would round a 1.4 to 1
    largest = max(abs(value), error)
    power = 0 if 1e-3 <= largest < 1e4 else math.floor(math.log10(largest))
    decimals = max(power - place, 0)
    scale = 10.0**power
    pair = f"{value / scale:.{decimals}f} ± {error / scale:.{decimals}f}".replace("-", "−")
    text = (pair if power == 0 else f"({pair}) × 10{superscript(power)}") + unit
    return text + (", consistent with 0 within 2σ" if abs(value) < 2 * error else "")


def slider_labels(values: Iterable[float], digits: int = 4) -> dict[str, float]:
    """A discrete slider's options, each labelled as :func:`number` writes it (``10³``, not
    the ``1e+03`` of the slider's own ``%g`` formatter), with more digits where two values
    would share a label (a typed γ = 2.93004 beside the grid's 2.93)."""
    values = [float(value) for value in values]
    while digits < 17 and len({number(value, digits) for value in values}) < len(set(values)):
        digits += 1
    return {number(value, digits): value for value in values}
