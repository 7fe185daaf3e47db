"""PSLQ closed forms and the derived polaron series, checked against the papers' formulas."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from physics.series import (
    exact_closed_forms,
    inverse_mass_ratio_partial_sum,
    inverse_mass_ratio_series,
)
from tests.support.references import (
    marino_reis_eq29,
    marino_reis_eq30,
    ristivojevic_eq22,
    ristivojevic_eq23,
)


@pytest.mark.parametrize(
    ("model", "reference"),
    [
        ("lieb-liniger", marino_reis_eq29),
        pytest.param("gaudin-yang", marino_reis_eq30, marks=pytest.mark.slow),
    ],
)
def test_pslq_finds_the_closed_forms_of_eqs_29_30(model, reference):
    with mpmath.workdps(80):
        expected = reference()
        forms = exact_closed_forms(model, len(expected))
        for k, (form, value) in enumerate(zip(forms, expected, strict=True)):
            assert form is not None, k
            assert abs(form.value() - value) <= mpmath.mpf(10) ** -60 * abs(value), k
            assert form.latex


def test_closed_form_latex_is_readable():
    forms = exact_closed_forms("lieb-liniger", 4)
    assert forms[1].latex == r"-\frac{4}{3 \pi}"
    assert forms[3].latex == r"\frac{3\zeta(3) - 4}{8 \pi^{3}}"
    gaudin_yang = [form.latex for form in exact_closed_forms("gaudin-yang", 4)]
    # Eq. (30): π²/12 − γ/2 − γ²/12 − ζ(3)γ³/π⁴ (a power of π in the numerator, signs)
    assert gaudin_yang == [
        r"\frac{\pi^{2}}{12}",
        r"-\frac{1}{2}",
        r"-\frac{1}{12}",
        r"-\frac{\zeta(3)}{\pi^{4}}",
    ]
    assert forms[2].latex == r"\frac{\pi^{2} - 6}{6 \pi^{2}}"  # 1/6 − 1/π²
    assert [form.latex for form in exact_closed_forms("gaudin-yang", 1)] == gaudin_yang[:1]


def test_weak_coupling_polaron_series_matches_ristivojevic_eq_22():
    with mpmath.workdps(40):
        expected = ristivojevic_eq22()
        series = inverse_mass_ratio_series("weak", 5)
        for d, e in zip(series, expected, strict=True):
            assert abs(d - e) <= mpmath.mpf(10) ** -30


def test_strong_coupling_polaron_series_matches_ristivojevic_eq_23():
    with mpmath.workdps(40):
        expected = ristivojevic_eq23()
        series = inverse_mass_ratio_series("strong", 4)
        for d, e in zip(series, expected, strict=True):
            assert abs(d - e) <= mpmath.mpf(10) ** -30


def test_polaron_series_bad_input():
    with pytest.raises(ValueError, match="regime"):
        inverse_mass_ratio_series("medium", 3)
    with pytest.raises(ValueError, match="order"):
        inverse_mass_ratio_series("weak", -1)


def test_polaron_series_range_ends():
    assert inverse_mass_ratio_series("strong", 0) == [0]  # Eq. (23) has no γ⁰ term
    with pytest.raises(ValueError, match="order=42"):
        inverse_mass_ratio_series("strong", 42)


def test_polaron_partial_sum_keeps_the_shape_of_gamma():
    scalar = inverse_mass_ratio_partial_sum("strong", 100.0, 3)
    assert isinstance(scalar, float)
    array = inverse_mass_ratio_partial_sum("strong", np.array([[100.0, 200.0]]), 3)
    assert array.shape == (1, 2) and array[0, 0] == scalar
