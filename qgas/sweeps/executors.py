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
  (:func:`check_scheduler`), and so is a scheduler that no worker joins within
  :data:`WORKER_WAIT_S` seconds; the workers need the same ``quantum-gas-explorer`` version
  installed, which is checked before any work is submitted. A scheduler lost while the sweep
  runs ends it with :class:`SchedulerLost`, a batch whose workers keep dying (Dask's
  ``KilledWorker``) with :class:`WorkersDied`; both name the address, and the finished points
  are kept.

:func:`make_executor` picks one from the command-line settings. ``benchmarks/sweeps.py``
measures when parallel execution pays (see ``docs/performance/sweeps.md``).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, wait
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from threadpoolctl import threadpool_limits

from physics._process_pool import worker_pool
from qgas.sweeps.tasks import Task, run_batch

__all__ = [
    "MAX_GREETING_BYTES",
    "SCHEDULER_CONNECT_TIMEOUT_S",
    "WORKER_WAIT_S",
    "ClusterFailure",
    "DaskExecutor",
    "Executor",
    "ProcessExecutor",
    "SchedulerLost",
    "SerialExecutor",
    "WorkersDied",
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


#: Seconds a scheduler has to accept a connection, and again to send its greeting (the first
#: frame of Dask's handshake), before the sweep gives up on it.
SCHEDULER_CONNECT_TIMEOUT_S = 3.0

#: Seconds a reachable scheduler has to count a worker before the sweep gives up on it (a
#: ``dask worker`` started with the sweep joins within a second or two); without a worker,
#: submitted batches would wait forever.
WORKER_WAIT_S = 5.0

#: Largest first frame a scheduler's greeting may announce. Dask's handshake (Python version,
#: pickle protocol, compression) takes a few hundred bytes; a text protocol's first eight bytes
#: (``HTTP/1.1``, ``SSH-2.0-``) read as Dask's frame length exceed 2**61, which Dask would try
#: to allocate (the ``MemoryError`` it reports for a web server or proxy).
MAX_GREETING_BYTES = 1 << 20

_EXPECTED_ADDRESS = "tcp://HOST:PORT, e.g. tcp://scheduler.example.org:8786"


class ClusterFailure(RuntimeError):
    """The Dask cluster could not finish the sweep's work; the message names the scheduler and
    what happened, in one line."""


class SchedulerLost(ClusterFailure):
    """The Dask scheduler stopped answering while the sweep ran."""


class WorkersDied(ClusterFailure):
    """Every worker that ran one batch died (Dask's ``KilledWorker``: by default after four
    deaths, ``distributed.scheduler.allowed-failures`` + 1), e.g. killed for lack of memory."""


def _not_an_address(address: object, problem: str) -> ValueError:
    return ValueError(f"scheduler={address!r} is not an address {_EXPECTED_ADDRESS} ({problem})")


def _unreachable(address: str, reason: str) -> ValueError:
    return ValueError(f"scheduler={address!r}: cannot connect to a Dask scheduler there ({reason})")


def _no_workers(address: str, waited: float) -> ValueError:
    return ValueError(
        f"scheduler={address!r}: the Dask scheduler there has no workers (none joined within "
        f"{waited:g} s); start some with `dask worker {address}` or run without --scheduler"
    )


def _workers_died(address: str, deaths: int, batch_size: int) -> WorkersDied:
    """One line for Dask's ``KilledWorker`` after ``deaths`` workers died running a batch of
    ``batch_size`` points (Dask's own text is a paragraph with a web address)."""
    workers = "1 Dask worker" if deaths == 1 else f"{deaths} Dask workers"
    batch = "a batch" if deaths == 1 else "the same batch"
    points = "1 grid point" if batch_size == 1 else f"{batch_size} grid points"
    return WorkersDied(
        f"scheduler={address!r}: {workers} died running {batch} of {points}, so Dask "
        "gave up on it (killed by the operating system, e.g. for lack of memory, or crashed: "
        "the workers' logs say which)"
    )


def scheduler_endpoint(address: str) -> tuple[str, int]:
    """Host and port of the Dask scheduler address ``address`` (``tcp://HOST:PORT``).

    Raises ``ValueError`` naming the address for anything else: an empty address, another
    scheme (the sweep passes Dask no TLS settings), no port, a port that is not a number in
    1..65535, no host, a host name that is not a valid DNS name (an empty label or one longer
    than 63 characters, RFC 1035 section 2.3.4).
    """
    from distributed.comm.addressing import parse_address, parse_host_port

    if not isinstance(address, str):
        raise _not_an_address(address, f"not text but {type(address).__name__}")
    if not address.strip():
        raise _not_an_address(address, "empty")
    scheme, location = parse_address(address, strict=False)
    if scheme != "tcp":
        raise _not_an_address(address, f"scheme {scheme!r}")
    try:
        host, port = parse_host_port(location)
    except (TypeError, ValueError) as exc:
        raise _not_an_address(address, str(exc)) from None
    if not host:
        raise _not_an_address(address, "no host")
    try:
        host.encode("idna")
    except UnicodeError:
        problem = "an empty label or one longer than 63 characters"
        raise _not_an_address(address, f"host {host!r} is not a valid name: {problem}") from None
    if not 1 <= port <= 65535:
        raise _not_an_address(address, f"port {port} outside 1..65535")
    return host, port


def check_scheduler(address: str, timeout: float = SCHEDULER_CONNECT_TIMEOUT_S) -> None:
    """Raise ``ValueError`` naming ``address`` unless a Dask scheduler answers there.

    The port must accept a TCP connection within ``timeout`` seconds (a refused connection
    or an unknown host fails at once, not after Dask's retries); the server must then send,
    within ``timeout`` seconds more, a greeting that starts like Dask's handshake
    (:func:`_greeting_problem`: another kind of server -- a web server, a proxy, ssh -- is
    named by what it sent, before Dask reads it); and Dask's own handshake must complete
    within ``timeout`` seconds.
    """
    from distributed.comm.core import CommClosedError

    host, port = scheduler_endpoint(address)
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            problem = _greeting_problem(connection, timeout)
        if problem is None:
            asyncio.run(asyncio.wait_for(_handshake(address, timeout), timeout))
    except TimeoutError:
        problem = f"no answer within {timeout:g} s"
    except socket.gaierror as exc:
        problem = f"unknown host {host!r}: {exc.strerror}"
    except CommClosedError:
        problem = "the server closed the connection during Dask's handshake"
    except OSError as exc:
        problem = exc.strerror or str(exc)
    except Exception:  # whatever a greeting that only starts like Dask's makes the protocol raise
        problem = "a server answers, but its greeting is not Dask's handshake"
    if problem is not None:
        raise _unreachable(address, problem)


def _greeting(connection: socket.socket, timeout: float) -> bytes:
    """The first bytes the server sends (at least 8 unless it closes first), within
    ``timeout`` seconds in all (TimeoutError otherwise, however slowly they trickle in)."""
    deadline = time.monotonic() + timeout
    received = b""
    while len(received) < 8:
        connection.settimeout(max(deadline - time.monotonic(), 1e-3))
        chunk = connection.recv(64)
        if not chunk:
            break
        received += chunk
    return received


def _greeting_problem(connection: socket.socket, timeout: float) -> str | None:
    """Why what the server on ``connection`` sends first cannot start a Dask scheduler's
    handshake, or None if it can.

    A Dask server speaks first, at once: a native-order unsigned 64-bit length, then that many
    bytes of frames (``distributed.comm.tcp.TCP.read``); the length must be at most
    :data:`MAX_GREETING_BYTES`. A server that waits for the client to speak (a web server, a
    proxy) sends nothing within ``timeout`` seconds. What another server sent is shown as its
    first line, ``repr``-escaped (no control character reaches the terminal).
    """
    try:
        greeting = _greeting(connection, timeout)
    except TimeoutError:
        return f"a server accepted the connection but sent no Dask greeting within {timeout:g} s"
    if not greeting:
        return "the server there closed the connection without answering"
    if len(greeting) < 8:
        return "the server there closed the connection in the middle of its greeting"
    (length,) = struct.unpack("Q", greeting[:8])
    if length <= MAX_GREETING_BYTES:
        return None
    first_line = greeting.split(b"\n", 1)[0].rstrip(b"\r").decode("latin-1")
    return f"a server answers, but not Dask's protocol: it sent {first_line[:48]!r}"


async def _handshake(address: str, timeout: float) -> None:
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    await comm.close()


@contextmanager
def _logging_silenced() -> Iterator[None]:
    """No log record from any thread inside (``logging.disable``), then the previous state:
    closing a client whose scheduler is gone makes Dask log the reconnection it cancels as an
    error with a traceback, after the sweep has said in one line what happened."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)


@contextmanager
def _dask_warnings_hidden() -> Iterator[None]:
    """Dask's loggers pass only errors inside, then their previous levels: what Dask warns
    about while batches run it recovers from (a worker killed while the client fetched its
    result: ``Couldn't gather 1 keys, rescheduling``), and what it cannot recover from ends the
    sweep with one line of its own. Dask sets levels on ``distributed`` and some children."""
    loggers = {logging.getLogger("distributed")}
    loggers.update(
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("distributed.")
        and isinstance(logger, logging.Logger)
        and logger.level != logging.NOTSET
    )
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(max(logger.level, logging.ERROR))
    try:
        yield
    finally:
        for logger, level in levels.items():
            logger.setLevel(level)


class DaskExecutor(Executor):
    """Batches submitted to a ``dask.distributed`` scheduler as independent futures."""

    def __init__(self, address: str, timeout: float = 10.0) -> None:
        from distributed import Client
        from distributed.exceptions import WorkerStartTimeoutError

        check_scheduler(address, min(timeout, SCHEDULER_CONNECT_TIMEOUT_S))
        self.address = address
        self.description = f"dask.distributed ({address})"
        self._futures: list[Any] = []
        self._lost = False
        try:
            self._client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise _unreachable(address, str(exc)) from None
        try:
            self._client.wait_for_workers(1, timeout=WORKER_WAIT_S)
            versions = self._client.run(_installed_version)
            self.slots = max(1, sum(self._client.nthreads().values()))
        except WorkerStartTimeoutError:  # a TimeoutError: before the scheduler's own failures
            self.close()
            raise _no_workers(address, WORKER_WAIT_S) from None
        except (OSError, TimeoutError, CancelledError):
            self._lost = True
            self.close()
            raise _unreachable(address, "it stopped answering after the connection") from None
        self._check_worker_versions(versions)

    def _check_worker_versions(self, versions: dict[str, str]) -> None:
        from qgas import __version__

        wrong = {worker: v for worker, v in versions.items() if v != __version__}
        if wrong:
            self.close()
            raise ValueError(
                f"Dask workers run a different quantum-gas-explorer version than this client "
                f"({__version__}): {wrong}; install the same version on every worker"
            )

    def run(
        self, function: str, n_outputs: int, batches: Sequence[Sequence[Task]]
    ) -> Iterator[BatchResult]:
        """As :meth:`Executor.run`; :class:`SchedulerLost` if the scheduler goes away (Dask
        then cancels every future: ``FutureCancelledError``, or a closed connection),
        :class:`WorkersDied` if Dask gives up on a batch whose workers keep dying."""
        from distributed import as_completed

        count = len(batches)
        self._futures = self._client.map(
            run_batch, [function] * count, [n_outputs] * count, list(map(list, batches)), pure=False
        )
        batch_sizes = dict(zip(self._futures, map(len, batches), strict=True))
        with _dask_warnings_hidden():
            for future in as_completed(self._futures, loop=self._client.loop):
                yield self._result(future, batch_sizes[future])
                future.release()

    def _result(self, future: Any, batch_size: int) -> BatchResult:
        """The finished ``future``'s batch result, or the one-line failure of the cluster."""
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            raise _workers_died(self.address, exc.allowed_failures + 1, batch_size) from None
        except (OSError, CancelledError):
            self._lost = True
            raise SchedulerLost(
                f"scheduler={self.address!r}: lost the connection to the Dask scheduler during "
                "the sweep"
            ) from None

    def close(self, cancel: bool = False) -> None:
        if self._lost:  # nothing to cancel on a scheduler that is gone
            with _logging_silenced():
                self._client.close()
            return
        if cancel and self._futures:
            self._client.cancel(self._futures)
        self._futures = []
        self._client.close()


def _installed_version() -> str:
    from qgas import __version__

    return __version__


def make_executor(workers: int = 1, scheduler: str | None = None) -> Executor:
    """The executor for the given settings: Dask if ``scheduler`` is set, else local."""
    if scheduler is not None:
        return DaskExecutor(scheduler)
    if workers < 1:
        raise ValueError(f"workers={workers} must be >= 1")
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)
