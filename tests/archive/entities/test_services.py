import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from archive.entities.services import article_link
from archive.models import Article, Entity, EntityAlias, Job, Mention
from archive.services import article_create
from tests.archive.entities.helpers import LinkedSeedsStaffTestCase
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


def mentions(article: Article) -> dict[str, int]:
    return {m.entity.slug: m.count for m in article.mentions.select_related("entity")}


class SeedEntityTests(IndexedTestCase):
    reindex_each_test = True
    fixtures = ["seed_articles", "seed_entities"]

    @classmethod
    def setUpTestData(cls):
        call_command("link_entities", "--all", verbosity=0)

    def test_every_seed_article_names_entities_in_its_own_script(self):
        for article in Article.objects.all():
            with self.subTest(article=article.pk):
                self.assertTrue(article.mentions.exists())
        self.assertEqual(mentions(Article.objects.get(pk=3))["abdelouafi-laftit"], 5)
        self.assertEqual(mentions(Article.objects.get(pk=5))["khalid-zerouali"], 1)
        self.assertEqual(mentions(Article.objects.get(pk=1))["khalid-zerouali"], 1)  # خالد الزروالي

    def test_entities_have_aliases_in_both_scripts(self):
        for slug in (
            "abdelouafi-laftit",
            "khalid-zerouali",
            "maroc",
            "ministere-de-l-interieur-maroc",
        ):
            with self.subTest(entity=slug):
                languages = set(
                    EntityAlias.objects.filter(entity__slug=slug).values_list("language", flat=True)
                )
                self.assertEqual(languages, {"ar", "fr"})

    def test_a_new_article_is_linked_when_saved(self):
        with self.captureOnCommitCallbacks(execute=True):
            article = article_create(
                title="Réunion",
                body="M. Laftit a reçu à Rabat son homologue espagnol.",
                language="fr",
            )
        self.assertEqual(mentions(article), {"abdelouafi-laftit": 1, "rabat": 1})
        hits = self.client.get("/search/", {"q": "entity:abdelouafi-laftit"}).context["hits"]
        self.assertEqual({hit["article"].pk for hit in hits}, {3, 4, article.pk})

    def test_editing_an_article_in_the_admin_updates_its_mentions_and_index_entry(self):
        staff = get_user_model().objects.create_superuser(
            "editor", "e@example.org", "pw-editor-1234"
        )
        self.client.force_login(staff)
        article = Article.objects.get(pk=5)
        data = {
            "title": article.title,
            "body": article.body + "\n\nLe ministre Abdelouafi Laftit était présent.",
            "language": "fr",
            "source": article.source_id,
            "author": "",
            "published_at": "2023-06-02",
            "url": "",
            "mentions-TOTAL_FORMS": str(article.mentions.count()),
            "mentions-INITIAL_FORMS": str(article.mentions.count()),
            "mentions-MIN_NUM_FORMS": "0",
            "mentions-MAX_NUM_FORMS": "1000",
        }
        for i, mention in enumerate(article.mentions.order_by("pk")):
            data[f"mentions-{i}-id"] = str(mention.pk)
            data[f"mentions-{i}-article"] = str(article.pk)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/admin/archive/article/5/change/", data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(mentions(Article.objects.get(pk=5))["abdelouafi-laftit"], 1)
        hits = self.client.get("/search/", {"q": "entity:abdelouafi-laftit lang:fr"}).context[
            "hits"
        ]
        self.assertEqual([hit["article"].pk for hit in hits], [5])

    def test_relinking_after_an_alias_is_added(self):
        rabat = Entity.objects.get(slug="rabat")
        EntityAlias.objects.create(entity=rabat, alias="العاصمة الرباط", language="ar")
        before = Mention.objects.get(article_id=2, entity=rabat).count
        call_command("link_entities", "--all", verbosity=0)
        self.assertEqual(
            Mention.objects.get(article_id=2, entity=rabat).count, before
        )  # longest match: same mention
        article_link(article=Article.objects.get(pk=2))
        self.assertEqual(Mention.objects.filter(article_id=2, entity=rabat).count(), 1)

    def test_article_page_links_its_entities(self):
        response = self.client.get("/articles/3/")
        self.assertContains(response, 'href="/entities/abdelouafi-laftit/"')
        self.assertContains(self.client.get("/entities/abdelouafi-laftit/"), "عبد الوافي لفتيت")


