"""``qgas coefficients``: generate and certify a table of weak-coupling coefficients.

Runs the resolvent-method generator (:mod:`physics.series`) twice — at ``--dps`` with λ₀ =
``--log-b`` and at ``--check-dps`` with λ₀ = ``--check-log-b`` (λ₀ is the number put in place of
log B; the exact result does not depend on it) — and writes a JSON table whose coefficients are
rounded to the digits on which the two runs agree, with provenance (method, precisions, λ₀ values,
digits verified per coefficient, wall times, package version, date, command line).

Nothing shipped is overwritten by default: the table goes to the user's data directory
(:func:`user_table_path`), which nothing reads by itself (the command says so). Replacing a
shipped table (``assets/series/MODEL.json``, the one the physics and the dashboard read) needs
``--replace-shipped``, and no table is replaced by one of lower order without
``--allow-lower-order``. Every argument is checked before any work (limits:
:data:`MAX_ORDER`, :data:`MAX_DPS`, :func:`minimum_dps`, :data:`MAX_LOG_B`); a bad one exits
with status 2 and one line naming it, the value and the valid range.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any

from qgas.commands import refuse_lower_order, report_error

__all__ = [
    "HELP",
    "MAX_DPS",
    "MAX_LOG_B",
    "MAX_ORDER",
    "add_arguments",
    "minimum_dps",
    "run",
    "user_table_path",
]

HELP = "Generate a certified table of weak-coupling coefficients c_k of e(gamma) (Eq. 31)."

MODELS = ("lieb-liniger", "gaudin-yang")
#: Highest order accepted: a run costs ∝ order⁴ (order 100 ≈ 100 s CPU and a few hundred MB).
MAX_ORDER = 150
#: Highest working precision accepted (decimal digits).
MAX_DPS = 500
#: Largest |λ₀| accepted: each further decade of |λ₀| costs about 25 certified digits.
MAX_LOG_B = 10.0
#: The exact substitute λ₀ = −log 4 (see :mod:`physics.series._generate`).
LOG_B_EXACT = "-log(4)"
#: Options whose value may start with "-" (qgas.cli attaches it: --log-b -log(4)).
DASH_VALUE_FLAGS = ("--log-b", "--check-log-b")
#: Largest existing file read to find out whether it is a coefficient table.
_MAX_TABLE_BYTES = 16 * 2**20
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def minimum_dps(order: int) -> int:
    """Lowest working precision accepted at ``order``: it keeps ≳ 15 correct digits.

    About 0.7 digits are lost per order (``docs/physics/series.md``, Precision).
    """
    return 15 + math.ceil(0.75 * order)


def user_table_path(model: str) -> Path:
    """Default output: ``$XDG_DATA_HOME/qgas/series/MODEL.json`` (else ``~/.local/share/...``).

    Raises ValueError when neither an absolute ``XDG_DATA_HOME`` nor a home directory is known.
    """
    data_home = os.environ.get("XDG_DATA_HOME", "")
    if not os.path.isabs(data_home):
        try:
            data_home = str(Path.home() / ".local" / "share")
        except RuntimeError:
            raise ValueError(
                "no home directory and no absolute XDG_DATA_HOME: give --output"
            ) from None
    return Path(data_home) / "qgas" / "series" / f"{model}.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", required=True, metavar="MODEL", help="which series: lieb-liniger, gaudin-yang"
    )
    parser.add_argument(
        "--order", required=True, metavar="K", help=f"highest k of c_k, 0 <= K <= {MAX_ORDER}"
    )
    parser.add_argument(
        "--dps",
        metavar="D",
        help=f"working precision of the main run (digits; {minimum_dps(0)} + 0.75 K to {MAX_DPS})",
    )
    parser.add_argument("--check-dps", metavar="D", help="working precision of the check run")
    parser.add_argument(
        "--log-b",
        default=LOG_B_EXACT,
        metavar="LAMBDA",
        help=f"log B substitute of the main run: {LOG_B_EXACT} (default) or a decimal in "
        f"[-{MAX_LOG_B:g}, {MAX_LOG_B:g}], e.g. --log-b={LOG_B_EXACT} or --log-b -0.5",
    )
    parser.add_argument(
        "--check-log-b",
        default="0.5",
        metavar="LAMBDA",
        help="log B substitute of the check run (default 0.5; same forms as --log-b)",
    )
    parser.add_argument(
        "--output",
        help="JSON file (default $XDG_DATA_HOME/qgas/series/MODEL.json, else "
        "~/.local/share/qgas/series/MODEL.json)",
    )
    parser.add_argument(
        "--replace-shipped",
        action="store_true",
        help="write the shipped table assets/series/MODEL.json that the dashboard reads",
    )
    parser.add_argument(
        "--allow-lower-order",
        action="store_true",
        help="let a table of lower order replace an existing one of higher order",
    )


def _log_b(flag: str, text: str) -> str:
    """λ₀ as given: ``-log(4)`` or a finite decimal with |λ₀| <= MAX_LOG_B (ValueError)."""
    compact = text.replace(" ", "")
    if compact == LOG_B_EXACT:
        return LOG_B_EXACT
    valid = f"valid: {LOG_B_EXACT} or a decimal number in [-{MAX_LOG_B:g}, {MAX_LOG_B:g}]"
    if not _DECIMAL.fullmatch(compact) or not abs(float(compact)) <= MAX_LOG_B:
        raise ValueError(f"{flag}={text!r} is not allowed; {valid}")
    return compact


def _existing_table(path: Path, model: str, order: int, allow_lower: bool) -> None:
    """Refuse to replace a non-table, another model's table or, silently, a higher order."""
    if not path.is_file():  # absent, or a directory: the write check names it
        return
    table: Any = None
    try:
        if path.stat().st_size <= _MAX_TABLE_BYTES:
            table = json.loads(path.read_bytes())
    except (OSError, ValueError):
        table = None
    if not (
        isinstance(table, dict)
        and table.get("model") in MODELS
        and isinstance(table.get("order"), int)
    ):
        raise ValueError(
            f"--output={str(path)!r} exists and is not a coefficient table; choose another file"
        )
    if table["model"] != model:
        raise ValueError(
            f"--output={str(path)!r} holds the {table['model']} table; choose another file"
        )
    refuse_lower_order("--order", order, table["order"], path, allow_lower)


