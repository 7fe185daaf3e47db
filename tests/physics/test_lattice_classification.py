"""Classification after Yukalov's Eq. (55): the six orderings of the paper's text, crossovers,
the Lindemann-unstable case, and the vectorised phase map against the scalar classifier."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from physics.lattice import STATES, classify, phase_map
from physics.lattice.classification import (
    CONDUCTING_LATTICE,
    CROSSOVER_TD_EK,
    CROSSOVER_TD_OMEGA,
    CROSSOVER_TD_OMEGA_EK,
    DELOCALIZED_CRYSTAL,
    INSULATING_LATTICE,
    LINDEMANN_UNSTABLE,
    LOCALIZED_CRYSTAL,
)

# Each case: (ω/E_K, T_D/E_K, state) with scales 100× apart, quoted from the text after Eq. (55).
PAPER_CASES = [
    (0.01, 0.0, CONDUCTING_LATTICE),  # shallow, 0 ≤ T_D ≪ ω
    (0.01, 1e-4, CONDUCTING_LATTICE),  # shallow, T_D ≪ ω
    (1e-4, 1e-2, DELOCALIZED_CRYSTAL),  # shallow, ω ≪ T_D ≪ E_K
    (0.01, 100.0, LOCALIZED_CRYSTAL),  # shallow, ω ≪ E_K ≪ T_D
    (100.0, 0.01, CONDUCTING_LATTICE),  # deep, 0 < T_D ≪ E_K
    (100.0, 1.0e-300, CONDUCTING_LATTICE),  # deep, T_D → 0
    (1e4, 100.0, INSULATING_LATTICE),  # deep, E_K ≪ T_D ≪ ω
    (100.0, 1e4, LOCALIZED_CRYSTAL),  # deep, E_K ≪ ω ≪ T_D
]


def test_states_tuple_lists_four_states_unstable_case_and_crossovers():
    assert STATES[:4] == (
        "conducting optical lattice",
        "insulating optical lattice",
        "delocalized quantum crystal",
        "localized quantum crystal",
    )
    assert len(set(STATES)) == len(STATES) == 8


@pytest.mark.parametrize(("omega", "TD", "state"), PAPER_CASES)
def test_paper_text_after_eq_55(omega, TD, state):
    assert classify(omega, TD, 0.0, 3) == state


@pytest.mark.parametrize(
    ("omega", "TD", "state"),
    [
        (100.0, 150.0, CROSSOVER_TD_OMEGA),
        (100.0, 40.0, CROSSOVER_TD_OMEGA),
        (1e-3, 2.0, CROSSOVER_TD_EK),
        (1e4, 0.5, CROSSOVER_TD_EK),
        (1.0, 1.5, CROSSOVER_TD_OMEGA_EK),
        (2.0, 0.8, CROSSOVER_TD_OMEGA_EK),
    ],
)
def test_crossovers_where_td_is_within_the_factor_of_a_scale(omega, TD, state):
    assert classify(omega, TD, 0.0, 3, crossover_factor=3.0) == state


def test_crossover_band_follows_the_factor():
    assert classify(100.0, 250.0, crossover_factor=3.0) == CROSSOVER_TD_OMEGA
    assert classify(100.0, 250.0, crossover_factor=2.0) == LOCALIZED_CRYSTAL
    assert classify(1.0, 1.01, crossover_factor=1.0) != CROSSOVER_TD_OMEGA_EK


def test_lindemann_unstable_crystal_at_zero_temperature_in_three_dimensions():
    # Scales say 'crystal' (T_D above ω and E_K) but T_D/E_K < 18 (Eq. 53).
    assert classify(0.01, 10.0, 0.0, 3) == LINDEMANN_UNSTABLE
    assert classify(0.01, 17.9, 0.0, 3) == LINDEMANN_UNSTABLE
    assert classify(0.01, 18.1, 0.0, 3) == LOCALIZED_CRYSTAL


@pytest.mark.parametrize(("d", "threshold"), [(2, 16.0), (3, 18.0)])
def test_zero_temperature_thresholds_separate_stable_and_unstable_crystals(d, threshold):
    assert classify(0.0, threshold * 0.99, 0.0, d) == LINDEMANN_UNSTABLE
    assert classify(0.0, threshold * 1.01, 0.0, d) == LOCALIZED_CRYSTAL


@pytest.mark.parametrize("T_over_EK", [0.0, 1.0])
def test_one_dimensional_crystal_is_always_lindemann_unstable(T_over_EK):
    assert classify(0.01, 1e8, T_over_EK, 1) == LINDEMANN_UNSTABLE


def test_two_dimensional_crystal_melts_at_any_positive_temperature():
    assert classify(0.01, 1e4, 0.0, 2) == LOCALIZED_CRYSTAL
    assert classify(0.01, 1e4, 1e-3, 2) == LINDEMANN_UNSTABLE


def test_high_temperature_melts_the_three_dimensional_crystal():
    # T ≫ T_D: localized iff T_D² > 72 T E_K (1 − 2E_K/T)^{-1} (corrected Eq. 54).
    T = 1e3
    critical = math.sqrt(72.0 * T / (1.0 - 2.0 / T))
    assert classify(0.01, critical * 1.01, T, 3) == LOCALIZED_CRYSTAL
    assert classify(0.01, critical * 0.99, T, 3) == LINDEMANN_UNSTABLE


def _wide_grid():
    depth = np.concatenate([[0.0], np.logspace(-7, math.log10(40.0), 60)])
    TD = np.concatenate([[0.0], np.logspace(-4, 4, 55)])
    return depth, TD


@pytest.mark.parametrize(("d", "T_over_EK"), [(1, 0.0), (2, 0.0), (2, 0.5), (3, 0.0), (3, 30.0)])
def test_phase_map_agrees_with_scalar_classify_cell_by_cell(d, T_over_EK):
    depth, TD = _wide_grid()
    result = phase_map(depth, TD, T_over_EK, d)
    assert result.codes.shape == (TD.size, depth.size)
    scalar = np.array(
        [
            [STATES.index(classify(omega, td, T_over_EK, d)) for omega in result.omega_over_EK]
            for td in TD
        ]
    )
    np.testing.assert_array_equal(result.codes, scalar)


def test_every_state_appears_on_a_wide_three_dimensional_map():
    depth, TD = _wide_grid()
    result = phase_map(depth, TD, 0.0, 3)
    assert set(result.codes.ravel().tolist()) == set(range(len(STATES)))


def test_phase_map_axes_and_lindemann_line():
    depth, TD = _wide_grid()
    result = phase_map(depth, TD, 0.0, 3)
    np.testing.assert_allclose(result.omega_over_EK, 2.0 * math.pi**2 * np.sqrt(depth), rtol=1e-15)
    assert result.labels == STATES
    assert result.lindemann_TD_over_EK == pytest.approx(18.0, rel=1e-15)
    localized = result.codes == STATES.index(LOCALIZED_CRYSTAL)
    rows = np.nonzero(localized.any(axis=1))[0]
    assert np.all(TD[rows] > 18.0)
    np.testing.assert_allclose(result.lindemann_ratio[1:], 3.0 / np.sqrt(2.0 * TD[1:]), rtol=1e-14)
    assert result.label_at(0, 0) == CONDUCTING_LATTICE


def test_phase_map_without_stable_crystal_has_infinite_lindemann_line():
    result = phase_map([1.0, 10.0], [1.0, 1e5], 1.0, 2)
    assert math.isinf(result.lindemann_TD_over_EK)
    assert STATES.index(LOCALIZED_CRYSTAL) not in result.codes


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: classify(1.0, 1.0, 0.0, 4), "d"),
        (lambda: classify(-1.0, 1.0), "omega_over_EK"),
        (lambda: classify(1.0, float("nan")), "TD_over_EK"),
        (lambda: classify(1.0, 1.0, -1.0), "T_over_EK"),
        (lambda: classify(1.0, 1.0, crossover_factor=0.5), "crossover_factor"),
        (lambda: phase_map([-1.0, 1.0], [1.0]), "depth_over_ER"),
        (lambda: phase_map([1.0], [1.0, float("nan")]), "TD_over_EK"),
        (lambda: phase_map([1.0], [1.0], float("inf")), "T_over_EK"),
        (lambda: phase_map([1.0], [1.0], 0.0, 0), "d"),
        (lambda: phase_map([[1.0, 2.0]], [1.0]), "depth_over_ER"),
    ],
)
def test_bad_input_names_parameter_value_and_range(call, name):
    with pytest.raises(ValueError, match=rf"{name}"):
        call()


def test_scales_within_the_default_factor_three_are_a_crossover_and_the_bounds_are_not():
    # '≪' means "smaller by more than the factor" (3 by default): T_D/ω = 2.9 is a crossover,
    # 3.1 and exactly 3 are not; the same against E_K
    assert classify(100.0, 290.0) == CROSSOVER_TD_OMEGA
    assert classify(100.0, 310.0) != CROSSOVER_TD_OMEGA
    assert classify(100.0, 300.0) != CROSSOVER_TD_OMEGA
    assert classify(100.0, 100.0 / 3.0) != CROSSOVER_TD_OMEGA
    assert classify(1e-6, 1 / 2.9) == CROSSOVER_TD_EK
    assert classify(1e-6, 1 / 3.0) != CROSSOVER_TD_EK
    assert classify(1e-6, 3.0) != CROSSOVER_TD_EK


def test_the_largest_crossover_factor_classifies_without_an_overflow_warning():
    # ω·factor overflows to ∞ at factor = 1.8e308: every T_D is within the factor of ω, as at
    # factor = 1e300 (the same classification, and no RuntimeWarning)
    largest = phase_map([0.5, 5.0], [0.1, 10.0], crossover_factor=1e300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = phase_map([0.5, 5.0], [0.1, 10.0], crossover_factor=np.finfo(float).max)
    np.testing.assert_array_equal(result.codes, largest.codes)
