"""Presets a teacher would pick for the phase map: real species in a 532 nm lattice, with citations.

Geometry assumed for every preset: a two-dimensional square lattice (d = 2) of spacing
a = λ/2 = 266 nm, one particle per site (ν = 1), dipoles fully polarised perpendicular to the
plane, so that in the plane Φ(r) = C_3/r³ (repulsive, isotropic) with C_3 = μ_0 μ²/4π
(magnetic) or d_e²/(4π ε_0) (electric). Nearest-neighbour approximation (four neighbours at
distance a) and point-like Wannier densities (U(a) ≈ Φ(a) in Eq. 44, valid for l ≪ a).

With g = C_3/(E_K a³) = 2 m C_3/(ħ² a) the lattice sums give, in units of E_K = ħ²/(2ma²):

- Eq. (36): Σ_j ∂²Φ/∂x² over (±a, 0), (0, ±a) = (2·12 − 2·3) g = 18 g, so Ω/E_K = √(72 g);
- Eq. (44): D = (ν²/d) ∇²Φ(a) = ½ · 9 g E_K/a² (the in-plane Laplacian of r⁻³ is 9 r⁻⁵);
- Eq. (49), corrected: T_D = √(4π ν D/m) = √(36 π g) E_K, so T_D/Ω = √(π/2) ≈ 1.25.

In three dimensions the same construction fails: the Laplacian of the 3-D dipolar potential
vanishes away from the origin, so D = 0 and T_D = 0 for a cubic lattice in this
approximation; hence the 2-D geometry. Dipole moments are the full molecular-frame (or
atomic) values, i.e. the fully polarised limit; electric fields used in experiments induce
less (a few tenths of a debye for KRb).

Physical constants: CODATA 2022 through :mod:`scipy.constants` (ħ, h, μ_0, ε_0, μ_B, atomic
mass constant); the debye is 10⁻²¹/c C m. Atomic masses: AME2020, M. Wang et al., Chin.
Phys. C 45, 030003 (2021).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.constants as const

from physics._validate import finite_result, real_array
from physics.lattice.scales import (
    RECOIL_OVER_KINETIC,
    debye_temperature,
    depth_to_omega_over_EK,
)

__all__ = [
    "PRESETS",
    "Preset",
    "dipolar_coupling",
    "square_lattice_dipolar_scales",
]

_DEBYE = 1e-21 / const.c  # C m
_SPACING = 532e-9 / 2.0  # m

# Atomic masses in u (AME2020).
_MASS_RB87 = 86.909180531
_MASS_DY164 = 163.929181
_MASS_K40 = 39.963998166

# Nearest-neighbour sums for Φ = g / r³ on the square lattice, in units g/a⁵:
# ∂²(r⁻³)/∂x² = −3 r⁻⁵ + 15 x² r⁻⁷ is 12 at (±a, 0) and −3 at (0, ±a).
_NEIGHBOUR_CURVATURE_SUM = 2 * 12.0 + 2 * (-3.0)
# In-plane Laplacian of r⁻³ at r = a: n (n + 2 − d) a^{−n−2} with n = 3, d = 2.
_NEIGHBOUR_LAPLACIAN = 3 * (3 + 2 - 2)


def dipolar_coupling(C3, mass, spacing) -> np.ndarray:
    """Dimensionless dipolar strength g = C_3/(E_K a³) = 2 m C_3/(ħ² a) (SI inputs).

    Parameters
    ----------
    C3
        Coefficient of Φ(r) = C_3/r³ in J m³ (≥ 0).
    mass
        Particle mass in kg (> 0).
    spacing
        Lattice spacing a in m (> 0).
    """
    C3 = real_array("C3", C3, 0.0)
    mass = real_array("mass", mass, 0.0, low_open=True)
    spacing = real_array("spacing", spacing, 0.0, low_open=True)
    with np.errstate(over="ignore", divide="ignore"):
        value = 2.0 * mass * C3 / (const.hbar**2 * spacing)
    return finite_result("g", value, C3=C3, mass=mass, spacing=spacing)


def square_lattice_dipolar_scales(coupling) -> tuple[np.ndarray, np.ndarray]:
    """Ω/E_K (Eq. 36) and T_D/E_K (Eqs. 44, 49) for Φ = g E_K a³/r³ on a 2-D square lattice.

    Nearest-neighbour approximation, ν = 1, point-like Wannier densities (module docstring).
    Exact within these approximations: Ω/E_K = √(72 g), T_D/E_K = √(36 π g).

    Parameters
    ----------
    coupling
        g = C_3/(E_K a³) ≥ 0 (:func:`dipolar_coupling`).

    Returns
    -------
    tuple of numpy.ndarray
        (Ω/E_K, T_D/E_K).
    """
    g = real_array("coupling", coupling, 0.0)
    # Units a = 1, E_K = 1/(2 m a²) = 1, ħ = 1, hence m = 1/2.
    mass, filling, d = 0.5, 1.0, 2
    with np.errstate(over="ignore"):
        omega_squared = 2.0 * filling / mass * _NEIGHBOUR_CURVATURE_SUM * g
        dynamic_parameter = filling**2 / d * _NEIGHBOUR_LAPLACIAN * g
    finite_result("Omega^2 and D", [omega_squared, dynamic_parameter], coupling=coupling)
    TD = debye_temperature(dynamic_parameter, mass=mass, d=d, filling=filling)
    return np.sqrt(omega_squared), TD


@dataclass(frozen=True)
class Preset:
    """A named physical system: its constants, the derived scales and where they come from.

    Attributes
    ----------
    name
        Short label for a menu.
    species
        Atom or molecule.
    mass_u
        Mass in atomic mass units.
    wavelength_nm
        Lattice laser wavelength λ; spacing a = λ/2.
    dipole
        Human-readable dipole moment ('none' for contact interactions).
    C3
        Coefficient of the in-plane potential C_3/r³ in J m³ (0 for contact interactions).
    d
        Dimension of the lattice geometry assumed (see module docstring).
    depth_over_ER
        Suggested lattice depth U/E_R.
    T_over_EK
        Suggested temperature T/E_K.
    citation
        Sources of the constants.
    """

    name: str
    species: str
    mass_u: float
    wavelength_nm: float
    dipole: str
    C3: float
    d: int
    depth_over_ER: float
    T_over_EK: float
    citation: str

    @property
    def mass_kg(self) -> float:
        """Mass in kg."""
        return self.mass_u * const.physical_constants["atomic mass constant"][0]

    @property
    def spacing_m(self) -> float:
        """Lattice spacing a = λ/2 in m."""
        return self.wavelength_nm * 1e-9 / 2.0

    @property
    def kinetic_energy_hz(self) -> float:
        """E_K/h = ħ/(4π m a²) in Hz (Eq. 50)."""
        return const.hbar / (4.0 * math.pi * self.mass_kg * self.spacing_m**2)

    @property
    def recoil_energy_hz(self) -> float:
        """E_R/h = π² E_K/h in Hz (Eq. 34, a = λ/2)."""
        return RECOIL_OVER_KINETIC * self.kinetic_energy_hz

    @property
    def coupling(self) -> float:
        """g = C_3/(E_K a³)."""
        return float(dipolar_coupling(self.C3, self.mass_kg, self.spacing_m))

    @property
    def Omega_over_EK(self) -> float:
        """Interaction frequency Ω/E_K (Eq. 36, nearest neighbours)."""
        return float(square_lattice_dipolar_scales(self.coupling)[0])

    @property
    def TD_over_EK(self) -> float:
        """Debye temperature T_D/E_K (Eqs. 44, 49, nearest neighbours)."""
        return float(square_lattice_dipolar_scales(self.coupling)[1])

    @property
    def omega_over_EK(self) -> float:
        """Lattice frequency ω/E_K at the suggested depth (Eq. 34)."""
        return float(depth_to_omega_over_EK(self.depth_over_ER))


_MU_B = const.physical_constants["Bohr magneton"][0]
_DY_MOMENT = 1.24159 * 8 * _MU_B  # g_J J μ_B for the Dy ground state ⁵I₈
_KRB_DIPOLE = 0.566 * _DEBYE

PRESETS: dict[str, Preset] = {
    "Rb87": Preset(
        name="⁸⁷Rb, 532 nm lattice",
        species="87Rb",
        mass_u=_MASS_RB87,
        wavelength_nm=532.0,
        dipole="none (contact interactions only)",
        C3=0.0,
        d=2,
        depth_over_ER=10.0,
        T_over_EK=0.0,
        citation=(
            "Mass: AME2020, M. Wang et al., Chin. Phys. C 45, 030003 (2021). Contact "
            "interactions only: no intersite potential, so Ω = T_D = 0 (the 1 μ_B magnetic "
            "dipole is neglected). Constants: CODATA 2022."
        ),
    ),
    "Dy164": Preset(
        name="¹⁶⁴Dy (magnetic dipoles), 532 nm lattice",
        species="164Dy",
        mass_u=_MASS_DY164,
        wavelength_nm=532.0,
        dipole="μ = g_J J μ_B = 9.93 μ_B (g_J = 1.24159, J = 8)",
        C3=const.mu_0 * _DY_MOMENT**2 / (4.0 * math.pi),
        d=2,
        depth_over_ER=10.0,
        T_over_EK=0.0,
        citation=(
            "Mass: AME2020 (Wang et al., Chin. Phys. C 45, 030003 (2021)). Magnetic moment "
            "≈ 10 μ_B: M. Lu, N. Q. Burdick, S. H. Youn, B. L. Lev, Phys. Rev. Lett. 107, "
            "190401 (2011); g_J of the ⁵I₈ ground state from the NIST Atomic Spectra "
            "Database. Constants: CODATA 2022."
        ),
    ),
    "KRb": Preset(
        name="⁴⁰K⁸⁷Rb ground-state molecules, 532 nm lattice",
        species="40K87Rb",
        mass_u=_MASS_K40 + _MASS_RB87,
        wavelength_nm=532.0,
        dipole="d_e = 0.566(17) D (rovibrational ground state, fully polarised)",
        C3=_KRB_DIPOLE**2 / (4.0 * math.pi * const.epsilon_0),
        d=2,
        depth_over_ER=10.0,
        T_over_EK=0.0,
        citation=(
            "Dipole moment: K.-K. Ni et al., Science 322, 231 (2008). Masses: AME2020 (Wang "
            "et al., Chin. Phys. C 45, 030003 (2021)); molecular binding energy neglected "
            "(< 1e-9 relative). Constants: CODATA 2022."
        ),
    ),
}
