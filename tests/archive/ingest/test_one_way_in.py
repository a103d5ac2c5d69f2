"""One way in: every way of adding articles gives the same article for the
same text, and every one of them alerts the followers of a saved search;
the background job run by the real worker process included."""

import datetime
import io
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from archive.models import Article, Entity, EntityAlias, Job, JobKind, JobState, Source
from search.models import SavedSearch
from tests.search.helpers import IndexedTransactionTestCase
from tests.support.processes import manage, start_manage

pytestmark = pytest.mark.search

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

TITLE = "Les garde-côtes interceptent une embarcation au large de Nador"
BODY = (
    "Une embarcation transportant quarante-deux migrants a été interceptée "
    "dimanche au large de Nador par la Marine royale, selon les autorités locales.\n\n"
    "Les passagers ont été conduits au port, où ils ont reçu les premiers soins. "
    "Le ministre Abdelouafi Laftit a salué la coopération avec les pêcheurs."
)
TEXT = f"{TITLE}\n\n{BODY}"


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def dispatch(n: int) -> str:
    return (
        f"Dépêche {n} sur Melilla\n\nLes autorités ont annoncé la mesure numéro {n} à la "
        f"frontière de Melilla, selon la préfecture, qui en précisera les modalités."
    )


def what_it_is(article: Article) -> dict:
    """Everything a way in decides about an article."""
    return {
        "title": article.title,
        "body": article.body,
        "language": article.language,
        "content_hash": article.content_hash,
        "text_hash": article.text_hash,
        "mentions": sorted(article.mentions.values_list("entity__slug", "count")),
        "source": article.source.name if article.source else None,
    }


@override_settings(TASKS=DATABASE_TASKS, ARCHIVE_UPLOAD_INLINE_MAX=1)
class SameTextSameArticleTests(IndexedTransactionTestCase):
    def setUp(self):
        super().setUp()
        laftit = Entity.objects.create(name="Abdelouafi Laftit", slug="laftit", kind="person")
        EntityAlias.objects.create(entity=laftit, alias="Laftit", language="fr")
        self.source = Source.objects.create(name="Le Desk", slug="le-desk", language="fr")
        self.staff = get_user_model().objects.create_superuser(
            "editor", "e@example.org", "pw-editor-1234"
        )
        self.client.force_login(self.staff)

    def upload(self, files: list, **fields) -> object:
        return self.client.post(
            "/admin/archive/article/upload/",
            {"files": files, "language": "fr", "source": self.source.pk, **fields},
        )

    def inline_upload(self) -> None:
        response = self.upload([SimpleUploadedFile("nador.txt", TEXT.encode())])
        self.assertContains(response, "nador.txt")

    def background_job(self) -> None:
        # Two documents: more than ARCHIVE_UPLOAD_INLINE_MAX, so a job.
        data = zipped({"nador.txt": TEXT, "autre.txt": dispatch(1)})
        response = self.upload([SimpleUploadedFile("lot.zip", data)])
        job = Job.objects.get(kind=JobKind.UPLOAD)
        self.assertRedirects(response, f"/admin/archive/job/{job.pk}/change/")
        manage("run_worker", "--batch")
        job.refresh_from_db()
        self.assertEqual(job.state, JobState.DONE, job.summary)
        Article.objects.exclude(title=TITLE).delete()

    def import_command(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="archive-way-in-"))
        (folder / "nador.txt").write_text(TEXT, encoding="utf-8")
        call_command(
            "import_articles", str(folder), "--language", "fr", "--source", "Le Desk", verbosity=0
        )

    def admin_form(self) -> None:
        response = self.client.post(
            "/admin/archive/article/add/",
            {
                "title": TITLE,
                "body": BODY,
                "language": "fr",
                "source": self.source.pk,
                "author": "",
                "url": "",
                "mentions-TOTAL_FORMS": "0",
                "mentions-INITIAL_FORMS": "0",
                "mentions-MIN_NUM_FORMS": "0",
                "mentions-MAX_NUM_FORMS": "1000",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])

    def test_each_way_in_gives_the_same_article(self):
        made = {}
        for way in (self.inline_upload, self.background_job, self.import_command, self.admin_form):
            with self.subTest(way.__name__):
                Article.objects.all().delete()
                Job.objects.filter(kind=JobKind.UPLOAD).delete()
                way()
                article = Article.objects.get()
                made[way.__name__] = what_it_is(article)
                # Searchable at once, under its entity too.
                hits = self.client.get("/search/", {"q": "entity:laftit embarcation"})
                self.assertEqual([hit["article"].pk for hit in hits.context["hits"]], [article.pk])
        first = made["inline_upload"]
        self.assertEqual(first["mentions"], [("laftit", 1)])
        for way, article in made.items():
            with self.subTest(way):
                self.assertEqual(article, first)

    def test_each_way_in_refuses_a_copy(self):
        self.import_command()
        for way in (self.inline_upload, self.import_command):
            with self.subTest(way.__name__):
                way()
                self.assertEqual(Article.objects.count(), 1)
        response = self.upload([SimpleUploadedFile("copie.txt", BODY.encode())])
        self.assertContains(response, "déjà dans les archives")
        self.assertEqual(Article.objects.count(), 1)


