from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archive import admin_task_results  # noqa: F401 (the task queue's page, translated)
from archive.duplicates import duplicate_error, find_duplicate
from archive.entities.services import (
    candidate_accept,
    candidates_reject,
    entity_merge,
)
from archive.forms import UploadForm
from archive.ingest.results import counts
from archive.ingest.text import clean_body
from archive.ingest.uploads import upload
from archive.jobs import job_create, job_enqueue
from archive.models import (
    Article,
    CandidateStatus,
    Concept,
    ConceptTerm,
    Entity,
    EntityAlias,
    EntityCandidate,
    EntityKind,
    Job,
    JobKind,
    Mention,
    Source,
)
from archive.services import article_save, source_merge
from archive.tasks import RELINK_TASK

admin.site.site_header = _("News archive administration")
admin.site.site_title = _("News archive")


def https_formfield(field: models.Field, **kwargs) -> forms.Field | None:
    """A URL typed without a scheme is https (Django 6's default, adopted now)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    """Hand-made articles get the same cleaning and duplicate check as imported
    ones; they are saved by `archive.services.article_save` (ArticleAdmin.save_model)."""

    class Meta:
        model = Article
        formfield_callback = https_formfield
        fields = ["title", "body", "language", "source", "author", "published_at", "url"]

    def clean_body(self):
        body = clean_body(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("The text is empty once page furniture is removed."))
        return body

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if body:
            existing = find_duplicate(
                body=body,
                title=cleaned.get("title") or "",
                url=cleaned.get("url") or "",
                exclude_pk=self.instance.pk,
            )
            if existing is not None:
                raise duplicate_error(existing)
        return cleaned


class MentionInline(admin.TabularInline):
    """Mentions follow the text (found again on every save), so they are shown, not edited."""

    model = Mention
    extra = 0
    can_delete = False
    readonly_fields = ["entity", "count"]

    def has_add_permission(self, request, obj=None):
        return False


HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    form = ArticleAdminForm
    list_display = ["title", "language", "source", "author", "published_at", "created_at"]
    list_filter = ["language", "source", "published_at"]
    search_fields = ["title", "body", "author", "url"]
    date_hierarchy = "published_at"
    list_select_related = ["source"]
    readonly_fields = ["content_hash", "created_at", "updated_at"]
    inlines = [MentionInline]
    change_list_template = "admin/archive/article/change_list.html"

    def save_model(self, request, obj, form, change):
        # The one write path: fingerprints, duplicate refusal, mentions, candidates.
        article_save(obj)

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="archive_article_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """Paste text or upload pages; then a page of results, one line per document."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Upload articles"),
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            outcome = upload(
                form.uploads(),
                pasted=form.cleaned_data["text"],
                title=form.cleaned_data["title"],
                defaults=form.defaults(),
                user=request.user,
            )
            if outcome.job is not None:
                queued = _(
                    "The upload is being imported in the background; this page shows its progress."
                )
                self.message_user(request, queued, messages.INFO)
                return redirect("admin:archive_job_change", outcome.job.pk)
            if outcome.stopped:
                self.message_user(request, outcome.stopped, messages.ERROR)
            context.update(
                results=[result.as_row() for result in outcome.results or []],
                counts=counts(outcome.results or []),
                title=_("Upload results"),
            )
            return TemplateResponse(request, "admin/archive/article/upload_results.html", context)
        return TemplateResponse(request, "admin/archive/article/upload.html", context)


def _merge_into_first(model_admin, request, queryset, merge, *, too_few: str, done: str) -> None:
    """The admin's merge action: the selected rows into the oldest one, through
    the archive's merge service, with a message either way."""
    rows = list(queryset.order_by("pk"))
    if len(rows) < 2:
        model_admin.message_user(request, too_few, messages.WARNING)
        return
    target = merge(target=rows[0], others=rows[1:])
    model_admin.message_user(
        request, done % {"count": len(rows) - 1, "name": target.name}, messages.SUCCESS
    )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    actions = ["merge_selected"]
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "slug", "language", "homepage", "article_count"]
    list_filter = ["language"]
    search_fields = ["name", "slug", "homepage"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, source: Source) -> int:
        return source.article_count

    @admin.action(description=_("Merge the selected sources into the first one"))
    def merge_selected(self, request, queryset):
        _merge_into_first(
            self,
            request,
            queryset,
            source_merge,
            too_few=_("Select at least two sources to merge."),
            done=_("Merged %(count)s sources into “%(name)s”."),
        )


