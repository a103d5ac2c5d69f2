"""haystack's Whoosh backend with serialised, synchronous writes and bounded,
self-healing reads.

Every write goes through ``search.engines.whoosh_writer`` so that several gunicorn
workers can save articles at once without losing an update. Reads never
create an index, recover by themselves when the index comes back, refuse a
damaged file instead of crashing the worker, and are bounded in cost
(prefix expansion capped, a time budget per search).
"""

from __future__ import annotations

import heapq
import logging
import math
import os
import shutil
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from itertools import islice

from django.conf import settings
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import TEXT
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError
from whoosh.query import NullQuery, Prefix, Query, Term
from whoosh.reading import TermNotFound
from whoosh.writing import CLEAR

from search.engines import index_state, whoosh_files, whoosh_leases
from search.engines.base import Loader, SearchEngine, SearchPage, Sort
from search.engines.index_state import IndexDamaged, IndexUnavailable
from search.engines.whoosh_analysis import bilingual_analyzer
from search.engines.whoosh_query import compile_tree, weighting
from search.engines.whoosh_writer import (
    LOCK_TIMEOUT_SECONDS,
    delete_documents,
    index_write_lock,
    merge_segments,
    opened_despite_commits,
    replace_documents,
    write_documents,
)
from search.query_tree import And, Keyword, Node

log = logging.getLogger(__name__)

whoosh_files.install()  # before any index is opened: see search/engines/whoosh_files.py


# Sorting by a field (the date) also sorts by this one, so that equal dates
# always come in one order: by article id, in the same direction.
TIE_BREAK = "article_id"


def sort_keys(sort: Sort) -> list[str] | None:
    return [sort[0], TIE_BREAK] if sort else None


# The stored field that says which version of an article a document holds.
VERSION_FIELD = "version"
# A prefix expands to at most this many index terms (the most frequent ones);
# `ا*` alone expanded to tens of thousands and stalled every other search.
MAX_PREFIX_TERMS = 200
# Terms of one prefix looked at to choose them (the vocabulary is sorted).
MAX_PREFIX_SCAN = 20_000
# Searches ranked within each language (search.order.interleave) score every match
# in one pass when the query's estimate (its terms' document frequencies
# summed, an upper bound) is at most this; above, one search per language is
# cheaper (a pass costs ~14 µs a match: 93 ms for 6,500 matches at 30,000
# articles, against 55 ms for the page and two searches).
ONE_PASS_MAX = 5_000
# Document frequencies kept per searcher (term_frequencies): a few MB.
FREQUENCIES_KEPT = 50_000


class CappedPrefix(Prefix):
    """A prefix query that expands to at most MAX_PREFIX_TERMS terms, the most
    frequent ones, and records in `capped` that it left some out."""

    def __init__(self, fieldname: str, text: str, capped: list[str], boost: float = 1.0):
        super().__init__(fieldname, text, boost=boost)
        self.capped = capped

    def _btexts(self, ixreader):
        terms = list(islice(ixreader.expand_prefix(self.fieldname, self.text), MAX_PREFIX_SCAN))
        if len(terms) <= MAX_PREFIX_TERMS:
            return terms
        self.capped.append(self.text)
        return heapq.nlargest(
            MAX_PREFIX_TERMS, terms, key=lambda term: ixreader.doc_frequency(self.fieldname, term)
        )


def bounded(query: Query) -> tuple[Query, list[str]]:
    """The query with every prefix capped; the list fills with capped prefixes
    while it runs."""
    capped: list[str] = []

    def cap(node: Query) -> Query:
        if type(node) is Prefix and node.text:
            return CappedPrefix(node.fieldname, node.text, capped, boost=node.boost)
        return node

    return query.accept(cap), capped


