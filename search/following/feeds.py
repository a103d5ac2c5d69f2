"""The Atom feed of any search: its newest matches (search.selectors, the same
criteria as the page), as archive.feeds.ArticleFeed entries."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from archive.feeds import FEED_ENTRIES, ArticleFeed
from search.following.saved import search_feed_url, search_params
from search.forms import SearchForm
from search.selectors import article_search_with_fallback

ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


class SearchFeed(ArticleFeed):
    def get_object(self, request):
        return search_params(request.GET)

    def default_language(self, request: HttpRequest) -> str:
        """A search's feed without `hl=`: Arabic for Arabic words, else the
        language the search is filtered to, else the site's."""
        if ARABIC_LETTER.search(request.GET.get("q", "")):
            return "ar"
        language = request.GET.get("lang", "")
        return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def feed_url(self, params: dict) -> str:
        return search_feed_url(params)

    def title(self, params: dict) -> str:
        words = params.get("q") or params.get("entity") or params.get("source") or ""
        return _("Search: %(words)s") % {"words": words}

    def link(self, params: dict) -> str:
        return f"{reverse('search:search')}?{urlencode(params)}"

    def items(self, params: dict):
        criteria = SearchForm({**params, "sort": "newest"}).criteria()
        # What the page shows, newest first: with the fallback when it does.
        _criteria, outcome = article_search_with_fallback(criteria, per_page=FEED_ENTRIES)
        return outcome.results
