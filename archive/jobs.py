"""Background jobs: long admin work done by the worker, not inside a request.

A job is a `Job` row (what, progress, per-document results) plus a task queued
with django-tasks (`archive.tasks`, `search.tasks`); the database backend
needs no service, and `make run` starts its worker beside gunicorn. Inputs
are stored before the task is queued (uploaded files under
`ARCHIVE_UPLOAD_DIR`), and every step is recorded as it is done, so a job
interrupted by a worker restart is run again by `resume_jobs` without losing
or repeating anything.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from archive.models import Job, JobKind, JobState

log = logging.getLogger(__name__)


def upload_dir(job: Job) -> Path:
    return Path(settings.ARCHIVE_UPLOAD_DIR) / str(job.pk)


def job_create(*, kind, user=None, params: dict | None = None, total: int = 0) -> Job:
    """A new job of this JobKind (untyped: Django's choices are opaque to the type checker)."""
    return Job.objects.create(kind=kind, created_by=user, params=params or {}, total=total)


def upload_job_create(
    *, files: Iterable[tuple[str, bytes]], pasted: dict | None, defaults: dict, user=None
) -> Job:
    """Store the uploaded files on disk and a job that will import them.

    files: (name, content) pairs; pasted: {"text", "title"} or None; defaults:
    the upload form's defaults, as JSON-friendly values.
    """
    job = job_create(kind=JobKind.UPLOAD, user=user, params={"defaults": defaults})
    folder = upload_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    stored = []
    for number, (name, content) in enumerate(files):
        path = folder / f"{number:04d}"
        path.write_bytes(content)
        stored.append({"name": name, "path": path.name})
    job.params = {"defaults": defaults, "files": stored, "pasted": pasted}
    job.save(update_fields=["params"])
    return job


def job_enqueue(job: Job, task_path: str) -> Job:
    """Queue the task at `task_path` (a django-tasks task taking the job's
    id). The path is kept with the job, so that `jobs_resume` queues it again
    after a worker restart by the same means."""
    job.params = {**job.params, "task": task_path}
    Job.objects.filter(pk=job.pk).update(params=job.params)
    import_string(task_path).enqueue(job.pk)
    return job


def jobs_resume() -> int:
    """Queue again every job that is not finished and has no task waiting or
    running for it (its worker was killed during it); returns how many.
    Safe: a job skips what it recorded. Run after
    `archive.workers.mark_interrupted_tasks`, so a dead worker's task no
    longer counts as running."""
    pending = {
        (row.task_path, tuple(row.args_kwargs.get("args") or ()))
        for row in DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).only("task_path", "args_kwargs")
    }
    count = 0
    for job in Job.objects.filter(state__in=[JobState.QUEUED, JobState.RUNNING]).order_by("pk"):
        path = job.params.get("task")
        if path and (path, (job.pk,)) not in pending:
            import_string(path).enqueue(job.pk)
            count += 1
    return count


def job_run(job_id: int, work: Callable[[Job], str]) -> None:
    """Run `work(job)` for a queued or interrupted job; record its end.

    work returns the summary; it may call `job_progress` and `job_result`.
    A job already finished is not run again (a task delivered twice).
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    try:
        summary = work(job)
    except Exception as error:
        log.exception("job %s failed", job)
        Job.objects.filter(pk=job.pk).update(
            state=JobState.FAILED,
            finished_at=timezone.now(),
            summary=f"{type(error).__name__}: {error}"[:2000],
        )
        return
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE, finished_at=timezone.now(), summary=summary
    )
    if job.kind == JobKind.UPLOAD:
        shutil.rmtree(upload_dir(job), ignore_errors=True)


def job_progress(job: Job, done: int, total: int | None = None) -> None:
    job.progress = done
    fields = {"progress": done}
    if total is not None:
        job.total = fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)


@transaction.atomic
def job_result(job: Job, result: dict) -> None:
    """Append one document's result (committed at once: it survives a restart)."""
    job.results = [*job.results, result]
    job.progress = len(job.results)
    Job.objects.filter(pk=job.pk).update(results=job.results, progress=job.progress)
