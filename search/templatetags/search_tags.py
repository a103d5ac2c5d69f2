from django import template
from django.urls import reverse

from archive.interface import interface_language
from archive.models import Language
from search.forms import SearchForm
from search.models import IndexBacklog
from search.selectors import article_page_highlighter, index_incomplete
from search.similar.coverage import OTHER_LANGUAGE, related_in_other_language
from search.similar.coverage import other_language_coverage as find_coverage
from search.similar.related import related_articles as find

register = template.Library()


@register.inclusion_tag("includes/search_box.html", takes_context=True)
def search_box(context):
    """The search box on every page, keeping what was typed on the search page."""
    request = context.get("request")
    on_search_page = bool(
        request is not None
        and request.resolver_match
        and request.resolver_match.view_name == "search:search"
    )
    # The search page has its own, larger box: one search box per page.
    return {"hidden": on_search_page, "form": SearchForm()}


@register.inclusion_tag("admin/includes/index_health.html")
def index_health():
    """For staff pages: failed index writes waiting for repair, an incomplete index."""
    return {"backlog": IndexBacklog.objects.count(), "incomplete": index_incomplete()}


@register.inclusion_tag("search/includes/related.html")
def related_articles(article):
    """Articles like this one, for the article page: in its language (shared
    words, search.similar.related), then in the other (shared entities and figures,
    search.similar.coverage)."""
    return {"related": [*find(article), *related_in_other_language(article)]}


@register.simple_tag(takes_context=True)
def reached_from_search(context, article):
    """When the article was opened from a search (its link carries the
    search's parameters): the paragraphs with the searched words marked (the
    search page's highlighter) and the link back to the results; else None."""
    request = context.get("request")
    if request is None or not request.GET.get("q", "").strip():
        return None
    highlighter = article_page_highlighter(SearchForm(request.GET).criteria())
    return {
        "title": highlighter.text(article.title),
        "paragraphs": [highlighter.text(paragraph) for paragraph in article.paragraphs],
        "back": f"{reverse('search:search')}?{request.GET.urlencode()}",
    }


@register.inclusion_tag("search/includes/coverage.html")
def other_language_coverage(article):
    """The other language's articles about this article's event (search.similar.coverage)."""
    other = OTHER_LANGUAGE.get(article.language)
    return {
        "coverage": find_coverage(article, interface=interface_language()) if other else [],
        "other_language": Language(other).label if other else "",
        "other_code": other,
    }
