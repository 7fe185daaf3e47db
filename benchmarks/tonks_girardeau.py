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

``--issue-18-only``: the whole decay average at N = L = 128 with 32 speckle realisations by the
code as issue 18 found it and after its first round (each run in a child process from
``git archive`` of a pinned commit) and by today's code, in one run, with the differences of
g1; the statistical error per cost of base points against realisations; cost against N and R.

``--issue-18-round-3``: the same decay average by the code before the third round (one orbital
per FFT, B and s updated apart) and today's (two real orbitals per FFT, [B | s] by one product),
each in a child process, interleaved, medians of ``--repeats``; and the one-particle solve by
dense ``eigh`` against LAPACK's banded solver (``eig_banded``) on the Hamiltonian in the
interleaved cos/sin basis, per disorder kind and N.

``--issue-18-round-4``: the same decay average by the original code, by the code before the
fourth round (pilot solved twice, shared start at 1/4 of the tolerance, quadrature order from
the 1e-9 bandwidth) and today's (pilot solved once, start at the pilot's need + √(2L) modes,
quadrature order weighted by the amplitudes), each in a child process, interleaved, medians of
``--repeats``; cost against N (64, 128, 256) and the realisations R; and the statistical error
of base points against realisations: the variance of log|γ(x, x + r)| and of a row's fitted
rate split into ring-to-ring and base-to-base parts, measured on 64 rings × 16 base points,
with the realisations and CPU time each number of base points needs for the error of today's
default (R = 32, 2 base points).
"""

from __future__ import annotations

import os

# One BLAS thread: on the shared 2-core machine, threaded LAPACK on 32x32 blocks only spins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.linalg

from physics.tonks_girardeau import (
    averaged_decay,
    boundary_twist,
    decay_fit,
    decay_statistics,
    default_decay_window,
    default_grid_points,
    density_matrix_rows,
    disorder_potential,
    lowest_orbitals,
    realisation_potentials,
    realisation_seeds,
)
from physics.tonks_girardeau.observables import _averaged_decay
from physics.tonks_girardeau.one_particle import _potential_spectrum, _real_hamiltonian

KIND, STRENGTH = "speckle", 5.0
#: The repository (its ``physics`` package is today's code).
ROOT = Path(__file__).resolve().parent.parent


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


#: The code as issue 18 found it (rows on every grid point) and after its first round (rows on
#: 8 points per particle, extrapolated basis growth); both are timed from ``git archive``.
ORIGINAL_COMMIT = "14315b15993864247d5e221f4d638b79df1575d2"
PREVIOUS_COMMIT = "a2b882cdedd6b4a25d210d8472d81901286a3453"

#: Run in a child process inside an extracted copy of an earlier commit: CPU time of one
#: uncached averaged_decay (mean g1, 2 base points) and its g1.
_CHILD = """
import os, sys, time
import numpy as np
from physics.tonks_girardeau import averaged_decay
n, realisations, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
wall, cpu = time.perf_counter(), time.process_time()
r, g1 = averaged_decay(n, float(n), "speckle", 5.0, realisations, 0)
np.savez(out, r=r, g1=g1, cpu=time.process_time() - cpu, wall=time.perf_counter() - wall)
"""


def child_cost(folder: str, n: int, realisations: int) -> tuple[float, float, np.ndarray]:
    """(wall s, CPU s, g1) of the speckle decay average by the ``physics`` package in ``folder``,
    in a fresh child process (one BLAS thread)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "result.npz")
        environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": folder}
        subprocess.run(
            [sys.executable, "-c", _CHILD, str(n), str(realisations), out],
            cwd=folder,
            env=environment,
            check=True,
        )
        with np.load(out) as result:
            return float(result["wall"]), float(result["cpu"]), result["g1"]


