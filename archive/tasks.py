"""Background tasks of the archive (run by the django-tasks worker).

Each task only names its `Job`; the work and its inputs are in the database
(and, for uploads, on disk), so a task is safe to run again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from archive import jobs
from archive.entities.services import entities_relink
from archive.ingest.uploads import upload_work
from archive.models import Entity, Job, JobKind, JobState

RELINK_TASK = "archive.tasks.run_relink"


def relink_work(job: Job) -> str:
    changed = entities_relink(
        job.params.get("entity_ids", []),
        progress=lambda done, total: jobs.job_progress(job, done, total),
    )
    return _("%(count)s articles changed.") % {"count": changed}


@task()
def run_upload(job_id: int) -> None:
    jobs.job_run(job_id, upload_work)  # archive.ingest.uploads


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
    return jobs.job_enqueue(job, RELINK_TASK)
