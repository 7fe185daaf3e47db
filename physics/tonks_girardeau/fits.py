"""Which law g1(r) follows, its decay length with an honest error, and ρ_s(L → ∞).

- :func:`classify_decay` -- fits log g1 over a window with the exponential C e^{−r/ξ}
  (Seiringer-Warzel's localised regime) and with the clean ring's law C d(r)^{−1/2},
  d(r) = (L/π) sin(πr/L) the chord (Lenard 1964; Vaidya-Tracy). **Criterion**: ξ is reported
  only when the exponential's residual sum of squares in log g1 is at most half the clean
  law's (the exponential has one parameter more, so the factor 2 is a margin stricter than
  AIC's for the 3 or more points of a window); otherwise the decay is called "power law" and
  ξ is not given. A power law with a free exponent p is fitted too and reported as a
  description: it is not the criterion, because a steep p (2-9 under strong disorder at
  N = 32-64) fits a short window of a localised average as well as an exponential and would
  call the theorem's exponential decay "power law".
- :func:`decay_fit` -- the same on the disorder average of :class:`DecayStatistics`, with the
  standard error of the decay rate from a jackknife over realisations (the residuals of one
  average are correlated in r, so the least-squares error alone understates it).
- :func:`extrapolate_superfluid_density` -- weighted fit ρ_s(L) = ρ_∞ + A e^{−L/ℓ_s}: the
  finite-size law of a localised ring, whose twist energy falls exponentially with L; ρ_∞ with
  its error tests Seiringer-Warzel's ρ_s = 0.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import scipy.optimize

from physics._validate import choice, instance, real_array, real_interval, real_scalar
from physics.tonks_girardeau.limits import LENGTH_RANGE
from physics.tonks_girardeau.observables import DecayStatistics

__all__ = [
    "DecayFit",
    "SuperfluidExtrapolation",
    "classify_decay",
    "decay_fit",
    "extrapolate_superfluid_density",
    "power_law_fit",
    "resolved_window",
]

#: The exponential must fit log g1 this many times better (residual sum of squares).
EXPONENTIAL_MARGIN = 2.0
#: The clean ring's exponent of g1 ∝ d(r)^(−p) (Lenard 1964), the law the exponential must beat.
CLEAN_EXPONENT = 0.5
#: Largest fixed exponent power_law_fit accepts (far steeper than any decay of γ).
MAX_EXPONENT = 100.0
MODELS = ("exponential", "power law")
#: Smallest |γ| (units n) :func:`decay_fit` takes the logarithm of: the mean E|γ| itself, and
#: for the typical exp E log|γ| every row |γ(x, x + r)| it averages. The orbitals are
#: converged to ``TRUNCATION_TOLERANCE`` = 1e-6 in amplitude, which leaves γ an absolute
#: error near 1e-9 n. Against orbitals converged to 1e-9 (5 Dec 2026): at speckle 10,
#: N = L = 216, the typical |γ| is 4 % off at 7e-8 and flat at 1e-9 … 1e-10 beyond r ≈ 45
#: where the converged one falls on to 1e-13 (a fit into that floor gave ξ 2–3 times too
#: long); at speckle 20, N = 64, rows far below the typical value make it 19 % off at
#: 9e-5, while the mean is within 0.1 % down to 4e-6.
RESOLVED_DENSITY_MATRIX = 1e-6


class DecayFit(NamedTuple):
    """The law g1(r) follows in a window (see :func:`classify_decay`)."""

    #: "exponential" or "power law" (the criterion of the module docstring).
    model: str
    #: ξ in 1/n when the model is exponential, else inf (no decay length).
    xi: float
    #: Standard error of ξ (inf when not exponential).
    xi_error: float
    #: Decay rate 1/ξ of the exponential fit (reported whatever the model), units n.
    rate: float
    #: Its standard error.
    rate_error: float
    #: Amplitude C of the exponential fit (units n).
    amplitude: float
    #: Exponent p of a power law C d(r)^(−p) fitted with p free (a description, not the
    #: criterion).
    exponent: float
    #: Amplitude C of the clean law C d(r)^(−1/2) (units n^(1/2)).
    power_amplitude: float
    #: Residual sums of squares of log g1: exponential, clean law C d(r)^(−1/2).
    rss_exponential: float
    rss_power_law: float
    #: The window (r_min, r_max) fitted, units 1/n.
    window: tuple[float, float]


def _window_points(r: Any, g1: Any, window: Any) -> tuple[np.ndarray, np.ndarray]:
    r = real_array("r", r)
    g1 = real_array("g1", g1)
    if r.ndim != 1 or g1.shape != r.shape:
        raise ValueError(f"g1 has shape {g1.shape}; valid: the 1D shape of r, {r.shape}")
    low, high = real_interval("window", window, 0.0, low_open=True)
    inside = (r >= low) & (r <= high)
    if np.count_nonzero(inside) < 3:
        raise ValueError(
            f"window=({low:g}, {high:g}) holds {np.count_nonzero(inside)} points; valid: at "
            f"least 3 of r"
        )
    if np.any(g1[inside] <= 0.0):
        raise ValueError("g1 has values <= 0 inside the window; valid: g1 > 0")
    return r[inside], g1[inside]


def _line(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares y ≈ a + b x: (a, b, residual sum of squares)."""
    design = np.vstack([np.ones_like(x), x]).T
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coefficients
    return float(coefficients[0]), float(coefficients[1]), float(residual @ residual)


