"""Balanced repulsive Gaudin-Yang gas (spin-1/2 fermions, c > 0): ground-state energy e(gamma).

Units hbar = 2m = 1, H = -sum d^2/dx_j^2 + 2c sum_{i<j} delta(x_i - x_j), density n = 1,
gamma = c/n, e = E/(L n^3). Yang's coupled Bethe equations for N/2 spins down have, in the
balanced ground state, spin rapidities filling the whole line; eliminating them by Fourier
transform (Takahashi) leaves one equation for the charge density on [-Q, Q]
(docs/physics/gaudin-yang-repulsive-and-gap.md, Eqs. R1-R3),

    rho(k) = 1/(2 pi) + int_{-Q}^{Q} R(k - k') rho(k') dk',   R^(w) = 1 / (1 + e^{c|w|}),

with n = int rho and E/L = int k^2 rho. In x = k/c and f = 4 pi rho this is Lieb's
normalisation (kappa = 4 in :mod:`physics._bethe`) with the kernel
(1/pi) sum_m (-1)^(m+1) m/(m^2 + u^2) (:data:`physics._kernels.TAKAHASHI`), solved by the shared
product-integration Nystrom solver.

Limits (derived in the docs page): e(0) = pi^2/12 (two free Fermi seas), weak coupling is
Mariño-Reis Eq. (30) with gamma -> -gamma (alternating), and at strong coupling the charges are
free spinless fermions dressed by the Heisenberg spin chain,

    e = (pi^2/3) [1 - 4 ln2/g + 12 ln^2 2/g^2 + (8 pi^2 zeta(3)/5 - 32 ln^3 2)/g^3
                  + (80 ln^4 2 - 16 pi^2 zeta(3) ln 2)/g^4 + O(g^-5)].
"""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from physics import _assets, _high_precision, _validate
from physics._bethe import coupling_state

__all__ = [
    "ENERGY_TABLE",
    "GAMMA_RANGE",
    "HIGH_PRECISION_RANGE",
    "STRONG_COUPLING_ORDER",
    "ground_state_energy",
    "ground_state_energy_with_error",
    "strong_coupling_energy",
    "truncation_errors",
    "weak_coupling_partial_sum",
]

GAMMA_RANGE = (1e-2, 1e3)
"""Supported couplings (closed interval); outside it a ValueError is raised."""

_MODEL = "gaudin-yang-repulsive"

STRONG_COUPLING_ORDER = 4
"""Highest power of 1/gamma of the derived strong-coupling series (Eq. R6 of the docs page)."""

_LN2 = math.log(2.0)
_ZETA3 = 1.2020569031595942
# e / (pi^2/3) = sum_k s_k gamma^-k, Eq. (R6) (derivation in the docs page)
_STRONG = (
    1.0,
    -4.0 * _LN2,
    12.0 * _LN2**2,
    8.0 * math.pi**2 * _ZETA3 / 5.0 - 32.0 * _LN2**3,
    80.0 * _LN2**4 - 16.0 * math.pi**2 * _ZETA3 * _LN2,
)


#: The shipped table of e(γ) at the dashboard's γ grid (``qgas precompute``;
#: :mod:`physics._assets`), a path below ``assets/``: each solve costs ~0.1 s.
ENERGY_TABLE = ("series", "gaudin-yang-repulsive-energies.json")


@functools.lru_cache(maxsize=1)
def _shipped_energies() -> dict[float, float]:
    """γ -> e(γ) from :data:`ENERGY_TABLE` (empty when it is missing)."""
    table = _assets.read_table(*ENERGY_TABLE) or {}
    return {float(g): float(e) for g, e in zip(*table.get("energies", ([], [])), strict=True)}


def ground_state_energy(
    gamma: ArrayLike, digits: int | None = None, *, precomputed: bool = False
) -> float | np.ndarray | mpmath.mpf:
    """Ground-state energy e(gamma) = E/(L n^3) of the balanced repulsive Gaudin-Yang gas.

    Yang (1967) / Takahashi charge equation, Eqs. (R1)-(R3) of
    docs/physics/gaudin-yang-repulsive-and-gap.md.

    Parameters
    ----------
    gamma
        Coupling c/n > 0, scalar or array, inside ``GAMMA_RANGE``.
    digits
        ``None`` (default): the double-precision solver. An integer in [1, 60]: one coupling in
        ``HIGH_PRECISION_RANGE`` solved in Arb arithmetic, see
        :func:`ground_state_energy_with_error`.
    precomputed
        Read couplings found in the shipped table (:data:`ENERGY_TABLE`, the solver's own
        values at the dashboard's γ grid) instead of solving; the others are solved.

    Returns
    -------
    float, ndarray or mpmath.mpf
        e(gamma); relative error below 1e-12 (measured ~1e-15 against the weak-coupling series
        at gamma <= 0.3 and the strong-coupling series at gamma >= 200), or below 10^-digits
        for the ``mpf``. e -> pi^2/12 as gamma -> 0 and e -> pi^2/3 as gamma -> infinity.

    Raises
    ------
    ValueError
        If gamma is not a finite real number inside ``GAMMA_RANGE`` (``HIGH_PRECISION_RANGE``
        with ``digits``), or digits is outside [1, 60].
    """
    if digits is not None:
        return ground_state_energy_with_error(gamma, digits)[0]
    values = _validate.real_array(
        "gamma", gamma, *GAMMA_RANGE, max_size=_validate.MAX_SOLVER_VALUES
    )
    if not isinstance(precomputed, bool):
        raise _validate.ArgumentTypeError(f"precomputed={precomputed!r} must be True or False")
    shipped = _shipped_energies() if precomputed else {}
    result = np.array(
        [
            shipped[g] if g in shipped else coupling_state(g, _MODEL, 0).energy
            for g in map(float, values.ravel())
        ]
    ).reshape(values.shape)
    return float(result) if result.ndim == 0 else result


