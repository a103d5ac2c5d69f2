"""Every change that alters an article's search document reindexes exactly
the affected articles, and the index then matches the database."""

import pytest

from archive.entities.services import entity_merge
from archive.models import Article, Entity, EntityAlias, Job, Source
from archive.services import article_create
from search.index import index_check
from tests.archive.entities.helpers import LinkedSeedsStaffTestCase

pytestmark = pytest.mark.search


class ReindexTriggerTests(LinkedSeedsStaffTestCase):
    def found(self, query: str) -> set[int]:
        response = self.client.get("/search/", {"q": query, "literal": "1"})
        return {hit["article"].pk for hit in response.context["hits"]}

    def assertInStep(self):
        drift = index_check.check()
        self.assertTrue(drift.clean, drift.summary())

    def test_an_entity_given_a_new_slug_is_found_by_it_at_once(self):
        entity = Entity.objects.get(slug="abdelouafi-laftit")
        mentioning = set(entity.mentions.values_list("article_id", flat=True))
        self.assertEqual(self.found("entity:abdelouafi-laftit"), mentioning)
        with self.captureOnCommitCallbacks(execute=True):
            entity.slug = "laftit"
            entity.save()
        self.assertEqual(self.found("entity:laftit"), mentioning)
        self.assertEqual(self.found("entity:abdelouafi-laftit"), set())
        self.assertInStep()

    def test_a_slug_change_touching_many_articles_is_reindexed_by_a_job(self):
        from unittest import mock

        entity = Entity.objects.get(slug="abdelouafi-laftit")
        mentioning = set(entity.mentions.values_list("article_id", flat=True))
        # As if it had more mentions than a request should reindex.
        with (
            mock.patch("search.signals.INLINE_REINDEX_MAX", 0),
            self.captureOnCommitCallbacks(execute=True),
        ):
            entity.slug = "laftit"
            entity.save()
        job = Job.objects.get(kind="index_repair")
        self.assertEqual(job.state, "done", job.summary)  # run at once by the test settings
        self.assertEqual(self.found("entity:laftit"), mentioning)
        self.assertInStep()

    def test_renaming_an_entity_in_the_admin_reindexes_its_articles(self):
        entity = Entity.objects.get(slug="khalid-zerouali")
        mentioning = set(entity.mentions.values_list("article_id", flat=True))
        data = {
            "name": entity.name,
            "slug": "zerouali",
            "kind": entity.kind,
            "description": "",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/admin/archive/entity/{entity.pk}/change/", data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.found("entity:zerouali"), mentioning)
        self.assertInStep()

    def test_merged_entities_are_found_under_the_target(self):
        target = Entity.objects.get(slug="abdelouafi-laftit")
        other = Entity.objects.get(slug="khalid-zerouali")
        both = set(target.mentions.values_list("article_id", flat=True)) | set(
            other.mentions.values_list("article_id", flat=True)
        )
        with self.captureOnCommitCallbacks(execute=True):
            entity_merge(target=target, others=[other])
        self.assertEqual(self.found("entity:abdelouafi-laftit"), both)
        self.assertEqual(self.found("entity:khalid-zerouali"), set())
        self.assertInStep()

    def test_a_deleted_entity_leaves_the_documents(self):
        entity = Entity.objects.get(slug="khalid-zerouali")
        self.assertTrue(self.found("entity:khalid-zerouali"))
        with self.captureOnCommitCallbacks(execute=True):
            entity.delete()
        self.assertEqual(self.found("entity:khalid-zerouali"), set())
        self.assertInStep()

    def test_a_source_given_a_new_slug_filters_under_it(self):
        source = Source.objects.filter(articles__isnull=False).distinct().first()
        pks = set(source.articles.values_list("pk", flat=True))
        with self.captureOnCommitCallbacks(execute=True):
            source.slug = "renamed-source"
            source.save()
        self.assertEqual(self.found("source:renamed-source"), pks)
        self.assertInStep()

    def test_merged_sources_filter_under_the_first(self):
        target = Source.objects.filter(articles__isnull=False).order_by("pk").first()
        other = Source.objects.create(name="Hespress FR", slug="hespress-fr", language="fr")
        article = Article.objects.exclude(source=target).first()
        with self.captureOnCommitCallbacks(execute=True):
            article.source = other
            article.save()
        self.assertEqual(self.found("source:hespress-fr"), {article.pk})
        expected = set(target.articles.values_list("pk", flat=True)) | {article.pk}
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/admin/archive/source/",
                {"action": "merge_selected", "_selected_action": [target.pk, other.pk]},
            )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Source.objects.filter(pk=other.pk).exists())
        self.assertEqual(self.found(f"source:{target.slug}"), expected)
        self.assertEqual(self.found("source:hespress-fr"), set())
        self.assertInStep()

    def test_a_new_alias_found_by_relinking_reaches_the_index(self):
        entity = Entity.objects.get(slug="abdelouafi-laftit")
        with self.captureOnCommitCallbacks(execute=True):
            article = article_create(
                title="Tournée", body="Le ministre Lafitte a visité Oujda hier.", language="fr"
            )
        self.assertNotIn(article.pk, self.found("entity:abdelouafi-laftit"))
        # A new alias queues a re-link of its entity (run at once by the test
        # settings' task backend; by the worker in production).
        with self.captureOnCommitCallbacks(execute=True):
            EntityAlias.objects.create(entity=entity, alias="Lafitte", language="fr")
        job = Job.objects.get(kind="relink")
        self.assertEqual((job.params["entity_ids"], job.state), ([entity.pk], "done"))
        self.assertIn(article.pk, self.found("entity:abdelouafi-laftit"))
        self.assertInStep()
        # Removing it takes the mention away again.
        with self.captureOnCommitCallbacks(execute=True):
            EntityAlias.objects.filter(alias="Lafitte").delete()
        self.assertNotIn(article.pk, self.found("entity:abdelouafi-laftit"))
        self.assertInStep()
