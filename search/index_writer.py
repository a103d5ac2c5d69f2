"""The one path by which documents reach the Whoosh index.

Whoosh allows a single writer per index, and haystack's backend writes with
an ``AsyncWriter`` that retries in a background thread when the index is
locked, so a request can return before its write lands, and concurrent
writers lose documents (haystack #1538, #1556). Here every write from every
process (gunicorn workers, management commands) first takes an exclusive
``flock`` on a file beside the index, then writes synchronously. The kernel
releases the lock if a process dies, so a crash never leaves it stale.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from whoosh.index import Index
from whoosh.writing import MERGE_SMALL

LOCK_TIMEOUT_SECONDS = 120.0
# A commit merges segments only once the index has this many: merging at every
# one-article commit (Whoosh's MERGE_SMALL) made an admin save cost ~130 ms of
# Whoosh (300+ under load), against ~30 ms without.
MERGE_AT_SEGMENTS = 24
# Segments smaller than this are merged together first (cheap: they are small).
SMALL_SEGMENT_DOCS = 500


def merge_small_segments(writer, segments):
    """Whoosh merge policy: merge the segments of fewer than SMALL_SEGMENT_DOCS
    documents into one; if many larger ones remain, Whoosh's own policy."""
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT_DOCS]
    if len(segments) - len(small) + 1 >= MERGE_AT_SEGMENTS or len(small) < 2:
        return MERGE_SMALL(writer, segments)
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in small]


T = TypeVar("T")


class IndexLockTimeout(RuntimeError):
    """Another process held the index write lock for too long."""


@contextmanager
def index_write_lock(index_path: str, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the archive's cross-process write lock for the index at index_path."""
    lock_path = os.path.abspath(index_path).rstrip(os.sep) + ".write-lock"
    with open(lock_path, "a") as lock_file:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexLockTimeout(
                        f"the search index {index_path} stayed locked for {timeout:.0f} s"
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def opened_despite_commits(open_index: Callable[[], T], attempts: int = 10) -> T:
    """open_index(), tried again if a commit in another process deleted the
    table of contents it was reading (a commit removes the previous one).

    Whoosh retries this way when it opens a reader, not when it opens an index.
    """
    for attempt in range(attempts):
        try:
            return open_index()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def write_documents(
    index: Index, index_path: str, documents: Iterable[dict], *, merge: bool = True
) -> int:
    """Add or replace documents (by their unique id) in one commit; returns how many.

    merge=False leaves segment merging for later (`merge_segments`): a bulk
    import that merged at every batch would rewrite the index again and again.
    """
    return replace_documents(index, index_path, lambda: (documents, ()), merge=merge)


# What to write: (documents to add or replace, unique ids to delete).
Changes = tuple[Iterable[dict], Iterable[str]]


def replace_documents(
    index: Index,
    index_path: str,
    read_changes: Callable[[], Changes],
    *,
    id_field: str = "id",
    merge: bool = True,
) -> int:
    """Write what `read_changes()` returns in one commit; returns how many documents.

    `read_changes` runs while the lock is held, so it reads the database after
    every earlier writer has committed: when two processes save the same
    article at once, the one that writes last also read last, and the index
    ends with the newest text (reading first, then waiting for the lock, let
    an older text overwrite a newer one).
    """
    with index_write_lock(index_path):
        documents, deleted = read_changes()
        # Whoosh's own lock is free unless a process outside this path writes.
        writer = index.writer(timeout=LOCK_TIMEOUT_SECONDS, delay=0.05)
        count = 0
        try:
            for value in deleted:
                writer.delete_by_term(id_field, value)
            for document in documents:
                writer.update_document(**document)
                count += 1
        except BaseException:
            writer.cancel()
            raise
        _commit(writer, merge=merge)
        return count


def _commit(writer, *, merge: bool) -> None:
    """Commit; merge segments only once MERGE_AT_SEGMENTS of them have piled up."""
    if merge and len(writer.segments) >= MERGE_AT_SEGMENTS:
        writer.commit(mergetype=merge_small_segments)
    else:
        writer.commit(merge=False)


def merge_segments(index: Index, index_path: str) -> None:
    """Merge the small segments left by unmerged commits (Whoosh's usual policy)."""
    with index_write_lock(index_path):
        index.writer(timeout=LOCK_TIMEOUT_SECONDS, delay=0.05).commit()


def delete_documents(index: Index, index_path: str, field: str, values: Iterable[str]) -> None:
    """Delete the documents whose `field` (a unique id field) has one of `values`."""
    with index_write_lock(index_path):
        writer = index.writer(timeout=LOCK_TIMEOUT_SECONDS, delay=0.05)
        try:
            for value in values:
                writer.delete_by_term(field, value)
        except BaseException:
            writer.cancel()
            raise
        _commit(writer, merge=True)