def power_law_fit(
    r: Any, g1: Any, window: Any, length: float, exponent: float | None = None
) -> tuple[float, float, float]:
    """Fit g1 ≈ C d(r)^(−p), d = (L/π) sin(πr/L), over ``window`` (0 < r < L): (p, C, RSS).

    ``exponent`` None fits p too; a number in [0, 100] fixes p (e.g. ``CLEAN_EXPONENT``, the
    clean ring's 1/2 at large k_F d: Lenard 1964; Vaidya-Tracy) and fits C alone. RSS is the
    residual sum of squares of log g1.
    """
    length = real_scalar("length", length, *LENGTH_RANGE)
    x, y = _window_points(r, g1, window)
    if x.max() >= length:
        raise ValueError(
            f"window reaches r = {x.max():g} >= length={length!r}; valid: a window below length"
        )
    log_chord = np.log((length / math.pi) * np.sin(math.pi * x / length))
    if exponent is None:
        intercept, slope, rss = _line(log_chord, np.log(y))
        return -slope, math.exp(intercept), rss
    exponent = real_scalar("exponent", exponent, 0.0, MAX_EXPONENT)
    residual = np.log(y) + exponent * log_chord
    intercept = float(residual.mean())
    residual -= intercept
    return float(exponent), math.exp(intercept), float(residual @ residual)


def classify_decay(r: Any, g1: Any, window: Any, length: float) -> DecayFit:
    """Exponential or the clean power law in ``window``, by the criterion of the module
    docstring.

    Errors are those of ordinary least squares (a lower bound for a disorder average; use
    :func:`decay_fit` for the jackknife error).
    """
    exponent = power_law_fit(r, g1, window, length)[0]
    _, power_amplitude, rss_power = power_law_fit(r, g1, window, length, CLEAN_EXPONENT)
    x, y = _window_points(r, g1, window)
    intercept, slope, rss_exp = _line(x, np.log(y))
    dof = max(x.size - 2, 1)
    rate_error = math.sqrt(rss_exp / dof / np.sum((x - x.mean()) ** 2))
    return _decided(
        -slope,
        rate_error,
        math.exp(intercept),
        exponent,
        power_amplitude,
        rss_exp,
        rss_power,
        (float(x[0]), float(x[-1])),
    )


def resolved_window(r: Any, g1: Any, window: Any) -> tuple[float, float]:
    """``window`` ended before ``g1`` (the average, or the smallest row it averages) first
    falls below ``RESOLVED_DENSITY_MATRIX`` inside it (its first three points are always
    kept): the part the orbitals' truncation resolves. Returns the first and last r kept."""
    r, g1 = real_array("r", r), real_array("g1", g1)
    x, _ = _window_points(r, np.ones_like(g1), window)  # g1 may reach 0 here: no logarithm
    y = g1[(r >= x[0]) & (r <= x[-1])]
    below = np.flatnonzero(y < RESOLVED_DENSITY_MATRIX)
    last = x.size - 1 if below.size == 0 else max(int(below[0]) - 1, 2)
    return float(x[0]), float(x[last])


