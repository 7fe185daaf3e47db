"""Scales of physics.lattice.scales against closed forms, limits and direct quadrature (Yukalov)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import gamma as gamma_function

from physics.lattice import (
    RECOIL_OVER_KINETIC,
    debye_temperature,
    debye_wavevector,
    depth_to_omega_over_EK,
    effective_frequency,
    kinetic_energy_scale,
    lattice_frequency,
    localization_length,
    mean_square_deviation,
    recoil_energy,
    sound_velocity,
    tunnelling,
)


@pytest.mark.parametrize(("spacing", "mass"), [(1.0, 0.5), (0.37, 2.0), (5.0, 0.1)])
def test_recoil_energy_is_pi_squared_kinetic_energy_for_spacing_half_wavelength(spacing, mass):
    # k_0 = 2π/λ = π/a, so E_R = π²/(2 m a²) = π² E_K exactly.
    ratio = recoil_energy(2.0 * spacing, mass) / kinetic_energy_scale(spacing, mass)
    assert ratio == pytest.approx(math.pi**2, rel=1e-14)
    assert RECOIL_OVER_KINETIC == pytest.approx(math.pi**2, rel=1e-15)


@pytest.mark.parametrize("U_over_ER", [0.0, 0.01, 1.0, 10.0, 40.0])
def test_depth_conversion_matches_curvature_of_the_lattice_potential(U_over_ER):
    # Units a = 1, m = 1/2 (E_K = 1), so E_R = π², k_0 = π. ω² = U_L''(0)/m (Eq. 33) with
    # U_L(x) = U sin²(k_0 x), curvature by central differences.
    mass, k0, step = 0.5, math.pi, 1e-4
    depth = U_over_ER * math.pi**2

    def potential(x: float) -> float:
        return depth * math.sin(k0 * x) ** 2

    curvature = (potential(step) - 2.0 * potential(0.0) + potential(-step)) / step**2
    omega = math.sqrt(curvature / mass)
    assert float(depth_to_omega_over_EK(U_over_ER)) == pytest.approx(omega, rel=1e-7, abs=1e-12)
    assert float(lattice_frequency(depth, math.pi**2)) == pytest.approx(omega, rel=1e-7, abs=1e-12)


def test_depth_conversion_is_vectorised():
    depths = np.array([[0.0, 1.0], [4.0, 9.0]])
    expected = 2.0 * math.pi**2 * np.sqrt(depths)
    np.testing.assert_allclose(depth_to_omega_over_EK(depths), expected, rtol=1e-15)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_debye_sphere_has_the_volume_of_the_brillouin_zone(d):
    spacing = 0.7
    k_D = float(debye_wavevector(spacing, d))
    ball_volume = math.pi ** (d / 2) * k_D**d / gamma_function(d / 2 + 1)
    assert ball_volume == pytest.approx((2.0 * math.pi / spacing) ** d, rel=1e-13)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_debye_temperature_equals_sound_velocity_times_debye_wavevector(d):
    D, mass, spacing, filling = 3.7, 0.8, 1.3, 2.0
    c0 = float(sound_velocity(D, spacing, mass, filling))
    k_D = float(debye_wavevector(spacing, d))
    TD = float(debye_temperature(D, mass, d, filling))
    assert TD == pytest.approx(c0 * k_D, rel=1e-14)


def test_debye_temperature_has_the_dimension_of_an_energy():
    # ħ = 1: lengths × s scale energies by s⁻²; D (energy/length²) scales by s⁻⁴ at fixed m.
    # Eq. (49) as printed (ν D/m without the square root) would scale by s⁻⁴.
    D, mass, scale = 2.0, 0.5, 3.0
    ratio = debye_temperature(D * scale**-4, mass) / debye_temperature(D, mass)
    assert float(ratio) == pytest.approx(scale**-2, rel=1e-14)


def test_sound_velocity_is_the_long_wave_slope_of_the_phonon_spectrum():
    # Eq. (43) along a cubic axis: ω_k² = (4ν/m) D sin²(k a/2); slope at k → 0 is c_0 (Eq. 46).
    D, mass, spacing, filling = 1.7, 0.6, 0.9, 1.5
    k = 1e-6
    omega = math.sqrt(4.0 * filling / mass * D * math.sin(k * spacing / 2.0) ** 2)
    assert float(sound_velocity(D, spacing, mass, filling)) == pytest.approx(omega / k, rel=1e-10)


@pytest.mark.parametrize("temperature", [0.0, 0.05, 1.0, 30.0])
def test_mean_square_deviation_matches_direct_integration_of_eq_42(temperature):
    # Eq. (42) with ω_k = c_0 k inside the Debye sphere, ρ = ν/a^d, integrated radially here.
    d, D, mass, spacing, filling = 3, 2.3, 0.5, 1.0, 1.0
    c0 = math.sqrt(filling * D * spacing**2 / mass)
    k_D = (2.0 * math.pi / spacing) * (gamma_function(d / 2 + 1) / math.pi ** (d / 2)) ** (1 / d)
    TD = c0 * k_D
    surface = 2.0 * math.pi ** (d / 2) / gamma_function(d / 2)
    density = filling / spacing**d

    def integrand(k: float) -> float:
        omega = c0 * k
        occupation = 1.0 if temperature == 0.0 else 1.0 / math.tanh(omega / (2.0 * temperature))
        return surface * k ** (d - 1) * occupation / omega / (2.0 * math.pi) ** d

    integral = quad(integrand, 0.0, k_D, limit=200, epsabs=0.0, epsrel=1e-12)[0]
    expected = filling * d / (2.0 * mass * density) * integral
    assert float(mean_square_deviation(TD, temperature, mass, d)) == pytest.approx(
        expected, rel=1e-9
    )


def test_effective_frequency_combines_lattice_and_interaction_frequencies():
    assert float(effective_frequency(3.0, 4.0)) == pytest.approx(5.0, rel=1e-15)
    assert float(effective_frequency(2.5, 0.0)) == 2.5


def test_localization_length_is_the_width_of_the_harmonic_ground_state():
    # ⟨x²⟩ of |w|² from Eq. (29) is l²/2 = 1/(2 m ε), the harmonic-oscillator value.
    mass, frequency = 0.5, 7.0
    width = float(localization_length(frequency, mass))

    def density(x: float) -> float:
        return math.exp(-(x**2) / width**2) / math.sqrt(math.pi * width**2)

    second_moment = quad(lambda x: x**2 * density(x), -np.inf, np.inf)[0]
    assert second_moment == pytest.approx(1.0 / (2.0 * mass * frequency), rel=1e-10)


# Units for the hopping tests: a = 1, m = 1/2 (E_K = 1), E_R = π², k_0 = π, ε = ω.
MASS, K0 = 0.5, math.pi


def _lattice_well(U_over_ER: float) -> tuple[float, float, float]:
    depth = U_over_ER * math.pi**2
    frequency = 2.0 * math.sqrt(math.pi**2 * depth)
    width = 1.0 / math.sqrt(MASS * frequency)
    return depth, frequency, width


def _one_dimensional_elements(U_over_ER: float, shift: float) -> tuple[float, float]:
    """(∫ w(x) h w(x − r) dx, ∫ w(x) w(x − r) dx) by quadrature, h = −∂²/2m + U sin²(k_0 x)."""
    depth, _, width = _lattice_well(U_over_ER)
    norm = (math.pi * width**2) ** -0.25

    def wannier(x: float) -> float:
        return norm * math.exp(-(x**2) / (2.0 * width**2))

    def hamiltonian_on_shifted(x: float) -> float:
        y = x - shift
        kinetic = -(y**2 / width**4 - 1.0 / width**2) * wannier(y) / (2.0 * MASS)
        return kinetic + depth * math.sin(K0 * x) ** 2 * wannier(y)

    span = 12.0 * width
    lower, upper = min(0.0, shift) - span, max(0.0, shift) + span
    points = sorted({0.0, shift / 2.0, shift})
    element = quad(
        lambda x: wannier(x) * hamiltonian_on_shifted(x), lower, upper, points=points, limit=400
    )[0]
    overlap = quad(lambda x: wannier(x) * wannier(x - shift), lower, upper, points=points)[0]
    return element, overlap


@pytest.mark.parametrize("U_over_ER", [0.5, 1.0, 10.0])
@pytest.mark.parametrize("shift", [1.0, 2.0, 0.5])
def test_tunnelling_matches_quadrature_in_one_dimension(U_over_ER, shift):
    depth, frequency, _ = _lattice_well(U_over_ER)
    element, _ = _one_dimensional_elements(U_over_ER, shift)
    value = float(tunnelling([shift], [frequency], [depth], [K0], MASS))
    assert value == pytest.approx(-element, rel=1e-8)


@pytest.mark.parametrize("bond", [(1.0, 0.0), (1.0, 1.0)])
def test_tunnelling_in_two_dimensions_from_separable_quadrature(bond):
    # H_L = h_x + h_y, Gaussians are products: −⟨w_i|H_L|w_j⟩ = −(h_x S_y + S_x h_y).
    U_over_ER = 5.0
    depth, frequency, _ = _lattice_well(U_over_ER)
    (h_x, s_x), (h_y, s_y) = (_one_dimensional_elements(U_over_ER, r) for r in bond)
    value = float(tunnelling(list(bond), [frequency] * 2, [depth] * 2, [K0] * 2, MASS))
    assert value == pytest.approx(-(h_x * s_y + s_x * h_y), rel=1e-8)


def _paper_tunnelling(separation, frequency, depth, width):
    """The expression printed after Eq. (38), with −U_α."""
    separation = np.asarray(separation, dtype=float)
    ratio_squared = (separation / width) ** 2
    bracket = frequency / 8.0 * (ratio_squared - 2.0) - depth
    return float(np.sum(bracket) * np.exp(-0.25 * np.sum(ratio_squared)))


@pytest.mark.parametrize("bond", [(1.0,), (1.0, 1.0)])
def test_paper_expression_is_the_deep_lattice_limit_for_odd_multiples_of_the_spacing(bond):
    deviations = []
    for U_over_ER in (25.0, 100.0, 400.0):
        depth, frequency, width = _lattice_well(U_over_ER)
        n = len(bond)
        exact = float(tunnelling(list(bond), [frequency] * n, [depth] * n, [K0] * n, MASS))
        paper = _paper_tunnelling(bond, frequency, depth, width)
        deviation = abs(paper / exact - 1.0)
        assert deviation < math.sqrt(1.0 / U_over_ER)
        deviations.append(deviation)
    assert deviations[0] > deviations[1] > deviations[2]


def test_paper_expression_fails_for_transverse_directions_of_a_bond():
    # Bond along x in 2-D: the paper's −U_y for r_y = 0 is not a deep-lattice limit.
    depth, frequency, width = _lattice_well(100.0)
    exact = float(tunnelling([1.0, 0.0], [frequency] * 2, [depth] * 2, [K0] * 2, MASS))
    paper = _paper_tunnelling([1.0, 0.0], frequency, depth, width)
    assert abs(paper / exact - 1.0) > 0.5


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: depth_to_omega_over_EK(-1.0), "U_over_ER"),
        (lambda: depth_to_omega_over_EK(float("nan")), "U_over_ER"),
        (lambda: debye_wavevector(1.0, 4), "d"),
        (lambda: debye_temperature(1.0, 0.5, 0), "d"),
        (lambda: recoil_energy(0.0), "wavelength"),
        (lambda: kinetic_energy_scale(1.0, -0.5), "mass"),
        (lambda: lattice_frequency(-2.0, 1.0), "depth"),
    ],
)
def test_bad_input_names_parameter_value_and_range(call, name):
    with pytest.raises(ValueError, match=rf"{name}=.*(range|valid)"):
        call()
