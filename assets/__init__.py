"""Data shipped with Quantum Gas Explorer (package data, located with :mod:`importlib.resources`).

``series/<model>.json``: the certified weak-coupling coefficient tables written by
``qgas coefficients`` and read by :mod:`physics.series`.

``lessons/<name>.toml``: the lessons shipped with the dashboard (:mod:`dashboard.lessons`).
"""
