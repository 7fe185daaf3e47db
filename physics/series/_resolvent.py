"""Bulk coefficients c_{n,m,k} and edge coefficients Q_{n,m} by matching (Mariño–Reis, Eqs. 13–28).

Level by level in N = n + m (``docs/physics/weak-coupling-method.md`` §3–§6):

1. the bulk difference equation (Eq. 13), in real form on the cut, fixes every c_{n,N−n,k} with
   k ≥ 1 from the derivatives ∂^{N−N'} F_{N'} of earlier levels (kept as a tower, differentiated
   once per level);
2. the log⁰ s part of the matching equation (M = N − n, j = n) fixes c_{n,N−n,0}, n descending
   (pivot κ(n, 0, 0) = 1/Γ(ν));
3. the matching equations (M, j < 0 or ≤ 0) fix the edge coefficients Q (pivot φ̄_0 = 1).

log B is replaced by a number λ₀ throughout (§7): the final series in γ cannot depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from flint import arb, arb_mat, arb_poly

from physics.series._arb import zeros
from physics.series._edge import LaplaceMap, edge_phi_bar
from physics.series._function_space import SpaceElement, derivative
from physics.series._models import ModelSpec

__all__ = ["BulkSolution", "solve_levels"]


@dataclass
class BulkSolution:
    """Coefficients of one run: ``levels[N] = (n0, c)`` with c[n − n0, k] = c_{n,N−n,k}."""

    spec: ModelSpec
    levels: dict[int, tuple[int, np.ndarray]] = field(default_factory=dict)
    edge: dict[int, list[arb]] = field(default_factory=dict)
    bulk_residual: float = 0.0

    def coefficient(self, n: int, m: int, k: int) -> arb:
        """c_{n,m,k} (zero where the ansatz has no such term)."""
        level = n + m
        if level not in self.levels:
            return arb(0)
        n0, c = self.levels[level]
        i = n - n0
        if 0 <= i < c.shape[0] and 0 <= k < c.shape[1]:
            return c[i, k]
        return arb(0)


_midpoints = np.frompyfunc(lambda x: x.mid(), 1, 1)


def _binomial_pi_matrices(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Real and imaginary parts of C(k, a)(iπ)^{k−a}, indexed [k, a] (expansion of (L + iπ)^k)."""
    pi = arb.pi()
    real = zeros((size, size))
    imag = zeros((size, size))
    for k in range(size):
        for a in range(k + 1):
            q = k - a
            value = arb.bin_uiui(k, a) * pi**q
            if q % 2 == 0:
                real[k, a] = value * (-1) ** (q // 2)
            else:
                imag[k, a] = value * (-1) ** ((q - 1) // 2)
    return real, imag


class _Solver:
    """State of one level-by-level solution: coefficients so far, derivative towers, κ cache."""

    def __init__(self, spec: ModelSpec, n_max: int, log_b: arb):
        self.spec = spec
        self.n_max = n_max
        self.e_offset = round(2 * spec.nu_offset)
        self.k_len = n_max + spec.k_extra + 2
        self.laplace = LaplaceMap(spec, log_b, self.k_len)
        self.phi = [x.mid() for x in edge_phi_bar(spec, n_max + 4)]
        self.sqrt_pi = arb.pi().sqrt()
        self.w_real, self.w_imag = (_midpoints(w) for w in _binomial_pi_matrices(self.k_len))
        self.parity = np.array([spec.parity(k) for k in range(self.k_len)])
        self.solution = BulkSolution(spec)
        self.towers: list[tuple[int, SpaceElement]] = []
        self._pending_target: tuple[int, np.ndarray] = (0, zeros((2, 0, 0)))

    # --- matching equations (log⁰ s parts) ---------------------------------------------------
    def bulk_side(self, big_m: int, j: int) -> arb:
        """Σ c_{n',m',k} κ(n', M − m', k) over level N' = M + j (Eq. 25, Laplace-mapped)."""
        level = big_m + j
        if level not in self.solution.levels:
            return arb(0)
        n0, c = self.solution.levels[level]
        first = max(n0, j)
        last = min(n0 + c.shape[0] - 1, j + big_m)
        if last < first:
            return arb(0)
        block = self.laplace.kappa_block(j, first - j, last - j)
        coefficients = c[first - n0 : last - n0 + 1]
        return np.dot(coefficients.ravel(), block[:, : c.shape[1]].ravel())

    def edge_side(self, big_m: int, j: int) -> arb:
        """log⁰ s coefficient of B^{−M} s^{j−1/2} (LL, / √π) or s^{j−1} (GY) in R̂ (Eqs. 22–24)."""
        shift = 1 if self.spec.name == "lieb-liniger" else 0
        if big_m == 0:
            return self.phi[j + shift] if j + shift >= 0 else arb(0)
        q = self.solution.edge[big_m]
        return sum(
            (q[n] * self.phi[j + n + shift] for n in range(max(0, -j - shift), len(q))), arb(0)
        )

    def solve_edge(self, big_m: int) -> None:
        """Q at edge order M from the equations (M, j = −n − shift), n descending."""
        shift = 1 if self.spec.name == "lieb-liniger" else 0
        count = big_m + 1 if shift else big_m
        scale = self.sqrt_pi if shift else arb(1)
        q = [arb(0)] * count
        self.solution.edge[big_m] = q
        for n in reversed(range(count)):
            known = self.edge_side(big_m, -n - shift)
            q[n] = ((self.bulk_side(big_m, -n - shift) / scale - known) / self.phi[0]).mid()

    def solve_kernel(self, level: int) -> None:
        """c_{n,N−n,0}, n descending, from the equations (M = N − n, j = n)."""
        n0, c = self.solution.levels[level]
        scale = self.sqrt_pi if self.spec.name == "lieb-liniger" else arb(1)
        for n in reversed(range(n0, n0 + c.shape[0])):
            residual = scale * self.edge_side(level - n, n) - self.bulk_side(level - n, n)
            c[n - n0, 0] = (residual / self.laplace.kappa_block(n, 0, 0)[0, 0]).mid()

    # --- bulk difference equation ---------------------------------------------------------------
    def imaginary_source(self, level: int) -> tuple[int, np.ndarray]:
        """Im F_N from the towers ∂^{N−N'} F_{N'} (Eq. 13 in real form; method §3)."""
        self.towers = [(lv, derivative(el)) for lv, el in self.towers]
        n_lo = min(el.n0 for _, el in self.towers)
        n_hi = max(el.n0 + el.rows for _, el in self.towers)
        rows = [[arb_poly([]) for _ in range(n_hi - n_lo)] for _ in range(2)]
        bosons = self.spec.name == "lieb-liniger"
        for lv, el in self.towers:
            d = level - lv
            if bosons:
                weight = arb(1) / arb.fac_ui(d + 1)
                part, sign = (0, (-1) ** ((d + 1) // 2)) if d % 2 else (1, (-1) ** ((d + 2) // 2))
            else:
                weight = -arb(1) / (2 * arb.fac_ui(d))
                part, sign = (0, (-1) ** ((d - 1) // 2)) if d % 2 else (1, (-1) ** (d // 2))
            weight = weight * sign
            for eps in (0, 1):
                for i, poly in enumerate(el.polys[part][eps]):
                    rows[eps][el.n0 - n_lo + i] += weight * poly
        cols = max(max(p.length() for eps in rows for p in eps), level + self.spec.k_extra + 1)
        target = zeros((2, n_hi - n_lo, cols))
        for eps in (0, 1):
            for i, poly in enumerate(rows[eps]):
                coeffs = poly.coeffs()
                target[eps, i, : len(coeffs)] = coeffs
        return n_lo, target

    def solve_bulk(self, level: int) -> None:
        """c_{n,N−n,k}, k ≥ 1, by triangular decomposition of Im F_N in the L^a basis."""
        n_lo, target = self.imaginary_source(level)
        n0 = self.spec.first_row
        rows = level + 1 - n0
        k_max = level + self.spec.k_extra
        c = zeros((rows, k_max + 1))
        sign = np.array([(-1) ** n for n in range(n0, n0 + rows)], dtype=object)
        i0 = n0 - n_lo
        for a in reversed(range(k_max)):
            eps = self.parity[a + 1]
            column = target[eps, i0 : i0 + rows, a]
            known = (
                np.dot(c[:, a + 2 :], self.w_imag[a + 2 : k_max + 1, a]) if a + 2 <= k_max else 0
            )
            c[:, a + 1] = _midpoints((sign * column - known) / self.w_imag[a + 1, a])
        self.solution.levels[level] = (n0, c)
        self._pending_target = (n_lo, target)

    def assemble(self, level: int) -> tuple[SpaceElement, np.ndarray]:
        """(Re F_N, Im F_N) in the basis of V from the level's coefficients (and Im as an array)."""
        n0, c = self.solution.levels[level]
        rows, cols = c.shape
        dense = zeros((2, 2, rows, cols))
        sign = np.array([(-1) ** n for n in range(n0, n0 + rows)], dtype=object)[:, None]
        for eps in (0, 1):
            ks = np.nonzero(self.parity[:cols] == eps)[0]
            if ks.size == 0:
                continue
            block = arb_mat(c[:, ks].tolist())
            for part, weights in enumerate((self.w_real, self.w_imag)):
                product = block * arb_mat(weights[np.ix_(ks, range(cols))].tolist())
                dense[part, eps] = sign * np.array(product.tolist(), dtype=object)
        polys = [
            [[arb_poly(list(dense[part, eps, i])) for i in range(rows)] for eps in (0, 1)]
            for part in (0, 1)
        ]
        return SpaceElement(n0, self.e_offset, polys), dense[1]

    def check_bulk(self, imaginary: np.ndarray, n0: int) -> None:
        """Record max |Im F_N(target) − Im F_N(ansatz)|: the non-representable remainder."""
        n_lo, diff = self._pending_target
        diff = diff.copy()
        i0 = n0 - n_lo
        diff[:, i0 : i0 + imaginary.shape[1], : imaginary.shape[2]] -= imaginary
        worst = max(abs(float(x.mid())) for x in diff.ravel())
        self.solution.bulk_residual = max(self.solution.bulk_residual, worst)

    def add_level(self, level: int, c: np.ndarray, n0: int) -> None:
        self.solution.levels[level] = (n0, c)
        self.towers.append((level, self.assemble(level)[0]))

    def run(self) -> BulkSolution:
        bosons = self.spec.name == "lieb-liniger"
        if bosons:
            pseudo = zeros((1, 1))
            pseudo[0, 0] = -2 * arb.pi()
            self.add_level(-1, pseudo, -1)
            first = 0
        else:
            pseudo = zeros((1, 2))
            pseudo[0, 1] = arb(-1)
            self.add_level(0, pseudo, 0)
            first = 1
        for level in range(first, self.n_max + 1):
            if bosons and level >= 1:
                self.solve_edge(level)
            self.solve_bulk(level)
            self.solve_kernel(level)
            element, imaginary = self.assemble(level)
            self.check_bulk(imaginary, element.n0)
            self.towers.append((level, element))
            if not bosons and level < self.n_max:
                self.solve_edge(level)
        return self.solution


def solve_levels(spec: ModelSpec, n_max: int, log_b: arb) -> BulkSolution:
    """Bulk coefficients of levels ≤ ``n_max`` and the edge coefficients Q, at log B → ``log_b``.

    Runs in the current flint context (precision and series length set by the caller).
    """
    return _Solver(spec, n_max, log_b).run()
