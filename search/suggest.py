""" "Did you mean": spelling suggestions from the index's own vocabulary.

The document field keeps Whoosh's spelling sub-field (``spell_text``): every
word of the archive, normalised but not stemmed, stored with a word graph,
so a Levenshtein automaton finds close words without scanning the lexicon
(haystack's own suggestion scans it: haystack #1729). Candidates are ranked
by edit distance, then by how many articles use them.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable

from haystack import connections
from whoosh.query import Term

from search.analysis import STOP_WORDS, TOKEN_PATTERN, analyze, normalize_word
from search.query import OPERATORS

log = logging.getLogger(__name__)

CONTENT_FIELD = "text"
SPELLING_FIELD = "spell_" + CONTENT_FIELD
_WORD = re.compile(TOKEN_PATTERN)
MIN_WORD_LENGTH = 4


def _candidates(reader, word: str) -> str | None:
    if reader.doc_frequency(SPELLING_FIELD, word):
        return None  # a word of the archive: nothing to correct
    for distance in (1, 2):
        found = [
            (reader.doc_frequency(SPELLING_FIELD, candidate), candidate)
            for candidate in reader.terms_within(SPELLING_FIELD, word, distance, prefix=1)
            if candidate != word
        ]
        if found:
            return max(found)[1]
    return None


def _surface_form(searcher, folded: str) -> str:
    """How the archive writes a folded word (e.g. الهجرة for الهجره): its most
    frequent spelling in an article that contains it, without diacritics."""
    from archive.models import Article

    stems = analyze(folded, mode="index")
    # The spelling field only feeds the word graph; find an article by its stem.
    hits = searcher.search(Term(CONTENT_FIELD, stems[0]), limit=1) if stems else []
    article = Article.objects.filter(pk=hits[0]["django_id"]).first() if hits else None
    if article is not None:
        forms = Counter(
            "".join(ch for ch in word if ch.isalnum() or ch in "'’")
            for word in _WORD.findall(f"{article.title}\n{article.body}")
            if normalize_word(word) == folded
        )
        if forms:
            return forms.most_common(1)[0][0]
    return folded


def suggest(terms: Iterable[str]) -> str | None:
    """A corrected query ('' parts kept) when some words are not in the archive.

    Returns None when every word is known or nothing close exists.
    """
    words = [w for term in terms for w in _WORD.findall(term) if w not in OPERATORS]
    if not words:
        return None
    backend = connections["default"].get_backend()
    try:
        searcher = backend.searcher()
    except Exception:
        log.exception("spelling suggestion unavailable")
        return None
    changed = False
    corrected = []
    with searcher:
        reader = searcher.reader()
        if SPELLING_FIELD not in reader.schema:
            return None
        for word in words:
            folded = normalize_word(word)
            replacement = None
            if len(folded) >= MIN_WORD_LENGTH and folded not in STOP_WORDS:
                replacement = _candidates(reader, folded)
                if replacement is not None:
                    replacement = _surface_form(searcher, replacement)
            corrected.append(replacement or word)
            changed = changed or replacement is not None
    return " ".join(corrected) if changed else None
