"""Single-particle localisation length from the Lyapunov exponent (transfer matrices).

For −ψ'' + V(x) ψ = E ψ on the line, the Lyapunov exponent λ(E) = lim_{x→∞} x⁻¹ log‖T(x)‖ of
the transfer matrix T mapping (ψ, ψ') at 0 to x gives the amplitude localisation length
ℓ_loc(E) = 1/λ(E): a typical eigenfunction at energy E decays as exp(−|x − x_c|/ℓ_loc).

Scheme. V is taken piecewise constant on cells of width h around the grid points (error O(h²)
in λ); on a cell the transfer matrix is exact: with κ² = E − V,
[[cos κh, sin(κh)/κ], [−κ sin κh, cos κh]] (κ² < 0: the cosh/sinh form, obtained from the same
expression with imaginary κ). Cells are multiplied in a balanced binary tree per segment, with
the norms factored out as logarithms, and the segments are then applied in sequence to a
vector. The per-segment growth rates are nearly independent samples of λ: their mean is the
estimate, their standard error the uncertainty (the first segment, carrying the transient of the
starting vector, is dropped).

The vector is carried in the coordinates (ψ, ψ'/q), q = √max(|E|, 1), in which a clean cell at
E > 1 is a rotation: its norm then measures growth, not the phase of the oscillation (in the
plain (ψ, ψ') the norm swings by a factor √E within a period, which biased λ by up to
log(E)/(2 × length) and made it negative at E = 1e300). λ >= 0 holds exactly (the cell
matrices have determinant 1); a negative sample mean, noise when λ ≲ σ, is reported as 0.

Valid range. The piecewise-constant cells must resolve the local wavelength and decay length:
|E − V| h² <= ``MAX_CELL_PHASE``² on every cell (checked after drawing V; otherwise the O(h²)
error is not small and cosh(κh) overflows deep below the potential). Huge energies are refused
by this rule, not answered: at the default h = 1/32 the valid energies are |E| <~ 1000.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from physics._validate import choice, instance, integer, real_scalar
from physics.tonks_girardeau.disorder import (
    DEFAULT_CORRELATION_LENGTH,
    DEFAULT_SCATTERER_DENSITY,
    DISORDER_KINDS,
    check_disorder_params,
    disorder_potential,
)
from physics.tonks_girardeau.limits import LENGTH_RANGE, MAX_CELLS, MAX_STRENGTH

#: Largest κh = √|E − V| h of a cell (module docstring).
MAX_CELL_PHASE = 1.0

__all__ = ["born_lyapunov_exponent", "localisation_length", "lyapunov_exponent"]


def _cell_matrices(energy: float, potential: np.ndarray, spacing: float) -> np.ndarray:
    """Cell transfer matrices in the coordinates (ψ, ψ'/q), q = √max(|E|, 1)."""
    scale = math.sqrt(max(abs(energy), 1.0))
    wave = np.sqrt((energy - potential).astype(complex))
    phase = wave * spacing
    cosine = np.cos(phase).real
    sine_over = (scale * spacing * np.sinc(phase / math.pi)).real
    wave_sine = (-wave * np.sin(phase)).real / scale
    matrices = np.empty((*potential.shape, 2, 2))
    matrices[..., 0, 0] = cosine
    matrices[..., 0, 1] = sine_over
    matrices[..., 1, 0] = wave_sine
    matrices[..., 1, 1] = cosine
    return matrices


def _segment_products(matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ordered products over axis 1 (later cells on the left), as (normalised, log scale)."""
    logs = np.zeros(matrices.shape[:2])
    while matrices.shape[1] > 1:
        if matrices.shape[1] % 2:
            pad = np.broadcast_to(np.eye(2), (matrices.shape[0], 1, 2, 2))
            matrices = np.concatenate([matrices, pad], axis=1)
            logs = np.concatenate([logs, np.zeros((logs.shape[0], 1))], axis=1)
        product = matrices[:, 1::2] @ matrices[:, 0::2]
        scale = np.abs(product).max(axis=(2, 3))
        matrices = product / scale[..., None, None]
        logs = logs[:, 1::2] + logs[:, 0::2] + np.log(scale)
    return matrices[:, 0], logs[:, 0]


def _lyapunov(
    energy: float,
    kind: str,
    strength: float,
    seed: int,
    segments: int,
    segment_length: float,
    spacing: float,
    disorder_params: dict[str, Any],
) -> tuple[float, float]:
    """λ and σ for checked arguments (see :func:`lyapunov_exponent`)."""
    cells = segment_length / spacing
    if not 8 <= segments * cells <= MAX_CELLS or segments * round(cells) < 8:
        raise ValueError(
            f"spacing={spacing!r} with segments={segments} and segment_length="
            f"{segment_length!r} gives {segments * cells:.3g} cells; valid: 8 to {MAX_CELLS}"
        )
    cells = max(1, round(cells))
    spacing = segment_length / cells
    total = segments * cells
    try:
        potential = disorder_potential(
            kind, segments * segment_length, total, strength, seed, **disorder_params
        )
    except ValueError as error:
        raise type(error)(
            f"{error} (the potential is drawn on cells of spacing={spacing!r} over "
            f"segments={segments} x segment_length={segment_length!r})"
        ) from None
    worst = float(np.max(np.abs(energy - potential))) * spacing**2
    if worst > MAX_CELL_PHASE**2:
        raise ValueError(
            f"energy={energy!r}, strength={strength!r} and spacing={spacing!r} give "
            f"|E - V| h^2 = {worst:.3g} on some cell; valid: <= {MAX_CELL_PHASE**2:g} (cells "
            f"must resolve the wavelength: lower |energy| or strength, or a finer spacing)"
        )
    matrices = _cell_matrices(energy, potential.reshape(segments, cells), spacing)
    products, logs = _segment_products(matrices)
    vector = np.array([1.0, 0.0])
    growth = np.empty(segments)
    for index in range(segments):
        vector = products[index] @ vector
        norm = math.hypot(*vector)
        growth[index] = logs[index] + math.log(norm)
        vector /= norm
    rates = growth[1:] / segment_length
    return max(float(rates.mean()), 0.0), float(rates.std(ddof=1) / math.sqrt(rates.size))


def lyapunov_exponent(
    energy: float,
    kind: str,
    strength: float,
    seed: int = 0,
    segments: int = 64,
    segment_length: float = 32.0,
    spacing: float = 1.0 / 32.0,
    target_error: float | None = None,
    **disorder_params: float,
) -> tuple[float, float]:
    """Lyapunov exponent λ(E) of −d²/dx² + V_ω and its standard error (units n).

    Parameters
    ----------
    energy : float
        E (units n²; the clean Fermi energy at n = 1 is π²).
    kind, strength, **disorder_params
        As in :func:`~physics.tonks_girardeau.disorder.disorder_potential`; one potential of
        length ``segments × segment_length`` is drawn from ``seed``.
    seed : int
        Non-negative integer seed.
    segments : int
        Number of segments (>= 3); the first is discarded.
    segment_length : float
        Length of a segment; should exceed the localisation length several times.
    spacing : float
        Cell width h (O(h²) error; resolve the correlation length). Together: at most
        ``MAX_CELLS`` cells in all, a total length within ``LENGTH_RANGE``
        (:mod:`physics.tonks_girardeau.limits`), and |E − V| h² <= 1 on every cell.
    target_error : float or None
        Relative standard error σ/λ wanted, in [1e-3, 1]. The call above is then a pilot:
        its λ̂ and σ̂ give the length needed, since σ falls as 1/√(length),
        X = (pilot length) (σ̂/(target λ̂))², and segments of max(``segment_length``, 8/λ̂)
        (several localisation lengths, so that their rates are nearly independent). The
        length is capped by ``MAX_CELLS`` and ``LENGTH_RANGE``: the returned σ is the
        error reached, which can exceed the target at tiny λ. None: the pilot alone.

    Returns
    -------
    lam, sigma : float
        λ >= 0 and its standard error over segments.
    """
    energy = real_scalar("energy", energy)
    segments = integer("segments", segments, 3, MAX_CELLS // 8)
    segment_length = real_scalar(
        "segment_length",
        segment_length,
        0.0,
        LENGTH_RANGE[1] / segments,
        low_open=True,
        given={"segments": segments},
    )
    spacing = real_scalar("spacing", spacing, 0.0, None, low_open=True)
    if target_error is not None:
        target_error = real_scalar("target_error", target_error, 1e-3, 1.0)
    lam, sigma = _lyapunov(
        energy, kind, strength, seed, segments, segment_length, spacing, disorder_params
    )
    if target_error is None or lam <= 0.0 or sigma <= target_error * lam:
        return lam, sigma
    pilot_length = (segments - 1) * segment_length
    needed = pilot_length * (sigma / (target_error * lam)) ** 2
    longest = min(MAX_CELLS * spacing, LENGTH_RANGE[1])
    segment_length = min(max(segment_length, 8.0 / lam), longest / 4.0)
    segments = max(3, min(math.ceil(needed / segment_length) + 1, int(longest / segment_length)))
    return _lyapunov(
        energy, kind, strength, seed, segments, segment_length, spacing, disorder_params
    )


def born_lyapunov_exponent(
    energy: float,
    kind: str,
    strength: float,
    above_mean: bool = False,
    **disorder_params: float,
) -> float:
    """Born (weak-disorder) Lyapunov exponent λ_B = Ĉ(2k)/(8k²), k² = E − E[V] (units n).

    ``above_mean=True`` reads ``energy`` as k² itself, measured from the mean potential (the
    Fermi level of density n to first order in V: μ = π²n² + E[V], so ``energy = π²``).

    Lowest order in the disorder (Lifshitz-Gredeskul-Pastur; ħ = 2m = 1), with Ĉ(q) the
    Fourier transform of the covariance of V (``docs/physics/tonks_girardeau.md``):
    Gaussian V_0² ℓ_c √(2π) e^{−q²ℓ_c²/2}; speckle V_R² π σ_R (1 − |q|σ_R/2) for |q| < 2/σ_R
    (0 beyond: the effective mobility edge); Poisson ρ U_0² 2π w² e^{−q²w²}. Valid only when
    λ_B ≪ k (weak disorder); at strength ~ E_F it underestimates λ (measured: speckle and
    Poisson by 35-110 % at strength 1-2).

    Raises
    ------
    ValueError
        E at or below the mean potential (no propagating wave to scatter).
    """
    energy = real_scalar("energy", energy)
    kind = choice("kind", kind, DISORDER_KINDS)
    strength = real_scalar("strength", strength, 0.0, MAX_STRENGTH)
    above_mean = instance("above_mean", above_mean, bool, "True or False")
    check_disorder_params(kind, disorder_params)
    ell = real_scalar(
        "correlation_length" if kind != "poisson" else "width",
        disorder_params.get(
            "correlation_length", disorder_params.get("width", DEFAULT_CORRELATION_LENGTH)
        ),
        0.0,
        LENGTH_RANGE[1],
        low_open=True,
    )
    if kind == "gaussian":
        mean = 0.0
    elif kind == "speckle":
        mean = strength
    else:
        density = real_scalar(
            "density",
            disorder_params.get("density", DEFAULT_SCATTERER_DENSITY),
            0.0,
            None,
            low_open=True,
        )
        height = strength / math.sqrt(density * ell * math.sqrt(math.pi))
        mean = density * height * ell * math.sqrt(2.0 * math.pi)
    if above_mean:
        energy += mean
    if energy <= mean:
        raise ValueError(
            f"energy={energy!r} is at or below the mean potential {mean:.6g}; valid: "
            f"energy > {mean:.6g} (Born needs a propagating wave)"
        )
    k = math.sqrt(energy - mean)
    q = 2.0 * k
    if kind == "gaussian":
        spectrum = strength**2 * ell * math.sqrt(2.0 * math.pi) * math.exp(-0.5 * (q * ell) ** 2)
    elif kind == "speckle":
        spectrum = strength**2 * math.pi * ell * max(0.0, 1.0 - q * ell / 2.0)
    else:
        spectrum = strength**2 * 2.0 * ell * math.sqrt(math.pi) * math.exp(-((q * ell) ** 2))
    result = spectrum / (8.0 * k**2)
    if not math.isfinite(result):
        raise ValueError(
            f"energy={energy!r} lies too close to the mean potential {mean:.6g} for Born's "
            f"λ = Ĉ(2k)/(8k²) to be finite; valid: energy well above {mean:.6g}"
        )
    return result


def localisation_length(
    energy: float,
    kind: str,
    strength: float,
    seed: int = 0,
    segments: int = 64,
    segment_length: float = 32.0,
    spacing: float = 1.0 / 32.0,
    **disorder_params: Any,
) -> tuple[float, float]:
    """Amplitude localisation length ℓ_loc(E) = 1/λ(E) and its standard error (units 1/n).

    Same arguments as :func:`lyapunov_exponent`; σ_ℓ = σ_λ / λ². Returns (inf, inf) when
    λ <= 0 within rounding (no disorder).
    """
    lam, sigma = lyapunov_exponent(
        energy, kind, strength, seed, segments, segment_length, spacing, **disorder_params
    )
    if lam <= 1e-12:
        return math.inf, math.inf
    return 1.0 / lam, sigma / lam**2
