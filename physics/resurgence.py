"""Large-order (resurgence) analysis of the weak-coupling series of e(γ).

Mariño–Reis (arXiv:1905.09575) Eq. (32): c^B_k ~ (8π)^{−k} Γ(k) (Lieb–Liniger) and
c^F_k ~ (π²)^{−k+1} Γ(k − 1) (attractive Gaudin–Yang): both series diverge factorially with a
Borel singularity on the positive axis, at ζ = 8π (in the variable conjugate to 1/√γ) and ζ = π²
(conjugate to 1/γ), hence non-perturbative ambiguities e^{−8π/√γ} and e^{−π²/γ} (Eq. 33).

Tools: the ratio sequence and its Richardson transforms, an estimate of the singularity with an
error bar, the Borel transform, its Padé approximants and their poles, and lateral Borel–Padé
sums. All take the coefficients from the shipped tables
(:func:`physics.series.weak_coupling_coefficients`) and work in mpmath at 60 digits unless stated.
"""

from __future__ import annotations

import functools
import numbers
import warnings
from dataclasses import dataclass

import mpmath
import numpy as np

from physics import _assets
from physics._validate import choice, integer, real_array, real_scalar
from physics.series import MODELS, coefficient_table, table_order, weak_coupling_coefficients

__all__ = [
    "BORELSHIFT",
    "PADE_POLES_TABLE",
    "RATIO_SHIFT",
    "BorelPadeSum",
    "borel_pade_poles",
    "borel_pade_sum",
    "borel_singularity_estimate",
    "borel_transform_coefficients",
    "coefficients_fingerprint",
    "expected_singularity",
    "nonperturbative_scale",
    "ratio_sequence",
    "richardson_transform",
]

#: Shift s of the ratio sequence r_k = (k − s) c_k / c_{k+1}: LL s = 0 (k c_k/c_{k+1}, Eq. 32
#: with Γ(k)), GY s = 1 ((k − 1) c_k / c_{k+1}, Eq. 32 with Γ(k − 1)). Both → A, with no 1/k term.
RATIO_SHIFT = {"lieb-liniger": 0, "gaudin-yang": 1}
#: Borel transform B(ζ) = Σ_{k≥s} c_k ζ^{k−s} / Γ(k − s + 1), s = 1 (LL), 2 (GY).
BORELSHIFT = {"lieb-liniger": 1, "gaudin-yang": 2}

_DPS = 60
#: Highest Richardson transform of :func:`borel_singularity_estimate` (beyond ~20 the
#: alternating weights k^N / (i! (N − i)!) amplify rounding past the 60 working digits).
_MAX_TRANSFORM = 30
_PADE_DPS = 100

#: The shipped table of Padé poles (``qgas precompute``; :mod:`physics._assets`), a path below
#: ``assets/``: ``{"models": {model: {"coefficients_fingerprint": …, "poles": {order: [[Re, Im],
#: …]}}}, …}``. It is used only while the fingerprint matches the coefficient table's.
PADE_POLES_TABLE = ("series", "borel-pade-poles.json")


def expected_singularity(model: str) -> mpmath.mpf:
    """The Borel singularity A of Eq. (32): 8π (Lieb–Liniger) or π² (Gaudin–Yang).

    Examples
    --------
    >>> import math
    >>> from physics.resurgence import expected_singularity
    >>> math.isclose(float(expected_singularity("lieb-liniger")), 8 * math.pi)
    True
    """
    model = choice("model", model, MODELS)
    return 8 * mpmath.pi if model == "lieb-liniger" else mpmath.pi**2


def nonperturbative_scale(model: str, gamma: float | np.ndarray) -> float | np.ndarray:
    """The size e^{−A/g} of the non-perturbative ambiguity of e(γ), Mariño–Reis Eq. (33).

    g = √γ and A = 8π for Lieb–Liniger; g = γ and A = π² for Gaudin–Yang. The error of the
    optimally truncated weak-coupling series is of this order.

    Parameters
    ----------
    model
        ``"lieb-liniger"`` or ``"gaudin-yang"``.
    gamma
        Coupling γ > 0 (float or array).
    """
    model = choice("model", model, MODELS)
    gamma = real_array("gamma", gamma, 0.0, None, low_open=True)
    variable = np.sqrt(gamma) if model == "lieb-liniger" else gamma  # g of Eq. (31)
    scale = np.exp(-float(expected_singularity(model)) / variable)
    return float(scale) if scale.ndim == 0 else scale


