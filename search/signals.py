"""Keep the search index in step with the database: what triggers a reindex.

Every change that alters an article's search document queues exactly the
affected articles; after the transaction commits (so the index never shows
a row that was rolled back) they are written synchronously through
`search.index.indexing` (so the page that saved an article can already find it).

Triggers: the archive's one change event, `archive.signals.articles_written`,
which every write of its services ends with (saves, imports, uploads inline
or by a job, re-linking, merges): indexing, segment merges and saved-search
alerts all follow from it here, in `written`. Django's model signals cover
what no service announces: a plain model save or delete, cascades (an
entity's mentions deleted with it), and the slug changes of the admin's
generic entity and source forms.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import transaction
from django.db.models import signals
from django.utils.translation import gettext as _
from haystack.signals import BaseSignalProcessor

from archive.models import Article, Entity, Mention, Source
from archive.signals import FollowerFailed, articles_written
from search.index import indexing
from search.tasks import after_bulk_write, alert_followers, enqueue_repair

# More articles than this to reindex after one admin change (an entity or a
# source with a new slug): a background job does it (~10 s of writes inline).
INLINE_REINDEX_MAX = 2000


class _PendingWrite:
    """The articles one transaction changed, indexed once after it commits."""

    def __init__(self, processor: ArchiveSignalProcessor) -> None:
        self.processor = processor
        self.pks: set[int] = set()
        self.bulk = False
        self.done = False

    def add(self, pks: Iterable[int], bulk: bool) -> None:
        self.pks.update(pks)
        self.bulk = self.bulk or bulk

    def registered(self, connection) -> bool:
        """Still waiting in this connection's on_commit callbacks."""
        return connection.in_atomic_block and any(
            entry[1] is self for entry in connection.run_on_commit
        )

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        self.processor._write(self.pks, self.bulk)


class ArchiveSignalProcessor(BaseSignalProcessor):
    def __init__(self, *args, **kwargs) -> None:
        self._pending = threading.local()  # this thread's _PendingWrite, if any
        super().__init__(*args, **kwargs)

    def _receivers(self):
        return [
            (signals.post_save, self.article_changed, Article),
            (signals.post_delete, self.article_changed, Article),
            (signals.post_save, self.mention_changed, Mention),
            (signals.post_delete, self.mention_changed, Mention),
            (signals.pre_save, self.remember_slug, Entity),
            (signals.post_save, self.slug_saved, Entity),
            (signals.pre_save, self.remember_slug, Source),
            (signals.post_save, self.slug_saved, Source),
            (articles_written, self.written, None),
        ]

    def setup(self) -> None:
        for signal, receiver, sender in self._receivers():
            signal.connect(receiver, sender=sender)

    def teardown(self) -> None:
        for signal, receiver, sender in self._receivers():
            signal.disconnect(receiver, sender=sender)

    def queue_reindex(self, pks: Iterable[int], *, bulk: bool = False) -> None:
        """Reindex these articles after commit, once each however often they change
        (an article and its twenty mentions saved together: one index write)."""
        if indexing.backend().transactional:
            # The engine's documents are rows of this database: written now,
            # in this transaction, they commit or roll back with the article.
            indexing.write_now(pks)
            return
        # One write per transaction: the calls of one transaction add to one
        # pending write, which every call registers with on_commit and the
        # first callback after commit runs (the others find it done). A
        # transaction rolled back discards its callbacks, so its pending write
        # is never reused: nothing of a rolled-back write, bulk or not,
        # reaches the next transaction's.
        connection = transaction.get_connection()
        pending = getattr(self._pending, "write", None)
        if pending is None or pending.done or not pending.registered(connection):
            pending = _PendingWrite(self)
            self._pending.write = pending
        pending.add(pks, bulk)
        transaction.on_commit(pending)  # outside a transaction: runs now

    def _write(self, pks: set[int], bulk: bool) -> None:
        # Bulk writes leave merging to their end; a write that fails after
        # its retries is recorded, and the repair job tries again.
        if pks and not indexing.reindex_articles(
            pks, merge=not bulk, batch_size=len(pks) if bulk else indexing.BATCH_SIZE
        ):
            enqueue_repair()
            if bulk:
                # Saving more batches that nobody can find helps no one: the
                # import or upload stops after this one (archive.signals).
                raise FollowerFailed(
                    _(
                        "The search index could not be written, so the import stopped. "
                        "The %(count)s articles of its last batch are saved but not yet "
                        "searchable: a repair job has been queued (or run "
                        "“manage.py check_index --repair”). Run the import again to add "
                        "the rest; what is already saved comes back as duplicates."
                    )
                    % {"count": len(pks)}
                )

    def article_changed(self, sender, instance: Article, **kwargs) -> None:
        self.queue_reindex([instance.pk])

    def mention_changed(self, sender, instance: Mention, **kwargs) -> None:
        self.queue_reindex([instance.article_id])

    def remember_slug(self, sender, instance: Entity | Source, raw: bool = False, **kwargs):
        instance._slug_in_index = (
            sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
            if instance.pk and not raw
            else None
        )

    def slug_saved(self, sender, instance: Entity | Source, created: bool = False, **kwargs):
        """Documents hold entity and source slugs (filters and facets): a new
        slug must reach every article of the entity or source. A new name with
        the same slug changes no document."""
        before = getattr(instance, "_slug_in_index", None)
        if created or before is None or before == instance.slug:
            return
        if isinstance(instance, Entity):
            affected = list(instance.mentions.values_list("article_id", flat=True))
        else:
            affected = list(instance.articles.values_list("pk", flat=True))
        if len(affected) > INLINE_REINDEX_MAX:
            # Too long for the admin's request: the repair job rewrites exactly
            # the documents whose stored version no longer matches.
            transaction.on_commit(enqueue_repair)
        else:
            self.queue_reindex(affected)

    def written(
        self,
        sender,
        pks: Iterable[int] = (),
        created: bool = False,
        known: Iterable[int] = (),
        bulk: bool = False,
        final: bool = True,
        **kwargs,
    ) -> None:
        """The archive's change event (archive.signals): the written articles
        indexed after commit (a bulk batch in one large commit, unmerged), the
        known ones indexed if missing; after the write's last event, the
        merge of what the batches wrote and the followers' alerts."""
        pks = list(pks)
        if pks:
            self.queue_reindex(pks, bulk=bulk)
        known = list(known)
        if known:
            transaction.on_commit(lambda: self._index_missing(known))
        if final and bulk:
            transaction.on_commit(after_bulk_write)
        if final and created:
            transaction.on_commit(alert_followers)

    @staticmethod
    def _index_missing(pks: list[int]) -> None:
        if not indexing.index_missing(pks):
            enqueue_repair()
