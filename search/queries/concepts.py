"""The beat thesaurus in queries: words that are a term of a concept
(archive.models.Concept) also search the concept's other terms, in every
language and script: "migration irrégulière" also searches الهجرة غير
النظامية, الحريك and harraga. Terms are compared by their analysed form, so
an inflection typed (migrations, للهجرة) names the concept too.

Expansions happen at query time only: editing the thesaurus needs no
re-indexing, and the search page shows what was added ("Also searched"),
with a link to search only the words typed.
"""

from __future__ import annotations

import time

from django.conf import settings

from archive.models import Concept, ConceptTerm
from search.language.analysis import analyze

_cache: dict = {"at": float("-inf"), "terms": {}}

# A concept term of more words than this is not looked for in unquoted words.
MAX_TERM_WORDS = 5


def concept_index() -> dict[tuple[str, ...], tuple[str, tuple[str, ...]]]:
    """{analysed terms of a concept's term: (concept slug, all its terms)},
    cached for ARCHIVE_ALIAS_CACHE_SECONDS, like the entity aliases (one
    query when it is rebuilt). A term that two concepts share names the
    first (by slug)."""
    now = time.monotonic()
    if now - _cache["at"] >= settings.ARCHIVE_ALIAS_CACHE_SECONDS:
        by_concept: dict[str, list[str]] = {}
        for slug, term in ConceptTerm.objects.order_by("concept__slug", "pk").values_list(
            "concept__slug", "term"
        ):
            by_concept.setdefault(slug, []).append(term)
        index: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {}
        for slug, terms in by_concept.items():
            for term in terms:
                key = tuple(analyze(term))
                if key:
                    index.setdefault(key, (slug, tuple(terms)))
        _cache.update(at=now, terms=index)
    return _cache["terms"]


def concept_lookup():
    """search.queries.query's `concepts`: words -> (concept slug, its terms) or None
    (one snapshot of the thesaurus for the whole query)."""
    index = concept_index()

    def concept_for(words: str) -> tuple[str, tuple[str, ...]] | None:
        key = tuple(analyze(words))
        return index.get(key) if key else None

    return concept_for


def expanded_concepts(slugs) -> list[tuple[str, str, list[str]]]:
    """(slug, name, terms) of the concepts a query was widened to, in order,
    once each."""
    order = list(dict.fromkeys(slugs))
    if not order:
        return []
    concepts = {c.slug: c for c in Concept.objects.filter(slug__in=order).prefetch_related("terms")}
    return [
        (slug, concepts[slug].name, [term.term for term in concepts[slug].terms.all()])
        for slug in order
        if slug in concepts
    ]
