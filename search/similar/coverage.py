"""The other language's coverage: Arabic and French articles about one event.

An Arabic dispatch and a French one about the same meeting, arrest or
shipwreck share almost no words, but they share what the event is made of:
the people, organisations and places of the entity register (an entity spans
both scripts through its aliases) and the numbers (digits are the same in
both: 47 migrants, 21st meeting, 11 billion dirhams), and they were
published within days of each other.

Two articles of different languages are *paired* when both are dated at most
WINDOW_DAYS apart and the shared entities and numbers weigh at least
PAIR_SCORE, counting at least two of them, one a number (pairs sharing only
places and people were mostly wrong: another event of the same week). Each
shared item weighs its rarity in the archive (log N/df: "Maroc" says little
in a Moroccan archive, "Groupe migratoire mixte permanent maroco-espagnol" a
lot), the sum divided by 1 + days apart / WINDOW_DAYS. Undated articles
are never paired: without a date, shared common numbers and entities paired
unrelated articles (measured on undated Goud.ma articles against French ones:
the best-scoring pairs were all wrong). The figures come from
bench/coverage_bench.py on a labelled sample (docs/PERFORMANCE.md).

Candidates come from the engine (through the seam, any engine): articles of
the other language in the window holding one of the entities or numbers; the
best of them by the engine's relevance are then scored here.
"""

from __future__ import annotations

import datetime
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count

from archive.models import Article, Entity, Mention
from archive.selectors import name_entities
from archive.textnorm import fold_digits
from search.engines.base import engine
from search.query_tree import And, DateRange, Keyword, Node, Term, any_of

log = logging.getLogger(__name__)

WINDOW_DAYS = 3
PAIR_SCORE = 9.0  # summed rarity of what two articles share (bench/coverage_bench.py)
PAIR_ITEMS = 2  # ... counting at least this many shared entities and numbers, one a number
RUNNER_UP = 0.5  # other pairs shown only if they score this share of the best one
CANDIDATES = 60  # the engine's best candidates scored here
NUMBERS = 12  # the rarest numbers of an article looked up
COMMON_SHARE = 0.02  # ... and entities and numbers in less than this share of the archive
LOOKUP_MIN = 4  # ... or else the rarest few
SHOWN = 3
# Rarity is judged as if the archive had at least this many articles: in a
# small archive everything is rare, and a threshold on log(N/df) would pair
# nothing (the weights would vary with the archive's size, not the story).
REFERENCE_SIZE = 10_000
CACHE_SECONDS = 600
OTHER_LANGUAGE = {"ar": "fr", "fr": "ar"}

# Digits grouped by thousands the French way ("1 200", "1.200") or the English
# way ("1,200") are one number: the Arabic press writes 1200.
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[  .,]\d{3})+(?![\d])|\d+")
_SEPARATORS = re.compile(r"[  .,]")


def numbers(text: str) -> set[str]:
    """The numbers of a text that can tell one event from another: two digits
    or more, Arabic-Indic digits folded (the analyzer's normalisation), thousands
    separators removed. Small numbers (1–9) are everywhere.

    >>> sorted(numbers("Les 1 200 migrants et 47 mineurs, le 5 mai"))
    ['1200', '47']
    >>> sorted(numbers("وصل ١٢٠٠ مهاجر و47 قاصرا"))
    ['1200', '47']
    """
    found = set()
    for match in _NUMBER.findall(fold_digits(text)):
        value = _SEPARATORS.sub("", match).lstrip("0")
        if len(value) >= 2:
            found.add(value)
    return found


@dataclass(frozen=True)
class Coverage:
    """An article of the other language about the same event, and why."""

    article: Article
    score: float
    entities: tuple[Entity, ...]  # the shared entities, named in the interface's script
    numbers: tuple[str, ...]


def _document_frequencies(entity_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Mention.objects.filter(entity_id__in=set(entity_ids))
        .values("entity_id")
        .annotate(n=Count("id"))
        .values_list("entity_id", "n")
    )


