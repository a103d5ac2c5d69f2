"""Text normalisation shared by duplicate detection and search (pure Python).

Arabic newspapers write the same word with or without diacritics, tatweel
and hamza on its alef; French ones with or without accents. These helpers
fold such variants so that two copies of one article compare equal.

>>> fold_text("إِعـلان  Réunion")
'اعلان reunion'
"""

import hashlib
import re
import unicodedata

# Alef with madda / hamza above / hamza below / wasla -> bare alef.
_ARABIC_FOLD = str.maketrans(
    {
        "\u0622": "\u0627",
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0671": "\u0627",
        "\u0649": "\u064a",  # alef maqsura -> ya
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u0640": None,  # tatweel
    }
)
_ARABIC_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_FOLD = {**_ARABIC_FOLD, **_ARABIC_INDIC_DIGITS}
_WORD = re.compile(r"\w+")


def _character_class(code_points: list[int]) -> str:
    """A regular-expression class of these code points, as ranges."""
    ranges: list[list[int]] = []
    for cp in code_points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


# Every combining mark of the Basic Multilingual Plane, as one regular
# expression: a per-character Python loop made fingerprints the slowest step
# of imports, and str.translate with a 2,000-entry table still cost half of
# fold_text (wire-copy signatures fold every article).
_MARK_CLASS = _character_class([cp for cp in range(0x10000) if unicodedata.combining(chr(cp))])
_BMP_MARKS = re.compile(f"[{_MARK_CLASS}]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def strip_marks(text: str) -> str:
    """Remove combining marks: Arabic harakat and Latin accents alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    kept = _BMP_MARKS.sub("", decomposed)
    if _ASTRAL.search(kept):
        kept = "".join(ch for ch in kept if not unicodedata.combining(ch))
    # Recompose so that letters built from base + mark (Arabic hamza forms
    # decompose to alef + hamza mark) become one character again.
    return unicodedata.normalize("NFC", kept)


def fold_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII digits (the press writes both)."""
    return text.translate(_ARABIC_INDIC_DIGITS)


def fold_text(text: str) -> str:
    """Lower-case, unaccented, Arabic-normalised words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # Fold Arabic letter variants before marks go: NFKD splits أ into ا + hamza.
    text = strip_marks(text.translate(_FOLD))
    return " ".join(_WORD.findall(text))


def content_fingerprint(body: str) -> str:
    """SHA-256 of the folded body: equal for copies that differ only in
    spacing, punctuation, case, accents, diacritics or letter variants."""
    return folded_fingerprint(fold_text(body))


def folded_fingerprint(folded: str) -> str:
    """The fingerprint of a text already folded (`fold_text`). Folded parts
    join with one space: fold_text(a + "\n" + b) == fold_text(a) + " " + fold_text(b)."""
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s")
_CLAUSE_END = re.compile(r"[،,;؛:]")


def title_from_body(body: str, max_length: int = 150) -> str:
    """A title for a page that has no headline: its first sentence. A longer
    sentence is cut at its last clause boundary (comma, semicolon) within
    max_length characters, else at a word boundary, and ends with "…".

    >>> title_from_body("Le Maroc et l'Espagne, réunis à Madrid, ont signé. Suite.", 30)
    "Le Maroc et l'Espagne…"
    """
    first = _SENTENCE_END.split(body.strip(), maxsplit=1)[0].split("\n", 1)[0].strip()
    if len(first) <= max_length:
        return first
    head = first[: max_length + 1]
    clauses = [m.start() for m in _CLAUSE_END.finditer(head)]
    if clauses and clauses[-1] >= max_length // 2:
        head = head[: clauses[-1]]
    else:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ،,;؛:") + "…"
