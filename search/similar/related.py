"""Related articles: "more like this" over the analyzer's terms, through the
engine seam, so both engines relate the same way.

An article's most distinctive terms (frequent in it, rare in the archive:
tf·idf, title words counted three times) are looked up in the index; an
article's score is the sum of the tf·idf weights of the terms it shares
(`SearchEngine.more_like`, the same rule in every engine: ranking searches
by BM25F or ts_rank would favour long articles holding many of the words).
The article itself is left out. Terms in more than 5 % of the archive say little about a story
and would make the query match a large part of a big archive, so they are
left out too (and above 5,000 articles whatever the archive's size).
"""

from __future__ import annotations

import logging
import math
from collections import Counter

from django.core.cache import cache

from archive.models import Article
from search.engines.base import engine
from search.language.analysis import words

log = logging.getLogger(__name__)

QUERY_TERMS = 12  # distinctive terms looked up
CANDIDATES = 40  # most frequent terms of the article whose rarity is looked up
COMMON_SHARE = 0.05  # a term in more of the archive than this is not distinctive
COMMON_FLOOR = 20  # ... except in a small archive, where 5 % is a handful of articles
# ... and never more than this many articles: each is read to find its id (at
# 1,000,000 articles, terms of up to 50,000 articles took related articles to
# p50 304 ms).
COMMON_CEILING = 5_000
BODY_WORDS = 1500  # a long article's story is in its first words
CACHE_SECONDS = 600


def distinctive_terms(title: str, body: str) -> dict[str, float]:
    """The article's terms with the highest tf·idf and their weights, most
    distinctive first.

    Digits and one- or two-letter terms are left out: they are numbers,
    initials and clitic remains rather than what a story is about.
    """
    counts: Counter[str] = Counter()
    for word in words(title):
        counts.update({term: 3 for term in word.terms})
    for n, word in enumerate(words(body)):
        if n >= BODY_WORDS:
            break
        counts.update(word.terms)
    candidates = [term for term, _ in counts.most_common() if len(term) > 2 and not term.isdigit()][
        :CANDIDATES
    ]
    if not candidates:
        return {}
    search = engine()
    total = max(1, search.document_count())
    frequencies = search.term_frequencies(candidates)
    ceiling = max(COMMON_FLOOR, min(COMMON_CEILING, int(total * COMMON_SHARE)))
    scored = [
        (counts[term] * math.log(total / frequency), term)
        for term in candidates
        if 2 <= (frequency := frequencies.get(term, 0)) <= ceiling
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return {term: weight for weight, term in scored[:QUERY_TERMS]}


def related_article_ids(article: Article, *, limit: int = 5) -> list[int]:
    """Ids of the articles most like this one, best first (cached a while:
    the answer changes only as the archive grows)."""
    key = f"related:{article.pk}:{article.updated_at.timestamp()}:{limit}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    weights = distinctive_terms(article.title, article.body)
    found = engine().more_like(weights, limit=limit + 1) if weights else []
    ids = [pk for pk, _score in found if pk != article.pk][:limit]
    cache.set(key, ids, CACHE_SECONDS)
    return ids


def related_articles(article: Article, *, limit: int = 5) -> list[Article]:
    """The articles most like this one, loaded with their sources; empty when
    the index cannot answer (the article page never fails for this)."""
    try:
        ids = related_article_ids(article, limit=limit)
    except Exception:
        log.exception("related articles failed for article %s", article.pk)
        return []
    articles = Article.objects.select_related("source").in_bulk(ids)
    return [articles[pk] for pk in ids if pk in articles]
