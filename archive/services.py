"""Writes to the archive. Views, the admin and importers call these; none
re-implements duplicate detection."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from archive.models import Article, Source
from archive.textnorm import content_fingerprint


def find_duplicate(*, body: str, url: str = "", exclude_pk: int | None = None) -> Article | None:
    """The archived article with the same normalised text or the same URL, if any."""
    candidates = Article.objects.filter(content_hash=content_fingerprint(body))
    if url:
        candidates = candidates | Article.objects.filter(url=url)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return candidates.order_by("pk").first()


def duplicate_error(existing: Article) -> ValidationError:
    return ValidationError(
        _("This article is already in the archive: “%(title)s” (#%(pk)s)."),
        code="duplicate",
        params={"title": existing.title, "pk": existing.pk},
    )


@transaction.atomic
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
    """Validate and save one article; raise ValidationError (code "duplicate"
    naming the existing article) if its text or URL is already archived.

    >>> article_create(title="Réunion", body="Texte…", language="fr")
    <Article: Réunion>
    """
    existing = find_duplicate(body=body, url=url)
    if existing is not None:
        raise duplicate_error(existing)
    article = Article(
        title=title,
        body=body,
        language=language,
        source=source,
        author=author,
        published_at=published_at,
        url=url,
        content_hash=content_fingerprint(body),
    )
    article.full_clean()
    article.save()
    from archive.entities.services import article_link, build_linker, candidates_record

    linker = build_linker()
    article_link(article=article, linker=linker)
    candidates_record(article=article, linker=linker)
    return article
