"""Colours that mean the same thing in every view (the phase map and the Sweeps explorer)."""

from __future__ import annotations

from collections.abc import Sequence

from physics import lattice

__all__ = ["STATE_COLOURS", "category_colours"]

#: One colour per label of ``physics.lattice.STATES`` (same order): the four states in strong
#: colours, the Lindemann-unstable crystal in orange, the crossovers in three greys of
#: different lightness and tint, told apart side by side and in greyscale print.
STATE_COLOURS = (
    "#4c9be8",  # conducting optical lattice
    "#2ca25f",  # insulating optical lattice
    "#b39ddb",  # delocalized quantum crystal
    "#7b1fa2",  # localized quantum crystal
    "#fb8c00",  # Lindemann-unstable crystal
    "#cfd8dc",  # crossover: T_D ≈ ω (light blue-grey)
    "#bcaaa4",  # crossover: T_D ≈ E_K (brown-grey)
    "#546e7a",  # crossover: T_D ≈ ω ≈ E_K (dark slate)
)


def category_colours(categories: Sequence[str], fallback: Sequence[str]) -> list[str]:
    """One colour per category: the lattice states in their phase-map colours (Sweeps drew
    them in other colours), any other categories in the ``fallback`` palette's order."""
    if tuple(categories) == tuple(lattice.STATES):
        return list(STATE_COLOURS)
    return [fallback[index % len(fallback)] for index in range(len(categories))]
