import datetime

import factory

from archive.models import Article, Entity, EntityAlias, Language, Mention, Source
from archive.textnorm import content_fingerprint


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Source {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    language = Language.FRENCH


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    body = factory.Sequence(lambda n: f"Paragraphe un de l'article {n}.\n\nParagraphe deux.")
    language = Language.FRENCH
    source = factory.SubFactory(SourceFactory)
    published_at = factory.Sequence(
        lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
    )
    content_hash = factory.LazyAttribute(lambda article: content_fingerprint(article.body))


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"Entity {n}")
    slug = factory.Sequence(lambda n: f"entity-{n}")
    kind = "person"


class EntityAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntityAlias

    entity = factory.SubFactory(EntityFactory)
    alias = factory.Sequence(lambda n: f"Alias {n}")
    language = Language.FRENCH


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    article = factory.SubFactory(ArticleFactory)
    entity = factory.SubFactory(EntityFactory)
    count = 1
