"""Partial sums of the weak-coupling series and their optimal truncation.

e_N(γ) = γ Σ_{k≤N} c_k γ^{k/2} (Lieb–Liniger) or Σ_{k≤N} c_k γ^k (Gaudin–Yang), Mariño–Reis
Eq. (31). The series diverge factorially (Eq. 32), so at fixed γ the terms first decrease and then
grow; the optimal truncation stops at the smallest term, which is also the size of the
non-perturbative ambiguity (Eq. 33).
"""

from __future__ import annotations

import mpmath
import numpy as np

from physics._validate import choice, finite_result, integer, real_array, real_scalar
from physics.series._models import MODELS
from physics.series._tables import load_table, weak_coupling_coefficients

__all__ = ["optimal_truncation_order", "partial_sum", "series_terms", "truncation_errors"]


def _expansion_variable(model: str, gamma):
    """g = √γ (LL) or γ (GY): e = prefactor · Σ c_k g^k with prefactor γ (LL) or 1 (GY)."""
    if model == "lieb-liniger":
        return (mpmath.sqrt(gamma) if isinstance(gamma, mpmath.mpf) else np.sqrt(gamma)), gamma
    return gamma, 1


def partial_sum(model: str, gamma, order: int):
    """Truncated weak-coupling series e_N(γ), N = ``order`` (Eq. 31 with the shipped c_k).

    Parameters
    ----------
    model
        ``"lieb-liniger"`` or ``"gaudin-yang"``.
    gamma
        Coupling γ ≥ 0: a float or array (float64 evaluation by Horner's rule) or an
        ``mpmath.mpf`` (evaluated at the current mpmath precision).
    order
        Highest k included (0 ≤ order ≤ table order).

    Returns
    -------
    float, ndarray or mpf
        e_N(γ) in units ħ = 2m = 1 (e = E/n³). Accuracy as an approximation of e(γ): about the
        first omitted term; at best the smallest term (see :func:`optimal_truncation_order`).

    Examples
    --------
    >>> from physics.lieb_liniger import ground_state_energy
    >>> from physics.series import partial_sum
    >>> e4 = partial_sum("lieb-liniger", 0.01, 4)
    >>> round(float(e4), 10)
    0.0095821053
    >>> bool(abs(e4 - ground_state_energy(0.01)) < 1e-8)
    True
    """
    model = choice("model", model, MODELS)
    coefficients = weak_coupling_coefficients(model, order)
    if isinstance(gamma, mpmath.mpf):
        if not mpmath.isfinite(gamma) or gamma < 0:
            raise ValueError(f"gamma={gamma} is outside the valid range [0, inf)")
        variable, prefactor = _expansion_variable(model, gamma)
        total = mpmath.mpf(0)
        for c in reversed(coefficients):
            total = total * variable + c
        return prefactor * total
    values = real_array("gamma", gamma, 0.0, None)
    variable, prefactor = _expansion_variable(model, values)
    total = np.zeros_like(values)
    with np.errstate(over="ignore", invalid="ignore"):
        for c in reversed(coefficients):
            total = total * variable + float(c)
        result = prefactor * total
    finite_result("e_N(gamma)", result, gamma=gamma, order=order)
    return float(result) if np.ndim(result) == 0 else result


def _log_terms(model: str, gamma: float, order: int | None) -> tuple[np.ndarray, int]:
    """log|c_k g^k|, k = 0 … order (−inf for c_k = 0), and the order: finite where the terms
    themselves under- or overflow float64 (|c_100 γ^100| = 1e-345 at γ = 1e-4, Gaudin-Yang)."""
    model = choice("model", model, MODELS)
    top = load_table(model)["order"]
    order = top if order is None else integer("order", order, 0, top)
    value = real_scalar("gamma", gamma, 0.0, None, low_open=True)
    log_variable = 0.5 * np.log(value) if model == "lieb-liniger" else np.log(value)
    log_c = np.array(
        [
            float(mpmath.log(abs(c))) if c else -np.inf
            for c in weak_coupling_coefficients(model, order)
        ]
    )
    return log_c + np.arange(order + 1) * log_variable, order


def series_terms(model: str, gamma: float, order: int | None = None) -> np.ndarray:
    """Absolute sizes |c_k g^k| of the terms (g = √γ for LL, γ for GY), k = 0 … order, float64."""
    log_terms, order = _log_terms(model, gamma, order)
    with np.errstate(over="ignore", under="ignore"):
        terms = np.exp(log_terms)
    return finite_result("|c_k g^k|", terms, gamma=gamma, order=order)


def optimal_truncation_order(model: str, gamma: float) -> int:
    """N*(γ): index of the smallest term |c_k g^k| (k ≥ 1) of the shipped series.

    Truncating after N* leaves an error of the order of that smallest term, ~ e^{−8π/√γ} (LL)
    or e^{−π²/γ} (GY) (Eq. 33). If the smallest term lies at the end of the table (γ too small
    for the shipped order), the table order is returned: the true N* is larger.

    Examples
    --------
    >>> from physics.series import optimal_truncation_order
    >>> int(optimal_truncation_order("lieb-liniger", 1.0))
    26
    """
    log_terms, _ = _log_terms(model, gamma, None)  # in log space: the terms may underflow
    return int(np.argmin(log_terms[1:]) + 1)


def truncation_errors(model: str, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """|e_exact(γ) − e_N(γ)| for N = 0 … table order, e_exact from the Bethe-ansatz backend.

    e_exact is the Nyström solution of Mariño–Reis Eqs. (2)–(7) (:mod:`physics.lieb_liniger`,
    :mod:`physics.gaudin_yang`; relative accuracy ~1e−12, which is the floor of the curve).
    The partial sums are accumulated in float64.

    Returns
    -------
    (orders, errors)
        Integer array N and float array of absolute errors; their minimum sits near
        :func:`optimal_truncation_order`.
    """
    from physics.gaudin_yang import ground_state_energy as gaudin_yang_energy
    from physics.lieb_liniger import ground_state_energy as lieb_liniger_energy

    model = choice("model", model, MODELS)
    gamma = real_scalar("gamma", gamma, 0.0, None, low_open=True)
    exact = (lieb_liniger_energy if model == "lieb-liniger" else gaudin_yang_energy)(gamma)
    value = float(gamma)
    variable, prefactor = _expansion_variable(model, value)
    order = load_table(model)["order"]
    c = np.array([float(x) for x in weak_coupling_coefficients(model, order)])
    with np.errstate(over="ignore"):
        partial = prefactor * np.cumsum(c * variable ** np.arange(order + 1))
    return np.arange(order + 1), np.abs(exact - partial)
