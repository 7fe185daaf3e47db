"""Weak- and strong-coupling series of the ground-state energy e(γ) and derived series.

Public API (Mariño–Reis, arXiv:1905.09575; Ristivojevic 2021 for the polaron):

* :func:`weak_coupling_coefficients` — c_0 … c_K of Eq. (31) from the shipped, certified tables
  (``assets/series/*.json``, written by ``qgas coefficients``);
* :func:`generate_weak_coupling_coefficients`, :func:`run_generation` — the same computed afresh
  by the resolvent method (Eqs. 9–28);
* :func:`strong_coupling_coefficients` — exact 1/γ expansion (re-exported from
  :mod:`physics.strong_coupling`);
* :func:`partial_sum`, :func:`series_terms`, :func:`optimal_truncation_order`,
  :func:`truncation_errors` — truncated series and their error against the Bethe ansatz;
* :func:`exact_closed_forms` — PSLQ closed forms of the first c_k (Eqs. 29, 30) in LaTeX;
* :func:`inverse_mass_ratio_series` — m/m* series via Ristivojevic Eq. (21).

Large-order tools (ratio test, Richardson, Borel–Padé) are in :mod:`physics.resurgence`.
"""

from physics.series._closed_forms import ClosedForm, exact_closed_forms
from physics.series._generate import (
    DEFAULT_LOG_B_SUBSTITUTE,
    GenerationRun,
    default_dps,
    generate_weak_coupling_coefficients,
    run_generation,
)
from physics.series._models import MODELS
from physics.series._polaron import inverse_mass_ratio_partial_sum, inverse_mass_ratio_series
from physics.series._sums import (
    optimal_truncation_order,
    partial_sum,
    series_terms,
    truncation_errors,
)
from physics.series._tables import coefficient_table, table_order, weak_coupling_coefficients
from physics.strong_coupling import strong_coupling_coefficients

__all__ = [
    "DEFAULT_LOG_B_SUBSTITUTE",
    "MODELS",
    "ClosedForm",
    "GenerationRun",
    "coefficient_table",
    "default_dps",
    "exact_closed_forms",
    "generate_weak_coupling_coefficients",
    "inverse_mass_ratio_partial_sum",
    "inverse_mass_ratio_series",
    "optimal_truncation_order",
    "partial_sum",
    "run_generation",
    "series_terms",
    "strong_coupling_coefficients",
    "table_order",
    "truncation_errors",
    "weak_coupling_coefficients",
]
