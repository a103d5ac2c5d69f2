"""Signals the archive sends when its data changes without a model signal.

`archive/` never imports `search/`: the search index follows the archive by
listening. Model saves and deletes already send Django's own signals; these
cover bulk writes (``bulk_create``, ``QuerySet.update``), which send none.
"""

from django.dispatch import Signal

# Sent after (inside the transaction of) a bulk write that changed what these
# articles contain or mention. kwargs: pks (a list of article ids), bulk (True
# for imports: the listener may index them in one large commit).
articles_changed = Signal()

# Sent when an import met articles it already holds (duplicates): the index
# adds any of them it lacks (an import killed between its database commit and
# its index write left them unfindable). kwargs: pks.
articles_seen = Signal()

# Sent after a bulk import's last batch: the index merges the many small
# segments that the batches left. No kwargs.
bulk_write_finished = Signal()

# Sent after an upload (admin, inline) added articles: followers of saved
# searches get their immediate alerts. No kwargs. (Imports send
# bulk_write_finished, which does the same.)
articles_added = Signal()
