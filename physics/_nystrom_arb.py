"""Product-integration Nyström for the Lieb and Gaudin equations in Arb (python-flint) arithmetic.

The arbitrary-precision twin of :mod:`physics._nystrom`: the same discretisation of

    f(x) - (sign / pi) int_{-B}^{B} K(x - y) f(y) dy = 2,    K(u) = 1 / (u^2 + 1),

(Mariño & Reis, arXiv:1905.09575, Eq. 2 with sign = +1, Eq. 5 with sign = -1, both times 2;
the repulsive Gaudin-Yang kernel is an alternating sum of such Lorentzians, each treated alike,
see :func:`edge_moments` and :mod:`physics._kernels`) on
N Gauss-Legendre nodes of [-B, B], with the kernel integrated exactly against each Lagrange
basis polynomial through the closed form

    int_{-1}^{1} l_j(t) / (zeta - t) dt = [w_j + 2 Q_N(zeta) / P_N'(t_j)] / (zeta - t_j),

zeta = s + i/B (derivation in docs/physics/bethe.md). The kernel's peak of width 1/B in the
scaled variable — the hard part at weak coupling, where B ~ 2/sqrt(gamma) (LL) or pi/(2 gamma)
(GY) is large — is therefore integrated without error; the convergence in N is that of the
polynomial interpolant of f, geometric with the Bernstein-ellipse rate of its nearest
singularities at x = +-B +- i (:func:`bernstein_rate`).

Arithmetic: ``flint.arb`` / ``acb`` numbers in numpy object arrays for the O(N^2) assembly and
``flint.arb_mat.solve`` (C, LU on midpoints) for the O(N^3) solve; only midpoints are used (the
error is estimated by the caller from two discretisations at two precisions, see
:mod:`physics._high_precision`). Q_N(zeta) comes from the three-term recurrence run forwards at
raised precision: it is unstable for the minimal solution Q_N, but the loss is known in
advance (2 N log2 rho bits at the point of largest rho, the edge) and bought back with extra bits,
which is ~10x cheaper than the hypergeometric series near the centre of the interval, where
|w| -> 1 (python-flint's own ``acb.legendre_q`` and ``hypgeom_2f1`` return undetermined balls
at these N).

Besides the moments <1> = int f and <x^2> = int x^2 f, the solve returns their exact first
B-derivatives from g = df/dB, which solves the same equation with the boundary source
(sign/pi) f(B) [K(x - B) + K(x + B)]: <1>' = 2 f(B) + int g, <x^2>' = 2 B^2 f(B) + int x^2 g.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.linalg
from flint import acb, arb, arb_mat, ctx

from physics._kernels import Kernel

__all__ = [
    "ArbMoments",
    "WorkingPrecision",
    "bernstein_rate",
    "edge_moments",
    "gauss_legendre_arb",
]

_Q_GROUPS = 6  # groups of points with their own precision in the Q_n recurrence


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
def gauss_legendre_arb(n: int, prec: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The n//2 positive Gauss-Legendre nodes (increasing), weights and P_n' there, at ``prec``.

    Midpoints of flint's rigorous roots (``arb.legendre_p_root``); P_n'(t) = sqrt(2/((1-t^2) w))
    for the positive nodes, where P_n' > 0.
    """
    with WorkingPrecision(prec):
        roots = [arb.legendre_p_root(n, k, weight=True) for k in range(n // 2)][::-1]
        nodes = np.array([t.mid() for t, _ in roots], dtype=object)
        weights = np.array([w.mid() for _, w in roots], dtype=object)
        slopes = np.array(
            [(2 / ((1 - t * t) * w)).sqrt().mid() for t, w in zip(nodes, weights, strict=True)]
        )
    return nodes, weights, slopes.astype(object)


def _legendre_q(n: int, points: np.ndarray, height: arb, prec: int) -> np.ndarray:
    """Q_n(s + i height) for the real ``points`` s (increasing), by the forward recurrence.

    (k + 1) Q_{k+1} = (2k + 1) z Q_k - k Q_{k-1} from Q_0 = atanh(1/z), Q_1 = z Q_0 - 1. The
    relative error grows like |P_k / Q_k| ~ rho(z)^(2k), so each point needs 2 n log2 rho(z)
    extra bits; the points are run in groups of similar rho (rho grows towards the edge s = 1),
    each at its own raised precision. Midpoints are taken every few steps so that the balls'
    radii, which overestimate the growth, do not swamp the values.
    """
    out = np.empty(points.size, dtype=object)
    for group in np.array_split(np.arange(points.size), _Q_GROUPS):
        if group.size == 0:
            continue
        top = complex(float(points[group[-1]].mid()), float(height.mid()))
        rho = math.log(abs(top + np.sqrt(top - 1.0) * np.sqrt(top + 1.0)))
        with WorkingPrecision(prec + math.ceil(2 * n * rho / math.log(2)) + 32):
            z = np.array([acb(points[i], height) for i in group], dtype=object)
            previous = np.array([(1 / v).atanh() for v in z], dtype=object)
            current = z * previous - 1
            for k in range(1, n):
                previous, current = current, ((2 * k + 1) * z * current - k * previous) / (k + 1)
                if k % 8 == 0:
                    previous = np.array([v.mid() for v in previous], dtype=object)
                    current = np.array([v.mid() for v in current], dtype=object)
            out[group] = [v.mid() for v in current]
    return out


def _column(values) -> arb_mat:
    return arb_mat([[v] for v in values])


def _row(values) -> arb_mat:
    return arb_mat([list(values)])


def _kernel_matrix(points, nodes, weights, slopes, q, height) -> arb_mat:
    """int K(x_i - y) l_j(y/B) dy folded onto even functions: rows s_i, columns +-t_j.

    With zeta_i = s_i + i h, r_j = 1/P_n'(t_j), node sigma t_j (P_n' is odd for even n):
    -Im[(w_j + 2 Q_i sigma r_j) / (zeta_i - sigma t_j)]
    = (h w_j + sigma r_j (2 Re Q_i h - 2 Im Q_i s_i) + 2 Im Q_i r_j t_j)
      / (s_i^2 + t_j^2 + h^2 - 2 sigma s_i t_j).
    The outer products and sums run in C (``arb_mat``); only the final division is element-wise.
    """
    rows, cols = len(points), len(nodes)
    q_real = [2 * v.real for v in q]
    q_imag = [2 * v.imag for v in q]
    ones_row, ones_col = _row([arb(1)] * cols), _column([arb(1)] * rows)
    r = [1 / p for p in slopes]
    even = _column([h * 0 + height for h in q_real]) * _row(weights) + _column(q_imag) * _row(
        [a * t for a, t in zip(r, nodes, strict=True)]
    )
    odd = _column(
        [a * height - b * s for a, b, s in zip(q_real, q_imag, points, strict=True)]
    ) * _row(r)
    square = _column([s * s + height * height for s in points]) * ones_row + ones_col * _row(
        [t * t for t in nodes]
    )
    cross = _column([2 * s for s in points]) * _row(nodes)
    total = []
    for sigma in (1, -1):
        numerator = (even + odd if sigma > 0 else even - odd).entries()
        denominator = (square - cross if sigma > 0 else square + cross).entries()
        total.append(
            arb_mat(rows, cols, [a / b for a, b in zip(numerator, denominator, strict=True)])
        )
    return total[0] + total[1]


def _refine(operator: arb_mat, factor: arb, right: arb_mat, lu, prec: int) -> list[list[arb]]:
    """Solve (I - factor * operator) u = right by iterative refinement on a float64 LU.

    Each sweep computes the residual in Arb (one matrix product in C) and corrects with the
    float64 factorisation of the same operator (``lu``), gaining ~13 digits; sweeps stop when
    the correction is below 2^-prec of the solution.
    """
    size, count = right.nrows(), right.ncols()
    solution = arb_mat(size, count)
    residual = right
    for _ in range(prec // 30 + 4):
        values = np.array([float(v) for v in residual.entries()]).reshape(size, count)
        correction = scipy.linalg.lu_solve(lu, values)
        solution += arb_mat(size, count, [arb(v) for v in correction.ravel()])
        residual = right - solution + factor * (operator * solution)
        scale = max(abs(float(v)) for v in solution.entries())
        if max(abs(float(v)) for v in residual.entries()) <= 2.0 ** (-prec) * scale:
            break
    return solution.tolist()


def edge_moments(edge: arb, kernel: Kernel, n: int, prec: int) -> ArbMoments:
    """Solve f - int_{-B}^{B} k f = 2 on ``n`` nodes at ``prec`` bits; moments at B.

    The kernel k (:mod:`physics._kernels`) is a sum of Lorentzians a w / (pi (u^2 + w^2)): the
    near ones (``kernel.terms``) by product integration, each at its own height w/B; the rest
    of an infinite sum (Takahashi's kernel of the repulsive Gaudin-Yang gas) is analytic in a
    strip wider than the node spacing and uses the Gauss rule with ``kernel.remainder_arb``.

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
    nodes, weights, slopes = gauss_legendre_arb(n, prec)
    edge_float = float(edge.mid())
    terms = kernel.terms(edge_float, n, bits=prec, min_terms=1)
    with WorkingPrecision(prec + 2 * math.ceil(math.log2(2 + edge_float))):
        points = np.concatenate([nodes, [arb(1)]])
        matrix = _remainder_matrix(edge, kernel, len(terms), points, nodes, weights)
        for amplitude, width in terms:
            height = width / edge
            q = _legendre_q(n, points, height, prec)
            rows = _kernel_matrix(list(points), list(nodes), list(weights), list(slopes), q, height)
            matrix = matrix + rows * (amplitude / arb.pi())
    with WorkingPrecision(prec):
        half = n // 2
        operator = arb_mat([[matrix[i, j] for j in range(half)] for i in range(half)])
        edge_row = np.array([matrix[half, j] for j in range(half)], dtype=object)
        floats = np.array([float(v) for v in operator.entries()]).reshape(half, half)
        lu = scipy.linalg.lu_factor(np.eye(half) - floats)
        x = edge * nodes
        w = edge * weights
        boundary = _kernel_values(kernel, terms, np.concatenate([x - edge, x + edge]))
        right = arb_mat(
            [[arb(2), a + b] for a, b in zip(boundary[:half], boundary[half:], strict=True)]
        )
        solution = _refine(operator, arb(1), right, lu, prec)
        density = np.array([row[0] for row in solution], dtype=object)
        response = np.array([row[1] for row in solution], dtype=object)
        edge_value = 2 + edge_row @ density
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


def _remainder_matrix(edge, kernel, count, points, nodes, weights) -> arb_mat:
    """Gauss rule for the remainder r of an infinite kernel, folded onto even functions:
    B w_j [r(B (s_i - t_j)) + r(B (s_i + t_j))] (zero for a single Lorentzian).

    The rows s_i are the nodes t_i and then the edge 1; r is even, so the folded sum
    r(B (t_i - t_j)) + r(B (t_i + t_j)) is symmetric in i, j and computed once per pair.
    """
    rows, cols = len(points), len(nodes)
    if not kernel.alternating:
        return arb_mat(rows, cols)
    pairs = [(i, j) for i in range(cols) for j in range(i, cols)] + [(cols, j) for j in range(cols)]
    minus = [edge * (points[i] - nodes[j]) for i, j in pairs]
    plus = [edge * (points[i] + nodes[j]) for i, j in pairs]
    values = kernel.remainder_arb(minus + plus, count)
    folded = {pair: values[k] + values[len(pairs) + k] for k, pair in enumerate(pairs)}
    return arb_mat(
        rows,
        cols,
        [
            edge * weights[j] * folded[(i, j) if i == cols or i <= j else (j, i)]
            for i in range(rows)
            for j in range(cols)
        ],
    )