class EntityPageTests(IndexedTestCase):
    fixtures = ["seed_articles", "seed_entities"]

    @classmethod
    def setUpTestData(cls):
        call_command("link_entities", "--all", verbosity=0)

    def test_entity_page_shows_names_counts_months_and_neighbours(self):
        response = self.client.get("/entities/khalid-zerouali/")
        self.assertContains(response, "خالد الزروالي")
        self.assertContains(response, "Zerouali")
        self.assertEqual(response.context["languages"], [("Arabe", 1), ("Français", 1)])
        # Coverage over time: one bar (June 2023: the dated article), linking to
        # the search for the entity's articles of that month.
        [bar] = response.context["timeline"]
        self.assertEqual(bar.count, 1)
        self.assertEqual(bar.href, "/search/?entity=khalid-zerouali&from=2023-06-01&to=2023-06-30")
        self.assertContains(response, bar.href.replace("&", "&amp;"))
        neighbours = {e.slug: e.shared for e in response.context["neighbours"]}
        self.assertEqual(neighbours["maroc"], 2)
        self.assertContains(response, 'href="/entities/maroc/"')
        self.assertEqual(
            [a.pk for a in response.context["page_obj"].object_list], [5, 1]
        )  # newest first

    def test_entity_page_counts_each_language(self):
        response = self.client.get("/entities/abdelouafi-laftit/")
        self.assertEqual(response.context["languages"], [("Arabe", 2)])


class EntityAdminActionTests(LinkedSeedsStaffTestCase):
    # The re-link that the new aliases queue waits (stored, not run): this test
    # checks the merge itself; the re-link then recounts from the text.
    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_merging_moves_aliases_and_mentions_and_loses_nothing(self):
        laftit = Entity.objects.get(slug="abdelouafi-laftit")
        duplicate = Entity.objects.create(
            name="Abdelwafi Laftit", slug="abdelwafi-laftit", kind="person"
        )
        EntityAlias.objects.create(
            entity=duplicate, alias="عبد الوافي لفتيت وزير الداخلية", language="ar"
        )
        Mention.objects.create(article_id=3, entity=duplicate, count=2)
        Mention.objects.create(article_id=5, entity=duplicate, count=1)
        before = sum(
            Mention.objects.filter(entity__in=[laftit, duplicate]).values_list("count", flat=True)
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/admin/archive/entity/",
                {"action": "merge_selected", "_selected_action": [laftit.pk, duplicate.pk]},
            )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Entity.objects.filter(pk=duplicate.pk).exists())
        aliases = set(laftit.aliases.values_list("alias", flat=True))
        self.assertIn("Abdelwafi Laftit", aliases)
        self.assertIn("عبد الوافي لفتيت وزير الداخلية", aliases)
        after = sum(Mention.objects.filter(entity=laftit).values_list("count", flat=True))
        self.assertEqual(after, before)
        self.assertEqual(Mention.objects.get(entity=laftit, article_id=3).count, 7)
        hits = self.client.get("/search/", {"q": "entity:abdelouafi-laftit"}).context["hits"]
        self.assertEqual({h["article"].pk for h in hits}, {3, 4, 5})
        self.assertTrue(Job.objects.filter(kind="relink", params__entity_ids=[laftit.pk]).exists())

    def test_relink_action_follows_new_aliases(self):
        rabat = Entity.objects.get(slug="rabat")
        EntityAlias.objects.create(
            entity=rabat, alias="Maroc Diplomatique", language="fr"
        )  # contrived alias
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                "/admin/archive/entity/",
                {"action": "relink_articles", "_selected_action": [rabat.pk]},
            )
        self.assertFalse(
            Mention.objects.filter(article_id=5, entity=rabat).exists()
        )  # the text does not say it
        EntityAlias.objects.create(entity=rabat, alias="Processus de Rabat", language="fr")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                "/admin/archive/entity/",
                {"action": "relink_articles", "_selected_action": [rabat.pk]},
            )
        self.assertEqual(Mention.objects.get(article_id=5, entity=rabat).count, 1)
