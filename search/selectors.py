"""The one way articles are searched: the search page and the exports call
`article_search`, so their results are the same, in the same order."""

from __future__ import annotations

import datetime
import enum
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from archive.models import Article, Entity, Language, Source
from archive.selectors import entity_names, wire_versions
from search.engines.base import NEWEST, OLDEST, OrderedHits, SearchPage, Sort, engine
from search.engines.index_state import IndexUnavailable
from search.language.highlight import Highlighter
from search.order import ranking
from search.order.interleave import InterleavedHits, interleave, turn_order
from search.order.ranking import best_named_first, query_words
from search.queries.concepts import expanded_concepts
from search.queries.entities import expanded_entities
from search.queries.query import ParsedQuery, date_range
from search.query_tree import And, DateRange, Keyword, Node, all_of

log = logging.getLogger(__name__)

FACET_FIELDS = ("language", "source", "entities", "year")
SORT_ORDERS = {"newest": NEWEST, "oldest": OLDEST}
SORTS = ("relevance", "newest", "oldest")
INTERLEAVED = "interleaved"  # a page note: the languages were taken in turn


class ResultOrder(enum.Enum):
    """How a search's hits are ordered: decided once, by
    `SearchCriteria.result_order`, for the page, the exports, the feeds and
    the wire-copy groups alike, so that each lists the same articles in the
    same order."""

    ENGINE = "engine"  # the engine's date order or relevance, as it is
    BEST_NAMED = "best_named"  # relevance, the first hits by search.order.ranking
    IN_TURN = "in_turn"  # each language ranked alone, taken in turn (search.order.interleave)


@dataclass(frozen=True)
class SearchCriteria:
    """What to search: the parsed query plus the page's filters."""

    query: ParsedQuery
    language: str | None = None
    source: str | None = None
    entity: str | None = None
    year: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"

    @property
    def has_filters(self) -> bool:
        return any(
            (self.language, self.source, self.entity, self.year, self.date_from, self.date_to)
        )

    def tree(self) -> Node | None:
        """The whole query with the filters (None when there is nothing to search)."""
        clauses: list[Node] = [self.query.tree] if self.query.tree is not None else []
        for index_field, value in (
            ("language", self.language),
            ("source", self.source),
            ("entities", self.entity),
            ("year", self.year),
        ):
            if value:
                clauses.append(Keyword(index_field, value))
        if self.date_from or self.date_to:
            clauses.append(date_range(self.date_from, self.date_to))
        return all_of(clauses)

    def result_order(self) -> ResultOrder:
        """The one rule for the order of the hits.

        Languages in turn (search.order.interleave) for a query widened to a
        thesaurus concept, ranked by relevance, in no one language: the typed
        language would otherwise fill the first pages. The literal search
        (no concept) keeps one ranking. The first hits by
        search.order.ranking for a relevance search of plain words typed in
        their own script; not for an Arabizi word, searched with spellings
        the reader did not type, so that how rare each is says nothing about
        the title meant. Otherwise the engine's order."""
        relevance = self.order() is None
        if relevance and self.query.concepts and not self.language:
            return ResultOrder.IN_TURN
        if relevance and not self.query.transliterations and query_words(self.tree()):
            return ResultOrder.BEST_NAMED
        return ResultOrder.ENGINE

    def order(self) -> Sort:
        """The date order, or None for relevance. Without words to rank by
        (only filters, fields like lang: or date:, or exclusions), newest
        first: a relevance order would be the index's arbitrary one, and
        scoring every match of a broad filter is the slowest search there is
        (87 ms for two years of Arabic articles at 30,000, against 50 ms sorted)."""
        if self.sort in SORT_ORDERS:
            return SORT_ORDERS[self.sort]
        return None if self.query.terms else NEWEST


@dataclass
class SearchOutcome:
    """One page of hits with the totals and facet counts of the whole result set."""

    results: list = field(default_factory=list)
    hits: int = 0
    number: int = 1
    per_page: int = 20
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    failed: bool = False
    # From the engine: "prefix_capped", "time_limit" (partial results).
    notes: tuple[str, ...] = ()
    # The index is known to lack articles (rebuild running or killed, index recreated).
    incomplete: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.hits / self.per_page))

    # The attributes includes/pagination.html reads from a Django Page.
    @property
    def paginator(self) -> SearchOutcome:
        return self

    @property
    def count(self) -> int:
        return self.hits

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.hits else 0