def _coefficients(model: str, order: int | None) -> list[mpmath.mpf]:
    model = choice("model", model, MODELS)
    top = table_order(model)
    order = top if order is None else integer("order", order, 2, top)
    return weak_coupling_coefficients(model, order)


def ratio_sequence(model: str, order: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Ratios r_k = (k − s) c_k / c_{k+1} (s = :data:`RATIO_SHIFT`), which tend to A (Eq. 32).

    Returns
    -------
    (k, r)
        Integer array k = s + 1 … order − 1 and an object array of ``mpmath.mpf`` r_k (LL: k c_k /
        c_{k+1} → 8π; GY: (k − 1) c_k / c_{k+1} → π²). Both approach A as A + O(1/k²).
    """
    c = _coefficients(model, order)
    shift = RATIO_SHIFT[model]
    ks = np.arange(shift + 1, len(c) - 1)
    with mpmath.workdps(_DPS):
        values = np.array([(int(k) - shift) * c[k] / c[k + 1] for k in ks], dtype=object)
    return ks, values


def richardson_transform(
    sequence: tuple[np.ndarray, np.ndarray], order: int
) -> tuple[np.ndarray, np.ndarray]:
    """N-th Richardson transform of a sequence (k, s_k) with consecutive k.

    R_N(k) = Σ_{i=0}^{N} s_{k+i} (k + i)^N (−1)^{i+N} / (i! (N − i)!) cancels the terms 1/k … 1/k^N
    of s_k = s_∞ + a_1/k + a_2/k² + …; vectorised over k.

    Returns
    -------
    (k, R_N)
        k of the first element used and R_N(k) (object array of mpf), length len(k) − N.
    """
    ks, values = _checked_sequence(sequence)
    order = integer("order", order, 0, len(ks) - 1)
    count = len(ks) - order
    with mpmath.workdps(_DPS):
        total = np.zeros(count, dtype=object)
        for i in range(order + 1):
            weight = mpmath.mpf((-1) ** (i + order)) / (
                mpmath.factorial(i) * mpmath.factorial(order - i)
            )
            shifted_k = np.array([mpmath.mpf(int(k)) ** order for k in ks[i : i + count]])
            total = total + values[i : i + count] * shifted_k * weight
    return ks[:count], total


def _checked_sequence(sequence: object) -> tuple[np.ndarray, np.ndarray]:
    """(k, s_k) as arrays after checking the shape: consecutive integers k, finite real s_k."""
    described = "a pair (k, s_k) of equal-length sequences, k consecutive integers"
    if not isinstance(sequence, (tuple, list)) or len(sequence) != 2:
        raise TypeError(f"sequence={sequence!r} is not {described}")
    ks, values = (np.asarray(part, dtype=object) for part in sequence)
    if ks.ndim != 1 or values.shape != ks.shape or ks.size == 0:
        raise ValueError(f"sequence has shapes {ks.shape}, {values.shape}; valid: {described}")
    ks = np.array([integer("sequence k", k) for k in ks])
    if np.any(np.diff(ks) != 1):
        raise ValueError(f"sequence has k = {ks.tolist()}; valid: {described}")
    with mpmath.workdps(_DPS):
        converted = [mpmath.mpf(v) if isinstance(v, numbers.Real) else v for v in values]
        if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in converted):
            raise ValueError(f"sequence holds s_k = {values!r}; valid: finite real numbers")
    return ks, np.array(converted, dtype=object)


def borel_singularity_estimate(
    model: str, order: int | None = None, max_transform: int = 14
) -> tuple[float, float]:
    """Position A of the first Borel singularity from the Richardson-accelerated ratios.

    For N = 1 … ``max_transform`` the last element of R_N (built from r_{K−N−1} … r_{K−1}) is
    computed; the estimate is the R_N whose difference from R_{N−1} is smallest, and the error bar
    is the larger of that difference and the change of R_N between its last two elements.

    Returns
    -------
    (value, error)
        Floats; expected 8π (LL) or π² (GY). With the shipped order-100 tables (N = 14): LL
        25.13274122870857 ± 2.4e−11 (true error 9.8e−12), GY 9.869604401088514 ± 2.0e−12 (true
        error 8.4e−13), i.e. 12–13 significant digits.
    """
    max_transform = integer("max_transform", max_transform, 2, _MAX_TRANSFORM)
    sequence = ratio_sequence(model, order)
    ratios = len(sequence[0])
    if ratios < max_transform + 2:
        lower = ratios - 2  # the transforms these ratios allow (at least 2 are needed)
        smaller = f" or max_transform <= {lower} (at least 2)" if lower >= 2 else ""
        raise ValueError(
            f"order={order!r} gives {ratios} ratios, too few for max_transform={max_transform}; "
            f"valid: order >= {order + max_transform + 2 - ratios}{smaller}"
        )
    tops = {}
    for n in range(1, max_transform + 1):
        _, transformed = richardson_transform(sequence, n)
        tops[n] = (transformed[-1], transformed[-2])
    best_n = min(range(2, max_transform + 1), key=lambda n: abs(tops[n][0] - tops[n - 1][0]))
    value = tops[best_n][0]
    error = max(abs(value - tops[best_n - 1][0]), abs(value - tops[best_n][1]))
    return float(value), float(error)


def borel_transform_coefficients(model: str, order: int | None = None) -> list[mpmath.mpf]:
    """Taylor coefficients b_j = c_{j+s} / Γ(j + 1) of B(ζ) = Σ_{k≥s} c_k ζ^{k−s}/Γ(k − s + 1).

    s = 1 (LL, series in g = √γ) or 2 (GY, g = γ); then (Eq. 31)
    e/γ − c_0 = ∫_0^∞ e^{−ζ/g} B(ζ) dζ (LL) and e − c_0 − c_1 γ = γ ∫_0^∞ e^{−ζ/γ} B(ζ) dζ (GY),
    term by term. B(ζ) is singular at ζ = A (Eq. 32).
    """
    c = _coefficients(model, order)
    shift = BORELSHIFT[model]
    with mpmath.workdps(_DPS):
        return [c[k] / mpmath.factorial(k - shift) for k in range(shift, len(c))]


def _pade(model: str, degree: int) -> tuple[list, list]:
    """[degree/degree] Padé approximant P/Q of B(ζ), coefficient lists (lowest degree first).

    B is first rescaled, ζ = ρ w with ρ = |b_{n−1}/b_n| from the last two coefficients (the
    ratio estimate of the radius of convergence), so that the Hankel system is well conditioned;
    it is solved at :data:`_PADE_DPS` digits and the coefficients are scaled back.
    """
    b = borel_transform_coefficients(model)
    degree = integer("order", degree, 1, (len(b) - 1) // 2)
    with mpmath.workdps(_PADE_DPS):
        radius = abs(b[2 * degree - 1] / b[2 * degree])
        scaled = [b[j] * radius**j for j in range(2 * degree + 1)]
        p, q = mpmath.pade(scaled, degree, degree)
        p = [a / radius**j for j, a in enumerate(p)]
        q = [a / radius**j for j, a in enumerate(q)]
    return p, q


def coefficients_fingerprint(model: str) -> str:
    """Fingerprint of the shipped coefficient table of ``model`` (what the Padé poles used)."""
    model = choice("model", model, MODELS)
    return _assets.fingerprint(coefficient_table(model)["coefficients"])


def borel_pade_poles(model: str, order: int = 30, *, precomputed: bool = True) -> np.ndarray:
    """Poles of the diagonal [order/order] Padé approximant of the Borel transform B(ζ).

    The genuine singularity shows as poles accumulating on the positive real axis from ζ = A
    (8π for LL, π² for GY), a branch cut approximated by poles; the rest are scattered or spurious.

    Parameters
    ----------
    model
        ``"lieb-liniger"`` or ``"gaudin-yang"``.
    order
        Padé order, 1 … (number of Borel coefficients − 1) / 2.
    precomputed
        Read the poles from the shipped table (:data:`PADE_POLES_TABLE`, computed by this
        function with ``precomputed=False`` through ``qgas precompute``; up to 6 s per order)
        when it holds this order for the current coefficient table; ``False`` always computes.

    Returns
    -------
    ndarray of complex128, sorted by distance from the origin.
    """
    model = choice("model", model, MODELS)
    if not isinstance(precomputed, bool):
        raise TypeError(f"precomputed={precomputed!r} must be True or False")
    top = (len(borel_transform_coefficients(model)) - 1) // 2
    order = integer("order", order, 1, top)
    shipped = _shipped_poles(model).get(order) if precomputed else None
    if shipped is not None:
        return shipped.copy()
    _, q = _pade(model, order)
    with mpmath.workdps(_DPS):
        roots = _roots(q)
    poles = np.array([complex(r) for r in roots])
    return poles[np.argsort(np.abs(poles))]


@functools.lru_cache(maxsize=4)
def _shipped_poles(model: str) -> dict[int, np.ndarray]:
    """Poles by order from :data:`PADE_POLES_TABLE`, if it matches the coefficient table."""
    table = _assets.read_table(*PADE_POLES_TABLE)
    try:
        entry = table["models"][model]
        if entry["coefficients_fingerprint"] != coefficients_fingerprint(model):
            return {}
        return {
            int(order): np.array([complex(re, im) for re, im in poles], dtype=complex)
            for order, poles in entry["poles"].items()
        }
    except (TypeError, KeyError, ValueError):
        return {}


@dataclass(frozen=True)
class BorelPadeSum:
    """Lateral Borel–Padé sum of e(γ) and the expected size of its imaginary part.

    Attributes
    ----------
    value
        e(γ) summed along the ray just above the positive real axis (complex mpc).
    nonperturbative_scale
        e^{−8π/√γ} (LL) or e^{−π²/γ} (GY), Eq. (33): Im value is of this order times a power of γ.
    """

    value: mpmath.mpc
    nonperturbative_scale: mpmath.mpf


def _laplace_of_rational(p: list, q: list, g: mpmath.mpf) -> mpmath.mpc:
    """∫_0^∞ e^{−ζ/g} P(ζ)/Q(ζ) dζ along the ray just above the positive axis (simple poles)."""
    roots = _roots(q)
    quotient, remainder = _polydiv(p, q)
    total = mpmath.mpc(0)
    for j, a in enumerate(quotient):
        total += a * mpmath.factorial(j) * g ** (j + 1)
    dq = [j * q[j] for j in range(1, len(q))]
    tiny = mpmath.mpf(10) ** (-(mpmath.mp.dps - 10))
    for root in roots:
        residue = _horner(remainder, root) / _horner(dq, root)
        pole = mpmath.mpc(root) - 1j * tiny * (1 + abs(root))
        argument = -pole / g
        total += residue * mpmath.exp(argument) * mpmath.e1(argument)
    return total


def _horner(coefficients: list, x):
    """Σ_j coefficients[j] x^j."""
    total = 0
    for c in reversed(coefficients):
        total = total * x + c
    return total


def _roots(coefficients: list) -> list:
    """Complex roots of Σ_j coefficients[j] ζ^j (mpmath Durand–Kerner, high working precision)."""
    with warnings.catch_warnings():
        # mpmath ≥ 1.4 deprecates the descending order that mpmath 1.3 requires.
        warnings.simplefilter("ignore", DeprecationWarning)
        return mpmath.polyroots(coefficients[::-1], maxsteps=200, extraprec=150)


def _polydiv(p: list, q: list) -> tuple[list, list]:
    """Quotient and remainder of P/Q (coefficient lists, lowest degree first)."""
    p = list(p)
    if len(p) < len(q):
        return [], p
    quotient = [mpmath.mpf(0)] * (len(p) - len(q) + 1)
    for i in reversed(range(len(quotient))):
        factor = p[i + len(q) - 1] / q[-1]
        quotient[i] = factor
        for j, b in enumerate(q):
            p[i + j] -= factor * b
    return quotient, p[: len(q) - 1]


def borel_pade_sum(model: str, gamma: float, order: int = 30) -> BorelPadeSum:
    """Lateral Borel–Padé resummation of the weak-coupling series at coupling γ.

    Uses the [order/order] Padé approximant of B(ζ) (:func:`borel_transform_coefficients`) and the
    Laplace integral along the ray just above the positive axis, done exactly by partial fractions
    (∫_0^∞ e^{−ζ/g}/(ζ − p) dζ = e^{−p/g} E_1(−p/g), with the poles on the axis passed above).

    Returns
    -------
    BorelPadeSum
        The complex e(γ); its real part approximates the exact e(γ) beyond optimal truncation
        (for γ ≲ 1), its imaginary part is the ambiguity ~ e^{−8π/√γ} (LL) / e^{−π²/γ} (GY).
    """
    model = choice("model", model, MODELS)
    gamma = real_scalar("gamma", gamma, 0.0, 10.0, low_open=True)
    c = weak_coupling_coefficients(model, 2)
    p, q = _pade(model, order)
    with mpmath.workdps(_DPS):
        g_gamma = mpmath.mpf(gamma)
        if model == "lieb-liniger":
            g = mpmath.sqrt(g_gamma)
            value = g_gamma * (c[0] + _laplace_of_rational(p, q, g))
            scale = mpmath.exp(-8 * mpmath.pi / g)
        else:
            value = c[0] + c[1] * g_gamma + g_gamma * _laplace_of_rational(p, q, g_gamma)
            scale = mpmath.exp(-(mpmath.pi**2) / g_gamma)
    return BorelPadeSum(value=value, nonperturbative_scale=scale)
