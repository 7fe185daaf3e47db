"""Lieb-Liniger gas: ground-state energy e(gamma) from Lieb's integral equation, and thermodynamics.

Units hbar = 2m = 1, density n = 1, gamma = c/n (Mariño & Reis, arXiv:1905.09575, Eqs. 1-4).
Lieb's equation (Eq. 2)

    f(x)/2 - (1/2pi) int_{-B}^{B} f(y) / ((x - y)^2 + 1) dy = 1,

with 1/gamma = (1/4pi) int f (Eq. 3) and e = E/n^3 = (gamma^3/4pi) int x^2 f (Eq. 4), is solved
by product-integration Nystrom (:mod:`physics._nystrom`); B(gamma) by Newton's method with the
exact dgamma/dB. Relative accuracy of e(gamma): better than 1e-12 on GAMMA_RANGE (measured
~1e-14; convergence study and checks in docs/physics/bethe.md).

Thermodynamics (derivation in docs/physics/bethe.md), with E/L = n^3 e(c/n):

- chemical potential mu = dE/dN = n^2 (3e - gamma e'),
- sound velocity v^2 = (n/m) dmu/dn = 2 n^2 (6e - 4 gamma e' + gamma^2 e'') (m = 1/2),
  which gives v = 2 pi n (= 2 k_F, free fermions) in the Tonks limit and v = 2 n sqrt(gamma)
  (Bogoliubov) at weak coupling.
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from physics import _high_precision, _validate
from physics._bethe import coupling_state

__all__ = [
    "GAMMA_RANGE",
    "HIGH_PRECISION_RANGE",
    "chemical_potential",
    "energy_derivative",
    "ground_state_energy",
    "ground_state_energy_with_error",
    "rapidity_density",
    "sound_velocity",
]

GAMMA_RANGE = (1e-3, 1e4)
"""Supported couplings (closed interval); outside it a ValueError is raised."""

_MODEL = "lieb-liniger"


def _gamma_array(gamma: ArrayLike) -> np.ndarray:
    return _validate.real_array("gamma", gamma, *GAMMA_RANGE, max_size=_validate.MAX_SOLVER_VALUES)


def _map(gamma: ArrayLike, scalar: Callable[[float], float]) -> float | np.ndarray:
    """Evaluate ``scalar`` element-wise over validated ``gamma``; float for scalar input."""
    values = _gamma_array(gamma)
    result = np.array([scalar(float(g)) for g in values.ravel()]).reshape(values.shape)
    return float(result) if result.ndim == 0 else result


def ground_state_energy(
    gamma: ArrayLike, digits: int | None = None
) -> float | np.ndarray | mpmath.mpf:
    """Ground-state energy e(gamma) = E/(L n^3) of the Lieb-Liniger gas.

    Mariño & Reis Eqs. (2)-(4); equal to Ristivojevic's e(gamma) (Eq. 20, energy per particle
    over hbar^2 n^2/2m). Units hbar = 2m = 1.

    Parameters
    ----------
    gamma
        Coupling c/n, scalar or array, inside ``GAMMA_RANGE``.
    digits
        ``None`` (default): the double-precision solver. An integer in [1, 60]: one coupling in
        ``HIGH_PRECISION_RANGE`` (a float is taken as its exact binary value, or an
        ``mpmath.mpf``) solved in Arb arithmetic, see :func:`ground_state_energy_with_error`.

    Returns
    -------
    float, ndarray or mpmath.mpf
        e(gamma); relative error below 1e-12 (e -> gamma as gamma -> 0, e -> pi^2/3 as
        gamma -> infinity), or below 10^-digits for the ``mpf``.

    Raises
    ------
    ValueError
        If gamma is not a finite real number inside ``GAMMA_RANGE`` (``HIGH_PRECISION_RANGE``
        with ``digits``), or digits is outside [1, 60] or beyond what one call affords at that
        gamma (about 1 GB: ``physics._high_precision.MAX_WORK``).

    Examples
    --------
    >>> import numpy as np
    >>> from physics.lieb_liniger import ground_state_energy
    >>> round(float(ground_state_energy(1.0)), 12)
    0.639151285272
    >>> ground_state_energy(np.array([0.1, 10.0])).round(8)
    array([0.08722714, 2.31078038])
    """
    if digits is not None:
        return ground_state_energy_with_error(gamma, digits)[0]
    return _map(gamma, lambda g: coupling_state(g, _MODEL, 0).energy)


HIGH_PRECISION_RANGE = _high_precision.MODELS[_MODEL].gamma_range
"""Couplings accepted with ``digits`` (closed interval)."""


def ground_state_energy_with_error(gamma: float, digits: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """e(gamma) to ``digits`` significant digits and the method's error estimate.

    Lieb's equation solved in Arb arithmetic by Gauss-Nyström, B(gamma) by Newton's method
    with the exact dgamma/dB (:mod:`physics._high_precision`). The estimate is the difference
    of two solves with 30 % more nodes and 40 more bits in the second, whose value is
    returned. Cost for 30 digits: ~0.05 s at gamma = 1, ~1 s at gamma = 0.05
    (docs/physics/resurgence.md, section 1).

    Parameters
    ----------
    gamma
        One coupling in ``HIGH_PRECISION_RANGE`` (float, exact binary value; or ``mpmath.mpf``).
    digits
        Requested significant digits, 1 ... 60.

    Returns
    -------
    (value, error) : mpmath.mpf
        ``error <= 10^-digits |value|``.

    Raises
    ------
    ValueError
        If gamma or digits is out of range.
    RuntimeError
        If the two discretisations do not agree to ``digits`` (not observed on the range).
    """
    return _high_precision.energy_with_error(_high_precision.MODELS[_MODEL], gamma, digits)


def energy_derivative(gamma: ArrayLike, order: int = 1) -> float | np.ndarray:
    """de/dgamma (``order=1``) or d^2e/dgamma^2 (``order=2``) of the Lieb-Liniger energy.

    Exact: from the B-derivatives of Lieb's equation (the derivative of f with respect to B
    solves the same integral operator with a boundary source), never by differencing e.
    Relative accuracy ~1e-12 (order 1) and ~1e-10 (order 2).

    Raises
    ------
    ValueError
        If ``order`` is not 1 or 2, or gamma is outside ``GAMMA_RANGE``.
    """
    order = _validate.integer("order", order, 1, 2)
    if order == 1:
        return _map(gamma, lambda g: coupling_state(g, _MODEL, 1).slope)
    return _map(gamma, lambda g: coupling_state(g, _MODEL, 2).curvature)


def rapidity_density(gamma: float) -> tuple[float, np.ndarray, np.ndarray]:
    """Density of Bethe rapidities f(x) on [-B, B] (Mariño-Reis Eq. 2, x = k/c).

    Parameters
    ----------
    gamma
        A single coupling inside ``GAMMA_RANGE``.

    Returns
    -------
    B : float
        Edge of the support (Fermi rapidity over c).
    nodes : ndarray
        Gauss-Legendre nodes on (-B, B), increasing.
    values : ndarray
        f at the nodes (f = 4 pi rho in Lieb's normalisation; integrates to 4 pi / gamma).
    """
    g = _validate.real_scalar("gamma", gamma, *GAMMA_RANGE)
    state = coupling_state(g, _MODEL, 2)
    solution = state.solution
    nodes = np.concatenate([-solution.nodes[::-1], solution.nodes])
    values = np.concatenate([solution.density[::-1], solution.density])
    return state.edge, nodes, values


def chemical_potential(gamma: ArrayLike) -> float | np.ndarray:
    """Chemical potential mu/n^2 = 3 e - gamma de/dgamma (units hbar = 2m = 1).

    From mu = d(E/L)/dn with E/L = n^3 e(c/n). Tonks limit: mu -> pi^2 n^2 (= k_F^2).
    """

    def potential(g: float) -> float:
        state = coupling_state(g, _MODEL, 1)
        return 3.0 * state.energy - g * state.slope

    return _map(gamma, potential)


def sound_velocity(gamma: ArrayLike) -> float | np.ndarray:
    """Sound velocity v/n = sqrt(2 (6 e - 4 gamma e' + gamma^2 e'')) (units hbar = 2m = 1).

    From m v^2 = n dmu/dn with m = 1/2. Tonks limit v = 2 pi n = 2 k_F; weak coupling
    v -> 2 n sqrt(gamma) (Bogoliubov, g = 2c).
    """

    def velocity(g: float) -> float:
        state = coupling_state(g, _MODEL, 2)
        return float(
            np.sqrt(2.0 * (6.0 * state.energy - 4.0 * g * state.slope + g * g * state.curvature))
        )

    return _map(gamma, velocity)
