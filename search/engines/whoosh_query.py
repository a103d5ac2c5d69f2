"""The query tree compiled to Whoosh query objects.

Text leaves are analysed with the archive's analyzer (`search.language.analysis`), in
query mode, exactly as the index was written in index mode.
"""

from __future__ import annotations

import datetime

from whoosh import query as wq
from whoosh import scoring

from search import query_tree as qt
from search.engines.whoosh_phrase import GappedPhrase
from search.language.analysis import phrase, word_readings


def compile_tree(node: qt.Node | None) -> wq.Query:
    """A Whoosh query (NullQuery when nothing searchable is left)."""
    if node is None:
        return wq.NullQuery
    return _compile(node).normalize()


def _terms(field: str, words: str) -> wq.Query:
    placed = phrase(words)
    if not placed:
        return wq.NullQuery  # only stop words
    terms = [term for _pos, term in placed]
    if len(terms) == 1:
        readings = word_readings(words) or tuple(terms)
        if len(readings) > 1:  # a clitic letter typed: with and without it
            return wq.Or([wq.Term(field, reading) for reading in readings])
        return wq.Term(field, terms[0])
    gaps = [b[0] - a[0] for a, b in zip(placed, placed[1:], strict=False)]
    if set(gaps) == {1}:
        return wq.Phrase(field, terms)
    return GappedPhrase(field, terms, gaps)  # a stop word inside keeps its place


# A word of the text found in the title too scores this much more (BM25F on
# the title field, added to the text field's score). Chosen on the dev split
# of bench/relevance.py (docs/SEARCH.md); the PostgreSQL engine weighs title
# lexemes (A) five times body ones in ts_rank.
TITLE_BOOST = 2.0

# BM25F of the searcher (Whoosh's defaults): B, how much a long text's
# matches are discounted (TITLE_B: the title's); K1, how fast repeating a
# word stops adding to the score. Settable for `bench/relevance.py --try`:
# on the dev split at 20,000, B 0.3–0.9 and TITLE_B 0.3–1.0 moved MRR@10 by
# under 0.01 except B or TITLE_B 0.3 (Arabic −0.015), so the defaults stay.
BM25_B = 0.75
BM25_K1 = 1.2
TITLE_B = 0.75


def weighting() -> scoring.WeightingModel:
    return scoring.BM25F(B=BM25_B, K1=BM25_K1, title_B=TITLE_B)


def _compile(node: qt.Node) -> wq.Query:
    if isinstance(node, qt.Word):
        matched = _terms(node.field, node.text)
        if node.field != qt.TEXT or TITLE_BOOST <= 0 or matched is wq.NullQuery:
            return matched
        # The title is part of the text: this ranks, it never adds matches.
        titled = _terms(qt.TITLE, node.text)
        titled.boost = TITLE_BOOST
        return wq.Or([matched, titled])
    if isinstance(node, qt.Phrase):
        return _terms(node.field, " ".join(node.words))
    if isinstance(node, qt.Prefix):
        return wq.Prefix(node.field, node.stem)
    if isinstance(node, qt.Term):
        return wq.Term(node.field, node.term)
    if isinstance(node, qt.Keyword):
        return wq.Term(node.field, node.value)
    if isinstance(node, qt.DateRange):
        return date_query(node.start, node.end)
    if isinstance(node, qt.AddedAfter):
        return wq.NumericRange("added", node.timestamp + 1, None)
    if isinstance(node, qt.Or):
        return wq.Or([_compile(item) for item in node.items])
    if isinstance(node, qt.Not):
        return wq.Not(_compile(node.item))
    if isinstance(node, qt.And):
        included, excluded = qt.split_and(node)
        if not excluded:
            return wq.And([_compile(item) for item in included])
        excluded_query = wq.Or([_compile(item) for item in excluded])
        if not included:
            return wq.Not(excluded_query)
        # AndNot lets Whoosh skip the excluded documents; a Not inside an And
        # would walk every document of the index.
        return wq.AndNot(wq.And([_compile(item) for item in included]), excluded_query)
    raise TypeError(f"not a query node: {node!r}")


def date_query(start: datetime.date, end: datetime.date) -> wq.Query:
    """Publication dates from start to end.

    Whole years go to the `year` keyword field and only the partial years at
    the edges to integer ranges on `day` (YYYYMMDD): a Whoosh range walks
    every distinct day it spans, a keyword is one term (68 ms against 12 ms
    for a year of 10,000 articles).

    >>> date_query(datetime.date(2019, 1, 1), datetime.date(2020, 12, 31))
    Or([Term('year', '2019'), Term('year', '2020')])
    >>> date_query(datetime.date(2018, 11, 1), datetime.date(2019, 12, 31)).subqueries[1]
    Term('year', '2019')
    """
    whole_start = (start.month, start.day) == (1, 1)
    whole_end = (end.month, end.day) == (12, 31)
    if start > end or (start.year == end.year and not (whole_start and whole_end)):
        return _days(start, end)
    parts: list[wq.Query] = []
    first_full = start.year if whole_start else start.year + 1
    last_full = end.year if whole_end else end.year - 1
    if not whole_start:
        parts.append(_days(start, datetime.date(start.year, 12, 31)))
    parts.extend(wq.Term("year", str(year)) for year in range(first_full, last_full + 1))
    if not whole_end:
        parts.append(_days(datetime.date(end.year, 1, 1), end))
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _days(start: datetime.date, end: datetime.date) -> wq.Query:
    return wq.NumericRange("day", int(f"{start:%Y%m%d}"), int(f"{end:%Y%m%d}"))
