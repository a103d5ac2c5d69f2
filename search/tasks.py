"""Background tasks of the search app: the index check and repair job."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from archive import jobs
from archive.models import Job, JobKind, JobState
from search import index_check


def repair_work(job: Job) -> str:
    drift = index_check.check()
    if drift.clean:
        return _("The index matches the database: %(summary)s") % {"summary": drift.summary()}
    total = drift.articles if drift.needs_rebuild else len(drift.to_fix())
    jobs.job_progress(job, 0, total)
    done = 0

    def progress(count: int) -> None:
        nonlocal done
        done += count
        jobs.job_progress(job, done)

    after = index_check.repair(drift, progress=progress)
    return _("Found: %(before)s. After repair: %(after)s") % {
        "before": drift.summary(),
        "after": after.summary(),
    }


@task()
def run_index_repair(job_id: int) -> None:
    jobs.job_run(job_id, repair_work)


def enqueue_repair(user=None) -> Job:
    """Queue a check and repair of the index, unless one is already waiting."""
    waiting = Job.objects.filter(kind=JobKind.INDEX_REPAIR, state=JobState.QUEUED).first()
    if waiting is not None:
        return waiting
    job = jobs.job_create(kind=JobKind.INDEX_REPAIR, user=user)
    return jobs.job_enqueue(job, run_index_repair)


@task()
def refresh_vocabulary() -> None:
    """Refresh the PostgreSQL engine's vocabulary ("did you mean"): it reads
    every document, so it runs in the worker, never in a request."""
    from search.engines.base import engine

    engine().refresh_vocabulary()
