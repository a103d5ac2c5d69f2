"""Background tasks of the archive (run by the django-tasks worker).

Each task only names its `Job`; the work and its inputs are in the database
(and, for uploads, on disk), so a task is safe to run again.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from archive import jobs
from archive.entities.services import entities_relink
from archive.ingest.service import (
    IngestDefaults,
    IngestResult,
    Upload,
    document_count,
    ingest_document,
    unpack,
)
from archive.models import Entity, Job, JobKind, JobState, Source


def defaults_from(params: dict) -> IngestDefaults:
    """The upload form's defaults, stored as JSON with the job."""
    source_id = params.get("source")
    published = params.get("published_at")
    return IngestDefaults(
        source=Source.objects.filter(pk=source_id).first() if source_id else None,
        language=params.get("language") or None,
        author=params.get("author") or "",
        published_at=datetime.date.fromisoformat(published) if published else None,
        url=params.get("url") or "",
    )


def _record(job: Job, result: IngestResult) -> None:
    jobs.job_result(
        job,
        {
            "name": result.name,
            "status": result.status,
            "reason": result.reason,
            "article": result.article.pk if result.article else None,
            "title": result.article.title if result.article else "",
        },
    )


def upload_work(job: Job) -> str:
    """Import the job's stored documents one by one, recording each result.

    Documents whose result is already recorded (a job interrupted by a worker
    restart) are skipped: they are in the same order every time.
    """
    params = job.params
    defaults = defaults_from(params.get("defaults") or {})
    folder = jobs.upload_dir(job)
    stored = [
        Upload(item["name"], (folder / item["path"]).read_bytes())
        for item in params.get("files", [])
    ]
    pasted = params.get("pasted")
    jobs.job_progress(job, len(job.results), document_count(stored) + bool(pasted))
    position = 0
    skip = len(job.results)
    if pasted:
        if position >= skip:
            result = ingest_document(
                pasted["text"],
                name=_("Pasted text"),
                defaults=replace(defaults, title=pasted.get("title") or ""),
            )
            _record(job, result)
        position += 1
    known = list(Source.objects.values_list("name", flat=True))
    for item in unpack(stored):
        if position < skip:
            position += 1
            continue
        position += 1
        if isinstance(item, IngestResult):
            _record(job, item)
            continue
        result = ingest_document(item.data, name=item.name, defaults=defaults, known_sources=known)
        if result.article is not None and result.article.source:
            known.append(result.article.source.name)
        _record(job, result)
    # The job page shows the counts in the reader's language; this is for the list.
    return _("%(created)s created, %(duplicate)s duplicates, %(refused)s refused") % job.counts


def relink_work(job: Job) -> str:
    changed = entities_relink(
        job.params.get("entity_ids", []),
        progress=lambda done, total: jobs.job_progress(job, done, total),
    )
    return _("%(count)s articles changed.") % {"count": changed}


@task()
def run_upload(job_id: int) -> None:
    jobs.job_run(job_id, upload_work)


@task()
def run_relink(job_id: int) -> None:
    jobs.job_run(job_id, relink_work)


def alias_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """Signal receiver: an alias was added, changed or removed. The articles
    that name the entity (or stop naming it) are found again by a re-link job,
    after commit, so that their mentions and index documents follow."""
    if raw:  # fixtures: `link_entities` follows them
        return
    entity_id = instance.entity_id
    transaction.on_commit(lambda: relink_soon(entity_id))


def relink_soon(entity_id: int) -> Job | None:
    """Queue a re-link of one entity, unless one is already waiting for it."""
    if not Entity.objects.filter(pk=entity_id).exists():
        return None  # deleted with its aliases: its mentions went with it
    for job in Job.objects.filter(kind=JobKind.RELINK, state=JobState.QUEUED):
        if job.params.get("entity_ids") == [entity_id]:
            return job
    job = jobs.job_create(kind=JobKind.RELINK, params={"entity_ids": [entity_id]})
    return jobs.job_enqueue(job, run_relink)
