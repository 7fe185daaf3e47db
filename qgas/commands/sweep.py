"""``qgas sweep``: evaluate a physics observable on a parameter grid into a NetCDF file.

``qgas sweep CONFIG.toml`` runs the sweep a TOML file declares (see docs/sweeps.md and the
examples in docs/sweeps/); simple sweeps can be given as flags instead::

    qgas sweep --observable lieb_liniger.ground_state_energy \\
        --grid gamma=log:0.01:100:41 --output energy.nc

Every check runs before any work; a bad input exits with status 2 and one line naming it, the
value and the valid range (limits: :mod:`qgas.sweeps.config`). Ctrl-C checkpoints the finished
grid points and exits with status 130; ``--resume`` continues. A grid point that the observable
refuses when it runs (a ``ValueError`` no check could foresee) also stops the sweep with status
2, keeping the finished points; ``--resume`` is not advised (it would stop there again). A Dask
scheduler that cannot be reached or has no workers (refused within seconds, before any work),
is lost while the sweep runs, or whose workers keep dying on a batch (the finished points are
kept; ``--resume`` continues) ends the sweep with status 2 and one line naming its address and
what happened. Any other failure exits with status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import Any

from qgas.commands import report_error
from qgas.interrupts import EXIT_INTERRUPTED, interrupts_ignored

HELP = "Sweep a physics observable over a parameter grid into NetCDF (local or Dask)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", nargs="?", help="TOML sweep configuration (see docs/sweeps.md)")
    simple = parser.add_argument_group("simple sweeps without a config file")
    simple.add_argument("--observable", help="registered observable name (see --list)")
    simple.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="NAME=SPEC",
        help="swept parameter: NAME=START:STOP:NUM, NAME=log:START:STOP:NUM or NAME=V1,V2,... "
        "(repeatable; one output dimension each, in order)",
    )
    simple.add_argument(
        "--fixed", action="append", default=[], metavar="NAME=VALUE", help="fixed parameter"
    )
    parser.add_argument(
        "--seed", help="root seed of random observables, 0 to 2**63 - 1 (overrides the config)"
    )
    parser.add_argument("-o", "--output", help="NetCDF file to write (overrides the config)")
    parser.add_argument(
        "--workers",
        help="local worker processes, at most 4 per CPU (default: config, else the number of "
        "CPUs; 1 = in process)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        # The times are executors.SCHEDULER_CONNECT_TIMEOUT_S and WORKER_WAIT_S (not imported:
        # --help stays fast).
        help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:PORT, e.g. "
        "tcp://host:8786); refused if no Dask scheduler answers there within 3 s, or if no "
        "worker has joined it within 5 s",
    )
    parser.add_argument("--batch-size", help="grid points per submitted task (default: automatic)")
    parser.add_argument(
        "--checkpoint-interval",
        help="seconds between checkpoints while running, 0 to 3600 (default 5; 0 = after every "
        "batch)",
    )
    parser.add_argument("--resume", action="store_true", help="continue an interrupted sweep")
    parser.add_argument(
        "--force", action="store_true", help="overwrite an existing output or checkpoint"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--list", action="store_true", help="list the observables and exit")


def _pair(flag: str, text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise ValueError(f"{flag} {text!r} must be NAME=VALUE")
    return name, value


def _unique(flag: str, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for name, value in pairs:
        if name in entries:
            raise ValueError(f"{flag} {name}=... is given twice; give each parameter once")
        entries[name] = value
    return entries


def _config(args: argparse.Namespace, registry: Any) -> Any:
    from pathlib import Path

    from qgas.bounds import bounded_integer
    from qgas.sweeps.config import (
        MAX_SEED,
        config_from_mapping,
        load_config,
        parse_grid_flag,
        parse_value,
    )

    overrides: dict[str, Any] = {}
    if args.output is not None:
        if not args.output.strip():
            raise ValueError("--output='' must name the NetCDF file to write (e.g. sweep.nc)")
        overrides["output"] = str(Path(args.output).expanduser().absolute())
    if args.seed is not None:
        overrides["seed"] = bounded_integer("--seed", args.seed, 0, MAX_SEED)
    if args.config is not None:
        if not args.config.strip():
            raise ValueError("CONFIG='' must name a TOML sweep configuration file")
        if args.observable is not None or args.grid or args.fixed:
            raise ValueError("give either CONFIG or --observable/--grid/--fixed, not both")
        return load_config(args.config, registry, overrides)
    if args.observable is None:
        raise ValueError("give a CONFIG file or --observable (see qgas sweep --list)")
    data: dict[str, Any] = {
        "observable": args.observable,
        "grid": _unique("--grid", [parse_grid_flag(text) for text in args.grid]),
        "fixed": {
            name: parse_value(value)
            for name, value in _unique("--fixed", [_pair("--fixed", t) for t in args.fixed]).items()
        },
        **overrides,
    }
    return config_from_mapping(data, registry, base_dir=Path.cwd())


def _list(registry: Any) -> None:
    for name, observable in sorted(registry.items()):
        seed = "  [random: needs seed]" if observable.needs_seed else ""
        print(f"{name}{seed}\n    {observable.doc}")
        for p in observable.parameters:
            default = "" if p.default is None else f", default {p.default!r}"
            print(f"    {p.name:<20} {p.describe_range():<24} units {p.units}{default}: {p.doc}")
        for out in observable.outputs:
            print(f"    -> {out.name:<17} units {out.units}: {out.doc}")


def _setting(args: argparse.Namespace, config: Any, name: str, default: Any) -> Any:
    """The flag's value (checked against its range), else the config's, else ``default``."""
    from qgas.sweeps.config import execution_value

    value = getattr(args, name)
    if value is None:
        return config.execution.get(name, default)
    return execution_value(name, value, "--" + name.replace("_", "-"))


def _left_behind(prepared: Any, refused: bool = False) -> str:
    """What a stopped sweep left behind, truthfully: saved grid points, or nothing. After a
    grid point the observable ``refused``, no --resume advice (it would stop there again)."""
    done = 0 if prepared is None else int(prepared.checkpoint.done.sum())
    saved = (
        f"{done}/{prepared.config.n_tasks} finished grid points are saved in "
        f"{prepared.checkpoint_file}"
        if done and prepared.checkpoint_file.exists()
        else ""
    )
    if refused:
        return (f"{saved}; " if saved else "") + (
            "the observable refuses this grid point, so --resume would stop here again: "
            "remove the value from the grid or change the fixed values"
        )
    if saved:
        return f"{saved}; continue with the same command plus --resume"
    return (
        "no grid point had finished, so nothing was saved and there is nothing to resume; "
        "run the same command again to start"
    )


def run(args: argparse.Namespace) -> int:
    from qgas.sweeps.observables import REGISTRY

    if args.list:
        _list(REGISTRY)
        return 0
    with contextlib.ExitStack() as stack:
        return _sweep(args, stack)


def _sweep(args: argparse.Namespace, stack: contextlib.ExitStack) -> int:
    """The sweep itself, holding the output's :func:`qgas.sweeps.files.one_writer` lock on
    ``stack`` from before its checks to after its file is written."""
    from qgas.sweeps.executors import ClusterFailure, make_executor
    from qgas.sweeps.files import one_writer
    from qgas.sweeps.observables import REGISTRY
    from qgas.sweeps.runner import prepare_sweep, run_sweep
    from qgas.sweeps.tasks import TaskFailed, TaskRefused

    prepared = None
    try:
        try:
            config = _config(args, REGISTRY)
            stack.enter_context(one_writer(config.output))
            workers = _setting(args, config, "workers", len(os.sched_getaffinity(0)))
            scheduler = _setting(args, config, "scheduler", None)
            batch_size = _setting(args, config, "batch_size", None)
            interval = _setting(args, config, "checkpoint_interval", 5.0)
            prepared = prepare_sweep(config, resume=args.resume, force=args.force)
            if prepared.already_complete:
                print(f"{config.output} is already complete; nothing to do")
                return 0
            executor = make_executor(workers, scheduler)
        except ValueError as exc:
            return report_error("sweep", str(exc))
        done_before = int(prepared.checkpoint.done.sum())
        if done_before:
            print(f"resuming: {done_before}/{config.n_tasks} grid points already done", flush=True)
        with executor:
            outcome = run_sweep(
                prepared,
                executor,
                batch_size=batch_size,
                checkpoint_interval=interval,
                progress=not args.no_progress,
            )
    except KeyboardInterrupt:
        with interrupts_ignored():  # a second Ctrl-C does not cut the message short
            print(f"\ninterrupted: {_left_behind(prepared)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ClusterFailure as exc:  # one line: the address, what happened, what was kept
        return report_error("sweep", f"{exc}; {_left_behind(prepared)}")
    except TaskRefused as exc:  # --resume would stop at the same point: not advised
        return report_error("sweep", f"{exc}\n{_left_behind(prepared, refused=True)}")
    except TaskFailed as exc:
        return report_error("sweep", f"{exc}\n{_left_behind(prepared)}", status=1)
    print(
        f"wrote {outcome.path}: {config.n_tasks} grid points ({outcome.evaluated} evaluated now, "
        f"{outcome.resumed_from} resumed) with {executor.description}"
    )
    return 0
