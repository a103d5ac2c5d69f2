"""Page furniture that scraped text carries along, recognised line by line.

The rules come from real scraped pages (the seed articles and the saved pages
of the shared corpus): comment forms, subscription prompts, "Loading", ad
labels, image captions, "see also" teasers, headline tickers, links back to
the source. Three kinds:

- ``END_MARKERS``: the article is over (comment form, "see also" block);
  everything from this line on is dropped;
- ``LINE_PATTERNS``: this line is furniture, drop it;
- ``INLINE_PHRASES``: furniture glued into a line of text; cut it out and
  split the line there.
"""

from __future__ import annotations

import re


def _patterns(*patterns: str) -> list[re.Pattern[str]]:
    """The patterns compiled, case-insensitive (Latin text comes in any case)."""
    return [re.compile(pattern, re.IGNORECASE) for pattern in patterns]


END_MARKERS = _patterns(
    r"^(إضافة تعليق|اترك تعليقا?ً?|أضف تعليق|اضف تعليق|التعليقات|تعليقات)\s*:?$",
    r"^(شاهد|اقرأ|إقرأ|اقرا) (أيضا|أيضاً|ايضا)\s*:?$",
    r"^(مقالات|أخبار|اخبار) (ذات صلة|مشابهة|مرتبطة)\s*:?$",
    r"^لن يتم نشر عنوان بريدك الإلكتروني",
    r"^(ترحب|نرحب) .{0,40}بالنقاش",  # comment policy above reader comments
    r"^الآراء الواردة .{0,30}لا تعبر عن",
    r"^(laisser|ajouter|écrire) un commentaire",
    r"^(commentaires?|réagissez|réagir)\s*:?$",
    r"^(à lire aussi|lire aussi|sur le même sujet|dans la même rubrique)\s*:?$",
    r"^articles? similaires?\s*:?$",
    r"^cliquez ici pour lire l'article depuis sa source",
    r"^votre adresse (e-mail|email|de messagerie) ne sera pas publiée",
    r"^(leave a (reply|comment)|related (posts|articles))\s*:?$",
)

LINE_PATTERNS = _patterns(
    r"^(loading|chargement)\.*$",
    r"^(إعلان|اعلان|publicité|advertisement|sponsorisé)( يمكن النقر عليه)?$",
    r"^(img|dsc|photo|image)[ _-]?\d+(\.\w+)?$",
    r"^- [^.،!?؟]{1,60}$",  # breadcrumb of sections: "- فيواجهة, سياسة"
    r"^(lire aussi|à lire aussi|a lire aussi|voir aussi)\s*:",
    r"^(اقرأ أيضا|اقرأ أيضاً|شاهد أيضا|شاهد أيضاً)\s*:",
    r"^merci d'avoir signalé",
    r"^cette image sera automatiquement bloquée",
    r"^(partager|share|tweet|whatsapp|facebook|twitter|imprimer|print|email)( (sur|on) \w+)?$",
    r"^(مشاركة|شارك|طباعة|تويتر|فيسبوك|واتساب)$",
    r"google news\s*$",
    r"^(abonnez-vous|inscrivez-vous|subscribe)\b",
    r"^(suivez|follow) (nous|us)\b",
    r"^(tous droits réservés|all rights reserved|جميع الحقوق محفوظة)",
    r"^©",
    r"^(publié|mis à jour|modifié) le [^.]{0,60}$",  # a dateline without a year
)

INLINE_PHRASES = _patterns(
    r"Thank you for reading this post, don't forget to subscribe!",
    r"Thanks for reading[^.!]*[.!]",
)

# A ticker of unrelated headlines: one very long line made of many short
# segments separated by runs of spaces.
_TICKER_SEPARATOR = re.compile(r"\s{3,}|\s+[|•·]\s+")


_SENTENCE_END = tuple(".!?؟…")


def is_ticker(line: str) -> bool:
    """Many short headlines on one line. Paragraphs joined by runs of spaces
    (SaudiNewsNet's bodies) look alike, but they end like sentences;
    headlines mostly do not."""
    if len(line) < 200:
        return False
    segments = [s.strip() for s in _TICKER_SEPARATOR.split(line) if s.strip()]
    if len(segments) < 5 or max(len(s) for s in segments) >= 200:
        return False
    sentences = sum(s.endswith(_SENTENCE_END) for s in segments)
    return sentences * 2 < len(segments)


def is_end_marker(line: str) -> bool:
    return any(p.search(line) for p in END_MARKERS)


def is_furniture(line: str) -> bool:
    return is_ticker(line) or any(p.search(line) for p in LINE_PATTERNS)


def split_glued(line: str) -> list[str]:
    """Cut furniture glued into a line; the pieces on either side become lines."""
    pieces = [line]
    for phrase in INLINE_PHRASES:
        pieces = [part for piece in pieces for part in phrase.split(piece)]
    return [piece.strip() for piece in pieces if piece.strip()]


def clean_lines(lines: list[str]) -> list[str]:
    """The lines of an article without furniture, up to the first end marker."""
    kept: list[str] = []
    for raw in lines:
        for line in split_glued(raw.strip()):
            if is_end_marker(line):
                return kept
            if not is_furniture(line):
                kept.append(line)
    return kept
