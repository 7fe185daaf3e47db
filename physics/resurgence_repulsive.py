"""Borel sums of the repulsive Gaudin–Yang series against the exact energy: digits against order.

Mariño and Reis (arXiv:1905.09575, after Eq. 33) note that the weak-coupling series of the
repulsive gas is the attractive one at −γ, alternating, "very likely Borel summable", and that
"its Borel resummation seems to agree with the exact result". This module tests it: at each γ of
:data:`GAMMAS` the exact energy to :data:`EXACT_DIGITS` digits
(:func:`physics.gaudin_yang_repulsive.ground_state_energy_with_error`, Takahashi's charge equation
in Arb) is compared with the Borel–Padé sum of every order in :data:`PADE_ORDERS`, the
conformal-map Borel sum of every order in :data:`CONFORMAL_ORDERS`
(:mod:`physics.resurgence_sums`, B(−ζ) integrated along the real axis, where it has no
singularity) and, for contrast, the optimally truncated series.

The exact solves take up to minutes at γ = 0.1 and the 49 Padé approximants ~2 minutes, so the
values are computed once by ``qgas precompute`` (:func:`compute_table`) and shipped as
``assets/series/resurgence-repulsive.json`` with provenance. :func:`shipped_rows` reads it and
rejects a table made for other couplings, orders, digits or coefficients.
"""

from __future__ import annotations

import time
from typing import Any

import mpmath

from physics import _assets, gaudin_yang_repulsive
from physics._validate import choice, integer
from physics.resurgence import coefficients_fingerprint
from physics.resurgence_sums import conformal_borel_sum, lateral_borel_pade_sum, optimal_truncation

# compute_table is the generator behind ``qgas precompute``, not part of the physics API.
__all__ = [
    "CONFORMAL_ORDERS",
    "EXACT_DIGITS",
    "GAMMAS",
    "MODEL",
    "PADE_ORDERS",
    "TABLE",
    "series_order",
    "shipped_rows",
]

#: The shipped table, a path below ``assets/``.
TABLE = ("series", "resurgence-repulsive.json")
#: The model name of :mod:`physics.resurgence_sums`.
MODEL = "gaudin-yang-repulsive"
#: Couplings of the table (inside the high-precision solver's range [0.1, 1000]).
GAMMAS: tuple[float, ...] = (0.1, 0.3, 1.0, 3.0)
#: Padé orders n of the [n/n] Borel–Padé sums (all the 100 shipped coefficients allow).
PADE_ORDERS: tuple[int, ...] = tuple(range(1, 50))
#: Numbers of terms of the conformally mapped Borel transform.
CONFORMAL_ORDERS: tuple[int, ...] = tuple(range(2, 99, 4))
#: Digits of the exact energies in the table.
EXACT_DIGITS = 40
#: The Borel transform B(ζ) = Σ_{k≥2} c_k ζ^{k−2}/(k − 2)! starts at c_2.
_BOREL_SHIFT = 2


def series_order(method: str, order: int) -> int:
    """Highest order K of the series c_0 … c_K a resummation of ``order`` uses.

    [n/n] Padé: b_0 … b_{2n}, i.e. K = 2n + 2; conformal map with n terms: K = n + 2; optimal
    truncation at N*: K = N*. Plotting against K compares the methods at equal information.

    Parameters
    ----------
    method
        ``"pade"``, ``"conformal"`` or ``"optimal"``.
    order
        n (Padé 1 … 49, conformal 1 … 98) or N* (optimal, 1 … 100).
    """
    shifts = {"pade": (2, _BOREL_SHIFT, 49), "conformal": (1, _BOREL_SHIFT, 98)}
    shifts["optimal"] = (1, 0, 100)
    method = choice("method", method, tuple(shifts))
    factor, shift, top = shifts[method]
    return factor * integer("order", order, 1, top) + shift


def _text(value: mpmath.mpf) -> str:
    return mpmath.nstr(value, EXACT_DIGITS + 4, min_fixed=-1, max_fixed=-1)


def _signature() -> dict[str, Any]:
    """What a table must have been computed for to be used."""
    return {
        "gammas": list(GAMMAS),
        "pade_orders": list(PADE_ORDERS),
        "conformal_orders": list(CONFORMAL_ORDERS),
        "exact_digits": EXACT_DIGITS,
        "coefficients_fingerprint": coefficients_fingerprint("gaudin-yang"),
    }


def compute_table() -> dict[str, Any]:
    """The table ``qgas precompute`` writes (without provenance) and the wall time per γ.

    Each row: ``gamma``, ``exact`` and ``exact_error`` (strings), ``optimal`` (value),
    ``optimal_order``, ``smallest_term``, ``pade`` and ``conformal`` (real parts as strings, one
    per order of :data:`PADE_ORDERS` and :data:`CONFORMAL_ORDERS`; the sums are real).
    """
    rows, seconds = [], {}
    for gamma in GAMMAS:
        start = time.perf_counter()
        value, bound = gaudin_yang_repulsive.ground_state_energy_with_error(gamma, EXACT_DIGITS)
        truncated = optimal_truncation(MODEL, gamma)
        with mpmath.workdps(EXACT_DIGITS + 10):
            pade = [_text(lateral_borel_pade_sum(MODEL, gamma, n).real) for n in PADE_ORDERS]
            mapped = [_text(conformal_borel_sum(MODEL, gamma, n).real) for n in CONFORMAL_ORDERS]
        rows.append(
            {
                "gamma": gamma,
                "exact": _text(value),
                "exact_error": mpmath.nstr(bound, 3),
                "optimal": _text(truncated.value),
                "optimal_order": truncated.order,
                "smallest_term": mpmath.nstr(truncated.smallest_term, 4),
                "pade": pade,
                "conformal": mapped,
            }
        )
        seconds[f"gamma={gamma:g}"] = time.perf_counter() - start
    return {**_signature(), "rows": rows, "seconds": seconds}


def shipped_rows() -> list[dict[str, Any]]:
    """The shipped rows, one per γ of :data:`GAMMAS`; empty if the table is missing or was made
    for other couplings, orders, digits or coefficients (then ``qgas precompute`` remakes it)."""
    table = _assets.read_table(*TABLE)
    if not isinstance(table, dict):
        return []
    if any(table.get(key) != value for key, value in _signature().items()):
        return []
    rows = table.get("rows")
    if not isinstance(rows, list) or [row.get("gamma") for row in rows] != list(GAMMAS):
        return []
    lengths = {"pade": len(PADE_ORDERS), "conformal": len(CONFORMAL_ORDERS)}
    if any(len(row.get(key, ())) != size for row in rows for key, size in lengths.items()):
        return []
    return rows
