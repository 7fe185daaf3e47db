"""One-body density matrix γ(x0, y) of the Tonks-Girardeau ground state on a ring.

Formula (Warzel, seed ``002_…``, slide "One-particle reduced density matrix"; Lenard 1964,
Pezer-Buljan 2007). For orbitals φ_1 … φ_N and x <= y,

    γ(x, y) = Σ_{αβ} φ_α(x) C_{αβ} conj(φ_β(y)) = det A · conj(φ(y))ᵀ A⁻¹ φ(x)
            = −det [[0, conj(φ(y))ᵀ], [φ(x), A]],
    A_{αβ}(x, y) = δ_{αβ} − 2 ∫_x^y φ_α(z) conj(φ_β(z)) dz,

with C the cofactor matrix of A. The slide prints det [[0, φ(x)ᵀ], [conj(φ(y)), K_N]] without
the leading minus sign; that determinant equals −γ (for N = 1 it gives −φ(x)φ(y), and at x = y
it gives minus the density), see ``docs/physics/tonks_girardeau.md`` (conventions item 6).
Points y < x0 are reached by continuing around the ring, y → y + L, with φ(y + L) = e^{iθ} φ(y);
for Warzel's boundary rule this is the same bosonic state.

Algorithm (O(M N²) per row). The integral is a composite Gauss-Legendre rule with q nodes per
grid interval, so A changes between neighbouring grid points by a rank-q update
A ← A − U Uᴴ, U = [√(2 w_i) φ(z_i)]. The inverse B = A⁻¹ and det A are carried along with the
Woodbury identity (rank-one Sherman-Morrison steps for q = 1), at O(N² q) per interval. Where
A passes close to a singular matrix (det A changes sign as y advances), the update is held back
and the value taken from the adjugate form, which is finite there, until A is well conditioned
again (see ``_rank_one_sweep``); B thus never inverts a near-singular matrix, and the rows agree
with fresh per-point determinants to ~1e-12 relative (tests). q is the smallest order whose
error bound E_q(ω h) = (ω h)^{2q} (q!)⁴/((2q+1)((2q)!)³), summed over the integrand's
exponentials weighted by their amplitudes (grouped in decades, :func:`quadrature_order`), is
below 1e-12 of the integrand's scale (h the grid spacing).

:func:`density_matrix_rows` exposes both this update scheme and the naive per-point determinant
(same quadrature, fresh O(N³) determinant per point) used as a baseline and a cross-check.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from physics._validate import choice, instance, integer, real_array, real_scalar
from physics.tonks_girardeau.limits import (
    LENGTH_RANGE,
    MAX_GRID_POINTS,
    MAX_PARTICLES,
    MAX_SWEEP_VALUES,
)
from physics.tonks_girardeau.one_particle import Orbitals, boundary_twist, lowest_orbitals

__all__ = [
    "default_grid_points",
    "density_matrix_map",
    "density_matrix_rows",
    "one_body_density_matrix",
    "quadrature_order",
]

#: Error target of the Gauss-Legendre rule (relative, per unit of γ).
QUADRATURE_TOLERANCE = 1e-12
#: Smallest |det C| (fast path) and smallest singular value of C (merged updates) at which a
#: Woodbury update is folded into B = A⁻¹.
COMMIT_RATIO = 1e-2
#: Most Gauss-Legendre nodes per grid interval, and the largest ω h they integrate to 1e-12.
MAX_QUADRATURE_ORDER = 32
MAX_INTERVAL_PHASE = 60.0
#: Decades of orbital amplitude the quadrature order weighs (amplitudes <= 1e-9 left out).
AMPLITUDE_DECADES = 9
#: Most points per side of :func:`density_matrix_map` (P² N² q work).
MAX_MAP_POINTS = 512


def default_grid_points(n_particles: int) -> int:
    """Default grid: 32 points per particle rounded up to a power of two, at least 256."""
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    return max(256, 1 << math.ceil(math.log2(32 * n_particles)))


def _gauss_legendre_error(order: int, phase: Any) -> Any:
    """E_q(ω h) = (ω h)^{2q} (q!)⁴/((2q+1)((2q)!)³) for scalar or array phases ω h."""
    constant = math.factorial(order) ** 4 / ((2 * order + 1) * math.factorial(2 * order) ** 3)
    return np.power(phase, 2 * order) * constant


def _amplitude_decades(orbitals: Orbitals) -> tuple[np.ndarray, np.ndarray]:
    """Orbital amplitudes grouped in decades j: |c_αm| ∈ (10^−(j+1), 10^−j], j < 9.

    Returns S_j = max_α Σ_{m in decade j} |c_αm| (the ℓ1 amplitude of decade j in the worst
    orbital) and k_j, the largest |k_m| at which some orbital's amplitude exceeds 10^−(j+1)
    (``bandwidth(10^−(j+1))``, >= every momentum of decade j); amplitudes <= 1e-9 are left out,
    as ``bandwidth(1e-9)`` did.
    """
    magnitude = np.abs(orbitals.coefficients)
    kept = magnitude > 10.0**-AMPLITUDE_DECADES
    decade = np.floor(-np.log10(np.where(kept, magnitude, 1.0))).astype(int)
    decade = np.minimum(decade, AMPLITUDE_DECADES - 1)
    rows = np.arange(magnitude.shape[0])[:, None] * AMPLITUDE_DECADES
    weight = np.bincount(
        (rows + decade)[kept], magnitude[kept], minlength=magnitude.shape[0] * AMPLITUDE_DECADES
    )
    # the envelope's decade per mode; k_j is the largest |k_m| whose envelope decade is <= j
    envelope = np.where(kept, decade, AMPLITUDE_DECADES).min(axis=0)
    momentum = np.zeros(AMPLITUDE_DECADES + 1)
    np.maximum.at(momentum, envelope, np.abs(orbitals.momenta))
    return weight.reshape(-1, AMPLITUDE_DECADES).max(axis=0), np.maximum.accumulate(momentum)[:-1]


def quadrature_order(orbitals: Orbitals, grid_points: int) -> int:
    """Gauss-Legendre nodes per grid interval needed for ∫ φ_α conj(φ_β) to 1e-12.

    The integrand φ_α conj(φ_β) = L⁻¹ Σ c_αm conj(c_βm') e^{i(k_m − k_m')x} is a sum of
    exponentials; the q-point rule on an interval h integrates e^{iωx} with an error of at most
    h (ω h)^{2q} (q!)⁴/((2q+1)((2q)!)³) = h E_q(ω h). Grouping the amplitudes in decades
    (:func:`_amplitude_decades`: ℓ1 weight S_j, largest momentum k_j), the relative error on
    the integrand's ℓ1 scale is at most Σ_ij S_i S_j E_q((k_i + k_j) h) / (Σ_j S_j)², which q
    brings below 1e-12. The fast tails (speckle 5, N = 128: amplitudes < 1e-3 beyond k ≈ 11,
    up to k ≈ 23 above 1e-9) thus need fewer nodes than if they carried the orbitals' whole
    weight (q = 7 instead of 9 at h = 1/8); amplitudes <= 1e-9 are left out, as before.
    """
    instance("orbitals", orbitals, Orbitals, "an Orbitals (from lowest_orbitals)")
    grid_points = integer("grid_points", grid_points, 8, MAX_GRID_POINTS)
    spacing = orbitals.length / grid_points
    weight, momentum = _amplitude_decades(orbitals)
    phases = spacing * (momentum[:, None] + momentum[None, :])
    scale = QUADRATURE_TOLERANCE * weight.sum() ** 2
    for order in range(1, MAX_QUADRATURE_ORDER + 1):
        errors = _gauss_legendre_error(order, phases)
        if weight @ errors @ weight <= scale:
            return order
    phase = 2.0 * momentum.max() * spacing
    raise ValueError(
        f"grid_points={grid_points} is too coarse for orbitals of bandwidth "
        f"{momentum.max():.3g}: more than {MAX_QUADRATURE_ORDER} Gauss-Legendre nodes "
        f"per interval needed; valid: grid_points >= "
        f"{math.ceil(grid_points * phase / MAX_INTERVAL_PHASE)}"
    )


class _Samples:
    """Orbitals of all realisations sampled at grid points and quadrature nodes, stacked."""

    def __init__(self, orbital_sets: list[Orbitals], grid_points: int, order: int) -> None:
        nodes, weights = np.polynomial.legendre.leggauss(order)
        spacing = orbital_sets[0].length / grid_points
        self.weights = 0.5 * spacing * weights
        shifts = np.concatenate([[0.0], 0.5 * spacing * (1.0 + nodes)])
        scales = np.concatenate([[1.0], np.sqrt(2.0 * self.weights)])
        first = orbital_sets[0]
        dtype = float if all(o.is_real for o in orbital_sets) else complex
        shape = (len(orbital_sets), grid_points, first.coefficients.shape[0])
        self.grid = np.empty(shape, dtype=dtype)  # (R, M, N)
        # (R, M, N, q): columns √(2 w_i) φ(z_i) of the rank-q update of each interval
        self.updates = np.empty((*shape, order), dtype=dtype)
        # the FFT grid must hold the basis: sample on a multiple of M, keep every factor-th point
        basis = max(o.mode_indices.size for o in orbital_sets)
        factor = -(-basis // grid_points)
        for r, orbitals in enumerate(orbital_sets):
            sampled = orbitals.on_shifted_grids(factor * grid_points, shifts, scales)[:, ::factor]
            self.grid[r] = sampled[0]
            self.updates[r] = np.moveaxis(sampled[1:], 0, -1)
        self.wrap = np.exp(1j * orbital_sets[0].twist)
        if orbital_sets[0].is_real:
            self.wrap = self.wrap.real
        self.grid_points = grid_points
        self.dtype = self.grid.dtype

    def take(self, which: str, rows: np.ndarray, index: np.ndarray) -> np.ndarray:
        """samples[row, index mod M] times e^{iθ} for every wrap around the ring."""
        wraps, position = np.divmod(index, self.grid_points)
        values = getattr(self, which)[rows, position]
        if np.any(wraps):
            factor = self.wrap**wraps
            values = values * factor.reshape(factor.shape + (1,) * (values.ndim - 1))
        return values

    def sweep_indices(self, base: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
        """Grid positions (batch, steps + 1) of x_b + s h and their wrap factors e^{iθ w}."""
        wraps, position = np.divmod(base[:, None] + np.arange(steps + 1), self.grid_points)
        return position, self.wrap**wraps


def _adjugate(matrix: np.ndarray) -> np.ndarray:
    """adj(C) = det(U) det(Vᴴ) V diag(Π_{j≠i} s_j) Uᴴ from C = U S Vᴴ; stable for singular C."""
    left, singular, right_h = np.linalg.svd(matrix)
    others = np.array(
        [np.prod(np.delete(singular, i)) for i in range(singular.size)], dtype=singular.dtype
    )
    phase = np.linalg.det(left) * np.linalg.det(right_h)
    return phase * (right_h.conj().T * others) @ left.conj().T


def _rank_one_sweep(samples: _Samples, rows: np.ndarray, base: np.ndarray, steps: int):
    """Carry B = A⁻¹, det A and s = A⁻¹ φ(x0) along the sweep with Woodbury updates.

    A step whose capacitance C = I − Uᴴ B U is nearly singular (|det C| < COMMIT_RATIO: A
    passes close to det A = 0) is not folded into B. The row's value is then taken from the
    adjugate form det A_base [det C · bᴴ s + bᴴ B W adj(C) Wᴴ s], which is finite at det C = 0,
    and the pending columns W are merged with the next step's until C is well conditioned again
    (smallest singular value >= COMMIT_RATIO); W is compressed to N columns with the same W Wᴴ
    when it grows wider (A can stay near-singular while y crosses a region where the orbital
    responsible has no weight). B therefore only ever holds the inverse of a well-conditioned A.
    """
    n = samples.grid.shape[-1]
    dtype = samples.dtype
    batch = rows.size
    start = samples.take("grid", rows, base)
    # [B | s]: B = A⁻¹ and s = A⁻¹ φ(x0) side by side, so that one product updates both
    state = np.concatenate([np.eye(n, dtype=dtype)[None].repeat(batch, 0), start[:, :, None]], 2)
    inverse, solution = state[:, :, :n], state[:, :, n]
    determinant = np.ones(batch, dtype=dtype)
    pending: dict[int, np.ndarray] = {}
    identity_q = np.eye(samples.weights.size)
    complex_valued = np.iscomplexobj(samples.grid)
    values = np.empty((batch, steps + 1), dtype=dtype)
    values[:, 0] = np.einsum("bi,bi->b", start.conj(), start).real
    position, factor = samples.sweep_indices(base, steps)
    # gather the whole sweep once: (batch, steps, N, q) updates and (batch, steps + 1, N) ends
    sweep_updates = samples.updates[rows[:, None], position[:, :-1]]
    sweep_ends = samples.grid[rows[:, None], position]
    if np.any(factor != 1.0):
        sweep_updates *= factor[:, :-1, None, None]
        sweep_ends *= factor[:, :, None]
    for step in range(steps):
        update = sweep_updates[:, step]  # (batch, N, q)
        update_h = (update.conj() if complex_valued else update).swapaxes(1, 2)
        right = update_h @ state  # [Uᴴ B | Uᴴ s]
        # Woodbury with Uᴴ B as computed for complex φ: rounding makes B slightly non-Hermitian,
        # and substituting (B U)ᴴ lets that part grow from step to step. For real φ, B U =
        # (Uᵀ B)ᵀ saves a third of the work and stays at the 1e-13 of the fresh determinants.
        b_update = inverse @ update if complex_valued else right[:, :, :n].swapaxes(1, 2)
        capacitance = identity_q - right[:, :, :n] @ update
        ratio = np.linalg.det(capacitance)
        special = np.abs(ratio) < COMMIT_RATIO
        if pending:
            special[list(pending)] = True
        if np.any(special):
            capacitance[special] = identity_q
            right[special] = 0.0
            ratio[special] = 1.0
        capacitance_inverse = np.linalg.inv(capacitance)  # |det C| >= 1e-2: well posed
        state += b_update @ (capacitance_inverse @ right)
        determinant *= ratio
        end = sweep_ends[:, step + 1]
        values[:, step + 1] = determinant * np.einsum(
            "bi,bi->b", end.conj() if complex_valued else end, solution
        )
        for member in np.flatnonzero(special):
            columns = update[member]
            if member in pending:
                columns = np.concatenate([pending.pop(member), columns], axis=1)
            if columns.shape[1] > n:  # W Wᴴ has rank <= N: keep N columns with the same W Wᴴ
                weights, vectors = np.linalg.eigh(columns @ columns.conj().T)
                columns = vectors * np.sqrt(np.maximum(weights, 0.0))
            b_columns = inverse[member] @ columns
            small = np.eye(columns.shape[1]) - columns.conj().T @ b_columns
            if np.linalg.svd(small, compute_uv=False).min() >= COMMIT_RATIO:
                columns_h_inverse = columns.conj().T @ inverse[member]
                inverse[member] += b_columns @ np.linalg.solve(small, columns_h_inverse)
                determinant[member] *= np.linalg.det(small)
                solution[member] = inverse[member] @ start[member]
                values[member, step + 1] = determinant[member] * (
                    end[member].conj() @ solution[member]
                )
                continue
            pending[member] = columns
            values[member, step + 1] = determinant[member] * (
                np.linalg.det(small) * (end[member].conj() @ solution[member])
                + (end[member].conj() @ b_columns)
                @ _adjugate(small)
                @ (columns.conj().T @ solution[member])
            )
    return values


def _determinant_sweep(samples: _Samples, rows: np.ndarray, base: np.ndarray, steps: int):
    n = samples.grid.shape[-1]
    values = np.empty((rows.size, steps + 1), dtype=samples.dtype)
    for b, (r, i) in enumerate(zip(rows, base, strict=True)):
        index = np.arange(i, i + steps + 1)
        row = np.full(steps + 1, r)
        start = samples.take("grid", row[:1], index[:1])[0]
        updates = samples.take("updates", row[:-1], index[:-1])  # (S, N, q)
        ends = samples.take("grid", row, index)
        increments = updates @ updates.conj().swapaxes(1, 2)
        bordered = np.zeros((steps, n + 1, n + 1), dtype=samples.dtype)
        bordered[:, 0, 1:] = ends[1:].conj()
        bordered[:, 1:, 0] = start
        bordered[:, 1:, 1:] = np.eye(n) - np.cumsum(increments, axis=0)
        values[b, 0] = np.vdot(start, start).real
        values[b, 1:] = -np.linalg.det(bordered)
    return values


def _check_sweep_size(
    sets: int, bases: int, steps: int, grid_points: int, orbitals: Orbitals, order: int
) -> None:
    """Refuse a batch whose working arrays would exceed ``MAX_SWEEP_VALUES`` values."""
    n = orbitals.coefficients.shape[0]
    values = sets * ((bases * (steps + 1) + grid_points) * n * (order + 1) + bases * n * n)
    if values <= MAX_SWEEP_VALUES:
        return
    raise ValueError(
        f"orbital_sets ({sets} sets) x base_indices ({bases} points) x (steps + 1) "
        f"({steps + 1}), with N = {n} orbitals and {order} quadrature nodes per interval on "
        f"grid_points={grid_points}, needs {values} working values; valid: at most "
        f"{MAX_SWEEP_VALUES} (1 GB): fewer orbital_sets, base_indices or steps"
    )


def density_matrix_rows(
    orbital_sets: list[Orbitals],
    grid_points: int,
    base_indices: Any,
    steps: int,
    method: str = "rank_one",
) -> np.ndarray:
    """γ(x_b, x_b + s h) for s = 0 … steps, for several realisations and base points at once.

    Parameters
    ----------
    orbital_sets : list of Orbitals
        The occupied orbitals of each realisation (same N, L and twist).
    grid_points : int
        Grid size M; h = L/M, x_b = b h.
    base_indices : array_like of int
        Grid indices of the base points x0, shape (B,), shared by all realisations.
    steps : int
        Number of grid steps to advance (1 … M − 1 … any; beyond M the ring is re-traversed).
    method : {"rank_one", "determinant"}
        ``"rank_one"``: Woodbury updates, O(steps · N² q) per row. ``"determinant"``: a fresh
        bordered (N+1)×(N+1) determinant per point, O(steps · N³), the naive baseline.

    Returns
    -------
    numpy.ndarray
        Shape (R, B, steps + 1); real for periodic/antiperiodic orbitals.

    Raises
    ------
    ValueError
        If R (B (steps + 1) + M) N (q + 1) + R B N² exceeds ``MAX_SWEEP_VALUES`` (the working
        arrays, 1 GB), besides the checks of each argument.
    """
    method = choice("method", method, ("rank_one", "determinant"))
    described = "a non-empty list of Orbitals of one N, L and twist"
    if not isinstance(orbital_sets, (list, tuple)) or not orbital_sets:
        raise ValueError(f"orbital_sets={orbital_sets!r} is not {described}")
    for orbitals in orbital_sets:
        instance("orbital_sets", orbitals, Orbitals, described)
    first = orbital_sets[0]
    if any(
        (o.coefficients.shape[0], o.length, o.twist)
        != (first.coefficients.shape[0], first.length, first.twist)
        for o in orbital_sets
    ):
        raise ValueError(f"orbital_sets mix N, L or twist; valid: {described}")
    grid_points = integer("grid_points", grid_points, 8, MAX_GRID_POINTS)
    steps = integer("steps", steps, 1, MAX_GRID_POINTS)
    base = real_array("base_indices", base_indices, 0.0, grid_points - 1).ravel()
    if base.size == 0 or np.any(base != np.round(base)):
        raise ValueError(
            f"base_indices={base_indices!r} is not a non-empty list of grid indices; "
            f"valid: integers in [0, {grid_points - 1}]"
        )
    base = base.astype(int)
    order = max(quadrature_order(o, grid_points) for o in orbital_sets)
    _check_sweep_size(len(orbital_sets), base.size, steps, grid_points, first, order)
    samples = _Samples(orbital_sets, grid_points, order)
    rows = np.repeat(np.arange(len(orbital_sets)), base.size)
    bases = np.tile(base, len(orbital_sets))
    sweep = _rank_one_sweep if method == "rank_one" else _determinant_sweep
    values = sweep(samples, rows, bases, steps)
    return values.reshape(len(orbital_sets), base.size, steps + 1)


def one_body_density_matrix(
    n_particles: int,
    length: float,
    potential: np.ndarray | None = None,
    x0: float = 0.0,
    grid_points: int | None = None,
    boundary: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """γ_Ψ(x0, y) of the N-boson Tonks-Girardeau ground state on a ring, for all grid points y.

    Parameters
    ----------
    n_particles : int
        N >= 1, at most (M − 16)/4.
    length : float
        Ring length L > 0 (units 1/n; n = N/L).
    potential : numpy.ndarray or None
        V(y_i) on the grid y_i = i L/M (None: clean ring). Its length fixes M.
    x0 : float
        First argument of γ; snapped to the nearest grid point, reduced modulo L.
    grid_points : int or None
        M; default ``len(potential)`` or :func:`default_grid_points`.
    boundary : None, "periodic", "antiperiodic" or float
        One-particle boundary condition; None applies Warzel's rule (N odd periodic, N even
        antiperiodic), which gives the bosonic ground state on the periodic ring.

    Returns
    -------
    y : numpy.ndarray
        Grid points y_i = i L/M, shape (M,).
    values : numpy.ndarray
        γ(x0, y_i), units of density (1/length); real for periodic/antiperiodic boundary,
        γ(x0, x0) = ρ(x0), and γ >= 0 in the ground state.

    Notes
    -----
    Cost O(M N² q) after the O(K³) orbital solve (see the module docstring). Accuracy: the
    quadrature to 1e-13 and the orbitals to their ``truncation_error`` (<= 1e-6, exact without
    potential); cross-checked against the brute-force N-particle integral in the tests.
    """
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    length = real_scalar("length", length, *LENGTH_RANGE)
    x0 = real_scalar("x0", x0)
    if potential is not None:
        potential = real_array("potential", potential)
        if potential.ndim != 1:
            raise ValueError(
                f"potential has shape {potential.shape}; valid: a 1D array of grid values"
            )
        if grid_points is None:
            grid_points = potential.size
    if grid_points is None:
        grid_points = default_grid_points(n_particles)
    grid_points = integer(
        "grid_points",
        grid_points,
        4 * n_particles + 16,
        MAX_GRID_POINTS,
        given={"n_particles": n_particles},
    )
    if potential is not None and potential.size != grid_points:
        raise ValueError(
            f"potential has shape {potential.shape}; valid: ({grid_points},) to match grid_points"
        )
    twist = boundary_twist(n_particles, boundary)
    orbitals = lowest_orbitals(n_particles, length, potential, twist=twist)
    spacing = length / grid_points
    base = round(math.fmod(x0, length) / spacing) % grid_points
    row = density_matrix_rows([orbitals], grid_points, [base], grid_points - 1)[0, 0]
    values = np.roll(row, base)
    return np.arange(grid_points) * spacing, values


def density_matrix_map(
    n_particles: int,
    length: float,
    potential: np.ndarray | None = None,
    points: int = 128,
    grid_points: int | None = None,
    boundary: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """γ_Ψ(x_i, x_j) on the square x_i, x_j ∈ {0, h, …, (P − 1) h}, h = L/G: the map of γ.

    Parameters
    ----------
    n_particles, length, boundary
        As in :func:`one_body_density_matrix`.
    potential : numpy.ndarray or None
        V on any uniform grid of the ring of at least 4N + 16 points (None: clean ring).
    points : int
        P, points per side of the map, 8 … 512.
    grid_points : int or None
        G >= P, points of the ring the map's grid belongs to (default P: the whole ring;
        G > P maps the corner [0, P L/G)² at the same cost).

    Returns
    -------
    x : numpy.ndarray
        The P points (units 1/n).
    values : numpy.ndarray
        γ(x_i, x_j), shape (P, P), Hermitian (real symmetric for periodic/antiperiodic
        orbitals); row i equals :func:`one_body_density_matrix` at x0 = x_i on those points.

    Notes
    -----
    P rows from the P base points, each swept P − 1 steps by the rank-q updates: O(P² N² q).
    """
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    length = real_scalar("length", length, *LENGTH_RANGE)
    points = integer("points", points, 8, MAX_MAP_POINTS)
    grid_points = points if grid_points is None else grid_points
    grid_points = integer(
        "grid_points", grid_points, points, MAX_GRID_POINTS, given={"points": points}
    )
    if potential is not None:
        potential = real_array("potential", potential)
        if potential.ndim != 1 or potential.size < 4 * n_particles + 16:
            raise ValueError(
                f"potential has shape {potential.shape}; valid: a 1D array of at least "
                f"{4 * n_particles + 16} grid values"
            )
    twist = boundary_twist(n_particles, boundary)
    orbitals = lowest_orbitals(n_particles, length, potential, twist=twist)
    rows = density_matrix_rows([orbitals], grid_points, np.arange(points), points - 1)[0]
    index = np.arange(points)
    offset = index[None, :] - index[:, None]  # j − i
    upper = offset >= 0
    values = np.zeros((points, points), dtype=rows.dtype)
    values[upper] = rows[np.nonzero(upper)[0], offset[upper]]
    lower = ~upper
    values[lower] = values.T[lower].conj()
    return index * (length / grid_points), values
