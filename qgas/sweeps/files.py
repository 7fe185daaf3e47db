"""Atomic file replacement and the up-front checks of an output path: not shipped, writable.

Nothing the package ships in ``assets/`` (the tables and lessons the dashboard reads) is
written by accident: :func:`is_shipped` tells whether a path, symlinks resolved, lies inside
that directory; every command checks it before anything else, before even the writability probe
of :func:`check_writable` (which creates and removes a file beside the path).

Files are created the way any program creates them (requested mode 0666, reduced by the
process umask, typically to 0644), so sweep outputs and tables are readable by the accounts the
umask allows -- unlike :func:`tempfile.mkstemp`, which always creates mode 0600.

:func:`one_writer` keeps a second command from writing the same output at the same time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_output", "check_writable", "is_shipped", "one_writer", "shipped_directory"]

_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def shipped_directory() -> Path:
    """The package's shipped data directory ``assets/``, symlinks resolved."""
    from physics._assets import shipped_file

    return Path(str(shipped_file())).resolve()


def is_shipped(path: Path) -> bool:
    """Whether ``path`` (relative to the working directory; symlinks resolved, also in its
    last component) is inside :func:`shipped_directory`."""
    return Path(path).expanduser().resolve().is_relative_to(shipped_directory())


def _create_temporary(path: Path) -> Path:
    """A new empty file beside ``path`` (hidden, unique name; mode 0666 minus the umask)."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(temporary, _CREATE_FLAGS, 0o666))
        except FileExistsError:
            continue
        return temporary


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    The file is written completely, flushed to disk, then moved over ``path`` with
    :func:`os.replace`, so a reader (or a resumed sweep) sees either the old or the new file,
    never a partial one. On an exception the temporary file is removed and ``path`` untouched.
    """
    temporary = _create_temporary(path)
    try:
        yield temporary
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def check_writable(path: Path, name: str = "output", *, create_parents: bool = False) -> None:
    """Raise ValueError unless :func:`atomic_output` can write ``path``.

    Checked by creating (and removing) the same kind of temporary file, so a read-only
    directory, a file name too long for its temporary sibling or a path through a regular file
    are all refused before any work. With ``create_parents``, missing directories are allowed
    if the nearest existing one is writable (the caller creates them when it writes).
    """
    where = f"{name}={str(path)!r}"
    try:
        if path.is_dir():
            raise ValueError(f"{where} is a directory, not a file")
        if path.exists() and not path.is_file():
            raise ValueError(f"{where} exists and is not a regular file")
        if path.exists() and not os.access(path, os.W_OK):
            raise ValueError(f"{where} exists and is not writable")
        directory = path.parent
        while create_parents and not directory.exists() and directory != directory.parent:
            directory = directory.parent
        if not directory.is_dir():
            problem = "is not a directory" if directory.exists() else "does not exist"
            raise ValueError(f"{where}: {str(directory)!r} {problem}")
        _create_temporary(directory / path.name).unlink()
    except OSError as exc:
        raise ValueError(f"{where} is not writable: {exc.strerror or exc}") from None


@contextlib.contextmanager
def one_writer(path: Path) -> Iterator[None]:
    """Within it, this process is the only ``qgas`` command writing ``path``: an exclusive
    ``flock`` on a hidden ``.NAME.lock`` beside it, removed on exit. ValueError if another
    process holds it (two sweeps to one file both reported success while one's results were
    lost). A shipped or unwritable place is not locked: the checks that follow name it."""
    path = Path(path)
    lock = path.with_name(f".{path.name}.lock")
    if is_shipped(path) or not path.parent.is_dir():
        yield
        return
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ValueError(
                f"output={str(path)!r} is being written by another qgas command (it holds "
                f"{lock}); wait for it to finish, or choose another output"
            ) from None
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)
    finally:
        os.close(descriptor)
