"""Borel sums of the repulsive Gaudin–Yang series against the exact energy (issue 20, §4).

Truths from outside the resummation code: the exact energy of Takahashi's charge equation
(Arb, and its double-precision route), and convergence in the resummation order.
"""

from __future__ import annotations

import copy

import mpmath
import pytest

from physics import _assets, resurgence_repulsive, resurgence_sums
from physics import gaudin_yang_repulsive as gyr

MODEL = resurgence_repulsive.MODEL


@pytest.fixture(scope="module")
def exact_at_one() -> mpmath.mpf:
    value, error = gyr.ground_state_energy_with_error(1.0, 30)
    assert error <= mpmath.mpf(10) ** -30 * abs(value)
    return value


def _relative(approximation, exact) -> mpmath.mpf:
    with mpmath.workdps(40):
        return abs(mpmath.re(approximation) / exact - 1)


def test_high_precision_energy_agrees_with_the_double_precision_route(exact_at_one):
    assert float(exact_at_one) == pytest.approx(gyr.ground_state_energy(1.0), rel=1e-13)


def test_pade_sum_converges_to_the_exact_energy_as_the_order_grows(exact_at_one):
    """γ = 1: [n/n] Borel–Padé of the alternating series; measured 2.0e-12, 4.7e-17, 5.2e-26,
    1.8e-34 at n = 5, 10, 20, 30 — past the 30 digits of the exact value at n = 30."""
    errors = [
        _relative(resurgence_sums.lateral_borel_pade_sum(MODEL, 1.0, n), exact_at_one)
        for n in (5, 10, 20, 30)
    ]
    assert errors == sorted(errors, reverse=True)
    assert errors[0] < 1e-10
    assert errors[-1] < 1e-29
    # optimal truncation stops at the smallest term, ~ e^{-π²/γ}: 6e-6 here
    truncated = resurgence_sums.optimal_truncation(MODEL, 1.0)
    assert 1e-7 < _relative(truncated.value, exact_at_one) < 1e-4


def test_conformal_sum_converges_to_the_exact_energy_as_the_order_grows(exact_at_one):
    """Measured 2.0e-16, 9.8e-23, 9.7e-30 with 20, 40, 60 terms."""
    errors = [
        _relative(resurgence_sums.conformal_borel_sum(MODEL, 1.0, n), exact_at_one)
        for n in (20, 40, 60)
    ]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < 1e-27


def test_the_alternating_sums_are_real():
    """B(−ζ) has no singularity on the Laplace ray: no imaginary part (the attractive sum at the
    same γ has one of size ~e^{−π²/γ})."""
    assert resurgence_sums.lateral_borel_pade_sum(MODEL, 0.5, 20).imag == 0
    assert abs(resurgence_sums.conformal_borel_sum(MODEL, 0.5, 40).imag) < 1e-30
    assert abs(resurgence_sums.lateral_borel_pade_sum("gaudin-yang", 0.5, 20).imag) > 1e-10


def test_shipped_table_records_provenance_and_its_exact_values_are_the_solver_energies():
    table = _assets.read_table(*resurgence_repulsive.TABLE)
    provenance = table["provenance"]
    assert provenance["command"].startswith("qgas precompute")
    assert set(provenance["wall_seconds"]) == {f"gamma={g:g}" for g in resurgence_repulsive.GAMMAS}
    rows = resurgence_repulsive.shipped_rows()
    assert [row["gamma"] for row in rows] == list(resurgence_repulsive.GAMMAS)
    for row in rows:
        assert float(row["exact"]) == pytest.approx(
            gyr.ground_state_energy(row["gamma"]), rel=1e-13
        )
        assert mpmath.mpf(row["exact_error"]) < mpmath.mpf(10) ** -40


def test_shipped_table_shows_the_digits_growing_with_the_order():
    """At every γ of the table the highest-order Borel–Padé sum beats the lowest and beats
    optimal truncation wherever e^{−π²/γ} is not already below the exact value's 40 digits."""
    with mpmath.workdps(50):
        for row in resurgence_repulsive.shipped_rows():
            exact = mpmath.mpf(row["exact"])
            pade = [abs(mpmath.mpf(v) / exact - 1) for v in row["pade"]]
            optimal = abs(mpmath.mpf(row["optimal"]) / exact - 1)
            assert pade[-1] < 1e-6 * pade[0]
            if row["gamma"] >= 0.3:
                assert pade[-1] < 1e-6 * optimal


def test_a_shipped_value_is_regenerated():
    row = resurgence_repulsive.shipped_rows()[-1]
    index = resurgence_repulsive.PADE_ORDERS.index(10)
    with mpmath.workdps(50):
        value = resurgence_sums.lateral_borel_pade_sum(MODEL, row["gamma"], 10).real
        assert abs(value / mpmath.mpf(row["pade"][index]) - 1) < mpmath.mpf(10) ** -38


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("gammas", [0.1, 0.3, 1.0, 2.0]),
        ("pade_orders", list(range(1, 40))),
        ("conformal_orders", [2, 6]),
        ("exact_digits", 32),
        ("coefficients_fingerprint", "another coefficient table"),
    ],
)
def test_loader_rejects_a_table_made_for_other_couplings_or_orders(monkeypatch, key, value):
    shipped = _assets.read_table(*resurgence_repulsive.TABLE)
    altered = copy.deepcopy(shipped)
    altered[key] = value
    monkeypatch.setattr(_assets, "read_table", lambda *parts: altered)
    assert resurgence_repulsive.shipped_rows() == []


def test_loader_rejects_rows_that_do_not_match_the_header(monkeypatch):
    shipped = _assets.read_table(*resurgence_repulsive.TABLE)
    for change in ("gamma", "pade"):
        altered = copy.deepcopy(shipped)
        if change == "gamma":
            altered["rows"][0]["gamma"] = 0.2
        else:
            altered["rows"][1]["pade"] = altered["rows"][1]["pade"][:-1]
        monkeypatch.setattr(_assets, "read_table", lambda *parts, table=altered: table)
        assert resurgence_repulsive.shipped_rows() == []
    monkeypatch.setattr(_assets, "read_table", lambda *parts: None)
    assert resurgence_repulsive.shipped_rows() == []


@pytest.mark.parametrize(
    ("method", "order", "expected"),
    [("pade", 49, 100), ("conformal", 98, 100), ("optimal", 12, 12)],
)
def test_series_order_counts_the_coefficients_used(method, order, expected):
    """[n/n] Padé of B needs b_0 … b_2n = c_2 … c_{2n+2}; n conformal terms c_2 … c_{n+2}."""
    assert resurgence_repulsive.series_order(method, order) == expected


@pytest.mark.parametrize(("method", "order"), [("pade", 50), ("borel", 3), ("conformal", 0)])
def test_series_order_refuses_bad_arguments(method, order):
    with pytest.raises(ValueError, match=r"method|order"):
        resurgence_repulsive.series_order(method, order)
