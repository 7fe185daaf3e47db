"""Polaron in the Gaudin–Yang Bose gas: inverse effective-mass ratio m/m* (Ristivojevic 2021).

An impurity of the same mass as the bosons (one flipped isospin), units hbar = 2m = 1, n = 1,
gamma = c/n. Two independent routes, which the paper's identity (Eq. 17) makes equal:

- ``method="energy"`` (Eq. 21): m/m* = -gamma^2 d/dgamma (e/gamma^2) = 2 e/gamma - e', with e and
  e' from Lieb's equation (:mod:`physics.lieb_liniger`; e' exact, not differenced).
- ``method="sigma"`` (Eqs. 13, 16, 6): with x = k/c, sigma(k) = (hbar^2/m) c s(k/c) where
  s - (1/pi) int_{-B}^{B} s(y) dy / ((x - y)^2 + 1) = x (odd), so that S(Q) = int k sigma dk
  = 2 c^3 J with J = int x s dx, and Eq. (16) with m = 1/2 gives m/m* = gamma^2 J / pi.
  B = Q/c is the same edge as in Lieb's equation (Ristivojevic Eq. 5 is Mariño-Reis Eq. 2 with
  rho = f / 4 pi, and Eq. 6 is Eq. 3).

Limits: m/m* -> 1 - 2 sqrt(gamma)/(3 pi) + ... (Eq. 22) and -> 2 pi^2/(3 gamma) (Eq. 23).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from physics import _validate
from physics._bethe import coupling_state
from physics._nystrom import odd_moment

__all__ = ["GAMMA_RANGE", "METHODS", "inverse_mass_ratio"]

GAMMA_RANGE = (1e-3, 1e4)
"""Supported couplings (closed interval), those of :mod:`physics.lieb_liniger`."""

METHODS = ("energy", "sigma")


def _energy_route(gamma: float) -> float:
    state = coupling_state(gamma, "lieb-liniger", 1)
    return 2.0 * state.energy / gamma - state.slope


def _sigma_route(gamma: float) -> float:
    state = coupling_state(gamma, "lieb-liniger", 2)
    return state.solved_gamma**2 * odd_moment(state.edge, +1) / math.pi


def inverse_mass_ratio(gamma: ArrayLike, method: str = "energy") -> float | np.ndarray:
    """Inverse effective-mass ratio m/m* of the polaron (Ristivojevic Eqs. 16, 21).

    Parameters
    ----------
    gamma
        Coupling c/n, scalar or array, inside ``GAMMA_RANGE``.
    method
        ``"energy"``: Eq. (21) from e(gamma) and its exact derivative. ``"sigma"``: the
        sigma integral equation (13) and S(Q) (16), independent of e(gamma).

    Returns
    -------
    float or ndarray
        m/m* in (0, 1]; the two routes agree to ~1e-13 (identity Eq. 17).

    Raises
    ------
    ValueError
        If gamma is not a finite real number inside ``GAMMA_RANGE`` or method is unknown.

    Examples
    --------
    >>> from physics.polaron import inverse_mass_ratio
    >>> round(float(inverse_mass_ratio(1.0)), 10)
    0.7887955799
    >>> bool(abs(inverse_mass_ratio(1.0, method="sigma") - inverse_mass_ratio(1.0)) < 1e-12)
    True
    """
    method = _validate.choice("method", method, METHODS)
    values = _validate.real_array(
        "gamma", gamma, *GAMMA_RANGE, max_size=_validate.MAX_SOLVER_VALUES
    )
    route = _energy_route if method == "energy" else _sigma_route
    result = np.array([route(float(g)) for g in values.ravel()]).reshape(values.shape)
    return float(result) if result.ndim == 0 else result
