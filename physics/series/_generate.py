"""Generation of the weak-coupling coefficients c_k of Eq. (31) (Mariño–Reis, arXiv:1905.09575).

One run = one working precision and one number λ₀ substituted for log B
(``docs/physics/weak-coupling-method.md`` §7). The result cannot depend on λ₀, so two runs at
different precisions *and* different λ₀ that agree to d digits certify d digits (this is what
``qgas coefficients`` does before writing a table).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import mpmath
from flint import arb

from physics._validate import ArgumentTypeError, choice, integer, real_scalar
from physics.series._arb import flint_context, to_mpf
from physics.series._models import MODELS
from physics.series._reexpansion import energy_coefficients
from physics.series._resolvent import solve_levels

__all__ = [
    "DEFAULT_LOG_B_SUBSTITUTE",
    "GenerationRun",
    "default_dps",
    "generate_weak_coupling_coefficients",
    "run_generation",
]

#: Default λ₀: log B → −log 4 makes c₀ = log 4 + λ₀ vanish in the edge expansion.
DEFAULT_LOG_B_SUBSTITUTE = "-log(4)"
#: Highest order one run may generate (order 100, the shipped tables, takes minutes; the cost
#: grows like order⁴).
MAX_ORDER = 200
#: Highest working precision in decimal digits (default_dps(MAX_ORDER) = 190 leaves a margin).
MAX_DPS = 2000
#: λ₀ must lie in [−LOG_B_BOUND, LOG_B_BOUND]: the coefficients do not depend on it in exact
#: arithmetic, but powers λ₀^k cancel between terms, so a large |λ₀| costs ~ k log10|λ₀| digits.
LOG_B_BOUND = 10.0


@dataclass(frozen=True)
class GenerationRun:
    """Coefficients c_0 … c_order of one run, with the run's settings and diagnostics."""

    model: str
    order: int
    dps: int
    log_b_substitute: str
    coefficients: list[mpmath.mpf]
    bulk_residual: float
    seconds: float


def default_dps(order: int) -> int:
    """Working precision (decimal digits) leaving ≳ 30 correct digits at ``order``.

    About 0.65 digits are lost per order (``docs/physics/weak-coupling-method.md`` §10);
    40 + 0.75·order keeps a margin. ``order`` must be in [0, ``MAX_ORDER``].
    """
    order = integer("order", order, 0, MAX_ORDER)
    return 40 + math.ceil(0.75 * order)


def _log_b_value(substitute: str | float) -> arb:
    """λ₀ as an arb: ``"-log(4)"`` exactly, else a decimal string or a real number, finite and
    within ``LOG_B_BOUND``."""
    if isinstance(substitute, str):
        if substitute.replace(" ", "") == DEFAULT_LOG_B_SUBSTITUTE:
            return -arb(4).log()
        try:
            value = float(substitute)
        except ValueError:
            raise ArgumentTypeError(
                f"log_b_substitute={substitute!r} is not {DEFAULT_LOG_B_SUBSTITUTE!r} or a "
                f"decimal number; valid range [-{LOG_B_BOUND:g}, {LOG_B_BOUND:g}]"
            ) from None
        real_scalar("log_b_substitute", value, -LOG_B_BOUND, LOG_B_BOUND)
        return arb(substitute.strip())
    value = real_scalar("log_b_substitute", substitute, -LOG_B_BOUND, LOG_B_BOUND)
    return arb(value)


def run_generation(
    model: str,
    order: int,
    dps: int | None = None,
    log_b_substitute: str | float = DEFAULT_LOG_B_SUBSTITUTE,
) -> GenerationRun:
    """Generate c_0 … c_order by the resolvent method at one precision and one λ₀.

    Parameters
    ----------
    model
        ``"lieb-liniger"`` (e_B = γ Σ c_k γ^{k/2}) or ``"gaudin-yang"`` (e_F = Σ c_k γ^k), Eq. (31).
    order
        Highest k (≥ 0).
    dps
        Working precision in decimal digits (default :func:`default_dps`).
    log_b_substitute
        The number λ₀ put in place of log B (``weak-coupling-method.md`` §7): ``"-log(4)"``,
        a decimal string or a float. The exact coefficients do not depend on it.

    Returns
    -------
    GenerationRun
        Coefficients as ``mpmath.mpf`` plus the largest non-representable remainder of the bulk
        equation (zero up to rounding when the ansatz is right) and the wall time.
    """
    model = choice("model", model, MODELS)
    order = integer("order", order, 0, MAX_ORDER)
    dps = default_dps(order) if dps is None else integer("dps", dps, 15, MAX_DPS)
    spec = MODELS[model]
    # The re-expansion reverts a power series, which needs at least one term beyond c_0:
    # order 0 is computed at order 1 and truncated (truncation does not change c_0).
    working_order = max(order, 1)
    started = time.perf_counter()
    prec_bits = int(dps * math.log2(10)) + 16
    with flint_context(prec_bits, working_order + 8):
        log_b = _log_b_value(log_b_substitute)  # at the working precision
        solution = solve_levels(spec, max(spec.levels_needed(working_order), 0), log_b)
        with mpmath.workprec(prec_bits):
            coefficients = [
                to_mpf(x) for x in energy_coefficients(solution, working_order)[: order + 1]
            ]
    return GenerationRun(
        model=model,
        order=order,
        dps=dps,
        log_b_substitute=str(log_b_substitute),
        coefficients=coefficients,
        bulk_residual=solution.bulk_residual,
        seconds=time.perf_counter() - started,
    )


def generate_weak_coupling_coefficients(
    model: str,
    order: int,
    dps: int | None = None,
    log_b_substitute: str | float = DEFAULT_LOG_B_SUBSTITUTE,
) -> list[mpmath.mpf]:
    """c_0 … c_order of Eq. (31) computed afresh (see :func:`run_generation` for the arguments).

    Accuracy: about dps − 0.65·order correct digits at the highest order; compare two runs with
    different ``dps`` and ``log_b_substitute`` to certify them (``qgas coefficients`` does).
    """
    return run_generation(model, order, dps, log_b_substitute).coefficients
