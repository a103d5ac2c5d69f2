"""What counts as a duplicate: the one definition, for one article and for a
batch, against the archive and within the batch.

Two articles are the same when their bodies fold to the same fingerprint, when
one is the other's title and body together (a text pasted with its headline as
the first paragraph, or a headline too long to be taken as one), or when they
have the same non-empty URL. In keys: an article is *stored* under its
content, its title + body and its URL; a new article *looks up* its content
among both, its title + body among contents, and its URL. The database
condition, the batch's own check and the lookup table are all derived from
these two sets of keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from archive.models import Article
from archive.textnorm import content_fingerprint

Key = tuple[str, str]  # (field, value): ("content_hash" | "text_hash" | "url", value)


def stored_keys(content: str, text: str, url: str) -> set[Key]:
    """The keys an archived article is found under."""
    keys = {("content_hash", content), ("text_hash", text)}
    if url:
        keys.add(("url", url))
    return keys


def lookup_keys(content: str, text: str, url: str) -> set[Key]:
    """The keys under which a new article's copy would be stored."""
    keys = {("content_hash", content), ("text_hash", content), ("content_hash", text)}
    if url:
        keys.add(("url", url))
    return keys


def article_keys(article: Article) -> tuple[set[Key], set[Key]]:
    """(stored, lookup) keys of an article whose fingerprints are set."""
    values = (article.content_hash, article.text_hash, article.url)
    return stored_keys(*values), lookup_keys(*values)


def database_condition(keys: Iterable[Key]) -> Q:
    """Articles stored under any of these keys: one IN list per field (an OR
    per article is an expression tree too deep for SQLite at 500 articles)."""
    by_field: dict[str, set[str]] = {}
    for field, value in keys:
        by_field.setdefault(field, set()).add(value)
    condition = Q(pk__in=[])
    for field, values in sorted(by_field.items()):
        condition |= Q(**{f"{field}__in": sorted(values)})
    return condition


def archived_duplicates(articles: Sequence[Article]) -> list[Article | None]:
    """For each unsaved article (fingerprints set), the archived article it
    copies, or None: one query for the whole batch."""
    if not articles:
        return []
    lookups = [article_keys(article)[1] for article in articles]
    found: dict[Key, Article] = {}
    candidates = Article.objects.filter(database_condition(set().union(*lookups)))
    for existing in candidates.order_by("pk"):
        for key in stored_keys(existing.content_hash, existing.text_hash, existing.url):
            found.setdefault(key, existing)
    return [
        min((found[key] for key in keys if key in found), key=lambda a: a.pk, default=None)
        for keys in lookups
    ]


def find_duplicate(
    *, body: str, title: str = "", url: str = "", exclude_pk: int | None = None
) -> Article | None:
    """The archived article with the same text or URL as this one, if any."""
    keys = lookup_keys(content_fingerprint(body), content_fingerprint(f"{title}\n{body}"), url)
    candidates = Article.objects.filter(database_condition(keys))
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return candidates.order_by("pk").first()


class BatchKeys:
    """The stored keys of a batch's new articles so far: a later document of
    the same batch that looks one up is a copy of an earlier one."""

    def __init__(self) -> None:
        self._first: dict[Key, int] = {}  # key -> position of the article stored under it

    def copy_of(self, article: Article) -> int | None:
        """The position of the batch's article this one copies, or None."""
        return min(
            (self._first[key] for key in article_keys(article)[1] if key in self._first),
            default=None,
        )

    def add(self, article: Article, position: int) -> None:
        for key in article_keys(article)[0]:
            self._first.setdefault(key, position)


def duplicate_error(existing: Article) -> ValidationError:
    return ValidationError(
        _("This article is already in the archive: “%(title)s” (#%(pk)s)."),
        code="duplicate",
        params={"title": existing.title, "pk": existing.pk},
    )
