"""Known-item order among articles whose titles all hold the query's words.

When a search's words stand in several titles (a story followed over days,
one dispatch in several papers), the engines' scores tell those titles apart
by length and body statistics only. A reader who types two or three words
of a title types its most distinctive ones, so the title a query names best
is the one with no word rarer than those typed: "Estelle Mouzin" names
"Estelle Mouzin : les fouilles reprennent" better than "Estelle Mouzin :
Michel Fourniret avoue", whose rarest word was not typed. This module puts
the titles that hold every query word first, and orders them by how many
of their other words are rarer (fewer documents) than the query's words,
then by how close they write the query words to how they were typed
(والملتقى typed: "…الملتقى…" before "…ملتقى…", as a search engine ranks an
exact form above a stemmed match), then by how many words are nearly as
rare (words the reader could as well have typed). Hits whose titles lack
a query word follow in the engine's order.

Pure: the caller gives the titles and the engine's document frequencies
(`search.engines.base.SearchEngine.term_frequencies`), so both engines order
the same way. Measured on the dev split of `bench/relevance.py` at 20,000
articles (docs/SEARCH.md): on the queries whose words stand in several
titles, MRR@10 goes from 0.71 to 0.82 (Arabic) and 0.59 to 0.78 (French)
with the PostgreSQL engine, 0.79 to 0.80 and 0.60 to 0.75 with Whoosh.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from search.language.analysis import WORD, index_terms, normalize_word, word_readings
from search.query_tree import (
    TEXT,
    TITLE,
    AddedAfter,
    DateRange,
    Keyword,
    Node,
    Or,
    Word,
    split_and,
)

# The ranked hits whose order may change (a first page's worth, loaded for
# the page anyway), so that a title named better than those above it can
# reach the top. 40 found one more French dev query in the top 10 (recall
# 0.997 -> 1.000, MRR +0.001) for twice the titles to read.
WINDOW = 20
MIN_LETTERS = 3  # shorter words (and numbers) are never the distinctive ones
# A title word counts as rarer than the query's when it is in fewer than
# MARGIN times as many documents (0: never, which keeps the engine's order).
# The dev split's best of 0.5, 0.75, 1 and 1.5 with both engines (all within
# 0.01 of each other; `bench/relevance.py --try ranking.MARGIN=…`).
MARGIN = 0.75
# Equal counts: fewer title words in under NEAR times as many documents as
# the query's come first. The dev split's plateau was 1.25-2 (1,000 queries
# a language, both engines: Arabic +0.007-0.009, French -0.001 to +0.002);
# 3 and 5 gave less, 0 (off) keeps the engine's order. Re-tried after the
# closest forms came before it (e605e0a): the same plateau, 0 costs 0.005.
NEAR = 1.5


def _required_words(tree: Node | None) -> list[list[Word]]:
    """Each word the query requires, as its alternatives (an Or of
    alternatives, an entity's aliases, counts as one word). Empty when the
    query is not a conjunction of plain words: phrases, prefixes and exact
    terms keep the engines' order."""
    if tree is None:
        return []
    included, _excluded = split_and(tree)
    required: list[list[Word]] = []
    for item in included:
        if isinstance(item, Word) and item.field in (TEXT, TITLE):
            required.append([item])
        elif isinstance(item, Or) and all(isinstance(leaf, Word) for leaf in item.items):
            required.append([leaf for leaf in item.items if isinstance(leaf, Word)])
        elif isinstance(item, Keyword | DateRange | AddedAfter):
            continue  # a filter
        else:
            return []  # a phrase, prefix, author or nested query: the engine's order
    return required


def _readings(words: list[Word]) -> frozenset[str]:
    return frozenset(
        term
        for word in words
        for term in (word_readings(word.text) or index_terms(word.text, False))
    )


def _query(tree: Node | None) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Each required word's readings (any reading matching) and its forms as
    typed, in `normalize_word`'s comparison form (case, accents, hamza
    forms, ة/ه, diacritics and tatweel set aside; clitics and inflections
    kept). One walk of the tree for both."""
    out = []
    for words in _required_words(tree):
        readings = _readings(words)
        if readings:
            out.append((readings, frozenset(normalize_word(word.text) for word in words)))
    return out


def query_words(tree: Node | None) -> list[frozenset[str]]:
    """The readings of each word the query requires (any reading matching);
    empty when the query is not a conjunction of plain words."""
    return [readings for readings, _typed in _query(tree)]


def _title_words(title: str) -> list[tuple[str, ...]]:
    """Each content word of a title as the terms it is indexed under."""
    out = []
    for word in WORD.findall(title):
        if len(word) < MIN_LETTERS or word.isdigit():
            continue
        terms = index_terms(word)
        if terms:
            out.append(terms)
    return out


def rarer_words(
    required: Sequence[frozenset[str]], title: str, frequency: Mapping[str, int]
) -> int | None:
    """How many of the title's other words are in fewer documents than the
    most common of the query words as the title holds them (a word typed
    with a clitic letter, or an entity's aliases, counts as the reading the
    title holds); None when the title lacks one of the query words. Terms
    `frequency` lacks (not yet counted by the engine) are left out of the
    comparison."""
    words = _title_words(title)
    held = _held(words)
    return _rarer(required, words, held, frequency) if _holds_every(required, held) else None


def _held(words: list[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(term for terms in words for term in terms)


def _holds_every(required: Sequence[frozenset[str]], held: frozenset[str]) -> bool:
    return all(readings & held for readings in required)


def _apart(typed: str, written: str) -> int:
    """How many letters a title's form of a word differs from the form
    typed by, aligned on the end they share: والملتقى is one letter from
    الملتقى and three from ملتقى (clitics are prefixes), "migrants" one from
    "migrant" (number and inflection are suffixes)."""
    limit = min(len(typed), len(written))
    prefix = suffix = 0
    while prefix < limit and typed[prefix] == written[prefix]:
        prefix += 1
    while suffix < limit and typed[-1 - suffix] == written[-1 - suffix]:
        suffix += 1
    return len(typed) + len(written) - 2 * max(prefix, suffix)


def forms_apart(query: Sequence[tuple[frozenset[str], frozenset[str]]], title: str) -> int:
    """How far the title writes the query's words from how they were typed:
    for each query word (its readings and typed forms, `_query`), the
    fewest letters between a typed form and a title word holding one of
    its readings (`_apart`, in `normalize_word` form: hamza, ة/ه, case,
    accents, diacritics are not differences), summed. 0: every word as
    typed."""
    written = [(normalize_word(word), index_terms(word)) for word in WORD.findall(title)]
    return sum(
        min(
            (
                _apart(form, surface)
                for surface, terms in written
                if readings.intersection(terms)
                for form in forms
            ),
            default=0,
        )
        for readings, forms in query
    )


def _rarer(
    required: Sequence[frozenset[str]],
    words: list[tuple[str, ...]],
    held: frozenset[str],
    frequency: Mapping[str, int],
    margin: float | None = None,
) -> int:
    # MARGIN read at call time: `bench/relevance.py --try ranking.MARGIN=…`.
    margin = MARGIN if margin is None else margin
    threshold = 0
    for readings in required:
        known = [frequency[term] for term in readings & held if term in frequency]
        if known:
            threshold = max(threshold, min(known))
    typed = set().union(*required)
    rarer = 0
    for terms in words:
        known = [frequency[term] for term in terms if term in frequency]
        if known and not typed.intersection(terms) and max(known) < threshold * margin:
            rarer += 1
    return rarer


def best_named_first(
    tree: Node | None,
    hits: Sequence[tuple[int, str]],
    frequencies: Callable[[Sequence[str]], Mapping[str, int]],
) -> list[int]:
    """The ids of `hits` ((id, title) in the engine's order) with the titles
    that hold every query word first, ordered among themselves by
    `rarer_words`, then by how close they write the words to how they were
    typed (`forms_apart`), then by the words nearly as rare (`NEAR`);
    stable, so what still ties keeps the engine's order, as do the hits
    whose titles lack a query word (after them). Frequencies are read only
    when two titles or more hold every word, and only for those titles'
    words (one engine call)."""
    query = _query(tree)
    required = [readings for readings, _typed in query]
    ids = [pk for pk, _title in hits]
    if not required or len(hits) < 2:
        return ids
    analysed = [(words, _held(words)) for words in (_title_words(t) for _pk, t in hits)]
    places = [n for n, (_words, held) in enumerate(analysed) if _holds_every(required, held)]
    if len(places) > 1:
        terms = set().union(*required, *(analysed[n][1] for n in places))
        frequency = frequencies(sorted(terms))

        def key(n: int) -> tuple[int, int, int]:
            return (
                _rarer(required, *analysed[n], frequency),
                forms_apart(query, hits[n][1]),
                _rarer(required, *analysed[n], frequency, NEAR) if NEAR else 0,
            )

        places.sort(key=key)
    holding = set(places)
    return [ids[n] for n in places] + [pk for n, pk in enumerate(ids) if n not in holding]
