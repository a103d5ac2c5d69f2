import re

import pytest
from django.core.management import call_command

from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


def hit_ids(response) -> set[int]:
    return {hit["article"].pk for hit in response.context["hits"]}


class CrossScriptSearchTests(IndexedTestCase):
    fixtures = ["seed_articles", "seed_entities"]

    @classmethod
    def setUpTestData(cls):
        call_command("link_entities", "--all", verbosity=0)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()  # indexes after setUpTestData: mentions are in the index

    def test_latin_spelling_finds_the_arabic_articles(self):
        response = self.client.get("/search/", {"q": "Laftit"})
        self.assertEqual(hit_ids(response), {3, 4})  # both Arabic, neither writes "Laftit"
        self.assertContains(response, "Recherché aussi")
        self.assertContains(response, 'href="/entities/abdelouafi-laftit/"')
        marks = set(re.findall(r"<mark>(.*?)</mark>", response.content.decode()))
        self.assertIn("لفتيت", marks)

    def test_arabic_spelling_finds_the_french_article(self):
        self.assertIn(5, hit_ids(self.client.get("/search/", {"q": "خالد الزروالي"})))
        self.assertIn(5, hit_ids(self.client.get("/search/", {"q": '"خالد الزروالي"'})))

    def test_full_name_typed_without_quotes(self):
        self.assertEqual(hit_ids(self.client.get("/search/", {"q": "Abdelouafi Laftit"})), {3, 4})

    def test_literal_words_only(self):
        response = self.client.get("/search/", {"q": "Laftit", "literal": "1"})
        self.assertEqual(hit_ids(response), set())
        self.assertNotContains(response, "Recherché aussi")

    def test_expansion_combines_with_other_words(self):
        self.assertEqual(hit_ids(self.client.get("/search/", {"q": "Laftit إيطاليا"})), {4})


class EntityNamesInTheInterfaceLanguageTests(IndexedTestCase):
    fixtures = ["seed_articles", "seed_entities"]

    @classmethod
    def setUpTestData(cls):
        call_command("link_entities", "--all", verbosity=0)

    def arabic(self):
        self.client.post("/i18n/setlang/", {"language": "ar", "next": "/"})

    def test_facets_name_entities_in_the_interface_language(self):
        french = self.client.get("/search/", {"q": "Laftit"}).content.decode()
        self.assertIn("<bdi>Abdelouafi Laftit</bdi>", french)
        self.arabic()
        arabic = self.client.get("/search/", {"q": "Laftit"}).content.decode()
        self.assertIn("<bdi>عبد الوافي لفتيت</bdi>", arabic)  # its first Arabic name
        self.assertNotIn("<bdi>Abdelouafi Laftit</bdi>", arabic)

    def test_chips_and_entity_pages_too(self):
        self.arabic()
        self.assertContains(self.client.get("/articles/5/"), "<bdi>خالد الزروالي</bdi>")
        page = self.client.get("/entities/khalid-zerouali/")
        self.assertContains(page, "<h1><bdi>خالد الزروالي</bdi></h1>", html=True)
        self.client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
        page = self.client.get("/entities/khalid-zerouali/")
        self.assertContains(page, "<h1><bdi>Khalid Zerouali</bdi></h1>", html=True)
