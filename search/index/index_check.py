"""Compare the search index with the database, and repair the difference.

Used by `check_index`, `update_index`, `rebuild_index`, `make run` (through
`check_index --repair`) and the background repair job. The comparison needs
no search documents: each document stores the version of the article it was
made from (`search.index.indexing.document_version`), computed here again from
plain database values, batch by batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from archive.models import Article, Mention
from search.engines.base import SearchEngine
from search.index import indexing
from search.models import IndexBacklog

log = logging.getLogger(__name__)

READ_BATCH = 2000

Progress = Callable[[int], None]


@dataclass
class Drift:
    """What differs between the database and the index."""

    state: str = "ok"  # ok | missing | damaged | schema | incomplete
    detail: str = ""
    articles: int = 0
    documents: int = 0
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    extra: list[int] = field(default_factory=list)  # in the index, not in the database
    stale: list[int] = field(default_factory=list)  # an older version in the index
    backlog: int = 0  # failed writes recorded (IndexBacklog)

    @property
    def needs_rebuild(self) -> bool:
        return self.state in ("missing", "damaged", "schema", "incomplete")

    @property
    def clean(self) -> bool:
        return self.state == "ok" and not (self.missing or self.extra or self.stale)

    def to_fix(self) -> list[int]:
        return sorted({*self.missing, *self.extra, *self.stale})

    def summary(self) -> str:
        if self.needs_rebuild:
            return f"index {self.state}: {self.detail} ({self.articles} articles in the database)"
        return (
            f"{self.articles} articles, {self.documents} documents: "
            f"{len(self.missing)} missing, {len(self.extra)} extra, {len(self.stale)} stale"
            + (f", {self.backlog} failed writes recorded" if self.backlog else "")
        )


def database_versions() -> Iterator[tuple[int, str]]:
    """(article id, version) of every article, read in batches of plain values."""
    last = 0
    while True:
        rows = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list(
                "pk", "title", "body", "language", "source__slug", "author", "published_at"
            )[:READ_BATCH]
        )
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        slugs: dict[int, list[str]] = {}
        for article_id, slug in Mention.objects.filter(
            article_id__gte=first, article_id__lte=last
        ).values_list("article_id", "entity__slug"):
            slugs.setdefault(article_id, []).append(slug)
        for pk, title, body, language, source_slug, author, published_at in rows:
            yield (
                pk,
                indexing.document_version(
                    title=title,
                    body=body,
                    language=language,
                    source_slug=source_slug,
                    author=author,
                    published_at=published_at,
                    entity_slugs=slugs.get(pk, ()),
                ),
            )


def index_state_of(engine: SearchEngine) -> tuple[str, str]:
    """("ok" | "missing" | "damaged" | "schema" | "incomplete", detail)."""
    try:
        names = engine.stored_schema_names()
    except Exception as error:  # an unreadable table of contents
        return "damaged", f"{type(error).__name__}: {error}"
    if names is None:
        return "missing", f"no index: {engine.describe()}"
    if names != engine.expected_schema_names():
        return "schema", "the index was built with other fields"
    reason = engine.incomplete_reason()
    if reason:
        return "incomplete", f"marked incomplete ({reason})"
    return "ok", ""


def check() -> Drift:
    engine = indexing.backend()
    engine.forget()  # read the index as it is on disk now
    state, detail = index_state_of(engine)
    drift = Drift(state=state, detail=detail, articles=Article.objects.count())
    drift.backlog = IndexBacklog.objects.count()
    if drift.needs_rebuild:
        return drift
    try:
        indexed = engine.indexed_versions()
    except Exception as error:
        engine.forget()
        drift.state, drift.detail = "damaged", f"{type(error).__name__}: {error}"
        return drift
    drift.documents = len(indexed)
    for pk, version in database_versions():
        stored = indexed.pop(pk, None)
        if stored is None:
            drift.missing.append(pk)
        elif stored != version:
            drift.stale.append(pk)
    drift.extra = sorted(indexed)
    return drift


def repair(drift: Drift, *, progress: Progress = lambda n: None) -> Drift:
    """Fix only what `drift` found (or rebuild when the index itself is unusable)."""
    if drift.needs_rebuild:
        rebuild(progress=progress)
        return check()
    for batch in indexing.chunks(drift.to_fix()):
        indexing.write_batch(batch, merge=False)
        indexing.clear_backlog(batch)
        progress(len(batch))
    if drift.to_fix():
        indexing.merge_segments()
    after = check()
    # Recorded failed writes whose articles are now in step (a failure recorded
    # meanwhile for an article still out of step stays).
    IndexBacklog.objects.exclude(article_id__in=after.to_fix()).delete()
    after.backlog = IndexBacklog.objects.count()
    return after


def rebuild(
    *, progress: Progress = lambda n: None, batch_size: int = indexing.REBUILD_BATCH_SIZE
) -> int:
    """Index every article anew; returns how many.

    While it runs, the index is marked incomplete, so search pages say that
    results may be missing; a rebuild killed midway leaves the mark (and
    `check_index --repair` rebuilds again). A damaged index is set aside
    (renamed) and a new one created.
    """
    engine = indexing.backend()
    engine.mark_incomplete("rebuilding")
    engine.prepare_rebuild()
    engine.clear()
    total = 0
    pks = Article.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)
    for batch in indexing.chunks(pks, batch_size):
        total += indexing.write_batch(batch, merge=False)
        progress(len(batch))
    engine.merge_segments()
    IndexBacklog.objects.all().delete()
    engine.mark_complete()
    engine.forget()
    return total
