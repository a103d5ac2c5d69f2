"""The one way the search index follows the archive.

Everything that changes what an article's search document holds ends here:
the signal processor (`search.signals`) for saves and deletes of articles,
mentions, entities and sources, and for the archive's bulk writes
(`archive.signals.articles_written`); `rebuild_index`, `check_index --repair`
and imports for bulk indexing. `archive/` never calls this module: it only
sends signals.

Each write reads the committed rows while holding the index write lock (see
`search.engines.whoosh_writer.replace_documents`), so the latest save always wins. A
write that fails is retried; if it still fails, the articles are recorded in
`IndexBacklog`, which the admin shows and `check_index --repair` (or the
background repair job) clears. A failed write is never silent.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator, Sequence

from django.db import DatabaseError
from haystack import connections

from archive.models import Article
from search.engines.base import SearchEngine, engine
from search.language.analysis import ANALYZER_VERSION
from search.models import IndexBacklog

log = logging.getLogger(__name__)

BATCH_SIZE = 500  # articles read from the database and written per commit
# A rebuild writes one segment per batch: bigger batches, no merges after
# (see reindex_articles).
REBUILD_BATCH_SIZE = 2000
RETRIES = 3
RETRY_DELAY_SECONDS = 0.2


def document_version(
    *,
    title: str,
    body: str,
    language: str,
    source_slug: str | None,
    author: str,
    published_at,
    entity_slugs: Iterable[str],
) -> str:
    """A short fingerprint of everything an article's search document is made of.

    Stored in the index with each document; `check_index` computes it again
    from the database (without building documents) to find stale ones.
    """
    digest = hashlib.blake2b(digest_size=8)
    for part in (
        ANALYZER_VERSION,  # the same article analysed anew is another document
        title,
        body,
        language,
        source_slug or "",
        author,
        published_at.isoformat() if published_at else "",
        ",".join(sorted(set(entity_slugs))),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def backend() -> SearchEngine:
    return engine()


def article_index():
    return connections["default"].get_unified_index().get_index(Article)


def _load(pks: Sequence[int]):
    return article_index().index_queryset().filter(pk__in=list(pks))


def chunks(pks: Iterable[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in pks:
        batch.append(pk)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_batch(pks: Sequence[int], *, merge: bool = True) -> int:
    """Make the index match the database for these articles (one commit).

    Raises on failure; `reindex_articles` is the forgiving caller.
    """
    engine = backend()
    written = engine.sync(article_index(), list(pks), _load, merge=merge)
    if engine.created:
        # The index was missing and has just been created for this write:
        # unless these are all the articles there are, it is incomplete.
        engine.created = False
        if Article.objects.exclude(pk__in=list(pks)).exists():
            engine.mark_incomplete("created")
    return written


def write_now(pks: Iterable[int]) -> None:
    """Write these articles' documents in the current transaction (engines
    whose documents live in the database); a failure rolls the change back."""
    for batch in chunks(sorted(set(pks))):
        write_batch(batch)


def reindex_articles(
    pks: Iterable[int], *, merge: bool = True, batch_size: int = BATCH_SIZE
) -> bool:
    """Write the committed state of these articles to the index (deleting those
    that no longer exist). Retries; on failure records the backlog and returns False.

    Imports pass a whole import batch as `batch_size`: one Whoosh segment per
    batch, rather than segments of 500 that the end of the import then merged
    (Whoosh rewrites ~150 documents a second when merging: a third of a
    10,000-article import)."""
    pending = sorted(set(pks))
    if not pending:
        return True
    for batch in chunks(pending, batch_size):
        for attempt in range(1, RETRIES + 1):
            try:
                write_batch(batch, merge=merge)
                break
            except Exception as error:
                backend().forget()  # reopen from disk on the next try
                if attempt == RETRIES:
                    log.exception("index write failed for %s articles", len(batch))
                    record_backlog(batch, error)
                    return False
                time.sleep(RETRY_DELAY_SECONDS * attempt)
        clear_backlog(batch)
    return True


def index_missing(pks: Iterable[int]) -> bool:
    """Index those of these articles that have no document (cheap when none is missing)."""
    try:
        missing = backend().missing_ids(list(pks))
    except Exception:
        log.exception("could not read the index to find missing articles")
        missing = list(pks)
    return reindex_articles(missing, merge=False) if missing else True


def merge_segments() -> None:
    backend().merge_segments()


def record_backlog(pks: Sequence[int], error: BaseException) -> None:
    """Record a failed write (the caller queues the repair job:
    search.signals)."""
    message = f"{type(error).__name__}: {error}"[:500]
    try:
        for pk in pks:
            IndexBacklog.objects.update_or_create(article_id=pk, defaults={"error": message})
    except DatabaseError:
        log.exception("could not record the index backlog; `check_index` will find the drift")


def clear_backlog(pks: Sequence[int]) -> None:
    try:
        waiting = IndexBacklog.objects.filter(article_id__in=list(pks))
        # Read first: a delete takes SQLite's write lock, even when nothing matches.
        if waiting.exists():
            waiting.delete()
    except DatabaseError:
        log.exception("could not clear the index backlog")
