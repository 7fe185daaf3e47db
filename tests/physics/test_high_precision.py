"""The arbitrary-precision Bethe solvers (``ground_state_energy(gamma, digits=...)``).

Expected values come from outside the high-precision code: the double-precision solver where
they overlap, the certified weak-coupling series (Mariño-Reis Eq. 31, shipped tables) where its
optimal truncation error e^{-8 pi/sqrt(gamma)} (LL) or e^{-pi^2/gamma} (GY) is below the digits
asked, the exact strong-coupling series (shipped exact fractions) at large gamma, and the solver's
own refinement (40 against 60 digits). Couplings are dyadic (exact in binary), so that the
float given and the mpf of the series are the same number.
"""

from __future__ import annotations

import re

import mpmath
import pytest

from physics import (
    _high_precision,
    gaudin_yang,
    gaudin_yang_repulsive,
    lieb_liniger,
    resurgence_repulsive,
    resurgence_table,
)
from physics.series import partial_sum, strong_coupling_coefficients

MODULES = {"lieb-liniger": lieb_liniger, "gaudin-yang": gaudin_yang}


@pytest.mark.parametrize(
    ("model", "gamma"),
    [
        ("lieb-liniger", 0.125),
        ("lieb-liniger", 1.0),
        ("lieb-liniger", 24.0),
        ("gaudin-yang", 0.375),
        ("gaudin-yang", 2.5),
        ("gaudin-yang", 20.0),
    ],
)
def test_agrees_with_double_precision_solver(model, gamma):
    module = MODULES[model]
    value = module.ground_state_energy(gamma, digits=20)
    assert isinstance(value, mpmath.mpf)
    reference = module.ground_state_energy(gamma)
    assert abs(float(value) - reference) <= 1e-13 * abs(reference)


@pytest.mark.parametrize(("model", "gamma"), [("lieb-liniger", 1.0), ("gaudin-yang", 0.5)])
def test_forty_digits_agree_with_sixty(model, gamma):
    module = MODULES[model]
    value, error = module.ground_state_energy_with_error(gamma, 40)
    refined, _ = module.ground_state_energy_with_error(gamma, 60)
    assert error <= mpmath.mpf(10) ** -40 * abs(value)
    with mpmath.workdps(80):
        assert abs(value - refined) <= mpmath.mpf(10) ** -40 * abs(refined)
        assert abs(value - refined) > 0  # a genuinely separate computation


@pytest.mark.parametrize(
    ("model", "gamma", "order", "digits"),
    [
        # smallest term at k = 100: ~1e-44 relative (e^{-8 pi / 0.25} = 2e-44)
        ("lieb-liniger", 0.0625, 100, 40),
        # smallest term at k = 51: 9e-24 (e^{-pi^2 / 0.2} ~ 4e-22 times a power of gamma)
        ("gaudin-yang", 0.1875, 45, 20),
    ],
)
def test_weak_coupling_series(model, gamma, order, digits):
    module = MODULES[model]
    value, _ = module.ground_state_energy_with_error(gamma, digits)
    with mpmath.workdps(digits + 20):
        series = partial_sum(model, mpmath.mpf(gamma), order)
        assert abs(value - series) <= mpmath.mpf(10) ** -digits * abs(series)


def _strong_coupling(model: str, gamma: mpmath.mpf) -> mpmath.mpf:
    """Exact 1/gamma series to order 20 (LL: e; GY: e_F + gamma^2/4, then the pair energy)."""
    total = mpmath.mpf(0)
    for k, a in enumerate(strong_coupling_coefficients(model, 20)):
        coefficient = sum(
            mpmath.mpf(c.numerator) / c.denominator * mpmath.pi ** (2 * j) for j, c in enumerate(a)
        )
        total += coefficient / gamma**k
    if model == "lieb-liniger":
        return mpmath.pi**2 / 3 * total
    return mpmath.pi**2 / 48 * total - gamma**2 / 4


@pytest.mark.parametrize(
    ("model", "gamma", "digits"),
    [("lieb-liniger", 2048.0, 40), ("gaudin-yang", 96.0, 22)],
)
def test_strong_coupling_series(model, gamma, digits):
    value, _ = MODULES[model].ground_state_energy_with_error(gamma, digits)
    with mpmath.workdps(digits + 20):
        series = _strong_coupling(model, mpmath.mpf(gamma))
        assert abs(value - series) <= mpmath.mpf(10) ** -digits * abs(series)


