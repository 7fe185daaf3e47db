"""Kernels of the linear Bethe-ansatz integral equations, as sums of Lorentzians.

Every equation solved by :mod:`physics._nystrom` has the form f - int_{-B}^{B} k(x - y) f(y) dy
= r(x) with an even kernel that is a (finite or infinite) sum of Lorentzians,

    k(u) = (1/pi) sum_m a_m w_m / (u^2 + w_m^2),

in the scaled rapidity x = k/|c|:

- Lieb's equation (Mariño-Reis Eq. 2): one term, a = +1, w = 1;
- Gaudin's equation for the attractive Gaudin-Yang gas (Eq. 5): one term, a = -1, w = 1;
- Takahashi's charge equation of the balanced repulsive Gaudin-Yang gas (spin rapidities
  eliminated; docs/physics/gaudin-yang-repulsive-and-gap.md, Eq. R3): a_m = (-1)^(m+1), w_m = m,
  i.e. k(u) = (1/2pi) int e^{i w u} / (1 + e^{|w|}) dw = (1/pi) Re beta(1 - i u) with
  beta(z) = sum_{m>=0} (-1)^m / (z + m) = [psi((z + 1)/2) - psi(z/2)] / 2.

Near terms (width comparable to the node spacing) are integrated exactly against the Lagrange
basis (product integration); the remainder of an infinite sum, analytic in a strip of half-width
> ``count``, is integrated by the Gauss rule. :meth:`Kernel.terms` chooses the split for a given
edge B and node count N so that the Gauss-rule error of the remainder is below machine precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.special
from flint import acb, arb

__all__ = ["GAUDIN", "LIEB", "TAKAHASHI", "Kernel", "alternating_tail"]

# The product-integration correction of a Lorentzian of width w on [-B, B] with N Gauss nodes is
# ~ |w_Q|^N with |w_Q| ~ 1/(1 + w/B): below 2^-bits once w N / B > bits ln 2 (+3 margin; 40 in
# double precision). The Gauss-rule error of the remainder, ~ exp(-2 N (count + 1)/B), is then
# smaller still.
_MARGIN_NATS = 3.0
# The remainder starts at width count + 1 >= 21, where the asymptotic digamma series with ten
# Bernoulli terms (|z/2| >= 10.5) is exact to ~1e-19 relative.
_MIN_TERMS = 20
_BERNOULLI_TERMS = 10


@lru_cache(maxsize=1)
def _bernoulli() -> np.ndarray:
    """B_2, B_4, ..., B_20."""
    return scipy.special.bernoulli(2 * _BERNOULLI_TERMS)[2::2]


def _stirling_sums(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Bernoulli sums of psi(w) = log w - 1/(2w) - S and psi'(w) = 1/w + 1/(2w^2) + T,
    returned as (-S, 1/(2w^2) + T); accurate for |w| >= 10.5, Re w > 0."""
    inverse2 = 1.0 / (w * w)
    value = np.zeros_like(w)
    slope = 0.5 * inverse2
    power = np.ones_like(w)
    for k, b in enumerate(_bernoulli(), start=1):
        power = power * inverse2
        value = value - b / (2 * k) * power
        slope = slope + b * power / w
    return value, slope


def alternating_tail(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """beta(z) = sum_{m>=0} (-1)^m/(z + m) and beta'(z) for Re z >= 21 (complex arrays).

    beta(z) = [psi((z + 1)/2) - psi(z/2)]/2 with both digammas from the Stirling series; the
    logarithms combine into log(1 + 1/z) and the 1/w terms into exact fractions, so that nothing
    of order 1/z cancels; log(1 + t) is taken as 0.5 log1p(2 Re t + |t|^2) + i arg(1 + t) with
    t = 1/z (numpy's complex log1p loses relative accuracy for small t).
    """
    z = np.asarray(z, dtype=complex)
    t = 1.0 / z
    log_ratio = 0.5 * np.log1p(2.0 * t.real + (t * t.conjugate()).real) + 1j * np.arctan2(
        t.imag, 1.0 + t.real
    )
    upper_value, upper_slope = _stirling_sums(0.5 * (z + 1.0))
    lower_value, lower_slope = _stirling_sums(0.5 * z)
    product = z * (z + 1.0)
    value = 0.5 * (log_ratio + 1.0 / product + upper_value - lower_value)
    slope = 0.25 * (-2.0 / product + upper_slope - lower_slope)
    return value, slope


@dataclass(frozen=True)
class Kernel:
    """k(u) = (1/pi) sum_m a_m w_m / (u^2 + w_m^2): one term (a = sign, w = 1), or the
    alternating series a_m = sign (-1)^(m+1), w_m = m when ``alternating``."""

    sign: int
    alternating: bool = False

    def terms(
        self, edge: float, n: int, bits: int = 53, min_terms: int = _MIN_TERMS
    ) -> tuple[tuple[float, float], ...]:
        """(a_m, w_m) of the Lorentzians to integrate exactly on [-edge, edge] with n nodes, so
        that the remainder's product-integration correction is below 2^-bits; at least
        ``min_terms`` (the double-precision remainder needs 20, :meth:`remainder_arb` 1)."""
        if not self.alternating:
            return ((float(self.sign), 1.0),)
        nats = bits * math.log(2.0) + _MARGIN_NATS
        count = max(min_terms, math.ceil(nats * edge / n))
        return tuple((float(self.sign * (-1) ** (m + 1)), float(m)) for m in range(1, count + 1))

    def remainder(self, u: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Value and u-derivative of the terms m > count (zero for a single Lorentzian).

        sum_{m>count} (-1)^(m+1) m/(m^2 + u^2) = (-1)^count Re beta(count + 1 - i u).
        """
        u = np.asarray(u, dtype=float)
        if not self.alternating:
            return np.zeros_like(u), np.zeros_like(u)
        value, slope = alternating_tail(count + 1.0 - 1j * u)
        scale = self.sign * (-1) ** count / math.pi
        return scale * value.real, scale * (-1j * slope).real

    def remainder_arb(self, u: np.ndarray, count: int) -> np.ndarray:
        """The terms m > count at real ``flint.arb`` points u (object array), at flint's working
        precision: (-1)^count Re beta(count + 1 - i u) / pi with acb digammas (rigorous balls)."""
        if not self.alternating:
            return np.array([arb(0) for _ in u], dtype=object)
        scale = self.sign * (-1) ** count / arb.pi()
        out = np.empty(len(u), dtype=object)
        for i, point in enumerate(u):
            z = acb(count + 1, -point)
            out[i] = scale * (((z + 1) / 2).digamma() - (z / 2).digamma()).real / 2
        return out

    def evaluate(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """k(u) and k'(u)."""
        u = np.asarray(u, dtype=float)
        terms = self.terms(0.0, 1)  # the shortest split
        value, slope = self.remainder(u, len(terms))
        for amplitude, width in terms:
            denominator = u * u + width * width
            value = value + amplitude * width / (math.pi * denominator)
            slope = slope - 2.0 * amplitude * width * u / (math.pi * denominator**2)
        return value, slope


LIEB = Kernel(+1)
"""Lieb's kernel (Mariño-Reis Eq. 2)."""
GAUDIN = Kernel(-1)
"""Gaudin's kernel, attractive Gaudin-Yang (Mariño-Reis Eq. 5)."""
TAKAHASHI = Kernel(+1, alternating=True)
"""Charge kernel of the balanced repulsive Gaudin-Yang gas, k^(w) = 1/(1 + e^{|w|})."""
