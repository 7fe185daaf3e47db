"""Weak-coupling series: generator against the paper's closed forms, self-consistency checks
that can fail (λ₀-independence, precision-independence, bulk remainder), the shipped tables
against a fresh regeneration, and the series against the exact Bethe-ansatz energies."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from physics.gaudin_yang import ground_state_energy as gy_energy
from physics.lieb_liniger import ground_state_energy as ll_energy
from physics.series import (
    generate_weak_coupling_coefficients,
    optimal_truncation_order,
    partial_sum,
    run_generation,
    series_terms,
    truncation_errors,
    weak_coupling_coefficients,
)
from physics.series._tables import agreed_digits, load_table
from tests.support.references import marino_reis_eq29, marino_reis_eq30

DPS = 70


CLOSED_FORMS = {"lieb-liniger": marino_reis_eq29, "gaudin-yang": marino_reis_eq30}


def digits(a, b) -> int:
    with mpmath.workdps(DPS + 20):
        return agreed_digits(mpmath.mpf(a), mpmath.mpf(b), 200)


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_generator_reproduces_the_closed_forms_of_eqs_29_30(model):
    with mpmath.workdps(DPS + 20):
        expected = CLOSED_FORMS[model]()
    computed = generate_weak_coupling_coefficients(model, len(expected) - 1, dps=DPS)
    assert min(digits(c, e) for c, e in zip(computed, expected, strict=True)) >= 60


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_shipped_table_matches_the_closed_forms_to_30_digits(model):
    with mpmath.workdps(DPS + 20):
        expected = CLOSED_FORMS[model]()
        shipped = weak_coupling_coefficients(model, len(expected) - 1)
        assert min(digits(c, e) for c, e in zip(shipped, expected, strict=True)) >= 30


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_result_is_independent_of_the_log_b_substitute_and_of_precision(model):
    """log B is replaced by a number (design note §7); the exact c_k cannot depend on it."""
    first = run_generation(model, 16, dps=60, log_b_substitute="-log(4)")
    second = run_generation(model, 16, dps=75, log_b_substitute=1.75)
    agreement = [digits(a, b) for a, b in zip(first.coefficients, second.coefficients, strict=True)]
    assert min(agreement) >= 40
    # The bulk difference equation leaves no component outside the ansatz (16)/(18).
    assert first.bulk_residual < 1e-40 and second.bulk_residual < 1e-50


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_shipped_table_is_reproduced_by_the_code(model):
    """A fresh low-order run agrees with every stored digit: the table cannot drift."""
    table = load_table(model)
    fresh = generate_weak_coupling_coefficients(model, 20, dps=75)
    shipped = weak_coupling_coefficients(model, 20)
    for k, (a, b) in enumerate(zip(fresh, shipped, strict=True)):
        stored = table["digits_verified"][k]
        assert digits(a, b) >= min(stored, 50) - 1, k


@pytest.mark.parametrize("model", ["lieb-liniger", "gaudin-yang"])
def test_shipped_tables_reach_order_100_with_30_certified_digits(model):
    table = load_table(model)
    assert table["order"] >= 100
    assert len(table["coefficients"]) == table["order"] + 1
    assert min(table["digits_verified"]) >= 30
    runs = table["provenance"]["runs"]
    assert runs[0]["dps"] != runs[1]["dps"]
    assert runs[0]["log_b_substitute"] != runs[1]["log_b_substitute"]


def test_high_orders_agree_with_an_independent_implementation():
    """Design note weak-coupling-method.md §11: an independent code (dps 135, λ₀ = 0.5) gave
    LL c_70 = −5.0976, GY c_70 = −1.9961e27 and LL r_65 … r_69 = 25.148204 … 25.146431."""
    assert float(weak_coupling_coefficients("lieb-liniger", 70)[70]) == pytest.approx(
        -5.0976, abs=1e-4
    )
    assert float(weak_coupling_coefficients("gaudin-yang", 70)[70]) == pytest.approx(
        -1.9961e27, rel=1e-4
    )
    c = weak_coupling_coefficients("lieb-liniger", 70)
    ratios = [float(k * c[k] / c[k + 1]) for k in range(65, 70)]
    expected = [25.148204, 25.147729, 25.147277, 25.146844, 25.146431]
    assert ratios == pytest.approx(expected, abs=2e-6)


def test_large_order_signs_match_the_non_alternating_pattern():
    """Mariño–Reis after Eq. (32): both series are non-alternating (factorial, one sign)."""
    ll = weak_coupling_coefficients("lieb-liniger", 100)
    gy = weak_coupling_coefficients("gaudin-yang", 100)
    assert all(c < 0 for c in ll[3:]) and ll[2] > 0
    assert all(c < 0 for c in gy[1:]) and gy[0] > 0


@pytest.mark.parametrize(
    ("model", "gamma", "energy"),
    [("lieb-liniger", 0.3, ll_energy), ("gaudin-yang", 0.3, gy_energy)],
)
def test_optimal_truncation_agrees_with_the_bethe_ansatz_energy(model, gamma, energy):
    """Independent route: Nyström solution of Eqs. (2)-(7) (relative accuracy 1e-12)."""
    order = optimal_truncation_order(model, gamma)
    assert 5 < order < 100
    exact = energy(gamma)
    series = partial_sum(model, gamma, order)
    assert abs(series - exact) <= 1e-11 * abs(exact)
    # Low orders are visibly worse: the series really converges towards the exact value first.
    assert abs(partial_sum(model, gamma, 3) - exact) > 1e3 * abs(series - exact)


def test_truncation_error_curve_has_its_minimum_near_the_optimal_order():
    orders, errors = truncation_errors("gaudin-yang", 0.8)
    assert orders[0] == 0 and len(orders) == len(errors)
    best = optimal_truncation_order("gaudin-yang", 0.8)
    assert errors[0] > 1e-2
    # The error first falls to the Bethe-ansatz accuracy or the ambiguity, then grows again.
    assert errors[best] < 1e-4 * errors[1]
    assert errors[-1] > 1e3 * errors[best]
    assert abs(int(np.argmin(errors)) - best) <= max(3, best // 4)


@pytest.mark.parametrize(("model", "gamma"), [("gaudin-yang", 0.8), ("lieb-liniger", 2.0)])
def test_optimal_order_is_the_index_of_the_smallest_term(model, gamma):
    terms = series_terms(model, gamma)
    best = optimal_truncation_order(model, gamma)
    assert 1 < best < len(terms) - 1  # an interior minimum at these couplings
    assert terms[best] == terms[1:].min()


def test_partial_sum_at_zero_coupling_is_the_free_gas():
    with mpmath.workdps(30):
        # Mariño–Reis Eq. (30): e_F(0) = c_0 = π²/12; Eq. (29): e_B = γ Σ c_k γ^{k/2} → 0
        free = partial_sum("gaudin-yang", mpmath.mpf(0), 5)
        assert abs(free - marino_reis_eq30()[0]) < mpmath.mpf(10) ** -28
        assert partial_sum("lieb-liniger", mpmath.mpf(0), 5) == 0


def test_partial_sum_is_vectorised_and_takes_mpf():
    gammas = np.array([0.05, 0.1, 0.2])
    values = partial_sum("lieb-liniger", gammas, 12)
    assert values.shape == (3,)
    with mpmath.workdps(40):
        precise = partial_sum("lieb-liniger", mpmath.mpf("0.1"), 12)
        assert isinstance(precise, mpmath.mpf)
    assert abs(float(precise) - values[1]) < 1e-15
    # e_B(γ) → γ − 4γ^{3/2}/(3π) (Eq. 8).
    assert partial_sum("lieb-liniger", 1e-6, 1) == pytest.approx(1e-6 - 4e-9 / (3 * np.pi))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: weak_coupling_coefficients("lieb-liniger", -1), "order"),
        (lambda: weak_coupling_coefficients("lieb-liniger", 2.5), "order"),
        (lambda: weak_coupling_coefficients("bose", 3), "model"),
        (lambda: weak_coupling_coefficients("gaudin-yang", 10_000), "qgas coefficients"),
        (lambda: generate_weak_coupling_coefficients("lieb-liniger", -3), "order"),
        (lambda: partial_sum("lieb-liniger", -0.1, 3), "gamma"),
        (lambda: partial_sum("lieb-liniger", 0.1, 10_000), "qgas coefficients"),
    ],
)
def test_bad_input_raises_value_error_naming_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def _smallest_term_index(model: str, gamma: str) -> int:
    """argmin over 1 <= k <= table order of |c_k g^k| at 50 digits (no underflow)."""
    top = load_table(model)["order"]
    with mpmath.workdps(50):
        value = mpmath.mpf(gamma)
        variable = mpmath.sqrt(value) if model == "lieb-liniger" else value
        c = weak_coupling_coefficients(model, top)
        return min(range(1, top + 1), key=lambda k: abs(c[k]) * variable**k)


@pytest.mark.parametrize(
    ("model", "gamma"),
    [
        ("gaudin-yang", "1e-4"),  # |c_100 γ^100| = 1e-345: below the float64 range
        ("gaudin-yang", "1e-6"),
        ("gaudin-yang", "0.05"),
        ("gaudin-yang", "1.0"),
        ("lieb-liniger", "1e-8"),
        ("lieb-liniger", "1e-300"),
        ("lieb-liniger", "0.01"),
        ("lieb-liniger", "1.0"),
    ],
)
def test_optimal_order_is_the_smallest_term_even_where_the_terms_underflow(model, gamma):
    from physics.resurgence_sums import optimal_truncation

    expected = _smallest_term_index(model, gamma)
    assert optimal_truncation_order(model, float(gamma)) == expected
    if float(gamma) >= 1e-300:
        assert optimal_truncation(model, float(gamma)).order == expected


def test_optimal_order_is_the_table_order_when_the_true_one_lies_beyond_it():
    # N* ≈ A/g grows without bound as g → 0 (Eq. 33): beyond the table, its last order
    for model, gamma in [("gaudin-yang", 1e-4), ("lieb-liniger", 1e-8), ("lieb-liniger", 1e-300)]:
        assert optimal_truncation_order(model, gamma) == load_table(model)["order"]


def test_an_order_beyond_the_table_names_the_command_that_extends_the_shipped_table():
    """QA: the hint named `qgas coefficients … --order 101`, which writes a copy in the
    user's data directory that the physics never reads; the same call then failed again."""
    with pytest.raises(ValueError, match=r"order=101 .* --order 101 --replace-shipped`"):
        weak_coupling_coefficients("lieb-liniger", 101)
