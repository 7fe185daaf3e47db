"""The one way sweeps run in parallel: an :class:`Executor`, local or on Dask.

Every executor takes batches of :class:`~qgas.sweeps.tasks.Task` and yields each batch's
results as soon as it completes (in any order); the sweep places results by task index, so the
output never depends on the executor.

- :class:`SerialExecutor` -- in this process, one batch after another (``workers = 1``).
- :class:`ProcessExecutor` -- a pool of ``workers`` local processes, made by
  :func:`physics._process_pool.worker_pool`: spawned (the same on Linux, macOS and Windows),
  one BLAS thread each, SIGINT ignored (Ctrl-C reaches the sweep, which checkpoints and then
  terminates the pool), and gone within a second if the sweep is killed.
- :class:`DaskExecutor` -- a ``dask.distributed`` cluster given by its scheduler address
  (``tcp://host:8786``); an address where no scheduler answers is refused within seconds
  (:func:`check_scheduler`), and the workers need the same ``quantum-gas-explorer`` version
  installed, which is checked before any work is submitted.

:func:`make_executor` picks one from the command-line settings. ``benchmarks/sweeps.py``
measures when parallel execution pays (see ``docs/performance/sweeps.md``).
"""

from __future__ import annotations

import asyncio
import socket
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from types import TracebackType
from typing import Any

from threadpoolctl import threadpool_limits

from physics._process_pool import worker_pool
from qgas.sweeps.tasks import Task, run_batch

__all__ = [
    "SCHEDULER_CONNECT_TIMEOUT_S",
    "DaskExecutor",
    "Executor",
    "ProcessExecutor",
    "SerialExecutor",
    "check_scheduler",
    "make_executor",
    "scheduler_endpoint",
]

BatchResult = list[tuple[int, tuple]]


