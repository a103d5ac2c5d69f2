"""check_index finds every kind of drift, and --repair fixes exactly it."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from archive.models import Article, Job
from archive.signals import articles_written
from search.index import index_check, indexing
from search.models import IndexBacklog
from tests.search.helpers import IndexedTestCase, postgres_engine_only, whoosh_only

pytestmark = pytest.mark.search

INDEX = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])


def check(*args: str) -> str:
    out = StringIO()
    call_command("check_index", *args, stdout=out, stderr=StringIO(), verbosity=1)
    return out.getvalue()


def found(client, query: str) -> list[int]:
    return [hit["article"].pk for hit in client.get("/search/", {"q": query}).context["hits"]]


class CheckIndexTests(IndexedTestCase):
    reindex_each_test = True
    fixtures = ["seed_articles"]

    def test_a_fresh_index_is_clean(self):
        self.assertIn("5 articles, 5 documents: 0 missing, 0 extra, 0 stale", check())

    def test_an_analyzer_change_makes_every_document_stale_until_repaired(self):
        """Documents analysed by an earlier analyzer (another ANALYZER_VERSION:
        a new broken-plural table, a pipeline change) would hold other terms
        than the queries now ask for: check_index --repair (run by make run)
        indexes them again."""
        from unittest import mock

        with mock.patch.object(indexing, "ANALYZER_VERSION", "0.earlier"):
            call_command("rebuild_index", interactive=False, verbosity=0, stdout=StringIO())
        self.assertEqual(len(index_check.check().stale), 5)
        self.assertIn("Repaired", check("--repair"))
        self.assertTrue(index_check.check().clean)

    def test_drift_is_found_and_the_command_fails_until_repaired(self):
        # Writes that bypass every signal, as a crash or a manual SQL fix would.
        Article.objects.filter(pk=5).update(title="Réunion à Nador")
        Article.objects.filter(pk=1).delete()  # post_delete runs only after commit
        indexing.backend().remove("archive.article.2")
        drift = index_check.check()
        # PostgreSQL's documents are rows deleted with their article (a cascade).
        extra = [] if indexing.backend().transactional else [1]
        self.assertEqual((drift.missing, drift.extra, drift.stale), ([2], extra, [5]))
        with self.assertRaises(CommandError) as failed:
            check()
        self.assertEqual(failed.exception.returncode, 1)
        self.assertEqual(found(self.client, "title:Nador"), [])

        output = check("--repair")
        self.assertIn("Repaired", output)
        self.assertTrue(index_check.check().clean)
        self.assertEqual(found(self.client, "title:Nador"), [5])
        self.assertIn(2, found(self.client, "lang:ar OR lang:fr"))
        self.assertNotIn(1, found(self.client, "lang:ar OR lang:fr"))

    @whoosh_only
    def test_a_missing_index_is_rebuilt_by_repair(self):
        call_command("clear_index", interactive=False, verbosity=0, stdout=StringIO())
        for path in INDEX.iterdir():
            path.unlink()
        drift = index_check.check()
        self.assertEqual(drift.state, "missing")
        self.assertIn("Repaired", check("--repair"))
        self.assertEqual(found(self.client, "Madrid"), [5])

    @whoosh_only
    def test_a_corrupt_table_of_contents_is_set_aside_and_rebuilt(self):
        for toc in INDEX.glob("*.toc"):
            toc.write_bytes(b"not a table of contents")
        self.assertEqual(index_check.check().state, "damaged")
        # The page says search is unavailable; it does not crash.
        self.assertEqual(self.client.get("/search/", {"q": "Madrid"}).status_code, 503)
        call_command("rebuild_index", interactive=False, verbosity=0, stdout=StringIO())
        self.assertTrue(index_check.check().clean)
        self.assertEqual(found(self.client, "Madrid"), [5])
        self.assertTrue(list(INDEX.parent.glob(INDEX.name + ".damaged-*")))

    @whoosh_only
    def test_update_index_repairs_a_corrupt_index_too(self):
        for toc in INDEX.glob("*.toc"):
            toc.write_bytes(b"garbage")
        call_command("update_index", verbosity=0, stdout=StringIO())
        self.assertEqual(found(self.client, "Madrid"), [5])

    def test_an_index_marked_incomplete_says_so_on_the_page_until_repaired(self):
        indexing.backend().mark_incomplete("rebuilding")
        response = self.client.get("/search/", {"q": "Madrid"})
        self.assertTrue(response.context["page_obj"].incomplete)
        self.assertContains(response, 'class="notes"')
        self.assertEqual(index_check.check().state, "incomplete")
        check("--repair")
        self.assertFalse(
            self.client.get("/search/", {"q": "Madrid"}).context["page_obj"].incomplete
        )

    def save_with_the_index_unwritable(self) -> None:
        """Edit article 5 while the index directory is a file: every retry of
        its index write fails."""
        away = INDEX.with_name(INDEX.name + ".away")
        INDEX.rename(away)
        INDEX.write_text("not an index")
        try:
            with self.captureOnCommitCallbacks(execute=True):
                article = Article.objects.get(pk=5)
                article.title = "Réunion à Nador"
                article.save()
        finally:
            INDEX.unlink()
            away.rename(INDEX)

    # Jobs are stored, not run, so that the repair job waits for the test.
    @whoosh_only
    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_a_rolled_back_bulk_write_leaves_nothing_to_the_next_save(self):
        """A single save that the index cannot follow is recorded for repair;
        it never inherits the "stop the import" rule of a bulk write that an
        earlier transaction of the same thread rolled back."""
        with self.assertRaises(RuntimeError), transaction.atomic():
            articles_written.send(sender=Article, pks=[1, 2, 3], bulk=True, final=False)
            raise RuntimeError("the import's batch failed")
        self.save_with_the_index_unwritable()  # no FollowerFailed: a single save
        self.assertEqual(list(IndexBacklog.objects.values_list("article_id", flat=True)), [5])

    # Jobs are stored, not run, so that the repair job waits for the test.
    @whoosh_only
    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_a_failed_index_write_is_recorded_then_repaired(self):
        self.save_with_the_index_unwritable()
        self.assertIn(5, IndexBacklog.objects.values_list("article_id", flat=True))
        self.assertEqual(index_check.check().stale, [5])
        # A repair job is queued for the worker.
        self.assertTrue(Job.objects.filter(kind="index_repair", state="queued").exists())
        # Staff see it on every admin page.
        staff = get_user_model().objects.create_superuser("ed", "e@example.org", "pw-ed-1234")
        self.client.force_login(staff)
        self.assertContains(self.client.get("/admin/"), "check_index --repair")
        check("--repair")
        self.assertNotContains(self.client.get("/admin/"), "check_index --repair")
        self.assertFalse(IndexBacklog.objects.exists())
        self.assertEqual(found(self.client, "title:Nador"), [5])

    @postgres_engine_only
    def test_a_failed_document_write_rolls_the_save_back(self):
        # The engine's table is renamed away inside this transaction: the
        # document write fails, and with it the whole save (nothing half-saved).
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE search_searchdocument RENAME TO searchdocument_away")
        article = Article.objects.get(pk=5)
        article.title = "Réunion à Nador"
        with self.assertRaises(DatabaseError), transaction.atomic():
            article.save()
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE searchdocument_away RENAME TO search_searchdocument")
        self.assertNotEqual(Article.objects.get(pk=5).title, "Réunion à Nador")
        self.assertTrue(index_check.check().clean)

    @postgres_engine_only
    def test_repair_refills_the_vocabulary_of_did_you_mean(self):
        from search.queries.suggest import suggest

        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_vocabulary")
        self.assertIsNone(suggest(["Madird"]))
        check("--repair")  # as `make run` does at every start
        self.assertEqual(suggest(["Madird"]), "Madrid")