def article_search(criteria: SearchCriteria, *, page: int = 1, per_page: int = 20) -> SearchOutcome:
    """One page of matching articles (loaded with their sources, in the
    engine's order), with the hit count and facet counts of the whole set.

    An empty query with no filters finds nothing rather than every article.
    A failing index is logged and reported as `failed`, never raised.
    """
    tree = criteria.tree()
    if tree is None:
        return SearchOutcome(per_page=per_page)
    order = criteria.order()
    number = max(1, page)
    try:
        ordering = criteria.result_order()
        found, loaded = _search(tree, order, number, per_page, ordering)
        last = max(1, math.ceil(found.hits / per_page))
        if number > last:  # past the end: show the last page
            number = last
            found, loaded = _search(tree, order, number, per_page, ordering)
        if ordering is ResultOrder.IN_TURN and found.rankings and len(found.rankings) > 1:
            found = _in_turn(found, number, per_page)
    except IndexUnavailable as error:
        log.error("search unavailable: %s", error)
        return SearchOutcome(per_page=per_page, failed=True)
    except Exception:
        log.exception("search failed for %s", tree)
        return SearchOutcome(per_page=per_page, failed=True)
    unloaded = [pk for pk, _ in found.results if pk not in loaded]
    articles = {**loaded, **Article.objects.select_related("source").in_bulk(unloaded)}
    return SearchOutcome(
        # An article deleted since it was indexed is skipped, not shown broken.
        results=[articles[pk] for pk, _ in found.results if pk in articles],
        hits=found.hits,
        number=number,
        per_page=per_page,
        facets=found.facets,
        notes=found.notes,
        incomplete=index_incomplete(),
    )


def article_search_with_fallback(
    criteria: SearchCriteria, *, page: int = 1, per_page: int = 20
) -> tuple[SearchCriteria, SearchOutcome]:
    """`article_search`, and when it finds nothing, the same search with the
    query's fallback (an Arabic word's first letter also read as a clitic
    the analyzer refuses: بسر as ب + سر), if that finds something. Returns
    the criteria searched, for the page's notice and highlighting."""
    outcomes: dict[int, SearchOutcome] = {}

    def count(searched: SearchCriteria) -> int | None:
        outcome = outcomes[id(searched)] = article_search(searched, page=page, per_page=per_page)
        return None if outcome.failed else outcome.hits

    chosen = _fallback_rule(criteria, count)
    if id(chosen) not in outcomes:  # no fallback: the rule searched nothing yet
        count(chosen)
    return chosen, outcomes[id(chosen)]


def _fallback_rule(
    criteria: SearchCriteria, count: Callable[[SearchCriteria], int | None]
) -> SearchCriteria:
    """The fallback rule, written once: the query's fallback is searched when
    the query as typed finds nothing (a count of 0, not an index that could
    not answer), and shown only if it finds something."""
    fallback = criteria.query.fallback
    if fallback is None or count(criteria) != 0:
        return criteria
    wider = replace(criteria, query=fallback)
    return wider if count(wider) else criteria


def searched_criteria(criteria: SearchCriteria) -> SearchCriteria:
    """The criteria whose results the search page shows for these (the rule
    of `article_search_with_fallback`, read from hit counts only): the
    fallback's when these find nothing in the archive and it finds
    something. For what reads a part of those results by query tree rather
    than through `article_search_with_fallback`: a saved search's new-match
    count and e-mail digests (articles added since a moment)."""
    return _fallback_rule(criteria, lambda searched: hit_count(searched.tree()))


def hit_count(tree: Node | None) -> int | None:
    """How many articles the query tree finds, without loading or scoring a
    page (None when the index cannot say)."""
    if tree is None:
        return 0
    try:
        return engine().search_page(tree, sort=None, offset=0, limit=1, facet_fields=()).hits
    except Exception:
        log.exception("counting the hits of %s failed", tree)
        return None


EARLIER_PAGES_MAX = 2000  # hits before the page read to leave out groups shown there


def group_wire_copies(criteria: SearchCriteria, outcome: SearchOutcome) -> list[tuple]:
    """The page's articles as one row per wire-copy group: (article, its
    other versions), the first copy the engine ranks standing for its group.

    A group already shown on an earlier page (one of its copies ranks higher)
    is left out here too, so that paging never shows one dispatch twice: the
    ids of the earlier hits are read from the engine (ids only, up to
    EARLIER_PAGES_MAX: deeper, a group may show again). Totals and facets
    still count every article.
    """
    versions = wire_versions(article.pk for article in outcome.results)
    earlier: set[int] = set()
    offset = (outcome.number - 1) * outcome.per_page
    if offset and any(versions.values()) and offset <= EARLIER_PAGES_MAX:
        tree = criteria.tree()
        if tree is not None:
            try:
                hits = _ordered_hits(criteria, tree, offset)
                earlier = {pk for pk, _score in hits.ids(0, min(offset, len(hits)))}
            except Exception:
                log.exception("earlier pages unavailable for %s", tree)
    shown: set[int] = set(earlier)
    rows = []
    for article in outcome.results:
        others = versions.get(article.pk, [])
        group = {article.pk, *(other.pk for other in others)}
        if others and group & shown:
            continue
        shown.update(group)
        rows.append((article, others))
    return rows


