"""From the bulk coefficients to e(γ): moments, elimination of B, re-expansion
(``docs/physics/weak-coupling-method.md`` §8).

With t = 1/B and the large-u expansion u^p(u² − 1)^{−ν}ℓ^k = (−2)^k v^{2ν−p+k}[1 + (ν + k/3)v² + …]:

* LL: ⟨1⟩ = πB²(1 + A), A = (1/π) Σ_N (c_{0,N,0} − 2c_{0,N,1}) t^{N+1} (Eq. 19);
  ⟨x²⟩ = B⁴(π/4 + Σ_N X_N t^{N+1}); √γ = 2t(1 + A)^{−1/2};
  e/γ = (4/π)(π/4 + Σ X_N t^{N+1})(1 + A)^{−2}.
* GY: ⟨1⟩ = 2B(1 + Y/2), Y = Σ_N c_{1,N−1,0} t^N; ⟨x²⟩ = B³(2/3 + Σ_N Z_N t^N);
  γ = (π/2) t (1 + Y/2)^{−1}; e = −γ²/4 + (π²/8)(2/3 + Σ Z_N t^N)(1 + Y/2)^{−3}.

t(y) follows by series reversion of y = √γ (LL) or γ (GY); composing gives the c_k of Eq. (31).
"""

from __future__ import annotations

from flint import arb, arb_series

from physics.series._resolvent import BulkSolution

__all__ = ["energy_coefficients"]


def energy_coefficients(solution: BulkSolution, order: int) -> list[arb]:
    """c_0 … c_order of Eq. (31) from one :class:`BulkSolution` (current flint context)."""
    c = solution.coefficient
    pi = arb.pi()
    length = order + 1
    if solution.spec.name == "lieb-liniger":
        moment0 = [arb(0)] * length
        moment2 = [arb(0)] * length
        moment0[0] = arb(1)
        moment2[0] = pi / 4
        for level in range(order):
            moment0[level + 1] = (c(0, level, 0) - 2 * c(0, level, 1)) / pi
            moment2[level + 1] = (
                c(0, level, 0) / 2
                - c(0, level, 1) * 5 / 3
                + 4 * c(0, level, 2)
                - 8 * c(0, level, 3)
                + c(1, level - 1, 0)
                - 2 * c(1, level - 1, 1)
            )
        one_plus_a = arb_series(moment0)
        y_over_t = 2 * one_plus_a.rsqrt()
        energy = (4 / pi) * arb_series(moment2) / (one_plus_a * one_plus_a)
    else:
        half_density = [arb(1)] + [c(1, level - 1, 0) / 2 for level in range(1, length)]
        moment2 = [arb(2) / 3] + [
            c(1, level - 1, 0)
            - 2 * c(1, level - 1, 1)
            + 4 * c(1, level - 1, 2)
            + c(2, level - 2, 0)
            for level in range(1, length)
        ]
        one_plus_y = arb_series(half_density)
        y_over_t = (pi / 2) / one_plus_y
        energy = (pi**2 / 8) * arb_series(moment2) / (one_plus_y * one_plus_y * one_plus_y)
    y_of_t = arb_series([0, *list(y_over_t.coeffs())[: length - 1]])
    t_of_y = y_of_t.reversion()
    coefficients = list(energy(t_of_y).coeffs())[:length]
    coefficients += [arb(0)] * (length - len(coefficients))
    if solution.spec.name == "gaudin-yang" and length > 2:
        coefficients[2] -= arb(1) / 4
    return coefficients
