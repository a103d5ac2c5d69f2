import datetime
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import TestCase
from django.utils import translation

from archive.models import Article, EntityAlias, Mention
from archive.textnorm import content_fingerprint
from tests.factories import (
    ArticleFactory,
    EntityAliasFactory,
    EntityFactory,
    MentionFactory,
    SourceFactory,
)


class ArticleConstraintTests(TestCase):
    def test_database_refuses_a_language_outside_the_vocabulary(self):
        article = ArticleFactory()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Article.objects.filter(pk=article.pk).update(language="de")

    def test_validation_refuses_a_language_outside_the_vocabulary(self):
        article = ArticleFactory.build(language="de", source=None)
        with self.assertRaises(ValidationError) as caught:
            article.full_clean()
        self.assertIn("language", caught.exception.message_dict)

    def test_database_refuses_a_duplicate_content_hash(self):
        first = ArticleFactory()
        # The same text with other spacing and case: same fingerprint, which
        # every save computes from the body.
        with self.assertRaises(IntegrityError), transaction.atomic():
            ArticleFactory(body="  " + first.body.upper() + " ")

    def test_every_save_computes_both_fingerprints_from_the_text(self):
        article = ArticleFactory(title="Titre", body="Le texte.")
        article.body = "Un autre texte."
        article.save()
        self.assertEqual(article.content_hash, content_fingerprint("Un autre texte."))
        self.assertEqual(article.text_hash, content_fingerprint("Titre\nUn autre texte."))

    def test_database_refuses_a_duplicate_url(self):
        ArticleFactory(url="https://example.ma/a")
        with self.assertRaises(IntegrityError), transaction.atomic():
            ArticleFactory(url="https://example.ma/a")

    def test_validation_names_the_duplicate_url(self):
        ArticleFactory(url="https://example.ma/a")
        duplicate = ArticleFactory.build(url="https://example.ma/a", source=None)
        with (
            translation.override("en"),
            self.assertRaisesMessage(
                ValidationError, "An article with this URL is already in the archive."
            ),
        ):
            duplicate.full_clean()

    def test_many_articles_may_have_no_url(self):
        ArticleFactory(url="")
        ArticleFactory(url="")
        self.assertEqual(Article.objects.filter(url="").count(), 2)

    def test_deleting_a_source_with_articles_is_refused(self):
        article = ArticleFactory()
        with self.assertRaises(ProtectedError):
            article.source.delete()
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())


class ArticleBehaviourTests(TestCase):
    def test_default_order_is_newest_first_with_undated_last(self):
        source = SourceFactory()
        old = ArticleFactory(source=source, title="old", published_at=datetime.date(2020, 1, 1))
        undated = ArticleFactory(source=source, title="undated", published_at=None)
        new = ArticleFactory(source=source, title="new", published_at=datetime.date(2024, 1, 1))
        self.assertQuerySetEqual(
            Article.objects.all(),
            [new.title, old.title, undated.title],
            transform=attrgetter("title"),
        )

    def test_arabic_articles_are_right_to_left(self):
        self.assertTrue(ArticleFactory.build(language="ar").is_rtl)
        self.assertEqual(ArticleFactory.build(language="ar").direction, "rtl")
        self.assertEqual(ArticleFactory.build(language="fr").direction, "ltr")

    def test_absolute_url_is_the_article_page(self):
        article = ArticleFactory()
        self.assertEqual(article.get_absolute_url(), f"/articles/{article.pk}/")

    def test_paragraphs_split_on_blank_lines(self):
        article = ArticleFactory.build(body="Un.\n\n\nDeux\nsuite.\n\n  \n\nTrois.")
        self.assertEqual(article.paragraphs, ["Un.", "Deux\nsuite.", "Trois."])

    def test_queryset_filters_chain(self):
        source = SourceFactory()
        wanted = ArticleFactory(source=source, language="ar")
        ArticleFactory(source=source, language="fr")
        ArticleFactory(language="ar")
        self.assertQuerySetEqual(Article.objects.in_language("ar").from_source(source), [wanted])


class EntityModelTests(TestCase):
    def test_an_alias_is_unique_per_entity(self):
        alias = EntityAliasFactory(alias="Laftit")
        with self.assertRaises(IntegrityError), transaction.atomic():
            EntityAlias.objects.create(entity=alias.entity, alias="Laftit", language="fr")

    def test_one_mention_row_per_article_and_entity(self):
        mention = MentionFactory(count=3)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Mention.objects.create(article=mention.article, entity=mention.entity)

    def test_entity_kind_is_constrained(self):
        entity = EntityFactory()
        with self.assertRaises(IntegrityError), transaction.atomic():
            type(entity).objects.filter(pk=entity.pk).update(kind="animal")
