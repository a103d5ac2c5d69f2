"""The archive's data: sources, articles and the entities they mention."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archive.textnorm import fold_text, folded_fingerprint


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class EntityKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANIZATION = "organization", _("organization")
    PLACE = "place", _("place")
    EVENT = "event", _("event")


def language_direction(code: str) -> str:
    """'rtl' for right-to-left languages (settings.LANGUAGES_BIDI), else 'ltr'."""
    return "rtl" if code.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"


class Source(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    homepage = models.URLField(_("homepage"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        help_text=_("The language the outlet usually publishes in."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=Language.values),
                name="archive_source_language_allowed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:source_detail", kwargs={"slug": self.slug})

    @property
    def direction(self) -> str:
        return language_direction(self.language)


class ArticleQuerySet(models.QuerySet):
    def in_language(self, language: str) -> "ArticleQuerySet":
        return self.filter(language=language)

    def from_source(self, source: Source) -> "ArticleQuerySet":
        return self.filter(source=source)

    def newest_first(self) -> "ArticleQuerySet":
        """Newest publication date first; undated articles last, newest added first."""
        return self.order_by(F("published_at").desc(nulls_last=True), "-created_at", "-pk")


class Article(models.Model):
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(
        _("body"), help_text=_("Plain text; paragraphs separated by blank lines.")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_at = models.DateField(_("publication date"), null=True, blank=True)
    url = models.URLField(
        _("original URL"),
        max_length=1000,
        blank=True,
        help_text=_("Where the article was published, if known."),
    )
    content_hash = models.CharField(
        _("content fingerprint"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 of the normalised body, used to refuse duplicates."),
    )
    text_hash = models.CharField(
        _("title and text fingerprint"),
        max_length=64,
        db_index=True,
        editable=False,
        default="",
        help_text=_(
            "SHA-256 of the normalised title and body: a copy whose title was pasted "
            "as its first paragraph is still recognised."
        ),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-created_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=Language.values),
                name="archive_article_language_allowed",
            ),
            # Many scraped articles have no URL; those that do must be unique.
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="archive_article_url_unique",
                violation_error_message=_("An article with this URL is already in the archive."),
            ),
        ]
        indexes = [
            models.Index(fields=["-published_at"], name="archive_article_pub_idx"),
            models.Index(fields=["language"], name="archive_article_lang_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("archive:article_detail", kwargs={"pk": self.pk})

    @property
    def direction(self) -> str:
        return language_direction(self.language)

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"

    def set_fingerprints(self) -> None:
        """Compute both fingerprints from the text (every save does, through a
        pre_save receiver; bulk_create callers call it themselves). Not again
        for the same text (an import computes them for its duplicate check)."""
        text = (self.title, self.body)
        if getattr(self, "_fingerprinted", None) == text:
            return
        # One fold of each part (folding is most of a fingerprint's cost).
        body, title = fold_text(self.body), fold_text(self.title)
        self.content_hash = folded_fingerprint(body)
        self.text_hash = folded_fingerprint(" ".join(part for part in (title, body) if part))
        self._fingerprinted = text

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class Entity(models.Model):
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=300, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EntityKind.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EntityKind.values),
                name="archive_entity_kind_allowed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archive:entity_detail", kwargs={"slug": self.slug})


class EntityAlias(models.Model):
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="aliases"
    )
    alias = models.CharField(_("alias"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)

    class Meta:
        ordering = ["entity", "language", "alias"]
        verbose_name = _("entity alias")
        verbose_name_plural = _("entity aliases")
        constraints = [
            models.UniqueConstraint(fields=["entity", "alias"], name="archive_entityalias_unique"),
            models.CheckConstraint(
                condition=Q(language__in=Language.values),
                name="archive_entityalias_language_allowed",
            ),
        ]

    def __str__(self) -> str:
        return self.alias


class TermLanguage(models.TextChoices):
    """How a thesaurus term is written: the archive's languages plus Moroccan
    Darija in Arabic letters and in Latin letters (Arabizi, l7rig)."""

    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    DARIJA = "ary", _("Darija (Arabic script)")
    LATIN = "latn", _("Darija or Arabic in Latin letters")
    ENGLISH = "en", _("English")


class Concept(models.Model):
    """A notion of the beat in the thesaurus: a search naming any of its
    terms also searches the others, in every language and script
    (search.queries.concepts), as an entity's aliases do for names."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thesaurus concept")
        verbose_name_plural = _("thesaurus concepts")

    def __str__(self) -> str:
        return self.name


