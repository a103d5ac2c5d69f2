"""Every interface string is translated into Arabic and French, and compiled."""

import gettext
from pathlib import Path

from django.test import SimpleTestCase

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def untranslated(po_path: Path) -> list[str]:
    """msgids whose msgstr (or any plural msgstr) is empty, parsed from a .po file."""
    missing, msgid, strings, field = [], None, [], None
    entries = []
    for line in [*po_path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            msgid, strings, field = line[6:].strip('"'), [], "id"
        elif line.startswith("msgstr"):
            strings.append(line.split(" ", 1)[1].strip('"'))
            field = "str"
        elif line.startswith('"') and field == "str":
            strings[-1] += line.strip('"')
        elif line.startswith('"') and field == "id":
            msgid += line.strip('"')
        elif not line.strip() and msgid is not None:
            entries.append((msgid, strings))
            msgid, field = None, None
    for msgid, strings in entries:
        if msgid and not all(strings):
            missing.append(msgid)
    return missing


class TranslationTests(SimpleTestCase):
    def test_arabic_and_french_catalogues_are_complete(self):
        for language in ("ar", "fr"):
            with self.subTest(language=language):
                po = LOCALE / language / "LC_MESSAGES" / "django.po"
                self.assertEqual(untranslated(po), [])

    def test_no_entry_is_fuzzy(self):
        # makemessages fills a new msgid with a near match marked fuzzy, which
        # compilemessages leaves out: the page would show English.
        for language in ("ar", "fr"):
            with self.subTest(language=language):
                po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
                header, entries = po.split("\n\n", 1)
                self.assertNotIn("fuzzy", entries)

    def test_compiled_catalogues_match_the_sources(self):
        for language in ("ar", "fr"):
            with self.subTest(language=language):
                directory = LOCALE / language / "LC_MESSAGES"
                catalogue = gettext.GNUTranslations((directory / "django.mo").open("rb"))
                po_text = (directory / "django.po").read_text(encoding="utf-8")
                for msgid in ("Browse the archive", "Unknown source", "not given by the page"):
                    self.assertIn(f'msgstr "{catalogue.gettext(msgid)}"', po_text)
