"""Resummations of the weak-coupling series of e(γ) to compare with the exact energies.

Three ways of giving the divergent series of Mariño–Reis Eq. (31) a value at coupling γ:

- optimal truncation: the partial sum up to the smallest term (error ~ e^{−A/g}, Eq. 33);
- the lateral Borel–Padé sum: the [P/P] Padé approximant of the Borel transform B(ζ)
  (:func:`physics.resurgence.borel_transform_coefficients`), Laplace-transformed along the ray
  just above the positive axis, in closed form by partial fractions
  (∫_0^∞ e^{−ζ/g} dζ/(ζ − p) = e^{−p/g} E_1(−p/g)); its imaginary part is the ambiguity, to be
  compared with (L2) of :mod:`physics.resurgence_large_order`;
- the conformal-map Borel sum (the mapping of Rossi, Ohgoe, Van Houcke and Werner, PRL 121,
  130405 (2018), used there for a Borel-summable series): the cut plane ζ ∉ [A, ∞) is mapped onto
  the unit disc by ζ = 4A w/(1 + w)², where B(ζ(w)) = Σ d_n w^n converges, and the Laplace
  integral is taken along the ray arg ζ = θ = π/4 in the upper half plane (equal to the lateral
  sum by Cauchy's theorem, since B is analytic off the cut) by 120-node Gauss–Laguerre
  quadrature.

All return complex ``mpmath.mpc`` values for e(γ) (LL: γ (c_0 + Σ_{k≥1} c_k g^k), g = √γ; GY:
c_0 + c_1 γ + Σ_{k≥2} c_k γ^k).

The repulsive Gaudin–Yang gas (``"gaudin-yang-repulsive"``) has the attractive series at −γ
(Mariño–Reis, after Eq. 33; docs/physics/gaudin-yang-repulsive-and-gap.md, §R4): its Borel
transform is B(−ζ), singular at ζ = −π² only, so the series is alternating and Borel summable.
Its Padé poles are the attractive ones reflected, p → −p (none on the Laplace ray, the sum is
real), and its conformal map is the attractive one at −ζ (cut (−∞, −π²]), integrated along the
real axis itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import mpmath
import numpy as np

from physics._validate import choice, integer, real_scalar
from physics.resurgence import (
    _horner,
    _pade,
    _polydiv,
    _roots,
    borel_transform_coefficients,
    expected_singularity,
)
from physics.series import MODELS, optimal_truncation_order, partial_sum, weak_coupling_coefficients

__all__ = [
    "GAMMA_MAX",
    "RESUMMED_MODELS",
    "OptimalTruncation",
    "conformal_borel_sum",
    "lateral_borel_pade_sum",
    "optimal_truncation",
]

#: Largest coupling accepted by the resummations (beyond it the series says little).
GAMMA_MAX = 10.0
_DPS = 50
_RAY_ANGLE = mpmath.pi / 4
_MAX_CONFORMAL_ORDER = 98
_REAL_POLE = mpmath.mpf(10) ** -30  # |Im p| / |p| below which a Padé pole is on the axis
#: Digits of the conformal sum's quadrature: the exact energies compared with carry 32 digits
#: (40 for the repulsive gas, :mod:`physics.resurgence_repulsive`).
_QUADRATURE_DPS = {"lieb-liniger": 36, "gaudin-yang": 36, "gaudin-yang-repulsive": 50}
_LAGUERRE_NODES = 120

#: The models resummed here: those of :mod:`physics.series` and the repulsive Gaudin–Yang gas.
RESUMMED_MODELS = (*MODELS, "gaudin-yang-repulsive")
#: A model whose series is another one's at −γ: its Borel transform is that model's B(−ζ).
_REFLECTED = {"gaudin-yang-repulsive": "gaudin-yang"}


@dataclass(frozen=True)
class OptimalTruncation:
    """The partial sum up to the smallest term: its value, the order and the smallest term."""

    value: mpmath.mpf
    order: int
    smallest_term: mpmath.mpf


def _checked(model: str, gamma: float) -> tuple[str, int, mpmath.mpf]:
    """(series model, sign σ, γ): the model's series is that series at σγ."""
    model = choice("model", model, RESUMMED_MODELS)
    value = real_scalar("gamma", gamma, 0.0, GAMMA_MAX, low_open=True)
    return _REFLECTED.get(model, model), -1 if model in _REFLECTED else 1, mpmath.mpf(value)


