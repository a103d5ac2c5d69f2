"""The admin's upload: pasted text, pages and zips, imported at once when
small, by a background job when large (more than ARCHIVE_UPLOAD_INLINE_MAX
documents); both through the one pipeline (`archive.ingest.pipeline`), so
they save, refuse, link and alert alike.

A job's inputs are stored before it is queued (the files under
ARCHIVE_UPLOAD_DIR, the defaults as JSON); its work records each document's
result in the transaction that saves it, so a job interrupted by a worker
restart, run again, passes over exactly what it recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from archive import jobs
from archive.ingest.documents import IngestDefaults
from archive.ingest.files import Upload, document_count, upload_records
from archive.ingest.pipeline import JOB_BATCH_SIZE, ingest
from archive.ingest.results import IngestResult, IngestStopped
from archive.models import Job
from archive.services import articles_met_again

# The background task that runs an upload job (archive.tasks), by path:
# jobs are queued and resumed by the path they store.
UPLOAD_TASK = "archive.tasks.run_upload"


@dataclass
class UploadOutcome:
    """Either the results of an upload imported at once, or its job."""

    results: list[IngestResult] | None = None
    job: Job | None = None
    # Why the import stopped early (the search index could not follow), if it did.
    stopped: str = ""


def upload(
    uploads: list[Upload],
    *,
    pasted: str = "",
    title: str = "",
    defaults: IngestDefaults,
    user=None,
) -> UploadOutcome:
    """Import an upload now, or queue it when it holds many documents."""
    documents = document_count(uploads) + bool(pasted.strip())
    if documents <= settings.ARCHIVE_UPLOAD_INLINE_MAX:
        records = upload_records(uploads, pasted=pasted, title=title)
        try:
            return UploadOutcome(results=ingest(records, defaults=defaults))
        except IngestStopped as error:
            return UploadOutcome(results=error.results, stopped=error.reason)
    job = jobs.upload_job_create(
        files=[(item.name, item.data) for item in uploads],
        pasted={"text": pasted, "title": title} if pasted.strip() else None,
        defaults=defaults.to_json(),
        user=user,
    )
    return UploadOutcome(job=jobs.job_enqueue(job, UPLOAD_TASK))


def upload_work(job: Job) -> str:
    """The job's work: its stored documents through the pipeline, each
    result recorded with its batch (documents already recorded are passed
    over: they come in the same order every time)."""
    params = job.params
    folder = jobs.upload_dir(job)
    stored = [
        Upload(item["name"], (folder / item["path"]).read_bytes())
        for item in params.get("files", [])
    ]
    pasted = params.get("pasted") or {}
    jobs.job_progress(job, len(job.results), document_count(stored) + bool(pasted))
    # Resumed: a worker killed between a batch's commit and its index write
    # left that batch unfindable; the recorded articles are indexed if missing.
    articles_met_again([row["article"] for row in job.results if row.get("article")])
    ingest(
        upload_records(stored, pasted=pasted.get("text", ""), title=pasted.get("title", "")),
        defaults=IngestDefaults.from_json(params.get("defaults") or {}),
        batch_size=JOB_BATCH_SIZE,
        skip=len(job.results),
        report=lambda result: jobs.job_result(job, result.as_row()),
    )
    # The job page shows the counts in the reader's language; this is for the list.
    return _("%(created)s created, %(duplicate)s duplicates, %(refused)s refused") % job.counts
