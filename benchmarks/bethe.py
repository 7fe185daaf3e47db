"""Benchmark of the Lieb-Liniger e(gamma) solver against two straightforward baselines.

Run ``python -m benchmarks.bethe`` (``--output docs/performance/bethe.md`` to write the table).

Timed: e(gamma) for single values gamma = 1e-3, 1e-2, 0.1, 1, 100, 1e4 and for a 400-point
curve on [1e-3, 1e3], with the per-gamma cache of :mod:`physics._bethe` cleared before every
repetition (the one-off B(gamma) guess table is built before timing and reported separately).

Baselines, implemented here and measured in the same run at (nearly) equal accuracy: the node
count of each baseline is raised until it agrees with the production value to 1e-11 relative
(the plain rule's rounding floor is ~1e-12 at B ~ 60, so 1e-12 itself is out of its reach at
gamma = 1e-3; the looser tolerance favours the baseline). The achieved difference is printed.

- ``plain``: textbook Nystrom with the plain Gauss-Legendre rule (kernel sampled at the nodes,
  full N x N dense solve, no symmetry) and ``scipy.optimize.brentq`` for B(gamma).
- ``quad``: fixed-point (Picard) iteration of Lieb's equation, each iterate evaluated by
  ``scipy.integrate.quad`` on the Legendre interpolant of the previous one, and ``brentq`` for
  B. Run once per gamma under a time budget; where it would exceed the budget the table shows
  a lower bound (the time spent before giving up).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator

import numpy as np
import scipy.integrate
import scipy.optimize

from physics import _nystrom, lieb_liniger
from physics._bethe import _edge_guess_table, coupling_state

SINGLE_VALUES = (1e-3, 1e-2, 0.1, 1.0, 100.0, 1e4)
CURVE = np.geomspace(1e-3, 1e3, 400)
EQUAL_ACCURACY = 1e-11
PLAIN_MAX_NODES = 1400
CURVE_BASELINE_STRIDE = 40
QUAD_BUDGET_SECONDS = 10.0


def _clear_caches() -> None:
    coupling_state.cache_clear()
    _nystrom._operator.cache_clear()


def production_energy(gamma: float | np.ndarray) -> float | np.ndarray:
    _clear_caches()
    return lieb_liniger.ground_state_energy(gamma)


def _edge_bracket(gamma: float) -> tuple[float, float]:
    """A factor-2 bracket around the leading strong (pi/gamma) or weak (2/sqrt(gamma)) edge."""
    guess = min(math.pi / gamma, 2 / math.sqrt(gamma))
    return 0.5 * guess, 2.0 * guess


def plain_nystrom_moments(edge: float, n: int) -> tuple[float, float]:
    """<1> and <x^2> of Lieb's equation by plain Gauss-Legendre Nystrom."""
    t, w = np.polynomial.legendre.leggauss(n)
    x, weights = edge * t, edge * w
    kernel = weights[None, :] / ((x[:, None] - x[None, :]) ** 2 + 1.0)
    density = np.linalg.solve(np.eye(n) - kernel / math.pi, np.full(n, 2.0))
    return float(weights @ density), float(weights @ (x * x * density))


def plain_energy(gamma: float, n: int) -> float:
    def mismatch(edge: float) -> float:
        return 4 * math.pi / plain_nystrom_moments(edge, n)[0] - gamma

    edge = scipy.optimize.brentq(mismatch, *_edge_bracket(gamma), xtol=1e-15, rtol=1e-15)
    return gamma**3 / (4 * math.pi) * plain_nystrom_moments(edge, n)[1]


class _OverBudget(Exception):
    pass


def quad_fixed_point_moments(edge: float, n: int, deadline: float) -> tuple[float, float]:
    """<1>, <x^2> by Picard iteration of Lieb's equation with scipy.integrate.quad."""
    t, w = np.polynomial.legendre.leggauss(n)
    x = edge * t
    # discrete Legendre transform: values at the nodes -> coefficients of the interpolant
    vandermonde = np.polynomial.legendre.legvander(t, n - 1)
    transform = vandermonde.T * w * (2 * np.arange(n) + 1)[:, None] / 2
    density = np.full(n, 2.0)
    for _ in range(100000):
        coefficients = transform @ density

        def interpolant(y: float, c=coefficients) -> float:
            return float(np.polynomial.legendre.legval(y / edge, c))

        updated = np.empty(n)
        for i, xi in enumerate(x):
            integral, _ = scipy.integrate.quad(
                lambda y, xi=xi: interpolant(y) / ((xi - y) ** 2 + 1.0),
                -edge,
                edge,
                points=[xi] if abs(xi) < edge else None,
                epsabs=1e-15,
                epsrel=1e-14,
                limit=200,
            )
            updated[i] = 2.0 + integral / math.pi
            if time.perf_counter() > deadline:
                raise _OverBudget
        change = np.max(np.abs(updated - density))
        density = updated
        if change < 1e-14 * np.max(density):
            break
    m0 = edge * float(w @ density)
    m2 = edge**3 * float(w @ (t * t * density))
    return m0, m2


def quad_energy(gamma: float, deadline: float) -> float:
    with warnings.catch_warnings():
        # quad reports round-off when asked for 1e-14; the baseline accepts its best effort
        warnings.simplefilter("ignore", scipy.integrate.IntegrationWarning)
        return _quad_energy(gamma, deadline)


