"""Keep the search index in step with the database.

Writes run after the transaction commits (so the index never shows a row
that was rolled back) and synchronously, so the page that saved an article
can already find it. A failed index write is logged, not raised: the article
is saved, and `manage.py update_index` repairs the index.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from archive.models import Article, Mention, Source

log = logging.getLogger(__name__)


class ArchiveSignalProcessor(BaseSignalProcessor):
    def __init__(self, *args, **kwargs) -> None:
        self._pending = threading.local()  # article pks waiting for this thread's commit
        super().__init__(*args, **kwargs)

    def _receivers(self):
        return [
            (signals.post_save, self.article_saved, Article),
            (signals.post_delete, self.article_deleted, Article),
            (signals.post_save, self.source_saved, Source),
            (signals.post_save, self.mention_changed, Mention),
            (signals.post_delete, self.mention_changed, Mention),
        ]

    def setup(self) -> None:
        for signal, receiver, sender in self._receivers():
            signal.connect(receiver, sender=sender)

    def teardown(self) -> None:
        for signal, receiver, sender in self._receivers():
            signal.disconnect(receiver, sender=sender)

    def _after_commit(self, action, *args) -> None:
        def run() -> None:
            try:
                action(*args)
            except Exception:
                log.exception("search index update failed; run `manage.py update_index`")

        transaction.on_commit(run)

    def queue_reindex(self, pks) -> None:
        """Reindex these articles after commit, once each however often they change
        (an article and its twenty mentions saved together: one index write)."""
        # Every call registers a flush, and the first flush after commit takes
        # the whole set: the others find it empty. (Pks left by a rolled-back
        # transaction go with the next flush, a harmless extra reindex.)
        self._pending.__dict__.setdefault("pks", set()).update(pks)
        self._after_commit(self._flush_pending)

    def _flush_pending(self) -> None:
        pks = sorted(self._pending.__dict__.pop("pks", set()))
        if pks:
            self.reindex(pks)

    def article_saved(self, sender, instance: Article, raw: bool = False, **kwargs) -> None:
        self.queue_reindex([instance.pk])

    def article_deleted(self, sender, instance: Article, **kwargs) -> None:
        self._after_commit(self.handle_delete, sender, instance)

    def source_saved(self, sender, instance: Source, created: bool = False, **kwargs) -> None:
        if not created:  # a renamed slug changes its articles' source facet
            self.queue_reindex(instance.articles.values_list("pk", flat=True))

    def mention_changed(self, sender, instance: Mention, **kwargs) -> None:
        self.queue_reindex([instance.article_id])

    def reindex(self, pks: list[int]) -> None:
        """Write the current database state of these articles to the index."""
        if not pks:
            return
        index = self.connections["default"].get_unified_index().get_index(Article)
        backend = self.connections["default"].get_backend()
        articles = index.index_queryset().filter(pk__in=pks)
        backend.update(index, list(articles))
