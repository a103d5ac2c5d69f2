from django.contrib.auth import get_user_model
from django.test import TestCase

from archive.models import Article
from archive.textnorm import content_fingerprint
from tests.factories import ArticleFactory, EntityAliasFactory, MentionFactory, SourceFactory


class AdminAccessTests(TestCase):
    def test_admin_requires_login(self):
        for url in ("/admin/", "/admin/archive/article/", "/admin/archive/article/add/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/admin/login/"))

    def test_non_staff_users_are_refused(self):
        user = get_user_model().objects.create_user("reader", password="pw-reader-1234")
        self.client.force_login(user)
        response = self.client.get("/admin/archive/article/")
        self.assertEqual(response.status_code, 302)


class AdminPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "e@example.org", "pw-editor-1234"
        )
        cls.source = SourceFactory(name="Hespress", slug="hespress", language="ar")
        cls.article = ArticleFactory(source=cls.source, title="مقال تجريبي")
        mention = MentionFactory(article=cls.article)
        EntityAliasFactory(entity=mention.entity)

    def setUp(self):
        self.client.force_login(self.staff)

    def test_every_model_has_a_working_changelist_and_search(self):
        for model in ("article", "source", "entity", "entityalias", "mention"):
            with self.subTest(model=model):
                self.assertEqual(self.client.get(f"/admin/archive/{model}/").status_code, 200)
                self.assertEqual(
                    self.client.get(f"/admin/archive/{model}/", {"q": "x"}).status_code, 200
                )

    def test_article_list_filters_by_language_and_source(self):
        response = self.client.get(
            "/admin/archive/article/",
            {"language__exact": "fr", "source__id__exact": self.source.pk},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "مقال تجريبي")

    def test_article_change_page_opens(self):
        response = self.client.get(f"/admin/archive/article/{self.article.pk}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.article.content_hash)

    def _add(self, **overrides):
        data = {
            "title": "Nouvel article",
            "body": "Le ministre de l'Intérieur a reçu son homologue.",
            "language": "fr",
            "source": self.source.pk,
            "author": "",
            "published_at": "2024-05-01",
            "url": "",
            "mentions-TOTAL_FORMS": "0",
            "mentions-INITIAL_FORMS": "0",
            "mentions-MIN_NUM_FORMS": "0",
            "mentions-MAX_NUM_FORMS": "1000",
        }
        data.update(overrides)
        return self.client.post("/admin/archive/article/add/", data)

    def test_adding_an_article_computes_its_fingerprint(self):
        response = self._add()
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get(title="Nouvel article")
        self.assertEqual(article.content_hash, content_fingerprint(article.body))

    def test_adding_a_duplicate_is_refused_naming_the_original(self):
        self._add()
        original = Article.objects.get(title="Nouvel article")
        response = self._add(title="Copie", body="Le ministre de l’intérieur a reçu son homologue")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"« Nouvel article » (n° {original.pk})")
        self.assertFalse(Article.objects.filter(title="Copie").exists())

    def test_hand_made_articles_are_cleaned_like_imports(self):
        body = "Premier paragraphe.\nIMG 1292\nLoading\nDeuxième paragraphe.\nإضافة تعليق\nUn commentaire."
        self.assertEqual(self._add(body=body).status_code, 302)
        article = Article.objects.get(title="Nouvel article")
        self.assertEqual(article.body, "Premier paragraphe.\n\nDeuxième paragraphe.")

    def test_adding_an_article_with_an_existing_url_is_refused(self):
        ArticleFactory(url="https://example.ma/a")
        response = self._add(url="https://example.ma/a")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Article.objects.filter(title="Nouvel article").exists())

    def test_editing_an_article_updates_its_fingerprint(self):
        url = f"/admin/archive/article/{self.article.pk}/change/"
        data = {
            "title": self.article.title,
            "body": "نص جديد",
            "language": "ar",
            "source": self.source.pk,
            "author": "",
            "published_at": "",
            "url": "",
            "mentions-TOTAL_FORMS": "0",
            "mentions-INITIAL_FORMS": "0",
            "mentions-MIN_NUM_FORMS": "0",
            "mentions-MAX_NUM_FORMS": "1000",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.content_hash, content_fingerprint("نص جديد"))