def _quad_energy(gamma: float, deadline: float) -> float:
    n = _nystrom.node_count(2 / math.sqrt(gamma) if gamma < 1 else math.pi / gamma)

    def mismatch(edge: float) -> float:
        return 4 * math.pi / quad_fixed_point_moments(edge, n, deadline)[0] - gamma

    edge = scipy.optimize.brentq(mismatch, *_edge_bracket(gamma), xtol=1e-15, rtol=1e-15)
    return gamma**3 / (4 * math.pi) * quad_fixed_point_moments(edge, n, deadline)[1]


def median_time(function: Callable[[], object], repetitions: int) -> tuple[float, object]:
    """Median wall time of ``repetitions`` calls, and the last result."""
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def plain_nodes_for_equal_accuracy(gamma: float) -> int:
    """Smallest n on a 1.25x ladder whose plain-Nystrom gamma(B) and e(B), at the production
    edge B, agree with production to EQUAL_ACCURACY (capped at PLAIN_MAX_NODES)."""
    state = coupling_state(gamma, "lieb-liniger", 2)
    solved_gamma, energy = state.solved_gamma, state.energy
    n = 16
    while n < PLAIN_MAX_NODES:
        m0, m2 = plain_nystrom_moments(state.edge, n)
        plain_gamma = 4 * math.pi / m0
        plain_e = plain_gamma**3 * m2 / (4 * math.pi)
        if max(abs(plain_gamma / solved_gamma - 1), abs(plain_e / energy - 1)) <= EQUAL_ACCURACY:
            break
        n = int(math.ceil(1.25 * n / 2) * 2)
    return n


def _format_time(seconds: float) -> str:
    return f"{seconds * 1e3:.3g} ms" if seconds < 1 else f"{seconds:.3g} s"


def run(quad_budget: float = QUAD_BUDGET_SECONDS) -> Iterator[str]:
    """Yield the markdown table row by row (each row is measured when it is yielded)."""
    start = time.perf_counter()
    _edge_guess_table("lieb-liniger")
    table_seconds = time.perf_counter() - start
    production_energy(CURVE)  # warm the node caches (per N, shared by all B)
    yield (
        "| e(γ) for | this solver (median) | plain Nyström + brentq (median) | ratio "
        "| quad fixed point + brentq | ratio | plain: nodes, rel. diff |"
    )
    yield "| --- | --- | --- | --- | --- | --- | --- |"
    for gamma in SINGLE_VALUES:
        reference = production_energy(gamma)
        ours, _ = median_time(lambda g=gamma: production_energy(g), 21)
        n = plain_nodes_for_equal_accuracy(gamma)
        repetitions = 1 if n > 400 else 9
        plain, plain_value = median_time(lambda g=gamma, n=n: plain_energy(g, n), repetitions)
        error = abs(plain_value / reference - 1)
        runs = "" if repetitions > 1 else " (1 run)"
        quad_start = time.perf_counter()
        try:
            quad_value = quad_energy(gamma, quad_start + quad_budget)
            quad = time.perf_counter() - quad_start
            quad_error = abs(quad_value / reference - 1)
            quad_cell = f"{_format_time(quad)} (rel. diff {quad_error:.0e})"
            quad_ratio = f"{quad / ours:,.0f}×"
        except _OverBudget:
            quad_cell = f"> {quad_budget:g} s (budget)"
            quad_ratio = f"> {quad_budget / ours:,.0f}×"
        yield (
            f"| γ = {gamma:g} | {_format_time(ours)} | {_format_time(plain)}{runs} "
            f"| {plain / ours:,.0f}× | {quad_cell} | {quad_ratio} | {n}, {error:.0e} |"
        )
    reference = production_energy(CURVE)
    ours, _ = median_time(lambda: production_energy(CURVE), 5)
    sample = slice(None, None, CURVE_BASELINE_STRIDE)
    plan = [plain_nodes_for_equal_accuracy(g) for g in CURVE[sample]]
    plain_start = time.perf_counter()
    plain_values = np.array([plain_energy(g, n) for g, n in zip(CURVE[sample], plan, strict=True)])
    plain = (time.perf_counter() - plain_start) * CURVE_BASELINE_STRIDE
    error = float(np.max(np.abs(plain_values / reference[sample] - 1)))
    stride = CURVE_BASELINE_STRIDE
    yield (
        f"| 400-point curve on [1e-3, 1e3] | {_format_time(ours)} "
        f"| {_format_time(plain)} (every {stride}th point, ×{stride}) "
        f"| {plain / ours:,.0f}× | not run (67 points below γ = 1e-2) | — "
        f"| ≤ {max(plan)}, {error:.0e} |"
    )
    yield ""
    yield f"One-off B(γ) guess table (first call per process): {_format_time(table_seconds)}."
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    yield f"Load average at the end of the run (1, 5, 15 min): {load} on {os.cpu_count()} CPUs."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="also write the markdown table to this file")
    parser.add_argument("--quad-budget", type=float, default=QUAD_BUDGET_SECONDS)
    args = parser.parse_args()
    lines = []
    for line in run(args.quad_budget):
        print(line, flush=True)
        lines.append(line)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
