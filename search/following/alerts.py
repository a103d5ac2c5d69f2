"""E-mail digests of saved searches: the articles added since the last digest
that match, sent by the background worker (search.tasks.send_alerts), never
in a request.

A digest covers the articles added between `digest_until` and a moment a
little in the past (ARCHIVE_ALERT_LAG_SECONDS: an import's articles are dated
when saved, but searchable only once their batch is committed and indexed,
up to ~20 s later for a batch of 2,000), then moves `digest_until` there: a
failed send leaves it where it was, so the next attempt lists the same
articles, and no article is ever sent twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.models import Article
from search.engines.base import NEWEST, engine
from search.following.saved import added_since, search_url
from search.models import SavedSearch
from search.query_tree import AddedAfter, Not

log = logging.getLogger(__name__)

DIGEST_MAX = 100  # articles listed in one e-mail (the rest: "and N more")


def digest_articles(saved: SavedSearch, until: datetime.datetime) -> tuple[list[Article], int]:
    """The articles matching the search added after `digest_until` and up to
    `until`, newest first (at most DIGEST_MAX), and how many there are."""
    tree = added_since(saved.params, saved.digest_until)
    if tree is None:
        return [], 0
    window = type(tree)((*tree.items, Not(AddedAfter(int(until.timestamp())))))
    hits = engine().ordered_hits(window, sort=NEWEST, limit=DIGEST_MAX)
    ids = [pk for pk, _score in hits.ids(0, len(hits))]
    articles = Article.objects.select_related("source").in_bulk(ids)
    return [articles[pk] for pk in ids if pk in articles], hits.hits


def send_digest(saved: SavedSearch, *, now: datetime.datetime | None = None) -> int:
    """E-mail the saved search's new articles to its owner; how many were
    listed. Raises when the mail cannot be sent (digest_until unchanged)."""
    until = (now or timezone.now()) - datetime.timedelta(seconds=settings.ARCHIVE_ALERT_LAG_SECONDS)
    if until <= saved.digest_until:
        return 0
    articles, total = digest_articles(saved, until)
    if articles and saved.user.email:
        with translation.override(saved.language):
            body = render_to_string(
                "search/email/digest.txt",
                {
                    "saved": saved,
                    "articles": articles,
                    "more": total - len(articles),
                    "site": settings.ARCHIVE_SITE_URL,
                    "search": search_url(saved.params),
                },
            )
            subject = _("%(count)s new articles: %(name)s") % {"count": total, "name": saved.name}
        send_mail(subject, body, None, [saved.user.email])
    with transaction.atomic():
        SavedSearch.objects.filter(pk=saved.pk, digest_until=saved.digest_until).update(
            digest_until=until
        )
    return len(articles)


def send_alerts(frequency: str) -> tuple[int, int]:
    """Send the digests of every saved search with this alert frequency;
    (searches sent, failures). A failure is logged and left for the next run."""
    sent = failed = 0
    for saved in SavedSearch.objects.filter(alert=frequency).select_related("user"):
        try:
            if send_digest(saved):
                sent += 1
        except Exception:
            failed += 1
            log.exception("alert of saved search %s not sent", saved.pk)
    return sent, failed
