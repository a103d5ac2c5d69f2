"""A one-word query typed with an Arabic clitic letter (وتعزيز, بطنجة) also
finds the word written without it, through whichever engine the suite runs
with; a protected word (وزير) is never read without its first letter; لل
before a word that begins with ل (للاجئين = ل + اللاجئين) is read both
ways."""

import re

import pytest

from archive.services import article_create
from search.analysis import word_readings
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


class CliticQueryTests(IndexedTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.plain = article_create(
            title="تعاون", body="اتفق البلدان على تعزيز التعاون الأمني في طنجة.", language="ar"
        )
        cls.minister = article_create(
            title="الوزير", body="استقبل الوزير نظيره الإسباني.", language="ar"
        )

    def test_a_clitic_letter_typed_still_finds_the_bare_word(self):
        self.assertEqual(self.found("وتعزيز"), {self.plain.pk})
        self.assertEqual(self.found("بطنجة"), {self.plain.pk})
        self.assertEqual(self.found("وتعزيز بطنجة"), {self.plain.pk})

    def test_a_word_whose_first_letter_is_radical_keeps_it(self):
        self.assertEqual(word_readings("وزير"), ("وزير",))
        self.assertEqual(self.found("زير"), set())
        self.assertEqual(self.found("وزير"), {self.minister.pk})


class LiBeforeLamTests(IndexedTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.camp = article_create(
            title="مخيم للاجئين", body="افتتح مخيم للاجئين قرب الحدود دعما للبنان.", language="ar"
        )
        cls.refugees = article_create(
            title="اللاجئون", body="عاد اللاجئين إلى لبنان بعد طلب اللجوء.", language="ar"
        )
        cls.migration = article_create(title="الهجرة", body="ندوة للهجرة في الرباط.", language="ar")

    def test_each_writing_finds_the_other(self):
        both = {self.camp.pk, self.refugees.pk}
        self.assertEqual(self.found("اللاجئين"), both)
        self.assertEqual(self.found("للاجئين"), both)
        self.assertEqual(self.found("لبنان"), both)
        self.assertEqual(self.found("الهجرة"), {self.migration.pk})
        self.assertEqual(self.found("للهجرة"), {self.migration.pk})

    def test_every_writing_is_highlighted(self):
        html = self.client.get("/search/", {"q": "للاجئين"}).content.decode()
        marked = set(re.findall(r"<mark>(.*?)</mark>", html))
        self.assertLessEqual({"للاجئين", "اللاجئين"}, marked)
