"""Background jobs done by the real worker process (django-tasks' database
backend): a large upload and a re-link, a worker killed midway and restarted."""

import io
import signal
import time
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from archive.ingest.pipeline import JOB_BATCH_SIZE
from archive.models import Article, Entity, EntityAlias, Job, JobState
from archive.services import article_create
from archive.workers import INTERRUPTED
from search.index import index_check
from tests.search.helpers import IndexedTransactionTestCase
from tests.support.processes import manage, start_manage

pytestmark = pytest.mark.search

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def zip_of_articles(count: int, offset: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(offset, offset + count):
            archive.writestr(
                f"depeches/{n:03d}.txt",
                f"Dépêche {n} sur Melilla\n\nLes autorités ont annoncé la mesure numéro {n} "
                f"à la frontière de Melilla, selon la préfecture.",
            )
        archive.writestr("depeches/../evil.txt", "Hors du dossier.")
    return buffer.getvalue()


def hits(client, query: str) -> int:
    return client.get("/search/", {"q": query}).context["page_obj"].hits


@override_settings(TASKS=DATABASE_TASKS)
class WorkerTests(IndexedTransactionTestCase):
    def setUp(self):
        super().setUp()
        self.staff = get_user_model().objects.create_superuser(
            "editor", "e@example.org", "pw-editor-1234"
        )
        self.client.force_login(self.staff)

    def upload(self, data: bytes):
        return self.client.post(
            "/admin/archive/article/upload/",
            {"files": [SimpleUploadedFile("lot.zip", data)], "language": "fr"},
        )

    def test_a_large_upload_is_imported_by_the_worker_with_per_file_results(self):
        response = self.upload(zip_of_articles(12))
        job = Job.objects.get()
        self.assertRedirects(response, f"/admin/archive/job/{job.pk}/change/")
        self.assertEqual((job.kind, job.state), ("upload", JobState.QUEUED))
        self.assertEqual(Article.objects.count(), 0)  # nothing done inside the request
        page = self.client.get(f"/admin/archive/job/{job.pk}/change/")
        self.assertContains(page, 'http-equiv="refresh"')

        manage("run_worker", "--batch")

        job.refresh_from_db()
        self.assertEqual(job.state, JobState.DONE, job.summary)
        self.assertEqual((job.progress, job.total), (13, 13))
        statuses = [result["status"] for result in job.results]
        self.assertEqual((statuses.count("created"), statuses.count("refused")), (12, 1))
        self.assertEqual(Article.objects.count(), 12)
        self.assertEqual(hits(self.client, "Melilla"), 12)
        page = self.client.get(f"/admin/archive/job/{job.pk}/change/")
        self.assertContains(page, "depeches/000.txt")
        self.assertContains(page, f"/admin/archive/article/{job.results[0]['article']}/change/")
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertTrue(index_check.check().clean)

    def test_a_worker_killed_midway_is_resumed_without_losing_or_repeating(self):
        # Several batches (archive.ingest.pipeline.JOB_BATCH_SIZE): the worker
        # is killed once the first is recorded, with others still to come.
        documents = 4 * JOB_BATCH_SIZE
        self.upload(zip_of_articles(documents))
        job = Job.objects.get()
        worker = start_manage("run_worker", capture=False)
        deadline = time.monotonic() + 120
        while Job.objects.get(pk=job.pk).progress < 5:
            self.assertLess(time.monotonic(), deadline, "the worker did not start the job")
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.communicate()
        job.refresh_from_db()
        self.assertLess(
            len(job.results), documents, "the job finished before the worker was killed"
        )
        self.assertNotEqual(job.state, JobState.DONE)

        manage("run_worker", "--batch")  # a new worker: resumes the job

        job.refresh_from_db()
        self.assertEqual(job.state, JobState.DONE, job.summary)
        names = [result["name"] for result in job.results]
        self.assertEqual(len(names), len(set(names)))  # each document once
        statuses = [result["status"] for result in job.results]
        # Results are recorded in the transaction that saves their batch:
        # nothing saved goes unrecorded, so nothing comes back as a duplicate
        # of itself; the batch saved just before the kill is indexed on resume.
        self.assertEqual(statuses.count("created"), documents, statuses)
        self.assertEqual(Article.objects.count(), documents)
        self.assertEqual(hits(self.client, "Melilla"), documents)
        # The killed worker's task says it was interrupted, not "running".
        rows = DBTaskResult.objects.filter(task_path="archive.tasks.run_upload")
        self.assertEqual(
            sorted(rows.values_list("status", "exception_class_path")),
            [("FAILED", INTERRUPTED), ("SUCCESSFUL", "")],
        )

    def test_relinking_the_selected_entities_in_the_background(self):
        laftit = Entity.objects.create(name="Abdelouafi Laftit", slug="laftit", kind="person")
        EntityAlias.objects.create(entity=laftit, alias="Laftit", language="fr")
        other = Entity.objects.create(name="Nador", slug="nador", kind="place")
        EntityAlias.objects.create(entity=other, alias="Nador", language="fr")
        article = article_create(
            title="Visite", body="Le ministre Leftit est arrivé à Nador.", language="fr"
        )
        self.assertEqual(list(article.mentions.values_list("entity__slug", flat=True)), ["nador"])
        EntityAlias.objects.create(entity=laftit, alias="Leftit", language="fr")
        response = self.client.post(
            "/admin/archive/entity/",
            {"action": "relink_articles", "_selected_action": [laftit.pk]},
        )
        self.assertEqual(response.status_code, 302)
        # (Adding the aliases queued re-links of their own; this is the action's.)
        job = Job.objects.get(created_by=self.staff)
        self.assertEqual(job.params["entity_ids"], [laftit.pk])

        manage("run_worker", "--batch")

        job.refresh_from_db()
        self.assertEqual(job.state, JobState.DONE, job.summary)
        self.assertEqual(
            sorted(article.mentions.values_list("entity__slug", flat=True)), ["laftit", "nador"]
        )
        found = self.client.get("/search/", {"q": "entity:laftit"}).context["hits"]
        self.assertEqual([hit["article"].pk for hit in found], [article.pk])
        self.assertTrue(index_check.check().clean)
