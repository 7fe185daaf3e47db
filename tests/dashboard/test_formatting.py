"""Numbers with their errors, written as a physicist writes them (dashboard.formatting)."""

from __future__ import annotations

import pytest

from dashboard.formatting import measured


@pytest.mark.parametrize(
    ("value", "error", "written"),
    [
        (3.46, 0.5, "3.5 ± 0.5"),  # QA: "ξ = 3.46 ± 0.5" claimed a digit the error denies
        (7.24, 0.123, "7.24 ± 0.12"),  # an error starting with 1 keeps two digits
        (0.12, 0.07, "0.12 ± 0.07, consistent with 0 within 2σ"),  # 1.7σ from 0
        (0.15, 0.07, "0.15 ± 0.07"),
        (-0.3, 0.02, "−0.30 ± 0.02"),
        (2.5e5, 3e3, "(2.50 ± 0.03) × 10⁵"),
        (4.8e-4, 4e-4, "(5 ± 4) × 10⁻⁴, consistent with 0 within 2σ"),  # QA: "0.00048 ± 0.0004"
        (6.9e-6, 1e-5, "(0.7 ± 1.0) × 10⁻⁵, consistent with 0 within 2σ"),  # QA: "6.9e-06 ± 1e-05"
        (5.0, 0.0, "5"),
        (5.0, float("nan"), "5"),
    ],
)
def test_a_value_is_written_to_the_decimal_place_of_its_error(value, error, written):
    assert measured(value, error) == written


def test_the_unit_follows_the_numbers_not_the_verdict():
    assert measured(0.01, 0.02, " n") == "0.01 ± 0.02 n, consistent with 0 within 2σ"
    assert measured(5.0, 0.0, " n") == "5 n"