def earlier_code(commit: str, n: int, realisations: int) -> tuple[float, float, np.ndarray]:
    """(wall s, CPU s, g1) of the speckle decay average by the code of ``commit``."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "physics"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        return child_cost(folder, n, realisations)


def decay_cost(
    n: int,
    realisations: int,
    output_points: int | None = None,
    workers: int = 1,
    base_points: int = 2,
):
    """(wall s, CPU s of this process, DecayStatistics) of one uncached ``decay_statistics``
    (n = 1); with workers > 1 the CPU time is the parent's only."""
    _averaged_decay.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    stats = decay_statistics(
        n,
        float(n),
        KIND,
        STRENGTH,
        realisations,
        0,
        base_points=base_points,
        output_points=output_points,
        workers=workers,
    )
    return time.perf_counter() - wall, time.process_time() - cpu, stats


def statistical_errors(stats, length: float) -> dict[str, float]:
    """Standard errors over the realisations of one call: of E log|γ| (typical) and of E|γ|
    relative to it (mean) at r = L/16, L/8, L/4, 3L/8, and jackknife errors of the fitted
    decay rates 1/ξ (window [L/16, 3L/8])."""
    count = stats.log_samples.shape[0]
    log_error = stats.log_samples.std(axis=0, ddof=1) / math.sqrt(count)
    mean_error = stats.standard_error("mean") / stats.mean
    errors = {}
    for label, mark in (("L/16", 16), ("L/8", 8), ("L/4", 4), ("3L/8", 8 / 3)):
        index = int(np.argmin(np.abs(stats.r - length / mark)))
        # \| keeps the markdown table's columns
        errors[f"SE of E log\\|γ\\| at r = {label}"] = float(log_error[index])
        errors[f"rel. SE of E\\|γ\\| at r = {label}"] = float(mean_error[index])
    for statistic in ("typical", "mean"):
        fit = decay_fit(stats, default_decay_window(length), length, statistic)
        errors[f"jackknife SE of 1/ξ ({statistic})"] = fit.rate_error
    return errors


def control_variate_correlations(stats, n: int, realisations: int) -> list[str]:
    """Correlation over realisations of each realisation's mean potential V̄ (expectation V_R
    exactly: a control variate) with its log-averages log|γ| at r = L/16 … 3L/8 and its own
    fitted rates 1/ξ; a regression on V̄ would need 1 − ρ² times the realisations."""
    length = float(n)
    potentials = realisation_potentials(
        length, default_grid_points(n), KIND, STRENGTH, realisations, 0
    )
    control = np.array([v.mean() for v in potentials])
    window = (stats.r >= length / 16) & (stats.r <= 3 * length / 8)
    quantities = {}
    for label, mark in (("L/16", 16), ("L/8", 8), ("L/4", 4), ("3L/8", 8 / 3)):
        index = int(np.argmin(np.abs(stats.r - length / mark)))
        quantities[f"log-average at r = {label}"] = stats.log_samples[:, index]
    for label, logs in (
        ("typical", stats.log_samples),
        ("mean", np.log(np.maximum(stats.mean_samples, np.finfo(float).tiny))),
    ):
        quantities[f"fitted 1/ξ ({label})"] = -np.polyfit(stats.r[window], logs[:, window].T, 1)[0]
    rows = []
    for label, values in quantities.items():
        rho = float(np.corrcoef(control, values)[0, 1])
        rows.append(f"| {label} | {rho:+.2f} | {1 - rho**2:.2f} |")
    return rows