def _output(args: argparse.Namespace, model: str, order: int) -> Path:
    """The checked output path: user location by default, a shipped table only when asked.

    Whether the path is shipped (:func:`qgas.sweeps.files.is_shipped`) is decided first, so a
    refused path is never probed for writability (which creates a file beside it).
    """
    from physics.series._tables import table_path
    from qgas.sweeps.files import check_writable, is_shipped, shipped_directory

    shipped = table_path(model).resolve()
    if args.output is None:
        output = shipped if args.replace_shipped else user_table_path(model)
    elif not args.output.strip():
        raise ValueError("--output='' must name a JSON file")
    else:
        output = Path(args.output).expanduser().absolute()
    target = output.resolve()
    if is_shipped(target):
        if not args.replace_shipped:
            raise ValueError(
                f"--output={str(output)!r} is inside the shipped directory "
                f"{shipped_directory()} (the dashboard reads it); pass --replace-shipped to "
                f"replace {shipped.name} there, or write elsewhere"
            )
        if target != shipped:
            raise ValueError(
                f"--output={str(output)!r}: of the shipped directory, --replace-shipped writes "
                f"only {shipped} for --model={model}"
            )
    elif args.replace_shipped:
        raise ValueError(
            f"--replace-shipped writes {shipped}; do not combine it with --output={str(output)!r}"
        )
    # Only the default location's directories are created: a missing directory of an explicit
    # --output is more likely a typo than a wish, and would leave a table where nobody looks.
    # a table of lower order is refused before the write probe, which creates and removes a
    # file beside it (QA: a refused --replace-shipped touched the shipped directory's mtime)
    _existing_table(target, model, order, args.allow_lower_order)
    check_writable(output, "--output", create_parents=args.output is None)
    return output


def _settings(args: argparse.Namespace) -> tuple[str, int, int, int, str, str, Path]:
    """Every argument checked and converted, before any work (ValueError naming the first bad)."""
    from physics.series._generate import default_dps
    from qgas.bounds import bounded_integer

    if args.model not in MODELS:
        raise ValueError(f"--model={args.model!r} is not one of {', '.join(MODELS)}")
    order = bounded_integer("--order", args.order, 0, MAX_ORDER)
    try:
        dps, check_dps = (
            bounded_integer(flag, value, minimum_dps(order), MAX_DPS)
            if value is not None
            else default
            for flag, value, default in (
                ("--dps", args.dps, default_dps(order) + 20),
                ("--check-dps", args.check_dps, default_dps(order)),
            )
        )
    except ValueError as exc:
        raise ValueError(f"{exc} at --order={order} (minimum 15 + 0.75 order)") from None
    log_b = _log_b("--log-b", args.log_b)
    check_log_b = _log_b("--check-log-b", args.check_log_b)
    if dps == check_dps and log_b == check_log_b:
        raise ValueError(
            f"the check run (--check-dps={check_dps}, --check-log-b={check_log_b}) must differ "
            "from the main run in precision or log B substitute"
        )
    output = _output(args, args.model, order)
    return args.model, order, dps, check_dps, log_b, check_log_b, output


def run(args: argparse.Namespace) -> int:
    try:
        model, order, dps, check_dps, log_b, check_log_b, output = _settings(args)
    except ValueError as exc:
        return report_error("coefficients", str(exc))

    from physics.series._generate import run_generation
    from physics.series._tables import table_path, table_payload
    from qgas import __version__
    from qgas.sweeps.files import atomic_output

    main = run_generation(model, order, dps, log_b)
    print(f"main run: dps={dps} log B -> {log_b}: {main.seconds:.1f} s", file=sys.stderr)
    check = run_generation(model, order, check_dps, check_log_b)
    print(
        f"check run: dps={check_dps} log B -> {check_log_b}: {check.seconds:.1f} s", file=sys.stderr
    )
    command = "qgas coefficients " + shlex.join(sys.argv[2:] if len(sys.argv) > 2 else [])
    payload = table_payload(main, check, version=__version__, command=command)
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(output) as temporary:
        temporary.write_text(json.dumps(payload, indent=1) + "\n")
    least = payload["provenance"]["digits_verified_min"]
    print(f"wrote {output}: c_0..c_{order}, >= {least} digits verified", file=sys.stderr)
    if not args.replace_shipped:
        how = "with --replace-shipped" + ("" if args.output is None else " instead of --output")
        print(
            "the physics functions and the dashboard read only the shipped table "
            f"{table_path(model)}; to make them use these coefficients, run the same command "
            f"{how}",
            file=sys.stderr,
        )
    return 0
