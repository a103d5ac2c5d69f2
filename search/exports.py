"""Exports of whole result sets (CSV and JSON), streamed in constant memory.

The rows are exactly the search page's hits, in the page's order: both come
from `search.selectors` with the same criteria. The engine returns the ordered
ids (up to the row cap); articles are then read from the database in batches
and written out as they come, so neither the response nor the process holds
the whole file.
"""

from __future__ import annotations

import csv
import datetime
import html
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from archive.models import Article, Entity, EntityAlias, Mention, WireCopy
from search.engines.base import OrderedHits
from search.language.highlight import Highlighter
from search.selectors import SearchCriteria, article_hits, index_incomplete

BATCH_SIZE = 500
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs ("=1+1" -> "'=1+1")."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@dataclass
class Export:
    """An export's rows (lazy) and the manifest that describes them."""

    criteria: SearchCriteria
    found: OrderedHits | None
    cap: int
    with_body: bool
    permalink: Callable[[str], str]

    @property
    def hits(self) -> int:
        return self.found.hits if self.found else 0

    @property
    def row_count(self) -> int:
        return len(self.found) if self.found else 0

    @property
    def truncated(self) -> bool:
        return self.hits > self.row_count

    def manifest(self) -> dict:
        c = self.criteria
        return {
            "query": c.query.raw,
            "filters": {
                "lang": c.language,
                "source": c.source,
                "entity": c.entity,
                "year": c.year,
                "from": c.date_from.isoformat() if c.date_from else None,
                "to": c.date_to.isoformat() if c.date_to else None,
            },
            "sort": c.sort,
            # Nothing was found as typed: these words were also searched
            # without their first letter (search.queries.query fallback), as on the page.
            "read_apart": [list(pair) for pair in c.query.clitics],
            "rows": self.row_count,
            "total_hits": self.hits,
            "truncated": self.truncated,
            "row_cap": self.cap,
            # "prefix_capped": a word beginning matched too many words, and only
            # the most frequent were searched.
            "notes": list(self.found.notes) if self.found else [],
            "index_incomplete": index_incomplete(),
            "archive_version": settings.ARCHIVE_VERSION,
            "index_updated_at": self._index_updated_at(),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        }

    def _index_updated_at(self) -> str | None:
        try:
            modified = self.found.updated_at() if self.found else None
        except Exception:
            return None
        if modified is None:
            return None
        return datetime.datetime.fromtimestamp(modified, tz=datetime.UTC).isoformat(
            timespec="seconds"
        )

    def filename(self, extension: str) -> str:
        words = slugify(self.criteria.query.raw, allow_unicode=True)[:60] or "articles"
        return f"archive-{words}-{timezone.localdate():%Y-%m-%d}.{extension}"

    def columns(self) -> list[str]:
        base = [
            "id",
            "title",
            "language",
            "source",
            "author",
            "published",
            "url",
            "permalink",
            "group",
        ]
        return [*base, "entities", "score", "snippet", *(["body"] if self.with_body else [])]

    def rows(self) -> Iterator[dict]:
        """One dict per article, in the search's order, read in batches.

        Plain queries only (no prefetch_related): prefetched managers make
        reference cycles between articles and their querysets, which only the
        cyclic garbage collector frees, so every batch's bodies stayed in
        memory for the whole export.
        """
        if self.found is None:
            return
        highlighter = Highlighter(self.criteria.query.terms)
        by_date = self.criteria.order() is not None
        labels = EntityLabels()
        for start in range(0, self.row_count, BATCH_SIZE):
            batch = [(int(pk), score) for pk, score in self.found.ids(start, start + BATCH_SIZE)]
            pks = [pk for pk, _ in batch]
            articles = Article.objects.select_related("source").in_bulk(pks)
            groups = dict(
                WireCopy.objects.filter(article_id__in=pks).values_list("article_id", "group_id")
            )
            entities = labels.for_articles(pks)
            for pk, score in batch:
                article = articles.get(pk)
                if article is None:  # deleted since it was indexed
                    continue
                row = {
                    "id": article.pk,
                    "title": article.title,
                    "language": article.language,
                    "source": article.source.name if article.source else "",
                    "author": article.author,
                    "published": article.published_at.isoformat() if article.published_at else "",
                    "url": article.url,
                    "permalink": self.permalink(article.get_absolute_url()),
                    # The wire-copy group: the id of the group's first article.
                    "group": groups.get(pk, ""),
                    "entities": "; ".join(entities.get(pk, ())),
                    "score": "" if by_date or score is None else round(score, 4),
                    "snippet": html.unescape(strip_tags(highlighter.snippet(article.body))),
                }
                if self.with_body:
                    row["body"] = article.body
                yield row


class EntityLabels:
    """Entity names for export rows, in both scripts where known ("Laftit /
    لفتيت"), looked up once per entity for the whole export (the register is
    small next to the rows)."""

    def __init__(self) -> None:
        self._labels: dict[int, str] = {}

    def for_articles(self, pks: list[int]) -> dict[int, list[str]]:
        """Each article's entities, most mentioned first."""
        mentions = list(
            Mention.objects.filter(article_id__in=pks)
            .order_by("-count", "entity__name")
            .values_list("article_id", "entity_id")
        )
        self._load({entity_id for _, entity_id in mentions} - self._labels.keys())
        by_article: dict[int, list[str]] = {}
        for article_id, entity_id in mentions:
            by_article.setdefault(article_id, []).append(self._labels[entity_id])
        return by_article

    def _load(self, entity_ids: set[int]) -> None:
        if not entity_ids:
            return
        names = dict(Entity.objects.filter(pk__in=entity_ids).values_list("pk", "name"))
        # The fullest Arabic form (عبد الوافي لفتيت rather than لفتيت).
        arabic: dict[int, str] = {}
        aliases = EntityAlias.objects.filter(entity_id__in=entity_ids, language="ar")
        for entity_id, alias in aliases.values_list("entity_id", "alias"):
            if len(alias) > len(arabic.get(entity_id, "")):
                arabic[entity_id] = alias
        for entity_id, name in names.items():
            other = arabic.get(entity_id, "")
            self._labels[entity_id] = f"{name} / {other}" if other and other != name else name


def build_export(
    criteria: SearchCriteria, *, with_body: bool, permalink: Callable[[str], str]
) -> Export:
    cap = settings.ARCHIVE_EXPORT_MAX_ROWS
    return Export(criteria, article_hits(criteria, limit=cap), cap, with_body, permalink)


class _Echo:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(export: Export) -> Iterable[str]:
    """The CSV file, piece by piece: BOM, header, then one line per row."""
    writer = csv.writer(_Echo())
    columns = export.columns()
    yield "\ufeff"  # so spreadsheet programs read UTF-8 (Arabic) correctly
    yield writer.writerow(columns)
    for row in export.rows():
        yield writer.writerow([neutralise(str(row[column])) for column in columns])


def json_chunks(export: Export) -> Iterable[str]:
    """{"manifest": …, "rows": [...]}, written row by row."""
    yield '{"manifest": ' + json.dumps(export.manifest(), ensure_ascii=False) + ', "rows": ['
    first = True
    for row in export.rows():
        yield ("" if first else ", ") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}\n"
