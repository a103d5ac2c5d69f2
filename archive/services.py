"""Writes to the archive: the one path by which articles are created and changed.

The admin form, the upload page, the import command and the tests all save
articles through these functions, so validation, fingerprints, duplicate
refusal, entity mentions and candidate names happen in one place, and the
same text gives the same article whichever way it comes in. The search index
follows by listening to signals (`archive.signals`, model signals); nothing
here knows it exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from archive.entities.linking import AliasLinker
from archive.entities.services import (
    article_link,
    articles_link_new,
    build_linker,
    candidates_record,
    candidates_record_new,
)
from archive.models import Article, Source
from archive.signals import articles_changed
from archive.textnorm import content_fingerprint
from archive.wirecopies import group_articles


def _duplicate_filter(content: str, text: str, url: str) -> Q:
    # Same body; or the title of one pasted as the first paragraph of the other
    # (a text copied with its headline, a headline too long to be taken as one).
    condition = Q(content_hash=content) | Q(text_hash=content) | Q(content_hash=text)
    if url:
        condition |= Q(url=url)
    return condition


def find_duplicate(
    *, body: str, title: str = "", url: str = "", exclude_pk: int | None = None
) -> Article | None:
    """The archived article with the same normalised text or the same URL, if any."""
    text = content_fingerprint(f"{title}\n{body}")
    candidates = Article.objects.filter(_duplicate_filter(content_fingerprint(body), text, url))
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return candidates.order_by("pk").first()


def archived_duplicates(articles: Sequence[Article]) -> list[int | None]:
    """For each unsaved article (fingerprints set), the id of an archived copy
    or None, found with one query (bulk imports)."""
    if not articles:
        return []
    # The same conditions as _duplicate_filter, as three IN lists (an OR per
    # article is an expression tree too deep for SQLite at 500 articles).
    contents = {a.content_hash for a in articles}
    texts = {a.text_hash for a in articles}
    urls = {a.url for a in articles if a.url}
    condition = Q(content_hash__in=contents | texts) | Q(text_hash__in=contents)
    if urls:
        condition |= Q(url__in=urls)
    by_content, by_text, by_url = {}, {}, {}
    for pk, content, text, url in Article.objects.filter(condition).values_list(
        "pk", "content_hash", "text_hash", "url"
    ):
        by_content.setdefault(content, pk)
        by_text.setdefault(text, pk)
        if url:
            by_url.setdefault(url, pk)
    return [
        by_content.get(a.content_hash)
        or by_text.get(a.content_hash)
        or by_content.get(a.text_hash)
        or (by_url.get(a.url) if a.url else None)
        for a in articles
    ]


def duplicate_error(existing: Article) -> ValidationError:
    return ValidationError(
        _("This article is already in the archive: “%(title)s” (#%(pk)s)."),
        code="duplicate",
        params={"title": existing.title, "pk": existing.pk},
    )


@transaction.atomic
def article_save(article: Article, *, linker: AliasLinker | None = None) -> Article:
    """Validate and save a new or edited article, then find its entity mentions
    (and, for a new article, the names the register lacks).

    Raises ValidationError (code "duplicate", naming the archived article) if
    its text or URL is already archived under another article.
    """
    article.set_fingerprints()
    existing = find_duplicate(
        body=article.body, title=article.title, url=article.url, exclude_pk=article.pk
    )
    if existing is not None:
        raise duplicate_error(existing)
    created = article.pk is None
    article.full_clean()
    article.save()
    linker = linker or build_linker()
    article_link(article=article, linker=linker)
    if created:
        candidates_record(article=article, linker=linker)
        group_articles([article])
    return article


def article_create(
    *,
    title: str,
    body: str,
    language: str,
    source: Source | None = None,
    author: str = "",
    published_at: datetime.date | None = None,
    url: str = "",
) -> Article:
    """Validate and save one new article (see `article_save`).

    >>> article_create(title="Réunion", body="Texte…", language="fr")
    <Article: Réunion>
    """
    return article_save(
        Article(
            title=title,
            body=body,
            language=language,
            source=source,
            author=author,
            published_at=published_at,
            url=url,
        )
    )


@transaction.atomic
def articles_create_bulk(articles: Sequence[Article], *, linker: AliasLinker) -> list[Article]:
    """Save validated, duplicate-checked new articles in one statement (imports),
    with their mentions and candidate names; the index is told in one signal."""
    for article in articles:
        article.set_fingerprints()
    created = Article.objects.bulk_create(articles)
    articles_link_new(created, linker=linker)  # the index is told below, in bulk
    candidates_record_new(articles=created, linker=linker)
    group_articles(created)
    # bulk_create sends no post_save: the index learns of the batch from this.
    articles_changed.send(sender=Article, pks=[a.pk for a in created], bulk=True)
    return created


@transaction.atomic
def source_merge(*, target: Source, others: Sequence[Source]) -> Source:
    """Move the articles of `others` to `target` and delete them (one outlet
    archived under two spellings); the index is told which articles moved."""
    others = [other for other in others if other.pk != target.pk]
    moved = list(Article.objects.filter(source__in=others).values_list("pk", flat=True))
    Article.objects.filter(pk__in=moved).update(source=target)
    articles_changed.send(sender=Article, pks=moved)
    for other in others:
        other.delete()
    return target
