"""Attractive Gaudin-Yang e_F(gamma) against Eq. (30), the tightly-bound-pair limit, the derived
strong-coupling series and a convergence study in the number of nodes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from mpmath import zeta

from physics import gaudin_yang as gy
from physics._bethe import MODELS, edge_quantities
from physics._nystrom import node_count, solve_edge
from physics.strong_coupling import strong_coupling_energy

PI = math.pi
Z3, Z5, Z7 = (float(zeta(k)) for k in (3, 5, 7))

# Mariño-Reis Eq. (30), e_F = sum_k c_k gamma^k, closed forms typed from the paper.
EQ30 = (
    PI**2 / 12,
    -1 / 2,
    -1 / 12,
    -Z3 / PI**4,
    -3 * Z3 / (2 * PI**6),
    -3 * Z3 / PI**8,
    -5 * (5 * Z3 + 3 * Z5) / (4 * PI**10),
    -3 * (35 * Z3 + 12 * Z3**2 + 75 * Z5) / (8 * PI**12),
    -63 * (7 * Z3 + 12 * Z3**2 + 35 * Z5 + 12 * Z7) / (16 * PI**14),
    -3 * (404 * Z3**2 + Z3 * (240 * Z5 + 77) + 147 * (5 * Z5 + 6 * Z7)) / (4 * PI**16),
)


def eq30(gamma: float) -> float:
    return sum(c * gamma**k for k, c in enumerate(EQ30))


@pytest.mark.parametrize("gamma", [1e-2, 3e-2, 0.1])
def test_weak_coupling_matches_eq30_to_1e12(gamma):
    e = gy.ground_state_energy(gamma)
    # first omitted term ~ Gamma(9) pi^(-18) gamma^10 (Eq. 32) is below 1e-14 here
    assert math.gamma(9) * PI ** (-18) * gamma**10 < 1e-14
    assert abs(e - eq30(gamma)) <= 1e-12 * e


def test_weak_coupling_difference_below_last_term_used():
    gamma = 0.3
    assert abs(gy.ground_state_energy(gamma) - eq30(gamma)) < abs(EQ30[-1]) * gamma**9


@pytest.mark.parametrize("gamma", [20.0, 50.0, 100.0])
def test_strong_coupling_matches_derived_series(gamma):
    assert gy.ground_state_energy(gamma) == pytest.approx(
        strong_coupling_energy(gamma, "gaudin-yang", 12), rel=1e-12
    )


def test_tightly_bound_pair_limit():
    """Pairs bound by c^2/2 (-gamma^2/4 per particle) acting as hard-core bosons of mass 2m at
    density n/2: (hbar^2/2M) (pi^2/3) (n/2)^3 = pi^2/48 per n^3 (docs/physics/bethe.md)."""
    for gamma in (30.0, 100.0):
        pair_gas = gy.ground_state_energy(gamma) + gamma**2 / 4
        assert pair_gas == pytest.approx(PI**2 / 48, rel=2 / gamma)
    # the approach is from above, like a gas of hard rods of positive length
    assert gy.ground_state_energy(100.0) + 2500.0 > PI**2 / 48


@pytest.mark.parametrize("edge", [0.01, 1.0, 30.0, 160.0])
def test_convergence_in_number_of_nodes(edge):
    model = MODELS["gaudin-yang"]
    n = node_count(edge)
    gamma, energy = edge_quantities(model, solve_edge(edge, -1, n))
    gamma2, energy2 = edge_quantities(model, solve_edge(edge, -1, 2 * n))
    assert abs(gamma[0] / gamma2[0] - 1) < 1e-13
    assert abs(energy[0] / energy2[0] - 1) < 1e-13


def test_free_fermion_limit_and_monotone():
    gammas = np.geomspace(1e-2, 1e2, 9)
    values = gy.ground_state_energy(gammas)
    assert values[0] == pytest.approx(PI**2 / 12 - 0.01 / 2, rel=1e-4)
    assert np.all(np.diff(values) < 0)


@pytest.mark.parametrize("bad", [0.0, -0.5, math.nan, math.inf, "x", None, 1e-3, 1e3])
def test_bad_gamma_raises_value_error(bad):
    with pytest.raises(ValueError, match=r"gamma=.*0\.01, 100"):
        gy.ground_state_energy(bad)
