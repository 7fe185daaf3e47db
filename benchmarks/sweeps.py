"""Benchmark of the sweep executors: when does parallel execution pay?

Run ``python -m benchmarks.sweeps`` from the repository root (``--output
docs/performance/sweeps.md`` writes the tables). Every time is the median of ``--repeats``
runs with workers already started and warmed up (their start-up is timed separately).

Tasks burn a fixed amount of CPU time (``burn_cpu``: a busy loop on the thread's CPU clock),
so the work is known exactly and the rest of the wall time is overhead:

- cheap tasks (0.2 ms of CPU each): the wall time per task is the executor's per-task
  overhead; measured one task per submission (``batch_size=1``) and with the automatic batch
  size of ``qgas sweep``.
- expensive tasks (0.1 s of CPU each): speed-up from 1 to 2 local worker processes and the
  efficiency of each executor, ``ideal / wall`` with ``ideal = n · t / workers``.

Baseline, measured in the same run: serial evaluation in this process. A final section times
a real sweep (``lieb_liniger.ground_state_energy`` on 400 points) end to end with
``run_sweep`` on 1 and 2 local processes.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qgas.sweeps.config import config_from_mapping
from qgas.sweeps.executors import DaskExecutor, Executor, ProcessExecutor, SerialExecutor
from qgas.sweeps.observables import REGISTRY
from qgas.sweeps.runner import auto_batch_size, prepare_sweep, run_sweep
from qgas.sweeps.tasks import Task

BURN = "benchmarks.sweeps:burn_cpu"
CHEAP_SECONDS, CHEAP_TASKS = 2e-4, 400
EXPENSIVE_SECONDS, EXPENSIVE_TASKS = 0.1, 12


def burn_cpu(seconds: float) -> float:
    """Spin for ``seconds`` of this thread's CPU time; returns the CPU time spent."""
    start = time.thread_time()
    while time.thread_time() - start < seconds:
        pass
    return time.thread_time() - start


def _batches(n_tasks: int, seconds: float, batch_size: int) -> list[list[Task]]:
    tasks = [Task(i, {"seconds": seconds}) for i in range(n_tasks)]
    return [tasks[i : i + batch_size] for i in range(0, n_tasks, batch_size)]


def _wall(executor: Executor, batches: list[list[Task]]) -> float:
    start = time.perf_counter()
    for _ in executor.run(BURN, 1, batches):
        pass
    return time.perf_counter() - start


def _median(repeats: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(repeats))


def _timed_start(make: Callable[[], Executor]) -> tuple[Executor, float]:
    start = time.perf_counter()
    executor = make()
    _wall(executor, _batches(2 * executor.slots, 1e-3, 1))  # spawn and import in every worker
    return executor, time.perf_counter() - start


def measure_executors(repeats: int) -> list[dict]:
    """Per-task overhead (cheap tasks) and efficiency (expensive tasks) of every executor.

    All executors are started first; then every repetition times every executor in turn
    (interleaved), so a change of machine load during the run affects them alike.
    """
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    makers = {
        "serial (in process)": SerialExecutor,
        "local processes (1)": lambda: ProcessExecutor(1),
        "local processes (2)": lambda: ProcessExecutor(2),
        "Dask LocalCluster (2 x 1 thread)": lambda: DaskExecutor(cluster.scheduler_address),
    }
    started = {name: _timed_start(make) for name, make in makers.items()}
    workloads = {
        name: {
            "cheap_1": _batches(CHEAP_TASKS, CHEAP_SECONDS, 1),
            "cheap_auto": _batches(
                CHEAP_TASKS, CHEAP_SECONDS, auto_batch_size(CHEAP_TASKS, executor.slots)
            ),
            "expensive": _batches(EXPENSIVE_TASKS, EXPENSIVE_SECONDS, 1),
        }
        for name, (executor, _) in started.items()
    }
    times: dict[str, dict[str, list[float]]] = {
        name: {workload: [] for workload in workloads[name]} for name in started
    }
    try:
        for repeat in range(repeats):
            for name, (executor, _) in started.items():
                for workload, batches in workloads[name].items():
                    times[name][workload].append(_wall(executor, batches))
            print(f"repetition {repeat + 1}/{repeats} done", file=sys.stderr, flush=True)
    finally:
        for executor, _ in started.values():
            executor.close()
        cluster.close()
    rows = []
    for name, (executor, startup) in started.items():
        median = {workload: statistics.median(values) for workload, values in times[name].items()}
        ideal = EXPENSIVE_TASKS * EXPENSIVE_SECONDS / executor.slots
        rows.append(
            {
                "executor": name,
                "slots": executor.slots,
                "startup_s": startup,
                "cheap_per_task_ms": 1e3 * median["cheap_1"] / CHEAP_TASKS,
                "cheap_auto_per_task_ms": 1e3 * median["cheap_auto"] / CHEAP_TASKS,
                "auto_batch": len(workloads[name]["cheap_auto"][0]),
                "expensive_wall_s": median["expensive"],
                "efficiency": ideal / median["expensive"],
            }
        )
    return rows


