"""The one interface every search engine answers through, declared whole.

Split by role: reads (`search.selectors` for pages, exports and feeds;
`search.queries.suggest`, `search.order.ranking`, `search.similar.related`), writes
(`search.index.indexing`) and maintenance (`search.index.index_check`). Nothing outside
`search.engines` knows an engine's documents, readers or document numbers,
and nothing calls a member not declared here: `make test` type-checks it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from haystack import connections

from search.query_tree import Node

# Sort orders: the index field holding the key, and whether it runs backwards.
# Equal dates always come in article id order, in the same direction.
NEWEST = ("newest_key", True)
OLDEST = ("oldest_key", False)
Sort = tuple[str, bool] | None  # None: by relevance
# Reads the rows of these article ids for indexing (search.index.indexing._load).
Loader = Callable[[Sequence[int]], Iterable]


class SearchPage(NamedTuple):
    hits: int
    results: list[tuple[int, float | None]]  # (article id, score), in order
    facets: dict[str, list[tuple[str, int]]]  # field -> (value, count), most first
    # "prefix_capped", "time_limit": the results are partial, and the page says why.
    notes: tuple[str, ...] = ()
    # With `rank_within`: each value of that keyword field -> the first
    # offset + limit hits holding it, by relevance (search.order.interleave).
    rankings: dict[str, list[tuple[int, float | None]]] | None = None


class OrderedHits(Protocol):
    """Every hit of a query in order (up to a cap), ids read on demand."""

    hits: int  # matches in all (the cap may leave some out)
    notes: tuple[str, ...]

    def __len__(self) -> int: ...

    def ids(self, start: int, stop: int) -> list[tuple[int, float | None]]: ...

    def updated_at(self) -> float | None:
        """When the index these hits come from last changed (epoch seconds)."""


class EngineReads(Protocol):
    """Searching: what the pages, exports, feeds, alerts, "did you mean",
    ranking and related articles ask of an engine."""

    def search_page(
        self,
        tree: Node,
        *,
        sort: Sort,
        offset: int,
        limit: int,
        facet_fields: Sequence[str],
        rank_within: str | None = None,
    ) -> SearchPage:
        """One page of hits (`offset`, `limit`) in `sort` order (None: by
        relevance; equal dates in article id order), the total, and the
        counts of the `facet_fields` over every hit. Never slower than
        ARCHIVE_SEARCH_TIME_BUDGET: a search stopped early says "time_limit";
        a prefix expanded to its cap says "prefix_capped"."""

    def ordered_hits(self, tree: Node, *, sort: Sort, limit: int) -> OrderedHits:
        """Every hit up to `limit`, in the page's order, read from one view of
        the index that stays open until the caller is done (an export)."""

    def term_frequency(self, term: str) -> int:
        """Articles whose text holds this index term."""

    def similar_terms(self, term: str, distance: int) -> list[tuple[str, int]]:
        """Index terms within `distance` edits of `term` sharing its first two
        letters, with their article counts."""

    def example_article(self, term: str) -> int | None:
        """The id of an article holding this index term."""

    def term_frequencies(self, terms: Sequence[str], *, exact: bool = True) -> dict[str, int]:
        """Articles holding each of these index terms (0 when none). With
        exact=False, an engine whose counts lag behind writes may leave out
        the terms it would have to count one by one (search.order.ranking reads
        them for every search and can do without)."""

    def document_count(self) -> int:
        """Articles in the index (may be an estimate on large archives)."""

    def more_like(self, weights: Mapping[str, float], *, limit: int) -> list[tuple[int, float]]:
        """(article id, score) of the articles holding the most weight of
        these index terms: the score is the sum of the weights of the terms an
        article holds; equal scores, newest id first. The same rule in every
        engine, so related articles do not depend on the engine."""


class EngineWrites(Protocol):
    """Writing documents: search.index.indexing is the only caller."""

    # True when documents are written in the database transaction of the
    # article itself (they can never drift); False when written after commit.
    transactional: bool
    # True once a write found no index and created one (indexing marks it
    # incomplete unless the write held every article).
    created: bool

    def sync(self, index, pks: Sequence[int], load: Loader, *, merge: bool = True) -> int:
        """Make the documents of these article ids match the database, in one
        commit: `load(pks)` reads the rows (under the engine's write lock, so
        the latest committed state is written); ids with no row are deleted.
        `merge=False` leaves merging small segments to `merge_segments`.
        Returns how many documents were written."""

    def missing_ids(self, pks: Sequence[int]) -> list[int]:
        """Those of these article ids that have no document."""

    def merge_segments(self) -> None:
        """After unmerged bulk writes: what keeps searches fast (a no-op for
        an engine that has nothing to merge)."""

    def refresh_vocabulary(self) -> None:
        """Bring "did you mean"'s vocabulary up to date after bulk writes (a
        no-op for an engine whose vocabulary is its index)."""

    def clear(self) -> None:
        """Remove every document (a rebuild starts with it)."""


class EngineMaintenance(Protocol):
    """The index's state: search.index.index_check (check_index, repair, rebuild)."""

    def forget(self) -> None:
        """Drop what this process holds open: the next use reads the index
        as it is now."""

    def describe(self) -> str:
        """Where the index is, for messages."""

    def stored_schema_names(self) -> list[str] | None:
        """The field names the index was built with (None: there is no index)."""

    def expected_schema_names(self) -> list[str]:
        """The field names this code builds."""

    def indexed_versions(self) -> dict[int, str]:
        """{article id: the version stored with its document}."""

    def incomplete_reason(self) -> str | None:
        """Why the index is known to lack documents (a rebuild running or
        killed), or None."""

    def mark_incomplete(self, reason: str) -> None: ...

    def mark_complete(self) -> None: ...

    def prepare_rebuild(self) -> None:
        """Make a rebuild possible: open or create the index, setting a
        damaged one aside."""


class SearchEngine(EngineReads, EngineWrites, EngineMaintenance, Protocol):
    """Everything an engine offers the archive: a new engine implements these
    members and passes tests/search/test_engine_contract.py; nothing outside
    `search.engines` may use anything else (mypy checks it)."""


def engine() -> SearchEngine:
    """The configured engine (one per thread: haystack's connections are)."""
    return connections["default"].get_backend()
