"""Atom feeds of articles (Django's syndication framework): each entry in the
article's own language (xml:lang) and direction, newest first.

Entity and source feeds are here (database reads); the feed of a search is
`search.feeds.SearchFeed`, which shares `ArticleFeed`.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from archive import selectors
from archive.models import Article, Entity, Source

FEED_ENTRIES = 30


class ArticleAtom(Atom1Feed):
    """Atom 1.0 with each entry's own language (xml:lang on <entry>)."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class ArticleFeed(Feed):
    feed_type = ArticleAtom

    def item_title(self, article: Article) -> str:
        return article.title

    def item_link(self, article: Article) -> str:
        return article.get_absolute_url()

    def item_pubdate(self, article: Article) -> datetime.datetime:
        if article.published_at:
            return timezone.make_aware(
                datetime.datetime.combine(article.published_at, datetime.time(12))
            )
        return article.created_at

    def item_updateddate(self, article: Article) -> datetime.datetime:
        return article.updated_at

    def item_author_name(self, article: Article) -> str | None:
        return article.source.name if article.source else None

    def item_description(self, article: Article) -> str:
        """The lead, as HTML in the article's direction (Atom has no dir)."""
        lead = Truncator(article.body).words(60)
        return f'<p dir="{article.direction}" lang="{article.language}">{escape(lead)}</p>'

    def item_extra_kwargs(self, article: Article) -> dict:
        return {"language": article.language}


class EntityFeed(ArticleFeed):
    def get_object(self, request, slug: str) -> Entity:
        return get_object_or_404(Entity, slug=slug)

    def title(self, entity: Entity) -> str:
        return _("Articles mentioning %(name)s") % {"name": entity.name}

    def link(self, entity: Entity) -> str:
        return entity.get_absolute_url()

    def items(self, entity: Entity):
        return selectors.entity_articles(entity)[:FEED_ENTRIES]


class SourceFeed(ArticleFeed):
    def get_object(self, request, slug: str) -> Source:
        return get_object_or_404(Source, slug=slug)

    def title(self, source: Source) -> str:
        return _("Articles from %(name)s") % {"name": source.name}

    def link(self, source: Source) -> str:
        return source.get_absolute_url()

    def items(self, source: Source):
        return selectors.article_browse(source=source)[:FEED_ENTRIES]
