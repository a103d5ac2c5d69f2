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
import logging
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from whoosh.index import Index

log = logging.getLogger(__name__)

LOCK_TIMEOUT_SECONDS = 120.0
# Segments are merged by tiers of size (1-9 documents, 10-99, 100-999, …):
# when a tier holds SEGMENTS_PER_TIER segments, its smallest SEGMENTS_PER_TIER
# become one segment (usually of the next tier). Each merge rewrites segments
# of similar size, so a document is rewritten about once per tier, and no
# merge touches the big segments of an import. Whoosh's own policy
# (MERGE_SMALL) merged at every one-article commit (~130 ms of an admin save),
# and a first policy of ours merged 1,500 documents inside a request (48 s
# under the load bench).
SEGMENTS_PER_TIER = 8
# A save merges tiers up to this one (segments under 100 documents: cheap);
# bigger tiers are merged after imports and rebuilds (`merge_segments`).
REQUEST_MERGE_TIER = 1
# No merge builds a segment bigger than this: Whoosh rewrites ~150 documents a
# second when merging, and every other writer waits for the lock meanwhile
# (10,000 documents: about a minute, under the lock's 120 s timeout).
MAX_MERGED_DOCS = 10_000


def _tier(segment) -> int:
    return int(math.log10(max(1, segment.doc_count_all())))


def merge_group(segments, max_tier: int | None) -> list:
    """The segments the next merge should join: the SEGMENTS_PER_TIER smallest
    of the lowest tier (up to max_tier) that has that many, if together they
    stay under MAX_MERGED_DOCS; [] when nothing is due."""
    tiers: dict[int, list] = {}
    for segment in segments:
        tiers.setdefault(_tier(segment), []).append(segment)
    for tier in sorted(tiers):
        if max_tier is not None and tier > max_tier:
            break
        members = sorted(tiers[tier], key=lambda s: s.doc_count_all())
        group = members[:SEGMENTS_PER_TIER]
        if (
            len(group) == SEGMENTS_PER_TIER
            and sum(s.doc_count_all() for s in group) <= MAX_MERGED_DOCS
        ):
            return group
    return []


def merging(group: list):
    """A Whoosh merge policy that joins `group` into the commit's new segment."""
    ids = {segment.segment_id() for segment in group}

    def merge(writer, segments):
        from whoosh.reading import SegmentReader

        kept = []
        for segment in segments:
            if segment.segment_id() in ids:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            else:
                kept.append(segment)
        return kept

    return merge


T = TypeVar("T")


class IndexLockTimeout(RuntimeError):
    """Another process held the index write lock for too long."""


# A write that holds the lock longer than this is logged (with what it did).
SLOW_WRITE_SECONDS = 2.0


@contextmanager
def index_write_lock(index_path: str, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the archive's cross-process write lock for the index at index_path."""
    lock_path = os.path.abspath(index_path).rstrip(os.sep) + ".write-lock"
    with open(lock_path, "a") as lock_file:
        asked = time.monotonic()
        deadline = asked + timeout
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
        held = time.monotonic()
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
            done = time.monotonic()
            if done - held > SLOW_WRITE_SECONDS:
                log.warning(
                    "index write held the lock %.1f s (after waiting %.1f s)",
                    done - held,
                    held - asked,
                )


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


def _commit(writer, *, merge: bool, max_tier: int | None = REQUEST_MERGE_TIER) -> None:
    """Commit, joining one group of small segments if one is due (see merge_group)."""
    group = merge_group(writer.segments, max_tier) if merge else []
    if not group:
        writer.commit(merge=False)
        return
    sizes = [s.doc_count_all() for s in group]
    start = time.monotonic()
    writer.commit(mergetype=merging(group))
    log.info("merged index segments %s in %.1f s", sizes, time.monotonic() - start)


def merge_segments(index: Index, index_path: str) -> None:
    """Merge group after group, big tiers included (after imports and
    rebuilds, which leave many unmerged segments), until none is due."""
    while True:
        with index_write_lock(index_path):
            writer = index.writer(timeout=LOCK_TIMEOUT_SECONDS, delay=0.05)
            if not merge_group(writer.segments, None):
                writer.cancel()
                return
            _commit(writer, merge=True, max_tier=None)


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
