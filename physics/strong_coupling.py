"""Exact strong-coupling (1/gamma) expansions of the LL and attractive GY ground-state energies.

Derived here, not copied: for small B the kernel of Lieb's (Mariño-Reis Eq. 2) and Gaudin's
(Eq. 5) equations is expanded as 1/((x - y)^2 + 1) = sum_n (-1)^n (x - y)^(2n) (|x - y| <= 2B < 1).
With x = B u and b = B/pi the density becomes a power series f = sum_m b^m phi_m(u) whose
coefficients phi_m are polynomials in u with coefficients in Q[pi^2]:

    phi_m(u) = 2 delta_{m0} + sign * sum_{n >= 0} (-1)^n pi^(2n) int_{-1}^{1} (u - v)^(2n)
               phi_{m-2n-1}(v) dv.

Then 1/gamma = b S(b) (S = int f du / 4 for LL, Eq. 3; S = int f du for GY, Eq. 6) is reverted
to b(1/gamma) and substituted into Eq. (4) resp. (7). All arithmetic is exact (fractions).

Form of the result (``a_k`` is a polynomial in pi^2 with rational coefficients):

- Lieb-Liniger:  e(gamma) = (pi^2/3) sum_k a_k gamma^(-k),  a = 1, -4, 12, -32 + 32 pi^2/15, ...
- Gaudin-Yang:   e_F(gamma) + gamma^2/4 = (pi^2/48) sum_k a_k gamma^(-k)  (tightly bound pairs:
  hard-core bosons of mass 2m at density n/2 give the leading pi^2/48).

Each a_k is returned as a tuple (a_k0, a_k1, ...) meaning a_k = sum_j a_kj pi^(2j).
The series converge for gamma large enough (B < 1/2 needed for the kernel expansion).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from physics import _assets, _validate

__all__ = [
    "MODELS",
    "STRONG_COUPLING_TABLE",
    "strong_coupling_coefficients",
    "strong_coupling_energy",
]

MODELS = ("lieb-liniger", "gaudin-yang")
_SIGN = {"lieb-liniger": 1, "gaudin-yang": -1}
#: Highest order derived: the exact fractions grow fast, and so does the time (measured on
#: the 2-core machine, one derivation: order 20 ~7-9 s, 24 ~14 s, 28 ~40 s, 32 ~90 s; order 40
#: took 9.5 minutes, which a caller could ask for without a word, QA).
MAX_ORDER = 30

#: The shipped table of a_0 … a_K (``qgas precompute``; :mod:`physics._assets`), a path
#: below ``assets/``: ``{"models": {model: [[a_k0, a_k1, …] as "p/q" strings, …]}, …}``.
STRONG_COUPLING_TABLE = ("series", "strong-coupling.json")

# Q[pi^2] elements are tuples of Fractions: (c0, c1, ...) means c0 + c1 pi^2 + c2 pi^4 + ...
Coefficient = tuple[Fraction, ...]


def _add(a: Coefficient, b: Coefficient) -> Coefficient:
    size = max(len(a), len(b))
    return tuple(
        (a[i] if i < len(a) else Fraction(0)) + (b[i] if i < len(b) else Fraction(0))
        for i in range(size)
    )


def _mul(a: Coefficient, b: Coefficient) -> Coefficient:
    if not a or not b:
        return ()
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return tuple(out)


def _scale(a: Coefficient, factor: Fraction) -> Coefficient:
    return tuple(x * factor for x in a)


def _trim(a: Coefficient) -> Coefficient:
    a = list(a)
    while a and a[-1] == 0:
        a.pop()
    return tuple(a)


# Power series in one variable, truncated: lists of Coefficients, index = power.
def _series_mul(a: list, b: list, order: int) -> list:
    out = [()] * (order + 1)
    for i, x in enumerate(a[: order + 1]):
        if x:
            for j, y in enumerate(b[: order + 1 - i]):
                if y:
                    out[i + j] = _add(out[i + j], _mul(x, y))
    return out


def _series_compose(outer: list, inner: list, order: int) -> list:
    """outer(inner(y)) with inner(0) = 0, by Horner's rule."""
    result: list = [()] * (order + 1)
    for coefficient in reversed(outer[: order + 1]):
        result = _series_mul(result, inner, order)
        result[0] = _add(result[0], coefficient)
    return result


