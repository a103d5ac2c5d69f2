"""Mentions: which entities each article names, kept up to date on every save."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction
from django.db.models import Count, F, Max
from django.db.models.signals import post_delete, post_save

from archive.entities.candidates import find_candidates
from archive.entities.linking import AliasLinker
from archive.models import (
    Article,
    CandidateStatus,
    Entity,
    EntityAlias,
    EntityCandidate,
    Mention,
)
from archive.signals import articles_written
from archive.textnorm import fold_text

_linker_cache: dict = {"key": None, "at": float("-inf"), "linker": None}
LINKER_MAX_AGE_SECONDS = 300


def _register_version() -> tuple:
    """Changes when aliases or entities are added or removed (two small queries)."""
    return (
        tuple(EntityAlias.objects.aggregate(n=Count("pk"), last=Max("pk")).values()),
        tuple(Entity.objects.aggregate(n=Count("pk"), last=Max("pk")).values()),
    )


def build_linker() -> AliasLinker:
    """A linker over every entity's name and aliases.

    Building one for ten thousand aliases takes about half a second, so it is
    kept per process while the register's size is unchanged (and at most five
    minutes, for edits made in another process); `forget_linker` drops it.
    """
    key = _register_version()
    now = time.monotonic()
    cached = _linker_cache
    if (
        cached["linker"] is None
        or cached["key"] != key
        or now - cached["at"] > LINKER_MAX_AGE_SECONDS
    ):
        aliases = dict(EntityAlias.objects.order_by("pk").values_list("alias", "entity_id"))
        for name, pk in Entity.objects.order_by("pk").values_list("name", "pk"):
            aliases.setdefault(name, pk)
        cached.update(key=key, at=now, linker=AliasLinker(aliases))
    return cached["linker"]


def forget_linker(**kwargs) -> None:
    """Signal receiver: an entity or alias changed in this process."""
    _linker_cache["linker"] = None


def candidates_record(*, article: Article, linker: AliasLinker) -> int:
    """Remember the entity-like names of a new article that the register lacks;
    returns how many were new. Rejected names stay rejected."""
    new = 0
    for name, language in find_candidates(f"{article.title}\n{article.body}"):
        if linker.knows(name):
            continue
        key = fold_text(name)[:300]
        candidate, created = EntityCandidate.objects.get_or_create(
            key=key, defaults={"name": name[:300], "language": language, "example": article}
        )
        if created:
            new += 1
        else:
            EntityCandidate.objects.filter(pk=candidate.pk).update(
                article_count=F("article_count") + 1
            )
    return new


def candidates_record_new(*, articles: Sequence[Article], linker: AliasLinker) -> int:
    """`candidates_record` for a batch of new articles, in a few statements
    (one get_or_create per name made candidates a third of an import's time)."""
    found: dict[str, list] = {}  # key -> [name, language, example, occurrences]
    for article in articles:
        for name, language in find_candidates(f"{article.title}\n{article.body}"):
            if linker.knows(name):
                continue
            key = fold_text(name)[:300]
            entry = found.setdefault(key, [name[:300], language, article, 0])
            entry[3] += 1
    if not found:
        return 0
    existing = dict(EntityCandidate.objects.filter(key__in=list(found)).values_list("key", "pk"))
    increments: dict[int, list[int]] = {}
    for key, pk in existing.items():
        increments.setdefault(found[key][3], []).append(pk)
    for count, pks in increments.items():
        EntityCandidate.objects.filter(pk__in=pks).update(article_count=F("article_count") + count)
    new = [
        EntityCandidate(key=key, name=name, language=language, example=example, article_count=count)
        for key, (name, language, example, count) in found.items()
        if key not in existing
    ]
    # A name recorded meanwhile by another import keeps its own count.
    EntityCandidate.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def articles_link_new(articles: Sequence[Article], *, linker: AliasLinker) -> None:
    """Mentions of new articles (they have none yet), in one statement."""
    Mention.objects.bulk_create(
        Mention(article=article, entity_id=entity_id, count=count)
        for article in articles
        for entity_id, count in linker.count(f"{article.title}\n{article.body}").items()
    )


@transaction.atomic
def article_link(
    *, article: Article, linker: AliasLinker | None = None, reindex: bool = True
) -> dict[int, int]:
    """Replace the article's mentions with what its title and body name now.

    Returns {entity id: count}. Mentions are written in bulk (no per-row
    signals); the search index is refreshed once, after commit.
    """
    linker = linker or build_linker()
    counts = linker.count(f"{article.title}\n{article.body}")
    current = dict(article.mentions.values_list("entity_id", "count"))
    if current != dict(counts):
        Mention.objects.filter(article=article).delete()
        Mention.objects.bulk_create(
            Mention(article=article, entity_id=entity_id, count=count)
            for entity_id, count in counts.items()
        )
        if reindex:
            _reindex([article.pk])
    return dict(counts)


def articles_link(
    articles: Iterable[Article], *, linker: AliasLinker | None = None, reindex: bool = True
) -> int:
    """Re-link many articles with one linker; returns how many changed.

    reindex=False when the caller writes these articles to the index itself
    (bulk imports index in large commits).
    """
    linker = linker or build_linker()
    changed = 0
    for article in articles:
        before = dict(article.mentions.values_list("entity_id", "count"))
        if article_link(article=article, linker=linker, reindex=reindex) != before:
            changed += 1
    return changed


RELINK_BATCH = 500


def entities_relink(
    entity_ids: Iterable[int], *, progress: Callable[[int, int], None] = lambda done, total: None
) -> int:
    """Find the mentions of these entities again in every article, leaving the
    other entities' mentions alone; returns how many articles changed.

    Counting uses the whole register (overlapping names go to the longest,
    as on every save); only the selected entities' mentions are rewritten.
    For the background job: at 100,000 articles it reads every text once.
    """
    selected = set(entity_ids)
    linker = build_linker()
    total = Article.objects.count()
    done = changed = 0
    last = 0
    while True:
        rows = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "title", "body")[:RELINK_BATCH]
        )
        if not rows:
            break
        last = rows[-1][0]
        pks = [pk for pk, _, _ in rows]
        current: dict[int, dict[int, int]] = {}
        for article_id, entity_id, count in Mention.objects.filter(
            article_id__in=pks, entity_id__in=selected
        ).values_list("article_id", "entity_id", "count"):
            current.setdefault(article_id, {})[entity_id] = count
        touched = []
        with transaction.atomic():
            for pk, title, body in rows:
                counts = linker.count(f"{title}\n{body}")
                wanted = {eid: n for eid, n in counts.items() if eid in selected}
                if wanted == current.get(pk, {}):
                    continue
                Mention.objects.filter(article_id=pk, entity_id__in=selected).delete()
                Mention.objects.bulk_create(
                    Mention(article_id=pk, entity_id=eid, count=n) for eid, n in wanted.items()
                )
                touched.append(pk)
            _reindex(touched)
        changed += len(touched)
        done += len(rows)
        progress(done, total)
    return changed


