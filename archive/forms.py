from django import forms
from django.utils.translation import gettext_lazy as _

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
