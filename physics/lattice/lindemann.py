"""Mean-square deviation of localized atoms and Yukalov's Lindemann criterion (Eqs. 41–55).

In the Debye approximation (phonon spectrum ω_k = c_0 k cut at k_D, Eqs. 45–49) the
mean-square deviation of Eq. (42) is

    r_0² = d² / (2 m T_D) · I_d(T_D/T),   I_d = ∫_0^1 x^{d−2} coth(T_D x / 2T) dx,

so that r_0²/a² = d² (E_K/T_D) I_d with E_K = 1/(2ma²) (Eq. 50). The localized state is
stable when r_0/a < 1/2 (Eq. 47), i.e. 4 d² (E_K/T_D) I_d < 1. This corrects the prefactor 12
printed in Eq. (48); with 4d² the T = 0 thresholds T_D/E_K > 4d²/(d−1) of Eqs. (51)–(53)
follow (16 for d = 2, 18 for d = 3; d = 1 never stable). At T ≫ T_D the criterion reads
T_D²/(E_K T) > 8d²/(d−2), i.e. T_D/E_K > 72 T/T_D in d = 3 (Eq. 54 with its missing factor
T/T_D), and fails for d ≤ 2 at any T > 0. Derivation: docs/physics/lattice.md.

Units: ħ = k_B = 1; temperatures and T_D in the same energy unit (E_K for the
dimensionless functions).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import spence

from physics._validate import broadcast_size, integer, real_array, real_scalar

__all__ = [
    "LINDEMANN_BOUND",
    "lindemann_ratio",
    "lindemann_threshold",
    "mean_square_deviation",
]

#: Lindemann bound on r_0/a (Eq. 47): the localized state is stable for r_0/a < 1/2.
LINDEMANN_BOUND = 0.5

# Below this b = T_D/2T, I_3(b) is summed from the Laurent series of coth, where the closed
# form loses relative accuracy ~1e-16/b to cancellation; the first omitted term,
# (2/93555) b⁹/11 (from coth y = 1/y + y/3 − y³/45 + 2y⁵/945 − y⁷/4725 + 2y⁹/93555 − …),
# is below 1e-20 relative to 1/b at b = 0.025.
_SERIES_BELOW = 0.025
_ZERO_TEMPERATURE_ABOVE = 1e8
# Beyond this T/E_K the threshold is √(72 T/(1 − 2/T)) to relative O(T⁻²) < 1e-20 (and the
# root bracket would overflow near the float limit).
_ASYMPTOTIC_TEMPERATURE_ABOVE = 1e12


def _bose_integral(z: np.ndarray) -> np.ndarray:
    """∫_0^z u/(e^u − 1) du = π²/6 + z ln(1 − e^{−z}) − Li_2(e^{−z}) for z > 0 (finite)."""
    decay = np.exp(-z)
    return math.pi**2 / 6.0 + z * np.log1p(-decay) - spence(1.0 - decay)


def _coth_moment(half_ratio: np.ndarray, d: int) -> np.ndarray:
    """I_d(b) = ∫_0^1 x^{d−2} coth(b x) dx for b = T_D/(2T) ∈ (0, ∞] (∞ at T = 0).

    d = 3: 1/2 + F(2b)/(2b²) with F the Bose integral (exact closed form); for small b the
    series 1/b + b/9 − b³/225 + 2b⁵/6615 − b⁷/42525 (∞ where 1/b overflows).
    d = 2: 1 at b = ∞, divergent (log at x → 0) for finite b.
    d = 1: divergent for every b.
    """
    b = np.asarray(half_ratio, dtype=float)
    if d == 1:
        return np.full(b.shape, np.inf)
    if d == 2:
        return np.where(np.isinf(b), 1.0, np.inf)
    # I_3 = 1/2 + π²/(12 b²) + O(e^{−2b}) at large b: equal to 1/2 within 1e-17 beyond 1e8.
    zero_temperature = b > _ZERO_TEMPERATURE_ABOVE
    small = b < _SERIES_BELOW
    b_small = np.where(small, b, _SERIES_BELOW)
    b_large = np.where(small | zero_temperature, 1.0, b)
    with np.errstate(divide="ignore", over="ignore"):
        series = (
            1.0 / b_small
            + b_small / 9.0
            - b_small**3 / 225.0
            + 2.0 * b_small**5 / 6615.0
            - b_small**7 / 42525.0
        )
    closed = 0.5 + _bose_integral(2.0 * b_large) / (2.0 * b_large**2)
    return np.where(zero_temperature, 0.5, np.where(small, series, closed))


def _ratio_squared(TD_over_EK: np.ndarray, T_over_EK: np.ndarray, d: int) -> np.ndarray:
    """r_0²/a² = d² I_d(T_D/2T) / (T_D/E_K); ∞ where T_D = 0 (no phonon stiffness)."""
    TD, T = np.broadcast_arrays(TD_over_EK, T_over_EK)
    positive = TD > 0.0
    safe_TD = np.where(positive, TD, 1.0)
    with np.errstate(divide="ignore", over="ignore"):  # T_D/2T beyond the float range is ∞
        half_ratio = np.where(T > 0.0, safe_TD / (2.0 * np.where(T > 0.0, T, 1.0)), np.inf)
    moment = _coth_moment(half_ratio, d)
    with np.errstate(over="ignore"):  # r_0²/a² beyond the float range is ∞, as meant
        return np.where(positive, d**2 * moment / safe_TD, np.inf)


def mean_square_deviation(debye_temperature, temperature, mass=0.5, d: int = 3) -> np.ndarray:
    """Mean-square atomic deviation r_0² (Eq. 41) in the Debye approximation of Eq. (42).

    r_0² = d²/(2 m T_D) ∫_0^1 x^{d−2} coth(T_D x/2T) dx, evaluated in closed form for d = 3
    (relative accuracy ~1e-15); infinite for d = 1 (all T) and for d = 2 at T > 0, where the
    integral diverges at small phonon wave vectors; infinite when T_D = 0.

    Parameters
    ----------
    debye_temperature
        T_D ≥ 0 (energy, k_B = 1), Eq. (49).
    temperature
        T ≥ 0 in the same unit.
    mass
        Particle mass 0 < m <= 1e300 (ħ = 1; beyond, 1/2m underflows).
    d
        Space dimension, 1, 2 or 3.

    Returns
    -------
    numpy.ndarray
        r_0² (length², ħ = 1), broadcast over the inputs.
    """
    debye_temperature = real_array("debye_temperature", debye_temperature, 0.0)
    temperature = real_array("temperature", temperature, 0.0)
    mass = real_array("mass", mass, 0.0, 1e300, low_open=True)
    broadcast_size(debye_temperature=debye_temperature, temperature=temperature, mass=mass)
    d = integer("d", d, 1, 3)
    # r_0² does not depend on a: r_0² = (r_0/a)² a² with (r_0/a)² = d² I_d(T_D/2T) E_K/T_D
    # at a = 1, where E_K = 1/(2m); I_d depends on T_D/T only, so r_0² = (r_0/a)²|_{E_K=1} / 2m
    # (no 1/2m to overflow at tiny m).
    with np.errstate(over="ignore"):  # r_0² beyond the float range is ∞, as meant
        squared = _ratio_squared(debye_temperature, temperature, d) / (2.0 * mass)
    return squared[()] if squared.ndim == 0 else squared


def lindemann_ratio(TD_over_EK, T_over_EK, d: int = 3) -> np.ndarray:
    """Lindemann ratio r_0/a = d √(I_d(T_D/2T) E_K/T_D) (Eqs. 42–47, Debye approximation).

    Vectorised over ``TD_over_EK`` and ``T_over_EK`` (broadcast). Closed form for d = 3
    (relative accuracy ~1e-15); ∞ for d = 1, for d = 2 at T > 0, and for T_D = 0.
    At T = 0: r_0/a = d / √((d−1) T_D/E_K).

    Parameters
    ----------
    TD_over_EK
        Debye temperature T_D/E_K ≥ 0.
    T_over_EK
        Temperature T/E_K ≥ 0.
    d
        Space dimension, 1, 2 or 3.

    Returns
    -------
    numpy.ndarray
        r_0/a (dimensionless); the localized state is stable where it is below 1/2.
    """
    TD = real_array("TD_over_EK", TD_over_EK, 0.0)
    T = real_array("T_over_EK", T_over_EK, 0.0)
    broadcast_size(TD_over_EK=TD, T_over_EK=T)
    d = integer("d", d, 1, 3)
    ratio = np.sqrt(_ratio_squared(TD, T, d))
    return ratio[()] if ratio.ndim == 0 else ratio


def lindemann_threshold(T_over_EK, d: int = 3) -> float:
    """Smallest T_D/E_K at which the localized state is stable, r_0/a = 1/2 (Eq. 47).

    T = 0: 4d²/(d−1) (Eqs. 51–53: 16 for d = 2, 18 for d = 3). d = 3, T > 0: the root of
    T_D/E_K = 36 I_3(T_D/2T), bracketed by max(18, √(72 T/E_K)) ≤ T_D/E_K ≤
    9 + √(81 + 72 T/E_K) and found with Brent's method to relative accuracy 1e-13; it tends
    to √(72 T/E_K) (1 − 2E_K/T)^{−1/2} at T ≫ E_K (used as is beyond T = 1e12 E_K).
    ∞ (no stable crystal) for d = 1 and for d = 2 at T > 0.

    Parameters
    ----------
    T_over_EK
        Temperature T/E_K ≥ 0 (a single number).
    d
        Space dimension, 1, 2 or 3.
    """
    T = real_scalar("T_over_EK", T_over_EK, 0.0)
    d = integer("d", d, 1, 3)
    if d == 1 or (d == 2 and T > 0.0):
        return math.inf
    if T == 0.0:
        return 4.0 * d**2 / (d - 1)
    if T > _ASYMPTOTIC_TEMPERATURE_ABOVE:
        return math.sqrt(72.0) * math.sqrt(T) / math.sqrt(1.0 - 2.0 / T)
    low = max(18.0, math.sqrt(72.0 * T))
    high = 9.0 + math.sqrt(81.0 + 72.0 * T)

    def excess(TD: float) -> float:
        return float(_ratio_squared(np.asarray(TD), np.asarray(T), 3)) - LINDEMANN_BOUND**2

    return brentq(excess, low, high, xtol=1e-300, rtol=1e-13)