def issue_18(lines: list[str]) -> None:
    """Issue 18: N = 128, 32 realisations: the original code, the first round and today's
    default in one run; errors; cost against N and realisations; base points vs realisations."""
    n, realisations = 128, 32
    original = earlier_code(ORIGINAL_COMMIT, n, realisations)
    previous = earlier_code(PREVIOUS_COMMIT, n, realisations)
    new = decay_cost(n, realisations)
    pair = decay_cost(n, realisations, workers=2)
    g1 = new[2].mean
    stride = (original[2].size - 1) // (g1.size - 1)
    to_original = float(np.abs(g1 - original[2][::stride]).max() / original[2].max())
    to_previous = float(np.abs(g1 - previous[2]).max() / previous[2].max())
    same = float(np.abs(pair[2].mean - g1).max())
    lines += [
        "",
        "## Issue 18: N = L = 128, 32 speckle realisations (V_R = 5), whole decay average",
        "",
        "| route | wall s | CPU s | ratio (CPU) to original |",
        "| --- | --- | --- | --- |",
        f"| original ({ORIGINAL_COMMIT[:7]}): rows on every grid point | {original[0]:.2f} "
        f"| {original[1]:.2f} | 1 |",
        f"| first round ({PREVIOUS_COMMIT[:7]}): rows on 8 points per particle "
        f"| {previous[0]:.2f} | {previous[1]:.2f} | {original[1] / previous[1]:.2f} |",
        f"| today: shared starting basis, paired FFTs, [B \\| s] sweep | {new[0]:.2f} "
        f"| {new[1]:.2f} | {original[1] / new[1]:.2f} |",
        f"| today, 2 worker processes | {pair[0]:.2f} | (workers) | wall ratio "
        f"{original[0] / pair[0]:.2f} |",
        "",
        f"Max difference of g1 (mean) to the original at common r: {to_original:.1e} of max g1; "
        f"to the first round: {to_previous:.1e}; 2 workers vs 1: {same:.1e}.",
        "",
        "## Statistical error per cost: base points against realisations",
        "",
        f"The same {realisations} realisations with 8 base points per realisation instead of "
        "2 (same estimator; each row of γ costs the same). Realisations with 8 base points "
        f"for the error of 2 base points with {realisations}: R₈ = {realisations} (σ₈/σ₂)²; "
        "its CPU time scaled from the 8-base-point run.",
        "",
        f"| quantity | σ₂ (2 base points) | σ₈ (8 base points) | R₈ | CPU s at equal error, "
        f"8 base points (2 base points: {new[1]:.2f}) |",
        "| --- | --- | --- | --- | --- |",
    ]
    eight = decay_cost(n, realisations, base_points=8)
    two_errors = statistical_errors(new[2], n)
    eight_errors = statistical_errors(eight[2], n)
    for label, two in two_errors.items():
        needed = realisations * (eight_errors[label] / two) ** 2
        lines.append(
            f"| {label} | {two:.4f} | {eight_errors[label]:.4f} | {needed:.1f} "
            f"| {eight[1] * needed / realisations:.2f} |"
        )
    lines += [
        "",
        "## A control variate (measured, not used)",
        "",
        f"Per realisation of the {realisations} above (2 base points): correlation ρ of the "
        "ring's mean potential V̄ (its expectation is V_R exactly) with the realisation's own "
        "values; a regression estimator on V̄ would reach the same error with 1 − ρ² times "
        "the realisations.",
        "",
        "| per-realisation quantity | ρ with V̄ | 1 − ρ² |",
        "| --- | --- | --- |",
        *control_variate_correlations(new[2], n, realisations),
    ]
    lines += [
        "",
        "## Cost against N (4 realisations) and realisations (N = 64), today's route",
        "",
        "| N | R | wall s | CPU s |",
        "| --- | --- | --- | --- |",
    ]
    for m, r in ((32, 4), (64, 4), (128, 4), (256, 4), (64, 8), (64, 16), (64, 32)):
        wall, cpu, _ = decay_cost(m, r)
        lines.append(f"| {m} | {r} | {wall:.2f} | {cpu:.2f} |")


#: The code before issue 18's third round: one orbital per FFT when sampling the rows' nodes,
#: B = A⁻¹ and s = A⁻¹ φ(x0) updated by separate products in the sweep.
BEFORE_ROUND_3_COMMIT = "d8acf39db0298fbb9bd2e168e8344cd7bc71f3e8"


