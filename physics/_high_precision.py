"""Ground-state energies to many digits: the Lieb and Gaudin equations in Arb, with an error.

Behind ``ground_state_energy(gamma, digits=...)`` of :mod:`physics.lieb_liniger`,
:mod:`physics.gaudin_yang` and :mod:`physics.gaudin_yang_repulsive`. Each model is
f - (sign/pi) int_{-B}^{B} K f = 2 (Mariño-Reis, arXiv:1905.09575, Eqs. 2 and 5; for the
repulsive gas f - int k f = 2 with Takahashi's kernel k, docs/physics/
gaudin-yang-repulsive-and-gap.md) with

    1/gamma = <1> / (kappa pi),    e = gamma^3 <x^2> / (kappa pi) - pair * gamma^2 / 4

(kappa = 4 and no pair term for Lieb-Liniger, Eqs. 3-4, and for the repulsive Gaudin-Yang gas;
kappa = 1 and the pair binding energy for attractive Gaudin-Yang, Eqs. 6-7), discretised by
:mod:`physics._nystrom_arb`.

Method for D requested digits (measurements in docs/physics/resurgence.md, section 1):

1. Node count. The Nyström error decays like exp(-N r) with r = min(log rho, 2 asinh(1/B)):
   log rho is the Bernstein-ellipse rate of f's edge singularities at x = +-B +- i, and
   2 asinh(1/B) ~ 2/B the Gauss rule's rate for the kernel's poles at y = x +- i in the bulk,
   which limits at large B (docs/physics/resurgence.md, section 1).
2. Newton on B. From the double-precision B(gamma) (relative mismatch of gamma < 1e-14), a
   Newton step with the exact dgamma/dB (a second right-hand side of the same solve) at
   reduced accuracy (no more digits than the step can gain, nor than the last one needs:
   about (D + guard)/2), repeated until the mismatch mu satisfies mu^2 < 10^-(D + guard);
   the energy is then corrected to first order, e(B) + (de/dB)/(dgamma/dB) (gamma -
   gamma(B)), leaving O(mu^2).
3. Error. At the final B two solves: a coarse one aiming at D + guard digits and a fine one
   with 30 % more nodes and 40 more bits. The fine value is returned; |fine - coarse| bounds
   the coarse solve's error (discretisation and rounding both shrink in the fine one) and is
   returned as the error estimate. If it exceeds 10^-D |e|, the pair is repeated once with a
   larger guard, then RuntimeError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
from flint import arb

from physics import _validate
from physics._bethe import coupling_state
from physics._kernels import GAUDIN, LIEB, TAKAHASHI, Kernel
from physics._nystrom_arb import WorkingPrecision, bernstein_rate, edge_moments
from physics.series._arb import to_mpf

__all__ = ["MAX_DIGITS", "MODELS", "PreciseModel", "energy_with_error", "node_count"]

MAX_DIGITS = 60
"""Largest number of digits accepted (the cost grows like digits^2 to digits^3)."""

#: Most work N_fine^2 x bits of one call (N_fine nodes of the fine solve at its precision): the
#: Arb Nystrom matrix and its solve cost ~0.3 bytes and ~1e-8 s of CPU per unit (measured
#: 3 Dec 2026, one BLAS thread: Gaudin-Yang gamma = 0.05, 30 digits, 5.2e8 units, 4.8 s,
#: 140 MB; gamma = 0.02, 32 digits, the shipped table's costliest, 3.85e9 units, 23 s,
#: 1.0 GB peak). About 1 GB and half a minute; beyond, a ValueError (Gaudin-Yang at
#: gamma = 0.02 and 40 digits took 4.3 GB).
MAX_WORK = 4.0e9

_GUARD_DIGITS = 6
_FINE_NODE_FACTOR = 1.3
_FINE_EXTRA_BITS = 40
_START_DIGITS = 13  # relative accuracy of the double-precision B(gamma) used as Newton's start
_MAX_CANCELLATION_DIGITS = 20  # extra digits where the Gaudin-Yang e crosses zero


@dataclass(frozen=True)
class PreciseModel:
    """The constants of one integral equation (see the module docstring)."""

    name: str
    kernel: Kernel
    kappa: int
    pair: bool
    gamma_range: tuple[float, float]


MODELS = {
    "lieb-liniger": PreciseModel("lieb-liniger", LIEB, 4, False, (1e-2, 1e4)),
    "gaudin-yang": PreciseModel("gaudin-yang", GAUDIN, 1, True, (2e-2, 1e2)),
    "gaudin-yang-repulsive": PreciseModel("gaudin-yang-repulsive", TAKAHASHI, 4, False, (0.1, 1e3)),
}


def node_count(edge: float, digits: float) -> int:
    """Even N with exp(-N min(log rho, 2 asinh(1/B))) <= 10^-digits (module docstring, step 1)."""
    rate = min(bernstein_rate(edge), 2.0 * math.asinh(1.0 / edge))
    n = math.ceil(digits * math.log(10) / rate) + 8
    return n + n % 2


def _bits(digits: float, edge: float) -> int:
    return math.ceil(digits * math.log2(10)) + 2 * math.ceil(math.log2(2 + edge)) + 16


def _work(edge: float, aim: float) -> float:
    """N_fine^2 x bits of the fine solve aiming at ``aim`` digits (see ``MAX_WORK``)."""
    fine_n = math.ceil(_FINE_NODE_FACTOR * node_count(edge, aim))
    return fine_n * fine_n * (_bits(aim, edge) + _FINE_EXTRA_BITS)


def _check_work(gamma: float, digits: int, edge: float, extra: float) -> None:
    """Refuse ``digits`` at ``gamma`` if the solve would exceed ``MAX_WORK`` (about 1 GB and a
    minute): the nodes grow like digits x B(gamma), B ~ 1/gamma at small gamma."""
    if _work(edge, digits + extra + _GUARD_DIGITS) <= MAX_WORK:
        return
    most = next(
        (d for d in range(digits - 1, 0, -1) if _work(edge, d + extra + _GUARD_DIGITS) <= MAX_WORK),
        0,
    )
    valid = f"digits in [1, {most}]" if most else "no digits (a larger gamma)"
    raise ValueError(
        f"digits={digits} at gamma={gamma!r} needs more than the limit of one call (about 1 GB "
        f"of memory and a minute: {MAX_WORK:.3g} node^2 x bits); valid at gamma={gamma!r}: "
        f"{valid}, or a larger gamma"
    )


@dataclass(frozen=True)
class _Solve:
    energy: mpmath.mpf  # corrected to the target gamma (first order)
    mismatch: mpmath.mpf  # gamma - gamma(B), relative
    next_edge: arb  # Newton's update of B


def _solve(model: PreciseModel, gamma: arb, edge: arb, n: int, prec: int) -> _Solve:
    moments = edge_moments(edge, model.kernel, n, prec)
    with WorkingPrecision(prec):
        scale = model.kappa * arb.pi()
        m0, m2 = moments.zeroth, moments.second
        solved = scale / m0
        solved_slope = -scale * moments.zeroth_slope / (m0 * m0)
        energy = scale * scale * m2 / m0**3
        energy_slope = (
            scale * scale * (moments.second_slope / m0**3 - 3 * m2 * moments.zeroth_slope / m0**4)
        )
        mismatch = gamma - solved
        corrected = energy + energy_slope / solved_slope * mismatch
        if model.pair:
            corrected -= gamma * gamma / 4
        next_edge = arb((edge + mismatch / solved_slope).mid())
    with mpmath.workprec(prec):  # mpf((sign, man, exp, bc)) rounds to the working precision
        return _Solve(to_mpf(corrected), to_mpf(mismatch / gamma), next_edge)


def _cancellation_digits(model: PreciseModel, gamma: float) -> float:
    """Digits lost to e = (integral part) - gamma^2/4 where the Gaudin-Yang e nears zero."""
    if not model.pair:
        return 0.0
    energy = coupling_state(gamma, model.name, 0).energy
    ratio = abs(energy + gamma * gamma / 4) / max(abs(energy), 1e-300)
    return min(_MAX_CANCELLATION_DIGITS, max(0.0, math.log10(ratio)))


def energy_with_error(
    model: PreciseModel, gamma: object, digits: object
) -> tuple[mpmath.mpf, mpmath.mpf]:
    """e(gamma) to ``digits`` significant digits and its error estimate (``mpmath.mpf`` pair).

    ``gamma`` (a float, taken as its exact binary value, or an ``mpmath.mpf``) must lie in the
    model's ``gamma_range``; ``digits`` is an integer in [1, MAX_DIGITS].

    Raises
    ------
    ValueError
        If gamma or digits is out of range.
    RuntimeError
        If the two discretisations do not agree to 10^-digits after one retry.
    """
    digits = _validate.integer("digits", digits, 1, MAX_DIGITS)
    value = _validate.real_scalar("gamma", gamma, *model.gamma_range)
    exact = gamma if isinstance(gamma, mpmath.mpf) else mpmath.mpf(value)
    state = coupling_state(value, model.name, 2)
    edge_float = state.edge
    extra = _cancellation_digits(model, value)
    _check_work(value, digits, edge_float, extra)
    target_digits = digits + extra
    requested = mpmath.mpf(10) ** (-digits)
    for guard in (_GUARD_DIGITS, 3 * _GUARD_DIGITS):
        aim = target_digits + guard
        prec = _bits(aim, edge_float)
        with WorkingPrecision(prec + _FINE_EXTRA_BITS):
            target = arb(exact)
        edge = arb(edge_float)
        accurate = _START_DIGITS
        while 2 * accurate < aim:  # Newton steps at the accuracy the next step can use,
            # and no more than the final first-order correction needs (mu^2 < 10^-aim)
            step = min(aim, 2 * accurate + 2, math.ceil(aim / 2) + 2)
            edge = _solve(
                model, target, edge, node_count(edge_float, step), _bits(step, edge_float)
            ).next_edge
            accurate = step
        n = node_count(edge_float, aim)
        coarse = _solve(model, target, edge, n, prec)
        fine_n = math.ceil(_FINE_NODE_FACTOR * n)
        fine = _solve(model, target, edge, fine_n + fine_n % 2, prec + _FINE_EXTRA_BITS)
        with mpmath.workprec(prec + _FINE_EXTRA_BITS):
            error = abs(fine.energy - coarse.energy) + abs(fine.mismatch) ** 2 * abs(fine.energy)
        if error <= requested * abs(fine.energy):
            return fine.energy, error
    raise RuntimeError(
        f"could not reach {digits} digits at gamma={mpmath.nstr(exact, 17)}: two discretisations "
        f"differ by {mpmath.nstr(error / abs(fine.energy), 3)} relative"
    )
