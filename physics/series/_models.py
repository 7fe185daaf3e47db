"""Model-dependent constants of the resolvent method (Mariño–Reis, arXiv:1905.09575).

Lieb–Liniger (LL, bosons, Eqs. 2–4, 16) and attractive Gaudin–Yang (GY, fermions, Eqs. 5–7, 18)
differ only in a handful of integers and signs; this module collects them in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MODELS", "ModelSpec"]


@dataclass(frozen=True)
class ModelSpec:
    """Bookkeeping of one model's bulk ansatz and series.

    Attributes
    ----------
    name
        ``"lieb-liniger"`` or ``"gaudin-yang"``.
    nu_offset
        ν = n + ``nu_offset``: power of (x² − B²)^{−ν} in the bulk ansatz (Eq. 16: ½; Eq. 18: 0).
    parity_shift
        p(k) = (k + ``parity_shift``) mod 2 (Eq. 16: p = k mod 2; Eq. 18: p = (k − 1) mod 2).
    first_row
        Smallest n of the proper bulk coefficients c_{n,m,k} (LL 0, GY 1).
    k_extra
        c_{n,m,k} exists for k ≤ n + m + ``k_extra`` (LL 1, GY 0).
    """

    name: str
    nu_offset: float
    parity_shift: int
    first_row: int
    k_extra: int

    def parity(self, k: int) -> int:
        """p(k): power of u = x/B multiplying ℓ^k in the bulk ansatz."""
        return (k + self.parity_shift) % 2

    def levels_needed(self, order: int) -> int:
        """Highest bulk level N = n + m needed for c_0 … c_order (LL order − 1, GY order)."""
        return order - 1 if self.name == "lieb-liniger" else order


MODELS: dict[str, ModelSpec] = {
    "lieb-liniger": ModelSpec("lieb-liniger", 0.5, 0, 0, 1),
    "gaudin-yang": ModelSpec("gaudin-yang", 0.0, 1, 1, 0),
}
