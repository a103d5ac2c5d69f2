"""Highlighting with the archive's own analyzer.

haystack's Whoosh highlighting re-analyses with an English stemmer and its
template tag matches literal substrings, so الهجرة would not mark للهجرة.
Here the text is analysed with the bilingual analyzer (index mode, with
character offsets), tokens whose stems are among the query's stems are
marked, and every piece of article text is escaped before it is wrapped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.language.analysis import WORD, analyze, index_terms, word_readings


def query_stems(terms: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The stems to mark for the query's positive terms, and its prefix terms (word*)."""
    stems: set[str] = set()
    prefixes: list[str] = []
    for term in terms:
        if term.endswith("*") and len(term) > 1:
            prefixes.extend(analyze(term[:-1], mode="query"))
        else:  # a one-word term: every reading the search used (للاجئين, وتعزيز)
            stems.update(word_readings(term) or analyze(term, mode="query"))
    return frozenset(stems), tuple(prefixes)


def _matches(
    text: str, stems: frozenset[str], prefixes: tuple[str, ...], enough: int | None = None
) -> list[tuple[int, int]]:
    """Character spans of the words whose index terms are among the query's.

    Runs the analyzer's per-word pipeline (``index_terms``, cached) straight on
    the tokenizer's matches: a result page highlights thousands of words. With
    `enough`, stops at the end of the first 2,000-character stretch that brings
    the count to that many (a snippet needs a few matches, not all of them).
    """
    spans: list[tuple[int, int]] = []
    if not stems and not prefixes:
        return spans  # nothing to mark (e.g. a search by filters only)
    checkpoint = 2000
    for match in WORD.finditer(text):
        if enough and match.start() > checkpoint:
            if len(spans) >= enough:
                break
            checkpoint += 2000
        for term in index_terms(match.group()):
            if term in stems or (prefixes and term.startswith(prefixes)):
                spans.append(match.span())
                break
    return spans


def _mark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    return "".join(pieces)


class Highlighter:
    """Marks a query's words in texts; the query is analysed once per page."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.stems, self.prefixes = query_stems(terms)

    def text(self, text: str) -> SafeString:
        """The whole text, escaped, with query words marked (for titles)."""
        spans = _matches(text, self.stems, self.prefixes)
        return mark_safe(_mark(text, spans, 0, len(text)))  # noqa: S308 (escaped in _mark)

    def snippet(self, text: str, *, length: int = 280) -> SafeString:
        """About `length` characters of text around the densest cluster of query
        words, escaped, with the words marked; the start of the text if none match."""
        spans = _matches(text, self.stems, self.prefixes, enough=3)
        start = _window_start(text, spans, length)
        end = min(len(text), start + length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        body = _mark(text, spans, start, end).strip()
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return mark_safe(escape(prefix) + body + escape(suffix))  # noqa: S308 (escaped in _mark)


def _window_start(text: str, spans: list[tuple[int, int]], length: int) -> int:
    """Where a snippet begins: near the window that holds the most matches."""
    if not spans:
        return 0
    best, start = -1, spans[0][0]
    for i, (candidate, _) in enumerate(spans):
        covered = sum(1 for _, end in spans[i:] if end <= candidate + length)
        if covered > best:
            best, start = covered, candidate
    # Begin at the start of the sentence, or a little before the match.
    sentence = max(
        text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("،", 0, start)
    )
    start = sentence + 1 if sentence >= 0 and start - sentence < length // 3 else max(0, start - 60)
    if start and text[start - 1] not in " \n":
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    return start
