"""Arabizi queries (l7rig, 3ayla) are transliterated at query time into the
Arabic spellings the index holds, searched beside the word typed, and shown
like other expansions. Through the configured engine (CI runs both)."""

import pytest
from bs4 import BeautifulSoup
from django.test import SimpleTestCase

from archive.services import article_create
from search.analysis import analyze
from search.arabizi import arabizi_lookup, looks_like_arabizi, spellings
from search.query import parse_query
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
        parsed = parse_query("l7ogra Rabat", transliterate=transliterate)
        self.assertEqual(parsed.transliterations, (("l7ogra", ("الحكرة",)),))
        self.assertIn("text:الحكرة", str(parsed.tree))


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
