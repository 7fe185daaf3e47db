"""Series of the polaron's inverse mass ratio m/m* derived from the series of e(γ).

Ristivojevic (2021), Eq. (21): m/m* = −γ² ∂_γ (e(γ)/γ²), applied term by term:

* weak coupling, e = Σ_k c_k γ^{1+k/2} (Mariño–Reis Eq. 31): m/m* = Σ_k (1 − k/2) c_k γ^{k/2}
  (the γ¹ term vanishes identically, as noted below Ristivojevic's Eq. 22);
* strong coupling, e = (π²/3) Σ_k a_k γ^{−k} (:mod:`physics.strong_coupling`):
  m/m* = (π²/3) Σ_k (k + 2) a_k γ^{−(k+1)}.
"""

from __future__ import annotations

import mpmath
import numpy as np

from physics._validate import choice, finite_result, integer, real_array
from physics.series._tables import load_table, weak_coupling_coefficients
from physics.strong_coupling import strong_coupling_coefficients

__all__ = ["inverse_mass_ratio_partial_sum", "inverse_mass_ratio_series"]


def inverse_mass_ratio_series(regime: str, order: int) -> list[mpmath.mpf]:
    """Coefficients d_0 … d_order of the m/m* series (Ristivojevic Eq. 21 applied to e(γ)).

    Parameters
    ----------
    regime
        ``"weak"``: m/m* = Σ_k d_k γ^{k/2}, from the shipped Lieb–Liniger c_k (order ≤ table order).
        ``"strong"``: m/m* = Σ_k d_k γ^{−k} (d_0 = 0), from the exact strong-coupling coefficients
        (order ≤ 41).
    order
        Highest k.

    Returns
    -------
    list of mpmath.mpf
        Weak: as accurate as the table (≥ 30 digits). Strong: exact rationals in π² evaluated at
        the current mpmath precision.
    """
    regime = choice("regime", regime, ("weak", "strong"))
    if regime == "weak":
        order = integer("order", order, 0, load_table("lieb-liniger")["order"])
        c = weak_coupling_coefficients("lieb-liniger", order)
        return [(1 - mpmath.mpf(k) / 2) * c[k] for k in range(order + 1)]
    order = integer("order", order, 0, 41)
    if order == 0:
        return [mpmath.mpf(0)]
    a = strong_coupling_coefficients("lieb-liniger", order - 1)
    pi2 = mpmath.pi**2
    values = [
        sum((mpmath.mpf(x.numerator) / x.denominator * pi2**j for j, x in enumerate(ak)), 0)
        for ak in a
    ]
    return [mpmath.mpf(0)] + [pi2 / 3 * (k + 2) * values[k] for k in range(order)]


def inverse_mass_ratio_partial_sum(
    regime: str, gamma: float | np.ndarray, order: int
) -> float | np.ndarray:
    """The m/m* series of :func:`inverse_mass_ratio_series` truncated at ``order``, in float64.

    Weak coupling (Ristivojevic Eq. 22): Σ_k d_k γ^{k/2}; strong coupling (Eq. 23):
    Σ_k d_k γ^{−k}. Evaluated by Horner's rule.

    Parameters
    ----------
    regime
        ``"weak"`` or ``"strong"``.
    gamma
        Coupling γ > 0 (float or array).
    order
        Highest k included (see :func:`inverse_mass_ratio_series` for the valid range).
    """
    values = real_array("gamma", gamma, 0.0, None, low_open=True)
    coefficients = [float(d) for d in inverse_mass_ratio_series(regime, order)]
    variable = np.sqrt(values) if regime == "weak" else 1.0 / values
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.polynomial.polynomial.polyval(variable, coefficients)
    finite_result("m/m* series", total, gamma=gamma, order=order)
    return float(total) if np.ndim(total) == 0 else total
