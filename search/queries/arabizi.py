"""Arabizi: Arabic and Darija typed in Latin letters with digits for the
letters Latin lacks (3 = ع, 7 = ح, 9 = ق, 2 = ء, 5 = خ), as journalists and
readers type on phones: l7rig (الحريك), 3ayla (عايلة), 9a2id (قائد).

Transliterated at query time only, never at indexing time: a query word
that looks like Arabizi becomes a few Arabic spellings, and only those the
index holds are searched, beside the word as typed. The page shows them
like other expansions.

Two readings, the first that applies:
- **The reviewed table** (search/queries/data/arabizi_words.tsv): common Darija and
  beat words as Moroccans type them, with the spelling they mean. Arabizi
  does not say which vowels are long (l9adiya is القضية, l3adala العدالة),
  so for these words the table knows better than any letter rule.
- **Letter by letter**: each inner vowel written as a long vowel or not
  (unwritten short vowels), each ambiguous letter either way (t ت/ط, g
  ك/ق…). Readings that a Moroccan writer rarely means are kept only when no
  likelier one is in the index: a final a is ة (l7ogra = الحكرة), and ا only
  when the index holds no ة reading (which made الحكرا, "exclusively", win
  before). Among the likeliest readings the index holds, those in the most
  articles are kept (at most MAX_KEPT).

>>> looks_like_arabizi("l7rig"), looks_like_arabizi("covid19"), looks_like_arabizi("G7")
(True, False, False)
>>> "الحريك" in spellings("l7rig")
True
>>> found = spellings("l7ogra")
>>> found.index("الحكرة") < found.index("الحكرا")
True
>>> table_spellings("l7ogra"), table_spellings("bzaf"), table_spellings("Maroc")
(('الحكرة', 'الحگرة'), ('بزاف',), ())
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from search.language.analysis import analyze

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
# Vowels at the start of a word are written with alef; a final a is ة (and
# only rarely ا: UNLIKELY), a final e ة or nothing.
INITIAL = {"a": ("ا",), "i": ("ا",), "e": ("ا",), "o": ("ا",), "u": ("ا",)}
FINAL = {"a": ("ة", "ا"), "i": ("ي",), "e": ("ة", ""), "o": ("و",), "u": ("و",)}
# Readings a Moroccan writer seldom means: kept only when the index holds no
# likelier reading of the word (the choice as (piece, letters)).
UNLIKELY = {("final", "ا")}

WORDS_FILE = Path(__file__).resolve().parent / "data" / "arabizi_words.tsv"
# Darija's article as typed before a listed word (l7ogra, el7ogra, al7ogra).
ARTICLES = ("el", "al", "l")

MAX_SPELLINGS = 256
_SHAPE = re.compile(r"^[a-z0-9]+$")


@cache
def table() -> dict[str, tuple[str, ...]]:
    """The reviewed table: Arabizi word (without the article) -> spellings."""
    rows: dict[str, tuple[str, ...]] = {}
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        latin, arabic = line.split("\t")[:2]
        rows[latin.strip().lower()] = tuple(form.strip() for form in arabic.split("|"))
    return rows


def table_spellings(word: str) -> tuple[str, ...]:
    """The table's spellings of `word` (with ال when typed with Darija's
    article), or () when the table does not list it."""
    lowered, words = word.lower(), table()
    if lowered in words:
        return words[lowered]
    for article in ARTICLES:
        rest = lowered[len(article) :]
        if lowered.startswith(article) and len(rest) >= 2 and rest in words:
            return tuple("ال" + form for form in words[rest])
    return ()


def looks_like_arabizi(word: str) -> bool:
    """A word of the table, or Latin letters with a digit that stands for a
    letter: at least two letters, one of the digits 2 3 5 7 9, and no run of
    two digits (so covid19, G7, 2M, A380 and years are left alone)."""
    lowered = word.lower()
    if not _SHAPE.match(lowered):
        return False
    if table_spellings(lowered):
        return True
    if re.search(r"\d\d", lowered):
        return False
    return sum(ch.isalpha() for ch in lowered) >= 2 and any(ch in DIGITS for ch in lowered)


def _pieces(word: str) -> list[tuple[tuple[str, int], ...]]:
    """The word as a list of choices, piece by piece; each choice is
    (letters, 1 when a writer seldom means it, else 0)."""
    word = word.lower()
    prefix: list[tuple[tuple[str, int], ...]] = []
    if word.startswith(("el", "al")) and len(word) > 4:
        prefix, word = [(("ال", 0),)], word[2:]
    elif word.startswith("l") and len(word) > 3 and word[1] not in "aeiou":
        prefix, word = [(("ال", 0),)], word[1:]  # Darija's article: l7rig = الحريك

    def likely(options: tuple[str, ...], place: str = "") -> tuple[tuple[str, int], ...]:
        return tuple((option, int((place, option) in UNLIKELY)) for option in options)

    pieces: list[tuple[tuple[str, int], ...]] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        ch = word[i]
        if pair in DIGRAPHS:
            pieces.append(likely(DIGRAPHS[pair]))
            i += 2
            continue
        if pair[0] == pair[-1] and len(pair) == 2 and ch.isalpha() and ch not in VOWELS:
            i += 1  # a doubled consonant (harraga) is one letter with shadda
            continue
        if ch in DIGITS:
            pieces.append(likely(DIGITS[ch]))
        elif ch in VOWELS:
            if i == 0 and not prefix:
                pieces.append(likely(INITIAL[ch]))
            elif i == len(word) - 1:
                pieces.append(likely(FINAL[ch], "final"))
            else:
                pieces.append(likely(VOWELS[ch]))
        elif ch in LETTERS:
            pieces.append(likely(LETTERS[ch]))
        i += 1
    return prefix + pieces


def ranked_spellings(word: str) -> list[tuple[str, int]]:
    """Letter-by-letter Arabic spellings of an Arabizi word with how unlikely
    each is (the number of seldom-meant choices in it), likeliest first,
    then most literal (long vowels written); at most MAX_SPELLINGS."""
    found: dict[str, int] = {}
    for parts in itertools.islice(itertools.product(*_pieces(word)), MAX_SPELLINGS):
        spelling = "".join(letters for letters, _ in parts)
        unlikely = sum(penalty for _, penalty in parts)
        if len(spelling) >= 2 and unlikely < found.get(spelling, unlikely + 1):
            found[spelling] = unlikely
    order = {spelling: n for n, spelling in enumerate(found)}
    return sorted(found.items(), key=lambda item: (item[1], order[item[0]]))


def spellings(word: str) -> list[str]:
    """Letter-by-letter Arabic spellings of an Arabizi word, likeliest first."""
    return [spelling for spelling, _ in ranked_spellings(word)]


# Arabic spellings kept for one Arabizi word, at most.
MAX_KEPT = 2


def arabizi_lookup(
    known: Callable[[Sequence[str]], dict[str, int]] | None = None,
) -> Callable[[str], tuple[str, ...]]:
    """search.queries.query's `transliterate`: an Arabizi word -> the likeliest of its
    Arabic spellings that the index holds (the table's, else the letter
    rule's; most articles first, at most MAX_KEPT), or () for a word that is
    not Arabizi or has no known spelling. `known`
    gives index terms' document frequencies in one call (the engine's
    `term_frequencies`: one vocabulary look-up for all the spellings)."""

    def transliterate(word: str) -> tuple[str, ...]:
        nonlocal known
        if not looks_like_arabizi(word):
            return ()
        if known is None:  # the engine only when a word looks like Arabizi
            from search.engines.base import engine

            known = engine().term_frequencies
        listed = table_spellings(word)
        candidates = [(form, 0) for form in listed] if listed else ranked_spellings(word)
        first: dict[str, tuple[str, int]] = {}  # stem: its likeliest spelling
        for spelling, unlikely in candidates:
            stems = analyze(spelling)
            if len(stems) == 1:
                first.setdefault(stems[0], (spelling, unlikely))
        frequencies = known(list(first)) if first else {}
        held = [(first[stem][1], -n, stem) for stem in first if (n := frequencies.get(stem, 0))]
        if not held:
            return ()
        likeliest = min(unlikely for unlikely, _, _ in held)
        kept = sorted(item for item in held if item[0] == likeliest)[:MAX_KEPT]
        return tuple(first[stem][0] for _, _, stem in kept)

    return transliterate
