"""Every array argument has a size limit, refused up front with the parameter, its size and it.

An array of 1e5 couplings made ``lieb_liniger.ground_state_energy`` run for minutes (one
integral-equation solve per value). Functions that solve per value accept at most
``MAX_SOLVER_VALUES`` values, vectorised closed forms at most ``MAX_ARRAY_VALUES``
(``physics._validate``); the refusal names the parameter, the size and the limit.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from physics import gaudin_yang, gaudin_yang_repulsive, lattice, lieb_liniger, polaron, spin_gap
from physics._validate import MAX_ARRAY_VALUES, MAX_SOLVER_VALUES
from physics.series import partial_sum
from physics.strong_coupling import strong_coupling_energy

SOLVERS = [
    lieb_liniger.ground_state_energy,
    lieb_liniger.energy_derivative,
    lieb_liniger.chemical_potential,
    lieb_liniger.sound_velocity,
    gaudin_yang.ground_state_energy,
    gaudin_yang_repulsive.ground_state_energy,
    polaron.inverse_mass_ratio,
    spin_gap.gap,
]


@pytest.mark.parametrize("function", SOLVERS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_a_solver_refuses_more_couplings_than_its_limit(function):
    # one repeated coupling: without the limit the call would be cheap (cached) and succeed
    gammas = np.full(MAX_SOLVER_VALUES + 1, 2.0)
    with pytest.raises(ValueError, match=rf"^gamma has {MAX_SOLVER_VALUES + 1} values .*"):
        function(gammas)
    with pytest.raises(ValueError, match=rf"at most {MAX_SOLVER_VALUES} values"):
        function(gammas.reshape(-1, 1))


def test_a_solver_accepts_exactly_its_limit():
    energies = lieb_liniger.ground_state_energy(np.full(MAX_SOLVER_VALUES, 2.0))
    assert energies.shape == (MAX_SOLVER_VALUES,)
    assert np.all(energies == lieb_liniger.ground_state_energy(2.0))


@pytest.mark.parametrize(
    "call",
    [
        lambda g: strong_coupling_energy(g, "lieb-liniger"),
        lambda g: partial_sum("lieb-liniger", g, 4),
    ],
    ids=["strong_coupling_energy", "partial_sum"],
)
def test_a_closed_form_refuses_more_values_than_the_array_limit(call):
    with pytest.raises(ValueError, match=rf"^gamma has {MAX_ARRAY_VALUES + 1} values"):
        call(np.ones(MAX_ARRAY_VALUES + 1))
    assert call(np.ones(8)).shape == (8,)


def test_arrays_that_broadcast_to_more_than_the_limit_are_refused():
    # (N, 1) and (1, N) arrays, each small, broadcast to N^2 values: refused by their shapes
    side = math.isqrt(MAX_ARRAY_VALUES) + 1
    column, row = np.ones((side, 1)), np.ones((1, side))
    with pytest.raises(ValueError, match=rf"TD_over_EK \({side}, 1\), T_over_EK \(1, {side}\)"):
        lattice.lindemann_ratio(column, row)
    with pytest.raises(ValueError, match=rf"broadcast to {side * side} values; valid: at most"):
        lattice.phase_map(np.ones(side), np.ones(side))
    with pytest.raises(ValueError, match=r"wavelength \(3,\), mass \(2,\) do not broadcast"):
        lattice.recoil_energy(np.ones(3), np.ones(2))
    assert lattice.lindemann_ratio(np.ones((4, 1)), np.ones((1, 5))).shape == (4, 5)


def test_a_numpy_scalar_is_named_by_its_value_not_numpy_2s_repr():
    """QA: 'grid.order=np.float64(1.5) is not an integer', 'gamma=np.float64(nan) is
    outside …': a message shows the value as the user wrote it."""
    from physics._validate import integer, real_scalar

    with pytest.raises(ValueError, match=r"^order=1\.5 is not an integer"):
        integer("order", np.float64(1.5), 0, 10)
    with pytest.raises(ValueError, match=r"^gamma=nan is outside"):
        real_scalar("gamma", np.float64("nan"), 0.0, 1.0)
