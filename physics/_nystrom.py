"""Shared solver for the Lieb (LL), Gaudin (GY) and Takahashi (repulsive GY) integral equations.

The equations of Mariño & Reis (arXiv:1905.09575), Eq. (2) and Eq. (5), read

    f(x) - (sign / pi) * int_{-B}^{B} K(x - y) f(y) dy = r(x),    K(u) = 1 / (u^2 + 1),

with ``sign = +1`` for Lieb-Liniger and ``sign = -1`` for attractive Gaudin-Yang (both multiplied
by 2). Ristivojevic's sigma equation (arXiv:2111.xxxx, Eq. 13) is the same operator with an odd
right-hand side. The charge equation of the balanced repulsive Gaudin-Yang gas has an infinite
alternating sum of Lorentzians as kernel (:mod:`physics._kernels`); its near terms are treated
exactly like K and the smooth remainder by the Gauss rule. This module holds the one solver used
by all of them; ``kernel`` is a :class:`physics._kernels.Kernel`, or the sign +-1 as shorthand
for the single Lorentzians of Lieb and Gaudin.

Method: product-integration Nystrom on N Gauss-Legendre nodes of [-B, B]. The unknown is
represented by its polynomial interpolant of degree N - 1; the kernel is integrated against each
Lagrange basis polynomial *exactly*. With y = B t and x = B s the kernel is
``K = Im[1 / (t - zeta)] / B`` with ``zeta = s + i/B``, and for the Lagrange basis polynomial
``l_j`` of the Gauss nodes the Cauchy integral has the closed form (no cancellation)

    int_{-1}^{1} l_j(t) / (zeta - t) dt = [w_j + 2 Q_N(zeta) / P_N'(t_j)] / (zeta - t_j),

with Q_N the Legendre function of the second kind (derivation in docs/physics/bethe.md). The
kernel's poles at x = y +- i, which sit a distance 1/B from the interval after scaling, therefore
cost nothing: convergence is set by the smoothness of f alone (singularities at +-B +- i), so
N ~ 26 sqrt(B) nodes reach machine precision. Even/odd symmetry halves the unknowns.

Derivatives with respect to the edge B solve the same operator with boundary source terms
(differentiate the equation under the integral sign), so dgamma/dB, de/dB and their second
derivatives are exact, not finite differences; one solve with three right-hand sides gives all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np

from physics._kernels import Kernel

__all__ = [
    "EdgeSolution",
    "apply_kernel",
    "gauss_legendre",
    "legendre_q",
    "node_count",
    "odd_moment",
    "solve_edge",
    "solve_even",
]


def _legendre_and_derivative(degree: int, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P_n(t) and P_n'(t) by the three-term recurrence (stable on [-1, 1])."""
    previous, current = np.ones_like(t), t.copy()
    for k in range(1, degree):
        previous, current = current, ((2 * k + 1) * t * current - k * previous) / (k + 1)
    return current, degree * (t * current - previous) / (t * t - 1)


