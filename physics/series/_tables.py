"""Shipped coefficient tables (``assets/series/<model>.json``): writing, reading, checking.

The tables are package data of the package ``assets`` (``series/*.json``, declared in
``pyproject.toml``), located with :mod:`importlib.resources` (:func:`physics._assets.shipped_file`):
an installed wheel reads its own copy, a checkout or an editable install the repository's.

A table holds c_0 … c_K of Eq. (31) as decimal strings, each rounded to the number of digits on
which two independent runs (different working precision *and* different substitute λ₀ for log B)
agree, together with the provenance of both runs. Tables are written only by
``qgas coefficients`` (:mod:`qgas.commands.coefficients`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from pathlib import Path
from typing import Any

import mpmath

from physics._assets import shipped_file
from physics._validate import choice, integer
from physics.series._generate import GenerationRun
from physics.series._models import MODELS

__all__ = [
    "TABLE_DIRECTORY",
    "agreed_digits",
    "load_table",
    "table_path",
    "table_payload",
    "weak_coupling_coefficients",
]

#: Directory of the shipped tables: ``series`` in the package ``assets`` (a directory on disk:
#: pip installs packages unpacked).
TABLE_DIRECTORY = Path(shipped_file("series"))

#: The command that writes the shipped table the physics reads (without --replace-shipped it
#: writes a copy in the user's data directory, which the physics never reads).
GENERATE_HINT = "qgas coefficients --model {model} --order {order} --replace-shipped"


def table_path(model: str, directory: Path | None = None) -> Path:
    """Path of the table of ``model`` (in ``directory``, default :data:`TABLE_DIRECTORY`)."""
    return (TABLE_DIRECTORY if directory is None else Path(directory)) / f"{model}.json"


def agreed_digits(a: mpmath.mpf, b: mpmath.mpf, cap: int) -> int:
    """Significant decimal digits on which a and b agree (capped at ``cap``)."""
    if a == b:
        return cap
    scale = max(abs(a), abs(b))
    return max(0, min(cap, math.floor(-mpmath.log10(abs(a - b) / scale))))


def _run_record(run: GenerationRun) -> dict[str, Any]:
    return {
        "dps": run.dps,
        "log_b_substitute": run.log_b_substitute,
        "wall_seconds": round(run.seconds, 3),
        "bulk_equation_max_remainder": run.bulk_residual,
    }


def table_payload(
    main: GenerationRun, check: GenerationRun, *, version: str, command: str
) -> dict[str, Any]:
    """The JSON document of a table from a main run and an independent check run."""
    if (main.model, main.order) != (check.model, check.order):
        raise ValueError("main and check runs must have the same model and order")
    cap = min(main.dps, check.dps)
    with mpmath.workdps(max(main.dps, check.dps) + 10):
        digits = [
            agreed_digits(a, b, cap)
            for a, b in zip(main.coefficients, check.coefficients, strict=False)
        ]
        strings = [
            mpmath.nstr(c, max(d, 1), strip_zeros=False, min_fixed=1, max_fixed=0)
            for c, d in zip(main.coefficients, digits, strict=False)
        ]
    convention = (
        "e_B(gamma) = gamma * sum_k c_k gamma^(k/2)"
        if main.model == "lieb-liniger"
        else "e_F(gamma) = sum_k c_k gamma^k"
    )
    return {
        "model": main.model,
        "order": main.order,
        "convention": f"Marino-Reis arXiv:1905.09575 Eq. (31): {convention}",
        "coefficients": strings,
        "digits_verified": digits,
        "provenance": {
            "method": (
                "resolvent (Hutson-Popov-Volin) method of Marino-Reis Eqs. (9)-(28): bulk "
                "difference equation + log^0 matching with the Gamma-regularised Laplace map, "
                "log B replaced by a number; python-flint arb arithmetic"
            ),
            "command": command,
            "package_version": version,
            "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "runs": [_run_record(main), _run_record(check)],
            "digits_verified_min": min(digits),
            "digits_verified_rule": (
                "significant digits on which the two runs (different dps and log B substitute) "
                "agree; each coefficient string is rounded to that many digits"
            ),
        },
    }


@functools.lru_cache(maxsize=8)
def load_table(model: str, directory: str | None = None) -> dict[str, Any]:
    """The parsed JSON table of ``model`` (cached)."""
    path = table_path(model, None if directory is None else Path(directory))
    if not path.exists():
        raise ValueError(
            f"no coefficient table for model={model!r} at {path}; generate it with "
            f"`{GENERATE_HINT.format(model=model, order=50)}`"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def coefficient_table(model: str) -> dict[str, Any]:
    """The shipped weak-coupling table of ``model`` as parsed JSON (coefficients as strings,
    ``order``, provenance); :func:`weak_coupling_coefficients` gives the numbers."""
    return load_table(choice("model", model, MODELS))


def table_order(model: str) -> int:
    """Highest order of the shipped weak-coupling table of ``model`` (100 for both models)."""
    return int(load_table(choice("model", model, MODELS))["order"])


def weak_coupling_coefficients(model: str, order: int) -> list[mpmath.mpf]:
    """Weak-coupling coefficients c_0 … c_order of e(γ), Mariño–Reis Eq. (31), from the table.

    Lieb–Liniger: e_B(γ) = γ Σ_k c_k γ^{k/2}; attractive Gaudin–Yang: e_F(γ) = Σ_k c_k γ^k
    (units ħ = 2m = 1, e = E/n³). Each value carries the digits certified by two independent runs
    (``digits_verified`` in the table; ≥ 30 for every shipped coefficient).

    Raises
    ------
    ValueError
        Unknown model, negative or non-integer order, or an order beyond the shipped table (the
        message names the ``qgas coefficients`` command that generates more).
    """
    model = choice("model", model, MODELS)
    order = integer("order", order, 0)
    table = load_table(model)
    if order > table["order"]:
        raise ValueError(
            f"order={order} is outside the valid range [0, {table['order']}] of the shipped "
            f"{model} table; extend the shipped table with "
            f"`{GENERATE_HINT.format(model=model, order=order)}`"
        )
    return list(_parsed_coefficients(model)[: order + 1])


@functools.lru_cache(maxsize=8)
def _parsed_coefficients(model: str) -> tuple[mpmath.mpf, ...]:
    """All coefficients of the shipped table as mpf, parsed once at their full stored precision."""
    table = load_table(model)
    with mpmath.workdps(max(table["digits_verified"]) + 5):
        return tuple(mpmath.mpf(s) for s in table["coefficients"])