def _decided(
    rate: float,
    rate_error: float,
    amplitude: float,
    exponent: float,
    power_amplitude: float,
    rss_exp: float,
    rss_power: float,
    window: tuple[float, float],
) -> DecayFit:
    exponential = rate > 0.0 and rss_exp * EXPONENTIAL_MARGIN <= rss_power
    xi = 1.0 / rate if exponential else math.inf
    xi_error = rate_error / rate**2 if exponential else math.inf
    return DecayFit(
        "exponential" if exponential else "power law",
        xi,
        xi_error,
        rate,
        rate_error,
        amplitude,
        exponent,
        power_amplitude,
        rss_exp,
        rss_power,
        window,
    )


def decay_fit(
    statistics: DecayStatistics, window: Any, length: float, statistic: str = "mean"
) -> DecayFit:
    """:func:`classify_decay` of the disorder average, with a jackknife error of 1/ξ.

    Parameters
    ----------
    statistics : DecayStatistics
        From :func:`~physics.tonks_girardeau.observables.decay_statistics`.
    window : (float, float)
        Fit window, 0 < r_min < r_max < L; it ends before the average first falls below
        ``RESOLVED_DENSITY_MATRIX`` (:func:`resolved_window`, the window fitted is returned).
    length : float
        Ring length L.
    statistic : {"mean", "typical"}
        E|γ| or exp E log|γ|.

    Returns
    -------
    DecayFit
        Model by the residual criterion; ``rate_error`` (and ``xi_error``) the jackknife
        standard error over the R realisations (R >= 2; for R = 1 the least-squares error).
    """
    instance("statistics", statistics, DecayStatistics, "a DecayStatistics")
    statistic = choice("statistic", statistic, ("mean", "typical"))
    curve = statistics.mean if statistic == "mean" else statistics.typical
    resolved = curve if statistic == "mean" else statistics.smallest_samples.min(axis=0)
    window = resolved_window(statistics.r, resolved, window)
    fit = classify_decay(statistics.r, curve, window, length)
    samples = statistics.mean_samples if statistic == "mean" else statistics.log_samples
    count = samples.shape[0]
    if count < 2:
        return fit
    total = samples.sum(axis=0)
    x, _ = _window_points(statistics.r, curve, window)
    inside = np.isin(statistics.r, x)
    rates = np.empty(count)
    for index in range(count):
        rest = (total - samples[index]) / (count - 1)
        log_curve = np.log(np.maximum(rest, np.finfo(float).tiny)) if statistic == "mean" else rest
        rates[index] = -_line(statistics.r[inside], log_curve[inside])[1]
    rate_error = math.sqrt((count - 1) / count * np.sum((rates - rates.mean()) ** 2))
    return _decided(
        fit.rate,
        rate_error,
        fit.amplitude,
        fit.exponent,
        fit.power_amplitude,
        fit.rss_exponential,
        fit.rss_power_law,
        fit.window,
    )


class SuperfluidExtrapolation(NamedTuple):
    """Fit ρ_s(L) = ρ_∞ + A e^{−L/ℓ_s} (see :func:`extrapolate_superfluid_density`)."""

    #: ρ_∞ = lim ρ_s(L) and its standard error (units n).
    rho_infinity: float
    rho_infinity_error: float
    #: A (units n) and ℓ_s (units 1/n; inf for a flat ρ_s(L)).
    amplitude: float
    length_scale: float
    length_scale_error: float
    #: The law fitted, for the plot's legend.
    law: str
    #: Why ρ_∞ is not given (NaN), or "" when it is.
    note: str = ""


LAW = "ρ_s(L) = ρ_∞ + A exp(−L/ℓ_s)"


