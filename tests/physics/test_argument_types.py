"""Arguments of the wrong type are refused by name, exact real numbers of any type are accepted.

Through the public functions (``physics._validate`` does the checking): a complex coupling, a
text or ``None`` inside an array, a bool for an integer or a number for a model name raise a
``TypeError`` (which ``except ValueError`` also catches) naming the parameter and the value;
``mpmath`` numbers, fractions and Python integers in an object array are used as reals.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from physics import lieb_liniger as ll
from physics.polaron import inverse_mass_ratio
from physics.strong_coupling import strong_coupling_coefficients, strong_coupling_energy


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
