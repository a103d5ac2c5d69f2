"""The one way articles come in: every way of adding them (the admin's upload,
its background job, `import_articles`) is a few lines over `ingest`.

Documents in, one result per document out, in order:

1. **Prepare** each record on its own: extract it (`archive.ingest.documents`),
   apply the refusal rules; a bad document is refused and costs the others
   nothing.
2. **Settle** records in batches: duplicates of the archive found with one
   query, copies within the batch by the same keys (`archive.duplicates`).
3. **Save** each batch's new articles in one transaction
   (`archive.services.articles_create_bulk`: mentions, candidate names,
   wire copies, the change event), and report its results inside that
   transaction, so that a job's recorded results and its saved articles
   commit together: a worker killed midway leaves neither half.
4. **End** the write (`archive.services.write_finished`): the index merges
   what the batches wrote, followers of saved searches get their alerts.

A batch's database commit and its index write are one step apart, so a
process killed between them leaves at most that one batch unindexed; its
articles come back as duplicates when the import is run again, and the index
adds those it lacks. For the same promise, an index that cannot be written
stops the ingest after that batch (`IngestStopped`), instead of saving batch
after batch that nobody can find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from archive.duplicates import BatchKeys, archived_duplicates, duplicate_error
from archive.entities.linking import AliasLinker
from archive.entities.services import build_linker
from archive.ingest.decoding import UndecodableInput
from archive.ingest.documents import (
    IngestDefaults,
    article_fields,
    extract_document,
    extract_json,
    refusal,
)
from archive.ingest.files import Record
from archive.ingest.results import CREATED, DUPLICATE, REFUSED, IngestResult, IngestStopped
from archive.models import Article, Language, Source
from archive.services import articles_create_bulk, write_finished
from archive.signals import FollowerFailed

# Articles saved (one transaction) and indexed (one Whoosh commit, one
# segment) together. 2,000 rather than 500: the small segments of 500 were
# merged at the end of the import, a third of its time (py-spy, 10,000
# articles: 75 s -> 41 s); searches over a few more segments are as fast.
IMPORT_BATCH_SIZE = 2000
# A background upload records its progress a batch at a time.
JOB_BATCH_SIZE = 50
# A batch that meets a concurrent writer's copy (the database's unique
# fingerprint) is settled again, with the copy now visible, at most this often.
SETTLE_ATTEMPTS = 3

Report = Callable[[IngestResult], None]


@dataclass
class _Prepared:
    name: str
    article: Article  # validated, unsaved, without its source yet
    source_name: str


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


def prepare(
    record: Record, defaults: IngestDefaults, known_sources: list[str]
) -> _Prepared | IngestResult:
    """Extract and validate one record: an unsaved article, or its refusal."""
    try:
        if record.fields is not None:
            found = extract_json(record.fields, known_sources)
            if record.fields.get("language") in Language.values:
                # A record that states its language is trusted (no detection).
                defaults = replace(
                    defaults, language=defaults.language or record.fields["language"]
                )
        else:
            found = extract_document(
                record.data or b"", name=record.name, known_sources=known_sources
            )
    except UndecodableInput as error:
        return IngestResult(record.name, REFUSED, reason=str(error))
    except Exception:  # a parser crash on hostile markup must not stop the others
        return IngestResult(record.name, REFUSED, reason=_("the page could not be read"))
    if record.title:
        defaults = replace(defaults, title=record.title)
    fields = article_fields(found, defaults)
    reason = refusal(fields)
    if reason:
        return IngestResult(record.name, REFUSED, reason=reason)
    source_name = fields.pop("source_name")
    article = Article(source=None, **fields)
    article.set_fingerprints()
    try:
        article.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return IngestResult(record.name, REFUSED, reason="; ".join(error.messages))
    return _Prepared(record.name, article, source_name)


class _Batch:
    """Records settled and saved together; their results in record order."""

    def __init__(self, ingest: _Ingest) -> None:
        self.ingest = ingest
        self.items: list[_Prepared | IngestResult] = []
        self.results: list[IngestResult] = []  # once saved

    def __len__(self) -> int:
        return sum(isinstance(item, _Prepared) for item in self.items)

    def settle(self) -> list[IngestResult]:
        """Duplicates found, new articles saved (unless a dry run), results
        reported (inside the batch's transaction)."""
        prepared = [item for item in self.items if isinstance(item, _Prepared)]
        for attempt in range(1, SETTLE_ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return self._save(prepared)
            except IntegrityError:
                # Another writer saved one of these meanwhile: settle again.
                if attempt == SETTLE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _save(self, prepared: list[_Prepared]) -> list[IngestResult]:
        archived = archived_duplicates([p.article for p in prepared])
        keys = BatchKeys()
        outcome: dict[int, IngestResult | int] = {}  # id(item) -> result, or fresh position
        fresh: list[_Prepared] = []
        for item, existing in zip(prepared, archived, strict=True):
            if existing is not None:
                outcome[id(item)] = IngestResult(
                    item.name,
                    DUPLICATE,
                    article=existing,
                    reason=duplicate_error(existing).messages[0],
                )
                continue
            copied = keys.copy_of(item.article)
            if copied is not None:
                outcome[id(item)] = copied
                continue
            keys.add(item.article, len(fresh))
            outcome[id(item)] = len(fresh)
            fresh.append(item)
        known = sorted(
            {
                r.article.pk
                for r in outcome.values()
                if isinstance(r, IngestResult) and r.article is not None
            }
        )
        if self.ingest.dry_run:
            created = [p.article for p in fresh]
        elif not (fresh or known):
            created = []
        else:
            for new in fresh:
                new.article.source = self.ingest.source_of(new)
            created = articles_create_bulk(
                [p.article for p in fresh], linker=self.ingest.linker, known=known
            )
        results = []
        for entry in self.items:
            if isinstance(entry, IngestResult):
                results.append(entry)
                continue
            settled = outcome[id(entry)]
            if isinstance(settled, IngestResult):
                results.append(settled)
            elif fresh[settled] is entry:
                results.append(IngestResult(entry.name, CREATED, article=created[settled]))
            else:
                original = created[settled]
                results.append(
                    IngestResult(
                        entry.name,
                        DUPLICATE,
                        article=None if self.ingest.dry_run else original,
                        reason=_("a copy of another document of this upload or import"),
                    )
                )
        for result in results:
            self.ingest.report(result)
        self.results = results
        return results


class _Ingest:
    def __init__(self, defaults: IngestDefaults, dry_run: bool, report: Report) -> None:
        self.defaults = defaults
        self.dry_run = dry_run
        self.report = report
        self.linker: AliasLinker = build_linker()
        self.known_sources = list(Source.objects.values_list("name", flat=True))
        self.sources = {source.name.casefold(): source for source in Source.objects.all()}

    def source_of(self, item: _Prepared) -> Source | None:
        """The source a document names (created if new), else the defaults'."""
        if not item.source_name:
            return self.defaults.source
        key = item.source_name.casefold()
        if key not in self.sources:
            self.sources[key] = resolve_source(item.source_name, item.article.language)
            self.known_sources.append(item.source_name)
        return self.sources[key]


def ingest(
    records: Iterable[Record | IngestResult],
    *,
    defaults: IngestDefaults | None = None,
    batch_size: int = IMPORT_BATCH_SIZE,
    dry_run: bool = False,
    skip: int = 0,
    report: Report = lambda result: None,
) -> list[IngestResult]:
    """Ingest every record; one result per record, in order. `report` is
    called for each as it is settled (inside its batch's transaction).
    Raises IngestStopped when search could not follow a saved batch.
    `skip`: the first records are passed over (a job resumed after a
    restart, which recorded their results before)."""
    run = _Ingest(defaults or IngestDefaults(), dry_run, report)
    results: list[IngestResult] = []

    def settle(batch: _Batch) -> None:
        try:
            results.extend(batch.settle())
        except FollowerFailed as failure:
            # The batch is saved and reported; the index could not follow.
            results.extend(batch.results)
            raise IngestStopped(results, str(failure)) from failure

    batch = _Batch(run)
    for position, record in enumerate(records):
        if position < skip:
            continue
        batch.items.append(
            record
            if isinstance(record, IngestResult)
            else prepare(record, run.defaults, run.known_sources)
        )
        if len(batch) >= batch_size:
            settle(batch)
            batch = _Batch(run)
    if batch.items:
        settle(batch)
    if not dry_run:
        write_finished(created=any(result.status == CREATED for result in results))
    return results


def ingest_document(
    data: bytes | str, *, name: str, defaults: IngestDefaults | None = None, title: str = ""
) -> IngestResult:
    """One document through the pipeline (a pasted text, a test)."""
    [result] = ingest([Record(name, data=data, title=title)], defaults=defaults)
    return result