class Executor(ABC):
    """Runs batches of tasks and yields their results as they complete."""

    #: Short description recorded in the Dataset's provenance (e.g. ``"local processes (2)"``).
    description: str
    #: Number of tasks that can run at once (sets the automatic batch size).
    slots: int = 1

    @abstractmethod
    def run(
        self, function: str, n_outputs: int, batches: Sequence[Sequence[Task]]
    ) -> Iterator[BatchResult]:
        """Evaluate every batch with :func:`~qgas.sweeps.tasks.run_batch`; yield as completed."""

    @abstractmethod
    def close(self, cancel: bool = False) -> None:
        """Release resources; with ``cancel``, drop queued work and stop running work."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(cancel=exc_type is not None)


class SerialExecutor(Executor):
    """Runs every batch in the calling process, in order, with one BLAS thread: the worker
    processes have one (:mod:`physics._process_pool`), and LAPACK's eigensolvers give
    bit-identical results only at equal thread counts (differences ~1e-14 otherwise), so every
    executor gives the same numbers and a resumed sweep equals an uninterrupted one."""

    description = "serial (in process)"

    def run(
        self, function: str, n_outputs: int, batches: Sequence[Sequence[Task]]
    ) -> Iterator[BatchResult]:
        for batch in batches:
            with threadpool_limits(limits=1):
                result = run_batch(function, n_outputs, batch)
            yield result

    def close(self, cancel: bool = False) -> None:
        """Nothing to release: work runs in the calling process."""


class ProcessExecutor(Executor):
    """A pool of local worker processes (:func:`physics._process_pool.worker_pool`)."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"workers={workers} must be >= 1")
        self.workers = workers
        self.description = f"local processes ({workers})"
        self.slots = workers
        self._pool = worker_pool(workers)

    def run(
        self, function: str, n_outputs: int, batches: Sequence[Sequence[Task]]
    ) -> Iterator[BatchResult]:
        pending = {self._pool.submit(run_batch, function, n_outputs, batch) for batch in batches}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()

    def close(self, cancel: bool = False) -> None:
        if cancel:
            # Python < 3.14 has no public way to stop running tasks: terminate the workers.
            processes = list((self._pool._processes or {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=cancel)


#: Seconds a scheduler has to accept a connection, and again to answer Dask's handshake,
#: before the sweep gives up on it.
SCHEDULER_CONNECT_TIMEOUT_S = 3.0


def scheduler_endpoint(address: str) -> tuple[str, int]:
    """Host and port of the Dask scheduler address ``address`` (``tcp://HOST:PORT``).

    Raises ``ValueError`` naming the address for anything else: no port, a port that is not
    a number in 1..65535, no host, another scheme (the sweep passes Dask no TLS settings).
    """
    from distributed.comm.addressing import parse_address, parse_host_port

    expected = "tcp://HOST:PORT, e.g. tcp://scheduler.example.org:8786"
    try:
        scheme, location = parse_address(address, strict=False)
        host, port = parse_host_port(location)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"scheduler={address!r} is not an address {expected} ({exc})") from None
    if scheme != "tcp":
        problem = f"scheme {scheme!r}"
    elif not host:
        problem = "no host"
    elif not 1 <= port <= 65535:
        problem = f"port {port} outside 1..65535"
    else:
        return host, port
    raise ValueError(f"scheduler={address!r} is not an address {expected} ({problem})")


def check_scheduler(address: str, timeout: float = SCHEDULER_CONNECT_TIMEOUT_S) -> None:
    """Raise ``ValueError`` naming ``address`` unless a Dask scheduler answers there.

    The port must accept a TCP connection within ``timeout`` seconds (a refused connection
    or an unknown host fails at once, not after Dask's retries), and the process behind it
    must complete Dask's handshake within ``timeout`` seconds more (another kind of server
    would leave ``distributed.Client`` waiting, or reading garbage, without a time limit).
    """
    host, port = scheduler_endpoint(address)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
        asyncio.run(asyncio.wait_for(_handshake(address, timeout), timeout))
    except TimeoutError:
        reason = f"no answer within {timeout:g} s"
    except socket.gaierror as exc:
        reason = f"unknown host {host!r}: {exc.strerror}"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    except Exception as exc:  # whatever a server that is not Dask's makes the protocol raise
        reason = f"not a Dask scheduler: {type(exc).__name__}"
    else:
        return
    raise ValueError(f"scheduler={address!r}: cannot connect to a Dask scheduler there ({reason})")


async def _handshake(address: str, timeout: float) -> None:
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    await comm.close()


class DaskExecutor(Executor):
    """Batches submitted to a ``dask.distributed`` scheduler as independent futures."""

    def __init__(self, address: str, timeout: float = 10.0) -> None:
        from distributed import Client

        check_scheduler(address, min(timeout, SCHEDULER_CONNECT_TIMEOUT_S))
        try:
            self._client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ValueError(
                f"scheduler={address!r}: cannot connect to a Dask scheduler there ({exc})"
            ) from None
        self.description = f"dask.distributed ({address})"
        self._futures: list[Any] = []
        self._check_worker_versions()
        self.slots = max(1, sum(self._client.nthreads().values()))

    def _check_worker_versions(self) -> None:
        from qgas import __version__

        versions = self._client.run(_installed_version)
        wrong = {worker: v for worker, v in versions.items() if v != __version__}
        if wrong:
            self._client.close()
            raise ValueError(
                f"Dask workers run a different quantum-gas-explorer version than this client "
                f"({__version__}): {wrong}; install the same version on every worker"
            )

    def run(
        self, function: str, n_outputs: int, batches: Sequence[Sequence[Task]]
    ) -> Iterator[BatchResult]:
        from distributed import as_completed

        count = len(batches)
        self._futures = self._client.map(
            run_batch, [function] * count, [n_outputs] * count, list(map(list, batches)), pure=False
        )
        for future in as_completed(self._futures, loop=self._client.loop):
            yield future.result()
            future.release()

    def close(self, cancel: bool = False) -> None:
        if cancel and self._futures:
            self._client.cancel(self._futures)
        self._futures = []
        self._client.close()


def _installed_version() -> str:
    from qgas import __version__

    return __version__


def make_executor(workers: int = 1, scheduler: str | None = None) -> Executor:
    """The executor for the given settings: Dask if ``scheduler`` is set, else local."""
    if scheduler:
        return DaskExecutor(scheduler)
    if workers < 1:
        raise ValueError(f"workers={workers} must be >= 1")
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)