def round_3_rows(repeats: int) -> list[str]:
    """Whole decay average, N = L = 128, 32 speckle realisations: the code before the third
    round and today's, each in a fresh child process, interleaved; medians of ``repeats``."""
    n, realisations = 128, 32
    before, today = [], []
    for _ in range(repeats):
        before.append(earlier_code(BEFORE_ROUND_3_COMMIT, n, realisations))
        today.append(child_cost(str(ROOT), n, realisations))
    difference = float(np.abs(today[0][2] - before[0][2]).max() / before[0][2].max())
    walls = [statistics.median(r[0] for r in runs) for runs in (before, today)]
    cpus = [statistics.median(r[1] for r in runs) for runs in (before, today)]
    return [
        "| route | wall s (median) | CPU s (median) | ratio (CPU) to before |",
        "| --- | --- | --- | --- |",
        f"| before ({BEFORE_ROUND_3_COMMIT[:7]}): one orbital per FFT, B and s apart "
        f"| {walls[0]:.2f} | {cpus[0]:.2f} | 1 |",
        f"| today: two real orbitals per FFT, [B \\| s] by one product | {walls[1]:.2f} "
        f"| {cpus[1]:.2f} | {cpus[0] / cpus[1]:.2f} |",
        "",
        f"CPU s per run, before: {', '.join(f'{r[1]:.2f}' for r in before)}; today: "
        f"{', '.join(f'{r[1]:.2f}' for r in today)}. Max difference of g1: {difference:.1e} "
        "of max g1.",
    ]


def _interleaved(hamiltonian: np.ndarray, offset: int, n_pairs: int) -> np.ndarray:
    """The real-basis Hamiltonian reordered [1], cos_1, sin_1, cos_2, sin_2, …: banded when V is."""
    pairs = np.arange(offset, offset + n_pairs)
    order = np.concatenate([np.arange(offset), np.stack([pairs, pairs + n_pairs], 1).ravel()])
    return hamiltonian[np.ix_(order, order)]


def banded_row(kind: str, strength: float, n: int, repeats: int) -> str:
    """Dense ``eigh`` (evr, N lowest) against ``eig_banded`` (select='i') on one realisation's
    converged basis; the bandwidth b keeps every entry above 1e-13 max|v_q|."""
    length, grid_points, twist = float(n), default_grid_points(n), boundary_twist(n)
    seed = realisation_seeds(0, 1)[0]
    potential = disorder_potential(kind, length, grid_points, strength, seed)
    half_width = lowest_orbitals(n, length, potential, twist).mode_indices.size // 2
    spectrum = _potential_spectrum(potential)
    hamiltonian, (_, _, offset, n_pairs) = _real_hamiltonian(half_width, length, twist, spectrum)
    matrix = _interleaved(hamiltonian, offset, n_pairs)
    size = matrix.shape[0]
    above = np.nonzero(np.abs(matrix) > 1e-13 * np.abs(spectrum).max())
    band = int(np.abs(above[0] - above[1]).max())
    dense_energies = scipy.linalg.eigh(matrix, eigvals_only=True, subset_by_index=[0, n - 1])
    dense = median_time(
        lambda: scipy.linalg.eigh(matrix, subset_by_index=[0, n - 1], driver="evr"), repeats
    )[1]
    label = f"| {kind} {strength:g} | {n} | {size} | {band} | {1e3 * dense:.0f} |"
    if 2 * band >= size:
        return f"{label} not timed: b >= K/2 | | |"
    upper = np.array([np.pad(np.diagonal(matrix, d), (d, 0)) for d in range(band, -1, -1)])
    banded = median_time(
        lambda: scipy.linalg.eig_banded(upper, select="i", select_range=(0, n - 1)), repeats
    )[1]
    energies = scipy.linalg.eig_banded(
        upper, eigvals_only=True, select="i", select_range=(0, n - 1)
    )
    error = float(np.abs(energies - dense_energies).max() / np.abs(dense_energies).max())
    return f"{label} {1e3 * banded:.0f} | {dense / banded:.2f} | {error:.1e} |"


