"""The index follows the database: saves, edits, deletes, admin included."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from archive.models import Article
from archive.services import article_create
from tests.factories import SourceFactory
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


def found(client, query: str) -> list[int]:
    return [hit["article"].pk for hit in client.get("/search/", {"q": query}).context["hits"]]


class IndexFollowsDatabaseTests(IndexedTestCase):
    reindex_each_test = True
    fixtures = ["seed_articles"]

    def test_a_new_article_is_searchable_at_once(self):
        with self.captureOnCommitCallbacks(execute=True):
            article = article_create(
                title="Ceuta", body="Des migrants sont arrivés à Ceuta à la nage.", language="fr"
            )
        self.assertEqual(found(self.client, "Ceuta"), [article.pk])

    def test_deleting_removes_it_from_results(self):
        with self.captureOnCommitCallbacks(execute=True):
            article = article_create(title="Melilla", body="Une clôture à Melilla.", language="fr")
        with self.captureOnCommitCallbacks(execute=True):
            article.delete()
        self.assertEqual(found(self.client, "Melilla"), [])

    def test_a_rolled_back_save_never_reaches_the_index(self):
        with self.captureOnCommitCallbacks(execute=True):
            with self.assertRaises(RuntimeError), transaction.atomic():
                article_create(title="Tarfaya", body="Tarfaya, côte atlantique.", language="fr")
                raise RuntimeError("the save fails after the article was written")
            article_create(title="Tan-Tan", body="Tan-Tan, côte atlantique.", language="fr")
        self.assertEqual(found(self.client, "Tarfaya"), [])
        self.assertEqual(len(found(self.client, "Tan-Tan")), 1)  # the next save is indexed

    def test_editing_in_the_admin_updates_the_index(self):
        staff = get_user_model().objects.create_superuser(
            "editor", "e@example.org", "pw-editor-1234"
        )
        self.client.force_login(staff)
        article = Article.objects.get(pk=5)
        data = {
            "title": "Réunion à Nador",
            "body": article.body,
            "language": "fr",
            "source": article.source_id,
            "author": "",
            "published_at": "2023-06-02",
            "url": "",
            "mentions-TOTAL_FORMS": "0",
            "mentions-INITIAL_FORMS": "0",
            "mentions-MIN_NUM_FORMS": "0",
            "mentions-MAX_NUM_FORMS": "1000",
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/admin/archive/article/5/change/", data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(found(self.client, "title:Nador"), [5])
        self.assertEqual(found(self.client, "title:Madrid"), [])

    def test_renaming_a_source_slug_moves_its_facet(self):
        source = SourceFactory(name="Le360", slug="le360", language="fr")
        with self.captureOnCommitCallbacks(execute=True):
            article = article_create(
                title="Dakhla", body="Dakhla accueille un forum.", language="fr", source=source
            )
        with self.captureOnCommitCallbacks(execute=True):
            source.slug = "le-360"
            source.save()
        response = self.client.get("/search/", {"q": "Dakhla", "source": "le-360"})
        self.assertEqual([hit["article"].pk for hit in response.context["hits"]], [article.pk])


class RebuildTests(IndexedTestCase):
    reindex_each_test = True
    fixtures = ["seed_articles"]

    def test_rebuilding_while_searching_shows_each_article_once(self):
        from tests.search.helpers import rebuild_index

        self.assertEqual(found(self.client, "Madrid"), [5])
        rebuild_index()  # a process that searched before keeps working…
        rebuild_index()
        self.assertEqual(found(self.client, "Madrid"), [5])  # …without stale copies

    def test_update_index_restores_a_cleared_index(self):
        from io import StringIO

        from django.core.management import call_command

        call_command("clear_index", interactive=False, verbosity=0, stdout=StringIO())
        self.assertEqual(found(self.client, "Madrid"), [])
        call_command("update_index", verbosity=0, stdout=StringIO())
        self.assertEqual(found(self.client, "Madrid"), [5])


class SameDayOrderTests(IndexedTestCase):
    """Articles of one day keep one order, whatever happened to the index."""

    reindex_each_test = True

    def ids(self, sort: str) -> list[int]:
        response = self.client.get("/search/", {"q": "Laâyoune", "sort": sort})
        return [hit["article"].pk for hit in response.context["hits"]]

    def test_ties_on_the_date_are_broken_by_article_id_and_survive_edits(self):
        day = datetime.date(2024, 5, 14)
        with self.captureOnCommitCallbacks(execute=True):
            articles = [
                article_create(
                    title=f"Laâyoune {n}",
                    body=f"Forum numéro {n} à Laâyoune.",
                    language="fr",
                    published_at=day,
                )
                for n in range(4)
            ]
        pks = [article.pk for article in articles]
        self.assertEqual(self.ids("newest"), pks[::-1])
        self.assertEqual(self.ids("oldest"), pks)
        # Re-indexing an article gives it a new place inside the engine;
        # the order users and exports see must not change.
        with self.captureOnCommitCallbacks(execute=True):
            articles[0].title = "Laâyoune, forum"
            articles[0].save()
        self.assertEqual(self.ids("newest"), pks[::-1])
        self.assertEqual(self.ids("oldest"), pks)
        export = self.client.get("/search/export.csv", {"q": "Laâyoune", "sort": "oldest"})
        rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[1:]
        self.assertEqual([int(row.split(",")[0]) for row in rows], pks)