class WhooshOrderedHits:
    """Every hit of a query in order, as engine document numbers, bound to the
    searcher that found them (numbers are only valid for that index version).

    It leases that searcher (search.engines.whoosh_leases): when the index
    changes while an export streams, the thread's shared searcher is replaced
    but this one stays open until these hits are gone, so the numbers stay
    valid and every row is read from the same index version."""

    def __init__(
        self,
        searcher,
        top: list[tuple[float | None, int]],
        hits: int,
        *,
        scored: bool,
        notes: tuple[str, ...] = (),
    ):
        """top: whoosh's (score, docnum) pairs, or (sort key, docnum) when not scored."""
        self.searcher = searcher
        whoosh_leases.lease(searcher, self)
        self.notes = notes
        # Packed arrays, 12 bytes a hit (a list of tuples takes ten times more).
        self.docnums = array("l", (docnum for _, docnum in top))
        # A hit without a score (sorted by date) is NaN in the packed array.
        self.scores = array(
            "d", (score if scored and score is not None else math.nan for score, _ in top)
        )
        self.hits = hits

    def __len__(self) -> int:
        return len(self.docnums)

    def ids(self, start: int, stop: int) -> list[tuple[int, float | None]]:
        """(article id, score) of hits start..stop, read from the index on demand."""
        return [
            (
                int(self.searcher.stored_fields(docnum)["django_id"]),
                None if math.isnan(score) else score,
            )
            for docnum, score in zip(self.docnums[start:stop], self.scores[start:stop], strict=True)
        ]

    def updated_at(self) -> float:
        """When the index version these hits come from was written (epoch seconds)."""
        return self.searcher._ix.last_modified()


