"""Gauss–Nyström for the Lieb, Gaudin and Takahashi equations in Arb (python-flint) arithmetic.

The arbitrary-precision route to

    f(x) - int_{-B}^{B} k(x - y) f(y) dy = 2,    k(u) = (1/pi) sum_m a_m w_m / (u^2 + w_m^2),

(Mariño & Reis, arXiv:1905.09575, Eq. 2: one Lorentzian, a = +1, w = 1; Eq. 5: a = -1; the
repulsive Gaudin-Yang kernel is the alternating sum a_m = (-1)^(m+1), w_m = m, see
:mod:`physics._kernels`) on N Gauss-Legendre nodes of [-B, B], with the kernel evaluated at the
nodes (the plain Nyström rule). Convergence is geometric in N (docs/physics/resurgence.md,
section 1): the integrand k(x_i - y) f(y) has poles at y = x_i +- i, which limit the Gauss rule to
the rate 2 asinh(1/B) (~2/B at weak coupling, where B ~ 2/sqrt(gamma) (LL) or pi/(2 gamma)
(GY) is large), and f has branch points at x = +-B +- i, which limit it to the Bernstein-ellipse
rate of :func:`bernstein_rate`. At the node counts the high-precision solves need (N ~ 2.3 D B /
2 for D digits) the node spacing in the bulk, ~pi B / N, is well below the kernel's width 1, so
the product integration of the double-precision solver (:mod:`physics._nystrom`, which must
resolve the peak with far fewer nodes) buys nothing here: measured on both models at
gamma = 0.05 ... 10, the plain rule gives the same 36 digits at the same N, without the
Legendre-Q recurrence that cost a quarter of the time (~900 extra bits at B = 30).

Arithmetic: ``flint.arb`` midpoints; the folded Lorentzian matrix is built from outer products
in C (``arb_mat``) with one element-wise division, Takahashi's kernel at the node differences
from Taylor polynomials on panels (:func:`_alternating_kernel`); the solve is iterative
refinement on a float64 LU with residuals in Arb (:func:`_refine`). Only midpoints are used
(the error is estimated by the caller from two discretisations at two precisions, see
:mod:`physics._high_precision`).

Besides the moments <1> = int f and <x^2> = int x^2 f, the solve returns their exact first
B-derivatives from g = df/dB, which solves the same equation with the boundary source
k(x - B) f(B) + k(x + B) f(B): <1>' = 2 f(B) + int g, <x^2>' = 2 B^2 f(B) + int x^2 g.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.linalg
from flint import acb, acb_series, arb, arb_mat, arb_poly, ctx

from physics._kernels import Kernel

__all__ = [
    "ArbMoments",
    "WorkingPrecision",
    "bernstein_rate",
    "edge_moments",
    "gauss_legendre_arb",
]


def bernstein_rate(edge: float) -> float:
    """log rho of the Bernstein ellipse of [-1, 1] through 1 + i/B (f's nearest singularity)."""
    z = complex(1.0, 1.0 / edge)
    return math.log(abs(z + np.sqrt(z - 1.0) * np.sqrt(z + 1.0)))


@dataclass(frozen=True)
class ArbMoments:
    """<1>, <x^2> and their first B-derivatives (``flint.arb`` midpoints), and f(B)."""

    zeroth: arb
    zeroth_slope: arb
    second: arb
    second_slope: arb
    edge_value: arb


class WorkingPrecision:
    """Set flint's global working precision (bits) inside a ``with`` block, restore it after."""

    def __init__(self, bits: int):
        self.bits = bits

    def __enter__(self) -> None:
        self.saved = ctx.prec
        ctx.prec = self.bits

    def __exit__(self, *exc: object) -> None:
        ctx.prec = self.saved


@lru_cache(maxsize=16)
def gauss_legendre_arb(n: int, prec: int) -> tuple[np.ndarray, np.ndarray]:
    """The n//2 positive Gauss-Legendre nodes (increasing) and weights, at ``prec`` bits.

    Midpoints of flint's rigorous roots (``arb.legendre_p_root``).
    """
    with WorkingPrecision(prec):
        roots = [arb.legendre_p_root(n, k, weight=True) for k in range(n // 2)][::-1]
        nodes = np.array([t.mid() for t, _ in roots], dtype=object)
        weights = np.array([w.mid() for _, w in roots], dtype=object)
    return nodes, weights


#: Rows of the Nyström matrix assembled at a time (bounds the Python objects alive at once).
ROW_BLOCK = 64


def _lorentzian_rows(points, nodes, weights, height) -> arb_mat:
    """The Gauss rule for the Lorentzian h/(u^2 + h^2) (scaled variable), folded onto even
    functions: rows s_i, columns t_j,

        w_j h [1/((s_i - t_j)^2 + h^2) + 1/((s_i + t_j)^2 + h^2)] = 2 h w_j a / (a^2 - c^2),

    a = s_i^2 + t_j^2 + h^2, c = 2 s_i t_j. Numerator and denominator are sums of outer products
    (computed in C by ``arb_mat``); only the division is element-wise. a^2 - c^2 >= 4 h^2 s t
    loses up to 2 log2(1/h) bits, which the caller's guard bits cover. ``ROW_BLOCK`` rows at a
    time: the element-wise division goes through Python objects (~100 bytes each), which for
    all rows at once held several copies of the matrix (4 GB at 5000 nodes, 220 bits).
    """
    tau = [t * t + height * height for t in nodes]
    scaled = [2 * height * w for w in weights]
    numerator_columns = arb_mat([scaled, [b * c for b, c in zip(scaled, tau, strict=True)]])
    denominator_columns = arb_mat(
        [[arb(1)] * len(tau), tau, [c * c for c in tau], [t * t for t in nodes]]
    )
    result = arb_mat(len(points), len(nodes))
    for start in range(0, len(points), ROW_BLOCK):
        s2 = [s * s for s in points[start : start + ROW_BLOCK]]
        numerator = arb_mat([[a, arb(1)] for a in s2]) * numerator_columns
        denominator = arb_mat([[a * a, 2 * a, arb(1), -4 * a] for a in s2]) * denominator_columns
        for i in range(len(s2)):
            for j in range(len(nodes)):
                result[start + i, j] = numerator[i, j] / denominator[i, j]
    return result


def _float_matrix(matrix: arb_mat) -> np.ndarray:
    """The midpoints of ``matrix`` as float64, one entry at a time (no list of all entries)."""
    rows, cols = matrix.nrows(), matrix.ncols()
    return np.array([[float(matrix[i, j]) for j in range(cols)] for i in range(rows)])


def _refine(operator: arb_mat, factor: arb, right: arb_mat, lu, prec: int) -> list[list[arb]]:
    """Solve (I - factor * operator) u = right by iterative refinement on a float64 LU.

    Each sweep computes the residual in Arb (one matrix product in C) and corrects with the
    float64 factorisation of the same operator (``lu``), gaining ~13 digits; sweeps stop when
    the residual is within 16 ulps of the solution at ``prec`` bits or stops falling (it then
    sits at the rounding floor of the residual's own evaluation).
    """
    size, count = right.nrows(), right.ncols()
    solution = arb_mat(size, count)
    residual, previous = right, math.inf
    for _ in range(prec // 30 + 4):
        values = np.array([float(v) for v in residual.entries()]).reshape(size, count)
        correction = scipy.linalg.lu_solve(lu, values)
        solution += arb_mat(size, count, [arb(v) for v in correction.ravel()])
        residual = right - solution + factor * (operator * solution)
        scale = max(abs(float(v)) for v in solution.entries())
        size_now = max(abs(float(v)) for v in residual.entries()) / scale
        if size_now <= 2.0 ** (4 - prec) or size_now > previous / 4:
            break
        previous = size_now
    return solution.tolist()


def edge_moments(edge: arb, kernel: Kernel, n: int, prec: int) -> ArbMoments:
    """Solve f - int_{-B}^{B} k f = 2 on ``n`` nodes at ``prec`` bits; moments at B.

    The kernel k (:mod:`physics._kernels`) is a sum of Lorentzians a w / (pi (u^2 + w^2)); a
    single one by :func:`_lorentzian_rows`, Takahashi's alternating sum (the repulsive
    Gaudin-Yang gas) by :func:`_alternating_kernel`.

    Parameters
    ----------
    edge
        B > 0 (an exact ``arb`` midpoint).
    kernel
        :data:`physics._kernels.LIEB`, :data:`~physics._kernels.GAUDIN` or
        :data:`~physics._kernels.TAKAHASHI`.
    n
        Even number of Gauss-Legendre nodes on [-B, B].
    prec
        Working precision in bits.
    """
    nodes, weights = gauss_legendre_arb(n, prec)
    edge_float = float(edge.mid())
    half = n // 2
    with WorkingPrecision(prec + 2 * math.ceil(math.log2(2 + edge_float))):
        if kernel.alternating:
            terms = ()
            operator, edge_row = _remainder_matrix(edge, kernel, nodes, weights)
        else:
            terms = kernel.terms(edge_float, n)
            ((amplitude, width),) = terms
            height = width / edge
            scale = amplitude / arb.pi()
            operator = _lorentzian_rows(nodes, nodes, weights, height) * scale
            edge_row = _lorentzian_rows([arb(1)], nodes, weights, height) * scale
    with WorkingPrecision(prec):
        floats = _float_matrix(operator)
        lu = scipy.linalg.lu_factor(np.eye(half) - floats)
        x = edge * nodes
        w = edge * weights
        boundary = _kernel_values(kernel, terms, np.concatenate([x - edge, x + edge]))
        right = arb_mat(
            [[arb(2), a + b] for a, b in zip(boundary[:half], boundary[half:], strict=True)]
        )
        solution = arb_mat(_refine(operator, arb(1), right, lu, prec))
        edge_values = (edge_row * solution).entries()
        density = np.array([row[0] for row in solution.tolist()], dtype=object)
        response = np.array([row[1] for row in solution.tolist()], dtype=object)
        edge_value = 2 + edge_values[0]
        x2 = x * x
        return ArbMoments(
            zeroth=2 * (w @ density),
            zeroth_slope=2 * edge_value * (1 + w @ response),
            second=2 * (w @ (x2 * density)),
            second_slope=2 * edge_value * (edge * edge + w @ (x2 * response)),
            edge_value=edge_value,
        )


def _kernel_values(kernel: Kernel, terms, u: np.ndarray) -> np.ndarray:
    """k(u) at real ``arb`` points: the near Lorentzians plus the remainder."""
    values = kernel.remainder_arb(u, len(terms))
    for amplitude, width in terms:
        values = values + np.array(
            [amplitude * width / (arb.pi() * (v * v + width * width)) for v in u], dtype=object
        )
    return values


def _remainder_matrix(edge, kernel, nodes, weights) -> tuple[arb_mat, arb_mat]:
    """Gauss rule for Takahashi's whole kernel k, folded onto even functions:
    B w_j [k(B (s_i - t_j)) + k(B (s_i + t_j))], rows s_i the nodes t_i (square operator) and the
    edge s = 1 (one row). k is even, so k(B (t_i - t_j)) + k(B (t_i + t_j)) is symmetric in i, j
    and computed once per pair.
    """
    cols = len(nodes)
    points = [*nodes, arb(1)]
    pairs = [(i, j) for i in range(cols) for j in range(i, cols)] + [(cols, j) for j in range(cols)]
    minus = [edge * (points[i] - nodes[j]) for i, j in pairs]
    plus = [edge * (points[i] + nodes[j]) for i, j in pairs]
    values = _alternating_kernel(kernel, minus + plus)
    folded = {pair: values[k] + values[len(pairs) + k] for k, pair in enumerate(pairs)}
    scaled = [edge * w for w in weights]
    square = arb_mat(
        cols,
        cols,
        [
            scaled[j] * folded[(i, j) if i <= j else (j, i)]
            for i in range(cols)
            for j in range(cols)
        ],
    )
    edge_row = arb_mat(1, cols, [scaled[j] * folded[(cols, j)] for j in range(cols)])
    return square, edge_row


#: Taylor panels of :func:`_alternating_kernel` reach a quarter of the way to the nearest pole.
_PANEL_REACH = 0.25


def _alternating_kernel(kernel: Kernel, u: list[arb]) -> list[arb]:
    """Takahashi's kernel (sign/pi) Re beta(1 - i u) at real ``u`` (``kernel.remainder_arb`` with
    count 0), at flint's working precision, by Taylor polynomials on panels.

    beta(z) = [psi((z + 1)/2) - psi(z/2)]/2 is analytic in u except at u = -i (1 + m), m >= 0,
    so around a centre c its Taylor series converges for |u - c| < R = sqrt(1 + c^2). The
    panels [c - r R, c + r R], r = 1/4, cover [0, max |u|] (k is even; about a dozen up to
    |u| = 35, each ~5/3 as wide as the last at large u). On each, the series in
    s = (u - c)/(r R), |s| <= 1, whose terms fall like r^n, is truncated where
    r^n < 2^-prec / (2 + max |u|) (the kernel falls like 1/u^2, the nearest pole's terms like
    1/u) and evaluated in C (``arb_poly``). Its coefficients come from the Taylor series of
    log Gamma (``acb_series.lgamma``): beta(z) = d/dz [lgamma((z + 1)/2) - lgamma(z/2)],
    z = 1 - i (c + r R s). One Horner pass per point replaces the two acb digammas of
    ``remainder_arb`` (tests compare the two).
    """
    sizes = [abs(v) for v in u]
    top = max([float(v) for v in sizes], default=0.0)
    prec = ctx.prec
    terms = math.ceil((prec + 8 + math.log2(2 + top)) / -math.log2(_PANEL_REACH)) + 2
    edges, panels = [0.0], []
    while edges[-1] <= top:
        centre = edges[-1]
        for _ in range(40):  # the centre whose panel starts at the last edge
            centre = edges[-1] + _PANEL_REACH * math.hypot(1.0, centre)
        reach = _PANEL_REACH * math.hypot(1.0, centre)
        edges.append(centre + reach)
        polynomial = _taylor_polynomial(kernel.sign, centre, reach, terms, prec)
        panels.append((arb(centre), 1 / arb(reach), polynomial))
    out = []
    for size in sizes:
        centre, inverse, polynomial = panels[bisect.bisect_right(edges, float(size)) - 1]
        out.append(polynomial((size - centre) * inverse))
    return out


def _taylor_polynomial(sign: int, centre: float, reach: float, terms: int, prec: int) -> arb_poly:
    """(sign/pi) Re beta(1 - i (c + reach s)) as a real polynomial in s, ``terms`` coefficients.

    In s the coefficients are O(r^n) and Arb's absolute errors stay relative; 80 guard bits
    cover the cancellation of the lgamma values (~|z| log |z|) against Re beta (~1/|z|^2) and
    what the lgamma series itself loses at large |Im z| (measured: with 40 guard bits the
    midpoints were off by 1e-44 at u = 30 and 180 bits; with 80, within 3e-54 everywhere on
    [0, 35], where the digamma route is within 4e-51).
    """
    saved = ctx.cap
    try:
        ctx.cap = terms + 1
        with WorkingPrecision(prec + 80):
            z0 = acb(1, -centre)
            step = acb(0, -reach) / 2  # dz/ds / 2
            upper = acb_series([(z0 + 1) / 2, step], prec=terms + 1).lgamma()
            lower = acb_series([z0 / 2, step], prec=terms + 1).lgamma()
            factor = sign / (arb.pi() * acb(0, -reach))  # d/dz = (1/(-i reach)) d/ds
            series = (upper - lower).derivative().coeffs()
            coefficients = [(factor * b).real for b in series[:terms]]
        with WorkingPrecision(prec):  # midpoints at the working precision: a cheaper Horner
            return arb_poly([(+c).mid() for c in coefficients])
    finally:
        ctx.cap = saved
