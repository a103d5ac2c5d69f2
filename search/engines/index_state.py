"""What the archive knows about the state of its search index, beyond Whoosh.

A marker file beside the index says that the index is known to be
incomplete: a rebuild is running (or was killed), or the index had to be
created anew while the database already held articles. Search pages say so
until a rebuild or a repair completes and removes the marker.
"""

from __future__ import annotations

import os
from pathlib import Path


class IndexUnavailable(RuntimeError):
    """The index cannot be read right now (missing, damaged, being replaced)."""


class IndexDamaged(IndexUnavailable):
    """An index file is shorter or different than the index's table of contents says."""


def _marker(index_path: str) -> Path:
    return Path(os.path.abspath(index_path).rstrip(os.sep) + ".incomplete")


def mark_incomplete(index_path: str, reason: str) -> None:
    marker = _marker(index_path)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(reason + "\n", encoding="utf-8")


def mark_complete(index_path: str) -> None:
    _marker(index_path).unlink(missing_ok=True)


def incomplete_reason(index_path: str) -> str | None:
    """Why the index is incomplete ("rebuilding", "created"…), or None when it is not."""
    try:
        return _marker(index_path).read_text(encoding="utf-8").strip() or "unknown"
    except FileNotFoundError:
        return None
