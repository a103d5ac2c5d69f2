"""The search page's parameters. Every value is optional and a bad one is
reported on the page and ignored, never an error page."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import Language
from search.queries import widenings
from search.queries.query import parse_query
from search.selectors import SORTS, SearchCriteria

_SLUG = re.compile(r"^[\w-]+$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class PartialDateField(forms.CharField):
    """YYYY, YYYY-MM or YYYY-MM-DD; `end=True` reads a partial date as its last day."""

    def __init__(self, *, end: bool = False, **kwargs):
        self.end = end
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = _PARTIAL_DATE.match(value)
        if not match:
            raise forms.ValidationError(
                _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."), code="invalid"
            )
        year = int(match.group(1))
        month, day = (int(part) if part else None for part in match.groups()[1:])
        try:
            if month is None:
                return datetime.date(year, 12, 31) if self.end else datetime.date(year, 1, 1)
            if day is None:
                if not self.end:
                    return datetime.date(year, month, 1)
                following = datetime.date(year + month // 12, month % 12 + 1, 1)
                return following - datetime.timedelta(days=1)
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(_("This date does not exist."), code="invalid") from None


class SlugValueField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value).strip().lower()
        if value and not _SLUG.match(value):
            raise forms.ValidationError(_("Unknown value."), code="invalid")
        return value or None


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    lang = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All languages")), *Language.choices], required=False
    )
    source = SlugValueField(label=_("Source"), required=False, max_length=200)
    entity = SlugValueField(label=_("Entity"), required=False, max_length=300)
    year = forms.RegexField(label=_("Year"), regex=r"^\d{4}$", required=False)
    literal = forms.BooleanField(
        label=_("Only the words typed"),
        required=False,
        help_text=_(
            "Do not widen entity names to their other spellings, thesaurus terms to "
            "their other languages, nor Arabizi to Arabic letters, nor read a first "
            "letter as a conjunction or preposition when nothing is found."
        ),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("relevance", _("relevance")),
            ("newest", _("newest first")),
            ("oldest", _("oldest first")),
        ],
        required=False,
        # static/js/archive.js applies a new order at once.
        widget=forms.Select(attrs={"data-submit-on-change": ""}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are Python keywords, so these two are added by name.
        self.fields["from"] = PartialDateField(label=_("From"), required=False)
        self.fields["to"] = PartialDateField(label=_("To"), required=False, end=True)

    def criteria(self) -> SearchCriteria:
        """The valid parameters as search criteria (invalid ones dropped)."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        sort = data["sort"] if data["sort"] in SORTS else "relevance"
        return SearchCriteria(
            query=parse_query(
                data["q"],
                expanders=() if data["literal"] else widenings.of_the_archive(),
                fallback=() if data["literal"] else widenings.FALLBACK,
            ),
            language=data["lang"] or None,
            source=data["source"],
            entity=data["entity"],
            year=data["year"] or None,
            date_from=data["from"],
            date_to=data["to"],
            sort=sort,
        )
