""" "Did you mean": spelling suggestions from the index's own vocabulary.

A query word whose stem is not in the index is compared with the stems the
index holds, through Whoosh's Levenshtein automaton over the term dictionary
(`terms_within`, no lexicon scan; haystack's own suggestions scan it,
haystack #1729). The closest stem used by the most articles wins, and is shown
as the archive writes it: the commonest spelling of that stem in an article
that contains it (الهجرة, not the folded stem هجر).

Whoosh's separate spelling field is not used: building its word graph at
every commit halved indexing speed.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable

from haystack import connections
from whoosh.query import Term

from search.analysis import TOKEN_PATTERN, analyze, index_terms, normalize_word
from search.query import OPERATORS

log = logging.getLogger(__name__)

CONTENT_FIELD = "text"
MIN_STEM_LENGTH = 3
_WORD = re.compile(TOKEN_PATTERN)


def _closest_stem(reader, stem: str) -> str | None:
    for distance in (1, 2):
        found = [
            (reader.doc_frequency(CONTENT_FIELD, candidate), candidate)
            # Typos rarely touch the first two letters; fixing them keeps the
            # automaton walk to a small part of the term dictionary.
            for candidate in reader.terms_within(CONTENT_FIELD, stem, distance, prefix=2)
            if candidate != stem and len(candidate) >= MIN_STEM_LENGTH
        ]
        if found:
            return max(found)[1]
    return None


def _surface_form(searcher, stem: str) -> str:
    """The commonest spelling of a stem in an article that contains it."""
    from archive.models import Article

    hits = searcher.search(Term(CONTENT_FIELD, stem), limit=1)
    article = Article.objects.filter(pk=hits[0]["django_id"]).first() if hits else None
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
    # The process's shared searcher (not closed here): opening one costs more
    # than the suggestion itself.
    searcher = connections["default"].get_backend().shared_searcher()
    reader = searcher.reader()
    changed, corrected = False, []
    for word in words:
        stems = analyze(word, mode="query")
        replacement = None
        if len(stems) == 1 and len(stems[0]) >= MIN_STEM_LENGTH and not stems[0].isdigit():
            if not reader.doc_frequency(CONTENT_FIELD, stems[0]):
                closest = _closest_stem(reader, stems[0])
                replacement = _surface_form(searcher, closest) if closest else None
        corrected.append(replacement or word)
        changed = changed or replacement is not None
    return " ".join(corrected) if changed else None
