"""Reads for the browse pages: one place that knows how articles are listed."""

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from archive.models import Article, Entity, Source


def article_browse(
    *, language: str | None = None, source: Source | None = None
) -> QuerySet[Article]:
    """Articles newest first (undated last), optionally in one language and/or from one source."""
    articles = Article.objects.select_related("source").newest_first()
    if language:
        articles = articles.in_language(language)
    if source is not None:
        articles = articles.from_source(source)
    return articles


def sources_with_counts() -> QuerySet[Source]:
    """Sources that have articles, with their article count, for the browse filters."""
    return Source.objects.annotate(article_count=Count("articles")).filter(article_count__gt=0)


def language_counts() -> dict[str, int]:
    """Number of articles per language code."""
    rows = Article.objects.order_by().values_list("language").annotate(n=Count("pk"))
    return dict(rows)


def entity_articles(entity: Entity) -> QuerySet[Article]:
    """Articles that mention an entity, newest first."""
    return article_browse().filter(mentions__entity=entity)


def entity_language_counts(entity: Entity) -> dict[str, int]:
    """Articles mentioning the entity, per language code."""
    rows = (
        Article.objects.filter(mentions__entity=entity)
        .order_by()
        .values_list("language")
        .annotate(n=Count("pk", distinct=True))
    )
    return dict(rows)


def entity_mentions_by_month(entity: Entity) -> list[tuple]:
    """(month, mentions) for dated articles, oldest first."""
    rows = (
        Article.objects.filter(mentions__entity=entity, published_at__isnull=False)
        .annotate(month=TruncMonth("published_at"))
        .order_by("month")
        .values_list("month")
        .annotate(n=Sum("mentions__count"))
    )
    return list(rows)


def entity_neighbours(entity: Entity, limit: int = 10) -> QuerySet[Entity]:
    """The entities most often named in the same articles, with how many articles."""
    articles = Article.objects.filter(mentions__entity=entity).values("pk")
    return (
        Entity.objects.filter(mentions__article__in=articles)
        .exclude(pk=entity.pk)
        .annotate(shared=Count("mentions__article", distinct=True))
        .order_by("-shared", "name")[:limit]
    )
