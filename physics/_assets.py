"""Tables the package ships in ``assets/`` and computes again only when they are missing.

Some results are exact and costly but depend on a small, finite set of inputs: the exact
strong-coupling coefficients a_0 … a_20 (exact fractions, seconds each) and the poles of the
Borel–Padé approximants of every order the shipped coefficient tables allow (100-digit linear
algebra, up to 6 s per order). ``qgas precompute`` writes them once, with provenance, into
``assets/series/``; the physics functions read them from there and compute only what a table
does not hold. A test regenerates a cheap part of every table and compares
(``tests/physics/test_precomputed_tables.py``).

A table that is missing, unreadable or does not match its inputs (:func:`read_table` returns
``None``) is simply not used: the function computes, exactly as without the table.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["fingerprint", "read_table", "shipped_file"]


def shipped_file(*parts: str) -> Traversable:
    """The shipped data file ``assets/<parts…>`` (inside an installed wheel or the checkout)."""
    root = resources.files("assets")
    for part in parts:
        root = root / part
    return root


@functools.lru_cache(maxsize=16)
def read_table(*parts: str) -> dict[str, Any] | None:
    """The parsed JSON table ``assets/<parts…>``, or ``None`` if it is missing or unreadable."""
    try:
        table = json.loads(shipped_file(*parts).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return table if isinstance(table, dict) else None


def fingerprint(values: object) -> str:
    """SHA-256 of ``values`` in canonical JSON: ties a derived table to the inputs it used."""
    text = json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
