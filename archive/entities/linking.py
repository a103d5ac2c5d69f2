"""Find entity aliases in article text, in both scripts (pure Python).

Text and aliases are folded the same way (``archive.textnorm.fold_text``:
case, accents, Arabic diacritics, tatweel, hamza/alef/ya/ta-marbuta
variants, digits; punctuation becomes word breaks, so French elision is a
word of its own: d'Espagne → "d espagne"). Then one Aho-Corasick automaton
(pyahocorasick) holds every alias, so ten thousand aliases cost one pass over
the text.

Arabic clitics are handled on the alias side, never by cutting letters off
the text (which would turn ولاية into لاية): an alias's first word is also
entered with the clitics it can take: و ف ب ك ل and their pairs, and the
article forms ال وال بال لل… (ولفتيت, بلفتيت, الولاية), or those article
forms in place of its own article (بالمغرب, للمغرب, والمغرب for المغرب).

Matches are whole words only (never inside a longer word), and where aliases
overlap the longest wins ("Mohammed VI" is not "Mohammed V").

>>> linker = AliasLinker({"المغرب": 1, "Mohammed VI": 2, "Mohammed V": 3, "Espagne": 4})
>>> sorted(linker.count("وأكد المغرب وبالمغرب أن Mohammed VI زار d'Espagne").items())
[(1, 2), (2, 1), (4, 1)]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

import ahocorasick

from archive.textnorm import fold_text

_ARABIC = re.compile(r"[\u0600-\u06ff]")
BARE_CLITICS = ("", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فل")
ARTICLE_FORMS = ("ال", "وال", "فال", "بال", "كال", "لل", "وبال", "وكال", "ولل", "فبال", "فلل")


def alias_keys(alias: str) -> Iterator[str]:
    """The alias as folded words, with every clitic form of its first word."""
    words = fold_text(alias).split()
    if not words:
        return
    first, rest = words[0], words[1:]
    if not _ARABIC.search(first):
        yield " ".join(words)
        return
    if first.startswith("ال") and len(first) > 3:
        forms = [article + first[2:] for article in ARTICLE_FORMS]
    else:  # a bare word may also take the article: ولاية, الولاية, بالولاية
        forms = [clitic + first for clitic in BARE_CLITICS]
        forms += [article + first for article in ARTICLE_FORMS]
    for form in forms:
        yield " ".join([form, *rest])


class AliasLinker:
    """Counts mentions of entities, given {alias: entity id}."""

    def __init__(self, aliases: Mapping[str, int]):
        self.automaton = ahocorasick.Automaton()
        # Folded aliases, to tell known names from new ones (candidates).
        self.known = {fold_text(alias) for alias in aliases}
        for alias, entity_id in aliases.items():
            for words in alias_keys(alias):
                key = f" {words} "  # spaces: whole words only
                if key not in self.automaton:  # equal keys: the first entity keeps it
                    self.automaton.add_word(key, (len(key), entity_id))
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def knows(self, name: str) -> bool:
        """True if the name is, or contains as whole words, a known alias."""
        folded = f" {fold_text(name)} "
        return any(f" {known} " in folded for known in self.known if known)

    def count(self, text: str) -> Counter:
        """{entity id: number of mentions} in text; overlapping matches go to the longest."""
        if self.empty:
            return Counter()
        haystack = " " + fold_text(text) + " "
        found = []
        for end, (length, entity_id) in self.automaton.iter(haystack):
            # Keys carry their bounding spaces; a match shares them with its neighbours.
            found.append((end - length + 1, end, entity_id))
        counts: Counter = Counter()
        # Greedy: longest first, skipping matches that overlap a kept one.
        kept: list[tuple[int, int]] = []
        for start, end, entity_id in sorted(found, key=lambda m: (-(m[1] - m[0]), m[0])):
            # Matches include the spaces at both ends; inner words must not overlap.
            inner = (start + 1, end - 1)
            if all(inner[1] < a or inner[0] > b for a, b in kept):
                kept.append(inner)
                counts[entity_id] += 1
        return counts
