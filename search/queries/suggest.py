""" "Did you mean": spelling suggestions from the index's own vocabulary.

A query word whose stem is not in the index is compared with the stems the
index holds (the engine's `similar_terms`: Whoosh walks its term dictionary
with a Levenshtein automaton, PostgreSQL reads its vocabulary table). The
closest stem used by the most articles wins, and is shown as the archive
writes it: the commonest spelling of that stem in an article that contains it
(الهجرة, not the folded stem هجر).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable

from archive.models import Article
from search.engines.base import SearchEngine, engine
from search.language.analysis import TOKEN_PATTERN, analyze, index_terms, normalize_word
from search.queries.query import OPERATORS

log = logging.getLogger(__name__)

MIN_STEM_LENGTH = 3
_WORD = re.compile(TOKEN_PATTERN)


def _closest_stem(search_engine: SearchEngine, stem: str) -> str | None:
    for distance in (1, 2):
        found = [
            (frequency, candidate)
            for candidate, frequency in search_engine.similar_terms(stem, distance)
            if candidate != stem and len(candidate) >= MIN_STEM_LENGTH and frequency
        ]
        if found:
            return max(found)[1]
    return None


def _surface_form(search_engine: SearchEngine, stem: str) -> str:
    """The commonest spelling of a stem in an article that contains it."""
    pk = search_engine.example_article(stem)
    article = Article.objects.filter(pk=pk).first() if pk is not None else None
    if article is not None:
        forms = Counter(
            "".join(ch for ch in word if ch.isalnum() or ch in "'’")
            for word in _WORD.findall(f"{article.title}\n{article.body}")
            if stem in index_terms(word, False)
        )
        if forms:
            # The commonest form, preferring one without a clitic (الرياضة, not والرياضة).
            return max(forms, key=lambda form: (not _has_clitic(form), forms[form]))
    return stem


def _has_clitic(word: str) -> bool:
    return normalize_word(word).startswith(("وال", "فال", "بال", "كال", "لل"))


def suggest(terms: Iterable[str]) -> str | None:
    """The query with unknown words replaced by the closest known ones, or
    None when every word is known or nothing close exists (or the index
    cannot be read: a suggestion is never worth an error page)."""
    words = [w for term in terms for w in _WORD.findall(term) if w not in OPERATORS]
    if not words:
        return None
    try:
        return _suggest(words)
    except Exception:
        log.exception("spelling suggestion unavailable")
        return None


def _suggest(words: list[str]) -> str | None:
    search_engine = engine()
    changed, corrected = False, []
    for word in words:
        stems = analyze(word, mode="query")
        replacement = None
        if len(stems) == 1 and len(stems[0]) >= MIN_STEM_LENGTH and not stems[0].isdigit():
            if not search_engine.term_frequency(stems[0]):
                closest = _closest_stem(search_engine, stems[0])
                replacement = _surface_form(search_engine, closest) if closest else None
        corrected.append(replacement or word)
        changed = changed or replacement is not None
    return " ".join(corrected) if changed else None
