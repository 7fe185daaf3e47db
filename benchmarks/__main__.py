"""``python -m benchmarks [NAME ...]`` (``make bench``): run the benchmarks one after another.

Each runs in its own process with its default settings, exactly as ``python -m
benchmarks.NAME``; pass names to run a subset. The load benchmark (30 browser sessions, several
minutes, needs Debian's Chromium) and the adversarial-student scenario run only when named.
"""

from __future__ import annotations

import subprocess
import sys

DEFAULT = ["lattice", "tonks_girardeau", "series", "bethe", "sweeps", "dashboard_latency"]
KNOWN = [*DEFAULT, "load", "adversary", "high_precision"]


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or DEFAULT
    unknown = [name for name in names if name not in KNOWN]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; valid: {KNOWN}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"\n=== benchmarks.{name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"benchmarks.{name}"]).returncode:
            failed.append(name)
    if failed:
        print(f"failed: {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
