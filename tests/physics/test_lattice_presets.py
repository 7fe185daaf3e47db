"""Presets of physics.lattice.presets: constants, lattice sums of Eqs. (36), (44), (49)."""

from __future__ import annotations

import math

import pytest
import scipy.constants as const

from physics.lattice import PRESETS, classify, dipolar_coupling, square_lattice_dipolar_scales
from physics.lattice.classification import CONDUCTING_LATTICE

NEIGHBOURS = [(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)]


def _second_derivative(func, x: float, y: float, axis: int, step: float = 1e-4) -> float:
    shift = (step, 0.0) if axis == 0 else (0.0, step)
    plus = func(x + shift[0], y + shift[1])
    minus = func(x - shift[0], y - shift[1])
    return (plus - 2.0 * func(x, y) + minus) / step**2


@pytest.mark.parametrize("g", [0.01, 0.156, 4.56])
def test_nearest_neighbour_sums_by_finite_differences(g):
    # Units a = 1, E_K = 1, ħ = 1, m = 1/2, ν = 1; Φ(r) = g / r³ in the plane.
    mass, filling, d = 0.5, 1.0, 2

    def potential(x: float, y: float) -> float:
        return g / math.hypot(x, y) ** 3

    curvature_sum = sum(_second_derivative(potential, x, y, 0) for x, y in NEIGHBOURS)
    omega = math.sqrt(2.0 * filling / mass * curvature_sum)  # Eq. (36)
    laplacian = sum(_second_derivative(potential, 1.0, 0.0, axis) for axis in (0, 1))
    D = filling**2 / d * laplacian  # Eq. (44), nearest neighbour at a = (1, 0)
    sound = math.sqrt(filling * D / mass)  # Eq. (46)
    k_D = math.sqrt(4.0 * math.pi)  # disc of area (2π)² in d = 2
    Omega, TD = square_lattice_dipolar_scales(g)
    assert float(Omega) == pytest.approx(omega, rel=1e-6)
    assert float(TD) == pytest.approx(sound * k_D, rel=1e-6)
    # Yukalov: Ω is 'close to' T_D; here T_D/Ω = √(π/2).
    assert float(TD / Omega) == pytest.approx(math.sqrt(math.pi / 2.0), rel=1e-14)


def test_rubidium_recoil_energy_at_532_nm():
    # E_R/h = h/(2 m λ²) directly, versus the preset's π² E_K route; ≈ 8.11 kHz.
    rb = PRESETS["Rb87"]
    direct = const.h / (2.0 * rb.mass_kg * (532e-9) ** 2)
    assert rb.recoil_energy_hz == pytest.approx(direct, rel=1e-13)
    assert direct == pytest.approx(8.11e3, rel=2e-3)


def test_rubidium_has_contact_interactions_only():
    rb = PRESETS["Rb87"]
    assert rb.C3 == 0.0 and rb.TD_over_EK == 0.0 and rb.Omega_over_EK == 0.0
    assert classify(rb.omega_over_EK, rb.TD_over_EK, rb.T_over_EK, rb.d) == CONDUCTING_LATTICE


def test_dysprosium_dipolar_length():
    # a_dd = μ_0 μ² m/(12π ħ²) ≈ 131 a_0 for ¹⁶⁴Dy (μ ≈ 9.93 μ_B), the literature value.
    dy = PRESETS["Dy164"]
    a_dd = dy.C3 * dy.mass_kg / (3.0 * const.hbar**2)
    assert a_dd / const.physical_constants["Bohr radius"][0] == pytest.approx(131.0, rel=1e-2)


def test_molecule_coupling_from_its_definition():
    krb = PRESETS["KRb"]
    dipole = 0.566 * 1e-21 / const.c
    C3 = dipole**2 / (4.0 * math.pi * const.epsilon_0)
    assert krb.C3 == pytest.approx(C3, rel=1e-14)
    E_K = const.hbar**2 / (2.0 * krb.mass_kg * (266e-9) ** 2)
    assert krb.coupling == pytest.approx(C3 / (E_K * (266e-9) ** 3), rel=1e-12)
    assert float(dipolar_coupling(C3, krb.mass_kg, 266e-9)) == pytest.approx(krb.coupling)


def test_presets_span_the_regimes_of_the_map():
    # Derived scale ordering (T = 0, d = 2): Rb has T_D = 0, Dy lies between E_K and the
    # Lindemann threshold 16, KRb (fully polarised) lies above it.
    assert PRESETS["Rb87"].TD_over_EK == 0.0
    assert 1.0 < PRESETS["Dy164"].TD_over_EK < 16.0
    assert PRESETS["KRb"].TD_over_EK > 16.0


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_every_preset_is_cited_and_consistent(key):
    preset = PRESETS[key]
    assert "AME2020" in preset.citation and "CODATA" in preset.citation
    assert preset.d == 2
    assert preset.wavelength_nm == 532.0
    assert preset.recoil_energy_hz / preset.kinetic_energy_hz == pytest.approx(math.pi**2)


def test_bad_coupling_is_refused():
    with pytest.raises(ValueError, match="coupling"):
        square_lattice_dipolar_scales(-1.0)
