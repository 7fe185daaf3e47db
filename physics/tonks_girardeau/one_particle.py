"""The one-particle problem H = −d²/dx² + V(x) on a ring of length L with a twisted boundary.

Boundary condition φ(x + L) = e^{iθ} φ(x): θ = 0 periodic, θ = π antiperiodic. Warzel's rule
♯_N (seed ``002_…``, after Girardeau 1960 and Lieb-Liniger 1963): the Tonks-Girardeau ground
state of N bosons on a periodic ring is built from the N lowest orbitals with periodic
conditions when N is odd and antiperiodic conditions when N is even (:func:`boundary_twist`).

Scheme (Fourier-Galerkin, spectrally accurate). Orbitals are expanded in plane waves
e^{i k_m x}/√L with k_m = (2π m + θ)/L, |m| <= K_h; the kinetic term is diagonal, k_m², and the
potential enters through the Fourier coefficients v_q of its trigonometric interpolant on the M
grid points, <m|V|m'> = v_{m−m'}, exact for 2K_h < M/2. For θ ∈ {0, π} the matrix is written
in the real cos/sin basis (real symmetric, real orbitals). The N lowest eigenpairs come from
LAPACK (``scipy.linalg.eigh`` with ``subset_by_index``). Orbitals are evaluated anywhere by the
trigonometric sum, on shifted uniform grids by FFT (real orbitals two to a transform).

Error. Without a potential the plane waves are exact eigenvectors: energies (2π m + θ)²/L² to
rounding (relative 1e-15). With a potential the only approximation besides the interpolant of V
is the truncation |m| <= K_h. The starting K_h (:func:`default_half_width`) is the smallest one
for which the direct coupling to every discarded mode, max|v_q| / k², is below 1e-7; K_h is
then enlarged until the largest orbital amplitude in the outer three modes is <= 1e-6 (chains
of couplings, e.g. for the band-limited speckle, need it). That amplitude, reported as
``truncation_error``, tracks the pointwise orbital error (checked against K_h = M/4 − 1); the
energy error is of its square order (< 1e-9 at default sizes).
"""

from __future__ import annotations

import itertools
import math
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg
from numpy.lib.stride_tricks import sliding_window_view

from physics._validate import choice, integer, real_array, real_scalar
from physics.tonks_girardeau.limits import LENGTH_RANGE, MAX_MODES, MAX_PARTICLES

__all__ = [
    "Orbitals",
    "boundary_twist",
    "default_half_width",
    "lowest_orbitals",
    "single_particle_energies",
]

#: A-priori target of the coupling indicator max|v_q| / k² over discarded couplings.
COUPLING_TOLERANCE = 1e-7
#: A-posteriori target: largest orbital amplitude in the outer shell of the basis.
TRUNCATION_TOLERANCE = 1e-6
#: Width (in modes) of the outer shell that measures the truncation.
OUTER_SHELL = 3


