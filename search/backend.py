"""haystack's Whoosh backend with serialised, synchronous writes.

Reads are haystack's; every write goes through ``search.index_writer`` so that
several gunicorn workers can save articles at once without losing an update.
"""

from __future__ import annotations

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier

from search.index_writer import delete_documents, index_write_lock, write_documents


class ArchiveWhooshBackend(WhooshSearchBackend):
    def _documents(self, index, iterable):
        for obj in iterable:
            try:
                document = index.full_prepare(obj)
            except SkipDocument:
                continue
            document.pop("boost", None)  # not supported by Whoosh 2.5+
            yield {key: self._from_python(value) for key, value in document.items()}

    def update(self, index, iterable, commit=True) -> None:
        if not self.setup_complete:
            self.setup()
        documents = list(self._documents(index, iterable))
        if documents:
            write_documents(self.index, self.path, documents)

    def remove(self, obj_or_string, commit=True) -> None:
        if not self.setup_complete:
            self.setup()
        delete_documents(self.index, self.path, ID, [get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True) -> None:
        if not self.setup_complete:
            self.setup()
        with index_write_lock(self.path):
            if models is not None:
                # One model's documents: haystack's query-based delete.
                super().clear(models=models, commit=commit)
            else:
                # A new empty generation in place: processes that have the index
                # open pick it up at their next refresh (no directory removal).
                self.index = self.storage.create_index(self.schema)

    def searcher(self):
        """A fresh Whoosh searcher on the latest commit (callers close it)."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        return self.index.searcher()


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
