"""The search page: a thin view over search.selectors."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from search import selectors
from search.entities import expanded_entities
from search.forms import SearchForm
from search.highlight import Highlighter
from search.suggest import suggest

# Fewer hits than this and the page offers a spelling suggestion.
SUGGEST_BELOW = 3


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    criteria = form.criteria()
    outcome = selectors.article_search(
        criteria, page=_page_number(request), per_page=settings.ARCHIVE_PAGE_SIZE
    )
    also_searched = expanded_entities(slug for _, slug in criteria.query.expansions)
    terms = criteria.query.terms
    # Mark the entity under whatever name each article gives it.
    highlighter = Highlighter(
        [*terms, *(alias for _, _, aliases in also_searched for alias in aliases)]
    )
    hits = [
        {
            "article": article,
            "title": highlighter.text(article.title),
            "snippet": highlighter.snippet(article.body),
        }
        for article in outcome.results
    ]
    suggestion = (
        suggest(terms) if terms and outcome.hits < SUGGEST_BELOW and not outcome.failed else None
    )
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "criteria": criteria,
            "page_obj": outcome,
            "hits": hits,
            "facets": selectors.facet_choices(outcome.facets),
            "suggestion": suggestion,
            "also_searched": also_searched,
            "searched": bool(criteria.whoosh_query()),
        },
        status=503 if outcome.failed else 200,
    )
