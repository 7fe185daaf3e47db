"""Parameter sweeps of physics observables: declarative, resumable, local or on Dask.

Modules, one purpose each:

- :mod:`~qgas.sweeps.registry` -- :class:`Observable`/:class:`Parameter` declarations.
- :mod:`~qgas.sweeps.observables` -- the project's registered observables (``REGISTRY``).
- :mod:`~qgas.sweeps.config` -- TOML/flag configurations and their validation.
- :mod:`~qgas.sweeps.tasks` -- per-grid-point tasks, their seeds, the worker function.
- :mod:`~qgas.sweeps.executors` -- serial, local-process and Dask executors.
- :mod:`~qgas.sweeps.checkpoint`, :mod:`~qgas.sweeps.files` -- atomic checkpoints and files.
- :mod:`~qgas.sweeps.dataset` -- the output :class:`xarray.Dataset` and its provenance.
- :mod:`~qgas.sweeps.runner` -- checks, execution loop, progress bar, resume.

The command line is ``qgas sweep`` (:mod:`qgas.commands.sweep`); see ``docs/sweeps.md``.
"""

from qgas.sweeps.config import SweepConfig, config_from_mapping, load_config
from qgas.sweeps.dataset import open_sweep
from qgas.sweeps.executors import DaskExecutor, ProcessExecutor, SerialExecutor, make_executor
from qgas.sweeps.registry import Observable, Output, Parameter, Registry
from qgas.sweeps.runner import prepare_sweep, run_sweep

__all__ = [
    "DaskExecutor",
    "Observable",
    "Output",
    "Parameter",
    "ProcessExecutor",
    "Registry",
    "SerialExecutor",
    "SweepConfig",
    "config_from_mapping",
    "load_config",
    "make_executor",
    "open_sweep",
    "prepare_sweep",
    "run_sweep",
]
