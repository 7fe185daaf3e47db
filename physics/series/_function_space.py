"""The function space of boundary values of the bulk ansatz and its derivative.

On the cut −1 < u < 1 (u = x/B) the bulk ansatz of Mariño–Reis (arXiv:1905.09575, Eqs. 16, 18)
takes boundary values in V = span{u^ε s^{−e} L^a}, with s = √(1 − u²), L = log((1 − u)/(1 + u)),
ε ∈ {0, 1}, a ≥ 0 and e = 2n + 2ν₀ (ν₀ = ½ for Lieb–Liniger, 0 for Gaudin–Yang). Reducing u² = 1 − s²
makes the basis independent, and V is closed under d/du (s' = −u/s, L' = −2/s²):

* ∂(s^{−e} L^a)   = e u s^{−e−2} L^a − 2a s^{−e−2} L^{a−1},
* ∂(u s^{−e} L^a) = (1 − e) s^{−e} L^a + e s^{−e−2} L^a − 2a u s^{−e−2} L^{a−1}.

An element of V is stored as an object array ``data[..., ε, i, a]`` of ``arb`` with row i ↔ n = n0 + i;
leading axes (e.g. real and imaginary part) are carried along.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics.series._arb import zeros

__all__ = ["SpaceElement", "add_into", "derivative"]


@dataclass(frozen=True)
class SpaceElement:
    """Elements Σ data[..., ε, i, a] u^ε s^{−(2(n0+i)+e_offset)} L^a of V."""

    n0: int
    e_offset: int
    data: np.ndarray

    @property
    def rows(self) -> int:
        return self.data.shape[-2]

    @property
    def cols(self) -> int:
        return self.data.shape[-1]


def derivative(element: SpaceElement) -> SpaceElement:
    """d/du of an element of V (exact: the map has integer coefficients); adds one row of n."""
    x = element.data
    rows, cols = element.rows, element.cols
    e = np.array([2 * (element.n0 + i) + element.e_offset for i in range(rows)], dtype=object)
    e_col = e[:, None]
    minus_2a = np.array([-2 * a for a in range(1, cols)], dtype=object)[None, :]
    x0, x1 = x[..., 0, :, :], x[..., 1, :, :]
    y = zeros((*x.shape[:-2], rows + 1, cols))
    y0, y1 = y[..., 0, :, :], y[..., 1, :, :]
    y1[..., 1:, :] += e_col * x0
    y0[..., 1:, :] += e_col * x1
    y0[..., :-1, :] += (1 - e_col) * x1
    if cols > 1:
        y0[..., 1:, :-1] += minus_2a * x0[..., :, 1:]
        y1[..., 1:, :-1] += minus_2a * x1[..., :, 1:]
    return SpaceElement(element.n0, element.e_offset, y)


def add_into(target: np.ndarray, target_n0: int, n0: int, data: np.ndarray, weight) -> None:
    """target[ε, n − target_n0, a] += weight · data[ε, n − n0, a] in place (target covers data)."""
    i0 = n0 - target_n0
    target[..., i0 : i0 + data.shape[-2], : data.shape[-1]] += weight * data
