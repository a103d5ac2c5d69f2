"""Mixed-direction text in lists: each item isolated in its own <bdi>, so
that Arabic and Latin names side by side keep their order and their
punctuation in either interface direction (a single <bdi> around a joined
list lets the first name's direction reorder the commas of the others)."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from archive.interface import interface_language

register = template.Library()

# The list separator of each interface language (Arabic has its own comma).
SEPARATORS = {"ar": "، "}


@register.filter
def bidi_list(items: Iterable[str]) -> SafeString:
    """`{{ names|bidi_list }}` -> <bdi>a</bdi>, <bdi>b</bdi> (escaped)."""
    separator = SEPARATORS.get(interface_language(), ", ")
    return format_html_join(separator, "<bdi>{}</bdi>", ((item,) for item in items))


@register.simple_tag
def comma() -> str:
    """The interface language's comma and space ("، " in Arabic)."""
    return SEPARATORS.get(interface_language(), ", ")


@register.filter
def bidi(text: str) -> SafeString:
    """`{{ name|bidi }}` -> <bdi>name</bdi> (escaped)."""
    return format_html("<bdi>{}</bdi>", text)


@register.filter
def bidi_parts(text: str, separator: str = " · ") -> SafeString:
    """`{{ description|bidi_parts }}`: a text written in both scripts, its
    parts joined by " · " ("Roi du Maroc. · ملك المغرب."), each part isolated."""
    return format_html_join(separator, "<bdi>{}</bdi>", ((part,) for part in text.split(separator)))
