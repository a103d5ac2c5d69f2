"""Saved searches: the one place that creates, opens and counts them.

A saved search keeps the search page's parameters and re-runs them as they
are, so it finds what the same search finds today. What is "new" is what
was added to the archive after a moment (the index's `added` field:
`search.query_tree.AddedAfter`), whatever its publication date.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from archive.feeds import feed_link
from search.forms import SearchForm
from search.models import SavedSearch
from search.queries.concepts import expanded_concepts
from search.query_tree import AddedAfter, And
from search.selectors import SearchCriteria, hit_count, searched_criteria

# The search page's parameters a saved search keeps.
PARAMS = ("q", "lang", "source", "entity", "year", "from", "to", "sort", "literal")


def search_params(data) -> dict[str, str]:
    """The search parameters of a request's data (GET or POST), non-empty only."""
    return {name: value for name in PARAMS if (value := (data.get(name) or "").strip())}


def criteria_of(params: dict[str, str]) -> SearchCriteria:
    return SearchForm(params).criteria()


def expansions_of(params: dict[str, str]) -> list[str]:
    """What the query widens to today: the slugs of the entities, and each
    thesaurus concept with its terms ("concept:slug=term|term"), so a term
    added to or removed from a concept counts as a change too."""
    query = criteria_of(params).query
    concepts = expanded_concepts(slug for _, slug in query.concepts)
    return sorted(
        {slug for _, slug in query.expansions}
        | {f"concept:{slug}=" + "|".join(sorted(terms)) for slug, _name, terms in concepts}
    )


def search_url(params: dict[str, str]) -> str:
    return f"{reverse('search:search')}?{urlencode(params)}"


@transaction.atomic
def saved_search_create(
    *, user, name: str, params: dict[str, str], language: str = settings.LANGUAGE_CODE
) -> SavedSearch:
    """Save a search; nothing found before this moment counts as new.
    `language` is the owner's interface language (its digests and feed)."""
    now = timezone.now()
    return SavedSearch.objects.create(
        user=user,
        language=language,
        name=name.strip()[:200] or params.get("q", "")[:200] or "—",
        params=params,
        expansions=expansions_of(params),
        seen_at=now,
        digest_until=now,
    )


def saved_search_open(saved: SavedSearch, *, language: str | None = None) -> str:
    """Mark the saved search seen now (in the owner's interface `language`,
    when given); the URL of its search."""
    saved.seen_at = timezone.now()
    saved.language = language or saved.language
    saved.save(update_fields=["seen_at", "language"])
    return search_url(saved.params)


def saved_search_alert(saved: SavedSearch, alert: str, *, language: str | None = None) -> None:
    """Change the saved search's e-mail alert (and the owner's language)."""
    saved.alert = alert
    saved.language = language or saved.language
    saved.save(update_fields=["alert", "language"])


def search_feed_url(params: dict[str, str]) -> str:
    """The Atom feed of a search (its parameters), in the current interface language."""
    return feed_link(reverse("search:feed"), params)


def feed_url(saved: SavedSearch) -> str:
    """The saved search's Atom feed, in its owner's language."""
    with translation.override(saved.language):
        return search_feed_url(saved.params)


def added_since(params: dict[str, str], moment: datetime.datetime):
    """The search's query tree restricted to articles added after `moment`
    (None when the search has nothing to search). The page's reading of the
    query: with the fallback when the search as typed finds nothing."""
    tree = searched_criteria(criteria_of(params)).tree()
    if tree is None:
        return None
    return And((tree, AddedAfter(int(moment.timestamp()))))


def new_matches(saved: SavedSearch) -> int | None:
    """How many articles matching the search were added since it was last
    opened (None when the index cannot answer)."""
    return hit_count(added_since(saved.params, saved.seen_at))


def expansion_changed(saved: SavedSearch) -> bool:
    """True when the entity register or the thesaurus now widens the query
    otherwise than when it was saved."""
    return expansions_of(saved.params) != list(saved.expansions)
