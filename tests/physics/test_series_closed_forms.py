"""PSLQ closed forms and the derived polaron series, checked against the papers' formulas."""

from __future__ import annotations

import mpmath
import pytest
from test_series import eq29, eq30

from physics.series import exact_closed_forms, inverse_mass_ratio_series


@pytest.mark.parametrize(
    ("model", "reference"),
    [("lieb-liniger", eq29), pytest.param("gaudin-yang", eq30, marks=pytest.mark.slow)],
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
    assert exact_closed_forms("gaudin-yang", 4)[3].latex == r"-\frac{\zeta(3)}{\pi^{4}}"


def test_weak_coupling_polaron_series_matches_ristivojevic_eq_22():
    with mpmath.workdps(40):
        pi, z3, z5 = mpmath.pi, mpmath.zeta(3), mpmath.zeta(5)
        expected = [
            1,
            -2 / (3 * pi),
            0,
            (4 - 3 * z3) / (16 * pi**3),
            (4 - 3 * z3) / (24 * pi**4),
            3 * (32 - 60 * z3 + 45 * z5) / (2048 * pi**5),
        ]
        series = inverse_mass_ratio_series("weak", 5)
        for d, e in zip(series, expected, strict=True):
            assert abs(d - e) <= mpmath.mpf(10) ** -30


def test_strong_coupling_polaron_series_matches_ristivojevic_eq_23():
    with mpmath.workdps(40):
        pi = +mpmath.pi
        expected = [0, 2 * pi**2 / 3, -4 * pi**2, 16 * pi**2, -32 * pi**2 * (15 - pi**2) / 9]
        series = inverse_mass_ratio_series("strong", 4)
        for d, e in zip(series, expected, strict=True):
            assert abs(d - e) <= mpmath.mpf(10) ** -30


def test_polaron_series_bad_input():
    with pytest.raises(ValueError, match="regime"):
        inverse_mass_ratio_series("medium", 3)
    with pytest.raises(ValueError, match="order"):
        inverse_mass_ratio_series("weak", -1)
