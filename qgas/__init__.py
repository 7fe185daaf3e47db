"""Quantum Gas Explorer: command-line entry points and orchestration (serving, tables, sweeps).

The physics lives in :mod:`physics` (no UI imports), the Panel views in :mod:`dashboard`.
This package glues them to the command line; it holds no physics of its own.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("quantum-gas-explorer")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
