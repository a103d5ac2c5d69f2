"""One document to an article's fields, and the rules that refuse it (no
database: the pipeline saves what this returns).

A document is a file's bytes (a page or a text, decoded here), a pasted text,
or a JSONL record; whatever it is, its fields come out of `article_fields`
and are judged by `refusal`, the one place those rules live.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from archive.ingest.decoding import UndecodableInput, decode_bytes
from archive.ingest.extracted import Extracted
from archive.ingest.html import extract_html
from archive.ingest.language import detect_language
from archive.ingest.text import extract_record, extract_text
from archive.models import Language, Source

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
DOCUMENT_SUFFIXES = (*HTML_SUFFIXES, ".txt")
ACCEPTED_SUFFIXES = (*DOCUMENT_SUFFIXES, ".zip")
# Fewer characters than this once cleaned: no article was found.
MIN_BODY = 20


@dataclass
class IngestDefaults:
    """What applies when a document does not say (language overrides
    detection). Stored with a background job as JSON (`to_json`)."""

    source: Source | None = None
    language: str | None = None
    title: str = ""
    author: str = ""
    published_at: datetime.date | None = None
    url: str = ""

    def to_json(self) -> dict:
        return {
            "source": self.source.pk if self.source else None,
            "language": self.language,
            "title": self.title,
            "author": self.author,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "url": self.url,
        }

    @classmethod
    def from_json(cls, data: dict) -> IngestDefaults:
        source_id, published = data.get("source"), data.get("published_at")
        return cls(
            source=Source.objects.filter(pk=source_id).first() if source_id else None,
            language=data.get("language") or None,
            title=data.get("title") or "",
            author=data.get("author") or "",
            published_at=datetime.date.fromisoformat(published) if published else None,
            url=data.get("url") or "",
        )


def max_file_bytes() -> int:
    return settings.ARCHIVE_MAX_FILE_BYTES


def too_large_message() -> str:
    return _("the file is larger than %(limit)s") % {"limit": filesizeformat(max_file_bytes())}


def is_html(name: str, text: str) -> bool:
    lowered = name.lower()
    if lowered.endswith(HTML_SUFFIXES):
        return True
    if lowered.endswith(".txt"):
        return False
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head


def extract_document(
    data: bytes | str, *, name: str, known_sources: Iterable[str] = ()
) -> Extracted:
    """Decode (bytes) and extract title, body and metadata. Raises UndecodableInput."""
    if isinstance(data, bytes):
        if len(data) > max_file_bytes():
            raise UndecodableInput(too_large_message())
        html_hint = name.lower().endswith(HTML_SUFFIXES)
        text = decode_bytes(data, is_html=html_hint).text
    else:
        text = data
    if is_html(name, text):
        return extract_html(text, known_sources=known_sources)
    return extract_text(text, known_sources=known_sources)


def extract_json(record: dict, known_sources: Iterable[str] = ()) -> Extracted:
    """A JSONL record (title, body, source, author, date, url, language): its
    body gets the pasted-text cleaning, so it gives the same article as the
    same text pasted."""
    found = extract_record(
        str(record.get("title") or ""), str(record.get("body") or ""), known_sources=known_sources
    )
    try:
        date = datetime.date.fromisoformat(str(record.get("date") or "")[:10])
    except ValueError:
        date = None
    return Extracted(
        title=found.title,
        body=found.body,
        source=str(record.get("source") or "") or found.source,
        author=str(record.get("author") or "") or found.author,
        published_at=date or found.published_at,
        url=str(record.get("url") or ""),
        language=str(record.get("language") or ""),
    )


def article_fields(found: Extracted, defaults: IngestDefaults) -> dict:
    """The article's fields: the document's, else the defaults'; the language
    given by the defaults, else detected, else the document's or its source's."""
    body = found.body.strip()
    language = (
        defaults.language
        or detect_language(body)
        or found.language
        or (defaults.source.language if defaults.source else None)
    )
    return {
        "title": (defaults.title or found.title).strip()[:500],
        "body": body,
        "language": language or "",
        "author": (found.author or defaults.author).strip()[:200],
        "published_at": found.published_at or defaults.published_at,
        "url": (found.url or defaults.url).strip()[:1000],
        "source_name": found.source.strip(),
    }


def refusal(fields: dict) -> str | None:
    """Why these fields make no article, or None."""
    if len(fields["body"]) < MIN_BODY:
        return _("no article text was found")
    if fields["language"] not in Language.values:
        return _("the language could not be detected; choose one")
    return None