def optimal_truncation(model: str, gamma: float) -> OptimalTruncation:
    """The weak-coupling series truncated after its smallest term |c_k g^k|, k ≥ 1 (Eq. 33).

    Parameters
    ----------
    model
        One of :data:`RESUMMED_MODELS`.
    gamma
        Coupling in (0, 10].
    """
    model, sign, g = _checked(model, gamma)
    order = optimal_truncation_order(model, float(g))
    with mpmath.workdps(_DPS):
        c = weak_coupling_coefficients(model, order)
        variable = mpmath.sqrt(g) if model == "lieb-liniger" else g
        prefactor = g if model == "lieb-liniger" else 1
        smallest = abs(prefactor * c[order] * variable**order)
        if sign > 0:
            return OptimalTruncation(+partial_sum(model, g, order), order, +smallest)
        value = mpmath.fsum(c[k] * (-g) ** k for k in range(order + 1))
        return OptimalTruncation(value, order, +smallest)


@functools.lru_cache(maxsize=8)
def _fractions(model: str, order: int) -> tuple[list, list, list]:
    """Polynomial part and (pole, residue) pairs of the [order/order] Padé approximant of B."""
    p, q = _pade(model, order)
    with mpmath.workdps(_DPS + 50):
        roots = _roots(q)
        quotient, remainder = _polydiv(p, q)
        dq = [j * q[j] for j in range(1, len(q))]
        residues = [_horner(remainder, r) / _horner(dq, r) for r in roots]
    return quotient, roots, residues


def _prefactors(
    model: str, sign: int, gamma: mpmath.mpf
) -> tuple[mpmath.mpf, mpmath.mpf, mpmath.mpf]:
    """(g, multiplier, constant): e = constant + multiplier · ∫_0^∞ e^{−ζ/g} B(σζ) dζ."""
    c = weak_coupling_coefficients(model, 2)
    if model == "lieb-liniger":
        return mpmath.sqrt(gamma), gamma, gamma * c[0]
    return gamma, gamma, c[0] + sign * c[1] * gamma


def lateral_borel_pade_sum(model: str, gamma: float, order: int = 40) -> mpmath.mpc:
    """e(γ) from the [order/order] Borel–Padé approximant along the ray above the cut.

    Parameters
    ----------
    model
        One of :data:`RESUMMED_MODELS`.
    gamma
        Coupling in (0, 10].
    order
        Padé order, 1 … 49 (the shipped 100 coefficients); the approximant is cached.

    Returns
    -------
    mpmath.mpc
        Real part: the (leading-order median) resummed energy; imaginary part: the ambiguity,
        ≈ −(|S|/2) g^{−β} e^{−A/g} (…), see :mod:`physics.resurgence_large_order` (zero for
        the repulsive gas, whose Borel transform B(−ζ) has no singularity on the ray).
    """
    model, sign, g_gamma = _checked(model, gamma)
    top = (len(borel_transform_coefficients(model)) - 1) // 2
    order = integer("order", order, 1, top)
    quotient, roots, residues = _fractions(model, order)
    with mpmath.workdps(_DPS):
        g, multiplier, constant = _prefactors(model, sign, g_gamma)
        total = mpmath.mpc(0)
        for j, a in enumerate(quotient):  # B(σζ): the ζ^j term times σ^j
            total += sign**j * a * mpmath.factorial(j) * g ** (j + 1)
        tiny = mpmath.mpf(10) ** (-(_DPS + 20))
        imaginary = mpmath.mpf(0)
        for pole_of_b, residue_of_b in zip(roots, residues, strict=True):
            # r/(σζ − p) = σr/(ζ − σp): the poles of B(σζ)
            root, residue = sign * pole_of_b, sign * residue_of_b
            pole = mpmath.mpc(root) - 1j * tiny * (1 + abs(root))  # the ray passes above
            total += residue * mpmath.exp(-pole / g) * mpmath.e1(-pole / g)
            if abs(mpmath.im(root)) < _REAL_POLE * abs(root) and mpmath.re(root) > 0:
                # E_1(-x - i0) = -Ei(x) - i pi: the discontinuity, summed alone so that an
                # Im e far below Re e keeps its digits (conjugate pairs cancel exactly)
                imaginary -= mpmath.pi * mpmath.re(residue) * mpmath.exp(-mpmath.re(root) / g)
        return mpmath.mpc(mpmath.re(constant + multiplier * total), multiplier * imaginary)


