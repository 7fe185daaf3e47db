"""Attractive Gaudin-Yang gas (spin-1/2 fermions): ground-state energy e_F(gamma).

Units hbar = 2m = 1, density n = 1, gamma = |c|/n (Mariño & Reis, arXiv:1905.09575, Eqs. 5-7).
Gaudin's equation (Eq. 5)

    f(x)/2 + (1/2pi) int_{-B}^{B} f(y) / ((x - y)^2 + 1) dy = 1,

with 1/gamma = (1/pi) int f (Eq. 6) and e_F = -gamma^2/4 + (gamma^3/pi) int x^2 f (Eq. 7), is
solved by the same product-integration Nystrom solver as Lieb's equation (kernel sign flipped;
:mod:`physics._nystrom`). Limits: e_F(0) = pi^2/12 (free fermions, two spin species); at strong
attraction the fermions bind into pairs of binding energy c^2/2 each (-gamma^2/4 per particle)
which behave as hard-core bosons of mass 2m at density n/2, so e_F + gamma^2/4 -> pi^2/48
(derivation and higher orders in docs/physics/bethe.md and :mod:`physics.strong_coupling`).
"""

from __future__ import annotations

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from physics import _high_precision, _validate
from physics._bethe import coupling_state

__all__ = [
    "GAMMA_RANGE",
    "HIGH_PRECISION_RANGE",
    "ground_state_energy",
    "ground_state_energy_with_error",
]

GAMMA_RANGE = (1e-2, 1e2)
"""Supported couplings (closed interval); outside it a ValueError is raised."""


def ground_state_energy(
    gamma: ArrayLike, digits: int | None = None
) -> float | np.ndarray | mpmath.mpf:
    """Ground-state energy e_F(gamma) = E/(L n^3) of the attractive Gaudin-Yang gas.

    Mariño & Reis Eqs. (5)-(7); includes the pair binding energy -gamma^2/4.

    Parameters
    ----------
    gamma
        Coupling |c|/n, scalar or array, inside ``GAMMA_RANGE``.
    digits
        ``None`` (default): the double-precision solver. An integer in [1, 60]: one coupling in
        ``HIGH_PRECISION_RANGE`` solved in Arb arithmetic, see
        :func:`ground_state_energy_with_error`.

    Returns
    -------
    float, ndarray or mpmath.mpf
        e_F(gamma); relative error below 1e-12 (measured ~1e-14), or below 10^-digits for the
        ``mpf``.

    Raises
    ------
    ValueError
        If gamma is not a finite real number inside ``GAMMA_RANGE`` (``HIGH_PRECISION_RANGE``
        with ``digits``), or digits is outside [1, 60] or beyond what one call affords at that
        gamma (about 1 GB: ``physics._high_precision.MAX_WORK``).

    Examples
    --------
    >>> from physics.gaudin_yang import ground_state_energy
    >>> round(float(ground_state_energy(1.0)), 12)
    0.224278779374
    """
    if digits is not None:
        return ground_state_energy_with_error(gamma, digits)[0]
    values = _validate.real_array(
        "gamma", gamma, *GAMMA_RANGE, max_size=_validate.MAX_SOLVER_VALUES
    )
    result = np.array(
        [coupling_state(float(g), "gaudin-yang", 0).energy for g in values.ravel()]
    ).reshape(values.shape)
    return float(result) if result.ndim == 0 else result


HIGH_PRECISION_RANGE = _high_precision.MODELS["gaudin-yang"].gamma_range
"""Couplings accepted with ``digits`` (closed interval)."""


def ground_state_energy_with_error(gamma: float, digits: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """e_F(gamma) to ``digits`` significant digits and the method's error estimate.

    Gaudin's equation solved in Arb arithmetic (:mod:`physics._high_precision`; as
    :func:`physics.lieb_liniger.ground_state_energy_with_error`). Near gamma ~ 1.4, where e_F
    crosses zero, up to 20 extra working digits make up for the cancellation against
    -gamma^2/4. Cost for 30 digits: ~0.1 s at gamma = 1, ~1 s at 0.1 and 3-5 s at 0.05 (the
    node count grows like 1/gamma there; docs/physics/resurgence.md, section 1).

    Returns
    -------
    (value, error) : mpmath.mpf
        ``error <= 10^-digits |value|``.

    Raises
    ------
    ValueError
        If gamma (outside ``HIGH_PRECISION_RANGE``) or digits (outside [1, 60], or beyond
        ``physics._high_precision.MAX_WORK`` at small gamma: 32 digits at 0.02) is invalid.
    RuntimeError
        If the two discretisations do not agree to ``digits``.
    """
    return _high_precision.energy_with_error(_high_precision.MODELS["gaudin-yang"], gamma, digits)
