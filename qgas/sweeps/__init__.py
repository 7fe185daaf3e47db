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

import importlib
from typing import Any

#: Public name -> defining module. Imported on first use (PEP 562), so that a worker process,
#: which needs only :mod:`qgas.sweeps.tasks`, does not pay for xarray, tqdm or Dask.
_EXPORTS = {
    "DaskExecutor": "executors",
    "Observable": "registry",
    "Output": "registry",
    "Parameter": "registry",
    "ProcessExecutor": "executors",
    "Registry": "registry",
    "SerialExecutor": "executors",
    "SweepConfig": "config",
    "config_from_mapping": "config",
    "load_config": "config",
    "make_executor": "executors",
    "open_sweep": "dataset",
    "prepare_sweep": "runner",
    "run_sweep": "runner",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'qgas.sweeps' has no attribute {name!r}")
    return getattr(importlib.import_module(f"qgas.sweeps.{_EXPORTS[name]}"), name)
