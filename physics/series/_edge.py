"""Edge solution and the Γ-regularised Laplace map, log⁰ s parts only.

Near the edge z = 2(x − B) the resolvent is a Laplace transform R(z) = ∫ R̂(s) e^{−sz} ds with
R̂ = Φ(s)(1/s + Q(s)) (Mariño–Reis, arXiv:1905.09575, Eqs. 20–24). All matching equations are
polynomials in log s; setting log s → 0 is a ring homomorphism, so only the log⁰ parts are needed:

* φ̄(s) = φ(s)|_{log s = 0}: LL exp[(s/π)(1 + log π)] Γ(1 + s/π);
  GY π^{−½} exp[(s/π)(1 + log π)] Γ(½ + s/π).
* The bulk term c_{n,m,k} u^p (u² − 1)^{−ν} ℓ^k, expanded at u = 1 + w/2 (w = z/B), contributes
  c · κ(n, r, k) to the (M = m + r, j = n − r) equation, with
  κ(n, r, k) = k! [δ^k] P̃_{ν,r,p}(δ) e^{−c₀δ} / Γ(ν − r − δ),
  P_{ν,r}(δ) = Π_{i<r}(−ν − i − δ)/(r! 4^r), P̃_{ν,r,p} = P_{ν,r} + (p/2) P_{ν,r−1},
  c₀ = log 4 + λ₀ where λ₀ is the number substituted for log B
  (``docs/physics/weak-coupling-method.md`` §5, §7).
"""

from __future__ import annotations

import numpy as np
from flint import arb, arb_series

from physics.series._models import ModelSpec

__all__ = ["LaplaceMap", "edge_phi_bar"]


def edge_phi_bar(spec: ModelSpec, length: int) -> list[arb]:
    """Taylor coefficients φ̄_0 … φ̄_{length−1} of φ(s)|_{log s=0} (Eq. 23 without √(πB/s))."""
    pi = arb.pi()
    exponent = arb_series([0, (1 + pi.log()) / pi])
    gamma_arg = arb_series([arb(0.5) + spec.nu_offset, 1 / pi])
    series = exponent.exp() * gamma_arg.gamma()
    if spec.nu_offset == 0.0:
        series = series / pi.sqrt()
    return _padded(series, length)


def _padded(series: arb_series, length: int) -> list[arb]:
    coeffs = list(series.coeffs())[:length]
    return coeffs + [arb(0)] * (length - len(coeffs))


class LaplaceMap:
    """Cached κ(n, r, ·) vectors (over k = 0 … k_len − 1) at a fixed substitute λ₀ for log B."""

    def __init__(self, spec: ModelSpec, log_b: arb, k_len: int):
        self._spec = spec
        self._k_len = k_len
        self._c0 = arb(4).log() + log_b
        self._factorials = np.array([arb.fac_ui(k) for k in range(k_len)], dtype=object)
        self._parity_mask = np.array([spec.parity(k) for k in range(k_len)], dtype=bool)
        self._g_cache: dict[int, arb_series] = {}
        self._p_cache: dict[int, list[arb_series]] = {}
        self._blocks: dict[int, tuple[np.ndarray, list[int]]] = {}
        self._n_min = -1 if spec.name == "lieb-liniger" else 0

    def _g(self, j: int) -> arb_series:
        """e^{−c₀δ}/Γ(j + ν₀ − δ) as a series in δ."""
        if j not in self._g_cache:
            x0 = arb(j) + arb(self._spec.nu_offset)
            rgamma = arb_series([x0, -1]).rgamma()
            self._g_cache[j] = rgamma * arb_series([0, -self._c0]).exp()
        return self._g_cache[j]

    def _p(self, n: int, r: int) -> arb_series:
        """P_{ν,r}(δ) for ν = n + ν₀, built by P_{ν,r} = P_{ν,r−1}(−ν − r + 1 − δ)/(4r)."""
        cache = self._p_cache.setdefault(n, [arb_series([1])])
        nu = arb(n) + arb(self._spec.nu_offset)
        while len(cache) <= r:
            q = len(cache)
            cache.append(cache[-1] * arb_series([-nu - (q - 1), -1]) / (4 * q))
        return cache[r]

    def _kappa(self, n: int, r: int) -> np.ndarray:
        """κ(n, r, k) for k = 0 … k_len − 1 (object array of arb)."""
        g = self._g(n - r)
        even = self._p(n, r) * g
        odd = even + self._p(n, r - 1) * g / 2 if r >= 1 else even
        values = np.where(
            self._parity_mask,
            np.array(_padded(odd, self._k_len), dtype=object),
            np.array(_padded(even, self._k_len), dtype=object),
        )
        return values * self._factorials

    def kappa_block(self, j: int, r_first: int, r_last: int) -> np.ndarray:
        """Rows κ(j + r, r, ·) for r = r_first … r_last (all entries of one matching equation).

        Rows are built lazily from r = max(0, n_min − j) on, n_min = −1 (LL) or 0 (GY) being the
        smallest n of the ansatz including the leading pseudo-coefficient.
        """
        r_min = max(0, self._n_min - j)
        if j not in self._blocks:
            self._blocks[j] = (np.empty((self._k_len + 2, self._k_len), dtype=object), [r_min])
        block, filled = self._blocks[j]
        for r in range(filled[0], r_last + 1):
            block[r - r_min] = self._kappa(j + r, r)
        filled[0] = max(filled[0], r_last + 1)
        return block[r_first - r_min : r_last - r_min + 1]