def round_3(lines: list[str], repeats: int) -> None:
    """Issue 18, third round: paired FFT sampling and the [B | s] sweep against the code before,
    and the banded solver measured against the dense one."""
    lines += [
        "",
        "## Issue 18, third round: N = L = 128, 32 speckle realisations (V_R = 5)",
        "",
        *round_3_rows(repeats),
        "",
        "## One-particle solve: dense eigh against eig_banded (N lowest, one realisation)",
        "",
        "| kind, strength | N | K | bandwidth b | dense evr, CPU ms | eig_banded, CPU ms "
        "| ratio dense / banded | max rel. energy difference |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    cases = (("speckle", 5.0), ("speckle", 20.0), ("gaussian", 5.0), ("poisson", 5.0))
    for kind, strength in cases:
        lines += [banded_row(kind, strength, n, repeats) for n in (32, 64, 128, 256)]


#: The code before issue 18's fourth round (the third round's commit).
BEFORE_ROUND_4_COMMIT = "ac58fa50355c0f34c8c8dc6024224dda1cd0605d"


def round_4_rows(repeats: int) -> list[str]:
    """Whole decay average, N = L = 128, 32 speckle realisations: the original code, the code
    before the fourth round and today's, each in a fresh child process, interleaved."""
    n, realisations = 128, 32
    routes = {"original": [], "before": [], "today": []}
    for _ in range(repeats):
        routes["original"].append(earlier_code(ORIGINAL_COMMIT, n, realisations))
        routes["before"].append(earlier_code(BEFORE_ROUND_4_COMMIT, n, realisations))
        routes["today"].append(child_cost(str(ROOT), n, realisations))
    wall = {k: statistics.median(r[0] for r in v) for k, v in routes.items()}
    cpu = {k: statistics.median(r[1] for r in v) for k, v in routes.items()}
    g1 = routes["today"][0][2]
    original = routes["original"][0][2]
    stride = (original.size - 1) // (g1.size - 1)
    to_original = float(np.abs(g1 - original[::stride]).max() / original.max())
    before = routes["before"][0][2]
    to_before = float(np.abs(g1 - before).max() / before.max())
    labels = {
        "original": f"original ({ORIGINAL_COMMIT[:7]}): rows on every grid point",
        "before": f"before this round ({BEFORE_ROUND_4_COMMIT[:7]})",
        "today": "today: pilot solved once, start at its need + √(2L) modes, weighted quadrature",
    }
    lines = [
        "| route | wall s (median) | CPU s (median) | CPU s per run | ratio (CPU) to original |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, label in labels.items():
        runs = ", ".join(f"{r[1]:.2f}" for r in routes[key])
        lines.append(
            f"| {label} | {wall[key]:.2f} | {cpu[key]:.2f} | {runs} "
            f"| {cpu['original'] / cpu[key]:.2f} |"
        )
    return [
        *lines,
        "",
        f"Max difference of g1 (mean), today vs original at common r: {to_original:.1e} of max "
        f"g1; vs before this round: {to_before:.1e}.",
    ]


def scaling_rows() -> list[str]:
    """CPU of one uncached decay average (2 base points) against N and the realisations R."""
    lines = [
        "| N | R | wall s | CPU s | CPU s per realisation |",
        "| --- | --- | --- | --- | --- |",
    ]
    for n, realisations in ((64, 8), (64, 32), (128, 8), (128, 16), (128, 32), (256, 8), (256, 32)):
        wall, cpu, _ = decay_cost(n, realisations)
        lines.append(
            f"| {n} | {realisations} | {wall:.2f} | {cpu:.2f} | {cpu / realisations:.3f} |"
        )
    return lines


def row_logs(n: int, seeds: tuple[int, ...], realisations: int, bases: int) -> np.ndarray:
    """log|γ(x_b, x_b + r)| for ``bases`` evenly spaced x_b on each ring, shape (rings, B, r)."""
    length, points = float(n), 8 * n
    twist = boundary_twist(n)
    base = (np.arange(bases) * points) // bases
    logs = []
    for seed in seeds:
        potentials = realisation_potentials(
            length, default_grid_points(n), KIND, STRENGTH, realisations, seed
        )
        for start in range(0, realisations, 4):
            sets = [lowest_orbitals(n, length, v, twist) for v in potentials[start : start + 4]]
            rows = np.abs(density_matrix_rows(sets, points, base, points // 2))
            logs.append(np.log(np.maximum(rows, np.finfo(float).tiny)))
    return np.concatenate(logs)


def base_point_rows(n: int = 128) -> list[str]:
    """Realisations R_B with B base points for the error of (R = 32, B = 2), per quantity: from
    the variance over rings of the mean over B evenly spaced bases (averaged over offsets),
    Var_B, as R_B = 32 Var_B / Var_2; CPU from a measured uncached call with (R_B, B)."""
    bases, length = 16, float(n)
    logs = row_logs(n, (0, 1), 32, bases)
    r = np.arange(logs.shape[2]) * (length / (8 * n))
    window = (r >= length / 16) & (r <= 3 * length / 8)
    slopes = -np.polyfit(r[window], logs[:, :, window].reshape(-1, window.sum()).T, 1)[0]
    quantities = {
        rf"E log\|γ\| at r = {label}": logs[:, :, int(np.argmin(np.abs(r - length / mark)))]
        for label, mark in (("L/16", 16), ("L/8", 8), ("L/4", 4), ("3L/8", 8 / 3))
    }
    quantities["fitted rate of a row, [L/16, 3L/8]"] = slopes.reshape(logs.shape[:2])
    counts = (1, 2, 4, 8, 16)
    cost = {b: decay_cost(n, 16, base_points=b)[1] / 16 for b in counts}
    lines = [
        f"{logs.shape[0]} rings (seeds 0 and 1, 32 each), {bases} base points each. CPU s per "
        "realisation with B base points (uncached call, 16 realisations): "
        + ", ".join(f"B = {b}: {cost[b]:.3f}" for b in counts)
        + ".",
        "",
        "| quantity | SE at (R = 32, B = 2) | "
        + " | ".join(f"R at B = {b} (CPU s)" for b in counts)
        + " |",
        "| --- | --- | " + " | ".join("---" for _ in counts) + " |",
    ]
    for label, values in quantities.items():
        variance = {
            b: np.mean(
                [values[:, o :: bases // b].mean(axis=1).var(ddof=1) for o in range(bases // b)]
            )
            for b in counts
        }
        needed = {b: 32 * variance[b] / variance[2] for b in counts}
        cells = " | ".join(f"{needed[b]:.1f} ({needed[b] * cost[b]:.2f})" for b in counts)
        lines.append(f"| {label} | {math.sqrt(variance[2] / 32):.4f} | {cells} |")
    return lines


def round_4(lines: list[str], repeats: int) -> None:
    """Issue 18, fourth round: speed against the original code, scaling, base points."""
    lines += [
        "",
        "## Issue 18, fourth round: N = L = 128, 32 speckle realisations (V_R = 5)",
        "",
        *round_4_rows(repeats),
        "",
        "## Cost against N and realisations R (today, one process, 2 base points)",
        "",
        *scaling_rows(),
        "",
        "## Equal statistical error: base points against realisations (N = 128)",
        "",
        *base_point_rows(),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", help="write the markdown tables to this file")
    parser.add_argument("--issue-18-only", action="store_true", help="only the issue-18 tables")
    parser.add_argument(
        "--issue-18-round-3", action="store_true", help="only the third round's tables"
    )
    parser.add_argument(
        "--issue-18-round-4", action="store_true", help="only the fourth round's tables"
    )
    args = parser.parse_args(argv)
    if args.issue_18_round_4:
        lines = [f"Load average at start: {os.getloadavg()[0]:.1f}"]
        round_4(lines, args.repeats)
        print("\n".join(lines))
        return 0
    if args.issue_18_round_3:
        lines = [f"Load average at start: {os.getloadavg()[0]:.1f}"]
        round_3(lines, args.repeats)
        print("\n".join(lines))
        return 0
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