def _series_reciprocal(a: list, order: int) -> list:
    """1/a for a power series whose constant term is a nonzero rational."""
    (leading,) = _trim(a[0])
    out = [()] * (order + 1)
    out[0] = (1 / leading,)
    for k in range(1, order + 1):
        total: Coefficient = ()
        for j in range(1, k + 1):
            if j < len(a) and a[j] and out[k - j]:
                total = _add(total, _mul(a[j], out[k - j]))
        out[k] = _scale(total, -1 / leading)
    return out


def _density_coefficients(sign: int, order: int) -> list[dict[int, Coefficient]]:
    """phi_m(u) for m <= order, each a dict {power of u: Coefficient}."""
    phis: list[dict[int, Coefficient]] = [{0: (Fraction(2),)}]
    for m in range(1, order + 1):
        phi: dict[int, Coefficient] = {}
        for n in range((m - 1) // 2 + 1):
            source = phis[m - 2 * n - 1]
            pi_power: Coefficient = (Fraction(0),) * n + (Fraction(sign * (-1) ** n),)
            # int_{-1}^{1} (u - v)^(2n) v^p dv = sum_j C(2n, j) u^(2n-j) (-1)^j 2/(j+p+1), j+p even
            for p, coefficient in source.items():
                for j in range(2 * n + 1):
                    if (j + p) % 2:
                        continue
                    weight = Fraction(math.comb(2 * n, j) * (-1) ** j * 2, j + p + 1)
                    term = _mul(pi_power, _scale(coefficient, weight))
                    phi[2 * n - j] = _add(phi.get(2 * n - j, ()), term)
        phis.append(phi)
    return phis


def _moment(phis: list[dict[int, Coefficient]], power: int) -> list:
    """Series in b of int_{-1}^{1} u^power f(b pi u) du."""
    return [_trim(_sum_moment(phi, power)) for phi in phis]


def _sum_moment(phi: dict[int, Coefficient], power: int) -> Coefficient:
    total: Coefficient = ()
    for p, c in phi.items():
        if (p + power) % 2 == 0:
            total = _add(total, _scale(c, Fraction(2, p + power + 1)))
    return total


@lru_cache(maxsize=4)
def _shipped_coefficients(model: str) -> tuple[Coefficient, ...]:
    """a_0 … a_K of ``model`` from :data:`STRONG_COUPLING_TABLE` (empty if absent or invalid)."""
    table = _assets.read_table(*STRONG_COUPLING_TABLE)
    try:
        rows = table["models"][model]
        return tuple(tuple(Fraction(entry) for entry in row) for row in rows)
    except (TypeError, KeyError, ValueError, ZeroDivisionError):
        return ()


@lru_cache(maxsize=16)
def _derived_coefficients(model: str, order: int) -> tuple[Coefficient, ...]:
    sign = _SIGN[model]
    # b / y to order K needs b(y) to order K + 1
    inner = order + 1
    phis = _density_coefficients(sign, inner)
    norm = _moment(phis, 0)
    second = _moment(phis, 2)
    # 1/gamma = y = b * S(b): S = norm/4 (LL, Eq. 3) or norm (GY, Eq. 6)
    s_series = [_scale(c, Fraction(1, 4)) if model == "lieb-liniger" else c for c in norm]
    reciprocal = _series_reciprocal(s_series, inner)
    # b(y) = y / S(b(y)): fixed point, one order per sweep
    b_of_y: list = [(), (1 / s_series[0][0],)] + [()] * (inner - 1)
    for _ in range(inner):
        b_of_y = [(), *_series_compose(reciprocal, b_of_y, inner)[:inner]]
    ratio = b_of_y[1:]  # b / y, orders 0..order
    cube = _series_mul(_series_mul(ratio, ratio, order), ratio, order)
    second_of_y = _series_compose(second, b_of_y, order)
    energy = _series_mul(cube, second_of_y, order)
    prefactor = Fraction(3, 4) if model == "lieb-liniger" else Fraction(48)
    return tuple(_trim(_scale(c, prefactor)) for c in energy)


def strong_coupling_coefficients(
    model: str = "lieb-liniger", order: int = 10, *, precomputed: bool = True
) -> tuple[tuple[Fraction, ...], ...]:
    """Exact coefficients a_0..a_order of the 1/gamma expansion of the ground-state energy.

    LL: e(gamma) = (pi^2/3) sum_k a_k gamma^(-k). GY: e_F(gamma) + gamma^2/4 =
    (pi^2/48) sum_k a_k gamma^(-k). Each a_k is a tuple (a_k0, a_k1, ...) of Fractions meaning
    sum_j a_kj pi^(2j). Derived by the small-B expansion of Lieb's / Gaudin's equation (module
    docstring); e.g. LL a_0..a_3 = 1, -4, 12, -32 + 32 pi^2/15.

    Parameters
    ----------
    model
        ``"lieb-liniger"`` or ``"gaudin-yang"``.
    order
        Highest power of 1/gamma, 0 <= order <= ``MAX_ORDER`` (30). Orders beyond the shipped
        table are derived: ~14 s at 24, ~40 s at 28, about a minute at 30.
    precomputed
        Read the orders the shipped table holds (:data:`STRONG_COUPLING_TABLE`, the same exact
        fractions derived once by ``qgas precompute``) instead of deriving them again (order 20
        takes ~7-9 s); ``False`` always derives.
    """
    model = _validate.choice("model", model, MODELS)
    order = _validate.integer("order", order, 0, MAX_ORDER)
    if not isinstance(precomputed, bool):
        raise TypeError(f"precomputed={precomputed!r} must be True or False")
    shipped = _shipped_coefficients(model) if precomputed else ()
    if len(shipped) > order:
        return shipped[: order + 1]
    return _derived_coefficients(model, order)


def strong_coupling_energy(
    gamma: ArrayLike, model: str = "lieb-liniger", order: int = 10, derivative: int = 0
) -> float | np.ndarray:
    """Truncated strong-coupling series of e(gamma) (LL) or e_F(gamma) (GY), or a derivative.

    Includes the -gamma^2/4 pair energy for GY. Truncation error ~ (4/gamma)^(order+1) relative
    (measured at gamma = 100, LL); use for gamma >~ 10 (the expansion parameter is ~2B ~ 2pi/gamma).

    Parameters
    ----------
    gamma
        Coupling, scalar or array, > 0; where the truncated series leaves the float range
        (tiny gamma, high order) a ValueError names gamma, order and derivative.
    model
        ``"lieb-liniger"`` or ``"gaudin-yang"``.
    order
        Highest power of 1/gamma kept.
    derivative
        0, 1 or 2: the series itself or its term-by-term gamma-derivative.

    Examples
    --------
    The series against the Bethe-ansatz energy at γ = 1000 (two independent routes):

    >>> from physics.lieb_liniger import ground_state_energy
    >>> from physics.strong_coupling import strong_coupling_energy
    >>> e = strong_coupling_energy(1000.0, "lieb-liniger", order=10)
    >>> bool(abs(e - ground_state_energy(1000.0)) < 1e-9)
    True
    """
    values = _validate.real_array("gamma", gamma, 0.0, None, low_open=True)
    derivative = _validate.integer("derivative", derivative, 0, 2)
    coefficients = strong_coupling_coefficients(model, order)
    numeric = [sum(float(c) * math.pi ** (2 * j) for j, c in enumerate(a)) for a in coefficients]
    # d^p/dgamma^p gamma^-k = (-1)^p k (k+1)...(k+p-1) gamma^-(k+p)
    factors = [
        (-1) ** derivative * math.prod(range(k, k + derivative)) for k in range(len(numeric))
    ]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        inverse = 1.0 / values
        total = np.zeros_like(values)
        for a, factor in zip(reversed(numeric), reversed(factors), strict=True):
            total = total * inverse + factor * a
        total = total * inverse**derivative
        if model == "lieb-liniger":
            result = math.pi**2 / 3 * total
        else:
            pair = (values**2 / 4, values / 2, np.full_like(values, 0.5))[derivative]
            result = math.pi**2 / 48 * total - pair
    _validate.finite_result("the series", result, gamma=gamma, order=order, derivative=derivative)
    return float(result) if np.ndim(result) == 0 else result
