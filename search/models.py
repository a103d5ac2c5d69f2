"""What the search app keeps in the database: articles whose index write failed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexBacklog(models.Model):
    """An article whose latest change could not be written to the search index.

    Written when an index write still fails after its retries, so that the
    failure is never silent: the admin shows the count, and `check_index
    --repair` (or the background repair job) writes these articles again and
    deletes the rows.
    """

    # Not a foreign key: the row must outlive a deleted article (whose document
    # still has to leave the index).
    article_id = models.BigIntegerField(_("article id"), unique=True)
    error = models.CharField(_("error"), max_length=500)
    failed_at = models.DateTimeField(_("failed at"), auto_now=True)

    class Meta:
        ordering = ["failed_at"]
        verbose_name = _("article waiting for the index")
        verbose_name_plural = _("articles waiting for the index")

    def __str__(self) -> str:
        return f"#{self.article_id}"


class TsVectorField(models.Field):
    """PostgreSQL's tsvector (plain text on other databases, where it is unused)."""

    description = "Full-text search document"

    def db_type(self, connection) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    """An article's search document for the PostgreSQL engine
    (`search.engines.postgres_engine`), written in the article's own
    transaction.

    `document` holds the archive analyzer's terms with their positions (title
    terms weighted A) and the keyword values as lexemes `#field=value`, so a
    whole query with its filters is one `tsquery`. The other columns serve
    date ranges, sorts and facet counts.
    """

    article = models.OneToOneField(
        "archive.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    document = TsVectorField()
    language = models.CharField(max_length=8)
    source = models.CharField(max_length=200, blank=True)
    entities = models.TextField(blank=True)  # slugs, space-separated
    year = models.CharField(max_length=4, blank=True)
    day = models.IntegerField(null=True)  # YYYYMMDD
    newest_key = models.DateField()
    oldest_key = models.DateField()
    version = models.CharField(max_length=32)
    added = models.BigIntegerField(null=True)  # epoch seconds (saved searches, alerts)

    class Meta:
        indexes = [
            models.Index(fields=["-newest_key", "-article"], name="searchdoc_newest"),
            models.Index(fields=["oldest_key", "article"], name="searchdoc_oldest"),
            models.Index(fields=["day"], name="searchdoc_day"),
        ]

    def __str__(self) -> str:
        return f"#{self.article_id}"


class EngineState(models.Model):
    """Why the PostgreSQL engine's documents are known to be incomplete
    (a rebuild running or killed); no row when they are complete."""

    name = models.CharField(max_length=50, primary_key=True)
    reason = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


class AlertFrequency(models.TextChoices):
    NEVER = "never", _("no e-mail")
    IMMEDIATE = "immediate", _("after each upload or import")
    DAILY = "daily", _("once a day")


class SavedSearch(models.Model):
    """A journalist's search kept with a name: the search page's parameters,
    re-run as they are (search.following.saved)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=200)
    # The search page's query parameters (q, lang, source, entity, year, from, to, sort, literal).
    params = models.JSONField(_("search"))
    # The entities the query widened to when it was saved: the list page says
    # when the register now widens it otherwise.
    expansions = models.JSONField(_("entities searched too"), default=list)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    seen_at = models.DateTimeField(_("last opened"))
    alert = models.CharField(
        _("e-mail alert"), max_length=20, choices=AlertFrequency.choices, default="never"
    )
    # Articles added up to this moment have been in a digest (or were there
    # when the search was saved): a digest lists only later ones, once.
    digest_until = models.DateTimeField(_("alerted up to"))
    # The owner's interface language when they last saved, opened or changed
    # it: its digests and its feed's own words are in it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name
