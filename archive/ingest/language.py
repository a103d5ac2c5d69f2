"""Which language an article is in: Arabic by script, French or English by a
trained identifier (py3langid, whose model ships inside the package)."""

from __future__ import annotations

import re

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ]")

_identifier = None


def _latin_language(text: str) -> str:
    global _identifier
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        _identifier.set_languages(["fr", "en"])
    language, _ = _identifier.classify(text[:5000])
    return language


def is_arabic_script(text: str) -> bool:
    """True when a name or text is written mostly in Arabic letters.

    >>> is_arabic_script("عبد الوافي لفتيت"), is_arabic_script("Abdelouafi Laftit")
    (True, False)
    """
    arabic = len(_ARABIC_LETTER.findall(text))
    return arabic > 0 and arabic >= len(_LATIN_LETTER.findall(text))


def detect_language(text: str) -> str | None:
    """'ar', 'fr' or 'en'; None when the text has too few letters to tell.

    >>> detect_language("أكد وزير الداخلية"), detect_language("Le ministre a reçu son homologue.")
    ('ar', 'fr')
    """
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if arabic + latin < 10:
        return None
    # Arabic articles often quote French names; a third of Arabic letters is plenty.
    if arabic >= 0.3 * (arabic + latin):
        return "ar"
    return _latin_language(text)
