"""Exact forms of the first weak-coupling coefficients by integer-relation search (PSLQ).

Mariño–Reis (arXiv:1905.09575) Eqs. (29), (30) show that π^k c_k (Lieb–Liniger) and
π^{2(k−1)} c_k (Gaudin–Yang) are rational combinations of products of odd zeta values and even
powers of π of total weight ≤ k (weight of ζ(n) is n, of π² is 2). Given enough certified digits
of c_k, :func:`mpmath.pslq` finds the integer relation between x_k = π^s c_k and that basis; the
relation is accepted only if its residual is below the certified accuracy.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from physics._validate import choice, integer
from physics.series._models import MODELS
from physics.series._tables import load_table, weak_coupling_coefficients

__all__ = ["ClosedForm", "exact_closed_forms"]

_ODD_ZETAS = (3, 5, 7, 9, 11)
#: Digits used by PSLQ (enough for the ~20-element bases of k ≤ 10; more only costs time).
_PSLQ_DIGITS = 90


@dataclass(frozen=True)
class ClosedForm:
    """c_k = π^{−power_of_pi} Σ_m q_m · m, with monomials m in π² and ζ(odd).

    Attributes
    ----------
    k
        Index of the coefficient (Eq. 31 convention).
    power_of_pi
        s with c_k = (Σ q_m m) / π^s: k (LL) or 2(k − 1) (GY).
    terms
        Mapping monomial → rational q_m; a monomial is a tuple (a, (n, …)) meaning π^{2a} Π ζ(n).
    latex
        The closed form as a LaTeX string.
    residual
        |c_k − closed form| / |c_k| at the certified digits.
    """

    k: int
    power_of_pi: int
    terms: dict[tuple[int, tuple[int, ...]], Fraction]
    latex: str
    residual: float

    def value(self) -> mpmath.mpf:
        """The closed form evaluated at the current mpmath precision."""
        total = sum(
            (q.numerator * _monomial_value(m) / q.denominator for m, q in self.terms.items()),
            mpmath.mpf(0),
        )
        return total / mpmath.pi**self.power_of_pi


def _monomials(weight: int) -> list[tuple[int, tuple[int, ...]]]:
    """All π^{2a} Π ζ(n_i) (n_i odd ≥ 3, non-decreasing) of weight 2a + Σ n_i ≤ weight."""
    zeta_products: list[tuple[int, ...]] = [()]
    for size in range(1, weight // 3 + 1):
        for combo in itertools.combinations_with_replacement(_ODD_ZETAS, size):
            if sum(combo) <= weight:
                zeta_products.append(combo)
    out = []
    for zetas in zeta_products:
        for a in range((weight - sum(zetas)) // 2 + 1):
            out.append((a, zetas))
    return out


def _monomial_value(monomial: tuple[int, tuple[int, ...]]) -> mpmath.mpf:
    a, zetas = monomial
    value = mpmath.pi ** (2 * a)
    for n in zetas:
        value *= mpmath.zeta(n)
    return value


def _monomial_latex(monomial: tuple[int, tuple[int, ...]]) -> str:
    a, zetas = monomial
    parts = []
    if a:
        parts.append(rf"\pi^{{{2 * a}}}" if a > 1 else r"\pi^{2}")
    for n in sorted(set(zetas)):
        power = zetas.count(n)
        parts.append(rf"\zeta({n})" + (f"^{{{power}}}" if power > 1 else ""))
    return " ".join(parts)


def _latex(terms: dict, power_of_pi: int) -> str:
    """LaTeX of (Σ q_m m) / π^s with a common denominator and common powers of π cancelled."""
    common = min(a for a, _ in terms)
    terms = {(a - common, zetas): q for (a, zetas), q in terms.items()}
    net_power = 2 * common - power_of_pi
    denominator = 1
    for q in terms.values():
        denominator = denominator * q.denominator // _gcd(denominator, q.denominator)
    numerators = {m: int(q * denominator) for m, q in terms.items()}
    overall = -1 if all(v < 0 for v in numerators.values()) else 1
    ordered = sorted(numerators.items(), key=lambda item: -sum(item[0][1]) - 2 * item[0][0])
    pieces = []
    for m, coefficient in ordered:
        coefficient *= overall
        body = _monomial_latex(m)
        text = (str(abs(coefficient)) if abs(coefficient) != 1 or not body else "") + body
        pieces.append(("- " if coefficient < 0 else "+ ") + text)
    numerator = " ".join(pieces)
    numerator = numerator[2:] if numerator.startswith("+ ") else "-" + numerator[2:]
    pi_up = _pi_power(net_power) if net_power > 0 else ""
    pi_down = _pi_power(-net_power) if net_power < 0 else ""
    if len(ordered) > 1 and (pi_up or denominator != 1 or pi_down):
        numerator = f"\\left({numerator}\\right)" if pi_up else numerator
    if pi_up:
        numerator = pi_up if numerator == "1" else f"{numerator} {pi_up}"
    below = " ".join(x for x in (str(denominator) if denominator != 1 else "", pi_down) if x)
    sign = "-" if overall < 0 else ""
    if not below:
        return f"{sign}{numerator}" if len(ordered) == 1 else f"{sign}({numerator})"
    return f"{sign}\\frac{{{numerator}}}{{{below}}}"


def _pi_power(power: int) -> str:
    return r"\pi" if power == 1 else rf"\pi^{{{power}}}"


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return abs(a)


def _credible(relation: list[int], digits: int) -> bool:
    """A relation of n integers of size ≤ H means something only if n·log10(H) ≪ digits."""
    nonzero = [abs(r) for r in relation if r]
    return len(nonzero) * mpmath.log10(max(nonzero) + 1) + 10 < digits


def exact_closed_forms(model: str, count: int = 8) -> list[ClosedForm | None]:
    """Closed forms of c_0 … c_{count−1} found by PSLQ over ζ(odd) products and powers of π.

    Parameters
    ----------
    model
        ``"lieb-liniger"`` (Eq. 29 gives c_0 … c_7) or ``"gaudin-yang"`` (Eq. 30: c_0 … c_9).
    count
        Number of coefficients (1 ≤ count ≤ 12; beyond ~12 the basis outgrows the certified
        digits and PSLQ finds nothing reliable).

    Returns
    -------
    list
        One :class:`ClosedForm` per k, or ``None`` where no relation with coefficients below 10¹⁰
        holds to the certified accuracy.
    """
    model = choice("model", model, MODELS)
    count = integer("count", count, 1, 12)
    table = load_table(model)
    coefficients = weak_coupling_coefficients(model, min(count - 1, table["order"]))
    results: list[ClosedForm | None] = []
    for k, c in enumerate(coefficients):
        digits = min(table["digits_verified"][k], _PSLQ_DIGITS)
        power = k if model == "lieb-liniger" else 2 * (k - 1)
        with mpmath.workdps(digits):
            x = c * mpmath.pi**power
            basis = _monomials(max(k, 0))
            values = [_monomial_value(m) for m in basis]
            tolerance = mpmath.mpf(10) ** (-(digits - 8))
            relation = mpmath.pslq([x, *values], tol=tolerance, maxcoeff=10**10, maxsteps=10**5)
            if relation is None or relation[0] == 0 or not _credible(relation, digits):
                results.append(None)
                continue
            terms = {
                m: Fraction(-r, relation[0])
                for m, r in zip(basis, relation[1:], strict=False)
                if r != 0
            }
            closed = ClosedForm(k, power, terms, _latex(terms, power), 0.0)
            residual = float(abs(closed.value() - c) / abs(c))
        results.append(ClosedForm(k, power, terms, closed.latex, residual))
    return results
