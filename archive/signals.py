"""The one change event the archive sends.

`archive/` never imports `search/`: the search index, its merges and the
saved searches' alerts follow the archive by listening to this signal. Every
write of the archive's services (`archive.services`, the ingest pipeline,
entity linking and merges) ends with it, inside its transaction, whichever
way the articles came in; so an upload run by a background job alerts like
one imported inline, by construction.

kwargs:
- ``pks``: the articles whose content or mentions the write changed
  (created, edited, re-linked, moved to another source);
- ``created``: True when the write created articles (immediate alerts);
- ``known``: articles the write met again unchanged (an import's duplicates):
  the index adds any of them it lacks (an import killed between its database
  commit and its index write left them unfindable);
- ``bulk``: True for one batch of many (the index writes it as one large
  commit and merges once, at the end of the write);
- ``final``: False while more batches of the same write follow; merges and
  alerts wait for the event with ``final=True``.

A receiver that cannot follow one batch of a bulk write (the search index
cannot be written) raises `FollowerFailed` once that batch has committed: the
write stops there, so at most that one batch is saved but not yet findable
(the receiver has queued its repair), rather than every batch after it.

Deletes and the slug changes of the admin's generic entity and source forms
reach the index through Django's own model signals (a cascade has no
service to announce it).
"""

from django.dispatch import Signal

articles_written = Signal()


class FollowerFailed(RuntimeError):
    """A receiver of `articles_written` could not do its part for a committed
    batch of a bulk write; the message says what, for the person importing."""
