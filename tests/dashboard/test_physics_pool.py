"""The physics worker pool: same results as in-process, another process, survives a crash;
its workers (``physics/_process_pool.py``) leave Ctrl-C to the server and end with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import psutil
import pytest

from dashboard import physics_pool
from physics import tonks_girardeau as tg
from physics._process_pool import BLAS_THREAD_VARIABLES, ORPHAN_EXIT_STATUS, worker_pool

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def pool():
    physics_pool.start(1, warm_modules=("physics.tonks_girardeau",))
    yield
    physics_pool.stop()


def test_without_a_pool_an_offloaded_function_runs_in_the_calling_process():
    assert physics_pool.workers() == 0
    assert physics_pool.offload(os.getpid)() == os.getpid()


def test_with_a_pool_it_runs_in_a_worker_process_and_returns_the_same_result(pool):
    assert physics_pool.offload(os.getpid)() != os.getpid()
    potential = tg.disorder_potential("speckle", 8.0, 256, 0.5, seed=3)
    offloaded = physics_pool.offload(tg.ground_state_density)(8, 8.0, potential)
    np.testing.assert_array_equal(offloaded, tg.ground_state_density(8, 8.0, potential))


def test_a_dead_worker_fails_its_call_and_the_next_call_gets_a_new_pool(pool):
    with pytest.raises(BrokenProcessPool):
        physics_pool.offload(os._exit)(3)
    worker = physics_pool.offload(os.getpid)()
    assert worker != os.getpid()


@pytest.mark.parametrize("count", [-1, 65, 1.5, True])
def test_a_bad_worker_count_raises_naming_it_and_the_range(count):
    with pytest.raises(ValueError, match=r"count=.* is outside the valid range 0\.\.64"):
        physics_pool.start(count)


def test_a_worker_uses_one_blas_thread(monkeypatch):
    """A worker's linear algebra must not spread over the core the server's loop runs on."""
    for variable in BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    physics_pool.start(1)
    try:
        for variable in BLAS_THREAD_VARIABLES:
            assert physics_pool.offload(os.getenv)(variable) == "1"
        assert os.getenv("OPENBLAS_NUM_THREADS") is None  # the server's own setting is untouched
    finally:
        physics_pool.stop()


def test_a_worker_leaves_ctrl_c_to_the_server(pool):
    """Ctrl-C reaches the whole process group; the server, not each worker, handles it."""
    assert physics_pool.offload(signal.getsignal)(signal.SIGINT) == signal.SIG_IGN


@pytest.mark.parametrize(("count", "error"), [(0, ValueError), (-2, ValueError), (True, TypeError)])
def test_worker_pool_refuses_a_bad_size_naming_it(count, error):
    with pytest.raises(error, match=rf"max_workers={count!r}"):
        worker_pool(count)


#: A process that watches its parent, prints its pid, and would sleep ten minutes.
WATCHING_CHILD = (
    "import os, time; from physics._process_pool import exit_with_parent\n"
    "exit_with_parent(os.getppid()); print(os.getpid(), flush=True); time.sleep(600)"
)
#: A parent that starts WATCHING_CHILD, passes its pid on, and exits without waiting for it.
LEAVING_PARENT = (
    "import subprocess as s, sys\nexe = sys.executable\n"
    f"child = s.Popen([exe, '-c', {WATCHING_CHILD!r}], stdout=s.PIPE, stderr=s.DEVNULL)\n"
    "print(child.stdout.readline().decode(), end='')"
)


def test_a_process_watching_its_parent_exits_when_the_parent_is_gone():
    parent = subprocess.run(
        [sys.executable, "-c", LEAVING_PARENT], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    child = psutil.Process(int(parent.stdout))
    deadline = time.monotonic() + 30  # a bound for a stuck test, not a speed claim
    while child.is_running() and child.status() != psutil.STATUS_ZOMBIE:
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the child outlived its parent")
        time.sleep(0.1)


def test_a_process_told_to_watch_a_pid_that_is_not_its_parent_exits_at_once():
    """The parent died before the watch began: no thread needed, the process ends."""
    watch_init = "from physics._process_pool import exit_with_parent; exit_with_parent(1)"
    result = subprocess.run([sys.executable, "-c", watch_init], cwd=ROOT, timeout=60)
    assert result.returncode == ORPHAN_EXIT_STATUS