@dataclass(frozen=True)
class Orbitals:
    """The N lowest orbitals of H = −d²/dx² + V on the twisted ring.

    Attributes
    ----------
    energies : numpy.ndarray
        Eigenvalues E_1 <= … <= E_N, shape (N,), units n² (ħ = 2m = 1).
    coefficients : numpy.ndarray
        Complex amplitudes c_{α m} on e^{i k_m x}/√L, shape (N, K); rows are orthonormal.
    mode_indices : numpy.ndarray
        The integers m, shape (K,); k_m = (2π m + θ)/L.
    length : float
        Ring length L.
    twist : float
        θ in φ(x + L) = e^{iθ} φ(x).
    truncation_error : float
        Largest orbital amplitude in the outer three modes of the basis (0 for V = 0); it
        estimates the pointwise orbital error.
    """

    energies: np.ndarray
    coefficients: np.ndarray
    mode_indices: np.ndarray
    length: float
    twist: float
    truncation_error: float

    @property
    def is_real(self) -> bool:
        """Whether the orbitals are real functions (periodic or antiperiodic ring)."""
        return self.twist in (0.0, math.pi)

    @property
    def momenta(self) -> np.ndarray:
        """k_m = (2π m + θ)/L of the basis, shape (K,)."""
        return (2.0 * math.pi * self.mode_indices + self.twist) / self.length

    def converged_half_width(self, tolerance: float = TRUNCATION_TOLERANCE) -> int:
        """Smallest half-width K_h whose outer three modes carry amplitudes <= ``tolerance``
        in this solution (a starting basis for similar potentials, see ``start_modes``)."""
        tolerance = real_scalar("tolerance", tolerance, 0.0, None, low_open=True)
        weight = np.abs(self.coefficients).max(axis=0)
        above = np.abs(self.mode_indices[weight > tolerance])
        return int(above.max(initial=0)) + OUTER_SHELL + 1

    def bandwidth(self, tolerance: float = 1e-13) -> float:
        """Largest |k_m| whose amplitude exceeds ``tolerance`` in some orbital."""
        weight = np.abs(self.coefficients).max(axis=0)
        significant = self.momenta[weight > tolerance]
        return float(np.abs(significant).max()) if significant.size else 0.0

    def evaluate(self, x: Any) -> np.ndarray:
        """φ_α(x) at arbitrary points by the trigonometric sum, shape (len(x), N)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        phases = np.exp(1j * np.outer(x, self.momenta)) / math.sqrt(self.length)
        values = phases @ self.coefficients.T
        return values.real if self.is_real else values

    def on_grid(self, grid_points: int, shift: float = 0.0) -> np.ndarray:
        """φ_α(j L/M + shift) for j = 0 … M − 1 by FFT, shape (M, N).

        Exact (to rounding) for any M with K <= M.
        """
        return self.on_shifted_grids(grid_points, [shift])[0]

    def on_shifted_grids(self, grid_points: int, shifts: Any, scales: Any = None) -> np.ndarray:
        """scale_s · φ_α(j L/M + shift_s) for several shifts in one batched FFT, shape (S, M, N).

        ``scales`` (default 1) multiply each shifted grid; they are applied to the spectrum.
        Real orbitals go two to a transform, φ_{2j} + i φ_{2j+1} (half the FFTs).
        """
        grid_points = int(grid_points)
        if self.mode_indices.size > grid_points:
            raise ValueError(
                f"grid_points={grid_points} is below the basis size {self.mode_indices.size}; "
                f"valid range [{self.mode_indices.size}, inf)"
            )
        shifts = np.atleast_1d(np.asarray(shifts, dtype=float))
        scales = np.ones(shifts.size) if scales is None else np.asarray(scales, dtype=float)
        coefficients = _paired(self.coefficients) if self.is_real else self.coefficients
        spectrum = np.zeros((shifts.size, coefficients.shape[0], grid_points), dtype=complex)
        exponent = np.outer(shifts, 2.0 * math.pi * self.mode_indices + self.twist) / self.length
        amplitude = scales * grid_points / math.sqrt(self.length)
        shift_phase = np.exp(1j * exponent) * amplitude[:, None]
        # consecutive m fill slices of the FFT grid (two for |m| <= K_h: m < 0 wraps around)
        positions = self.mode_indices % grid_points
        for run in _consecutive_runs(positions):
            first = int(positions[run.start])
            np.multiply(
                shift_phase[:, None, run],
                coefficients[:, run],
                out=spectrum[:, :, first : first + run.stop - run.start],
            )
        values = np.fft.ifft(spectrum, axis=-1)  # (S, rows, M): along the contiguous axis
        if self.twist != 0.0:
            values *= np.exp(1j * self.twist * np.arange(grid_points) / grid_points)
        values = values.swapaxes(1, 2)
        if not self.is_real:
            return values
        # (S, M, N/2) complex φ_{2j} + i φ_{2j+1} read as (S, M, N) real, in orbital order
        n_states = self.coefficients.shape[0]
        return np.ascontiguousarray(values).view(float)[:, :, :n_states]


def _paired(coefficients: np.ndarray) -> np.ndarray:
    """Spectra of φ_{2j} + i φ_{2j+1} (a zero orbital pads an odd count), shape (⌈N/2⌉, K)."""
    pairs = -(-coefficients.shape[0] // 2)
    packed = np.zeros((pairs, coefficients.shape[1]), dtype=complex)
    packed += coefficients[0::2]
    packed[: coefficients.shape[0] // 2] += 1j * coefficients[1::2]
    return packed


def _consecutive_runs(positions: np.ndarray) -> list[slice]:
    """Slices of ``positions`` over which it increases by exactly 1."""
    breaks = np.flatnonzero(np.diff(positions) != 1) + 1
    edges = [0, *breaks.tolist(), positions.size]
    return [slice(lo, hi) for lo, hi in itertools.pairwise(edges)]


def boundary_twist(n_particles: int, boundary: Any = None) -> float:
    """The one-particle twist θ for a boundary specification.

    ``None`` applies Warzel's rule ♯_N (ground state of the periodic Tonks-Girardeau ring):
    θ = 0 for N odd, θ = π for N even. ``"periodic"`` → 0, ``"antiperiodic"`` → π; a real
    number is taken as θ itself and reduced to (−π, π] (π stays π).
    """
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    if boundary is None:
        return 0.0 if n_particles % 2 else math.pi
    if isinstance(boundary, str):
        boundary = choice("boundary", boundary, ("periodic", "antiperiodic"))
        return 0.0 if boundary == "periodic" else math.pi
    theta = real_scalar("boundary", boundary)
    reduced = math.remainder(theta, 2.0 * math.pi)
    # only the rounding of the reduction itself (a few ulps of π) is snapped to π
    on_pi = math.isclose(abs(reduced), math.pi, rel_tol=4 * sys.float_info.epsilon)
    return math.pi if on_pi else reduced + 0.0


def _potential_spectrum(potential: np.ndarray) -> np.ndarray:
    return np.fft.fft(potential) / potential.size


def _check_potential(potential: Any) -> np.ndarray:
    values = real_array("potential", potential)
    if values.ndim != 1 or values.size < 8:
        raise ValueError(
            f"potential has shape {values.shape}; valid: a 1D array of at least 8 grid values"
        )
    return values


def default_half_width(
    n_states: int, length: float, potential: np.ndarray | None
) -> tuple[int, float]:
    """Default basis half-width K_h and the truncation indicator it reaches.

    K_h is the smallest value for which max_{|q| > K_h − m_occ} |v_q| / k_{K_h}² <= 1e-7, where
    m_occ covers the momenta of the occupied orbitals, k <= sqrt(E_scale) with
    E_scale = (π(N + 1)/L)² + max V − min V; K_h is capped at M/4 − 1 (beyond that the grid no
    longer resolves the couplings) and at ``MAX_MODES``. The indicator is ∞ when the grid is too
    coarse for the occupied momenta (the cap is then below them).
    """
    n_states = integer("n_states", n_states, 1, MAX_PARTICLES + 1)
    length = real_scalar("length", length, *LENGTH_RANGE)
    potential = None if potential is None else _check_potential(potential)
    occupied = n_states // 2 + 2
    if potential is None:
        return occupied + 1, 0.0
    energy_scale = (math.pi * (n_states + 1) / length) ** 2 + float(np.ptp(potential))
    occupied = max(occupied, math.ceil(length * math.sqrt(energy_scale) / (2.0 * math.pi)) + 1)
    spectrum = np.abs(_potential_spectrum(potential))
    grid_points = potential.size
    cap = min(grid_points // 4 - 1, MAX_MODES)
    if cap <= occupied:
        return cap, float("inf")
    magnitude = np.maximum(spectrum[: grid_points // 2], spectrum[::-1][: grid_points // 2])
    magnitude[0] = 0.0
    tail = np.maximum.accumulate(magnitude[::-1])[::-1]
    half_widths = np.arange(occupied + 1, cap + 1)
    first_left_out = np.minimum(half_widths - occupied + 1, grid_points // 2 - 1)
    cutoff = 2.0 * math.pi * (half_widths + 1) / length
    indicator = tail[first_left_out] / cutoff**2
    good = np.flatnonzero(indicator <= COUPLING_TOLERANCE)
    index = good[0] if good.size else indicator.size - 1
    return int(half_widths[index]), float(indicator[index])


def _mode_indices(half_width: int, twist: float) -> np.ndarray:
    if twist == math.pi:
        return np.arange(-half_width, half_width)
    return np.arange(-half_width, half_width + 1)


def _complex_hamiltonian(
    modes: np.ndarray, length: float, twist: float, spectrum: np.ndarray | None
) -> np.ndarray:
    momenta = (2.0 * math.pi * modes + twist) / length
    hamiltonian = np.diag(momenta**2).astype(complex)
    if spectrum is not None:
        hamiltonian += spectrum[(modes[:, None] - modes[None, :]) % spectrum.size]
    return hamiltonian


def _real_hamiltonian(
    half_width: int, length: float, twist: float, spectrum: np.ndarray | None
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, int, int]]:
    """H in the basis [1 (θ = 0 only)] + √2 cos(k_a x) + √2 sin(k_a x), and its map to e^{ikx}.

    Returns the real symmetric matrix and (plus, minus, offset, n_pairs): the positions of
    e^{±i k_a x} in ``_mode_indices`` and where the cos and sin blocks start.
    """
    periodic = twist == 0.0
    half_integers = np.arange(1, half_width + 1) if periodic else np.arange(half_width) + 0.5
    size = _mode_indices(half_width, twist).size
    kinetic_cos = (2.0 * math.pi * half_integers / length) ** 2
    offset = 1 if periodic else 0
    n_pairs = half_integers.size
    hamiltonian = np.zeros((size, size))
    cos_slice = slice(offset, offset + n_pairs)
    sin_slice = slice(offset + n_pairs, offset + 2 * n_pairs)
    hamiltonian[cos_slice, cos_slice] = np.diag(kinetic_cos)
    hamiltonian[sin_slice, sin_slice] = np.diag(kinetic_cos)
    if spectrum is not None:
        grid_points = spectrum.size

        def v(q: np.ndarray) -> np.ndarray:
            return spectrum[np.rint(q).astype(int) % grid_points]

        # v(h_a − h_b) is Toeplitz and v(h_a + h_b) Hankel in (a, b): windows of one vector
        steps = np.arange(2 * n_pairs - 1)
        diff = sliding_window_view(v(n_pairs - 1 - steps), n_pairs)[::-1]
        total = sliding_window_view(v(steps + 2 * half_integers[0]), n_pairs)
        hamiltonian[cos_slice, cos_slice] += diff.real + total.real
        hamiltonian[sin_slice, sin_slice] += diff.real - total.real
        cross = diff.imag - total.imag
        hamiltonian[cos_slice, sin_slice] += cross
        hamiltonian[sin_slice, cos_slice] += cross.T
        if periodic:
            hamiltonian[0, 0] += spectrum[0].real
            single = v(half_integers)
            hamiltonian[0, cos_slice] = hamiltonian[cos_slice, 0] = math.sqrt(2.0) * single.real
            hamiltonian[0, sin_slice] = hamiltonian[sin_slice, 0] = -math.sqrt(2.0) * single.imag
    shift = 0.0 if periodic else 0.5
    plus = np.rint(half_integers - shift).astype(int) + half_width
    minus = np.rint(-half_integers - shift).astype(int) + half_width
    plane_wave_positions = (plus, minus, offset, n_pairs)
    return hamiltonian, plane_wave_positions


def _prepare(
    n_states: Any, length: Any, potential: Any, twist: Any, modes: Any, start_modes: Any = None
) -> tuple[int, float, np.ndarray | None, float, int, float]:
    # N + 1 states: the chemical potential needs the first empty level too
    n_states = integer("n_states", n_states, 1, MAX_PARTICLES + 1)
    length = real_scalar("length", length, *LENGTH_RANGE)
    twist = boundary_twist(1, float(real_scalar("twist", twist)))
    values = None if potential is None else _check_potential(potential)
    if values is not None and values.size < 4 * n_states + 16:
        raise ValueError(
            f"n_states={n_states} is too large for a grid of {values.size} points; "
            f"valid range [1, {(values.size - 16) // 4}]"
        )
    cap = MAX_MODES if values is None else min(MAX_MODES, values.size // 4 - 1)
    if start_modes is not None:
        start_modes = integer("start_modes", start_modes, n_states // 2 + 2, cap)
    if modes is not None:
        half_width = integer("modes", modes, n_states // 2 + 2, cap)
        indicator = float("nan")
    elif start_modes is not None and values is not None:
        half_width, indicator = start_modes, float("nan")
    else:
        half_width, indicator = default_half_width(n_states, length, values)
    return n_states, length, values, twist, half_width, indicator


def _lowest_eigenpairs(hamiltonian: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``count`` lowest eigenpairs of a Hermitian matrix built here (finite by construction,
    overwritten): LAPACK's MRRR driver (?syevr/?heevr) on the index range."""
    return scipy.linalg.eigh(
        hamiltonian,
        subset_by_index=[0, count - 1],
        driver="evr",
        overwrite_a=True,
        check_finite=False,
    )


