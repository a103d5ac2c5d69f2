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
from archive.entities.services import articles_link, build_linker, candidates_record
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
from archive.models import Article, Language, Source
from archive.signals import articles_changed, articles_seen, bulk_write_finished
from archive.textnorm import title_from_body

FORMATS = ("auto", "html", "txt", "jsonl")


@dataclass
class Record:
    name: str
    data: bytes | None = None  # a file to extract
    fields: dict | None = None  # a JSONL record, already extracted


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


def _from_json(record: dict) -> Extracted:
    text = str(record.get("body") or "")
    body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
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
        title=" ".join(str(record.get("title") or "").split()) or title_from_body(body),
        body=body,
        source=str(record.get("source") or ""),
        author=str(record.get("author") or ""),
        published_at=date,
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
            _from_json(record.fields)
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
    hashes = {p.article.content_hash for p in batch}
    urls = {p.article.url for p in batch if p.article.url}
    by_hash = dict(
        Article.objects.filter(content_hash__in=hashes).values_list("content_hash", "pk")
    )
    by_url = dict(Article.objects.filter(url__in=urls).values_list("url", "pk")) if urls else {}
    results: list[IngestResult] = []
    fresh: list[_Prepared] = []
    seen: list[int] = []
    for prepared in batch:
        article = prepared.article
        existing = by_hash.get(article.content_hash) or by_url.get(article.url)
        if existing:
            if existing > 0:
                seen.append(existing)
            results.append(
                IngestResult(
                    prepared.name,
                    DUPLICATE,
                    reason=_("already in the archive (#%(pk)s)") % {"pk": existing},
                )
            )
            continue
        by_hash[article.content_hash] = -1  # a second copy in the same batch is a duplicate
        if article.url:
            by_url[article.url] = -1
        fresh.append(prepared)
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
        created = Article.objects.bulk_create([p.article for p in fresh])
        articles_link(created, linker=linker, reindex=False)  # announced below, in bulk
        for article in created:
            candidates_record(article=article, linker=linker)
        # bulk_create sends no post_save: the index learns of the batch from this.
        articles_changed.send(sender=Article, pks=[a.pk for a in created], bulk=True)
    return results + [
        IngestResult(p.name, CREATED, article=a) for p, a in zip(fresh, created, strict=True)
    ]


def import_records(
    records: Iterable[Record | IngestResult],
    *,
    defaults: IngestDefaults | None = None,
    batch_size: int = 500,
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
