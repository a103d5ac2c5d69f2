"""Entity names in queries: a word or phrase that is an alias of an entity
also finds the articles that mention the entity under any alias, in either
script ("Laftit" finds لفتيت)."""

from __future__ import annotations

import time

from django.conf import settings

from archive.models import Entity, EntityAlias
from archive.selectors import entity_names
from archive.textnorm import fold_text

_cache: dict = {"at": float("-inf"), "aliases": {}}


def alias_index() -> dict[str, tuple[str, str]]:
    """{folded alias or name: (entity slug, entity name)}, cached for
    ARCHIVE_ALIAS_CACHE_SECONDS (two queries when it is rebuilt)."""
    now = time.monotonic()
    if now - _cache["at"] >= settings.ARCHIVE_ALIAS_CACHE_SECONDS:
        aliases: dict[str, tuple[str, str]] = {}
        for name, slug in Entity.objects.values_list("name", "slug"):
            aliases.setdefault(fold_text(name), (slug, name))
        for alias, slug, name in EntityAlias.objects.values_list(
            "alias", "entity__slug", "entity__name"
        ):
            aliases.setdefault(fold_text(alias), (slug, name))
        _cache.update(at=now, aliases=aliases)
    return _cache["aliases"]


def entity_expander():
    """search.queries.query's `expand`: words -> the slug of the entity they name, or None
    (one snapshot of the alias table for the whole query)."""
    aliases = alias_index()

    def entity_for(words: str) -> str | None:
        found = aliases.get(fold_text(words))
        return found[0] if found else None

    return entity_for


def expanded_entities(slugs, language: str = "fr") -> list[tuple[str, str, list[str]]]:
    """(slug, name, aliases) of the entities a query was widened to, in order,
    once each; the name in the interface language (archive.selectors.entity_names),
    the aliases beginning with the register's name."""
    order = list(dict.fromkeys(slugs))
    if not order:
        return []
    aliases: dict[str, list[str]] = {slug: [] for slug in order}
    found = list(Entity.objects.filter(slug__in=order).only("pk", "slug", "name"))
    shown = entity_names(found, language)
    names = {entity.slug: entity.name for entity in found}
    labels = {entity.slug: shown[entity.pk] for entity in found}
    for slug, alias in EntityAlias.objects.filter(entity__slug__in=order).values_list(
        "entity__slug", "alias"
    ):
        aliases[slug].append(alias)
    return [(slug, labels[slug], [names[slug], *aliases[slug]]) for slug in order if slug in names]
