"""Results of several languages taken in turn, best first in each.

A query widened to a thesaurus concept searches terms of both languages, but
the words typed usually score higher than their translations (several
words of a French phrase against one Arabic lexeme, different rarity), so
the typed language can fill the first pages alone: 7 of the 40 judged beat
queries of bench/cross_language.py showed no article of the other language
in their top 10. Taking the languages in turn (each ranked as before, the
language with the most matches leading each round, the language code
breaking ties) puts the best of each in front of the reader. Scores are
not compared across the rankings (an engine may score a language's own
search differently), so a page and an export list the same articles in
the same order.

Pure functions over ranked lists, plus `InterleavedHits`, the same order
over every hit of each language read on demand (exports).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pure module: the engine interface only names the type
    from search.engines.base import OrderedHits


def turn_order(counts: dict[str, int]) -> list[str]:
    """Languages (or any values) in turn order: most matches first, then by code.

    >>> turn_order({"fr": 12, "ar": 30, "en": 0})
    ['ar', 'fr', 'en']
    """
    return sorted(counts, key=lambda code: (-counts[code], code))


def turns(lengths: Sequence[int], start: int, stop: int) -> list[tuple[int, int]]:
    """(list number, rank in that list) of interleaved positions start..stop:
    one from each list in turn, in the given order, skipping lists used up.

    >>> turns([3, 1], 0, 10)
    [(0, 0), (1, 0), (0, 1), (0, 2)]
    >>> turns([2, 2], 1, 3)
    [(1, 0), (0, 1)]
    """
    placed: list[tuple[int, int]] = []
    position = 0
    rank = 0
    while position < stop and any(rank < length for length in lengths):
        for number, length in enumerate(lengths):
            if rank < length:
                if position >= start:
                    placed.append((number, rank))
                position += 1
                if position >= stop:
                    break
        rank += 1
    return placed


def interleave(
    rankings: Sequence[Sequence[tuple[int, float | None]]], start: int, stop: int
) -> list[tuple[int, float | None]]:
    """Positions start..stop of the interleaved rankings ((id, score) lists
    in turn order, each holding at least its first `stop` hits)."""
    return [rankings[n][rank] for n, rank in turns([len(r) for r in rankings], start, stop)]


class InterleavedHits:
    """Every hit of each language's `OrderedHits` (in turn order),
    interleaved as `interleave` does, ids read on demand from each (an
    `OrderedHits` itself)."""

    def __init__(self, parts: Sequence[OrderedHits], limit: int) -> None:
        self.parts = [part for part in parts if len(part)]
        self.hits = sum(part.hits for part in parts)
        self.notes = tuple(dict.fromkeys(note for part in parts for note in part.notes))
        self._length = min(limit, sum(len(part) for part in self.parts))
        self._placed: list[tuple[int, int]] | None = None  # every position, made once

    def __len__(self) -> int:
        return self._length

    def ids(self, start: int, stop: int) -> list[tuple[int, float | None]]:
        if self._placed is None:
            self._placed = turns([len(part) for part in self.parts], 0, self._length)
        placed = self._placed[start:stop]
        read: dict[int, list[tuple[int, float | None]]] = {}
        first: dict[int, int] = {}
        for number in {number for number, _rank in placed}:
            ranks = [rank for n, rank in placed if n == number]
            first[number] = min(ranks)
            read[number] = self.parts[number].ids(min(ranks), max(ranks) + 1)
        return [read[number][rank - first[number]] for number, rank in placed]

    def updated_at(self) -> float | None:
        return self.parts[0].updated_at() if self.parts else None
