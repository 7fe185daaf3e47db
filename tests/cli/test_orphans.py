"""No process outlives its parent: ``kill -9`` of a ``qgas`` process takes its children along.

The kernel's out-of-memory killer, a crash in native code or an operator's ``kill -9`` end a
process without letting it shut its children down. Its worker processes (the sweep's local
pool, the server's physics worker), multiprocessing's resource tracker and, for the
supervisor of ``qgas serve``, the server process must then exit by themselves
(``physics/_process_pool.py``), instead of living on as orphans that hold memory and a core.

Each test starts the real command, waits until its children exist, collects every
descendant with psutil, kills one process with SIGKILL, and polls until each of the
descendants collected before the kill is gone (an exited process that nobody reaps, a
zombie, counts as gone).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

#: 256 disorder averages of about 0.1 s each: tens of seconds of work for two workers, so
#: the sweep is still running when it is killed (tests/sweeps/test_interrupt.py uses the same).
SLOW_SWEEP = """
observable = "tonks_girardeau.fermi_energy"
output = "orphans.nc"
seed = 7

[grid]
strength = { start = 0.5, stop = 4.0, num = 256 }

[fixed]
n_particles = 16
length = 16.0
kind = "gaussian"
realisations = 4
"""


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` if it does not within
    ``timeout`` seconds (a bound for a stuck test, not a claim about speed)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def running(process: psutil.Process) -> bool:
    """Whether ``process`` still runs (an exited, unreaped zombie does not)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def describe(processes: list[psutil.Process]) -> list[str]:
    described = []
    for process in processes:
        try:
            described.append(f"{process.pid}: {' '.join(process.cmdline())[:120]}")
        except psutil.Error:
            described.append(str(process.pid))
    return described


def assert_all_exit(processes: list[psutil.Process], timeout: float = 60.0) -> None:
    """Every process of ``processes`` ends within ``timeout`` s (a bound, not a speed claim)."""
    deadline = time.monotonic() + timeout
    while any(map(running, processes)) and time.monotonic() < deadline:
        time.sleep(0.2)
    orphans = [process for process in processes if running(process)]
    for orphan in orphans:  # leave nothing behind for the next test
        orphan.kill()
    assert not orphans, f"orphans left running: {describe(orphans)}"


def is_pool_worker(process: psutil.Process) -> bool:
    return "multiprocessing.spawn" in " ".join(process.cmdline())


def is_resource_tracker(process: psutil.Process) -> bool:
    return "resource_tracker" in " ".join(process.cmdline())


def sweep_pool_started(pid: int) -> bool:
    """Whether the sweep ``pid`` runs its two workers and multiprocessing's resource tracker."""
    children = descendants(pid)
    return sum(map(is_pool_worker, children)) == 2 and any(map(is_resource_tracker, children))


def test_killing_a_parallel_sweep_ends_its_workers_and_resource_tracker(tmp_path):
    config = tmp_path / "sweep.toml"
    config.write_text(SLOW_SWEEP)
    command = [sys.executable, "-m", "qgas.cli", "sweep", str(config), "--no-progress"]
    sweep = subprocess.Popen(
        [*command, "--workers", "2", "--batch-size", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: sweep_pool_started(sweep.pid), 120, "the sweep's two workers")
        children = descendants(sweep.pid)
        sweep.kill()
        sweep.wait(timeout=30)
        assert_all_exit(children)
    finally:
        sweep.kill()
        sweep.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """``qgas serve`` with ``options`` on a free port, its output in the file ``log``."""

    def __init__(self, log: Path, options: tuple[str, ...] = ("--physics-workers", "1")) -> None:
        self.log = log
        with log.open("w") as output:
            self.supervisor = subprocess.Popen(
                [sys.executable, "-m", "qgas.cli", "serve", "--port", str(free_port()), *options],
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ready_processes(self) -> list[int]:
        """Server process ids in the order they became ready (``qgas.serve_hooks``)."""
        return [int(pid) for pid in re.findall(r"process (\d+) ready: ", self.log.read_text())]

    def wait_ready(self, count: int) -> int:
        """Wait until ``count`` server processes became ready; the pid of the last one."""
        wait_for(lambda: len(self.ready_processes()) >= count, 180, f"server process {count}")
        return self.ready_processes()[count - 1]

    def stop(self) -> None:
        try:
            os.killpg(self.supervisor.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.supervisor.wait(timeout=30)


@pytest.fixture
def served(tmp_path):
    served = Served(tmp_path / "server.log")
    yield served
    served.stop()


def server_tree(served: Served, count: int) -> tuple[psutil.Process, list[psutil.Process]]:
    """The ``count``-th server process and its children, once its physics worker runs."""
    server = psutil.Process(served.wait_ready(count))
    assert server.ppid() == served.supervisor.pid
    wait_for(lambda: any(map(is_pool_worker, server.children())), 60, "the physics worker")
    return server, server.children(recursive=True)


def test_killing_the_server_process_ends_its_physics_worker(served):
    """The out-of-memory killer's case: the supervisor starts a fresh server, and the old
    server's physics worker and resource tracker do not stay behind."""
    server, children = server_tree(served, 1)
    assert any(map(is_resource_tracker, children)), describe(children)
    server.kill()
    assert_all_exit(children)
    server_tree(served, 2)  # the supervisor replaced it
    assert served.supervisor.poll() is None


def test_killing_the_supervisor_ends_the_server_and_its_physics_worker(served):
    server, children = server_tree(served, 1)
    served.supervisor.kill()
    served.supervisor.wait(timeout=30)
    assert_all_exit([server, *children])


def test_killing_the_server_ends_the_processes_it_forked_and_their_workers(tmp_path):
    """``--num-procs 2``: Bokeh forks two server processes from the supervisor's child; they
    and their physics workers must not keep serving the port after that child is killed."""
    served = Served(tmp_path / "server.log", ("--num-procs", "2", "--physics-workers", "1"))
    try:
        forked = [psutil.Process(served.wait_ready(count)) for count in (1, 2)]
        server = psutil.Process(forked[0].ppid())
        assert server.ppid() == served.supervisor.pid
        for process in forked:
            wait_for(lambda p=process: any(map(is_pool_worker, p.children())), 60, "workers")
        children = server.children(recursive=True)
        server.kill()
        assert_all_exit(children)
    finally:
        served.stop()
