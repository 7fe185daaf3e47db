"""Benchmark of the arbitrary-precision e(gamma) route next to the double-precision solver.

Run ``python -m benchmarks.high_precision`` (``--digits 30``, ``--output FILE`` for the table).

For Lieb-Liniger and attractive Gaudin-Yang at gamma = 0.05, 0.1, 0.3, 1, 3, 10 (the repulsive
Gaudin-Yang gas from 0.1, the lower end of its high-precision range) it times
``ground_state_energy_with_error(gamma, digits)`` (one run each; the B(gamma) start comes from
the double-precision solver, whose cache is cleared first) and the plain float call in the same
process, and prints the error estimate and the difference between the two (which is the float
solver's error, ~1e-15 relative). ``--models`` picks some of the three.
"""

from __future__ import annotations

import argparse
import time

import mpmath

from physics import _bethe, gaudin_yang, gaudin_yang_repulsive, lieb_liniger

GAMMAS = (0.05, 0.1, 0.3, 1.0, 3.0, 10.0)
MODULES = {
    "lieb-liniger": lieb_liniger,
    "gaudin-yang": gaudin_yang,
    "gaudin-yang-repulsive": gaudin_yang_repulsive,
}


def _timed(call):
    _bethe.coupling_state.cache_clear()
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def rows(digits: int, models: list[str]) -> list[str]:
    lines = [
        f"| model | gamma | {digits}-digit time (s) | float time (ms) | error estimate "
        "(relative) | float - exact (relative) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in models:
        module = MODULES[name]
        low = module.HIGH_PRECISION_RANGE[0]
        for gamma in (g for g in GAMMAS if g >= low):
            (value, error), seconds = _timed(
                lambda m=module, g=gamma: m.ground_state_energy_with_error(g, digits)
            )
            reference, float_seconds = _timed(lambda m=module, g=gamma: m.ground_state_energy(g))
            with mpmath.workdps(digits + 10):
                relative = error / abs(value)
                float_error = (mpmath.mpf(reference) - value) / abs(value)
            lines.append(
                f"| {name} | {gamma:g} | {seconds:.2f} | {1e3 * float_seconds:.1f} | "
                f"{mpmath.nstr(relative, 2)} | {mpmath.nstr(float_error, 2)} |"
            )
            print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=30, help="requested digits (1-60)")
    parser.add_argument("--output", help="also write the markdown table to this file")
    parser.add_argument(
        "--models", nargs="+", choices=list(MODULES), default=list(MODULES), help="models to time"
    )
    args = parser.parse_args()
    lines = rows(args.digits, args.models)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
