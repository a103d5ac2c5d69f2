"""The language a command speaks: its terminal's.

A web page follows its reader's interface language; a command has no reader
but the person at the terminal, whose locale (LANGUAGE, LC_ALL, LC_MESSAGES,
LANG, as gettext reads them) names theirs. A terminal in another language
than the interface's three, or in the C/POSIX locale, gets English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.conf import settings


def terminal_language(environ: dict[str, str] | None = None) -> str:
    """The interface language of the terminal's locale, else "en".

    >>> terminal_language({"LANG": "fr_FR.UTF-8"}), terminal_language({"LANG": "C.UTF-8"})
    ('fr', 'en')
    >>> terminal_language({"LANGUAGE": "ar_MA:fr", "LANG": "en_US.UTF-8"})
    'ar'
    """
    variables: Mapping[str, str] = os.environ if environ is None else environ
    offered = dict(settings.LANGUAGES)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = variables.get(name, "")
        if not value:
            continue
        for locale in value.split(":"):
            code = locale.split(".")[0].split("_")[0].split("@")[0].lower()
            if code in offered:
                return code
        return "en"
    return "en"
