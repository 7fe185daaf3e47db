"""Random potentials V_ω(x) on a ring of length L, sampled on a uniform grid.

Three kinds, each reproducible from an integer seed (``numpy.random.default_rng``):

- :func:`gaussian_potential` -- Gaussian random field, mean 0, covariance
  ``V_0² exp(-r² / (2 ℓ_c²))``.
- :func:`speckle_potential` -- blue-detuned 1D optical speckle as in Billy et al., Nature 453, 891
  (2008): V = V_R |E|² with E a complex Gaussian field whose spectrum is flat on
  ``|k| <= 1/σ_R``; exponential intensity statistics, mean V_R, standard deviation V_R, covariance
  ``V_R² sinc²(r / σ_R)`` (the ring's Dirichlet-kernel version of it at finite L).
- :func:`poisson_scatterers` -- repulsive Poisson point scatterers (Luttinger-Kac, cited in
  Warzel's talk, seed ``002_…``): V = Σ_j U(x − p_j), points of density ρ_imp, Gaussian profile
  ``U(x) = U_0 exp(-x² / (2 w²))``; Campbell's theorem gives mean ρ U_0 w √(2π), covariance
  ``ρ U_0² w √π exp(-r² / (4 w²))``.

:func:`disorder_potential` is the single dispatcher the dashboard's "disorder strength" slider
drives: for every kind, ``strength`` is the standard deviation of V_ω(x) (an energy in units
ħ = 2m = 1, n = 1, where the clean Fermi energy is π²). Grid: x_j = j L / M, j = 0 … M − 1.
All covariances are periodised on the ring (exact on the grid up to the Fourier truncation at
the Nyquist momentum, negligible when the correlation length exceeds a grid spacing).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from physics._validate import choice, integer, real_scalar
from physics.tonks_girardeau.limits import (
    LENGTH_RANGE,
    MAX_CELLS,
    MAX_REALISATIONS,
    MAX_STRENGTH,
)

__all__ = [
    "DISORDER_KINDS",
    "disorder_potential",
    "gaussian_potential",
    "poisson_scatterers",
    "realisation_seeds",
    "speckle_potential",
]

DISORDER_KINDS = ("gaussian", "speckle", "poisson")

#: Default correlation length ℓ_c, σ_R and scatterer width w, in units of 1/n.
DEFAULT_CORRELATION_LENGTH = 0.25
#: A scatterer is summed out to this many widths (exp(-32) ~ 1e-14 beyond).
SCATTERER_REACH = 8.0
#: Default density of Poisson scatterers, in units of n.
DEFAULT_SCATTERER_DENSITY = 1.0


#: The keyword parameters each disorder kind takes.
DISORDER_PARAMETERS = {
    "gaussian": ("correlation_length",),
    "speckle": ("correlation_length",),
    "poisson": ("density", "width"),
}


def check_disorder_params(kind: str, params: dict[str, Any]) -> None:
    """ValueError naming a parameter that disorder ``kind`` (already checked) does not take."""
    allowed = DISORDER_PARAMETERS[kind]
    for name in params:
        if name not in allowed:
            raise ValueError(
                f"{name}={params[name]!r} is not a parameter of kind={kind!r}; "
                f"valid parameters: {', '.join(allowed)}"
            )


def _grid(length: Any, grid_points: Any) -> tuple[float, int, np.ndarray]:
    length = real_scalar("length", length, *LENGTH_RANGE)
    grid_points = integer("grid_points", grid_points, 8, MAX_CELLS)
    spacing = length / grid_points
    momenta = 2.0 * np.pi * np.fft.fftfreq(grid_points, d=spacing)
    return length, grid_points, momenta


def _seed(seed: Any) -> np.random.Generator:
    return np.random.default_rng(integer("seed", seed, 0, None))


def _resolved_length(name: str, value: Any, spacing: float, length: float) -> float:
    """A correlation length must be resolved by the grid: spacing <= value <= length."""
    return real_scalar(name, value, spacing, length, given={"length": length, "spacing": spacing})


def realisation_seeds(seed: int, count: int) -> list[int]:
    """Independent integer seeds for ``count`` disorder realisations derived from one seed.

    Realisation j of every disorder-averaged function uses ``realisation_seeds(seed, R)[j]``;
    the list for R realisations is a prefix of the list for R' > R (``SeedSequence.spawn``).
    """
    seed = integer("seed", seed, 0, None)
    count = integer("count", count, 1, MAX_REALISATIONS)
    children = np.random.SeedSequence(seed).spawn(count)
    return [int(child.generate_state(1, dtype=np.uint64)[0] >> 1) for child in children]


def gaussian_potential(
    length: float,
    grid_points: int,
    strength: float,
    correlation_length: float = DEFAULT_CORRELATION_LENGTH,
    seed: int = 0,
) -> np.ndarray:
    """Gaussian random potential with Gaussian correlations, sampled on the ring grid.

    ``E[V] = 0`` and ``E[V(x) V(x + r)] = strength² Σ_n exp(-(r + nL)² / (2 ℓ_c²))``. Built by
    filtering white noise in Fourier space with the square root of the spectral density
    ``ℓ_c √(2π) exp(-k² ℓ_c² / 2)``.

    Parameters
    ----------
    length : float
        Ring length L in ``LENGTH_RANGE`` (units 1/n; :mod:`physics.tonks_girardeau.limits`).
    grid_points : int
        Number of grid points 8 <= M <= ``MAX_CELLS``.
    strength : float
        Standard deviation 0 <= V_0 <= ``MAX_STRENGTH`` (energy, units n²).
    correlation_length : float
        ℓ_c, between one grid spacing and L.
    seed : int
        Non-negative integer seed.

    Returns
    -------
    numpy.ndarray
        V(x_j), shape ``(grid_points,)``.
    """
    length, grid_points, momenta = _grid(length, grid_points)
    strength = real_scalar("strength", strength, 0.0, MAX_STRENGTH)
    spacing = length / grid_points
    ell = _resolved_length("correlation_length", correlation_length, spacing, length)
    spectrum = ell * math.sqrt(2.0 * math.pi) * np.exp(-0.5 * (momenta * ell) ** 2)
    noise = _seed(seed).standard_normal(grid_points)
    field = np.fft.ifft(np.sqrt(spectrum / spacing) * np.fft.fft(noise)).real
    return strength * field


def speckle_potential(
    length: float,
    grid_points: int,
    strength: float,
    correlation_length: float = DEFAULT_CORRELATION_LENGTH,
    seed: int = 0,
) -> np.ndarray:
    """Repulsive 1D optical speckle potential V_R |E(x)|² (Billy et al. 2008).

    E(x) = Σ_{|k_m| <= 1/σ_R} e_m exp(i k_m x) with independent complex Gaussian e_m of equal
    variance, normalised so that E|E|² = 1. Hence V >= 0 is exponentially distributed,
    ``P(V > v) = exp(-v / V_R)``, with mean and standard deviation V_R, and
    ``Cov(V(x), V(x + r)) = V_R² |Σ_m exp(i k_m r)|² / n_modes²  →  V_R² sinc²(r / σ_R)``
    as L/σ_R → ∞ (sinc(u) = sin(u)/u), the correlation function quoted by Billy et al.

    Parameters
    ----------
    length, grid_points
        Ring length L > 0 and number of grid points M >= 8.
    strength : float
        V_R >= 0, the mean (= standard deviation) of the potential.
    correlation_length : float
        σ_R, between one grid spacing and L.
    seed : int
        Non-negative integer seed.
    """
    length, grid_points, momenta = _grid(length, grid_points)
    strength = real_scalar("strength", strength, 0.0, MAX_STRENGTH)
    spacing = length / grid_points
    sigma = _resolved_length("correlation_length", correlation_length, spacing, length)
    inside = np.abs(momenta) <= 1.0 / sigma * (1.0 + 1e-12)
    n_modes = int(np.count_nonzero(inside))
    rng = _seed(seed)
    amplitudes = np.zeros(grid_points, dtype=complex)
    amplitudes[inside] = (
        rng.standard_normal(n_modes) + 1j * rng.standard_normal(n_modes)
    ) / math.sqrt(2.0 * n_modes)
    field = np.fft.ifft(amplitudes) * grid_points
    return strength * np.abs(field) ** 2


def poisson_scatterers(
    length: float,
    grid_points: int,
    density: float = DEFAULT_SCATTERER_DENSITY,
    amplitude: float = 1.0,
    seed: int = 0,
    width: float = DEFAULT_CORRELATION_LENGTH,
) -> np.ndarray:
    """Repulsive Poisson point scatterers V(x) = Σ_j U(x − p_j) on the ring.

    The number of scatterers is Poisson(ρ_imp L), their positions independent and uniform;
    ``U(x) = U_0 exp(-x² / (2 w²))``, summed in real space out to 8 w around each point (in
    Fourier space, with all periodic images, when 16 w exceeds L).
    Campbell's theorem: mean ρ_imp U_0 w √(2π), variance ρ_imp U_0² w √π, covariance
    ``ρ_imp U_0² w √π exp(-r² / (4 w²))`` (w << L).

    Parameters
    ----------
    length, grid_points
        Ring length L > 0 and number of grid points M >= 8.
    density : float
        ρ_imp > 0, scatterers per unit length (units n), at most one per grid spacing (M/L).
    amplitude : float
        U_0 >= 0, peak height of one scatterer (energy), at most ``MAX_STRENGTH``.
    seed : int
        Non-negative integer seed.
    width : float
        w, range of one scatterer, between one grid spacing and L.
    """
    length, grid_points, momenta = _grid(length, grid_points)
    spacing = length / grid_points
    density = real_scalar(
        "density",
        density,
        0.0,
        1.0 / spacing,
        low_open=True,
        given={"length": length, "grid_points": grid_points},
    )
    amplitude = real_scalar("amplitude", amplitude, 0.0, MAX_STRENGTH)
    width = _resolved_length("width", width, spacing, length)
    rng = _seed(seed)
    count = rng.poisson(density * length)
    positions = rng.uniform(0.0, length, size=count)
    reach = math.ceil(SCATTERER_REACH * width / spacing)
    if 2 * reach + 1 > grid_points:
        structure = np.exp(-1j * np.outer(momenta, positions)).sum(axis=1)
        profile = width * math.sqrt(2.0 * math.pi) * np.exp(-0.5 * (momenta * width) ** 2)
        return amplitude * np.fft.ifft(profile * structure).real / spacing
    nearest = np.rint(positions / spacing).astype(int)
    window = nearest[:, None] + np.arange(-reach, reach + 1)
    offsets = window * spacing - positions[:, None]
    potential = np.zeros(grid_points)
    np.add.at(potential, window % grid_points, np.exp(-0.5 * (offsets / width) ** 2))
    return amplitude * potential


def _check_default_range_fits(kind: str, length: Any, params: dict[str, Any]) -> None:
    """ValueError naming ``length`` when the ring is shorter than the default range of the
    disorder (``correlation_length`` or a scatterer's ``width``, 0.25) the caller left out:
    the range's own message would name a parameter the caller never gave."""
    name = "width" if kind == "poisson" else "correlation_length"
    if name in params:
        return
    length = real_scalar("length", length, *LENGTH_RANGE)
    if length < DEFAULT_CORRELATION_LENGTH:
        raise ValueError(
            f"length={length!r} is shorter than the {kind} disorder's default {name} "
            f"{DEFAULT_CORRELATION_LENGTH:g}; valid: length >= {DEFAULT_CORRELATION_LENGTH:g}, "
            f"or give a {name} of at most the length"
        )


def disorder_potential(
    kind: str,
    length: float,
    grid_points: int,
    strength: float,
    seed: int,
    **params: float,
) -> np.ndarray:
    """One disorder realisation of the given kind, ``strength`` = standard deviation of V.

    The mapping of the dashboard's single slider onto each kind:

    - ``"gaussian"``: V_0 = strength; optional ``correlation_length`` (ℓ_c, default 0.25).
    - ``"speckle"``: V_R = strength (mean = standard deviation); optional
      ``correlation_length`` (σ_R, default 0.25).
    - ``"poisson"``: U_0 = strength / sqrt(ρ_imp w √π), so that the standard deviation is
      ``strength``; optional ``density`` (ρ_imp, default 1) and ``width`` (w, default 0.25).

    ``strength = 0`` gives the clean ring (a zero array).

    Raises
    ------
    ValueError
        Unknown kind, a parameter that the kind does not take, or any value out of range.
    """
    kind = choice("kind", kind, DISORDER_KINDS)
    strength = real_scalar("strength", strength, 0.0, MAX_STRENGTH)
    check_disorder_params(kind, params)
    _check_default_range_fits(kind, length, params)
    if kind == "gaussian":
        return gaussian_potential(length, grid_points, strength, seed=seed, **params)
    if kind == "speckle":
        return speckle_potential(length, grid_points, strength, seed=seed, **params)
    length, grid_points, _ = _grid(length, grid_points)
    spacing = length / grid_points
    density = real_scalar(
        "density",
        params.get("density", DEFAULT_SCATTERER_DENSITY),
        0.0,
        1.0 / spacing,
        low_open=True,
        given={"length": length, "grid_points": grid_points},
    )
    width = _resolved_length(
        "width", params.get("width", DEFAULT_CORRELATION_LENGTH), spacing, length
    )
    scale = math.sqrt(density * width * math.sqrt(math.pi))
    amplitude = strength / scale if scale > 0.0 else math.inf
    if amplitude > MAX_STRENGTH:
        raise ValueError(
            f"strength={strength!r} with density={density!r} and width={width!r} needs a "
            f"scatterer height {amplitude:.3g} above {MAX_STRENGTH:g}; valid: a smaller "
            f"strength or a larger density * width"
        )
    return poisson_scatterers(length, grid_points, density, amplitude, seed=seed, width=width)
