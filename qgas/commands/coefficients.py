"""``qgas coefficients``: generate and certify a table of weak-coupling coefficients.

Runs the resolvent-method generator (:mod:`physics.series`) twice — at ``--dps`` with λ₀ =
``--log-b`` and at ``--check-dps`` with λ₀ = ``--check-log-b`` (λ₀ is the number put in place of
log B; the exact result does not depend on it) — and writes a JSON table whose coefficients are
rounded to the digits on which the two runs agree, with provenance (method, precisions, λ₀ values,
digits verified per coefficient, wall times, package version, date, command line).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Generate a certified table of weak-coupling coefficients c_k of e(gamma) (Eq. 31)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", choices=("lieb-liniger", "gaudin-yang"), required=True, help="which series"
    )
    parser.add_argument("--order", type=int, required=True, help="highest k of c_k (>= 0)")
    parser.add_argument(
        "--dps", type=int, default=None, help="working precision of the main run (digits)"
    )
    parser.add_argument(
        "--check-dps", type=int, default=None, help="working precision of the check run"
    )
    parser.add_argument("--log-b", default="-log(4)", help="log B substitute of the main run")
    parser.add_argument("--check-log-b", default="0.5", help="log B substitute of the check run")
    parser.add_argument(
        "--output", type=Path, default=None, help="JSON file (default assets/series/MODEL.json)"
    )


def run(args: argparse.Namespace) -> int:
    from physics.series._generate import default_dps, run_generation
    from physics.series._tables import table_path, table_payload
    from qgas import __version__

    if args.order < 0:
        print(f"qgas coefficients: --order={args.order} must be >= 0", file=sys.stderr)
        return 2
    dps = args.dps if args.dps is not None else default_dps(args.order) + 20
    check_dps = args.check_dps if args.check_dps is not None else default_dps(args.order)
    if dps == check_dps and args.log_b == args.check_log_b:
        print("qgas coefficients: the check run must differ from the main run", file=sys.stderr)
        return 2
    output = args.output if args.output is not None else table_path(args.model)
    main = run_generation(args.model, args.order, dps, args.log_b)
    print(f"main run: dps={dps} log B -> {args.log_b}: {main.seconds:.1f} s", file=sys.stderr)
    check = run_generation(args.model, args.order, check_dps, args.check_log_b)
    print(
        f"check run: dps={check_dps} log B -> {args.check_log_b}: {check.seconds:.1f} s",
        file=sys.stderr,
    )
    command = "qgas coefficients " + shlex.join(sys.argv[2:] if len(sys.argv) > 2 else [])
    payload = table_payload(main, check, version=__version__, command=command)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(payload, indent=1) + "\n")
    least = payload["provenance"]["digits_verified_min"]
    print(f"wrote {output}: c_0..c_{args.order}, >= {least} digits verified", file=sys.stderr)
    return 0
