"""Browse and read: thin views over archive.selectors."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from archive import selectors
from archive.forms import BrowseFilterForm
from archive.interface import interface_language
from archive.models import Article, Entity, Language, Source
from archive.timeline import coverage


def search_link(*, start, end, **filters) -> str:
    """The search page listing an entity's or a source's articles of a period."""
    query = urlencode({**filters, "from": start.isoformat(), "to": end.isoformat()})
    return f"{reverse('search:search')}?{query}"


def _page(request: HttpRequest, articles: QuerySet[Article]) -> Page:
    # get_page() turns a bad or out-of-range ?page= into the nearest real page.
    return Paginator(articles, settings.ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))


def article_list(request: HttpRequest) -> HttpResponse:
    form = BrowseFilterForm(request.GET)
    filters = form.filters()
    counts = selectors.language_counts()
    return render(
        request,
        "archive/article_list.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": _page(request, selectors.article_browse(**filters)),
            "languages": [(code, label, counts.get(code, 0)) for code, label in Language.choices],
            "sources": selectors.sources_with_counts(),
        },
    )


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    entities = selectors.name_entities(
        Entity.objects.filter(mentions__article=article).order_by("-mentions__count", "name"),
        interface_language(),
    )
    return render(
        request,
        "archive/article_detail.html",
        {
            "article": article,
            "entities": entities,
            "versions": selectors.wire_versions([article.pk])[article.pk],
        },
    )


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    return render(
        request,
        "archive/source_detail.html",
        {
            "source": source,
            "page_obj": _page(request, selectors.article_browse(source=source)),
            "timeline": coverage(
                selectors.articles_by_month(Article.objects.filter(source=source)),
                link=lambda start, end: search_link(source=source.slug, start=start, end=end),
            ),
        },
    )


def entity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entity = get_object_or_404(Entity.objects.prefetch_related("aliases"), slug=slug)
    language = interface_language()
    selectors.name_entities([entity], language)
    counts = selectors.entity_language_counts(entity)
    return render(
        request,
        "archive/entity_detail.html",
        {
            "entity": entity,
            "page_obj": _page(request, selectors.entity_articles(entity)),
            "languages": [
                (label, counts[code]) for code, label in Language.choices if code in counts
            ],
            "timeline": coverage(
                selectors.articles_by_month(Article.objects.filter(mentions__entity=entity)),
                link=lambda start, end: search_link(entity=entity.slug, start=start, end=end),
            ),
            "neighbours": selectors.name_entities(selectors.entity_neighbours(entity), language),
        },
    )


def interface_language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the interface language from a plain link, back to the page it
    was on (?next=, same site only). A GET: it changes nothing but the
    reader's language cookie, so the switcher needs no form or button."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and feed readers ask for on their own
    (whatever the page links): the site's icon, not a 404 on every page."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
