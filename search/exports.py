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

from archive.models import Article
from search.backend import OrderedHits
from search.highlight import Highlighter
from search.selectors import SearchCriteria, article_hits

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
            "rows": self.row_count,
            "total_hits": self.hits,
            "truncated": self.truncated,
            "row_cap": self.cap,
            "archive_version": settings.ARCHIVE_VERSION,
            "index_updated_at": self._index_updated_at(),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        }

    def _index_updated_at(self) -> str | None:
        from haystack import connections

        try:
            found = self.found
            modified = (
                found.updated_at()
                if found
                else connections["default"].get_backend().shared_searcher()._ix.last_modified()
            )
        except Exception:
            return None
        return datetime.datetime.fromtimestamp(modified, tz=datetime.UTC).isoformat(
            timespec="seconds"
        )

    def filename(self, extension: str) -> str:
        words = slugify(self.criteria.query.raw, allow_unicode=True)[:60] or "articles"
        return f"archive-{words}-{timezone.localdate():%Y-%m-%d}.{extension}"

    def columns(self) -> list[str]:
        base = ["id", "title", "language", "source", "author", "published", "url", "permalink"]
        return [*base, "entities", "score", "snippet", *(["body"] if self.with_body else [])]

    def rows(self) -> Iterator[dict]:
        """One dict per article, in the search's order, read in batches."""
        highlighter = Highlighter(self.criteria.query.terms)
        by_date = self.criteria.order() is not None
        for start in range(0, self.row_count, BATCH_SIZE):
            batch = [
                (int(pk), score) for pk, score in self.found.django_ids(start, start + BATCH_SIZE)
            ]
            articles = (
                Article.objects.select_related("source")
                .prefetch_related("mentions__entity__aliases")
                .in_bulk([pk for pk, _ in batch])
            )
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
                    "entities": _entity_names(article),
                    "score": "" if by_date or score is None else round(score, 4),
                    "snippet": html.unescape(strip_tags(highlighter.snippet(article.body))),
                }
                if self.with_body:
                    row["body"] = article.body
                yield row


def _entity_names(article: Article) -> str:
    """Each entity the article mentions, in both scripts where known: "Laftit / لفتيت"."""
    names = []
    for mention in sorted(article.mentions.all(), key=lambda m: (-m.count, m.entity.name)):
        entity = mention.entity
        # The fullest Arabic form (عبد الوافي لفتيت rather than لفتيت).
        arabic = max(
            (a.alias for a in entity.aliases.all() if a.language == "ar"), key=len, default=""
        )
        names.append(
            f"{entity.name} / {arabic}" if arabic and arabic != entity.name else entity.name
        )
    return "; ".join(names)


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