def extrapolate_superfluid_density(lengths: Any, rho_s: Any, sigma: Any) -> SuperfluidExtrapolation:
    """Weighted least-squares ρ_s(L) = ρ_∞ + A e^{−L/ℓ_s} over at least 4 lengths.

    The law: with localised orbitals each level's twist sensitivity, hence L ΔE(θ), falls like
    e^{−L/ℓ} (Thouless); Seiringer-Warzel prove ρ_∞ = 0. A flat ρ_s(L) (the clean ring's
    ρ_s = n at every L) returns ρ_∞ = its mean, A = 0, ℓ_s = inf. Errors from the covariance
    of the fit with the given standard errors as absolute weights (σ = 0 → unit weights).

    Three parameters need the exponential to be resolved by the lengths sampled, so ρ_∞ is
    NaN (with the reason in ``note``) unless L_2 − L_1 <= ℓ_s <= L_max − L_1: (i) a shorter
    ℓ_s is felt by the smallest ring alone, and ρ_∞ is then the other points' mean with an error
    that ignores the curve's fall (weak speckle, L = 4 … 32: ℓ_s = 0.07 gave "ρ_∞ = 0.988 ±
    0.003", above every point but the first); (ii) a longer one extrapolates a piece of curve
    that does not level off inside the data. The law also assumes L ≫ the localisation length,
    which the fit cannot see: a caller must check it (weak Gaussian disorder 0.5: 1/λ_B ≈ 1700
    ≫ 32, yet the fit gives ℓ_s = 20, "ρ_∞ = 0.985 ± 0.009", against the theorem's ρ_∞ = 0).
    """
    lengths = real_array("lengths", lengths, *LENGTH_RANGE).ravel()
    rho_s = real_array("rho_s", rho_s).ravel()
    sigma = real_array("sigma", sigma, 0.0, None).ravel()
    if lengths.size < 4 or rho_s.shape != lengths.shape or sigma.shape != lengths.shape:
        raise ValueError(
            f"lengths, rho_s and sigma have {lengths.size}, {rho_s.size}, {sigma.size} values; "
            f"valid: equal counts, at least 4"
        )
    order = np.argsort(lengths)
    lengths, rho_s, sigma = lengths[order], rho_s[order], sigma[order]
    scale = max(float(np.abs(rho_s).max()), 1e-300)
    if np.ptp(rho_s) <= 1e-9 * scale:
        return SuperfluidExtrapolation(
            float(rho_s.mean()), float(sigma.max()), 0.0, math.inf, math.inf, LAW
        )
    weights = sigma if np.all(sigma > 0.0) else None
    guess_length = max(float(np.ptp(lengths)) / 2.0, 1e-3)
    guess = (
        float(rho_s[-1]) / 2.0,
        float(rho_s[0] - rho_s[-1]) * math.exp(lengths[0] / guess_length),
        guess_length,
    )

    def law(length: np.ndarray, rho_inf: float, amplitude: float, ell: float) -> np.ndarray:
        return rho_inf + amplitude * np.exp(-length / ell)

    try:
        values, covariance = scipy.optimize.curve_fit(
            law,
            lengths,
            rho_s,
            p0=guess,
            sigma=weights,
            absolute_sigma=weights is not None,
            bounds=([-np.inf, -np.inf, 1e-3], [np.inf, np.inf, 1e6]),
            maxfev=5000,
        )
    except (RuntimeError, ValueError):
        return SuperfluidExtrapolation(
            math.nan, math.inf, math.nan, math.nan, math.inf, LAW, "the fit did not converge"
        )
    errors = np.sqrt(np.abs(np.diag(covariance)))
    errors = np.where(np.isfinite(errors), errors, math.inf)
    rho_inf, amplitude, ell = (float(v) for v in values)
    note = _unresolved(lengths, ell)
    return SuperfluidExtrapolation(
        math.nan if note else rho_inf,
        math.inf if note else float(errors[0]),
        amplitude,
        ell,
        float(errors[2]),
        LAW,
        note,
    )


def _unresolved(lengths: np.ndarray, ell: float) -> str:
    """Why a fitted ℓ_s does not determine ρ_∞ (conditions (i), (ii) of
    :func:`extrapolate_superfluid_density`), or ""."""
    spacing = float(np.diff(lengths).min())
    span = float(lengths[-1] - lengths[0])
    if ell < spacing:
        return (
            f"the fitted ℓ_s = {ell:.2g} is below the smallest step between lengths "
            f"({spacing:g}): one ring alone sets the exponential"
        )
    if ell > span:
        return (
            f"the fitted ℓ_s = {ell:.3g} exceeds the span of the lengths ({span:g}): "
            f"ρ_s(L) does not level off inside the data"
        )
    return ""