def _entities_of(article_ids: Iterable[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    mentions = Mention.objects.filter(article_id__in=list(article_ids))
    for article_id, entity_id in mentions.values_list("article_id", "entity_id"):
        found.setdefault(article_id, set()).add(entity_id)
    return found


def _candidate_tree(
    article: Article, window: int | None, slugs: list[str], rare_numbers: list[str]
) -> Node | None:
    shared = any_of(
        [Keyword("entities", slug) for slug in slugs] + [Term(value) for value in rare_numbers]
    )
    if shared is None:
        return None
    items: list[Node] = [Keyword("language", OTHER_LANGUAGE[article.language]), shared]
    if window is not None and article.published_at is not None:
        days = datetime.timedelta(days=window)
        items.insert(1, DateRange(article.published_at - days, article.published_at + days))
    return And(tuple(items))


Scored = tuple[int, float, tuple[int, ...], tuple[str, ...]]


def _shared_weights(
    article: Article, *, window: int | None, look_up_numbers: bool = True
) -> list[Scored]:
    """(article id, summed rarity, shared entity ids, shared numbers) of the
    engine's best candidates of the other language (within `window` days of
    the article when given), best first; nothing is left out here. Without
    `look_up_numbers` candidates are found by entities only (numbers still
    weigh in the scores)."""
    own_entities = _entities_of([article.pk]).get(article.pk, set())
    own_numbers = numbers(f"{article.title}\n{article.body}")
    search = engine()
    total = max(REFERENCE_SIZE, search.document_count())
    number_df = search.term_frequencies(sorted(own_numbers)) if own_numbers else {}
    # A number in no other document cannot be shared; the rarest say most.
    rare_numbers = sorted(
        (value for value in own_numbers if number_df.get(value, 0) >= 1),
        key=lambda value: (number_df[value], value),
    )[:NUMBERS]
    entity_df = _document_frequencies(own_entities)
    # Entities and numbers of more than COMMON_SHARE of the archive weigh in
    # the scores but are looked up only when fewer than LOOKUP_MIN rarer ones
    # are left: with Whoosh, "Maroc" or "2020" made the candidate search read
    # a large part of the index (140 ms an article).
    features = sorted(
        [(entity_df.get(e, 0), "entity", e) for e in own_entities]
        + [(number_df[n], "number", n) for n in rare_numbers if look_up_numbers]
    )
    looked_up = [f for f in features if f[0] <= COMMON_SHARE * total]
    if len(looked_up) < LOOKUP_MIN:
        looked_up = features[:LOOKUP_MIN]
    slugs = sorted(
        Entity.objects.filter(
            pk__in=[key for _df, kind, key in looked_up if kind == "entity"]
        ).values_list("slug", flat=True)
    )
    rare_numbers = [str(key) for _df, kind, key in looked_up if kind == "number"]
    tree = _candidate_tree(article, window, slugs, rare_numbers)
    if tree is None:
        return []
    page = search.search_page(tree, sort=None, offset=0, limit=CANDIDATES, facet_fields=())
    candidate_ids = [pk for pk, _score in page.results if pk != article.pk]
    if not candidate_ids:
        return []
    their_entities = _entities_of(candidate_ids)
    scored = []
    for candidate in Article.objects.filter(pk__in=candidate_ids).only("pk", "title", "body"):
        shared_entities = own_entities & their_entities.get(candidate.pk, set())
        shared_numbers = own_numbers & numbers(f"{candidate.title}\n{candidate.body}")
        score = sum(math.log(total / max(1, entity_df.get(e, 1))) for e in shared_entities)
        score += sum(math.log(total / max(1, number_df.get(n, 1))) for n in shared_numbers)
        scored.append(
            (candidate.pk, score, tuple(sorted(shared_entities)), tuple(sorted(shared_numbers)))
        )
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


def coverage_scores(article: Article) -> list[Scored]:
    """(article id, score, shared entity ids, shared numbers) of the paired
    articles of the other language, best first."""
    if article.published_at is None or article.language not in OTHER_LANGUAGE:
        return []
    found = _shared_weights(article, window=WINDOW_DAYS)
    dates = dict(
        Article.objects.filter(pk__in=[pk for pk, *_ in found]).values_list("pk", "published_at")
    )
    paired = []
    for pk, weight, shared_entities, shared_numbers in found:
        if dates.get(pk) is None:
            continue
        days = abs((dates[pk] - article.published_at).days)
        score = weight / (1 + days / WINDOW_DAYS)  # the same day counts fully, the edge half
        if (
            score >= PAIR_SCORE
            and shared_numbers
            and len(shared_entities) + len(shared_numbers) >= PAIR_ITEMS
        ):
            paired.append((pk, score, shared_entities, shared_numbers))
    paired.sort(key=lambda item: (-item[1], item[0]))
    return [item for item in paired if item[1] >= RUNNER_UP * paired[0][1]]


def related_in_other_language(article: Article, *, limit: int = 3) -> list[Article]:
    """Articles of the other language on the same people, places and figures,
    whenever published (the article page's related articles in both
    languages: the same-language ones share words, these share entities):
    at least one shared entity (numbers alone, months apart, relate
    unrelated stories: "30" and "66" tied a drug seizure to an air crash),
    so candidates are looked up by entities only; the paired coverage left
    out."""
    if article.language not in OTHER_LANGUAGE:
        return []
    try:
        key = f"related-other:{article.pk}:{article.updated_at.timestamp()}:{limit}"
        ids = cache.get(key)
        if ids is None:
            paired = {pk for pk, *_ in paired_article_ids(article)}
            ids = [
                pk
                for pk, _weight, shared_entities, _numbers in _shared_weights(
                    article, window=None, look_up_numbers=False
                )
                if pk not in paired and shared_entities
            ][:limit]
            cache.set(key, ids, CACHE_SECONDS)
    except Exception:
        log.exception("other-language related articles failed for article %s", article.pk)
        return []
    articles = Article.objects.select_related("source").in_bulk(ids)
    return [articles[pk] for pk in ids if pk in articles]


def paired_article_ids(article: Article) -> list[Scored]:
    """coverage_scores, cached a while (the answer changes only as the archive
    grows; the article page asks on every view)."""
    key = f"coverage:{article.pk}:{article.updated_at.timestamp()}"
    cached = cache.get(key)
    if cached is None:
        cached = coverage_scores(article)[:SHOWN]
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def other_language_coverage(article: Article, *, interface: str) -> list[Coverage]:
    """The articles of the other language about this article's event, best
    first, with the entities and numbers they share; empty when the index
    cannot answer (the article page never fails for this)."""
    try:
        scored = paired_article_ids(article)
    except Exception:
        log.exception("other-language coverage failed for article %s", article.pk)
        return []
    articles = Article.objects.select_related("source").in_bulk([pk for pk, *_ in scored])
    entity_ids = {e for _pk, _score, shared, _numbers in scored for e in shared}
    entities = {
        entity.pk: entity
        for entity in name_entities(Entity.objects.filter(pk__in=entity_ids), interface)
    }
    return [
        Coverage(
            article=articles[pk],
            score=score,
            entities=tuple(entities[e] for e in shared if e in entities),
            numbers=shared_numbers,
        )
        for pk, score, shared, shared_numbers in scored
        if pk in articles
    ]
