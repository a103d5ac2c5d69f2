"""What the search engine knows about an article."""

import datetime

from haystack import indexes

from archive.models import Article
from search.index.indexing import document_version

# Sort keys for articles without a date: last when newest first, last when oldest first.
UNDATED_NEWEST = datetime.date(1, 1, 1)
UNDATED_OLDEST = datetime.date(9999, 12, 31)


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # Text fields are analysed by every engine with search.language.analysis.
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=2.0)
    author = indexes.CharField(model_attr="author", default="")
    # Facet and filter fields hold exact values (codes and slugs): haystack maps
    # multi-valued fields to Whoosh KEYWORD fields, which are not analyzed.
    language = indexes.MultiValueField()
    source = indexes.MultiValueField()
    entities = indexes.MultiValueField()
    year = indexes.MultiValueField()
    # YYYYMMDD: Whoosh answers integer ranges far faster than datetime ranges.
    day = indexes.IntegerField(null=True)
    # When the article entered the archive (epoch seconds): saved searches and
    # alerts ask for what is new since a moment.
    added = indexes.IntegerField()
    newest_key = indexes.DateField()
    oldest_key = indexes.DateField()
    # Second sort key after the date (search.engines.whoosh_engine.TIE_BREAK): articles of one
    # day otherwise come in the engine's internal order, which edits change.
    article_id = indexes.IntegerField(model_attr="pk", stored=False)  # django_id is stored
    # What the document was made from (search.index.indexing.document_version): check_index
    # compares it with the database to find stale documents.
    version = indexes.CharField(indexed=False)

    def get_model(self) -> type[Article]:
        return Article

    def index_queryset(self, using=None):
        return Article.objects.select_related("source").prefetch_related("mentions__entity")

    def read_queryset(self, using=None):
        return Article.objects.select_related("source")

    def prepare_version(self, article: Article) -> str:
        return document_version(
            title=article.title,
            body=article.body,
            language=article.language,
            source_slug=article.source.slug if article.source else None,
            author=article.author,
            published_at=article.published_at,
            entity_slugs=(mention.entity.slug for mention in article.mentions.all()),
        )

    def prepare_language(self, article: Article) -> list[str]:
        return [article.language]

    def prepare_source(self, article: Article) -> list[str]:
        return [article.source.slug] if article.source else []

    def prepare_entities(self, article: Article) -> list[str]:
        return sorted({mention.entity.slug for mention in article.mentions.all()})

    def prepare_year(self, article: Article) -> list[str]:
        return [str(article.published_at.year)] if article.published_at else []

    def prepare_day(self, article: Article) -> int | None:
        return int(f"{article.published_at:%Y%m%d}") if article.published_at else None

    def prepare_added(self, article: Article) -> int:
        return int(article.created_at.timestamp())

    def prepare_newest_key(self, article: Article) -> datetime.date:
        return article.published_at or UNDATED_NEWEST

    def prepare_oldest_key(self, article: Article) -> datetime.date:
        return article.published_at or UNDATED_OLDEST
