"""Energy, frequency and length scales of atoms in an optical lattice (Yukalov, seed ``004_…``).

Every function takes explicit physical arguments in units with ħ = k_B = 1 and an explicit
particle mass ``mass`` (default 1/2, the project's convention ħ = 2m = 1, in which
E_K = 1/a² and E_R = k_0²). Equation numbers refer to V. I. Yukalov, *From optical lattices
to quantum crystals* (seed ``004_6ff2f3dd0c4ec482.txt``).

The dimensionless knob of the dashboard is the lattice depth U/E_R; the classification needs
ω/E_K. For a lattice of spacing a = λ/2 the recoil energy is exactly E_R = π² E_K
(:data:`RECOIL_OVER_KINETIC`), so ω/E_K = 2π² √(U/E_R) (:func:`depth_to_omega_over_EK`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gamma as gamma_function

from physics._validate import broadcast_size, finite_result, integer, real_array

__all__ = [
    "RECOIL_OVER_KINETIC",
    "debye_temperature",
    "debye_wavevector",
    "depth_to_omega_over_EK",
    "effective_frequency",
    "kinetic_energy_scale",
    "lattice_frequency",
    "localization_length",
    "recoil_energy",
    "sound_velocity",
    "tunnelling",
]

#: E_R / E_K for a lattice of spacing a = λ/2: k_0 = 2π/λ = π/a, so E_R = k_0²/2m = π²/(2ma²).
RECOIL_OVER_KINETIC = math.pi**2


def _dimension(d: object) -> int:
    return integer("d", d, 1, 3)


def _debye_geometry_factor(d: int) -> float:
    """[(d/2) Γ(d/2)]^{1/d} = [Γ(d/2 + 1)]^{1/d}, the factor in k_D and Eq. (49)."""
    return float((0.5 * d * gamma_function(0.5 * d)) ** (1.0 / d))


def recoil_energy(wavelength, mass=0.5) -> np.ndarray:
    """Recoil energy E_R = k_0²/(2m), k_0 = 2π/λ (Eq. 34).

    Parameters
    ----------
    wavelength
        Laser wavelength λ (> 0); the lattice spacing is λ/2 (Eq. 1).
    mass
        Particle mass m (> 0), in units with ħ = 1.

    Returns
    -------
    numpy.ndarray
        E_R, exact.
    """
    wavelength = real_array("wavelength", wavelength, 0.0, low_open=True)
    mass = real_array("mass", mass, 0.0, low_open=True)
    broadcast_size(wavelength=wavelength, mass=mass)
    with np.errstate(over="ignore", divide="ignore"):
        value = (2.0 * np.pi / wavelength) ** 2 / (2.0 * mass)
    return finite_result("E_R", value, wavelength=wavelength, mass=mass)


def kinetic_energy_scale(spacing, mass=0.5) -> np.ndarray:
    """Characteristic kinetic energy E_K = 1/(2 m a²) (Eq. 50), a the nearest-neighbour distance.

    Exact; for a = λ/2, ``recoil_energy(2 a, m) / kinetic_energy_scale(a, m) = π²``.
    """
    spacing = real_array("spacing", spacing, 0.0, low_open=True)
    mass = real_array("mass", mass, 0.0, low_open=True)
    broadcast_size(spacing=spacing, mass=mass)
    with np.errstate(over="ignore", divide="ignore"):
        value = 1.0 / (2.0 * mass * spacing**2)
    return finite_result("E_K", value, spacing=spacing, mass=mass)


def lattice_frequency(depth, recoil) -> np.ndarray:
    """Harmonic frequency of a lattice well, ω = 2 √(E_R U) (Eq. 34).

    From U sin²(k_0 r) ≈ U k_0² r² = (m/2) ω² r² near a minimum (Eq. 33). Exact for the
    curvature; the well is harmonic only for U ≫ E_R.

    Parameters
    ----------
    depth
        Lattice depth U ≥ 0 (energy).
    recoil
        Recoil energy E_R > 0 (same energy unit).
    """
    depth = real_array("depth", depth, 0.0)
    recoil = real_array("recoil", recoil, 0.0, low_open=True)
    broadcast_size(depth=depth, recoil=recoil)
    with np.errstate(over="ignore"):
        value = 2.0 * np.sqrt(recoil * depth)
    return finite_result("omega", value, depth=depth, recoil=recoil)


def depth_to_omega_over_EK(U_over_ER) -> np.ndarray:
    """Lattice frequency in units of E_K from the depth in units of E_R, for a = λ/2.

    ω/E_K = 2 √(U/E_R) · E_R/E_K = 2π² √(U/E_R), exact: Eq. (34) with E_R = π² E_K
    (:data:`RECOIL_OVER_KINETIC`). Yukalov calls E_R 'close to' E_K; they differ by π² ≈ 9.87.

    Parameters
    ----------
    U_over_ER
        Depth U/E_R ≥ 0 (scalar or array).
    """
    depth = real_array("U_over_ER", U_over_ER, 0.0)
    return 2.0 * RECOIL_OVER_KINETIC * np.sqrt(depth)


def effective_frequency(omega, interaction_frequency) -> np.ndarray:
    """Effective frequency of atomic oscillations ε = √(ω² + Ω²) (Eq. 38).

    Parameters
    ----------
    omega
        Lattice frequency ω ≥ 0 (Eq. 34).
    interaction_frequency
        Ω ≥ 0 from the curvature of the interaction potential (Eq. 36).
    """
    omega = real_array("omega", omega, 0.0)
    interaction_frequency = real_array("interaction_frequency", interaction_frequency, 0.0)
    broadcast_size(omega=omega, interaction_frequency=interaction_frequency)
    return np.hypot(omega, interaction_frequency)


def localization_length(frequency, mass=0.5) -> np.ndarray:
    """Width of the Gaussian Wannier function (29), l = 1/√(m ε).

    Parameters
    ----------
    frequency
        Effective frequency ε > 0 (Eq. 38).
    mass
        Particle mass m > 0 (ħ = 1).
    """
    frequency = real_array("frequency", frequency, 0.0, low_open=True)
    mass = real_array("mass", mass, 0.0, low_open=True)
    broadcast_size(frequency=frequency, mass=mass)
    with np.errstate(over="ignore", divide="ignore"):
        value = 1.0 / np.sqrt(mass * frequency)
    return finite_result("l", value, frequency=frequency, mass=mass)


def tunnelling(separation, frequency, depth, wavevector, mass=0.5) -> np.ndarray:
    """Tunnelling parameter J_ij = −∫ w(r − r_i) H_L w(r − r_j) dr for Gaussian Wannier functions.

    For the Gaussians of Eq. (29), l_α = 1/√(m ε_α), in the lattice U_L of Eq. (2):

    J_ij = Σ_α {ε_α/8 [(r^α/l_α)² − 2] − (U_α/2)[1 − cos(k_0^α r^α) e^{−(k_0^α l_α)²}]}
           × exp(−¼ Σ_α (r^α/l_α)²),

    exact for Gaussians (derivation in docs/physics/lattice.md). The paper's expression after
    Eq. (38) has −U_α in place of the second term: its limit k_0 l → 0 (deep lattice,
    (k_0 l)² = √(E_R/U) for ε = ω) when every component r^α is an odd multiple of λ/2. For a
    component r^α = 0 (e.g. the transverse directions of a nearest-neighbour bond in d ≥ 2)
    the exact term is ≈ −ω_α/4, not −U_α, so the printed form is not used.

    Parameters
    ----------
    separation
        Components r_ij^α of the vector between the sites (last axis: directions α).
    frequency
        Effective frequencies ε_α > 0 (Eq. 38).
    depth
        Lattice depths U_α ≥ 0.
    wavevector
        Lattice wave vectors k_0^α = 2π/λ_α > 0.
    mass
        Particle mass m > 0 (ħ = 1).

    Returns
    -------
    numpy.ndarray
        J_ij (energy), the last axis summed over; exact for the Gaussian ansatz (29).
    """
    separation = real_array("separation", separation)
    frequency = real_array("frequency", frequency, 0.0, low_open=True)
    depth = real_array("depth", depth, 0.0)
    wavevector = real_array("wavevector", wavevector, 0.0, low_open=True)
    mass = real_array("mass", mass, 0.0, low_open=True)
    try:
        np.broadcast_shapes(
            separation.shape, frequency.shape, depth.shape, wavevector.shape, mass.shape
        )
    except ValueError:
        raise ValueError(
            f"separation, frequency, depth, wavevector and mass have shapes "
            f"{separation.shape}, {frequency.shape}, {depth.shape}, {wavevector.shape}, "
            f"{mass.shape}; valid: shapes that broadcast (directions on the last axis)"
        ) from None
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        value = _tunnelling(separation, frequency, depth, wavevector, mass)
    return finite_result(
        "J_ij",
        value,
        separation=separation,
        frequency=frequency,
        depth=depth,
        wavevector=wavevector,
        mass=mass,
    )


def _tunnelling(separation, frequency, depth, wavevector, mass) -> np.ndarray:
    width_squared = 1.0 / (mass * frequency)
    ratio_squared = np.atleast_1d(separation**2 / width_squared)
    potential = (
        0.5
        * depth
        * (1.0 - np.cos(wavevector * separation) * np.exp(-(wavevector**2) * width_squared))
    )
    bracket = np.atleast_1d(frequency / 8.0 * (ratio_squared - 2.0) - potential)
    return np.sum(bracket, axis=-1) * np.exp(-0.25 * np.sum(ratio_squared, axis=-1))


def sound_velocity(dynamic_parameter, spacing, mass=0.5, filling=1.0) -> np.ndarray:
    """Sound velocity c_0 = √(ν D a²/m) of the long-wave phonons (Eq. 46).

    Parameters
    ----------
    dynamic_parameter
        D ≥ 0 of Eq. (44) (energy per length squared).
    spacing
        Nearest-neighbour distance a > 0.
    mass
        Particle mass m > 0 (ħ = 1).
    filling
        Filling factor ν > 0 (Eq. 12).
    """
    dynamic_parameter = real_array("dynamic_parameter", dynamic_parameter, 0.0)
    spacing = real_array("spacing", spacing, 0.0, low_open=True)
    mass = real_array("mass", mass, 0.0, low_open=True)
    filling = real_array("filling", filling, 0.0, low_open=True)
    broadcast_size(dynamic_parameter=dynamic_parameter, spacing=spacing, mass=mass, filling=filling)
    with np.errstate(over="ignore", divide="ignore"):
        value = np.sqrt(filling * dynamic_parameter * spacing**2 / mass)
    return finite_result(
        "c_0",
        value,
        dynamic_parameter=dynamic_parameter,
        spacing=spacing,
        mass=mass,
        filling=filling,
    )


def debye_wavevector(spacing, d: int = 3) -> np.ndarray:
    """Debye wave vector k_D = (√(4π)/a) [(d/2) Γ(d/2)]^{1/d} (after Eq. 46).

    The radius of the d-ball whose volume equals that of the Brillouin zone, (2π/a)^d.
    Exact.
    """
    spacing = real_array("spacing", spacing, 0.0, low_open=True)
    d = _dimension(d)
    with np.errstate(over="ignore", divide="ignore"):
        value = math.sqrt(4.0 * math.pi) / spacing * _debye_geometry_factor(d)
    return finite_result("k_D", value, spacing=spacing)


def debye_temperature(dynamic_parameter, mass=0.5, d: int = 3, filling=1.0) -> np.ndarray:
    """Debye temperature T_D = c_0 k_D = √(4π ν D/m) [(d/2) Γ(d/2)]^{1/d} (Eq. 49, corrected).

    The paper prints T_D = √(4π) (ν D/m) [...]^{1/d}, which has the dimension of an energy
    squared (ν D/m is energy² with ħ = 1); T_D must equal c_0 k_D (Eqs. 45, 46), which puts
    ν D/m under the square root. See docs/physics/lattice.md, item 2.

    Parameters
    ----------
    dynamic_parameter
        D ≥ 0 of Eq. (44).
    mass
        Particle mass m > 0 (ħ = 1).
    d
        Space dimension, 1, 2 or 3.
    filling
        Filling factor ν > 0.
    """
    dynamic_parameter = real_array("dynamic_parameter", dynamic_parameter, 0.0)
    mass = real_array("mass", mass, 0.0, low_open=True)
    d = _dimension(d)
    filling = real_array("filling", filling, 0.0, low_open=True)
    broadcast_size(dynamic_parameter=dynamic_parameter, mass=mass, filling=filling)
    with np.errstate(over="ignore", divide="ignore"):
        value = np.sqrt(4.0 * np.pi * filling * dynamic_parameter / mass)
    value = value * _debye_geometry_factor(d)
    return finite_result(
        "T_D", value, dynamic_parameter=dynamic_parameter, mass=mass, filling=filling
    )