class ConceptTermInline(admin.TabularInline):
    model = ConceptTerm
    extra = 3


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    """The bilingual beat thesaurus: each concept's terms in Arabic, French,
    Darija and Latin transliterations; searches naming one term also search
    the others (no re-indexing: expansions happen at query time)."""

    list_display = ["name", "slug", "term_list"]
    search_fields = ["name", "slug", "terms__term"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConceptTermInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("terms")

    @admin.display(description=_("terms"))
    def term_list(self, concept: Concept) -> str:
        return " · ".join(term.term for term in concept.terms.all())


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    extra = 1


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    actions = ["merge_selected", "relink_articles"]
    list_display = ["name", "kind", "slug", "mention_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EntityAliasInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(mention_count=Count("mentions", distinct=True))
        )

    @admin.display(description=_("articles"), ordering="mention_count")
    def mention_count(self, entity: Entity) -> int:
        return entity.mention_count

    @admin.action(description=_("Merge the selected entities into the first one"))
    def merge_selected(self, request, queryset):
        _merge_into_first(
            self,
            request,
            queryset,
            entity_merge,
            too_few=_("Select at least two entities to merge."),
            done=_("Merged %(count)s entities into “%(name)s”; their names are now its aliases."),
        )

    @admin.action(description=_("Find the selected entities' mentions again (background job)"))
    def relink_articles(self, request, queryset):
        ids = sorted(queryset.values_list("pk", flat=True))
        job = job_create(kind=JobKind.RELINK, user=request.user, params={"entity_ids": ids})
        job_enqueue(job, RELINK_TASK)
        self.message_user(
            request,
            format_html(
                _("Re-linking {count} entities in every article: {link}."),
                count=len(ids),
                link=format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:archive_job_change", args=[job.pk]),
                    _("follow the job"),
                ),
            ),
            messages.SUCCESS,
        )


@admin.register(EntityCandidate)
class EntityCandidateAdmin(admin.ModelAdmin):
    """Names found in articles but not in the register: accept or reject them."""

    actions = ["accept_as_people", "accept_as_organizations", "accept_as_places", "reject"]
    list_display = ["name", "language", "article_count", "status", "example"]
    list_filter = ["status", "language"]
    search_fields = ["name"]
    list_select_related = ["example"]
    readonly_fields = ["name", "key", "language", "article_count", "example", "created_at"]

    def has_add_permission(self, request):
        return False

    def _accept(self, request, queryset, kind) -> None:
        accepted = [
            candidate_accept(candidate=c, kind=kind)
            for c in queryset.filter(status=CandidateStatus.PENDING)
        ]
        self.message_user(
            request,
            _("%(count)s entities created; re-link the articles to find their mentions.")
            % {"count": len(accepted)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Accept as people"))
    def accept_as_people(self, request, queryset):
        self._accept(request, queryset, EntityKind.PERSON)

    @admin.action(description=_("Accept as organizations"))
    def accept_as_organizations(self, request, queryset):
        self._accept(request, queryset, EntityKind.ORGANIZATION)

    @admin.action(description=_("Accept as places"))
    def accept_as_places(self, request, queryset):
        self._accept(request, queryset, EntityKind.PLACE)

    @admin.action(description=_("Reject (never propose again)"))
    def reject(self, request, queryset):
        count = candidates_reject(queryset)
        self.message_user(request, _("%(count)s candidates rejected.") % {"count": count})


@admin.register(EntityAlias)
class EntityAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "language", "entity"]
    list_filter = ["language", "entity__kind"]
    search_fields = ["alias", "entity__name"]
    autocomplete_fields = ["entity"]
    list_select_related = ["entity"]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["entity", "article", "count"]
    list_filter = ["entity__kind"]
    search_fields = ["entity__name", "article__title"]
    autocomplete_fields = ["entity", "article"]
    list_select_related = ["entity", "article"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs: read-only, with progress and per-document results."""

    list_display = ["__str__", "state", "progress_display", "summary", "created_by", "created_at"]
    list_filter = ["kind", "state"]
    readonly_fields = [
        "kind",
        "state",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "progress",
        "total",
        "summary",
    ]
    exclude = ["params", "results"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"))
    def progress_display(self, job: Job) -> str:
        return f"{job.progress} / {job.total}" if job.total else str(job.progress)