class ConceptTerm(models.Model):
    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.CASCADE, related_name="terms"
    )
    term = models.CharField(_("term"), max_length=200)
    language = models.CharField(_("language"), max_length=4, choices=TermLanguage.choices)

    class Meta:
        ordering = ["concept", "language", "term"]
        verbose_name = _("thesaurus term")
        verbose_name_plural = _("thesaurus terms")
        constraints = [
            models.UniqueConstraint(fields=["concept", "term"], name="archive_conceptterm_unique"),
            models.CheckConstraint(
                condition=Q(language__in=TermLanguage.values),
                name="archive_conceptterm_language_allowed",
            ),
        ]

    def __str__(self) -> str:
        return self.term


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("to review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class EntityCandidate(models.Model):
    """A name found in articles that is not in the register yet; a person
    accepts it (it becomes an entity) or rejects it (it is not proposed again)."""

    name = models.CharField(_("name"), max_length=300)
    key = models.CharField(_("comparison key"), max_length=300, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    article_count = models.PositiveIntegerField(_("articles"), default=1)
    example = models.ForeignKey(
        "Article",
        verbose_name=_("example article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
    )
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        ordering = ["status", "-article_count", "name"]
        verbose_name = _("entity candidate")
        verbose_name_plural = _("entity candidates")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CandidateStatus.values),
                name="archive_entitycandidate_status_allowed",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="mentions"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="mentions"
    )
    count = models.PositiveIntegerField(_("count"), default=1)

    class Meta:
        ordering = ["article", "-count"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="archive_mention_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} × {self.count}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


class JobKind(models.TextChoices):
    UPLOAD = "upload", _("upload")
    RELINK = "relink", _("re-link entities")
    INDEX_REPAIR = "index_repair", _("search index check and repair")


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """Admin work done by the background worker, with its progress and results.

    The job's inputs are saved with it (uploaded files on disk, entity ids in
    `params`) before it is queued, so nothing is lost if the worker restarts:
    a job found unfinished is run again, and skips what it already recorded.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("to do"), default=0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # One entry per document for uploads: {"name", "status", "reason", "article"}.
    results = models.JSONField(_("results"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=JobKind.values), name="archive_job_kind_allowed"
            ),
            models.CheckConstraint(
                condition=Q(state__in=JobState.values), name="archive_job_state_allowed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def counts(self) -> dict[str, int]:
        """Documents of an upload by result: created, duplicate, refused."""
        counts = {"created": 0, "duplicate": 0, "refused": 0}
        for result in self.results:
            counts[result["status"]] = counts.get(result["status"], 0) + 1
        return counts


class WireCopy(models.Model):
    """An article's MinHash signature and its group of wire copies
    (archive.wirecopies): `group_id` is the id of the group's first article."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="wire"
    )
    signature = models.BinaryField()
    group_id = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("wire copy group")
        verbose_name_plural = _("wire copy groups")

    def __str__(self) -> str:
        return f"#{self.article_id} in group {self.group_id}"


class WireBand(models.Model):
    """One LSH band of an article's signature: articles sharing a band are
    candidate copies (archive.wirecopies)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="wire_bands")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        # Looked up by key alone (archive.wirecopies.group_articles): an index
        # led by band made SQLite scan the whole table for every look-up.
        indexes = [models.Index(fields=["key", "band"], name="archive_wireband_key")]

    def __str__(self) -> str:
        return f"#{self.article_id} band {self.band}"
