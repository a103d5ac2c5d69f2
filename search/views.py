"""The search page: a thin view over search.selectors."""

from __future__ import annotations

import datetime
import json
import logging
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from archive.interface import interface_language
from archive.timeline import month_bars, year_bars
from search import selectors
from search.engines.index_state import IndexUnavailable
from search.exports import Export, build_export, csv_chunks, json_chunks
from search.following.feeds import search_feed_url
from search.following.saved import search_params
from search.forms import SearchForm
from search.queries.suggest import suggest

log = logging.getLogger(__name__)

# Fewer hits than this and the page offers a spelling suggestion.
SUGGEST_BELOW = 3


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _narrowed(request: HttpRequest, **params: str) -> str:
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = value
    query.pop("page", None)
    return f"?{query.urlencode()}"


def _timeline(request: HttpRequest, criteria, outcome, years) -> tuple[list, str]:
    """The timeline and its caption: hits per year, every year from the first
    to the last (a bar narrows the search to its year); the twelve months of
    a year once it is chosen, or when every hit falls in one year (a bar
    narrows to its month)."""
    year = None
    if criteria.year and criteria.year.isdigit():
        year = int(criteria.year)
    elif len(years) == 1 and years[0].value.isdigit():
        year = int(years[0].value)
    if year is not None and 0 < outcome.hits <= selectors.MONTHS_MAX_HITS:
        months = dict(selectors.hits_per_month(criteria, year))
        return (
            month_bars(
                months,
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
                link=lambda first, last: _narrowed(
                    request, **{"from": first.isoformat(), "to": last.isoformat()}
                ),
                current=(criteria.date_from, criteria.date_to),
            ),
            _("Results per month, %(year)s") % {"year": year},
        )
    counts = {int(choice.value): choice.count for choice in years if choice.value.isdigit()}
    if len(counts) < 2:
        return [], ""
    return (
        year_bars(counts, link=lambda first, _last: _narrowed(request, year=str(first.year))),
        _("Results per year"),
    )


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    criteria, outcome = selectors.article_search_with_fallback(
        form.criteria(), page=_page_number(request), per_page=settings.ARCHIVE_PAGE_SIZE
    )
    highlighter, also_searched = selectors.highlighter_for(criteria, interface_language())
    terms = criteria.query.terms
    hits = [
        {
            "article": article,
            "title": highlighter.text(article.title),
            "snippet": highlighter.snippet(article.body),
            "versions": others,
        }
        for article, others in selectors.group_wire_copies(criteria, outcome)
    ]
    facets = selectors.facet_choices(outcome.facets, interface_language())
    timeline, timeline_title = _timeline(request, criteria, outcome, facets["year"])
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
            "facets": facets,
            "timeline": timeline,
            "timeline_title": timeline_title,
            "suggestion": suggestion,
            "also_searched": also_searched,
            "searched": criteria.tree() is not None,
            "export_rows": min(outcome.hits, settings.ARCHIVE_EXPORT_MAX_ROWS),
            "export_cut": outcome.hits > settings.ARCHIVE_EXPORT_MAX_ROWS,
            # Article links carry the search, for highlighting and "back to results".
            "hit_query": request.GET.urlencode(),
            "feed_url": search_feed_url(search_params(request.GET)),
        },
        status=503 if outcome.failed else 200,
    )


def _export(request: HttpRequest) -> Export:
    # What the page lists: its fallback when the words as typed find nothing.
    criteria, _outcome = selectors.article_search_with_fallback(
        SearchForm(request.GET).criteria(), per_page=1
    )
    return build_export(
        criteria, with_body=request.GET.get("body") == "1", permalink=request.build_absolute_uri
    )


def _unavailable(request: HttpRequest) -> HttpResponse:
    """The search page's own message, for an export asked while the index is unavailable."""
    return render(request, "search/unavailable.html", status=503)


def export_or_unavailable(view):
    """Exports answer with the search page's clear message (503) when the index
    cannot be read, not with a server error."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        try:
            return view(request)
        except IndexUnavailable as error:
            log.error("export unavailable: %s", error)
            return _unavailable(request)

    return wrapped


def _manifest_header(export: Export) -> str:
    # Headers are Latin-1: the manifest goes as ASCII-escaped JSON.
    return json.dumps(export.manifest(), ensure_ascii=True)


@export_or_unavailable
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every hit of the search as CSV (UTF-8 with BOM), streamed."""
    export = _export(request)
    response = StreamingHttpResponse(csv_chunks(export), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, export.filename("csv"))
    response["X-Archive-Manifest"] = _manifest_header(export)
    return response


@export_or_unavailable
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    """Every hit of the search as JSON with its manifest, streamed."""
    export = _export(request)
    response = StreamingHttpResponse(json_chunks(export), content_type="application/json")
    response["Content-Disposition"] = content_disposition_header(True, export.filename("json"))
    return response


@export_or_unavailable
def export_manifest(request: HttpRequest) -> JsonResponse:
    """The manifest of the CSV export with the same parameters (a side file)."""
    export = _export(request)
    response = JsonResponse(export.manifest(), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = content_disposition_header(
        True, export.filename("manifest.json")
    )
    return response
