"""Physics backend of Quantum Gas Explorer (numpy, scipy, mpmath; never a UI import).

Units: ħ = 2m = 1, k_B = 1, density n = 1 unless stated (``docs/physics/conventions.md``).

Modules, one per model:

- :mod:`physics.lieb_liniger` -- Lieb's equation, e(gamma), derivatives, mu, sound velocity.
- :mod:`physics.gaudin_yang` -- attractive Gaudin-Yang e_F(gamma).
- :mod:`physics.gaudin_yang_repulsive` -- balanced repulsive Gaudin-Yang e(gamma) (Takahashi).
- :mod:`physics.spin_gap` -- spin gap Delta_s(gamma) of the attractive Gaudin-Yang gas.
- :mod:`physics.polaron` -- polaron inverse mass ratio m/m*.
- :mod:`physics.series`, :mod:`physics.resurgence` -- weak/strong coupling series, Borel analysis.
- :mod:`physics.tonks_girardeau` -- disordered Tonks-Girardeau gas, one-body density matrix.
- :mod:`physics.lattice` -- Yukalov's optical lattice / quantum crystal classification.
"""
