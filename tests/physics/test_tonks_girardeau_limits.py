"""Sizes a caller chooses together are bounded together (issue 16 §4: every user-chosen size
has a limit; no call from valid-looking arguments takes many minutes or gigabytes).

Each size of :mod:`physics.tonks_girardeau` has its own limit, but their product did not: 100
orbital sets × 10⁵ base points made ``density_matrix_rows`` allocate 11.7 GB, and N = 1024
with 1024 realisations was accepted by every averaged function (weeks of CPU). The refusals
come before any work, name the parameters and state the limit
(:mod:`physics.tonks_girardeau.limits`).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import physics.tonks_girardeau as tg
from physics.tonks_girardeau import density_matrix, limits


def test_density_matrix_rows_refuses_a_batch_beyond_the_memory_limit():
    orbitals = tg.lowest_orbitals(2, 2.0, None, twist=np.pi)
    with pytest.raises(
        ValueError,
        match=r"^orbital_sets \(100 sets\) x base_indices \(100000 points\) x \(steps \+ 1\) "
        rf"\(5\).* at most {limits.MAX_SWEEP_VALUES} ",
    ):
        tg.density_matrix_rows([orbitals] * 100, 32, np.zeros(10**5, int), 4)


def test_density_matrix_rows_counts_the_working_values_it_states(monkeypatch):
    # R (B (S + 1) + M) N (q + 1) + R B N², at a small limit: the largest batch of base points
    # inside it is computed (the clean ring's single orbital gives |γ| = N/L = 1), one more is
    # refused
    monkeypatch.setattr(density_matrix, "MAX_SWEEP_VALUES", 10_000)
    orbitals = tg.lowest_orbitals(1, 1.0, None, twist=0.0)
    order = density_matrix.quadrature_order(orbitals, 8)
    per_base = 2 * (order + 1) + 1  # steps + 1 = 2 points of N = 1 orbital, plus B N²
    most = (10_000 - 8 * (order + 1)) // per_base
    rows = tg.density_matrix_rows([orbitals], 8, np.zeros(most, int), 1)
    np.testing.assert_allclose(np.abs(rows), 1.0, rtol=1e-12)
    with pytest.raises(ValueError, match=rf"base_indices \({most + 1} points\).* at most 10000 "):
        tg.density_matrix_rows([orbitals], 8, np.zeros(most + 1, int), 1)


def _most_realisations(n_particles: int, calls: int = 1) -> int:
    per_realisation = limits.COST_PER_REALISATION_S * (n_particles / 64) ** limits.COST_EXPONENT
    return math.floor(limits.COST_BUDGET_S / (calls * per_realisation))


AVERAGED = {
    "decay_statistics": lambda n, r: tg.decay_statistics(n, float(n), "gaussian", 1.0, r),
    "averaged_decay": lambda n, r: tg.averaged_decay(n, float(n), "gaussian", 1.0, r),
    "fermi_energy": lambda n, r: tg.fermi_energy(n, float(n), "gaussian", 1.0, r),
    "superfluid_density": lambda n, r: tg.superfluid_density(n, float(n), "gaussian", 1.0, r),
}


@pytest.mark.parametrize("function", AVERAGED.values(), ids=AVERAGED.keys())
def test_an_averaged_function_refuses_more_realisations_than_its_cpu_budget(function):
    most = _most_realisations(256)
    assert 1 <= most < limits.MAX_REALISATIONS  # each limit alone would accept the call
    with pytest.raises(
        ValueError,
        match=rf"^n_particles=256 with realisations={most + 1} would take about .* s of CPU, "
        rf"above the limit of {limits.COST_BUDGET_S:.0f} s per call; valid: at "
        rf"n_particles=256 at most {most} realisations$",
    ):
        function(256, most + 1)


@pytest.mark.parametrize("function", AVERAGED.values(), ids=AVERAGED.keys())
def test_the_largest_particle_number_is_refused_when_one_realisation_is_over_budget(function):
    assert _most_realisations(limits.MAX_PARTICLES) == 0
    with pytest.raises(ValueError, match=r"n_particles=1024 is beyond it even with 1 realisation"):
        function(limits.MAX_PARTICLES, 1024)


def test_localisation_versus_decay_counts_every_strength():
    # decay and chemical potential at each strength: 2 × 3 averages of R realisations
    most = _most_realisations(128, calls=6)
    with pytest.raises(
        ValueError, match=rf"at most {most} realisations for each of 3 strengths \(decay and"
    ):
        tg.localisation_versus_decay(128, "gaussian", [1.0, 2.0, 3.0], realisations=most + 1)


def test_superfluid_density_curve_counts_every_length():
    most = _most_realisations(256, calls=2)
    with pytest.raises(ValueError, match=rf"at most {most} realisations at each of 2 lengths"):
        tg.superfluid_density_curve([128.0, 256.0], "gaussian", 1.0, realisations=most + 1)