def index_incomplete() -> bool:
    """True while the index is known to lack articles (see search.engines.index_state)."""
    return engine().incomplete_reason() is not None


def _search(
    tree: Node, order: Sort, number: int, per_page: int, ordering: ResultOrder
) -> tuple[SearchPage, dict[int, Article]]:
    """The page of hits in `ordering` (the languages' rankings for IN_TURN,
    which `_in_turn` takes in turn), and the articles already loaded to order
    them. One engine call answers the page, its total and its facets."""
    offset = (number - 1) * per_page
    if ordering is not ResultOrder.BEST_NAMED or offset >= ranking.WINDOW:
        found = engine().search_page(
            tree,
            sort=order,
            offset=offset,
            limit=per_page,
            facet_fields=FACET_FIELDS,
            rank_within="language" if ordering is ResultOrder.IN_TURN else None,
        )
        return found, {}
    # The first WINDOW hits in the order of search.order.ranking, then the page.
    found = engine().search_page(
        tree,
        sort=None,
        offset=0,
        limit=max(ranking.WINDOW, offset + per_page),
        facet_fields=FACET_FIELDS,
    )
    head = [pk for pk, _score in found.results[: ranking.WINDOW]]
    loaded = Article.objects.select_related("source").in_bulk(head)
    ranked = _best_named(tree, found.results, {pk: a.title for pk, a in loaded.items()})
    return found._replace(results=ranked[offset : offset + per_page]), loaded


def _best_named(
    tree: Node, hits: list[tuple[int, float | None]], titles: dict[int, str]
) -> list[tuple[int, float | None]]:
    """`hits` with the first WINDOW in the order of search.order.ranking (`titles`:
    theirs, by id). Frequencies as the engine knows them without counting."""
    head = hits[: ranking.WINDOW]
    score = dict(head)
    order = best_named_first(
        tree,
        [(pk, titles.get(pk, "")) for pk, _ in head],
        lambda terms: engine().term_frequencies(terms, exact=False),
    )
    return [(pk, score[pk]) for pk in order] + hits[ranking.WINDOW :]


class BestNamedHits:
    """Ordered hits with the first WINDOW in the order of search.order.ranking, as
    the search page shows them (exports list what the page lists)."""

    def __init__(self, hits: OrderedHits, tree: Node) -> None:
        self._hits = hits
        self._tree = tree
        self._head: list[tuple[int, float | None]] | None = None
        self.hits = hits.hits
        self.notes = hits.notes

    def __len__(self) -> int:
        return len(self._hits)

    def ids(self, start: int, stop: int) -> list[tuple[int, float | None]]:
        if start >= ranking.WINDOW:
            return self._hits.ids(start, stop)
        if self._head is None:
            head = self._hits.ids(0, min(ranking.WINDOW, len(self)))
            titles = Article.objects.filter(pk__in=[pk for pk, _ in head])
            self._head = _best_named(self._tree, head, dict(titles.values_list("pk", "title")))
        tail = self._hits.ids(ranking.WINDOW, stop) if stop > ranking.WINDOW else []
        return self._head[start:stop] + tail

    def updated_at(self) -> float | None:
        return self._hits.updated_at()


def _in_turn(found: SearchPage, number: int, per_page: int) -> SearchPage:
    """The page with its languages in turn (search.order.interleave); totals and
    facets stay those of the whole search."""
    counts = dict(found.facets.get("language", []))
    rankings = found.rankings or {}
    order = turn_order({code: counts.get(code, 0) for code in rankings})
    start = (number - 1) * per_page
    return found._replace(
        results=interleave([rankings[code] for code in order], start, start + per_page),
        notes=(*found.notes, INTERLEAVED),
    )


def _ordered_hits(criteria: SearchCriteria, tree: Node, limit: int) -> OrderedHits:
    """Every hit up to `limit` in the search page's order (the same
    `result_order`, the same rules, read on demand instead of one page)."""
    search = engine()
    ordering = criteria.result_order()
    if ordering is not ResultOrder.IN_TURN:
        hits = search.ordered_hits(tree, sort=criteria.order(), limit=limit)
        if ordering is ResultOrder.BEST_NAMED:
            return BestNamedHits(hits, tree)
        return hits
    parts = {
        code: search.ordered_hits(And((tree, Keyword("language", code))), sort=None, limit=limit)
        for code in Language.values
    }
    order = turn_order({code: part.hits for code, part in parts.items()})
    return InterleavedHits([parts[code] for code in order], limit)


@dataclass(frozen=True)
class FacetChoice:
    value: str
    label: str
    count: int


