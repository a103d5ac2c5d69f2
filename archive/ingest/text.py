"""Plain text as copied from a news site: furniture out, metadata found.

>>> found = extract_text("Titre court\\n\\nPublié dans Le Matin le 02 - 06 - 2023\\nLe texte.")
>>> found.title, found.source, str(found.published_at), found.body
('Titre court', 'Le Matin', '2023-06-02', 'Le texte.')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from archive.ingest.boilerplate import clean_lines, is_end_marker, is_ticker
from archive.ingest.dates import parse_date_text
from archive.ingest.extracted import Extracted
from archive.textnorm import title_from_body

# Outlets of this beat as bylines name them -> the name the archive uses.
KNOWN_OUTLETS = {
    "إكسبريس تيفي": "Express TV",
    "اكسبريس تيفي": "Express TV",
    "express tv": "Express TV",
    "هسبريس": "Hespress",
    "hespress": "Hespress",
    "النهار24": "النهار24",
    "النهار 24": "النهار24",
    "اليوم 24": "اليوم 24",
    "اليوم24": "اليوم 24",
    "le360": "Le360",
    "le 360": "Le360",
    "maroc diplomatique": "Maroc Diplomatique",
    "médias24": "Médias24",
    "medias24": "Médias24",
    "le matin": "Le Matin",
    "telquel": "TelQuel",
    "yabiladi": "Yabiladi",
    "h24info": "H24info",
    "goud": "Goud",
    "كود": "Goud",
    "مدار21": "مدار21",
    "هبة بريس": "هبة بريس",
    "map": "MAP",
    "و.م.ع": "MAP",
    "snrtnews": "SNRTnews",
}

# A headline is short and does not end like a sentence.
MAX_TITLE_LENGTH = 200
_SENTENCE_END = tuple(".!?؟…")

_PUBLISHED_IN = re.compile(r"^Publié (?:dans|sur|par) (?P<source>.+?),? le (?P<date>.+)$", re.I)
_AGENCY_DATE = re.compile(
    r"^(?P<author>[\wÉ][\w .'&-]{1,40}), (?:publié|mis à jour) le (?P<date>.+)$"
)
_SOURCE_AUTHOR = re.compile(r"^(?P<source>[^:]{2,40}?)\s*:\s*(?P<author>[^:]{2,60})$")
_SOURCE_AUTHOR_FOLLOW = re.compile(
    r"^(?P<source>\S[^–—-]{0,30}?)\s*[–—-]\s*(?P<author>[^–—-]{2,40}?)\s*[–—-]\s*(?:تابعوا|suivez|follow)",
    re.I,
)
_ARABIC_BYLINE = re.compile(r"^(?:بقلم|كتب|كتبه|إعداد)\s*:?\s*(?P<author>\S.{1,40})$")
_FRENCH_BYLINE = re.compile(r"^Par (?P<author>[A-ZÉ][\w .'-]{2,60})$")


def outlet_name(name: str, known_sources: Iterable[str] = ()) -> str | None:
    """The archive's name for an outlet named in a byline, if it is one."""
    cleaned = " ".join(name.split()).strip(" :–-")
    for source in known_sources:
        if source.casefold() == cleaned.casefold():
            return source
    return KNOWN_OUTLETS.get(cleaned.casefold()) or KNOWN_OUTLETS.get(cleaned)


def read_byline(line: str, found: Extracted, known_sources: Iterable[str] = ()) -> bool:
    """Fill source/author/date from a byline or dateline; True if the line is one."""
    match = _PUBLISHED_IN.match(line)
    if match:
        found.source = found.source or match["source"].strip()
        found.published_at = found.published_at or parse_date_text(match["date"])
        return True
    match = _AGENCY_DATE.match(line)
    if match and parse_date_text(match["date"]):
        found.author = found.author or match["author"].strip()
        found.published_at = found.published_at or parse_date_text(match["date"])
        return True
    match = _SOURCE_AUTHOR_FOLLOW.match(line)
    if match:
        found.source = (
            found.source or outlet_name(match["source"], known_sources) or match["source"].strip()
        )
        found.author = found.author or match["author"].strip()
        return True
    match = _SOURCE_AUTHOR.match(line)
    if match and outlet_name(match["source"], known_sources):
        found.source = found.source or outlet_name(match["source"], known_sources) or ""
        found.author = found.author or match["author"].strip()
        return True
    match = _ARABIC_BYLINE.match(line) or _FRENCH_BYLINE.match(line)
    if match:
        found.author = found.author or match["author"].strip()
        return True
    return False


# Unicode's control characters (category Cc) but the tab.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def normalize_lines(text: str) -> list[str]:
    """Lines with Unicode normalised (NFC), control characters and runs of
    spaces removed; blank lines kept out."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for line in text.split("\n"):
        if is_ticker(line):  # before spaces collapse: they separate its headlines
            continue
        line = _CONTROL.sub("", line)
        line = re.sub(r"[ \t\u00a0\u200b]+", " ", line).strip()
        if line:
            lines.append(line)
    return lines


def looks_like_title(line: str) -> bool:
    return len(line) <= MAX_TITLE_LENGTH and not line.endswith(_SENTENCE_END)


def article_lines(
    lines: list[str], found: Extracted, known_sources: Iterable[str] = ()
) -> list[str]:
    """The article's own lines: bylines read into `found`, furniture dropped."""
    known = list(known_sources)
    kept, ended = [], False
    for line in lines:
        ended = ended or is_end_marker(line)
        if ended or not read_byline(line, found, known):
            kept.append(line)
    return clean_lines(kept)


def clean_body(text: str) -> str:
    """An article body typed or pasted by hand, with the same cleaning as imports
    (furniture lines out, one paragraph per line, blank lines between)."""
    return "\n\n".join(clean_lines(normalize_lines(text)))


def extract_text(text: str, *, known_sources: Iterable[str] = ()) -> Extracted:
    """Title, body (paragraphs separated by blank lines) and metadata of a text."""
    found = Extracted()
    lines = article_lines(normalize_lines(text), found, known_sources)
    if lines and looks_like_title(lines[0]) and len(lines) > 1:
        found.title = lines.pop(0)
        while lines and lines[0] == found.title:  # pages often repeat the headline
            lines.pop(0)
    found.body = "\n\n".join(lines)
    if not found.title:
        found.title = title_from_body(found.body)
    return found


def extract_record(title: str, body: str, *, known_sources: Iterable[str] = ()) -> Extracted:
    """A record whose title and body come apart (a JSONL line): the body gets
    exactly the cleaning of a pasted text, so that a copy pasted in the admin
    has the same body, and the same fingerprint, as the imported record."""
    found = Extracted()
    lines = article_lines(normalize_lines(body), found, known_sources)
    title = " ".join(title.split())
    while lines and title and lines[0] == title:  # the headline repeated
        lines.pop(0)
    found.body = "\n\n".join(lines)
    found.title = title or title_from_body(found.body)
    return found
