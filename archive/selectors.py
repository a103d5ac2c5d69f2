"""Reads for the browse pages: one place that knows how articles are listed."""

from django.db.models import Count, QuerySet

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