def _reindex(pks: list[int]) -> None:
    """Tell whoever follows the archive (the search index) that these articles'
    mentions changed: bulk_create and bulk deletes send no model signals."""
    if pks:
        articles_written.send(sender=Article, pks=list(pks))


@transaction.atomic
def entity_merge(*, target: Entity, others: Iterable[Entity]) -> Entity:
    """Fold `others` into `target`: their names and aliases become target's
    aliases, their mentions target's (counts added per article); nothing lost."""
    from archive.models import Language

    affected: set[int] = set()
    known = {alias.casefold() for alias in target.aliases.values_list("alias", flat=True)}
    known.add(target.name.casefold())
    for other in others:
        if other.pk == target.pk:
            continue
        names = [(other.name, _script(other.name))]
        names += list(other.aliases.values_list("alias", "language"))
        for alias, language in names:
            if alias.casefold() not in known:
                EntityAlias.objects.create(
                    entity=target, alias=alias, language=language or Language.FRENCH
                )
                known.add(alias.casefold())
        for mention in other.mentions.all():
            affected.add(mention.article_id)
            existing = Mention.objects.filter(article_id=mention.article_id, entity=target).first()
            if existing:
                existing.count += mention.count
                existing.save(update_fields=["count"])
            else:
                Mention.objects.create(
                    article_id=mention.article_id, entity=target, count=mention.count
                )
        other.delete()
    _reindex(sorted(affected))
    return target


def _script(text: str) -> str:
    return "ar" if any("\u0600" <= ch <= "\u06ff" for ch in text) else "fr"


def connect_signals() -> None:
    """Called from ArchiveConfig.ready()."""
    for model in (Entity, EntityAlias):
        post_save.connect(forget_linker, sender=model, dispatch_uid=f"linker-save-{model.__name__}")
        post_delete.connect(
            forget_linker, sender=model, dispatch_uid=f"linker-del-{model.__name__}"
        )


@transaction.atomic
def candidate_accept(*, candidate: EntityCandidate, kind: str = "person") -> Entity:
    """Make a candidate an entity, its name the first alias."""
    from django.utils.text import slugify

    base = slugify(candidate.name, allow_unicode=True)[:290] or "entity"
    slug, n = base, 1
    while Entity.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    entity = Entity(name=candidate.name, slug=slug, kind=kind)
    entity.full_clean()
    entity.save()
    EntityAlias.objects.create(entity=entity, alias=candidate.name, language=candidate.language)
    candidate.status = CandidateStatus.ACCEPTED
    candidate.save(update_fields=["status"])
    return entity


def candidates_reject(candidates) -> int:
    """Reject candidates: they stay in the table so that they are not proposed again."""
    return candidates.update(status=CandidateStatus.REJECTED)