@pytest.mark.parametrize("digits", [0, 61, -3])
def test_digits_out_of_range(digits):
    with pytest.raises(ValueError, match="digits"):
        lieb_liniger.ground_state_energy(1.0, digits=digits)


@pytest.mark.parametrize("digits", [2.5, True, "30"])
def test_digits_wrong_type(digits):
    with pytest.raises(TypeError, match="digits"):
        gaudin_yang.ground_state_energy(1.0, digits=digits)


@pytest.mark.parametrize("gamma", [1e-3, 2e4, [1.0, 2.0], float("nan")])
def test_gamma_outside_high_precision_range(gamma):
    with pytest.raises(ValueError, match="gamma"):
        lieb_liniger.ground_state_energy_with_error(gamma, 10)


def test_takahashi_kernel_by_taylor_panels_agrees_with_the_digamma_closed_form():
    """The repulsive gas's kernel (1/π) Re β(1 − iu) in the Arb solve (Taylor polynomials from
    the lgamma series, panel by panel) against acb digammas at 400 bits, on the whole range of
    node differences at γ = 0.1 (|u| ≤ 2B ≈ 33), at 180 bits."""
    import random

    from flint import arb

    from physics._kernels import TAKAHASHI
    from physics._nystrom_arb import WorkingPrecision, _alternating_kernel

    rng = random.Random(7)
    u = [0.0, 1e-3, 0.25, 1.0, 10.0, 34.9] + [rng.uniform(-35.0, 35.0) for _ in range(200)]
    with WorkingPrecision(400):
        reference = TAKAHASHI.remainder_arb([arb(v) for v in u], 0)
    with WorkingPrecision(180):
        values = _alternating_kernel(TAKAHASHI, [arb(v) for v in u])
    with WorkingPrecision(400):
        worst = max(abs(v.mid() / r - 1) for v, r in zip(values, reference, strict=True))
    assert float(worst.mid()) < 1e-52


class _Started(Exception):
    """Raised instead of the first Arb solve: the request passed every check."""


@pytest.fixture
def no_solve(monkeypatch):
    """Stop each call at its first Arb solve, so that accepted requests cost nothing here."""

    def started(*args, **kwargs):
        raise _Started

    monkeypatch.setattr(_high_precision, "_solve", started)


@pytest.mark.parametrize(
    ("module", "gamma", "digits"),
    [(gaudin_yang, 0.02, 40), (gaudin_yang, 0.02, 60), (gaudin_yang, 0.03, 60)],
)
def test_a_request_beyond_a_gigabyte_is_refused_with_the_digits_allowed_at_its_gamma(
    module, gamma, digits, no_solve
):
    # Gaudin-Yang at gamma = 0.02 and 40 digits took 4.3 GB and over a minute (issue 16 §4)
    pattern = (
        rf"^digits={digits} at gamma={gamma} .*; valid at gamma={gamma}: digits in \[1, (\d+)\]"
    )
    with pytest.raises(ValueError, match=pattern) as refused:
        module.ground_state_energy(gamma, digits=digits)
    most = int(re.match(pattern, str(refused.value)).group(1))
    assert most < digits
    with pytest.raises(_Started):  # the digits it states are accepted
        module.ground_state_energy(gamma, digits=most)


def _shipped_requests():
    """(model, gamma, digits) of every high-precision energy the shipped tables hold."""
    requests = []
    for model, gammas, digits in [
        ("lieb-liniger", resurgence_table.TABLE_GAMMAS, resurgence_table.EXACT_DIGITS),
        ("gaudin-yang", resurgence_table.TABLE_GAMMAS, resurgence_table.EXACT_DIGITS),
        ("gaudin-yang-repulsive", resurgence_repulsive.GAMMAS, resurgence_repulsive.EXACT_DIGITS),
    ]:
        low, high = _high_precision.MODELS[model].gamma_range
        requests += [(model, g, digits) for g in gammas if low <= g <= high]
    return requests


def test_every_shipped_table_and_the_documented_benchmark_range_stay_allowed(no_solve):
    modules = {**MODULES, "gaudin-yang-repulsive": gaudin_yang_repulsive}
    benchmark = [(m, g, 30) for m in MODULES for g in (0.05, 0.1, 0.3, 1.0, 3.0, 10.0)]
    lieb_liniger_edge = [("lieb-liniger", 0.01, 60)]  # 0.64 GB, 10 s: inside the limit
    for model, gamma, digits in _shipped_requests() + benchmark + lieb_liniger_edge:
        with pytest.raises(_Started):
            modules[model].ground_state_energy(gamma, digits=digits)
