"""Bulk import: many documents saved and indexed in batches, not one commit each.

Each record is extracted and validated on its own (a bad one is refused and
costs the others nothing); duplicates are found with one query per batch
(against the archive and within the batch); each batch is saved in one
transaction with `bulk_create`; after each commit, `archive.signals` tell the
search index to write the batch (one index commit per batch, so an import
killed midway leaves at most one batch saved but not indexed, and rerunning
it indexes that batch: its articles come back as duplicates, which the index
adds if it lacks them).
"""

from __future__ import annotations

import datetime
import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from archive.entities.linking import AliasLinker
from archive.entities.services import build_linker
from archive.ingest.decoding import UndecodableInput
from archive.ingest.extracted import Extracted
from archive.ingest.service import (
    ACCEPTED_SUFFIXES,
    CREATED,
    DUPLICATE,
    HTML_SUFFIXES,
    REFUSED,
    IngestDefaults,
    IngestResult,
    Upload,
    article_fields,
    extract_document,
    new_article,
    resolve_source,
    unpack,
)
from archive.ingest.text import extract_record
from archive.models import Article, Language, Source
from archive.services import archived_duplicates, articles_create_bulk
from archive.signals import articles_seen, bulk_write_finished

FORMATS = ("auto", "html", "txt", "jsonl")


@dataclass
class Record:
    name: str
    data: bytes | None = None  # a file to extract
    fields: dict | None = None  # a JSONL record, already extracted


# Articles saved (one transaction) and indexed (one Whoosh commit, one
# segment) together. 2,000 rather than 500: the small segments of 500 were
# merged at the end of the import, a third of its time (py-spy, 10,000
# articles: 75 s -> 41 s); searches over a few more segments are as fast.
IMPORT_BATCH_SIZE = 2000


def _jsonl_records(path: Path) -> Iterator[Record | IngestResult]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            name = f"{path.name}:{number}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError
            except ValueError:
                yield IngestResult(name, REFUSED, reason=_("not a JSON object"))
                continue
            yield Record(name, fields=record)


def iter_records(paths: Iterable[str | Path], fmt: str = "auto") -> Iterator[Record | IngestResult]:
    """Records from files, folders (recursively), zips and JSONL(.gz) files."""
    for path in map(Path, paths):
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file())
            yield from iter_records(children, fmt)
        elif not path.exists():
            yield IngestResult(str(path), REFUSED, reason=_("no such file"))
        elif fmt == "jsonl" or (fmt == "auto" and path.name.endswith((".jsonl", ".jsonl.gz"))):
            yield from _jsonl_records(path)
        elif not path.name.lower().endswith(ACCEPTED_SUFFIXES):
            yield IngestResult(
                str(path), REFUSED, reason=_("only .html, .htm and .txt files are imported")
            )
        else:
            for item in unpack([Upload(str(path), path.read_bytes())]):
                if isinstance(item, IngestResult):
                    yield item
                elif fmt == "auto" or item.name.lower().endswith(
                    HTML_SUFFIXES if fmt == "html" else (".txt",)
                ):
                    yield Record(item.name, data=item.data)
                else:
                    yield IngestResult(
                        item.name, REFUSED, reason=_("not a %(format)s file") % {"format": fmt}
                    )


def _from_json(record: dict, known: list[str]) -> Extracted:
    found = extract_record(
        str(record.get("title") or ""), str(record.get("body") or ""), known_sources=known
    )
    date = None
    try:
        date = (
            datetime.date.fromisoformat(str(record.get("date") or "")[:10])
            if record.get("date")
            else None
        )
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


@dataclass
class _Prepared:
    name: str
    article: Article  # validated, unsaved, without its source yet
    source_name: str


