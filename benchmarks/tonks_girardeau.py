"""Benchmark of the Tonks-Girardeau one-body density matrix: rank-one updates vs determinants.

Run ``python -m benchmarks.tonks_girardeau`` (``--output docs/performance/tonks_girardeau.md``
writes the tables). Medians of ``--repeats`` runs of CPU (process) time, with wall time beside
it: the machine is shared and often oversubscribed, so wall time mostly measures waiting.

Timed (orbitals computed before timing, reported separately):

- headline: γ(x0, y) for all M grid points y, one row per realisation, N = 32, L = 32, M = 1024,
  16 speckle realisations (V_R = 5 ≈ E_F/2), by ``density_matrix_rows(method="rank_one")``
  (Woodbury updates, O(M N² q)) against ``method="determinant"`` (a fresh bordered determinant
  per point, O(M N³), vectorised over points by numpy's batched LU: the naive algorithm at its
  fastest in numpy), same quadrature, same run; the maximal difference is printed;
- scaling of both in M at N = 32 and in N at M = 1024 (4 realisations);
- context: the orbital solve for 16 realisations and the dashboard's whole ``averaged_decay``
  call (N = 32, L = 32, M = 1024, 16 realisations, 1 base point, cache cleared).
"""

from __future__ import annotations

import os

# One BLAS thread: on the shared 2-core machine, threaded LAPACK on 32x32 blocks only spins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from physics.tonks_girardeau import (
    averaged_decay,
    decay_statistics,
    default_grid_points,
    density_matrix_rows,
    disorder_potential,
    lowest_orbitals,
    realisation_seeds,
)
from physics.tonks_girardeau.observables import _averaged_decay

KIND, STRENGTH = "speckle", 5.0


