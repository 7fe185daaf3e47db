"""The full leading large-order asymptotics of the weak-coupling coefficients c_k.

Beyond the Borel singularity A of Mariño–Reis Eq. (32) (8π for Lieb–Liniger, π² for Gaudin–Yang,
:mod:`physics.resurgence`), the coefficients of e/γ = Σ c_k g^k (LL, g = √γ) and
e = Σ c_k g^k (GY, g = γ) follow

    c_k ≈ (S / 2π) Σ_j b_j Γ(k + β − j) A^{−(k + β − j)},    b_0 = 1,            (L1)

which is what a discontinuity of the lateral Borel sums

    Im e_±(g) = ∓ (S/2) g^{−β} e^{−A/g} (1 + b_1 g + b_2 g² + …)  (times γ for LL)    (L2)

gives through the dispersion relation c_k = (1/π) ∫_0^∞ Im e(g) g^{−k−1} dg. This module fits
the power β, the Stokes constant S and the corrections b_j from the shipped tables
(:func:`physics.series.weak_coupling_coefficients`, 100 orders, ≥ 55 certified digits):

- β from the sequence β_k = A c_{k+1}/c_k − k → β (+ O(1/k)), accelerated by Richardson
  transforms (:func:`physics.resurgence.richardson_transform`); it is an integer
  (LL 0, GY −1, the shifts of Eq. 32) to the digits shown, and the integer is used below;
- S and b_1 … b_J by solving (L1) exactly on the J + 1 orders k = K − J … K.

The error bars are the largest change over the windows K ∈ {100, 96, 92} and
J ∈ {14, 18, 22} (results in docs/physics/resurgence.md, section 2: GY S = −2 to 16 digits,
b_1 = 3/(2π²), b_2 = 7/(8π⁴); LL S = −18.7552142220(6), equal to −2¹⁰e⁻⁴ to 14 digits,
b_1 = 5/(16π)).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import mpmath
import numpy as np

from physics._validate import choice, integer, real_array
from physics.resurgence import expected_singularity, richardson_transform
from physics.series import MODELS, weak_coupling_coefficients

__all__ = [
    "LargeOrderFit",
    "imaginary_part_prediction",
    "large_order_fit",
    "power_estimate",
]

_DPS = 80
_TOP = 100
_WINDOW_ENDS = (100, 96, 92)
_WINDOW_SIZES = (18, 14, 22)  # the first is the reported value
_MAX_CORRECTIONS = 6


@dataclass(frozen=True)
class LargeOrderFit:
    """Fitted asymptotics (L1) of one model's c_k, with error bars (module docstring).

    Attributes
    ----------
    model
        ``"lieb-liniger"`` or ``"gaudin-yang"``.
    singularity
        A (exact: 8π or π²).
    power
        β (the integer the fit of :func:`power_estimate` points to).
    stokes, stokes_error
        S and its error bar.
    corrections, correction_errors
        b_1 … b_J of (L1)/(L2) and their error bars.
    """

    model: str
    singularity: mpmath.mpf
    power: int
    stokes: mpmath.mpf
    stokes_error: mpmath.mpf
    corrections: tuple[mpmath.mpf, ...]
    correction_errors: tuple[mpmath.mpf, ...]


def power_estimate(model: str, transform: int = 8) -> tuple[float, float]:
    """β of (L1) from β_k = A c_{k+1}/c_k − k, Richardson-accelerated.

    Returns
    -------
    (value, error)
        The last element of the ``transform``-th Richardson transform, and its change from the
        previous transform (expected 0 for LL, −1 for GY).
    """
    model = choice("model", model, MODELS)
    transform = integer("transform", transform, 1, 20)
    c = weak_coupling_coefficients(model, _TOP)
    with mpmath.workdps(_DPS):
        a = expected_singularity(model)
        ks = np.arange(_TOP - 40, _TOP)
        values = np.array([a * c[k + 1] / c[k] - int(k) for k in ks], dtype=object)
    estimates = [richardson_transform((ks, values), n)[1][-1] for n in (transform - 1, transform)]
    return float(estimates[1]), float(abs(estimates[1] - estimates[0]))


def _solve_window(model: str, end: int, size: int) -> list[mpmath.mpf]:
    """S b_0 … S b_size from (L1) on the orders end − size … end (exact linear solve)."""
    c = weak_coupling_coefficients(model, _TOP)
    beta = _POWERS[model]
    with mpmath.workdps(_DPS):
        a = expected_singularity(model)
        ks = range(end - size, end + 1)
        rows = [
            [a**j * mpmath.gamma(k + beta - j) / mpmath.gamma(k + beta) for j in range(size + 1)]
            for k in ks
        ]
        scaled = [2 * mpmath.pi * c[k] * a ** (k + beta) / mpmath.gamma(k + beta) for k in ks]
        return list(mpmath.lu_solve(mpmath.matrix(rows), mpmath.matrix(scaled)))


#: β of (L1): the shifts of Mariño–Reis Eq. (32), confirmed by :func:`power_estimate`.
_POWERS = {"lieb-liniger": 0, "gaudin-yang": -1}


def large_order_fit(model: str) -> LargeOrderFit:
    """S, β and b_1 … b_6 of (L1) for ``model`` with error bars (module docstring).

    Takes ~1 s (nine 80-digit linear solves); cached.
    """
    return _fit(choice("model", model, MODELS))


@functools.lru_cache(maxsize=2)
def _fit(model: str) -> LargeOrderFit:
    solutions = [_solve_window(model, end, size) for end in _WINDOW_ENDS for size in _WINDOW_SIZES]
    with mpmath.workdps(_DPS):
        reported = solutions[0]
        stokes = reported[0]
        stokes_error = max(abs(s[0] - stokes) for s in solutions)
        corrections, errors = [], []
        for j in range(1, _MAX_CORRECTIONS + 1):
            value = reported[j] / stokes
            corrections.append(value)
            errors.append(max(abs(s[j] / s[0] - value) for s in solutions))
    return LargeOrderFit(
        model=model,
        singularity=expected_singularity(model),
        power=_POWERS[model],
        stokes=stokes,
        stokes_error=stokes_error,
        corrections=tuple(corrections),
        correction_errors=tuple(errors),
    )


def imaginary_part_prediction(
    model: str, gamma: float | np.ndarray, corrections: int = 2
) -> float | np.ndarray:
    """|Im e_±(γ)| predicted by (L2) from the fitted S, β and b_1 … b_corrections.

    (|S|/2) g^{−β} e^{−A/g} (1 + Σ_{j ≤ corrections} b_j g^j), times γ for Lieb–Liniger
    (whose series is that of e/γ); g = √γ (LL) or γ (GY).

    Parameters
    ----------
    model
        ``"lieb-liniger"`` or ``"gaudin-yang"``.
    gamma
        Coupling(s) in (0, 10].
    corrections
        Number of b_j kept, 0 … 6.
    """
    model = choice("model", model, MODELS)
    values = real_array("gamma", gamma, 0.0, 10.0, low_open=True)
    corrections = integer("corrections", corrections, 0, _MAX_CORRECTIONS)
    fit = large_order_fit(model)
    g = np.sqrt(values) if model == "lieb-liniger" else values
    series = np.ones_like(g)
    for j in range(corrections):
        series = series + float(fit.corrections[j]) * g ** (j + 1)
    with np.errstate(under="ignore", over="ignore", divide="ignore"):
        # e^{-A/g} underflows to 0 long before g^{-beta} could overflow
        scale = np.exp(-float(fit.singularity) / g) * g ** (-fit.power)
    result = abs(float(fit.stokes)) / 2 * scale * series
    result = result * (values if model == "lieb-liniger" else 1.0)
    return float(result) if result.ndim == 0 else result
