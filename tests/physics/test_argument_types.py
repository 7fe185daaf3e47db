"""Arguments of the wrong type are refused by name, exact real numbers of any type are accepted.

Through the public functions (``physics._validate`` does the checking): a complex coupling, a
text or ``None`` inside an array, a bool for an integer or a number for a model name raise a
``TypeError`` (which ``except ValueError`` also catches) naming the parameter and the value;
``mpmath`` numbers, fractions and Python integers in an object array are used as reals.
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from physics import lattice
from physics import lieb_liniger as ll
from physics import tonks_girardeau as tg
from physics.polaron import inverse_mass_ratio
from physics.strong_coupling import strong_coupling_coefficients, strong_coupling_energy

#: A decaying g1 on the ring of length 16 for the fit functions.
_R = np.linspace(0.0, 8.0, 33)
_G1 = np.exp(-_R / 2.0)


@pytest.mark.parametrize("gamma", [1 + 2j, np.array([1.0, 2.0 + 0.5j]), np.complex128(3.0)])
def test_a_complex_coupling_is_refused(gamma):
    with pytest.raises(TypeError, match=r"^gamma=.* is not "):
        ll.ground_state_energy(gamma)


@pytest.mark.parametrize("item", ["2", None, b"2", True, 1j])
def test_an_array_holding_a_non_real_item_is_refused(item):
    with pytest.raises(TypeError, match=r"^gamma=.* is not "):
        strong_coupling_energy(np.array([50.0, item], dtype=object))


def test_exact_real_numbers_of_other_types_are_used_as_reals():
    exact = np.array([mpmath.mpf(2), Fraction(5, 2), 3], dtype=object)
    np.testing.assert_array_equal(
        ll.ground_state_energy(exact), ll.ground_state_energy(np.array([2.0, 2.5, 3.0]))
    )


@pytest.mark.parametrize("order", [True, np.bool_(False), "3", 3.0])
def test_an_order_that_is_not_an_integer_is_refused(order):
    with pytest.raises(TypeError, match=r"^order=.* is not an integer; valid range"):
        strong_coupling_coefficients("lieb-liniger", order)


@pytest.mark.parametrize("method", [3, None, b"energy"])
def test_a_choice_that_is_not_a_string_is_a_type_error(method):
    with pytest.raises(TypeError, match=r"^method=.* is not a string; valid: one of 'energy'"):
        inverse_mass_ratio(1.0, method=method)


@pytest.mark.parametrize("value", [10**5000, -(10**5000)], ids=["plus", "minus"])
def test_a_huge_integer_is_refused_by_name_without_printing_it(value):
    # 10**5000 has more digits than Python converts to text: the message must not try
    with pytest.raises(ValueError, match=r"^gamma=-?<an integer of about 5001 digits> is outside"):
        ll.ground_state_energy(value)
    with pytest.raises(ValueError, match=r"^order=-?<an integer of about 5001 digits> is outside"):
        strong_coupling_coefficients("lieb-liniger", value)


def test_an_array_holding_a_huge_integer_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^gamma=.{1,80} is outside the valid range"):
        ll.ground_state_energy(np.array([1.0, 10**5000], dtype=object))


def test_a_long_double_beyond_the_float_range_is_refused_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^gamma=.* outside the valid range .*float range"):
            ll.ground_state_energy(np.longdouble("1e4000"))


@pytest.mark.parametrize(
    "gamma", [np.ma.masked_array([1.0, 2.0], mask=[False, True]), np.ma.masked_array(2.0)]
)
def test_a_masked_array_is_refused(gamma):
    # the mask would be ignored: the masked 2.0 would enter the result as if it were data
    with pytest.raises(TypeError, match=r"(?s)^gamma=.* is a masked array"):
        ll.ground_state_energy(gamma)


@pytest.mark.parametrize("window", [np.array(1.0), 1.0, (1.0, 2.0, 3.0), np.ones((2, 2))])
@pytest.mark.parametrize(
    "fit",
    [
        lambda w: tg.exponential_fit(_R, _G1, w),
        lambda w: tg.decay_length(_R, _G1, w),
        lambda w: tg.power_law_fit(_R, _G1, w, 16.0),
        lambda w: tg.classify_decay(_R, _G1, w, 16.0),
    ],
    ids=["exponential_fit", "decay_length", "power_law_fit", "classify_decay"],
)
def test_a_window_that_is_not_a_pair_is_refused_by_name(fit, window):
    with pytest.raises(TypeError, match=r"(?s)^window=.* is not a pair \(window\[0\], window"):
        fit(window)


def test_a_length_of_another_exact_type_is_used_as_a_real():
    # Decimal('1') is the real number 1: same twist energy as the float
    potential = np.zeros(64)
    assert tg.twist_energy(2, Decimal("1"), potential, 0.4) == tg.twist_energy(
        2, 1.0, potential, 0.4
    )


def test_a_tiny_mass_gives_the_mean_square_deviation_without_a_warning():
    # r_0² ∝ 1/m (Eq. 41): at m = 1e-300 it is 5e299 times the m = 0.5 value ... and at
    # m = 1e-320 beyond the float range: infinite, as documented, without an overflow warning
    reference = float(lattice.mean_square_deviation(1.0, 1.0, 0.5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(lattice.mean_square_deviation(1.0, 1.0, 1e-300)) == pytest.approx(
            reference * 0.5e300, rel=1e-12
        )
        assert float(lattice.mean_square_deviation(1.0, 1.0, 1e-320)) == np.inf
