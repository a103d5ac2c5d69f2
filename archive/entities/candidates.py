"""Names that look like entities but are not in the register (pure Python).

French: runs of two to four capitalised words (with de, du, el, ben… between),
not starting a sentence with an article. Arabic: the words after a title
(السيد, الرئيس, وزير…, past descriptive words with the article such as
الداخلية or الفرنسي). Heuristics, for a person to review: nothing is added
to the register without one.

>>> sorted(find_candidates("Le ministre Gérald Darmanin a reçu Fernando Grande-Marlaska à Paris."))
[('Fernando Grande-Marlaska', 'fr'), ('Gérald Darmanin', 'fr')]
>>> find_candidates("استقبل الرئيس الفرنسي إيمانويل ماكرون في باريس")
{('إيمانويل ماكرون', 'ar')}
"""

from __future__ import annotations

import re

_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ"
_CAP_WORD = rf"[{_UPPER}][\w'’-]+"
_LINK = r"(?:de|du|des|la|le|el|al|ben|bin|ibn|ould|van|von|d'|d’)"
_FRENCH_NAME = re.compile(rf"\b{_CAP_WORD}(?:[ \t]+(?:{_LINK}[ \t]+)?{_CAP_WORD}){{1,3}}")
_FRENCH_STARTERS = {
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "des",
    "dans",
    "pour",
    "selon",
    "mais",
    "cette",
    "ce",
    "ces",
    "en",
    "au",
    "aux",
    "du",
    "de",
    "et",
    "à",
    "a",
    "par",
    "sur",
    "lors",
    "après",
    "avant",
    "m",
    "mme",
    "mr",
    "président",
    "ministre",
    "monsieur",
    "madame",
    "secrétaire",
    "directeur",
}
_ARABIC_TITLES = (
    "السيد",
    "السيدة",
    "الرئيس",
    "رئيس",
    "الملك",
    "الأمير",
    "وزير",
    "وزيرة",
    "الوزير",
    "الوزيرة",
    "الوالي",
    "المدير",
    "السفير",
    "السفيرة",
    "الناطق",
    "المتحدث",
)
_ARABIC_STOP = {
    "مدير",
    "رئيس",
    "وزير",
    "كاتب",
    "سفير",
    "والي",
    "عامل",
    "قائد",
    "نائب",
    "عضو",
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "مع",
    "أن",
    "ان",
    "إن",
    "خلال",
    "الذي",
    "التي",
    "و",
    "قد",
    "كما",
    "بعد",
    "قبل",
    "حول",
    "عبر",
    "لدى",
    "ثم",
    "أو",
    "او",
    "بين",
    "هذا",
    "هذه",
    "اليوم",
}
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")


def _french(text: str) -> set[str]:
    found = set()
    for match in _FRENCH_NAME.finditer(text):
        # A run of capitals can hold several names and titles: "Rabat Mme Amina Bouayach".
        segment: list[str] = []
        for word in [*match.group().split(), "."]:
            if word == "." or word.casefold().strip("'’.") in _FRENCH_STARTERS:
                if len(segment) >= 2:
                    found.add(" ".join(segment))
                segment = []
            else:
                segment.append(word)
    return found


def _arabic(text: str) -> set[str]:
    found = set()
    words = _ARABIC_WORD.findall(text)
    for i, word in enumerate(words):
        if word not in _ARABIC_TITLES:
            continue
        j = i + 1
        while j < len(words) and words[j].startswith("ال") and j - i <= 3:
            j += 1  # descriptors: الداخلية, الفرنسي…
        name = []
        for candidate in words[j : j + 3]:
            if (
                candidate in _ARABIC_STOP
                or candidate in _ARABIC_TITLES
                or candidate.startswith("و")
            ):
                break  # a conjunction (والرئيس…) ends the name
            name.append(candidate)
        if len(name) >= 2 or (name and j == i + 1 and word.startswith("السيد")):
            found.add(" ".join(name))
    return found


def find_candidates(text: str) -> set[tuple[str, str]]:
    """{(name, language)} of entity-like names in text."""
    return {(name, "fr") for name in _french(text)} | {(name, "ar") for name in _arabic(text)}