def median_time(function: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall-clock and median CPU (process) seconds over ``repeats`` calls.

    CPU time is the meaningful figure on a shared, overloaded machine: with one BLAS thread it
    counts this process's work only, while wall time also counts waiting for a core.
    """
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)


def orbital_sets(n: int, grid_points: int, realisations: int) -> list:
    length = float(n)
    twist = 0.0 if n % 2 else np.pi
    potentials = [
        disorder_potential(KIND, length, grid_points, STRENGTH, s)
        for s in realisation_seeds(0, realisations)
    ]
    return [lowest_orbitals(n, length, v, twist) for v in potentials]


def compare(n: int, grid_points: int, realisations: int, repeats: int) -> dict[str, float]:
    sets = orbital_sets(n, grid_points, realisations)
    steps = grid_points - 1
    fast = density_matrix_rows(sets, grid_points, [0], steps)
    naive = density_matrix_rows(sets, grid_points, [0], steps, method="determinant")
    rank_one = median_time(lambda: density_matrix_rows(sets, grid_points, [0], steps), repeats)
    determinant = median_time(
        lambda: density_matrix_rows(sets, grid_points, [0], steps, method="determinant"), repeats
    )
    return {
        "N": n,
        "M": grid_points,
        "R": realisations,
        "rank_one": rank_one[1],
        "determinant": determinant[1],
        "ratio": determinant[1] / rank_one[1],
        "rank_one_wall": rank_one[0],
        "determinant_wall": determinant[0],
        "difference": float(np.abs(fast - naive).max() / np.abs(naive).max()),
    }


def row(result: dict[str, float]) -> str:
    return (
        f"| {result['N']} | {result['M']} | {result['R']} | {1e3 * result['rank_one']:.0f} | "
        f"{1e3 * result['determinant']:.0f} | {result['ratio']:.2f} | "
        f"{1e3 * result['rank_one_wall']:.0f} / {1e3 * result['determinant_wall']:.0f} | "
        f"{result['difference']:.1e} |"
    )


HEADER = (
    "| N | M | realisations | rank-one updates, CPU (ms) | per-point determinant, CPU (ms) "
    "| ratio | wall (ms), rank-one / determinant | max rel. difference |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- |"
)


def decay_cost(
    n: int, realisations: int, output_points: int | None, workers: int = 1
) -> tuple[float, float, np.ndarray]:
    """(wall s, CPU s of this process, mean g1) of one uncached ``decay_statistics`` (n = 1,
    2 base points); with workers > 1 the CPU time is the parent's only."""
    _averaged_decay.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    stats = decay_statistics(
        n, float(n), KIND, STRENGTH, realisations, 0, output_points=output_points, workers=workers
    )
    return time.perf_counter() - wall, time.process_time() - cpu, stats.mean


def issue_18(lines: list[str]) -> None:
    """Issue 18: N = 128, 32 realisations, old route (rows on every grid point) vs default."""
    n, realisations = 128, 32
    old = decay_cost(n, realisations, default_grid_points(n))
    new = decay_cost(n, realisations, None)
    pair = decay_cost(n, realisations, None, workers=2)
    stride = (old[2].size - 1) // (new[2].size - 1)
    difference = float(np.abs(new[2] - old[2][::stride]).max() / old[2].max())
    same = float(np.abs(pair[2] - new[2]).max())
    lines += [
        "",
        "## Issue 18: N = L = 128, 32 speckle realisations (V_R = 5), whole decay_statistics",
        "",
        "| route | wall s | CPU s | ratio (CPU) to old |",
        "| --- | --- | --- | --- |",
        f"| old: rows on every grid point (G = M = 4096) | {old[0]:.2f} | {old[1]:.2f} | 1 |",
        f"| new: rows on 8 points per particle (G = 1024) | {new[0]:.2f} | {new[1]:.2f} "
        f"| {old[1] / new[1]:.2f} |",
        f"| new, 2 worker processes | {pair[0]:.2f} | (workers) | wall ratio "
        f"{old[0] / pair[0]:.2f} |",
        "",
        f"Max difference of g1, new vs old at common r: {difference:.1e} of max g1 "
        f"(2 workers vs 1: {same:.1e}).",
        "",
        "## Cost against N (4 realisations) and realisations (N = 64), new route",
        "",
        "| N | R | wall s | CPU s |",
        "| --- | --- | --- | --- |",
    ]
    for m, r in ((32, 4), (64, 4), (128, 4), (256, 4), (64, 8), (64, 16), (64, 32)):
        wall, cpu, _ = decay_cost(m, r, None)
        lines.append(f"| {m} | {r} | {wall:.2f} | {cpu:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", help="write the markdown tables to this file")
    parser.add_argument("--issue-18-only", action="store_true", help="only the issue-18 tables")
    args = parser.parse_args(argv)
    if args.issue_18_only:
        lines: list[str] = [f"Load average at start: {os.getloadavg()[0]:.1f}"]
        issue_18(lines)
        print("\n".join(lines))
        return 0

    load = os.getloadavg()[0]
    lines = [
        f"Load average at start: {load:.1f} on {os.cpu_count()} cores; medians of "
        f"{args.repeats} runs; OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}.",
        "",
        "## Headline: N = 32, M = 1024, 16 realisations",
        "",
        HEADER,
    ]
    lines.append(row(compare(32, 1024, 16, args.repeats)))
    lines += ["", "## Scaling in M (N = 32, 4 realisations)", "", HEADER]
    lines += [row(compare(32, m, 4, args.repeats)) for m in (256, 512, 1024, 2048)]
    lines += ["", "## Scaling in N (M = 1024, 4 realisations)", "", HEADER]
    lines += [row(compare(n, 1024, 4, args.repeats)) for n in (8, 16, 32, 64, 128)]

    solve = median_time(lambda: orbital_sets(32, 1024, 16), args.repeats)[1]

    def dashboard_call() -> None:
        _averaged_decay.cache_clear()
        averaged_decay(32, 32.0, KIND, STRENGTH, 16, 0, grid_points=1024, base_points=1)

    view = median_time(dashboard_call, args.repeats)[1]
    lines += [
        "",
        "## Context (medians)",
        "",
        "| step | CPU time (ms) |",
        "| --- | --- |",
        f"| orbital solve, 16 realisations (N = 32, M = 1024) | {1e3 * solve:.0f} |",
        f"| averaged_decay (N = 32, M = 1024, 16 realisations, 1 base point, r <= L/2) "
        f"| {1e3 * view:.0f} |",
    ]
    issue_18(lines)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