def measure_real_sweep(repeats: int) -> dict[int, float]:
    """Wall time of ``run_sweep`` for e(gamma) on 400 points with 1 and 2 local processes.

    Every repetition shifts the grid by a relative 1e-9 so that the per-gamma cache of
    :mod:`physics` in the workers never answers: each run solves 400 new equations.
    """
    times = {}
    shifts = iter(range(1, 2 * repeats + 1))
    with tempfile.TemporaryDirectory() as directory:

        def once(executor: Executor) -> float:
            start_gamma = 1e-3 * (1 + 1e-9 * next(shifts))
            config = config_from_mapping(
                {
                    "observable": "lieb_liniger.ground_state_energy",
                    "output": str(Path(directory) / "e.nc"),
                    "grid": {
                        "gamma": {"start": start_gamma, "stop": 1e3, "num": 400, "spacing": "log"}
                    },
                },
                REGISTRY,
            )
            start = time.perf_counter()
            run_sweep(prepare_sweep(config, force=True), executor, progress=False)
            return time.perf_counter() - start

        for workers in (1, 2):
            executor, _ = _timed_start(lambda w=workers: ProcessExecutor(w))
            with executor:
                times[workers] = _median(repeats, lambda e=executor: once(e))
    return times


def report(rows: list[dict], real: dict[int, float], repeats: int) -> str:
    serial = rows[0]
    by_name = {row["executor"]: row for row in rows}
    one, two = by_name["local processes (1)"], by_name["local processes (2)"]
    dask = by_name["Dask LocalCluster (2 x 1 thread)"]
    load = os.getloadavg()[0]
    lines = [
        f"Machine: {os.cpu_count()} CPUs, load average {load:.1f} at the start; medians of "
        f"{repeats} runs; workers warmed up before timing.",
        "",
        f"Cheap tasks: {CHEAP_TASKS} x {1e3 * CHEAP_SECONDS:g} ms CPU. Expensive tasks: "
        f"{EXPENSIVE_TASKS} x {EXPENSIVE_SECONDS:g} s CPU.",
        "",
        "| executor | start-up (s) | cheap: wall/task, batch 1 (ms) | cheap: wall/task, auto "
        "batch (ms) | expensive: wall (s) | expensive: efficiency |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['executor']} | {row['startup_s']:.2f} | {row['cheap_per_task_ms']:.3f} | "
            f"{row['cheap_auto_per_task_ms']:.3f} (batch {row['auto_batch']}) | "
            f"{row['expensive_wall_s']:.2f} | {row['efficiency']:.2f} |"
        )
    overhead_local = two["cheap_per_task_ms"] - 1e3 * CHEAP_SECONDS / 2
    overhead_dask = dask["cheap_per_task_ms"] - 1e3 * CHEAP_SECONDS / 2
    lines += [
        "",
        "Ratios (same run):",
        "",
        f"- speed-up 1 -> 2 local processes, expensive tasks: "
        f"{one['expensive_wall_s'] / two['expensive_wall_s']:.2f}x "
        f"(serial in process / 2 processes: "
        f"{serial['expensive_wall_s'] / two['expensive_wall_s']:.2f}x)",
        f"- speed-up 1 -> 2 local processes, cheap tasks, batch 1: "
        f"{one['cheap_per_task_ms'] / two['cheap_per_task_ms']:.2f}x",
        f"- per-task overhead, batch 1 (wall/task minus the ideal {1e3 * CHEAP_SECONDS / 2:g} "
        f"ms): local processes {overhead_local:.3f} ms, Dask {overhead_dask:.3f} ms, "
        f"Dask/local = {overhead_dask / overhead_local:.1f}x",
        f"- Dask / local processes, cheap tasks with auto batch: "
        f"{dask['cheap_auto_per_task_ms'] / two['cheap_auto_per_task_ms']:.2f}x",
        f"- Dask / local processes, expensive tasks: "
        f"{dask['expensive_wall_s'] / two['expensive_wall_s']:.2f}x",
        "",
        "Real sweep, `lieb_liniger.ground_state_energy` on 400 points, `run_sweep` end to end "
        f"(auto batch): 1 process {real[1]:.2f} s, 2 processes {real[2]:.2f} s, speed-up "
        f"{real[1] / real[2]:.2f}x.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    rows = measure_executors(args.repeats)
    real = measure_real_sweep(args.repeats)
    text = report(rows, real, args.repeats)
    print(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()