def _solve(
    n_states: int,
    length: float,
    spectrum: np.ndarray | None,
    twist: float,
    half_width: int,
    real_basis: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Eigenpairs in a basis of half-width K_h; returns the outer-shell amplitude too."""
    if real_basis:
        mode_indices = _mode_indices(half_width, twist)
        hamiltonian, (plus, minus, offset, n_pairs) = _real_hamiltonian(
            half_width, length, twist, spectrum
        )
        energies, real_vectors = _lowest_eigenpairs(hamiltonian, n_states)
        cos_part = real_vectors[offset : offset + n_pairs] / math.sqrt(2.0)
        sin_part = real_vectors[offset + n_pairs :] / math.sqrt(2.0)
        vectors = np.zeros((mode_indices.size, n_states), dtype=complex)
        vectors[plus] = cos_part - 1j * sin_part
        vectors[minus] = cos_part + 1j * sin_part
        if offset:
            vectors[half_width] = real_vectors[0]
    else:
        mode_indices = np.arange(-half_width, half_width + 1)
        hamiltonian = _complex_hamiltonian(mode_indices, length, twist, spectrum)
        energies, vectors = _lowest_eigenpairs(hamiltonian, n_states)
    outer = np.abs(mode_indices) >= half_width - OUTER_SHELL
    amplitude = float(np.abs(vectors[outer]).max()) if spectrum is not None else 0.0
    return energies, np.ascontiguousarray(vectors.T), mode_indices, amplitude


def _adaptive_solve(
    n_states: Any,
    length: Any,
    potential: Any,
    twist: Any,
    modes: Any,
    real_basis: bool,
    start_modes: Any = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    n_states, length, values, twist, half_width, _ = _prepare(
        n_states, length, potential, twist, modes, start_modes
    )
    spectrum = None if values is None else _potential_spectrum(values)
    real_basis = real_basis and twist in (0.0, math.pi)
    cap = half_width if values is None or modes is not None else values.size // 4 - 1
    cap = min(cap, MAX_MODES)
    while True:
        energies, coefficients, mode_indices, outer = _solve(
            n_states, length, spectrum, twist, half_width, real_basis
        )
        if outer <= TRUNCATION_TOLERANCE or half_width >= cap:
            return energies, coefficients, mode_indices, outer, twist
        half_width = min(cap, _next_half_width(coefficients, mode_indices, half_width, outer))


def _next_half_width(
    coefficients: np.ndarray, mode_indices: np.ndarray, half_width: int, outer: float
) -> int:
    """The half-width at which the outer amplitude is predicted to reach the tolerance.

    The largest amplitude per |m| falls roughly exponentially beyond the occupied momenta; a
    straight line through its logarithm over the outer quarter of the basis (outer shell
    left out) is extrapolated to TRUNCATION_TOLERANCE, and the step kept within
    [1.1, 2] × K_h (1.25 × K_h when the amplitude does not fall). One solve instead of
    several 25 % steps; the outer-shell check still decides.
    """
    magnitude = np.abs(coefficients).max(axis=0)
    profile = np.zeros(half_width + 1)
    np.maximum.at(profile, np.abs(mode_indices), magnitude)
    fitted = np.arange(int(0.75 * half_width), half_width - OUTER_SHELL)
    amplitudes = profile[fitted]
    if fitted.size < 4 or np.any(amplitudes <= 0.0):
        return math.ceil(1.25 * half_width)
    slope = np.polyfit(fitted, np.log(amplitudes), 1)[0]
    if slope >= 0.0:
        return math.ceil(1.25 * half_width)
    needed = half_width + math.log(outer / TRUNCATION_TOLERANCE) / -slope
    return math.ceil(min(max(needed, 1.1 * half_width), 2.0 * half_width))


def lowest_orbitals(
    n_states: int,
    length: float,
    potential: np.ndarray | None = None,
    twist: float = 0.0,
    modes: int | None = None,
    start_modes: int | None = None,
) -> Orbitals:
    """The ``n_states`` lowest eigenpairs of −d²/dx² + V on the ring with twist θ.

    Parameters
    ----------
    n_states : int
        Number N of orbitals, >= 1 (at most (M − 16)/4 for a potential on M points).
    length : float
        Ring length L > 0 (units 1/n).
    potential : numpy.ndarray or None
        V(x_j) on x_j = j L/M (None: clean ring).
    twist : float
        θ in φ(x + L) = e^{iθ} φ(x), reduced to (−π, π].
    modes : int or None
        Basis half-width K_h (plane waves |m| <= K_h); default: :func:`default_half_width`,
        then enlarged (extrapolated from the amplitude profile) until the outer-shell
        amplitude is <= 1e-6.
    start_modes : int or None
        Starting half-width of that adaptive basis instead of :func:`default_half_width`
        (ignored for a clean ring or with ``modes``), e.g.
        :meth:`Orbitals.converged_half_width` of a similar potential: one dense solve instead
        of two or three when it suffices; the outer-shell check still decides.

    Returns
    -------
    Orbitals
        Energies (units n²), plane-wave amplitudes, and the truncation indicator.
    """
    energies, coefficients, mode_indices, outer, twist = _adaptive_solve(
        n_states, length, potential, twist, modes, real_basis=True, start_modes=start_modes
    )
    return Orbitals(
        energies=energies,
        coefficients=coefficients,
        mode_indices=mode_indices,
        length=float(length),
        twist=twist,
        truncation_error=outer,
    )


def single_particle_energies(
    n_states: int,
    length: float,
    potential: np.ndarray | None = None,
    twist: float = 0.0,
    modes: int | None = None,
) -> np.ndarray:
    """The ``n_states`` lowest eigenvalues of −d²/dx² + V with twist θ, units n².

    Same scheme, arguments and accuracy as :func:`lowest_orbitals`, always in the complex
    plane-wave basis |m| <= K_h so that E(θ) is one smooth function of the twist when ``modes``
    is fixed.
    """
    if modes is None:
        return _adaptive_solve(n_states, length, potential, twist, modes, real_basis=False)[0]
    n_states, length, values, twist, half_width, _ = _prepare(
        n_states, length, potential, twist, modes
    )
    spectrum = None if values is None else _potential_spectrum(values)
    hamiltonian = _complex_hamiltonian(
        np.arange(-half_width, half_width + 1), length, twist, spectrum
    )
    return scipy.linalg.eigh(hamiltonian, eigvals_only=True, subset_by_index=[0, n_states - 1])
