"""Benchmark of the lattice phase map and Lindemann ratio against scalar baselines.

Run ``python -m benchmarks.lattice`` (``--output docs/performance/lattice.md`` to write the
table). Medians of repeated runs (the machine is shared and noisy); baselines measured in the
same run:

- ``phase_map`` on a 200 × 200 grid (U/E_R log-spaced on [1e-6, 40], T_D/E_K on [1e-3, 1e4],
  d = 3, T = 0 and T = 5 E_K) versus a Python loop calling the scalar ``classify`` on every
  cell (same labels, checked);
- ``lindemann_ratio`` on 200 × 200 (T_D, T) points (closed form, vectorised) versus
  ``scipy.integrate.quad`` of the Debye integral of Eq. (42) point by point (timed on a
  subset and reported per point, with the largest relative difference).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable

import numpy as np
from scipy.integrate import quad

from physics.lattice import STATES, classify, lindemann_ratio, phase_map

GRID = 200
DEPTHS = np.geomspace(1e-6, 40.0, GRID)
DEBYE_TEMPERATURES = np.geomspace(1e-3, 1e4, GRID)
TEMPERATURES = np.geomspace(1e-3, 1e3, GRID)
QUAD_SUBSET = 400


def _median_seconds(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _scalar_map(T_over_EK: float) -> np.ndarray:
    omegas = 2.0 * math.pi**2 * np.sqrt(DEPTHS)
    return np.array(
        [[STATES.index(classify(w, td, T_over_EK, 3)) for w in omegas] for td in DEBYE_TEMPERATURES]
    )


def _quad_ratio(TD: float, T: float) -> float:
    b = TD / (2.0 * T)
    upper = min(1.0, 40.0 / b)

    def thermal(x: float) -> float:
        return 2.0 * x / math.expm1(2.0 * b * x) if x > 0.0 else 1.0 / b

    integral = 0.5 + quad(thermal, 0.0, upper, limit=200, epsabs=0.0, epsrel=1e-12)[0]
    return 3.0 * math.sqrt(integral / TD)


def run() -> list[tuple[str, float, str, float]]:
    rows = []
    for T in (0.0, 5.0):
        fast = _median_seconds(lambda T=T: phase_map(DEPTHS, DEBYE_TEMPERATURES, T, 3), 21)
        slow = _median_seconds(lambda T=T: _scalar_map(T), 3)
        same = np.array_equal(phase_map(DEPTHS, DEBYE_TEMPERATURES, T, 3).codes, _scalar_map(T))
        rows.append(
            (
                f"phase_map 200×200, d=3, T/E_K={T:g} (labels identical: {same})",
                fast,
                "loop of classify",
                slow,
            )
        )
    TD_grid, T_grid = np.meshgrid(DEBYE_TEMPERATURES, TEMPERATURES, indexing="ij")
    fast = _median_seconds(lambda: lindemann_ratio(TD_grid, T_grid, 3), 21)
    rng = np.random.default_rng(0)
    pick = rng.choice(TD_grid.size, QUAD_SUBSET, replace=False)
    pairs = list(zip(TD_grid.ravel()[pick], T_grid.ravel()[pick], strict=True))
    per_point = _median_seconds(lambda: [_quad_ratio(td, t) for td, t in pairs], 3) / QUAD_SUBSET
    closed = lindemann_ratio(TD_grid.ravel()[pick], T_grid.ravel()[pick], 3)
    worst = max(abs(c / _quad_ratio(td, t) - 1.0) for c, (td, t) in zip(closed, pairs, strict=True))
    rows.append(
        (
            f"lindemann_ratio 200×200, d=3 (max rel. diff. to quad {worst:.1e})",
            fast,
            "quad per point × 40000",
            per_point * TD_grid.size,
        )
    )
    return rows


def format_table(rows: list[tuple[str, float, str, float]]) -> str:
    lines = [
        "| task | median | baseline | baseline median | speed-up |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for task, fast, baseline, slow in rows:
        lines.append(
            f"| {task} | {fast * 1e3:.2f} ms | {baseline} | {slow * 1e3:.0f} ms | "
            f"{slow / fast:.0f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="also write the Markdown table to this file")
    args = parser.parse_args()
    table = format_table(run())
    print(table)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(table + "\n")


if __name__ == "__main__":
    main()
