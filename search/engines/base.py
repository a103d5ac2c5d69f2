"""The one small interface every search engine answers through.

`search.selectors` (pages, exports, related articles), `search.suggest`
("did you mean") and `search.indexing` (writes) use only what is declared
here; nothing outside `search.engines` knows an engine's documents, readers
or document numbers.
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


class SearchPage(NamedTuple):
    hits: int
    results: list[tuple[int, float | None]]  # (article id, score), in order
    facets: dict[str, list[tuple[str, int]]]  # field -> (value, count), most first
    # "prefix_capped", "time_limit": the results are partial, and the page says why.
    notes: tuple[str, ...] = ()
    # With `rank_within`: each value of that keyword field -> the first
    # offset + limit hits holding it, by relevance (search.interleave).
    rankings: dict[str, list[tuple[int, float | None]]] | None = None


class OrderedHits(Protocol):
    """Every hit of a query in order (up to a cap), ids read on demand."""

    hits: int  # matches in all (the cap may leave some out)
    notes: tuple[str, ...]

    def __len__(self) -> int: ...

    def ids(self, start: int, stop: int) -> list[tuple[int, float | None]]: ...

    def updated_at(self) -> float | None:
        """When the index these hits come from last changed (epoch seconds)."""


class SearchEngine(Protocol):
    """What an engine (a haystack backend of ours) offers the archive."""

    # True when documents are written in the database transaction of the
    # article itself (they can never drift); False when written after commit.
    transactional: bool

    def search_page(
        self,
        tree: Node,
        *,
        sort: Sort,
        offset: int,
        limit: int,
        facet_fields: Sequence[str],
        rank_within: str | None = None,
    ) -> SearchPage: ...

    def ordered_hits(self, tree: Node, *, sort: Sort, limit: int) -> OrderedHits: ...

    # The vocabulary, for "did you mean".
    def term_frequency(self, term: str) -> int:
        """Articles whose text holds this index term."""

    def similar_terms(self, term: str, distance: int) -> list[tuple[str, int]]:
        """Index terms within `distance` edits of `term` sharing its first two
        letters, with their article counts."""

    def example_article(self, term: str) -> int | None:
        """The id of an article holding this index term."""

    # For related articles (search.related): how rare each term is, and the
    # articles holding the most of an article's distinctive terms.
    def term_frequencies(self, terms: Sequence[str], *, exact: bool = True) -> dict[str, int]:
        """Articles holding each of these index terms (0 when none). With
        exact=False, an engine whose counts lag behind writes may leave out
        the terms it would have to count one by one (search.ranking reads
        them for every search and can do without)."""

    def document_count(self) -> int:
        """Articles in the index (may be an estimate on large archives)."""

    def more_like(self, weights: Mapping[str, float], *, limit: int) -> list[tuple[int, float]]:
        """(article id, score) of the articles holding the most weight of
        these index terms: the score is the sum of the weights of the terms an
        article holds; equal scores, newest id first. The same rule in every
        engine, so related articles do not depend on the engine."""

    # Writes (search.indexing) and the index's state (search.index_check).
    def sync(self, index, pks: Sequence[int], load: Callable[[Sequence[int]], Iterable]) -> int: ...

    def incomplete_reason(self) -> str | None: ...


def engine() -> SearchEngine:
    """The configured engine (one per thread: haystack's connections are)."""
    return connections["default"].get_backend()
