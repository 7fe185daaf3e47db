"""Numbers as a reader writes them: ``1.24 × 10⁴``, not ``1.24e+04``."""

from __future__ import annotations

import math

__all__ = ["number", "superscript"]

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
