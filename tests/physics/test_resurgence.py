"""Large-order tools against exact statements: Eq. (32) limits 8π and π², Richardson on
sequences with known expansions, Borel–Padé sums against the Bethe-ansatz energy (Eq. 33)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from physics.gaudin_yang import ground_state_energy as gy_energy
from physics.lieb_liniger import ground_state_energy as ll_energy
from physics.resurgence import (
    borel_pade_poles,
    borel_pade_sum,
    borel_singularity_estimate,
    nonperturbative_scale,
    ratio_sequence,
    richardson_transform,
)

TARGETS = {"lieb-liniger": 8 * math.pi, "gaudin-yang": math.pi**2}


def test_richardson_is_exact_on_a_polynomial_in_one_over_k():
    ks = np.arange(5, 30)
    with mpmath.workdps(50):
        values = np.array(
            [
                mpmath.mpf(3) + mpmath.mpf(2) / k - mpmath.mpf(7) / k**2 + mpmath.mpf(1) / k**3
                for k in ks
            ],
            dtype=object,
        )
    for order in (3, 4):
        out_k, transformed = richardson_transform((ks, values), order)
        assert len(out_k) == len(ks) - order
        assert max(abs(float(t) - 3) for t in transformed) < 1e-40
    _, first = richardson_transform((ks, values), 1)
    assert abs(float(first[-1]) - 3) > 1e-4  # order 1 leaves the 1/k² term


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_ratio_sequence_shift_and_limit(model):
    ks, ratios = ratio_sequence(model)
    assert ks[0] == (1 if model == "lieb-liniger" else 2)
    assert abs(float(ratios[-1]) / TARGETS[model] - 1) < 2e-3


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_borel_singularity_is_8pi_and_pi_squared_to_8_digits(model):
    """Eq. (32): the paper guessed the values to 5 digits; the order-100 tables give ≥ 8."""
    value, error = borel_singularity_estimate(model)
    target = TARGETS[model]
    assert abs(value - target) <= 1e-8 * target
    assert error <= 1e-8 * target
    assert abs(value - target) <= 5 * error + 1e-14


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_borel_pade_poles_start_at_the_singularity(model):
    poles = borel_pade_poles(model, 20)
    on_axis = poles[(np.abs(poles.imag) < 1e-6 * np.abs(poles)) & (poles.real > 0)]
    first = on_axis.real.min()
    assert abs(first / TARGETS[model] - 1) < 1e-3


@pytest.mark.parametrize(
    ("model", "energy", "gamma"),
    [("lieb-liniger", ll_energy, 0.5), ("gaudin-yang", gy_energy, 0.5)],
)
def test_lateral_borel_pade_sum_matches_bethe_ansatz_and_eq_33(model, energy, gamma):
    result = borel_pade_sum(model, gamma, 20)
    exact = energy(gamma)
    assert abs(float(result.value.real) - exact) <= 2e-12 * abs(exact)
    ratio = abs(float(result.value.imag)) / float(result.nonperturbative_scale)
    assert 1e-2 < ratio < 1e2


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_ambiguity_decays_with_the_exponent_of_eq_33(model):
    """d log|Im e| / d(1/√γ) → −8π (LL), d log|Im e| / d(1/γ) → −π² (GY), up to the prefactor."""
    gammas = (0.25, 0.2)
    ims = [abs(float(borel_pade_sum(model, g, 20).value.imag)) for g in gammas]
    if model == "lieb-liniger":
        variable = [1 / math.sqrt(g) for g in gammas]
    else:
        variable = [1 / g for g in gammas]
    slope = (math.log(ims[1]) - math.log(ims[0])) / (variable[1] - variable[0])
    assert slope == pytest.approx(-TARGETS[model], rel=0.1)


def test_bad_input():
    with pytest.raises(ValueError, match="model"):
        ratio_sequence("xx")
    with pytest.raises(ValueError, match="gamma"):
        borel_pade_sum("lieb-liniger", -1.0)
    with pytest.raises(ValueError, match="order"):
        richardson_transform(ratio_sequence("lieb-liniger"), 10_000)


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
@pytest.mark.parametrize("gamma", [0.5, 1.0, 2.0])
def test_optimal_truncation_error_is_of_the_nonperturbative_scale(model, gamma):
    """Eq. (33): the smallest |e − e_N| over N is of the size of the ambiguity e^{−A/g}."""
    from physics.series import truncation_errors

    _orders, errors = truncation_errors(model, gamma)
    assert 1e-2 < np.min(errors) / nonperturbative_scale(model, gamma) < 10.0


def test_nonperturbative_scale_closed_form_and_bad_input():
    assert nonperturbative_scale("lieb-liniger", 4.0) == pytest.approx(math.exp(-4 * math.pi))
    assert nonperturbative_scale("gaudin-yang", [math.pi**2])[0] == pytest.approx(math.exp(-1))
    with pytest.raises(ValueError, match="gamma"):
        nonperturbative_scale("lieb-liniger", 0.0)


def test_too_short_a_table_for_the_transforms_names_a_valid_order():
    """QA: order 3 was told 'valid: max_transform <= 0', outside max_transform's own [2, 30];
    the message names the order that suffices, and a smaller max_transform only where one is
    valid. The orders it names do run."""
    with pytest.raises(ValueError, match=r"valid: order >= 17$"):
        borel_singularity_estimate("lieb-liniger", 3)
    with pytest.raises(ValueError, match=r"valid: order >= 17 or max_transform <= 7 \("):
        borel_singularity_estimate("lieb-liniger", 10)
    assert math.isfinite(borel_singularity_estimate("lieb-liniger", 17)[0])
    assert math.isfinite(borel_singularity_estimate("lieb-liniger", 10, 7)[0])
