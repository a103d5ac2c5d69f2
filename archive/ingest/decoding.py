"""Bytes to text for scraped news pages (pure Python).

Arabic pages are often windows-1256 or ISO-8859-6 with a wrong or missing
declared charset, and French ones windows-1252. Every plausible encoding
(byte-order mark, the page's declared charset, UTF-8, charset-normalizer's
guess, the usual Arabic and French code pages) is tried strictly, and the
reading that looks most like real Arabic or French text wins: a wrong
single-byte code page decodes without error but yields mojibake (Ø§Ù„ for
ال, Ã© for é), which scores low.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from bs4.dammit import EncodingDetector
from django.utils.translation import gettext as _

FALLBACK_ENCODINGS = ("utf-8", "windows-1256", "iso-8859-6", "windows-1252", "iso-8859-1")
# Mojibake of UTF-8 Arabic or accented Latin read as a Western code page.
_MOJIBAKE = re.compile(
    r"[ØÙÚÛ][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|Ã[\x80-\xbf\u0152-\u2122]|â€"
)
_ARABIC = re.compile(r"[\u0621-\u064a]")
# A word that mixes Latin and Arabic letters ("Rىunion") is a misreading.
_MIXED_WORD = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0621-\u064a])\w+")


class UndecodableInput(ValueError):
    """The bytes are not text in any encoding this press uses (or not text at all)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: an image, a PDF, an executable…"""
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.05


def _score(text: str) -> float:
    """Higher for text that reads as Arabic/French; mojibake and odd symbols cost."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return 0.0
    penalty = 20 * len(_MOJIBAKE.findall(text)) + 20 * len(_MIXED_WORD.findall(text))
    penalty += sum(
        1
        for ch in text
        if unicodedata.category(ch) in ("Co", "Cn", "So", "Cc") and ch not in "\n\r\t"
    )
    arabic = len(_ARABIC.findall(text))
    latin = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    return (arabic + latin + 0.5 * (letters - arabic - latin) - penalty) / max(1, len(text))


def _candidates(data: bytes, declared: str | None, is_html: bool) -> list[str]:
    found: list[str] = []
    bom_encoding = (
        EncodingDetector.find_declared_encoding(data, is_html=is_html) if declared is None else None
    )
    for encoding in (
        "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else None,
        "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None,
        declared,
        bom_encoding,
        *FALLBACK_ENCODINGS,
        _detected(data),
    ):
        if not encoding:
            continue
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            continue
        if name not in found:
            found.append(name)
    return found


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    return best.encoding if best else None


def decode_bytes(data: bytes, *, declared: str | None = None, is_html: bool = False) -> Decoded:
    """The text of a file, in the encoding it really uses.

    `declared` is a charset stated outside the file (an HTTP header, an
    upload form); a charset inside an HTML page (<meta charset>) is read too.
    Raises UndecodableInput for binary data or bytes no candidate decodes.

    >>> decode_bytes("الهجرة".encode("windows-1256")).text
    'الهجرة'
    """
    if not data.strip():
        raise UndecodableInput(_("the file is empty"))
    if looks_binary(data):
        raise UndecodableInput(_("the file is binary, not text"))
    best: Decoded | None = None
    best_score = float("-inf")
    for encoding in _candidates(data, declared, is_html):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _score(text[:20000])
        # UTF-8 that decodes strictly is almost never wrong: prefer it on ties.
        if encoding.startswith("utf") and score >= best_score - 0.02:
            score += 0.05
        if score > best_score:
            best, best_score = Decoded(text.lstrip("\ufeff"), encoding), score
    if best is None:
        raise UndecodableInput(_("the file is not text in any supported encoding"))
    return best