@override_settings(TASKS=DATABASE_TASKS, ARCHIVE_ALERT_LAG_SECONDS=0)
class BackgroundUploadAlertTests(IndexedTransactionTestCase):
    """A reader follows a search with immediate alerts; an admin uploads two
    matching files (imported at once) and then twelve (a background job).
    The real worker sends one digest for each upload."""

    def setUp(self):
        super().setUp()
        self.outbox = Path(tempfile.mkdtemp(prefix="archive-outbox-"))
        users = get_user_model().objects
        reader = users.create_user("samira", "samira@example.org", "pw-samira-1234")
        self.staff = users.create_superuser("editor", "e@example.org", "pw-editor-1234")
        minute_ago = timezone.now() - datetime.timedelta(minutes=1)
        SavedSearch.objects.create(
            user=reader,
            name="Melilla",
            params={"q": "Melilla"},
            seen_at=minute_ago,
            digest_until=minute_ago,
            alert="immediate",
        )
        self.client.force_login(self.staff)
        self.worker = start_manage(
            "run_worker",
            capture=False,
            ARCHIVE_ALERT_LAG_SECONDS="0",
            ARCHIVE_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            ARCHIVE_EMAIL_DIR=str(self.outbox),
        )

    def tearDown(self):
        self.worker.kill()
        self.worker.communicate()
        super().tearDown()

    def digests(self) -> list[str]:
        """The messages the worker has finished writing (Django's file backend
        ends each with a line of 79 dashes; a file may be read half-written)."""
        texts = [path.read_text(encoding="utf-8") for path in sorted(self.outbox.glob("*.log"))]
        return [text for text in texts if text.endswith("-" * 79 + "\n")]

    def wait_for(self, count: int) -> list[str]:
        deadline = time.monotonic() + 90
        while len(self.digests()) < count:
            self.assertLess(time.monotonic(), deadline, f"{len(self.digests())} digests sent")
            time.sleep(0.2)
        return self.digests()

    def upload(self, files: dict[str, str]):
        return self.client.post(
            "/admin/archive/article/upload/",
            {"files": [SimpleUploadedFile("lot.zip", zipped(files))], "language": "fr"},
        )

    def test_a_background_upload_alerts_like_an_inline_one(self):
        self.upload({f"{n}.txt": dispatch(n) for n in range(2)})  # 2 documents: inline
        self.assertEqual(Article.objects.count(), 2)
        [first] = self.wait_for(1)
        time.sleep(1.1)  # the index knows when articles came to the second

        self.upload({f"{n}.txt": dispatch(n) for n in range(2, 14)})  # 12: a job
        self.assertEqual(Job.objects.get().state, JobState.QUEUED)
        digests = self.wait_for(2)

        job = Job.objects.get()
        self.assertEqual(job.state, JobState.DONE, job.summary)
        urls = {
            n: Article.objects.get(title=f"Dépêche {n} sur Melilla").get_absolute_url()
            for n in range(14)
        }
        self.assertTrue(all(urls[n] in first for n in range(2)), first)
        later = "".join(digests[1:])
        self.assertTrue(all(urls[n] in later for n in range(2, 14)))
        # Each article in exactly one digest.
        for n, url in urls.items():
            self.assertEqual(sum(f"{url}\n" in d or f"{url} " in d for d in digests), 1, n)
