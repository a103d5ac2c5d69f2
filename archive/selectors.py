"""Reads for the browse pages: one place that knows how articles are listed."""

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from archive.ingest.language import is_arabic_script
from archive.models import Article, Entity, EntityAlias, Source


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


def articles_by_month(articles: QuerySet[Article]) -> list[tuple]:
    """(first day of the month, articles) for the dated ones, oldest first:
    an entity's or a source's coverage over time."""
    rows = (
        articles.filter(published_at__isnull=False)
        .annotate(month=TruncMonth("published_at"))
        .order_by("month")
        .values_list("month")
        .annotate(n=Count("pk", distinct=True))
    )
    return [(month.date() if hasattr(month, "date") else month, n) for month, n in rows]


def entity_neighbours(entity: Entity, limit: int = 10) -> QuerySet[Entity]:
    """The entities most often named in the same articles, with how many articles."""
    articles = Article.objects.filter(mentions__entity=entity).values("pk")
    return (
        Entity.objects.filter(mentions__article__in=articles)
        .exclude(pk=entity.pk)
        .annotate(shared=Count("mentions__article", distinct=True))
        .order_by("-shared", "name")[:limit]
    )


def entity_names(entities, language: str) -> dict[int, str]:
    """Each entity's name in an interface language (one query for all).

    The register's name is in Latin script for most entities, or in Arabic
    for names accepted from Arabic articles. In the Arabic interface an
    entity is named by its Arabic name, else its first Arabic alias (the
    first entered: the full name, before short forms); in the French and
    English interfaces by its Latin-script name, else its first French
    alias; in either, by the register's name when there is nothing better.
    """
    entities = list(entities)
    wanted_arabic = language == "ar"
    names = {entity.pk: entity.name for entity in entities}
    missing = [e.pk for e in entities if is_arabic_script(e.name) != wanted_arabic]
    if missing:
        aliases = (
            EntityAlias.objects.filter(
                entity_id__in=missing, language="ar" if wanted_arabic else "fr"
            )
            .order_by("entity_id", "pk")
            .values_list("entity_id", "alias")
        )
        found: dict[int, str] = {}
        for entity_id, alias in aliases:
            if entity_id not in found and is_arabic_script(alias) == wanted_arabic:
                found[entity_id] = alias
        names.update(found)
    return names


def name_entities(entities, language: str) -> list:
    """The entities, each with `display_name` set for the interface language."""
    entities = list(entities)
    names = entity_names(entities, language)
    for entity in entities:
        entity.display_name = names[entity.pk]
    return entities


def wire_versions(article_ids) -> dict[int, list[Article]]:
    """For each article, the other articles of its wire-copy group (the same
    dispatch republished), oldest first.

    Three indexed lookups (the groups, their members, the members by primary
    key), without the article bodies: joining articles to the groups let
    PostgreSQL's planner, with statistics not yet gathered after an import,
    scan every article (25 ms a page at 30,000 articles, EXPLAIN ANALYZE).
    """
    from archive.models import WireCopy

    ids = list(article_ids)
    groups = dict(WireCopy.objects.filter(article_id__in=ids).values_list("article_id", "group_id"))
    if not groups:
        return {pk: [] for pk in ids}
    members: dict[int, list[int]] = {}
    for article_id, group_id in WireCopy.objects.filter(
        group_id__in=set(groups.values())
    ).values_list("article_id", "group_id"):
        members.setdefault(group_id, []).append(article_id)
    wanted = {pk for group in members.values() if len(group) > 1 for pk in group}
    articles = (
        Article.objects.select_related("source").defer("body").in_bulk(wanted) if wanted else {}
    )
    found: dict[int, list[Article]] = {}
    for pk in ids:
        others = [
            articles[m] for m in members.get(groups.get(pk, -1), ()) if m != pk and m in articles
        ]
        found[pk] = sorted(others, key=lambda a: (a.created_at, a.pk))
    return found
