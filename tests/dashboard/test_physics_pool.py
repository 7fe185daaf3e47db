"""The physics worker pool: same results as in-process, another process, survives a crash."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pytest

from dashboard import physics_pool
from physics import tonks_girardeau as tg
from physics._process_pool import BLAS_THREAD_VARIABLES

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
