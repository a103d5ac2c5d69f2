"""Arabizi queries (l7rig, 3ayla) are transliterated at query time into the
Arabic spellings the index holds, searched beside the word typed, and shown
like other expansions. Through the configured engine (CI runs both)."""

import pytest
from bs4 import BeautifulSoup
from django.test import SimpleTestCase

from archive.services import article_create
from search.language.analysis import analyze
from search.queries.arabizi import arabizi_lookup, looks_like_arabizi, spellings, table
from search.queries.query import parse_query
from search.queries.widenings import standard
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


class TransliterationTests(SimpleTestCase):
    def test_arabizi_is_told_from_numbers_and_names(self):
        for word in ("l7rig", "3ayla", "9a2id", "ch3ab", "L7OGRA", "b9a"):
            with self.subTest(word):
                self.assertTrue(looks_like_arabizi(word))
        for word in ("covid19", "G7", "2M", "A380", "2023", "Maroc", "migration", "الحريك"):
            with self.subTest(word):
                self.assertFalse(looks_like_arabizi(word))

    def test_spellings_include_the_arabic_word(self):
        for word, arabic in [
            ("l7rig", "الحريك"),
            ("l7ogra", "الحكرة"),
            ("3ayla", "عايلة"),
            ("9a2id", "قائد"),
            ("7oukouma", "حكومة"),
            ("ch3ab", "شعب"),
            ("lmaghrib", "المغرب"),
        ]:
            with self.subTest(word):
                self.assertIn(arabic, spellings(word))

    def test_only_spellings_the_index_holds_are_kept(self):
        frequencies = {analyze("الحكرة")[0]: 12, analyze("الحكرا")[0]: 0}
        transliterate = arabizi_lookup(
            known=lambda stems: {stem: frequencies.get(stem, 0) for stem in stems}
        )
        self.assertEqual(transliterate("l7ogra"), ("الحكرة",))
        self.assertEqual(transliterate("Maroc"), ())
        parsed = parse_query("l7ogra Rabat", expanders=standard(transliterate=transliterate))
        self.assertEqual(parsed.transliterations, (("l7ogra", ("الحكرة",)),))
        self.assertIn("text:الحكرة", str(parsed.tree))


def index_holding(counts: dict[str, int]):
    """An index's document frequencies, as the engine gives them, for words."""
    frequencies = {analyze(word)[0]: n for word, n in counts.items()}
    return lambda stems: {stem: frequencies.get(stem, 0) for stem in stems}


class ReadingTests(SimpleTestCase):
    """Which reading is kept: the table's, else the likeliest the index holds."""

    def test_a_final_a_is_ta_marbuta_even_when_the_alef_reading_is_commoner(self):
        # l7egra is not in the table: the letter rule reads it.
        transliterate = arabizi_lookup(index_holding({"الحكرا": 50, "الحكرة": 1}))
        self.assertEqual(transliterate("l7egra"), ("الحكرة",))

    def test_the_alef_reading_serves_when_no_ta_marbuta_reading_is_held(self):
        transliterate = arabizi_lookup(index_holding({"الحكرا": 50}))
        self.assertEqual(transliterate("l7egra"), ("الحكرا",))

    def test_the_table_says_what_a_common_word_means(self):
        transliterate = arabizi_lookup(index_holding({"الحكرا": 50, "الحكرة": 1, "بزاف": 3}))
        for typed in ("l7ogra", "el7ogra", "L7OGRA", "al7ogra"):
            with self.subTest(typed):
                self.assertEqual(transliterate(typed), ("الحكرة",))
        self.assertEqual(transliterate("bzaf"), ("بزاف",))  # no digit, but a listed word
        # The letter rule alone would pick the commoner جمعة (Friday) for جامعة.
        transliterate = arabizi_lookup(index_holding({"الجمعة": 90, "الجامعة": 4}))
        self.assertEqual(transliterate("ljami3a"), ("الجامعة",))

    def test_a_listed_word_the_index_does_not_hold_is_not_read_otherwise(self):
        transliterate = arabizi_lookup(index_holding({"الحكرا": 50}))
        self.assertEqual(transliterate("l7ogra"), ())

    def test_every_table_row_is_well_formed(self):
        for latin, forms in table().items():
            with self.subTest(latin):
                self.assertRegex(latin, r"^[a-z0-9]+$")
                for form in forms:
                    self.assertRegex(form, r"^[\u0621-\u064a\u06af\u06a9]+$")
                    self.assertEqual(len(analyze(form)), 1, form)


class ArabiziSearchTests(IndexedTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hogra = article_create(
            title="احتجاج", body="خرج الشباب للاحتجاج على الحكرة في الحي.", language="ar"
        )
        cls.other = article_create(title="Rabat", body="Le budget a été voté.", language="fr")

    def test_an_arabizi_query_finds_the_arabic_article_and_says_so(self):
        response = self.client.get("/search/", {"q": "l7ogra"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual([hit["article"].pk for hit in response.context["hits"]], [self.hogra.pk])
        page = BeautifulSoup(response.content, "html.parser")
        also = page.select_one(".also-searched")
        self.assertIn("الحكرة", also.get_text())
        self.assertIn("l7ogra", also.get_text())
        self.assertIn("الحكرة", {mark.get_text() for mark in page.select("mark")})

    def test_the_literal_search_does_not_transliterate(self):
        response = self.client.get("/search/", {"q": "l7ogra", "literal": "1"})
        self.assertEqual(list(response.context["hits"]), [])


class HograSearchTests(IndexedTestCase):
    """l7ogra, as a Moroccan reader means it: الحكرة / الحگرة, not حكرًا
    ("exclusively"), however many articles say that."""

    @classmethod
    def setUpTestData(cls):
        cls.hogra = article_create(
            title="شباب الحي يحتجون",
            body="خرج شباب الحي يحتجون على الحگرة والتهميش أمام مقر العمالة.",
            language="ar",
        )
        cls.exclusive = [
            article_create(
                title=f"برنامج جديد {n}",
                body=f"تعرض القناة حكرًا البرنامج الجديد {n} ابتداء من الأسبوع المقبل.",
                language="ar",
            )
            for n in range(3)
        ]

    def test_l7ogra_finds_hogra_only(self):
        response = self.client.get("/search/", {"q": "l7ogra"})
        self.assertEqual([hit["article"].pk for hit in response.context["hits"]], [self.hogra.pk])
        also = BeautifulSoup(response.content, "html.parser").select_one(".also-searched")
        self.assertIn("الحكرة", also.get_text())
        self.assertNotIn("الحكرا", also.get_text().replace("الحكرة", ""))
