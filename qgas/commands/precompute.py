"""``qgas precompute``: derive the exact tables the physics functions read instead of computing.

Writes into ``--output-dir`` (no default). A directory inside the shipped data
(``assets/``, which the physics and the dashboard read) is refused unless
``--replace-shipped`` is given, after reviewing the new files elsewhere:

* ``strong-coupling.json``: the exact strong-coupling coefficients a_0 … a_K of both models
  (:func:`physics.strong_coupling.strong_coupling_coefficients`, fractions in Q[π²]);
* ``borel-pade-poles.json``: the poles of every diagonal Padé approximant of the Borel transform
  the shipped coefficient tables allow (:func:`physics.resurgence.borel_pade_poles`), tied to
  those tables by a fingerprint;
* ``resurgence-sums.json``: 32-digit exact energies and the resummations of the weak-coupling
  series on the slider's grid (:func:`physics.resurgence_table.compute_table`, ~10 min);
* ``resurgence-repulsive.json``: the repulsive Gaudin–Yang energy to 40 digits at γ = 0.1, 0.3,
  1, 3 and the Borel–Padé (orders 1 … 49) and conformal-map sums of its alternating series
  against it (:func:`physics.resurgence_repulsive.compute_table`, ~10 min);
* ``gaudin-yang-repulsive-energies.json``: e(γ) of the repulsive Gaudin–Yang gas at the γ
  slider's grid (:func:`physics.gaudin_yang_repulsive.ground_state_energy`, ~0.1 s a point).

``--only FILE`` (repeatable) writes just the named tables. An existing strong-coupling table
of higher order than ``--strong-order`` is not replaced without ``--allow-lower-order`` (as in
``qgas coefficients``); every argument is checked before anything is created. Each file
records its provenance (command, package version, date, wall time per entry). They are what
:mod:`physics._assets` documents; the dashboard's sliders never reach beyond them, so no slider
move computes any of them on the server (``docs/serving.md``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from physics.strong_coupling import MAX_ORDER
from qgas.commands import refuse_lower_order, report_error

__all__ = ["HELP", "add_arguments", "run"]

HELP = "Derive the exact strong-coupling coefficients and Borel-Pade poles the physics reads."

#: Largest strong-coupling order accepted: the physics' own limit (the cost grows steeply).
MAX_STRONG_ORDER = MAX_ORDER
#: Largest existing strong-coupling table read to find its order.
_MAX_TABLE_BYTES = 16 * 2**20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output-dir", type=Path, required=True, help="directory for the JSON tables"
    )
    parser.add_argument(
        "--strong-order",
        type=int,
        default=20,
        help=f"highest 1/gamma order of the strong-coupling table (0..{MAX_STRONG_ORDER})",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="TABLE",
        help="write only this table (file name, repeatable; default: every table)",
    )
    parser.add_argument(
        "--replace-shipped",
        action="store_true",
        help="let --output-dir be the shipped assets/series, replacing the tables the "
        "dashboard reads",
    )
    parser.add_argument(
        "--allow-lower-order",
        action="store_true",
        help="let --strong-order replace an existing strong-coupling table of higher order",
    )


def run(args: argparse.Namespace) -> int:
    command = "qgas precompute " + shlex.join(sys.argv[2:] if len(sys.argv) > 2 else [])
    tables = {
        "strong-coupling.json": lambda: _strong_coupling(args.strong_order, command),
        "borel-pade-poles.json": lambda: _pade_poles(command),
        "resurgence-sums.json": lambda: resurgence_sums(command),
        "resurgence-repulsive.json": lambda: _resurgence_repulsive(command),
        "gaudin-yang-repulsive-energies.json": lambda: _repulsive_energies(command),
    }
    try:
        _check(args, tables)
    except ValueError as exc:
        return report_error("precompute", str(exc))
    args.output_dir.mkdir(parents=True, exist_ok=True)
    for name in args.only or tables:
        _write(args.output_dir / name, tables[name]())
    return 0


def _check(args: argparse.Namespace, tables: dict[str, Any]) -> None:
    """Every argument, before anything is created (ValueError naming the first bad one)."""
    if not 0 <= args.strong_order <= MAX_STRONG_ORDER:
        raise ValueError(
            f"--strong-order={args.strong_order} is outside the valid range [0, {MAX_STRONG_ORDER}]"
        )
    if args.output_dir.exists() and not args.output_dir.is_dir():
        raise ValueError(f"--output-dir={args.output_dir} is not a directory")
    from qgas.sweeps.files import is_shipped, shipped_directory

    if is_shipped(args.output_dir) and not args.replace_shipped:
        raise ValueError(
            f"--output-dir={str(args.output_dir)!r} is inside the shipped directory "
            f"{shipped_directory()} (the dashboard reads it); pass --replace-shipped to "
            "replace its tables, or write elsewhere"
        )
    for name in args.only or tables:
        if name not in tables:
            raise ValueError(f"--only={name!r} is not a table; valid: {', '.join(tables)}")
    strong = args.output_dir / "strong-coupling.json"
    if "strong-coupling.json" in (args.only or tables) and strong.exists():
        refuse_lower_order(
            "--strong-order",
            args.strong_order,
            _existing_order(strong),
            strong,
            args.allow_lower_order,
        )


def _existing_order(path: Path) -> int:
    """The ``order`` of the strong-coupling table at ``path`` (ValueError if it is none)."""
    try:
        with path.open("rb") as stream:
            table = json.loads(stream.read(_MAX_TABLE_BYTES + 1))
    except (OSError, ValueError):
        table = None
    order = table.get("order") if isinstance(table, dict) else None
    if not isinstance(order, int) or isinstance(order, bool):
        raise ValueError(
            f"{str(path)!r} exists and is not a strong-coupling table; remove it or choose "
            "another --output-dir"
        )
    return order


def _provenance(command: str, method: str, seconds: dict[str, float]) -> dict[str, Any]:
    from qgas import __version__

    return {
        "method": method,
        "command": command,
        "package_version": __version__,
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wall_seconds": {name: round(value, 3) for name, value in seconds.items()},
    }


def _strong_coupling(order: int, command: str) -> dict[str, Any]:
    from physics.strong_coupling import MODELS, strong_coupling_coefficients

    models, seconds = {}, {}
    for model in MODELS:
        start = time.perf_counter()
        coefficients = strong_coupling_coefficients(model, order, precomputed=False)
        seconds[model] = time.perf_counter() - start
        models[model] = [[str(term) for term in a_k] for a_k in coefficients]
        print(f"strong coupling {model}: a_0..a_{order} in {seconds[model]:.1f} s", file=sys.stderr)
    return {
        "convention": (
            "LL: e = (pi^2/3) sum_k a_k gamma^-k; GY: e_F + gamma^2/4 = (pi^2/48) sum_k a_k "
            "gamma^-k; a_k = sum_j a_kj pi^(2j), each row lists a_k0, a_k1, ... as fractions"
        ),
        "order": order,
        "models": models,
        "provenance": _provenance(
            command, "exact small-B expansion of Lieb's and Gaudin's equations (fractions)", seconds
        ),
    }


def _pade_poles(command: str) -> dict[str, Any]:
    from physics.resurgence import (
        borel_pade_poles,
        borel_transform_coefficients,
        coefficients_fingerprint,
    )
    from physics.strong_coupling import MODELS

    models, seconds = {}, {}
    for model in MODELS:
        top = (len(borel_transform_coefficients(model)) - 1) // 2
        poles = {}
        start = time.perf_counter()
        for order in range(1, top + 1):
            values = borel_pade_poles(model, order, precomputed=False)
            poles[str(order)] = [[float(z.real), float(z.imag)] for z in values]
        seconds[model] = time.perf_counter() - start
        models[model] = {
            "coefficients_fingerprint": coefficients_fingerprint(model),
            "poles": poles,
        }
        print(f"Pade poles {model}: orders 1..{top} in {seconds[model]:.1f} s", file=sys.stderr)
    return {
        "convention": "poles of the [n/n] Pade approximant of the Borel transform, by order n",
        "models": models,
        "provenance": _provenance(
            command, "mpmath.pade at 100 digits, mpmath.polyroots at 60 digits", seconds
        ),
    }


def resurgence_sums(command: str) -> dict[str, Any]:
    """The table of :mod:`physics.resurgence_table` with its provenance."""
    from physics.resurgence_table import CONFORMAL_ORDER, EXACT_DIGITS, PADE_ORDER, compute_table

    computed = compute_table()
    method = (
        f"exact e(gamma) to {EXACT_DIGITS} digits (Arb Nystrom, two discretisations); optimal "
        f"truncation; lateral Borel-Pade [{PADE_ORDER}/{PADE_ORDER}]; conformal map, "
        f"{CONFORMAL_ORDER} terms"
    )
    return {
        "convention": "e = E/n^3 (hbar = 2m = 1); complex sums as [real, imaginary] strings",
        "models": computed["models"],
        "provenance": _provenance(command, method, computed["seconds"]),
    }


def _resurgence_repulsive(command: str) -> dict[str, Any]:
    """The table of :mod:`physics.resurgence_repulsive` with its provenance."""
    from physics.resurgence_repulsive import EXACT_DIGITS, compute_table

    computed = compute_table()
    seconds = computed.pop("seconds")
    print(f"repulsive resurgence: {sum(seconds.values()):.1f} s", file=sys.stderr)
    method = (
        f"exact e(gamma) of the repulsive Gaudin-Yang gas to {EXACT_DIGITS} digits (Takahashi's "
        "charge equation, Arb Nystrom, two discretisations); Borel-Pade [n/n] of B(-zeta) "
        "(Laplace integral in closed form); conformal map of B(-zeta), Laplace integral on the "
        "real axis; optimal truncation"
    )
    return {
        "convention": (
            "e = E/(L n^3), hbar = 2m = 1; series sum_k c_k (-gamma)^k with the attractive c_k; "
            "sums as strings, one per order"
        ),
        **computed,
        "provenance": _provenance(command, method, seconds),
    }


def _repulsive_energies(command: str) -> dict[str, Any]:
    """e(γ) of the repulsive Gaudin–Yang gas at the dashboard's γ grid inside its range."""
    from dashboard.state import GAMMA_GRID
    from physics.gaudin_yang_repulsive import GAMMA_RANGE, ground_state_energy

    low, high = GAMMA_RANGE
    gammas = [g for g in GAMMA_GRID if low <= g <= high]
    start = time.perf_counter()
    energies = [repr(float(ground_state_energy(g))) for g in gammas]
    seconds = {"gaudin-yang-repulsive": time.perf_counter() - start}
    print(
        f"repulsive Gaudin-Yang: {len(gammas)} energies in "
        f"{seconds['gaudin-yang-repulsive']:.1f} s",
        file=sys.stderr,
    )
    return {
        "convention": "e = E/(L n^3), hbar = 2m = 1; [gammas, energies] as float reprs",
        "energies": [[repr(g) for g in gammas], energies],
        "provenance": _provenance(
            command,
            "physics.gaudin_yang_repulsive.ground_state_energy (Takahashi's charge equation, "
            "double precision, relative error < 1e-12) at the dashboard's gamma grid",
            seconds,
        ),
    }


def _write(path: Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` atomically (a reader never sees half a table), mode from the umask."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(payload, stream, indent=1)
            stream.write("\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    print(f"wrote {path}", file=sys.stderr)
