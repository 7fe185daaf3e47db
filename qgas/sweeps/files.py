"""Atomic file replacement and the up-front check that an output path is writable."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_output", "check_writable"]


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    The file is written completely, flushed to disk, then moved over ``path`` with
    :func:`os.replace`, so a reader (or a resumed sweep) sees either the old or the new file,
    never a partial one. On an exception the temporary file is removed and ``path`` untouched.
    """
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def check_writable(path: Path) -> None:
    """Raise ValueError unless a file can be created at ``path`` (checked by creating one)."""
    if path.is_dir():
        raise ValueError(f"output={str(path)!r} is a directory; name a file such as sweep.nc")
    if not path.parent.is_dir():
        raise ValueError(f"output={str(path)!r}: directory {str(path.parent)!r} does not exist")
    if path.exists() and not os.access(path, os.W_OK):
        raise ValueError(f"output={str(path)!r} exists and is not writable")
    try:
        with tempfile.NamedTemporaryFile(prefix=f".{path.name}.", dir=path.parent):
            pass
    except OSError as exc:
        raise ValueError(f"output={str(path)!r} is not writable: {exc.strerror}") from None
