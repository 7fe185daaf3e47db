"""Reference values typed from the papers, one function per equation and one place per source.

Every test that compares with a paper's closed form takes it from here, so each formula is typed
once and checked against the paper once. Values are ``mpmath`` numbers at the working precision
of the caller (``mpmath.workdps``); :func:`floats` gives double-precision copies.

Sources
-------
* M. Mariño and T. Reis, *Exact perturbative results for the Lieb–Liniger and Gaudin–Yang
  models*, J. Stat. Phys. **177**, 1148 (2019): Eqs. (29), (30).
* Z. Ristivojevic, *Exact result for the polaron mass in a one-dimensional Bose gas*,
  (2021): Eqs. (22), (23).
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath


def marino_reis_eq29() -> list[mpmath.mpf]:
    """Mariño–Reis Eq. (29): Lieb–Liniger c_0 … c_7 of e_B(γ) = γ Σ_k c_k γ^{k/2}."""
    pi, z3, z5, z7 = mpmath.pi, mpmath.zeta(3), mpmath.zeta(5), mpmath.zeta(7)
    return [
        mpmath.mpf(1),
        -4 / (3 * pi),
        mpmath.mpf(1) / 6 - 1 / pi**2,
        (3 * z3 - 4) / (8 * pi**3),
        (3 * z3 - 4) / (24 * pi**4),
        (60 * z3 - 45 * z5 - 32) / (1024 * pi**5),
        3 * (4 * z3 + 6 * z3**2 - 15 * z5) / (2048 * pi**6),
        (-4368 * z3 + 6048 * z3**2 + 2520 * z5 - 8505 * z7 + 1024) / (786432 * pi**7),
    ]


def marino_reis_eq30() -> list[mpmath.mpf]:
    """Mariño–Reis Eq. (30): attractive Gaudin–Yang c_0 … c_9 of e_F(γ) = Σ_k c_k γ^k."""
    pi, z3, z5, z7 = mpmath.pi, mpmath.zeta(3), mpmath.zeta(5), mpmath.zeta(7)
    return [
        pi**2 / 12,
        -mpmath.mpf(1) / 2,
        -mpmath.mpf(1) / 12,
        -z3 / pi**4,
        -3 * z3 / (2 * pi**6),
        -3 * z3 / pi**8,
        -5 * (5 * z3 + 3 * z5) / (4 * pi**10),
        -3 * (35 * z3 + 12 * z3**2 + 75 * z5) / (8 * pi**12),
        -63 * (7 * z3 + 12 * z3**2 + 35 * z5 + 12 * z7) / (16 * pi**14),
        -3 * (404 * z3**2 + z3 * (240 * z5 + 77) + 147 * (5 * z5 + 6 * z7)) / (4 * pi**16),
    ]


def ristivojevic_eq22() -> list[mpmath.mpf]:
    """Ristivojevic Eq. (22): weak coupling, m/m* = Σ_k d_k γ^{k/2}, d_0 … d_5."""
    pi, z3, z5 = mpmath.pi, mpmath.zeta(3), mpmath.zeta(5)
    return [
        mpmath.mpf(1),
        -2 / (3 * pi),
        mpmath.mpf(0),
        (4 - 3 * z3) / (16 * pi**3),
        (4 - 3 * z3) / (24 * pi**4),
        3 * (32 - 60 * z3 + 45 * z5) / (2048 * pi**5),
    ]


def ristivojevic_eq23() -> list[mpmath.mpf]:
    """Ristivojevic Eq. (23): strong coupling, m/m* = Σ_k a_k γ^{-k}, a_0 … a_4."""
    pi = +mpmath.pi
    return [mpmath.mpf(0), 2 * pi**2 / 3, -4 * pi**2, 16 * pi**2, -32 * pi**2 * (15 - pi**2) / 9]


def floats(reference: Callable[[], list[mpmath.mpf]]) -> tuple[float, ...]:
    """Double-precision values of ``reference`` (computed with 30 digits, then rounded)."""
    with mpmath.workdps(30):
        return tuple(float(c) for c in reference())
