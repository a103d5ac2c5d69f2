"""Writes to the archive: the one path by which articles are created and changed.

The admin form, the upload page, the import command and the tests all save
articles through these functions, so validation, fingerprints, duplicate
refusal, entity mentions and candidate names happen in one place, and the
same text gives the same article whichever way it comes in. Every write ends
with the one change event, `archive.signals.articles_written`, which the
search index (and its alerts) follows; nothing here knows it exists. What
counts as a duplicate is `archive.duplicates`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction

from archive.duplicates import duplicate_error, find_duplicate
from archive.entities.linking import AliasLinker
from archive.entities.services import (
    article_link,
    articles_link_new,
    build_linker,
    candidates_record,
    candidates_record_new,
)
from archive.models import Article, Source
from archive.signals import articles_written
from archive.wirecopies import group_articles


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
    article_link(article=article, linker=linker, reindex=False)  # announced below
    if created:
        candidates_record(article=article, linker=linker)
        group_articles([article])
    articles_written.send(sender=Article, pks=[article.pk], created=created)
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

    >>> article_create(title="Réunion", body="Texte…", language="fr")  # doctest: +SKIP
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
def articles_create_bulk(
    articles: Sequence[Article], *, linker: AliasLinker, known: Sequence[int] = ()
) -> list[Article]:
    """Save validated, duplicate-checked new articles in one statement (one
    batch of an import or upload), with their mentions and candidate names.
    `known`: the archived articles the batch met again (its duplicates). The
    change event says more batches may follow (`final=False`): the caller
    ends the whole write with `write_finished`."""
    for article in articles:
        article.set_fingerprints()
    created = Article.objects.bulk_create(articles) if articles else []
    if created:
        articles_link_new(created, linker=linker)
        candidates_record_new(articles=created, linker=linker)
        group_articles(created)
    articles_written.send(
        sender=Article,
        pks=[a.pk for a in created],
        created=bool(created),
        known=list(known),
        bulk=True,
        final=False,
    )
    return created


def articles_met_again(pks: Sequence[int]) -> None:
    """Articles a write found already saved (a resumed job's recorded ones):
    whoever follows the archive makes sure they are findable."""
    if pks:
        articles_written.send(sender=Article, pks=[], known=list(pks))


def write_finished(*, created: bool) -> None:
    """The end of a write made of several batches (an import, an upload):
    what waits for the last batch (index merges, alerts) may run."""
    articles_written.send(sender=Article, pks=[], created=created, bulk=True, final=True)


@transaction.atomic
def source_merge(*, target: Source, others: Sequence[Source]) -> Source:
    """Move the articles of `others` to `target` and delete them (one outlet
    archived under two spellings); the index is told which articles moved."""
    others = [other for other in others if other.pk != target.pk]
    moved = list(Article.objects.filter(source__in=others).values_list("pk", flat=True))
    Article.objects.filter(pk__in=moved).update(source=target)
    articles_written.send(sender=Article, pks=moved)
    for other in others:
        other.delete()
    return target
