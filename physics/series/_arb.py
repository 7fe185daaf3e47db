"""Ball-arithmetic helpers (python-flint ``arb``) shared by the weak-coupling generator.

The generator works in Arb ball arithmetic: every number carries a rigorous error radius, and
numpy object arrays of ``arb`` give vectorised element-wise arithmetic (about ten times faster
than ``mpmath.mpf`` per operation). The flint context (working precision, series length) is
global in python-flint, so it is set and restored around each generation by
:func:`flint_context`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import mpmath
import numpy as np
from flint import arb, ctx

__all__ = ["arb_array", "flint_context", "to_mpf", "zeros"]


@contextlib.contextmanager
def flint_context(prec_bits: int, series_cap: int) -> Iterator[None]:
    """Set flint's working precision (bits) and series length; restore both on exit."""
    saved_prec, saved_cap = ctx.prec, ctx.cap
    ctx.prec, ctx.cap = prec_bits, series_cap
    try:
        yield
    finally:
        ctx.prec, ctx.cap = saved_prec, saved_cap


def zeros(shape: tuple[int, ...]) -> np.ndarray:
    """An object array of exact ``arb`` zeros."""
    out = np.empty(shape, dtype=object)
    out.fill(arb(0))
    return out


def arb_array(values) -> np.ndarray:
    """A 1-D object array of ``arb`` from any iterable of numbers."""
    return np.array([arb(v) for v in values] or [], dtype=object)


def to_mpf(value: arb) -> mpmath.mpf:
    """The midpoint of an ``arb`` ball as an ``mpmath.mpf`` (exact binary conversion)."""
    return mpmath.mpf(arb(value).mid()._mpf_)
