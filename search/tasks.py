"""Background tasks of the search app: the index check and repair job."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from archive import jobs
from archive.models import Job, JobKind, JobState
from search.engines.base import engine
from search.following.alerts import send_alerts as send_digests
from search.index import index_check


def repair_work(job: Job) -> str:
    drift = index_check.check()
    if drift.clean:
        after_bulk_write()  # the vocabulary may lag behind single saves
        return _("The index matches the database: %(summary)s") % {"summary": drift.summary()}
    total = drift.articles if drift.needs_rebuild else len(drift.to_fix())
    jobs.job_progress(job, 0, total)
    done = 0

    def progress(count: int) -> None:
        nonlocal done
        done += count
        jobs.job_progress(job, done)

    after = index_check.repair(drift, progress=progress)
    after_bulk_write()
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
    return jobs.job_enqueue(job, "search.tasks.run_index_repair")


@task()
def refresh_vocabulary() -> None:
    """Refresh the PostgreSQL engine's vocabulary ("did you mean"): it reads
    every document, so it runs in the worker, never in a request."""
    engine().refresh_vocabulary()


def after_bulk_write() -> None:
    """At the end of a bulk write (an import, an upload, a repair): the
    engine merges what the batches wrote; a vocabulary kept apart from the
    index (the PostgreSQL engine's) is refreshed by the worker."""
    search = engine()
    search.merge_segments()
    if search.transactional:
        refresh_vocabulary.enqueue()


def alert_followers() -> None:
    """Saved searches with immediate alerts: a digest of what was just added,
    once it is past the alerts' lag (search.following.alerts), by the worker."""
    delay = datetime.timedelta(seconds=settings.ARCHIVE_ALERT_LAG_SECONDS + 1)
    enqueue_later(send_alerts, delay, "immediate")


def enqueue_later(task_function, delay: datetime.timedelta, *args) -> None:
    """Queue a task to run after `delay` (at once with a backend that cannot
    defer, like the immediate backend of some tests)."""
    if task_function.get_backend().supports_defer:
        task_function.using(run_after=timezone.now() + delay).enqueue(*args)
    else:
        task_function.enqueue(*args)


# A send that fails is tried again this much later (the digest's window stays
# where it was: nothing is lost, nothing sent twice).
ALERT_RETRY = datetime.timedelta(minutes=5)


@task()
def send_alerts(frequency: str) -> None:
    """E-mail digests of the saved searches with this alert frequency
    ("immediate": queued after each import or upload; "daily": queues itself
    for the next day)."""
    _sent, failed = send_digests(frequency)
    if failed:
        enqueue_later(send_alerts, ALERT_RETRY, frequency)
    if frequency == "daily" and send_alerts.get_backend().supports_defer:
        now = timezone.now()
        tomorrow = (now + datetime.timedelta(days=1)).replace(hour=6, minute=0, second=0)
        send_alerts.using(run_after=tomorrow).enqueue("daily")


def schedule_daily_alerts() -> None:
    """Queue the daily digests unless they are queued already (make run)."""
    waiting = DBTaskResult.objects.filter(status="READY", task_path=send_alerts.module_path)
    if not any(row.args_kwargs.get("args") == ["daily"] for row in waiting):
        send_alerts.enqueue("daily")
