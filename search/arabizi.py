"""Arabizi: Arabic and Darija typed in Latin letters with digits for the
letters Latin lacks (3 = ع, 7 = ح, 9 = ق, 2 = ء, 5 = خ), as journalists and
readers type on phones: l7rig (الحريك), 3ayla (عايلة), 9a2id (قائد).

Transliterated at query time only, never at indexing time: a query word that
looks like Arabizi becomes a few Arabic spellings (short vowels are unwritten
in Arabic, so each Latin vowel may or may not be a letter), and only those
the index holds are searched, beside the word as typed. The page shows them
like other expansions.

>>> looks_like_arabizi("l7rig"), looks_like_arabizi("covid19"), looks_like_arabizi("G7")
(True, False, False)
>>> "الحريك" in spellings("l7rig")
True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

# Digits standing for letters, as Moroccan (and most Arabic) Arabizi uses
# them; 2 is a hamza on whatever seat (9a2id = قائد).
DIGITS = {"2": ("ء", "ئ", "أ", "ؤ"), "3": ("ع",), "5": ("خ",), "7": ("ح",), "9": ("ق",)}
# Two-letter spellings first, then single letters; a tuple offers choices
# (Darija g is ڭ, folded to ك by the analyzer, or ق as in gal = قال).
DIGRAPHS = {
    "ch": ("ش",),
    "sh": ("ش",),
    "kh": ("خ",),
    "gh": ("غ",),
    "dj": ("ج",),
    "ou": ("و", ""),
    "th": ("ث", "ت"),
}
LETTERS = {
    "b": ("ب",),
    "t": ("ت", "ط"),
    "j": ("ج",),
    "d": ("د", "ض"),
    "r": ("ر",),
    "z": ("ز",),
    "s": ("س", "ص"),
    "f": ("ف",),
    "k": ("ك",),
    "q": ("ق",),
    "l": ("ل",),
    "m": ("م",),
    "n": ("ن",),
    "h": ("ه",),
    "w": ("و",),
    "y": ("ي",),
    "g": ("ك", "ق"),
    "p": ("ب",),
    "v": ("ف",),
    "x": ("كس",),
    "c": ("ك",),
}
# Vowels inside a word: a long vowel letter, or nothing (a short vowel).
VOWELS = {"a": ("ا", ""), "i": ("ي", ""), "e": ("", "ي"), "o": ("و", ""), "u": ("و", "")}
# Vowels at the start of a word are written with alef; a final a is ة or ا.
INITIAL = {"a": ("ا",), "i": ("ا",), "e": ("ا",), "o": ("ا",), "u": ("ا",)}
FINAL = {"a": ("ة", "ا"), "i": ("ي",), "e": ("ة", ""), "o": ("و",), "u": ("و",)}

MAX_SPELLINGS = 256
_SHAPE = re.compile(r"^[a-z0-9]+$")


def looks_like_arabizi(word: str) -> bool:
    """Latin letters with a digit that stands for a letter: at least two
    letters, one of the digits 2 3 5 7 9, and no run of two digits (so
    covid19, G7, 2M, A380 and years are left alone)."""
    lowered = word.lower()
    if not _SHAPE.match(lowered) or re.search(r"\d\d", lowered):
        return False
    return sum(ch.isalpha() for ch in lowered) >= 2 and any(ch in DIGITS for ch in lowered)


def _pieces(word: str) -> list[tuple[str, ...]]:
    """The word as a list of choices, piece by piece."""
    word = word.lower()
    if word.startswith(("el", "al")) and len(word) > 4:
        prefix, word = [("ال",)], word[2:]
    elif word.startswith("l") and len(word) > 3 and word[1] not in "aeiou":
        prefix, word = [("ال",)], word[1:]  # Darija's article: l7rig = الحريك
    else:
        prefix = []
    pieces: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        ch = word[i]
        if pair in DIGRAPHS:
            pieces.append(DIGRAPHS[pair])
            i += 2
            continue
        if pair[0] == pair[-1] and len(pair) == 2 and ch.isalpha() and ch not in VOWELS:
            i += 1  # a doubled consonant (harraga) is one letter with shadda
            continue
        if ch in DIGITS:
            pieces.append(DIGITS[ch])
        elif ch in VOWELS:
            if i == 0 and not prefix:
                pieces.append(INITIAL[ch])
            elif i == len(word) - 1:
                pieces.append(FINAL[ch])
            else:
                pieces.append(VOWELS[ch])
        elif ch in LETTERS:
            pieces.append(LETTERS[ch])
        i += 1
    return prefix + pieces


def spellings(word: str) -> list[str]:
    """Arabic spellings of an Arabizi word, most literal first (long vowels
    written), at most MAX_SPELLINGS."""
    choices = _pieces(word)
    found = dict.fromkeys(
        "".join(parts) for parts in itertools.islice(itertools.product(*choices), MAX_SPELLINGS)
    )
    return [spelling for spelling in found if len(spelling) >= 2]


# Arabic spellings kept for one Arabizi word, at most.
MAX_KEPT = 2


def arabizi_lookup(
    known: Callable[[Sequence[str]], dict[str, int]] | None = None,
) -> Callable[[str], tuple[str, ...]]:
    """search.query's `transliterate`: an Arabizi word -> the Arabic spellings
    of it that the index holds (most articles first, at most MAX_KEPT), or
    () for a word that is not Arabizi or has no known spelling. `known`
    gives index terms' document frequencies in one call (the engine's
    `term_frequencies`: one vocabulary look-up for all the spellings)."""
    from search.analysis import analyze

    def transliterate(word: str) -> tuple[str, ...]:
        nonlocal known
        if not looks_like_arabizi(word):
            return ()
        if known is None:  # the engine only when a word looks like Arabizi
            from search.engines.base import engine

            known = engine().term_frequencies
        first: dict[str, str] = {}  # stem: its first (most literal) spelling
        for spelling in spellings(word):
            stems = analyze(spelling)
            if len(stems) == 1:
                first.setdefault(stems[0], spelling)
        frequencies = known(list(first)) if first else {}
        best = sorted((n, stem) for stem in first if (n := frequencies.get(stem, 0)))
        return tuple(first[stem] for _n, stem in reversed(best[-MAX_KEPT:]))

    return transliterate
