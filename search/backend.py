"""haystack's Whoosh backend with serialised, synchronous writes.

Reads are haystack's; every write goes through ``search.index_writer`` so that
several gunicorn workers can save articles at once without losing an update.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import TEXT
from whoosh.query import NullQuery
from whoosh.writing import CLEAR

from search import mapped_files
from search.index_writer import (
    LOCK_TIMEOUT_SECONDS,
    delete_documents,
    index_write_lock,
    merge_segments,
    opened_despite_commits,
    write_documents,
)

mapped_files.install()  # before any index is opened: see search/mapped_files.py


# Sorting by a field (the date) also sorts by this one, so that equal dates
# always come in one order: by article id, in the same direction.
TIE_BREAK = "article_id"


def sort_keys(sort_field: str | None) -> list[str] | None:
    # In an index built before the tie-break existed, the field has no values:
    # Whoosh then sorts by the date alone, until `rebuild_index`.
    return [sort_field, TIE_BREAK] if sort_field else None


class SearchPage(NamedTuple):
    hits: int
    results: list[tuple[str, float | None]]
    facets: dict[str, list[tuple[str, int]]]


class OrderedHits:
    """Every hit of a query in order, as engine document numbers, bound to the
    searcher that found them (numbers are only valid for that index version).

    It holds the thread's shared searcher, which nothing replaces within the
    request while an export streams, so the numbers stay valid."""

    def __init__(self, searcher, top: list[tuple[float | None, int]], hits: int, *, scored: bool):
        """top: whoosh's (score, docnum) pairs, or (sort key, docnum) when not scored."""
        self.searcher = searcher
        # Packed arrays, 12 bytes a hit (a list of tuples takes ten times more).
        self.docnums = array("l", (docnum for _, docnum in top))
        self.scores = array("d", (score if scored else math.nan for score, _ in top))
        self.hits = hits

    def __len__(self) -> int:
        return len(self.docnums)

    def django_ids(self, start: int, stop: int) -> list[tuple[str, float | None]]:
        """(django id, score) of hits start..stop, read from the index on demand."""
        return [
            (self.searcher.stored_fields(docnum)["django_id"], None if math.isnan(score) else score)
            for docnum, score in zip(self.docnums[start:stop], self.scores[start:stop], strict=True)
        ]

    def updated_at(self) -> float:
        """When the index version these hits come from was written (epoch seconds)."""
        return self.searcher._ix.last_modified()


class ArchiveWhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        """haystack's schema, with analysed text neither stored, sortable nor
        spelled.

        haystack stores every field, makes text fields sortable and gives the
        document field a spelling word graph, which puts each article's text in
        the index three more times; pages load articles from the database and
        suggestions use the terms, so the index keeps only what it searches.
        """
        content_field_name, schema = super().build_schema(fields)
        for _name, field in schema.items():
            if isinstance(field, TEXT):
                field.stored = False
                field.column_type = None
                # No word graph per commit: search/suggest.py works on the terms.
                field.spelling = False
        if TIE_BREAK in schema:
            tie_break = schema[TIE_BREAK]
            tie_break.column_type = tie_break.default_column()  # sortable
        return content_field_name, schema

    def _documents(self, index, iterable):
        for obj in iterable:
            try:
                document = index.full_prepare(obj)
            except SkipDocument:
                continue
            document.pop("boost", None)  # not supported by Whoosh 2.5+
            yield {key: self._from_python(value) for key, value in document.items()}

    def setup(self) -> None:
        # haystack opens the index here: once per thread, maybe while another
        # process commits.
        opened_despite_commits(super().setup)

    def update(self, index, iterable, commit=True, merge=True) -> None:
        if not self.setup_complete:
            self.setup()
        documents = list(self._documents(index, iterable))
        if documents:
            write_documents(self.index, self.path, documents, merge=merge)

    def merge_segments(self) -> None:
        """After unmerged bulk writes: merge small segments so searches stay fast."""
        if not self.setup_complete:
            self.setup()
        merge_segments(self.index, self.path)

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
                # Commit a new, empty generation (Whoosh's CLEAR merge). Recreating
                # the index would restart generation numbers, and a process holding
                # a searcher of an equal number would take it as up to date.
                writer = self.index.writer(timeout=LOCK_TIMEOUT_SECONDS, delay=0.05)
                writer.commit(mergetype=CLEAR)

    def shared_searcher(self):
        """This process's searcher, reopened only when the index has changed.

        haystack opens a new searcher (and re-reads every segment file) for each
        query; reusing one is most of the difference between 100 ms and 10 ms.
        The backend object is per thread (haystack's connections are), so the
        searcher is never shared between threads.
        """
        if not self.setup_complete:
            self.setup()
        current = getattr(self, "_searcher", None)
        if current is not None and not current.up_to_date():
            # Not Searcher.refresh(): whoosh-reloaded 2.7.5 merges the old
            # reader's segments into the new one, so deleted and replaced
            # documents would come back.
            current.close()
            current = None
        if current is None:
            current = self.index.searcher()
            self._facet_lists = {}
        self._searcher = current
        return current

    def _values_by_document(self, searcher, fieldname: str) -> list[tuple[str, ...]]:
        """For a KEYWORD field, each document's values, built once per index version."""
        cache = getattr(self, "_facet_lists", None)
        if cache is None:
            cache = self._facet_lists = {}
        if fieldname not in cache:
            reader = searcher.reader()
            values: list[list[str]] = [[] for _ in range(reader.doc_count_all())]
            if fieldname in reader.schema and reader.indexed_field_names():
                for term in reader.lexicon(fieldname):
                    text = term.decode("utf-8")
                    for docnum in reader.postings(fieldname, term).all_ids():
                        values[docnum].append(text)
            cache[fieldname] = [tuple(v) for v in values]
        return cache[fieldname]

    def ordered_hits(
        self,
        query_string: str,
        *,
        sort_field: str | None = None,
        reverse: bool = False,
        limit: int,
    ) -> OrderedHits:
        """Up to `limit` hits in order, without loading their stored fields
        (exports resolve ids batch by batch)."""
        searcher = self.shared_searcher()
        query = self.parser.parse(query_string)
        if query is None or query is NullQuery or not searcher.doc_count():
            return OrderedHits(searcher, [], 0, scored=False)
        found = searcher.search(query, limit=limit, sortedby=sort_keys(sort_field), reverse=reverse)
        return OrderedHits(searcher, found.top_n, len(found), scored=sort_field is None)

    def faceted_search(
        self,
        query_string: str,
        *,
        sort_field: str | None = None,
        reverse: bool = False,
        offset: int = 0,
        limit: int | None = 20,
        facet_fields: Sequence[str] = (),
    ) -> SearchPage:
        """One engine search: a page of (django_id, score), the total, facet counts.

        limit=None returns every hit (in order), e.g. for exports.
        """
        searcher = self.shared_searcher()
        query = self.parser.parse(query_string)
        if query is None or query is NullQuery or not searcher.doc_count():
            return SearchPage(hits=0, results=[], facets={name: [] for name in facet_fields})
        end = None if limit is None else offset + limit
        found = searcher.search(query, limit=end, sortedby=sort_keys(sort_field), reverse=reverse)
        matched = found.docs()
        facets = {}
        for name in facet_fields:
            values = self._values_by_document(searcher, name)
            counts = Counter(value for docnum in matched for value in values[docnum])
            facets[name] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        page = found[offset:end] if end is not None else found[offset:]
        results = [(hit["django_id"], hit.score) for hit in page]
        return SearchPage(hits=len(matched), results=results, facets=facets)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
