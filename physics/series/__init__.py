"""Weak- and strong-coupling series of the ground-state energy e(γ) and derived series.

Public API (Mariño–Reis, arXiv:1905.09575; Ristivojevic 2021 for the polaron):

* :func:`weak_coupling_coefficients` — c_0 … c_K of Eq. (31) from the shipped, certified tables;
* :func:`generate_weak_coupling_coefficients` — the same computed afresh by the resolvent method
  (Eqs. 9–28), used by ``qgas coefficients`` and the tests.
"""

from physics.series._generate import (
    DEFAULT_LOG_B_SUBSTITUTE,
    default_dps,
    generate_weak_coupling_coefficients,
    run_generation,
)
from physics.series._tables import weak_coupling_coefficients

__all__ = [
    "DEFAULT_LOG_B_SUBSTITUTE",
    "default_dps",
    "generate_weak_coupling_coefficients",
    "run_generation",
    "weak_coupling_coefficients",
]
