from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import translation

from archive.models import Article
from archive.services import article_create
from archive.textnorm import content_fingerprint
from tests.factories import ArticleFactory


class ArticleCreateTests(TestCase):
    def test_creates_an_article_with_its_fingerprint(self):
        article = article_create(title="Réunion", body="Texte de la réunion.", language="fr")
        self.assertEqual(article.content_hash, content_fingerprint("Texte de la réunion."))
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())

    def test_refuses_the_same_text_and_names_the_existing_article(self):
        existing = ArticleFactory(title="Original", body="أكد وزير الداخلية على أهمية التعاون.")
        with translation.override("en"), self.assertRaises(ValidationError) as caught:
            article_create(
                title="Copie", body="أكّد وزير الداخليـة على أهمية التعاون", language="ar"
            )
        self.assertEqual(caught.exception.code, "duplicate")
        self.assertIn("Original", caught.exception.messages[0])
        self.assertIn(f"#{existing.pk}", caught.exception.messages[0])
        self.assertEqual(Article.objects.count(), 1)

    def test_refuses_the_same_url(self):
        ArticleFactory(url="https://example.ma/x")
        with self.assertRaises(ValidationError):
            article_create(
                title="T", body="Un autre texte.", language="fr", url="https://example.ma/x"
            )
        self.assertEqual(Article.objects.count(), 1)

    def test_refuses_an_unknown_language_and_saves_nothing(self):
        with self.assertRaises(ValidationError):
            article_create(title="T", body="Text.", language="de")
        self.assertFalse(Article.objects.exists())
