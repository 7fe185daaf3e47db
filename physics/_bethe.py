"""From the edge B to the coupling gamma: Newton inversion and exact derivatives of e(gamma).

Shared by :mod:`physics.lieb_liniger`, :mod:`physics.gaudin_yang` and
:mod:`physics.gaudin_yang_repulsive`. For a model given by its kernel (:mod:`physics._kernels`),
the normalisation ``1/gamma = <1> / (kappa pi)`` (kappa = 4 for LL, Mariño-Reis Eq. 3; kappa = 1
for GY, Eq. 6; kappa = 4 for the repulsive GY charge density, docs/physics/
gaudin-yang-repulsive-and-gap.md) and ``e = gamma^3 <x^2> / (kappa pi) - pair * gamma^2 / 4``
(Eqs. 4 and 7), this module finds B(gamma) by Newton's method in log B, starting from a cached
Hermite interpolation table of log B against log gamma, and returns e, de/dgamma and
d^2e/dgamma^2 from exact B-derivatives (chain rule), Taylor-corrected from the last Newton iterate
to the requested gamma. The tolerance of the Newton loop depends on the highest derivative asked
for, so that the Taylor remainder stays below 1e-15 relative. For LL at gamma >= 300 the two
derivatives are taken from the exact strong-coupling series (docs/physics/bethe.md, section 3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.interpolate

from physics._kernels import GAUDIN, LIEB, TAKAHASHI, Kernel
from physics._nystrom import EdgeSolution, node_count, solve_edge
from physics.strong_coupling import strong_coupling_energy

__all__ = ["MODELS", "CouplingState", "Model", "coupling_state", "edge_quantities"]


@dataclass(frozen=True)
class Model:
    """Constants that distinguish the integral equations."""

    name: str
    kernel: Kernel
    kappa: float
    pair: bool
    table_edges: tuple[float, float]


MODELS = {
    "lieb-liniger": Model("lieb-liniger", LIEB, 4.0, False, (1e-4, 100.0)),
    "gaudin-yang": Model("gaudin-yang", GAUDIN, 1.0, True, (2e-3, 250.0)),
    "gaudin-yang-repulsive": Model("gaudin-yang-repulsive", TAKAHASHI, 4.0, False, (1e-4, 250.0)),
}

# |relative gamma mismatch| accepted before the Taylor correction, by highest derivative order:
# the remainder is ~ mismatch^(3 - order), kept below ~1e-15.
_NEWTON_TOLERANCE = (1e-5, 1e-8, 1e-14)
_TABLE_POINTS_PER_DECADE = 12
# Above this LL coupling the B-derivative chain rule loses digits (terms ~1/B, 1/B^2 cancel as
# B -> 0), so de/dgamma and d^2e/dgamma^2 come from the exact strong-coupling series instead
# (order 12: truncation < 1e-20 here; agrees with the integral equation to ~1e-13 at the seam).
_SERIES_DERIVATIVES_FROM = 300.0
_SERIES_ORDER = 12


@dataclass(frozen=True)
class CouplingState:
    """e and its first two gamma-derivatives at a requested gamma, with the solution behind them.

    ``edge`` and ``solution`` belong to the last Newton iterate, whose coupling ``solved_gamma``
    differs from ``gamma`` by less than the tolerance; the energies are Taylor-corrected.
    """

    gamma: float
    solved_gamma: float
    edge: float
    energy: float
    slope: float
    curvature: float
    solution: EdgeSolution


def edge_quantities(model: Model, solution: EdgeSolution) -> tuple[np.ndarray, np.ndarray]:
    """gamma(B) and e(B) with their first two B-derivatives, as two arrays of length 3."""
    (m0, m0_1, m0_2), (m2, m2_1, m2_2) = solution.moments
    scale = model.kappa * math.pi
    gamma = np.array(
        [scale / m0, -scale * m0_1 / m0**2, -scale * m0_2 / m0**2 + 2 * scale * m0_1**2 / m0**3]
    )
    # e_int = gamma^3 <x^2> / (kappa pi) = scale^2 <x^2> / <1>^3
    energy = scale**2 * np.array(
        [
            m2 / m0**3,
            m2_1 / m0**3 - 3 * m2 * m0_1 / m0**4,
            m2_2 / m0**3
            - 6 * m2_1 * m0_1 / m0**4
            - 3 * m2 * m0_2 / m0**4
            + 12 * m2 * m0_1**2 / m0**5,
        ]
    )
    return gamma, energy


@lru_cache(maxsize=4)
def _edge_guess_table(name: str) -> scipy.interpolate.CubicHermiteSpline:
    """Hermite interpolant of log B against log gamma, from solves on a log-spaced grid of B.

    Only a starting guess for Newton: half the production node count (error ~1e-8) suffices;
    the interpolation error is ~1e-6 in log B at 12 points per decade.
    """
    model = MODELS[name]
    low, high = model.table_edges
    count = int(_TABLE_POINTS_PER_DECADE * math.log10(high / low)) + 1
    log_edges = np.linspace(math.log(low), math.log(high), count)
    log_gamma = np.empty(count)
    slope = np.empty(count)
    for i, log_edge in enumerate(log_edges):
        edge = math.exp(log_edge)
        coarse = max(16, 2 * (node_count(edge) // 4))
        gamma, _ = edge_quantities(model, solve_edge(edge, model.kernel, coarse))
        log_gamma[i] = math.log(gamma[0])
        slope[i] = gamma[0] / (edge * gamma[1])  # d log B / d log gamma
    order = np.argsort(log_gamma)
    return scipy.interpolate.CubicHermiteSpline(log_gamma[order], log_edges[order], slope[order])


@lru_cache(maxsize=8192)
def coupling_state(gamma: float, name: str, order: int) -> CouplingState:
    """Solve the model at coupling ``gamma`` accurately enough for derivatives up to ``order``.

    ``gamma`` must already be validated (finite, inside the model's range).
    """
    model = MODELS[name]
    tolerance = _NEWTON_TOLERANCE[order]
    log_target = math.log(gamma)
    log_edge = float(_edge_guess_table(name)(log_target))
    for _ in range(40):
        edge = math.exp(log_edge)
        solution = solve_edge(edge, model.kernel)
        g, e = edge_quantities(model, solution)
        mismatch = gamma - g[0]
        if abs(mismatch) <= tolerance * gamma:
            break
        log_edge += (log_target - math.log(g[0])) * g[0] / (edge * g[1])
    else:  # pragma: no cover - Newton on a monotone map from a 1e-5 guess always converges
        raise RuntimeError(f"Newton iteration for B(gamma) did not converge at gamma={gamma!r}")
    slope = e[1] / g[1]
    curvature = (e[2] * g[1] - e[1] * g[2]) / g[1] ** 3
    energy = e[0] + slope * mismatch + 0.5 * curvature * mismatch**2
    slope += curvature * mismatch
    if model.name == "lieb-liniger" and gamma >= _SERIES_DERIVATIVES_FROM:
        slope = strong_coupling_energy(gamma, model.name, _SERIES_ORDER, derivative=1)
        curvature = strong_coupling_energy(gamma, model.name, _SERIES_ORDER, derivative=2)
    if model.pair:
        energy -= gamma**2 / 4
        slope -= gamma / 2
        curvature -= 0.5
    return CouplingState(
        gamma=gamma,
        solved_gamma=float(g[0]),
        edge=edge,
        energy=float(energy),
        slope=float(slope),
        curvature=float(curvature),
        solution=solution,
    )
