"""Who runs the background tasks: each worker's id names its machine and
process, so a worker starting up can tell the tasks a dead worker of this
machine left "running" (killed mid-task) from those a live one is running.

The killed task's row in django-tasks' queue would otherwise say RUNNING
forever; its job is queued again by `archive.jobs.jobs_resume` (the job
passes over what it had recorded), and the row says it was interrupted.
"""

from __future__ import annotations

import os
import socket

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

INTERRUPTED = "archive.workers.WorkerStopped"


def worker_id() -> str:
    """This process's worker id: `host:pid` (at most 64 characters)."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}"


def _alive_here(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname()[:50] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user: alive
    return True


def _dead(worker: str) -> bool:
    """A worker known to be gone: of this machine and no longer running, or
    with an id that names no machine (a worker started without this module)."""
    host, _, pid = worker.rpartition(":")
    if not host or not pid.isdigit():
        return True
    return host == socket.gethostname()[:50] and not _alive_here(worker)


def mark_interrupted_tasks() -> int:
    """Mark the RUNNING tasks of dead workers as failed ("interrupted"); how many."""
    stale = [
        row.pk
        for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
            "pk", "worker_ids"
        )
        if not row.worker_ids or _dead(row.worker_ids[-1])
    ]
    if stale:
        DBTaskResult.objects.filter(pk__in=stale, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=INTERRUPTED,
            traceback="The worker running this task stopped (killed or restarted) before it "
            "finished; its job, if it has one, was queued again and resumes where it stopped.",
        )
    return len(stale)