HIGH_PRECISION_RANGE = _high_precision.MODELS[_MODEL].gamma_range
"""Couplings accepted with ``digits`` (closed interval)."""


def ground_state_energy_with_error(gamma: float, digits: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """e(gamma) to ``digits`` significant digits and the method's error estimate.

    Takahashi's charge equation solved in Arb arithmetic (:mod:`physics._high_precision`, as
    :func:`physics.gaudin_yang.ground_state_energy_with_error`; the kernel at the node
    differences by Taylor polynomials of Re beta(1 - iu) on panels). Cost for 30 digits:
    ~0.2 s at gamma = 10, ~0.7 s at 1, ~1.3 s at 0.3 and ~7 s at 0.1 (the kernel at every
    node pair dominates; docs page, section 3).

    Returns
    -------
    (value, error) : mpmath.mpf
        ``error <= 10^-digits |value|``.

    Raises
    ------
    ValueError
        If gamma (outside ``HIGH_PRECISION_RANGE``) or digits (outside [1, 60]) is invalid.
    RuntimeError
        If the two discretisations do not agree to ``digits``.
    """
    return _high_precision.energy_with_error(_high_precision.MODELS[_MODEL], gamma, digits)


def strong_coupling_energy(
    gamma: ArrayLike, order: int = STRONG_COUPLING_ORDER
) -> float | np.ndarray:
    """Strong-coupling series of e(gamma) truncated at gamma^-order, Eq. (R6).

    (pi^2/3) [1 - 4 ln2/g + 12 ln^2 2/g^2 + (8 pi^2 zeta(3)/5 - 32 ln^3 2)/g^3
    + (80 ln^4 2 - 16 pi^2 zeta(3) ln 2)/g^4]: free spinless fermions dressed by the Heisenberg
    spin chain (derived in docs/physics/gaudin-yang-repulsive-and-gap.md). The omitted term is
    ~260 (pi^2/3)/gamma^5; use for gamma >~ 10.

    Parameters
    ----------
    gamma
        Coupling c/n > 0, scalar or array, at least 1 (the series is an expansion in ~4/gamma).
    order
        Highest power of 1/gamma kept, 0 ... ``STRONG_COUPLING_ORDER``.

    Returns
    -------
    float or ndarray
        The truncated series.

    Raises
    ------
    ValueError
        If gamma is not a finite real number >= 1 or order is outside [0, 4].
    """
    values = _validate.real_array("gamma", gamma, 1.0, None)
    order = _validate.integer("order", order, 0, STRONG_COUPLING_ORDER)
    inverse = 1.0 / values
    total = np.zeros_like(values)
    for coefficient in reversed(_STRONG[: order + 1]):
        total = total * inverse + coefficient
    result = math.pi**2 / 3 * total
    return float(result) if result.ndim == 0 else result


def _weak_coupling_terms(gamma: np.ndarray | float, order: int) -> np.ndarray:
    """c_k (−γ)^k, k = 0 … order along a last axis, with the attractive gas's c_k (Mariño–Reis
    Eq. 30)."""
    from physics.series import weak_coupling_coefficients

    coefficients = np.array([float(c) for c in weak_coupling_coefficients("gaudin-yang", order)])
    with np.errstate(over="ignore", invalid="ignore"):
        return coefficients * (-np.asarray(gamma, dtype=float)[..., None]) ** np.arange(order + 1)


def weak_coupling_partial_sum(gamma: ArrayLike, order: int) -> float | np.ndarray:
    """e_N(γ) = Σ_{k ≤ N} c_k (−γ)^k: the attractive series (Mariño–Reis Eq. 30) at −γ.

    The repulsive gas's weak-coupling series is the attractive one with γ → −γ (docs page,
    §R4): the same coefficients, alternating in sign, Borel summable.

    Parameters
    ----------
    gamma
        Coupling c/n >= 0, scalar or array.
    order
        N, from 0 to the shipped table's order.

    Raises
    ------
    ValueError
        If gamma is negative or not finite, if order is outside the table, or if the sum
        leaves the float range (large gamma at high order).
    """
    from physics.series import table_order

    values = _validate.real_array("gamma", gamma, 0.0, None)
    order = _validate.integer("order", order, 0, table_order("gaudin-yang"))
    terms = _weak_coupling_terms(values, order)
    with np.errstate(over="ignore", invalid="ignore"):
        result = terms.sum(axis=-1)
    _validate.finite_result("e_N(gamma)", result, gamma=gamma, order=order)
    return float(result) if result.ndim == 0 else result


def truncation_errors(gamma: float) -> tuple[np.ndarray, np.ndarray, int]:
    """|e(γ) − e_N(γ)| for N = 0 … table order, and the smallest-term order N*.

    e(γ) is :func:`ground_state_energy` (relative accuracy ~1e-13, the floor of the curve; the
    shipped table's value at the dashboard's grid points);
    N* is the index k >= 1 of the smallest |c_k γ^k|. Sums beyond the float range give inf.

    Returns
    -------
    (orders, errors, smallest_term)
    """
    from physics.series import table_order

    gamma = _validate.real_scalar("gamma", gamma, *GAMMA_RANGE)
    order = table_order("gaudin-yang")
    terms = _weak_coupling_terms(gamma, order)
    with np.errstate(over="ignore", invalid="ignore"):
        errors = np.abs(ground_state_energy(gamma, precomputed=True) - np.cumsum(terms))
    errors = np.where(np.isfinite(errors), errors, np.inf)
    smallest_term = int(np.argmin(np.abs(terms[1:])) + 1)
    return np.arange(order + 1), errors, smallest_term
