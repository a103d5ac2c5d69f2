"""The interface language of the current request, for names and labels."""

from django.conf import settings
from django.utils.translation import get_language


def interface_language() -> str:
    """The interface's language code ("ar", "fr" or "en")."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]