def _prepare(
    record: Record, defaults: IngestDefaults, known: list[str]
) -> _Prepared | IngestResult:
    try:
        found = (
            _from_json(record.fields, known)
            if record.fields is not None
            else extract_document(record.data, name=record.name, known_sources=known)
        )
    except UndecodableInput as error:
        return IngestResult(record.name, REFUSED, reason=str(error))
    if record.fields is not None and record.fields.get("language") in Language.values:
        # A JSONL record that states its language is trusted (no detection).
        defaults = replace(defaults, language=defaults.language or record.fields["language"])
    fields = article_fields(found, defaults)
    if len(fields["body"]) < 20:
        return IngestResult(record.name, REFUSED, reason=_("no article text was found"))
    if fields["language"] not in Language.values:
        return IngestResult(
            record.name, REFUSED, reason=_("the language could not be detected; choose one")
        )
    source_name = fields.pop("source_name")
    try:
        article = new_article(fields, None)  # validates lengths, URL and language
    except ValidationError as error:
        return IngestResult(record.name, REFUSED, reason="; ".join(error.messages))
    return _Prepared(record.name, article, source_name)


def _save_batch(
    batch: list[_Prepared],
    defaults: IngestDefaults,
    dry_run: bool,
    sources: dict[str, Source],
    linker: AliasLinker,
) -> list[IngestResult]:
    archived = archived_duplicates([p.article for p in batch])
    results: list[IngestResult] = []
    fresh: list[_Prepared] = []
    seen: list[int] = []
    # Fingerprints and URLs of this batch's new articles: a second copy is a duplicate.
    contents: set[str] = set()
    texts: set[str] = set()
    urls: set[str] = set()
    for prepared, existing in zip(batch, archived, strict=True):
        article = prepared.article
        if existing:
            seen.append(existing)
            reason = _("already in the archive (#%(pk)s)") % {"pk": existing}
        elif (
            article.content_hash in contents | texts
            or article.text_hash in contents
            or (article.url and article.url in urls)
        ):
            reason = _("a copy of another document of this import")
        else:
            contents.add(article.content_hash)
            texts.add(article.text_hash)
            if article.url:
                urls.add(article.url)
            fresh.append(prepared)
            continue
        results.append(IngestResult(prepared.name, DUPLICATE, reason=reason))
    if seen and not dry_run:
        articles_seen.send(sender=Article, pks=seen)
    if dry_run or not fresh:
        return results + [IngestResult(p.name, CREATED) for p in fresh]
    with transaction.atomic():
        for prepared in fresh:
            source = defaults.source
            if prepared.source_name:
                key = prepared.source_name.casefold()
                if key not in sources:
                    sources[key] = resolve_source(prepared.source_name, prepared.article.language)
                source = sources[key]
            prepared.article.source = source
        created = articles_create_bulk([p.article for p in fresh], linker=linker)
    return results + [
        IngestResult(p.name, CREATED, article=a) for p, a in zip(fresh, created, strict=True)
    ]


def import_records(
    records: Iterable[Record | IngestResult],
    *,
    defaults: IngestDefaults | None = None,
    batch_size: int = IMPORT_BATCH_SIZE,
    dry_run: bool = False,
    report: Callable[[IngestResult], None] = lambda result: None,
) -> list[IngestResult]:
    """Import every record; `report` is called once per record as it is settled."""
    defaults = defaults or IngestDefaults()
    known = list(Source.objects.values_list("name", flat=True))
    linker = build_linker()
    sources = {name.casefold(): source for source in Source.objects.all() for name in [source.name]}
    results: list[IngestResult] = []
    batch: list[_Prepared] = []

    def flush() -> None:
        for result in _save_batch(batch, defaults, dry_run, sources, linker):
            results.append(result)
            report(result)
        batch.clear()

    for record in records:
        prepared = record if isinstance(record, IngestResult) else _prepare(record, defaults, known)
        if isinstance(prepared, IngestResult):
            results.append(prepared)
            report(prepared)
            continue
        batch.append(prepared)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    if not dry_run and any(r.status == CREATED for r in results):
        # Batches were indexed without merging; merge once, after the last one.
        transaction.on_commit(lambda: bulk_write_finished.send(sender=Article))
    return results
