"""Atom feeds of articles (Django's syndication framework): each entry in the
article's own language (xml:lang) and direction, newest first.

A feed reader sends no language preference of its own (or its machine's), so
a feed's own words (its title) are in the language its link names (`hl=`,
which every page's feed link carries: the reader's interface language when
they subscribed), else in the feed's own default (a search's: the language
of its words). Its `rel="self"` link is its whole address, parameters
included, so a reader that follows it subscribes to the same feed.

Entity and source feeds are here (database reads); the feed of a search is
`search.following.feeds.SearchFeed`, which shares `ArticleFeed`.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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


def chosen_language(request: HttpRequest, default: str) -> str:
    """The interface language a feed link names (`hl=`), else `default`."""
    code = request.GET.get("hl", "")
    return code if code in dict(settings.LANGUAGES) else default


def feed_link(path: str, params: dict[str, str] | None = None) -> str:
    """A feed's address with its parameters and the current interface
    language (`hl=`): the link pages give, and the feed's own self link."""
    return f"{path}?{urlencode({**(params or {}), 'hl': translation.get_language()})}"


class ArticleFeed(Feed):
    feed_type = ArticleAtom

    def default_language(self, request: HttpRequest) -> str:
        """The feed's language when its link names none."""
        return settings.LANGUAGE_CODE

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        language = chosen_language(request, self.default_language(request))
        with translation.override(language):
            response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    def language(self, obj) -> str:
        return translation.get_language()

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


class _PageFeed(ArticleFeed):
    """The feed of an entity's or a source's page: its newest articles."""

    model: type[Entity] | type[Source]
    route: str
    title_text: str  # with %(name)s

    def get_object(self, request, slug: str):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj) -> str:
        return _(self.title_text) % {"name": obj.name}

    def link(self, obj) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj) -> str:
        return feed_link(reverse(self.route, args=[obj.slug]))


class EntityFeed(_PageFeed):
    model = Entity
    route = "archive:entity_feed"
    title_text = gettext_noop("Articles mentioning %(name)s")

    def items(self, entity: Entity):
        return selectors.entity_articles(entity)[:FEED_ENTRIES]


class SourceFeed(_PageFeed):
    model = Source
    route = "archive:source_feed"
    title_text = gettext_noop("Articles from %(name)s")

    def items(self, source: Source):
        return selectors.article_browse(source=source)[:FEED_ENTRIES]
