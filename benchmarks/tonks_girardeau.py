"""Benchmark of the Tonks-Girardeau one-body density matrix: rank-one updates vs determinants.

Run ``python -m benchmarks.tonks_girardeau`` (``--output docs/performance/tonks_girardeau.md``
writes the tables). Medians of ``--repeats`` runs; the machine is shared and noisy.

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

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from physics.tonks_girardeau import (
    averaged_decay,
    density_matrix_rows,
    disorder_potential,
    lowest_orbitals,
    realisation_seeds,
)
from physics.tonks_girardeau.observables import _averaged_decay

KIND, STRENGTH = "speckle", 5.0


def median_time(function: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
        "rank_one": rank_one,
        "determinant": determinant,
        "ratio": determinant / rank_one,
        "difference": float(np.abs(fast - naive).max() / np.abs(naive).max()),
    }


def row(result: dict[str, float]) -> str:
    return (
        f"| {result['N']} | {result['M']} | {result['R']} | {1e3 * result['rank_one']:.0f} | "
        f"{1e3 * result['determinant']:.0f} | {result['ratio']:.2f} | {result['difference']:.1e} |"
    )


HEADER = (
    "| N | M | realisations | rank-one updates (ms) | per-point determinant (ms) | ratio | "
    "max rel. difference |\n| --- | --- | --- | --- | --- | --- | --- |"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", help="write the markdown tables to this file")
    args = parser.parse_args(argv)

    lines = ["## Headline: N = 32, M = 1024, 16 realisations", "", HEADER]
    lines.append(row(compare(32, 1024, 16, args.repeats)))
    lines += ["", "## Scaling in M (N = 32, 4 realisations)", "", HEADER]
    lines += [row(compare(32, m, 4, args.repeats)) for m in (256, 512, 1024, 2048)]
    lines += ["", "## Scaling in N (M = 1024, 4 realisations)", "", HEADER]
    lines += [row(compare(n, 1024, 4, args.repeats)) for n in (8, 16, 32, 64, 128)]

    solve = median_time(lambda: orbital_sets(32, 1024, 16), args.repeats)

    def dashboard_call() -> None:
        _averaged_decay.cache_clear()
        averaged_decay(32, 32.0, KIND, STRENGTH, 16, 0, grid_points=1024, base_points=1)

    view = median_time(dashboard_call, args.repeats)
    lines += [
        "",
        "## Context (medians)",
        "",
        "| step | time (ms) |",
        "| --- | --- |",
        f"| orbital solve, 16 realisations (N = 32, M = 1024) | {1e3 * solve:.0f} |",
        f"| averaged_decay (N = 32, M = 1024, 16 realisations, 1 base point, r <= L/2) "
        f"| {1e3 * view:.0f} |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
