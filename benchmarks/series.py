"""Benchmark: cost of generating the weak-coupling coefficients c_0 … c_K against the order K.

Run ``python -m benchmarks.series [--orders 10 20 35 50] [--repeats 3]``. For each model and order
it times :func:`physics.series.run_generation` at the precision needed for ≥ 30 correct digits
(:func:`physics.series.default_dps`), prints medians of wall and CPU time, the ratio to the
lowest order measured in the same run (the baseline), and the growth exponent p of time ∝ K^p
fitted between consecutive orders and over the whole range. The machine is shared and noisy: CPU
time is the more stable figure.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from physics.series import default_dps, run_generation

MODELS = ("lieb-liniger", "gaudin-yang")


def measure(model: str, order: int, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of one generation run (``repeats`` runs)."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        run_generation(model, order, default_dps(order))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, nargs="+", default=[10, 20, 35, 50])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    orders = sorted(args.orders)
    print(f"{'model':<13} {'K':>4} {'dps':>4} {'wall s':>8} {'cpu s':>8} {'cpu/base':>9} {'p':>5}")
    for model in MODELS:
        rows = [(k, *measure(model, k, args.repeats)) for k in orders]
        base_cpu = rows[0][2]
        previous = None
        for k, wall, cpu in rows:
            exponent = (
                f"{math.log(cpu / previous[1]) / math.log(k / previous[0]):5.2f}"
                if previous
                else "    -"
            )
            print(
                f"{model:<13} {k:>4} {default_dps(k):>4} {wall:>8.2f} {cpu:>8.2f} "
                f"{cpu / base_cpu:>9.1f} {exponent}"
            )
            previous = (k, cpu)
        total = math.log(rows[-1][2] / rows[0][2]) / math.log(orders[-1] / orders[0])
        print(f"{model:<13} growth exponent over K = {orders[0]}..{orders[-1]}: p = {total:.2f}")


if __name__ == "__main__":
    main()