@functools.lru_cache(maxsize=2)
def _conformal_coefficients(model: str) -> list[mpmath.mpf]:
    """d_0 … d_98 of B(ζ(w)) = Σ d_n w^n, ζ = 4A w/(1 + w)² (power-series composition; d_n
    depends on b_0 … b_n only, so a lower order is a truncation of this list)."""
    order = _MAX_CONFORMAL_ORDER
    b = borel_transform_coefficients(model)[: order + 1]
    with mpmath.workdps(_DPS + 30):
        a = expected_singularity(model)
        # ζ(w) = 4A Σ_{n≥1} (−1)^{n+1} n w^n
        zeta = [mpmath.mpf(0)] + [4 * a * (-1) ** (n + 1) * n for n in range(1, order + 1)]
        d = [mpmath.mpf(0)] * (order + 1)
        power = [mpmath.mpf(1)] + [mpmath.mpf(0)] * order  # ζ(w)^j, truncated
        for j in range(order + 1):
            for n in range(order + 1):
                d[n] += b[j] * power[n]
            power = [
                mpmath.fsum(power[i] * zeta[n - i] for i in range(n)) if n else mpmath.mpf(0)
                for n in range(order + 1)
            ]
    return d


def conformal_borel_sum(model: str, gamma: float, order: int = 60) -> mpmath.mpc:
    """e(γ) from the conformally mapped Borel transform, Laplace integral above the cut.

    Parameters
    ----------
    model
        One of :data:`RESUMMED_MODELS`; for the repulsive gas B(−ζ) is integrated along the
        real axis (θ = 0), where it is analytic.
    gamma
        Coupling in (0, 10].
    order
        Number of terms of B(ζ(w)) kept, 1 … 98 (re-expansion cached).
    """
    dps = _QUADRATURE_DPS[choice("model", model, RESUMMED_MODELS)]
    model, sign, g_gamma = _checked(model, gamma)
    order = integer("order", order, 1, _MAX_CONFORMAL_ORDER)
    d = _conformal_coefficients(model)[: order + 1]
    angle = _RAY_ANGLE if sign > 0 else mpmath.mpf(0)
    with mpmath.workdps(dps):
        g, multiplier, constant = _prefactors(model, sign, g_gamma)
        a = expected_singularity(model)
        direction = mpmath.expjpi(angle / mpmath.pi)
        # ζ = t e^{iθ}, t = g u / cos θ: ∫_0^∞ e^{−u} e^{−i u tan θ} B(σζ) (g e^{iθ}/cos θ) du
        stretch = g / mpmath.cos(angle)
        total = mpmath.mpc(0)
        for u, weight in zip(*_gauss_laguerre(_LAGUERRE_NODES, dps), strict=True):
            zeta = sign * u * stretch * direction
            root = mpmath.sqrt(1 - zeta / a)
            w = (1 - root) / (1 + root)
            total += weight * mpmath.expj(-u * mpmath.tan(angle)) * _horner(d, w)
        return constant + multiplier * total * stretch * direction


@functools.lru_cache(maxsize=4)
def _gauss_laguerre(n: int, dps: int) -> tuple[list[mpmath.mpf], list[mpmath.mpf]]:
    """Gauss–Laguerre nodes and weights (weight e^{−u} on [0, ∞)) at ``dps`` digits.

    float64 nodes (numpy) polished by Newton's method on the three-term recurrence of L_n;
    w_i = u_i / ((n + 1)² L_{n+1}(u_i)²).
    """
    with mpmath.workdps(dps + 10):
        nodes, weights = [], []
        for guess in np.polynomial.laguerre.laggauss(n)[0]:
            u = mpmath.mpf(guess)
            for _ in range(6):
                previous, current = mpmath.mpf(1), 1 - u
                for k in range(1, n):
                    previous, current = (
                        current,
                        ((2 * k + 1 - u) * current - k * previous) / (k + 1),
                    )
                slope = n * (current - previous) / u  # u L_n' = n (L_n - L_{n-1})
                u -= current / slope
            following = ((2 * n + 1 - u) * current - n * previous) / (n + 1)
            nodes.append(u)
            weights.append(u / ((n + 1) ** 2 * following**2))
    return nodes, weights
