"""Turn uploaded or imported documents into articles.

Pure extraction (decoding, HTML, text rules, language) happens first; then one
service saves each article in its own transaction (`ingest_document`), or a
whole batch at once for bulk imports (`ingest_batch`). A bad document is
reported and costs nothing to the others.
"""

from __future__ import annotations

import datetime
import io
import logging
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _

from archive.ingest.decoding import UndecodableInput, decode_bytes
from archive.ingest.extracted import Extracted
from archive.ingest.html import extract_html
from archive.ingest.language import detect_language
from archive.ingest.text import extract_text
from archive.models import Article, Language, Source
from archive.services import article_create, duplicate_error, find_duplicate
from archive.signals import articles_seen

log = logging.getLogger(__name__)

CREATED, DUPLICATE, REFUSED = "created", "duplicate", "refused"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", "")
ACCEPTED_SUFFIXES = (*HTML_SUFFIXES, ".txt", ".zip")


@dataclass
class IngestDefaults:
    """What applies when a document does not say (language overrides detection)."""

    source: Source | None = None
    language: str | None = None
    title: str = ""
    author: str = ""
    published_at: datetime.date | None = None
    url: str = ""


@dataclass
class IngestResult:
    name: str
    status: str
    article: Article | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)


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


def resolve_source(name: str, language: str) -> Source | None:
    """The archive's source of that name, created if new (inside the caller's transaction)."""
    name = " ".join(name.split())[:200]
    if not name:
        return None
    existing = Source.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    base = slugify(name, allow_unicode=True)[:190] or "source"
    slug, n = base, 1
    while Source.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    source = Source(name=name, slug=slug, language=language)
    source.full_clean()
    source.save()
    return source


def article_fields(found: Extracted, defaults: IngestDefaults) -> dict:
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


def _known_sources() -> list[str]:
    return list(Source.objects.values_list("name", flat=True))


def ingest_document(
    data: bytes | str, *, name: str, defaults: IngestDefaults | None = None, known_sources=None
) -> IngestResult:
    """Extract one document and save it as an article, in one transaction.

    Returns created (with the article), duplicate (with the article already
    archived) or refused (with the reason). Never raises for bad input.
    """
    defaults = defaults or IngestDefaults()
    known = _known_sources() if known_sources is None else known_sources
    try:
        found = extract_document(data, name=name, known_sources=known)
    except UndecodableInput as error:
        return IngestResult(name, REFUSED, reason=str(error))
    except Exception:  # a parser crash on hostile markup must not stop an upload
        log.exception("extraction failed for %s", name)
        return IngestResult(name, REFUSED, reason=_("the page could not be read"))
    fields = article_fields(found, defaults)
    if len(fields["body"]) < 20:
        return IngestResult(name, REFUSED, reason=_("no article text was found"))
    if fields["language"] not in Language.values:
        return IngestResult(
            name, REFUSED, reason=_("the language could not be detected; choose one")
        )
    existing = find_duplicate(body=fields["body"], title=fields["title"], url=fields["url"])
    if existing is not None:
        # A process killed between saving this article and indexing it leaves
        # it unfindable; meeting it again is the moment to index it.
        articles_seen.send(sender=Article, pks=[existing.pk])
        return IngestResult(
            name, DUPLICATE, article=existing, reason=duplicate_error(existing).messages[0]
        )
    try:
        with transaction.atomic():
            source = defaults.source
            if fields["source_name"]:
                source = resolve_source(fields.pop("source_name"), fields["language"])
            else:
                fields.pop("source_name")
            article = article_create(source=source, **fields)
    except ValidationError as error:
        if error.code == "duplicate":
            return IngestResult(
                name,
                DUPLICATE,
                article=find_duplicate(
                    body=fields["body"], title=fields["title"], url=fields["url"]
                ),
                reason=error.messages[0],
            )
        return IngestResult(name, REFUSED, reason="; ".join(error.messages))
    return IngestResult(name, CREATED, article=article)


@dataclass
class Upload:
    name: str
    data: bytes


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not path.is_absolute() and ".." not in path.parts and not name.startswith("/")


def unpack(uploads: Iterable[Upload]) -> Iterator[Upload | IngestResult]:
    """Files of an upload, zips opened in memory; a refused member is yielded as
    its IngestResult. Zip bombs (too many members, too much uncompressed data,
    an impossible compression ratio) and paths outside the archive are refused."""
    for upload in uploads:
        if not upload.name.lower().endswith(".zip"):
            if upload.name.lower().endswith((*HTML_SUFFIXES, ".txt")):
                yield upload
            else:
                yield IngestResult(
                    upload.name, REFUSED, reason=_("only .html, .htm and .txt files are imported")
                )
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(upload.data))
            members = [m for m in archive.infolist() if not m.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError):
            yield IngestResult(upload.name, REFUSED, reason=_("not a readable zip file"))
            continue
        total = sum(m.file_size for m in members)
        if (
            len(members) > settings.ARCHIVE_MAX_ZIP_MEMBERS
            or total > settings.ARCHIVE_MAX_UPLOAD_BYTES
        ):
            yield IngestResult(
                upload.name,
                REFUSED,
                reason=_("the zip file unpacks to too many or too large files"),
            )
            continue
        for member in members:
            label = f"{upload.name}/{member.filename}"
            if not _safe_member(member.filename):
                yield IngestResult(label, REFUSED, reason=_("a path outside the zip folder"))
            elif member.file_size > max_file_bytes():
                yield IngestResult(
                    label,
                    REFUSED,
                    reason=_("the file is larger than %(limit)s MB")
                    % {"limit": max_file_bytes() // 1_000_000},
                )
            elif member.compress_size and member.file_size / member.compress_size > 200:
                yield IngestResult(label, REFUSED, reason=_("suspicious compression (zip bomb)"))
            elif not member.filename.lower().endswith((*HTML_SUFFIXES, ".txt")):
                yield IngestResult(
                    label, REFUSED, reason=_("only .html, .htm and .txt files are imported")
                )
            else:
                with archive.open(member) as handle:
                    data = handle.read(max_file_bytes() + 1)
                if len(data) > max_file_bytes():
                    yield IngestResult(label, REFUSED, reason=_("the file is larger than declared"))
                else:
                    yield Upload(label, data)


def document_count(uploads: Iterable[Upload]) -> int:
    """Documents in an upload, a zip counting its members (none is extracted)."""
    count = 0
    for upload in uploads:
        if upload.name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(upload.data)) as archive:
                    count += sum(1 for member in archive.infolist() if not member.is_dir()) or 1
            except (zipfile.BadZipFile, OSError, ValueError):
                count += 1
        else:
            count += 1
    return count


def ingest_uploads(uploads: Iterable[Upload], defaults: IngestDefaults) -> list[IngestResult]:
    """Every uploaded file (zips unpacked), each saved or refused on its own."""
    known = _known_sources()
    results = []
    for item in unpack(uploads):
        if isinstance(item, IngestResult):
            results.append(item)
            continue
        result = ingest_document(item.data, name=item.name, defaults=defaults, known_sources=known)
        if result.status == CREATED and result.article.source:
            known.append(result.article.source.name)
        results.append(result)
    return results


def new_article(fields: dict, source: Source | None) -> Article:
    """An unsaved, validated article (for batch imports)."""
    article = Article(source=source, **fields)
    article.set_fingerprints()
    article.full_clean(validate_unique=False, validate_constraints=False)
    return article