def facet_choices(
    facets: dict[str, list[tuple[str, int]]], language: str = "fr"
) -> dict[str, list[FacetChoice]]:
    """Facet values with display names from the database, entities named in
    the interface language (three queries at most)."""
    languages = dict(Language.choices)
    source_slugs = [v for v, _ in facets.get("source", [])]
    entity_slugs = [v for v, _ in facets.get("entities", [])]
    sources = (
        dict(Source.objects.filter(slug__in=source_slugs).values_list("slug", "name"))
        if source_slugs
        else {}
    )
    entities = {}
    if entity_slugs:
        found = list(Entity.objects.filter(slug__in=entity_slugs).only("pk", "slug", "name"))
        names = entity_names(found, language)
        entities = {entity.slug: names[entity.pk] for entity in found}
    return {
        "language": [
            FacetChoice(v, str(languages.get(v, v)), n) for v, n in facets.get("language", [])
        ],
        "source": [FacetChoice(v, sources.get(v, v), n) for v, n in facets.get("source", [])],
        "entity": [
            FacetChoice(v, entities.get(v, v), n) for v, n in facets.get("entities", [])[:15]
        ],
        "year": sorted(
            (FacetChoice(v, v, n) for v, n in facets.get("year", [])),
            key=lambda c: c.value,
            reverse=True,
        ),
    }


@dataclass(frozen=True)
class AlsoSearched:
    """What a search added to the words typed: entities, as
    (slug, name, aliases), thesaurus concepts, as (slug, name, terms),
    Arabizi words, as (word typed, Arabic spellings), and, when nothing was
    found as typed, words read without a first letter, as (word typed,
    rest)."""

    entities: list = field(default_factory=list)
    concepts: list = field(default_factory=list)
    arabizi: list = field(default_factory=list)
    clitics: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.entities or self.concepts or self.arabizi or self.clitics)

    @property
    def names(self) -> list[str]:
        """One name for each addition, in the page's order: the line that
        stands for all of them where they are folded (phones)."""
        return [
            *(name for _, name, _ in self.entities),
            *(name for _, name, _ in self.concepts),
            *(spellings[0] for _, spellings in self.arabizi if spellings),
            *(rest for _, rest in self.clitics),
        ]


def highlighter_for(
    criteria: SearchCriteria, language: str = "fr"
) -> tuple[Highlighter, AlsoSearched]:
    """The highlighter of a search (its words, every name of the entities
    and every term of the thesaurus concepts it also searched, so they are
    marked under whatever name or language an article uses), and what was
    added. The search page and the article page reached from it mark the
    same words."""
    also = AlsoSearched(
        entities=expanded_entities((slug for _, slug in criteria.query.expansions), language),
        concepts=expanded_concepts(slug for _, slug in criteria.query.concepts),
        arabizi=list(criteria.query.transliterations),
        clitics=list(criteria.query.clitics),
    )
    names = [alias for _, _, aliases in also.entities for alias in aliases]
    terms = [term for _, _, concept_terms in also.concepts for term in concept_terms]
    arabic = [spelling for _, spellings in also.arabizi for spelling in spellings]
    rests = [rest for _, rest in also.clitics]
    return Highlighter([*criteria.query.terms, *names, *terms, *arabic, *rests]), also


def article_page_highlighter(criteria: SearchCriteria) -> Highlighter:
    """The highlighter of an article opened from a search: the search's own,
    with the words its fallback may have read apart (when it found nothing
    as typed) marked too: they hold the typed words as well."""
    fallback = criteria.query.fallback
    highlighter, _also = highlighter_for(
        criteria if fallback is None else replace(criteria, query=fallback)
    )
    return highlighter


def article_hits(criteria: SearchCriteria, *, limit: int) -> OrderedHits | None:
    """Every matching article, in the search page's order, up to `limit`, as
    an `OrderedHits` (ids read on demand), or None when
    there is nothing to search. For exports. Raises IndexUnavailable."""
    tree = criteria.tree()
    if tree is None:
        return None
    return _ordered_hits(criteria, tree, limit)


# Hits per month are counted (one engine count per month) for result sets up
# to this size; larger ones keep the per-year timeline.
MONTHS_MAX_HITS = 50_000


def hits_per_month(criteria: SearchCriteria, year: int) -> list[tuple[datetime.date, int]]:
    """(first day of the month, hits) for the twelve months of a year: the
    search page's timeline once a year is chosen. Twelve counts through the
    engine seam (no engine keeps a month field)."""
    tree = criteria.tree()
    if tree is None:
        return []
    search = engine()
    counts = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        page = search.search_page(
            And((tree, DateRange(first, last))), sort=None, offset=0, limit=1, facet_fields=()
        )
        counts.append((first, page.hits))
    return counts
