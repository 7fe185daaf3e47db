"""Spin gap Delta_s(gamma) of the balanced attractive Gaudin-Yang gas, from the Bethe ansatz.

Units hbar = 2m = 1, H = -sum d^2/dx_j^2 + 2c sum_{i<j} delta(x_i - x_j) with c < 0, density
n = 1, gamma = |c|/n. The gap returned is the spin gap of Fuchs, Recati & Zwerger (PRL 93,
090408 (2004)) and Krivnov & Ovchinnikov (1975): the energy to break one pair at fixed N, i.e. of
the lowest S_z = 1 state, equal to the critical field at which polarisation sets in
(derivation: docs/physics/gaudin-yang-repulsive-and-gap.md, Eqs. G1-G5),

    Delta_s = E(N/2 + 1, N/2 - 1) - E(N/2, N/2) = H_c = 2 eps_u(0),

with eps_u(0) = E(N + 1) - E(N) - mu the T = 0 dressed energy of one unpaired fermion at the
bottom of its band (the BCS quasiparticle gap is Delta_s/2). The pair dressed energy
eps_b(Lambda) (negative on the pair Fermi sea [-B, B], zero at +-B) gives, by Fourier
elimination of the inside of the sea,

    eps_u(0) = int_{|Lambda| > B} s(Lambda) eps_b(Lambda) dLambda,   s(L) = sech(pi L/|c|)/(2|c|),

an integral of positive terms (no cancellation, so the exponentially small weak-coupling gap has
full relative precision). Limits (n^2 units): Delta_s = gamma^2/2 - pi^2/8 + 3 pi^2/(32 gamma^2)
+ O(gamma^-3) at strong coupling (the pair binding energy c^2/2 minus twice the dimers' kinetic
chemical potential; Eq. G6), and
Delta_s = (16/pi) eps_F sqrt(gamma/pi) e^{-pi^2/(2 gamma)} (1 + O(gamma)) = 4 sqrt(pi gamma)
e^{-pi^2/(2 gamma)} (1 + O(gamma)) at weak coupling (Fuchs-Recati-Zwerger; eps_F = pi^2/4).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from physics import _validate
from physics._bethe import coupling_state
from physics._kernels import GAUDIN
from physics._nystrom import apply_kernel, gauss_legendre, node_count, solve_even

__all__ = ["GAMMA_RANGE", "gap"]

GAMMA_RANGE = (1e-2, 1e2)
"""Supported couplings (closed interval), as for :mod:`physics.gaudin_yang`."""

# Panels in u = x - B (x = Lambda/|c|) for int_B^inf sech(pi x) phi(x) dx: phi is analytic except
# at u = +-i (and -2B +- i); the weight decays like e^{-pi u}, below 1e-21 past u = 15.5.
_PANELS = (0.0, 0.5, 1.5, 3.5, 7.5, 15.5)
_PANEL_NODES = 24


def _pair_dressed_energy(gamma: float) -> tuple[float, float, Callable[[np.ndarray], np.ndarray]]:
    """(gamma solved, B, phi) with phi(x) = eps_b(|c| x)/c^2 at any real x (Eqs. G2, G3).

    phi solves phi + (1/pi) int_{-B}^{B} phi(y)/((x - y)^2 + 1) dy = 2x^2 - C with the
    constant C = (2 mu + c^2/2)/c^2 fixed by phi(+-B) = 0; the same formula extends phi to
    |x| > B.
    """
    state = coupling_state(gamma, "gaudin-yang", 2)  # Newton to 1e-14 in gamma
    edge = state.edge
    n = node_count(edge)
    _, _, columns = solve_even(edge, GAUDIN, lambda x: np.column_stack([x * x, np.ones_like(x)]), n)
    at_edge = np.array([edge * edge, 1.0]) + apply_kernel(edge, GAUDIN, columns, [edge], n)[0]
    constant = 2.0 * at_edge[0] / at_edge[1]
    values = 2.0 * columns[:, 0] - constant * columns[:, 1]

    def phi(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return 2.0 * x * x - constant + apply_kernel(edge, GAUDIN, values, x, n)

    return state.solved_gamma, edge, phi


def _gap(gamma: float) -> float:
    solved_gamma, edge, phi = _pair_dressed_energy(gamma)
    nodes, weights, _ = gauss_legendre(_PANEL_NODES)
    total = 0.0
    for low, high in itertools.pairwise(_PANELS):
        x = edge + 0.5 * (high - low) * nodes + 0.5 * (high + low)
        decay = np.exp(-math.pi * x)
        sech = 2.0 * decay / (1.0 + decay * decay)
        total += 0.5 * (high - low) * float(weights @ (sech * phi(x)))
    return 2.0 * solved_gamma**2 * total


def gap(gamma: ArrayLike) -> float | np.ndarray:
    """Spin gap Delta_s/n^2 of the balanced attractive Gaudin-Yang gas (pair-breaking energy).

    Delta_s = E(N/2 + 1, N/2 - 1) - E(N/2, N/2) = H_c = 2 eps_u(0), Eq. (G5) of
    docs/physics/gaudin-yang-repulsive-and-gap.md (Bethe ansatz with the pair dressed energy of
    Eq. G2); the spin gap of Fuchs, Recati & Zwerger (2004). Half of it, eps_u(0), is the energy
    of one unpaired fermion (BCS quasiparticle gap).

    Parameters
    ----------
    gamma
        Coupling |c|/n, scalar or array, inside ``GAMMA_RANGE``.

    Returns
    -------
    float or ndarray
        Delta_s/n^2 (units hbar = 2m = 1); relative error ~1e-14 times pi^2/(2 gamma) (the
        sensitivity of e^{-pi^2/(2 gamma)} to the edge B). Delta_s -> gamma^2/2 - pi^2/8 at
        strong coupling and 4 sqrt(pi gamma) e^{-pi^2/(2 gamma)} at weak coupling.

    Raises
    ------
    ValueError
        If gamma is not a finite real number inside ``GAMMA_RANGE``.
    """
    values = _validate.real_array(
        "gamma", gamma, *GAMMA_RANGE, max_size=_validate.MAX_SOLVER_VALUES
    )
    result = np.array([_gap(float(g)) for g in values.ravel()]).reshape(values.shape)
    return float(result) if result.ndim == 0 else result
