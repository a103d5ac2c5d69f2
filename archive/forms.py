from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from archive.ingest.documents import IngestDefaults
from archive.ingest.files import Upload
from archive.models import Language, Source


class BrowseFilterForm(forms.Form):
    """The browse page's filters. Invalid values are dropped, not errors:
    a stale bookmark still shows the archive."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *Language.choices],
        required=False,
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.all(),
        to_field_name="slug",
        empty_label=_("All sources"),
        required=False,
    )

    def filters(self) -> dict:
        """The valid filters as keyword arguments for selectors.article_browse."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "language": cleaned.get("language") or None,
            "source": cleaned.get("source"),
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".html,.htm,.txt,.zip"}))
        # An empty file is reported in the results, like any other bad file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    """Admin upload: pasted text and/or files, with defaults for what pages do not say."""

    text = forms.CharField(
        label=_("Pasted text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}),
        help_text=_(
            "The article as copied from the site; the first short line is taken as its title."
        ),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("One or more .html, .htm or .txt files, or a .zip of them."),
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.all(),
        required=False,
        help_text=_("Applies when a page does not name its outlet."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Detect automatically")), *Language.choices],
        required=False,
        help_text=_("Overrides detection for every document of this upload."),
    )
    author = forms.CharField(label=_("Author"), required=False, max_length=200)
    published_at = forms.DateField(label=_("Publication date"), required=False)
    url = forms.URLField(
        label=_("Original URL"), required=False, max_length=1000, assume_scheme="https"
    )

    def clean_files(self):
        # Each file is judged on its own by the ingest service (wrong type, empty,
        # too large: refused with a reason, the others still imported); only
        # the size of the whole upload is checked here.
        files = self.cleaned_data["files"]
        if sum(upload.size for upload in files) > settings.ARCHIVE_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The upload is larger than %(limit)s in all."),
                params={"limit": filesizeformat(settings.ARCHIVE_MAX_UPLOAD_BYTES)},
            )
        return files

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("files"):
            raise forms.ValidationError(_("Paste an article or choose files to upload."))
        return cleaned

    def defaults(self):
        """The form's defaults for documents that do not state them."""
        data = self.cleaned_data
        return IngestDefaults(
            source=data.get("source"),
            language=data.get("language") or None,
            author=data.get("author") or "",
            published_at=data.get("published_at"),
            url=data.get("url") or "",
        )

    def uploads(self):
        return [Upload(upload.name, upload.read()) for upload in self.cleaned_data["files"]]