class ArchiveWhooshBackend(WhooshSearchBackend):
    # Documents are written after the article's transaction commits.
    transactional = False
    # Set when a write found no index and created one (search.index.indexing).
    created = False
    # The index folder (haystack's PATH; the settings always give one).
    path: str

    def build_schema(self, fields):
        """haystack's schema, with analysed text neither stored, sortable nor
        spelled, and the document's version stored as an exact value.

        haystack stores every field, makes text fields sortable and gives the
        document field a spelling word graph, which puts each article's text in
        the index three more times; pages load articles from the database and
        suggestions use the terms, so the index keeps only what it searches.
        """
        content_field_name, schema = super().build_schema(fields)
        for _name, field in schema.items():
            if isinstance(field, TEXT):
                field.analyzer = bilingual_analyzer()  # the archive's, in every text field
                field.stored = False
                field.column_type = None
                # No word graph per commit: search/queries/suggest.py works on the terms.
                field.spelling = False
        if TIE_BREAK in schema:
            tie_break = schema[TIE_BREAK]
            tie_break.column_type = tie_break.default_column()  # sortable
        if VERSION_FIELD in schema:
            schema.remove(VERSION_FIELD)
            schema.add(VERSION_FIELD, WHOOSH_ID(stored=True))
        return content_field_name, schema

    def _documents(self, index, iterable):
        for obj in iterable:
            try:
                document = index.full_prepare(obj)
            except SkipDocument:
                continue
            document.pop("boost", None)  # not supported by Whoosh 2.5+
            yield {key: self._from_python(value) for key, value in document.items()}

    # -- opening -----------------------------------------------------------

    def setup(self, create: bool = False) -> None:
        """Open the index; create it only for a write (create=True).

        haystack creates an empty index whenever none is found, reads
        included: a search made while the directory was briefly gone left an
        empty index in its place, which then served no results without a word.
        """
        # Once per thread, maybe while another process commits.
        opened_despite_commits(lambda: self._open(create))

    def _open(self, create: bool) -> None:
        if create:
            os.makedirs(self.path, exist_ok=True)
        elif not os.path.isdir(self.path):
            raise IndexUnavailable(f"the search index directory {self.path} is missing")
        self.storage = FileStorage(self.path)
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.created = False
        try:
            self.index = self.storage.open_index(schema=self.schema)
        except EmptyIndexError:
            if not create:
                raise IndexUnavailable(
                    f"there is no search index in {self.path}: run `manage.py rebuild_index`"
                ) from None
            self.index = self.storage.create_index(self.schema)
            self.created = True
        self.setup_complete = True

    def _ensure_writable(self) -> None:
        if not self.setup_complete:
            self.setup(create=True)

    def forget(self) -> None:
        """Drop the open index and searcher: the next use opens them anew."""
        searcher = getattr(self, "_searcher", None)
        self._searcher = None
        self._segment_sizes: dict = {}
        self.setup_complete = False
        if searcher is not None:
            whoosh_leases.retire(searcher)  # closed once no export or page reads it

    def stored_schema_names(self) -> list[str] | None:
        """The field names of the index on disk (None when there is no index)."""
        try:
            stored = FileStorage(self.path).open_index()
        except (EmptyIndexError, FileNotFoundError):
            return None
        return sorted(stored.schema.names())

    def expected_schema_names(self) -> list[str]:
        _content, schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        return sorted(schema.names())

    # -- writing -----------------------------------------------------------

    def update(self, index, iterable, commit=True, merge=True) -> None:
        self._ensure_writable()
        documents = list(self._documents(index, iterable))
        if documents:
            write_documents(self.index, self.path, documents, merge=merge)

    def sync(self, index, pks: Sequence[int], load: Loader, *, merge: bool = True) -> int:
        """Make the documents of these ids match the database, in one commit.

        `load(pks)` reads the rows under the index write lock, so the latest
        committed state is what gets written; ids with no row are deleted.
        Returns how many documents were written.
        """
        self._ensure_writable()
        label = index.get_model()._meta.label_lower

        def read_changes():
            objects = list(load(pks))
            present = {obj.pk for obj in objects}
            gone = [f"{label}.{pk}" for pk in pks if pk not in present]
            return list(self._documents(index, objects)), gone

        return replace_documents(self.index, self.path, read_changes, id_field=ID, merge=merge)

    def merge_segments(self) -> None:
        """After unmerged bulk writes: merge small segments so searches stay fast."""
        self._ensure_writable()
        merge_segments(self.index, self.path)

    def refresh_vocabulary(self) -> None:
        """Nothing to do: "did you mean" reads the index's own terms."""

    def remove(self, obj_or_string, commit=True) -> None:
        self._ensure_writable()
        delete_documents(self.index, self.path, ID, [get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True) -> None:
        self._ensure_writable()
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

    # -- reading -----------------------------------------------------------

    def shared_searcher(self):
        """This thread's searcher, reopened only when the index has changed.

        haystack opens a new searcher (and re-reads every segment file) for each
        query; reusing one is most of the difference between 100 ms and 10 ms.
        The backend object is per thread (haystack's connections are), so the
        searcher is never shared between threads.

        Raises IndexUnavailable when the index is missing or damaged; the next
        call tries again, so search comes back by itself with the index.
        """
        try:
            return self._current_searcher()
        except IndexUnavailable:
            self.forget()
            raise
        except Exception as error:
            self.forget()
            raise IndexUnavailable(f"the search index could not be read: {error}") from error

    def _open_searcher(self):
        return self.index.searcher(weighting=weighting())

    def _current_searcher(self):
        if not self.setup_complete:
            self.setup()
        current = getattr(self, "_searcher", None)
        if current is not None and not current.up_to_date():
            # Open the new one first: if that fails, forget() closes the old one.
            # Not Searcher.refresh(): whoosh-reloaded 2.7.5 merges the old
            # reader's segments into the new one, so deleted and replaced
            # documents would come back.
            fresh = opened_despite_commits(self._open_searcher)
            whoosh_leases.retire(current)  # closed once no export or page reads it
            return self._adopt(fresh)
        if current is None:
            return self._adopt(opened_despite_commits(self._open_searcher))
        self._check_sizes()
        return current

    def _adopt(self, searcher):
        """Make a newly opened searcher this thread's, with empty caches (facet
        values and document frequencies belong to one index version)."""
        self._searcher = searcher
        self._segment_sizes = self._sizes_of(searcher)
        self._facet_lists: dict[str, list[tuple[str, ...]]] = {}
        self._frequencies: dict[str, int] = {}
        return searcher

    def _sizes_of(self, searcher) -> dict[str, int]:
        """The length of each segment file the searcher has mapped."""
        sizes = {}
        for leaf, _offset in searcher.reader().leaf_readers():
            segment = getattr(leaf, "_segment", None)
            if segment is not None and segment.is_compound():
                name = segment.make_filename(segment.COMPOUND_EXT)
                try:
                    sizes[name] = self.storage.file_length(name)
                except FileNotFoundError:
                    # Merged away by another process since this searcher mapped
                    # it: the mapping stays valid, and nothing can truncate it.
                    continue
        return sizes

    def _check_sizes(self) -> None:
        """Refuse to read a mapped file that has since become shorter.

        Reading a memory-mapped page past the new end of a truncated file
        raises SIGBUS, which kills the whole worker; a stat per segment file
        turns that into a clear error for this request.
        """
        for name, size in getattr(self, "_segment_sizes", {}).items():
            try:
                now = os.path.getsize(os.path.join(self.path, name))
            except FileNotFoundError:
                continue  # merged away: this searcher keeps the unlinked file mapped
            if now < size:
                raise IndexDamaged(
                    f"the search index file {name} is damaged ({now} of {size} bytes): "
                    "run `manage.py check_index --repair`"
                )

    def missing_ids(self, pks: Sequence[int]) -> list[int]:
        """Those of these article ids that have no document in the index.

        Not `doc_frequency`: it still counts a deleted document until its
        segment is merged; postings leave deleted documents out."""
        self._ensure_writable()
        with self.index.reader() as reader:
            return [pk for pk in pks if not _has_live_posting(reader, "django_id", str(pk))]

    def indexed_versions(self) -> dict[int, str]:
        """{article id: stored version} of every document (for check_index)."""
        searcher = self.shared_searcher()
        versions = {}
        for fields in searcher.all_stored_fields():
            try:
                versions[int(fields["django_id"])] = fields.get(VERSION_FIELD, "")
            except (KeyError, ValueError):
                continue
        return versions

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

    def _run(self, searcher, tree: Node, *, limit, sort: Sort, budget, compiled=None):
        """Search with capped prefixes and a time budget: (results, notes) or None
        (`compiled`: the tree's query, when the caller has it already)."""
        compiled = compile_tree(tree) if compiled is None else compiled
        if compiled is NullQuery or not searcher.doc_count():
            return None
        query, capped = bounded(compiled)
        collector = searcher.collector(
            limit=limit, sortedby=sort_keys(sort), reverse=bool(sort and sort[1])
        )
        notes = []
        if budget:
            # No SIGALRM: gunicorn serves requests from threads, where signals fail.
            collector = TimeLimitCollector(collector, timelimit=budget, use_alarm=False)
        try:
            searcher.search_with_collector(query, collector)
        except TimeLimit:
            notes.append("time_limit")
        if capped:
            notes.append("prefix_capped")
        return collector.results(), tuple(notes)

    def ordered_hits(self, tree: Node, *, sort: Sort, limit: int) -> WhooshOrderedHits:
        """Up to `limit` hits in order, without loading their stored fields
        (exports resolve ids batch by batch)."""
        searcher = self.shared_searcher()
        ran = self._run(searcher, tree, limit=limit, sort=sort, budget=None)
        if ran is None:
            return WhooshOrderedHits(searcher, [], 0, scored=False)
        found, notes = ran
        return WhooshOrderedHits(
            searcher, found.top_n, len(found), scored=sort is None, notes=notes
        )

    def search_page(
        self,
        tree: Node,
        *,
        sort: Sort = None,
        offset: int = 0,
        limit: int | None = 20,
        facet_fields: Sequence[str] = (),
        rank_within: str | None = None,
    ) -> SearchPage:
        """One engine search: a page of (article id, score), the total, facet counts.

        Facets count every match: the values of each document are read once
        per index version into a list (`_values_by_document`), so counting is
        one pass over the matching document numbers.

        With `rank_within`, the first `offset + limit` hits of each value of
        that field too. Up to ONE_PASS_MAX possible matches they come from
        the same search, every match scored once (a concept search: 28 ms
        at 30,000 articles, against 90 ms for a page and one search per
        language); beyond, from one search per value, nothing counted.
        """
        searcher = self.shared_searcher()
        end = None if limit is None else offset + limit
        compiled = compile_tree(tree)
        one_pass = (
            rank_within is not None
            and sort is None
            # Estimated with prefixes capped: an uncapped ا* would read the vocabulary.
            and bounded(compiled)[0].estimate_size(searcher.reader()) <= ONE_PASS_MAX
        )
        ran = self._run(
            searcher,
            tree,
            limit=None if one_pass else end,
            sort=sort,
            budget=settings.ARCHIVE_SEARCH_TIME_BUDGET,
            compiled=compiled,
        )
        if ran is None:
            return SearchPage(hits=0, results=[], facets={name: [] for name in facet_fields})
        found, notes = ran
        matched = found.docs()
        facets = {}
        for name in facet_fields:
            values = self._values_by_document(searcher, name)
            counts = Counter(value for docnum in matched for value in values[docnum])
            facets[name] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        page = found[offset:end] if end is not None else found[offset:]
        results = [(int(hit["django_id"]), hit.score) for hit in page]
        rankings = None
        if rank_within is not None:
            if one_pass:
                rankings = self._rankings_of(searcher, found.top_n, rank_within, end)
            else:
                values = self._values_by_document(searcher, rank_within)
                present = sorted({value for docnum in matched for value in values[docnum]})
                rankings = {
                    value: self._top_hits(
                        searcher, And((tree, Keyword(rank_within, value))), limit=end
                    )
                    for value in present
                }
        return SearchPage(
            hits=len(matched), results=results, facets=facets, notes=notes, rankings=rankings
        )

    def _rankings_of(
        self, searcher, scored: list[tuple[float, int]], fieldname: str, limit: int | None
    ) -> dict[str, list[tuple[int, float | None]]]:
        """Every match scored, in order, split by the values of `fieldname`
        (the first `limit` of each)."""
        values = self._values_by_document(searcher, fieldname)
        rankings: dict[str, list[tuple[int, float | None]]] = {}
        for score, docnum in scored:
            for value in values[docnum]:
                ranking = rankings.setdefault(value, [])
                if limit is None or len(ranking) < limit:
                    ranking.append((int(searcher.stored_fields(docnum)["django_id"]), score))
        return rankings

    def _top_hits(self, searcher, tree: Node, *, limit: int | None):
        """The first hits by relevance, nothing counted (Whoosh counts a
        page's matches by running its query a second time)."""
        ran = self._run(
            searcher, tree, limit=limit, sort=None, budget=settings.ARCHIVE_SEARCH_TIME_BUDGET
        )
        if ran is None:
            return []
        found, _notes = ran
        return [(int(hit["django_id"]), hit.score) for hit in found[0:limit]]

    # -- the vocabulary ("did you mean") -------------------------------------

    def term_frequency(self, term: str) -> int:
        return self.shared_searcher().reader().doc_frequency(self.content_field_name, term)

    def term_frequencies(self, terms: Sequence[str], *, exact: bool = True) -> dict[str, int]:
        """Kept for the searcher's life (it is reopened when the index
        changes): search.order.ranking reads the frequencies of the first hits'
        title words on every search, and each look-up walks every segment."""
        reader = self.shared_searcher().reader()
        known: dict[str, int] = self._frequencies
        field = self.content_field_name
        counts = {}
        for term in terms:
            count = known.get(term)
            if count is None:
                count = reader.doc_frequency(field, term)
                if len(known) < FREQUENCIES_KEPT:
                    known[term] = count
            counts[term] = count
        return counts

    def document_count(self) -> int:
        return self.shared_searcher().reader().doc_count()

    def more_like(self, weights: Mapping[str, float], *, limit: int) -> list[tuple[int, float]]:
        """Summed over the terms' posting lists (rare terms: short lists)."""
        searcher = self.shared_searcher()
        reader = searcher.reader()
        field = self.content_field_name
        scores: defaultdict[int, float] = defaultdict(float)
        for term, weight in weights.items():
            if (field, term) in reader:
                for docnum in reader.postings(field, term).all_ids():
                    scores[docnum] += weight
        found = [
            (int(searcher.stored_fields(docnum)["django_id"]), score)
            for docnum, score in scores.items()
        ]
        found.sort(key=lambda item: (-item[1], -item[0]))
        return found[:limit]

    def similar_terms(self, term: str, distance: int) -> list[tuple[str, int]]:
        """Through Whoosh's Levenshtein automaton over the term dictionary
        (`terms_within`: no lexicon scan). Typos rarely touch the first two
        letters; fixing them keeps the walk to a small part of the dictionary."""
        reader = self.shared_searcher().reader()
        field = self.content_field_name
        return [
            (candidate, reader.doc_frequency(field, candidate))
            for candidate in reader.terms_within(field, term, distance, prefix=2)
        ]

    def example_article(self, term: str) -> int | None:
        hits = self.shared_searcher().search(Term(self.content_field_name, term), limit=1)
        return int(hits[0]["django_id"]) if hits else None

    # -- the index's state --------------------------------------------------

    def incomplete_reason(self) -> str | None:
        return index_state.incomplete_reason(self.path)

    def mark_incomplete(self, reason: str) -> None:
        index_state.mark_incomplete(self.path, reason)

    def mark_complete(self) -> None:
        index_state.mark_complete(self.path)

    def describe(self) -> str:
        return f"the Whoosh index in {self.path}"

    def prepare_rebuild(self) -> None:
        """Open (or create) the index for a rebuild; a damaged one is set aside."""
        self.forget()
        try:
            self.setup(create=True)
            self.index.doc_count_all()
        except Exception as error:
            aside = f"{self.path.rstrip('/')}.damaged-{int(time.time())}"
            log.warning("the index could not be opened (%s); moved to %s", error, aside)
            self.forget()
            shutil.move(self.path, aside)
            self.setup(create=True)
        self.created = False


def _has_live_posting(reader, field: str, text: str) -> bool:
    try:
        return reader.postings(field, text).is_active()
    except TermNotFound:
        return False


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend


# The type checker proves this backend implements the whole declared contract.
_IMPLEMENTS: type[SearchEngine] = ArchiveWhooshBackend
