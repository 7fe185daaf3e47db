"""Exact energies and resummations on the γ slider's grid, shipped as a table with provenance.

The resurgence view compares, at each γ, the exact e(γ) (32 digits,
:func:`physics.lieb_liniger.ground_state_energy_with_error` and the Gaudin–Yang twin) with the
optimally truncated series, the lateral Borel–Padé sum and the conformal-map Borel sum
(:mod:`physics.resurgence_sums`). The high-precision solves take 0.5–40 s each, so the values are
computed once by ``qgas precompute`` on :data:`TABLE_GAMMAS` (the slider's grid between 0.02 and
10) and read from ``assets/series/resurgence-sums.json`` (:mod:`physics._assets`); the table is
tied to the coefficient tables by their fingerprints and ignored if they change.
"""

from __future__ import annotations

import time
from typing import Any

import mpmath
import numpy as np

from physics import _assets, gaudin_yang, lieb_liniger
from physics._validate import choice
from physics.resurgence import coefficients_fingerprint
from physics.resurgence_sums import conformal_borel_sum, lateral_borel_pade_sum, optimal_truncation
from physics.series import MODELS

# compute_table is the generator behind ``qgas precompute``, not part of the physics API.
__all__ = ["CONFORMAL_ORDER", "EXACT_DIGITS", "PADE_ORDER", "TABLE", "TABLE_GAMMAS", "shipped_rows"]

#: The shipped table, a path below ``assets/``.
TABLE = ("series", "resurgence-sums.json")
#: The γ slider's grid (30 points per decade, three significant figures) on [0.02, 10].
TABLE_GAMMAS: tuple[float, ...] = tuple(
    value
    for value in (float(f"{v:.3g}") for v in np.logspace(-3.0, 3.0, 181))
    if 0.02 <= value <= 10.0
)
#: Digits of the exact energies in the table.
EXACT_DIGITS = 32
#: Padé order of the lateral Borel–Padé sums; the conformal map keeps 60 terms.
PADE_ORDER = 40
CONFORMAL_ORDER = 60
#: Below these couplings the exact energy is not computed (its cost grows like 1/γ and the
#: optimally truncated series is already better than 32 digits: e^{−A/g} < 1e−32).
_EXACT_FROM = {"lieb-liniger": 0.05, "gaudin-yang": 0.1}
_SOLVERS = {"lieb-liniger": lieb_liniger, "gaudin-yang": gaudin_yang}


def _text(value: mpmath.mpf) -> str:
    return mpmath.nstr(value, EXACT_DIGITS + 4, min_fixed=-1, max_fixed=-1)


def compute_table(gammas: tuple[float, ...] = TABLE_GAMMAS) -> dict[str, Any]:
    """The table's ``models`` entry and the wall time per model (what ``qgas precompute`` writes).

    Each row: ``gamma``, ``exact`` and ``exact_error`` (strings, or ``None`` below the exact
    range), ``optimal`` (value), ``optimal_order``, ``smallest_term``, ``pade`` and
    ``conformal`` (real and imaginary parts as strings).
    """
    models, seconds = {}, {}
    for model in MODELS:
        start = time.perf_counter()
        rows = []
        for gamma in gammas:
            exact = error = None
            if gamma >= _EXACT_FROM[model]:
                value, bound = _SOLVERS[model].ground_state_energy_with_error(gamma, EXACT_DIGITS)
                exact, error = _text(value), mpmath.nstr(bound, 3)
            truncated = optimal_truncation(model, gamma)
            pade = lateral_borel_pade_sum(model, gamma, PADE_ORDER)
            mapped = conformal_borel_sum(model, gamma, CONFORMAL_ORDER)
            rows.append(
                {
                    "gamma": gamma,
                    "exact": exact,
                    "exact_error": error,
                    "optimal": _text(truncated.value),
                    "optimal_order": truncated.order,
                    "smallest_term": mpmath.nstr(truncated.smallest_term, 4),
                    "pade": [_text(pade.real), _text(pade.imag)],
                    "conformal": [_text(mapped.real), _text(mapped.imag)],
                }
            )
        seconds[model] = time.perf_counter() - start
        models[model] = {"coefficients_fingerprint": coefficients_fingerprint(model), "rows": rows}
    return {"models": models, "seconds": seconds}


def shipped_rows(model: str) -> list[dict[str, Any]]:
    """The shipped rows of ``model`` (empty if the table is missing or its coefficients differ)."""
    model = choice("model", model, MODELS)
    table = _assets.read_table(*TABLE)
    try:
        entry = table["models"][model]
        if entry["coefficients_fingerprint"] != coefficients_fingerprint(model):
            return []
        return list(entry["rows"])
    except (TypeError, KeyError):
        return []
