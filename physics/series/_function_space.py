"""The function space of boundary values of the bulk ansatz and its derivative.

On the cut −1 < u < 1 (u = x/B) the bulk ansatz of Mariño–Reis (arXiv:1905.09575, Eqs. 16, 18)
takes boundary values in V = span{u^ε s^{−e} L^a}, with s = √(1 − u²), L = log((1 − u)/(1 + u)),
ε ∈ {0, 1}, a ≥ 0 and e = 2n + 2ν₀ (ν₀ = ½ for Lieb–Liniger, 0 for Gaudin–Yang). Reducing
u² = 1 − s² makes the basis independent, and V is closed under d/du (s' = −u/s, L' = −2/s²):

* ∂(s^{−e} P(L))   = e u s^{−e−2} P − 2 s^{−e−2} P',
* ∂(u s^{−e} P(L)) = (1 − e) s^{−e} P + e s^{−e−2} P − 2 u s^{−e−2} P'.

An element is stored row by row: ``polys[part][ε][i]`` is the polynomial in L (a flint ``arb_poly``)
multiplying u^ε s^{−e}, e = 2(n0 + i) + e_offset; ``part`` indexes independent real elements (the
real and imaginary part of a boundary value). Polynomial operations run in C, so one derivative
costs a few calls per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import arb_poly

__all__ = ["SpaceElement", "derivative"]


@dataclass(frozen=True)
class SpaceElement:
    """Elements Σ_{ε,i} polys[part][ε][i](L) u^ε s^{−(2(n0+i)+e_offset)} of V."""

    n0: int
    e_offset: int
    polys: list[list[list[arb_poly]]]

    @property
    def rows(self) -> int:
        return len(self.polys[0][0])

    @property
    def cols(self) -> int:
        return max(p.length() for part in self.polys for eps in part for p in eps)


def derivative(element: SpaceElement) -> SpaceElement:
    """d/du of every part of an element of V; adds one row (n → n + 1)."""
    rows = element.rows
    out = []
    for even, odd in element.polys:
        new_even = [arb_poly([]) for _ in range(rows + 1)]
        new_odd = [arb_poly([]) for _ in range(rows + 1)]
        for i in range(rows):
            e = 2 * (element.n0 + i) + element.e_offset
            p0, p1 = even[i], odd[i]
            new_odd[i + 1] = e * p0 - 2 * p1.derivative()
            new_even[i + 1] += e * p1 - 2 * p0.derivative()
            new_even[i] += (1 - e) * p1
        out.append([new_even, new_odd])
    return SpaceElement(element.n0, element.e_offset, out)