@lru_cache(maxsize=128)
def gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes, weights and P_n'(nodes) on [-1, 1], accurate to a few ulp.

    numpy's ``leggauss`` nodes are refined by two Newton steps on the three-term recurrence and
    the weights recomputed from ``w = 2 / ((1 - t^2) P_n'(t)^2)``: ``leggauss`` weights carry
    relative errors up to ~1e-10 near the ends for n > 100, visible as a 1e-13 drift of e(gamma).
    """
    nodes, _ = np.polynomial.legendre.leggauss(n)
    for _ in range(2):
        value, slope = _legendre_and_derivative(n, nodes)
        nodes = nodes - value / slope
    nodes = 0.5 * (nodes - nodes[::-1])
    _, slope = _legendre_and_derivative(n, nodes)
    weights = 2.0 / ((1.0 - nodes * nodes) * slope * slope)
    for array in (nodes, weights, slope):
        array.flags.writeable = False
    return nodes, weights, slope


_Q_BLOCK = 24  # points per block in legendre_q


@lru_cache(maxsize=512)
def _q_prefactor(degree: int) -> float:
    return float(mpmath.sqrt(mpmath.pi) * mpmath.gamma(degree + 1) / mpmath.gamma(degree + 1.5))


def legendre_q(degree: int, z: np.ndarray, tolerance: float = 1e-17) -> np.ndarray:
    """Legendre function of the second kind Q_n(z) for complex z off [-1, 1].

    Uses the convergent series in w = 1 / (z + sqrt(z^2 - 1)), |w| < 1,

        Q_n(z) = sqrt(pi) n! / Gamma(n + 3/2) w^(n+1) sum_k (1/2)_k (n+1)_k / (k! (n+3/2)_k) w^(2k),

    summed as a vectorised cumulative product (no unstable recurrence), in blocks of points
    sorted by |w| so that each block stops at its own number of terms. Relative accuracy is a
    few times ``n`` ulp; the number of terms grows like 1/(1 - |w|) near the interval.
    """
    z = np.asarray(z, dtype=complex)
    w = 1.0 / (z + np.sqrt(z - 1.0) * np.sqrt(z + 1.0))
    w2 = w * w
    size = np.abs(w2)
    order = np.argsort(size)
    series = np.empty_like(w2)
    log_tolerance = math.log(tolerance)
    with np.errstate(under="ignore"):
        for block in np.array_split(order, max(1, order.size // _Q_BLOCK)):
            largest = float(size[block[-1]])
            terms = 1 if largest == 0.0 else math.ceil(log_tolerance / math.log(largest)) + 2
            k = np.arange(1, max(terms, 1))
            ratios = (k - 0.5) * (degree + k) / (k * (degree + k + 0.5))
            products = ratios[None, :] * w2[block, None]
            np.cumprod(products, axis=1, out=products)
            series[block] = 1.0 + products.sum(axis=1)
        return _q_prefactor(degree) * w ** (degree + 1) * series


def node_count(edge: float) -> int:
    """Number of Gauss-Legendre nodes on [-B, B] for machine-precision e(gamma).

    Calibrated by the convergence study in docs/physics/bethe.md (error ~ exp(-1.1 N / sqrt(B))
    for B >~ 1) with a margin of about 3 decades; a multiple of 8 (nodes pair as +-t, and few
    distinct N keep the node and prefactor caches small).
    """
    return 8 * math.ceil((16 + 22 * math.sqrt(edge)) / 8)


def _cauchy_rows(edge: float, n: int, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of int_{-1}^{1} l_j(t) / (zeta - t) dt for zeta = s + i/B (closed form above), and
    the zeta-derivative of the last row (used with s[-1] = 1, the edge)."""
    nodes, weights, slope = gauss_legendre(n)
    zeta = s + 1j / edge
    q_n = legendre_q(n, zeta)
    separation = zeta[:, None] - nodes[None, :]
    rows = (weights[None, :] + 2.0 * q_n[:, None] / slope[None, :]) / separation
    z, q = zeta[-1], q_n[-1]
    q_slope = n * (z * q - legendre_q(n - 1, zeta[-1:])[0]) / (z * z - 1.0)
    last_slope = 2.0 * q_slope / (slope * separation[-1]) - rows[-1] / separation[-1]
    return rows, last_slope


def _symmetrise(matrix: np.ndarray, parity: int) -> np.ndarray:
    """Fold the columns of an operator acting on functions of definite parity (+1 even, -1 odd)."""
    half = matrix.shape[1] // 2
    return matrix[:, half:] + parity * matrix[:, :half][:, ::-1]


def _as_kernel(kernel: Kernel | int) -> Kernel:
    return kernel if isinstance(kernel, Kernel) else Kernel(int(kernel))


@dataclass(frozen=True)
class EdgeSolution:
    """Solution of the even equation f - int k f = 2 on [-B, B] and its B-derivatives.

    Attributes
    ----------
    edge
        The endpoint B.
    nodes, weights
        Positive Gauss-Legendre nodes x_j in (0, B) and weights such that
        ``int_{-B}^{B} g = 2 * sum(weights * g(nodes))`` for even g.
    density
        f(nodes).
    moments
        Array of shape (2, 3): row 0 is <1> = int f, row 1 is <x^2> = int x^2 f; columns are the
        value and the first and second derivatives with respect to B.
    """

    edge: float
    nodes: np.ndarray
    weights: np.ndarray
    density: np.ndarray
    moments: np.ndarray


def _kernel_rows(
    edge: float, kernel: Kernel, points: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of int_{-B}^{B} k(B s - y) l_j(y / B) dy over all N nodes j, for s in ``points``
    (any real s), and the x-derivative of the row at ``points[-1]``.

    A Lorentzian a w / (pi (u^2 + w^2)) acts like K at the edge B / w (zeta = s + i w / B); the
    remainder of an infinite kernel is smooth on the node spacing and uses the Gauss rule.
    """
    nodes, weights, _ = gauss_legendre(n)
    terms = kernel.terms(edge, n)
    # Gauss rule for the remainder: int r(x - y) l_j(y / B) dy ~ B w_j r(B (s - t_j))
    remainder, remainder_slope = kernel.remainder(
        edge * (points[:, None] - nodes[None, :]), len(terms)
    )
    matrix = edge * weights[None, :] * remainder
    slope_row = edge * weights * remainder_slope[-1]
    for amplitude, width in terms:
        rows, last_slope = _cauchy_rows(edge / width, n, points)
        # int K(x - y) l_j(y / B) dy = Im[int l_j/(t - zeta)] = -Im[int l_j/(zeta - t)]
        matrix = matrix - (amplitude / np.pi) * rows.imag
        slope_row = slope_row - (amplitude / np.pi) * last_slope.imag / edge
    return matrix, slope_row


@lru_cache(maxsize=16)
def _operator(edge: float, kernel: Kernel, parity: int, n: int):
    """Nodes, weights, folded system matrix and edge rows for one (B, kernel, parity, N)."""
    nodes, weights, _ = gauss_legendre(n)
    half_nodes = nodes[n // 2 :]
    matrix, slope_row = _kernel_rows(edge, kernel, np.concatenate([half_nodes, [1.0]]), n)
    matrix = _symmetrise(matrix, parity)
    slope_row = _symmetrise(slope_row[None, :], parity)[0]
    system = np.eye(n // 2) - matrix[:-1]
    return edge * half_nodes, edge * weights[n // 2 :], matrix[-1], slope_row, system


def solve_even(
    edge: float, kernel: Kernel | int, rhs: np.ndarray, n: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solve f - int_{-B}^{B} k f = r for even r and f (columns of ``rhs`` solved together).

    Parameters
    ----------
    edge, kernel, n
        As in :func:`solve_edge`.
    rhs
        Callable r(x) evaluated at the positive nodes (vectorised; may return several columns
        as an array of shape (nodes, m)).

    Returns
    -------
    nodes, weights, values
        Positive nodes, weights as in :class:`EdgeSolution`, and f at the nodes.
    """
    kernel = _as_kernel(kernel)
    n = node_count(edge) if n is None else n
    x, w, _, _, system = _operator(edge, kernel, 1, n)
    return x, w, np.linalg.solve(system, rhs(x))


def apply_kernel(
    edge: float, kernel: Kernel | int, values: np.ndarray, x: np.ndarray, n: int | None = None
) -> np.ndarray:
    """int_{-B}^{B} k(x - y) f(y) dy at any real points x, for even f given at the positive
    nodes (the ``values`` of :func:`solve_even` with the same n), by product integration."""
    kernel = _as_kernel(kernel)
    n = node_count(edge) if n is None else n
    rows, _ = _kernel_rows(edge, kernel, np.asarray(x, dtype=float) / edge, n)
    return _symmetrise(rows, 1) @ values


def solve_edge(edge: float, kernel: Kernel | int, n: int | None = None) -> EdgeSolution:
    """Solve f - int_{-B}^{B} k f = 2 and the B-derivative equations at one B.

    By linearity the three solutions come from one solve with three right-hand sides: 2, the
    boundary source k(x - B) + k(x + B) and k'(x + B) - k'(x - B).

    Parameters
    ----------
    edge
        Endpoint B > 0.
    kernel
        The kernel k (:mod:`physics._kernels`); +1 for Lieb's equation (Mariño-Reis Eq. 2,
        k = K/pi), -1 for Gaudin's (Eq. 5, k = -K/pi).
    n
        Number of Gauss-Legendre nodes on [-B, B] (even); default :func:`node_count`.
    """
    kernel = _as_kernel(kernel)
    n = node_count(edge) if n is None else n
    x, w, edge_row, edge_slope_row, system = _operator(edge, kernel, 1, n)
    minus, minus_slope = kernel.evaluate(x - edge)
    plus, plus_slope = kernel.evaluate(x + edge)
    sources = np.column_stack([np.full(x.size, 2.0), minus + plus, plus_slope - minus_slope])
    density, boundary_response, slope_response = np.linalg.solve(system, sources).T
    f_edge = 2.0 + edge_row @ density
    f_slope_edge = edge_slope_row @ density
    g = f_edge * boundary_response
    at_edges, _ = kernel.evaluate(np.array([0.0, 2.0 * edge]))
    g_edge = f_edge * at_edges.sum() + edge_row @ g
    h = (2.0 * g_edge + f_slope_edge) * boundary_response + f_edge * slope_response
    x2 = x * x
    b2 = edge * edge
    m0 = 2.0 * np.array([w @ density, w @ g, w @ h])
    m2 = 2.0 * np.array([w @ (x2 * density), w @ (x2 * g), w @ (x2 * h)])
    moments = np.array(
        [
            [m0[0], 2.0 * f_edge + m0[1], 4.0 * g_edge + 2.0 * f_slope_edge + m0[2]],
            [
                m2[0],
                2.0 * b2 * f_edge + m2[1],
                4.0 * edge * f_edge + 2.0 * b2 * (2.0 * g_edge + f_slope_edge) + m2[2],
            ],
        ]
    )
    return EdgeSolution(edge=edge, nodes=x, weights=w, density=density, moments=moments)


def odd_moment(edge: float, kernel: Kernel | int, n: int | None = None) -> float:
    """int_{-B}^{B} x s(x) dx for the odd solution of s - int k s = x (k as in :func:`solve_edge`).

    This is Ristivojevic's sigma equation (Eq. 13) in the scaled variable x = k/c, with
    sigma(k) = (hbar^2/m) c s(k/c).
    """
    n = node_count(edge) if n is None else n
    x, w, _, _, system = _operator(edge, _as_kernel(kernel), -1, n)
    odd = np.linalg.solve(system, x)
    return float(2.0 * w @ (x * odd))
