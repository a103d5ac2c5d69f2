"""What the search engine knows about an article."""

from haystack import indexes

from archive.models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=2.0)
    language = indexes.CharField(model_attr="language", faceted=True)
    source = indexes.CharField(model_attr="source__slug", null=True, faceted=True)
    published_at = indexes.DateField(model_attr="published_at", null=True)

    def get_model(self) -> type[Article]:
        return Article

    def index_queryset(self, using=None):
        return Article.objects.select_related("source")
