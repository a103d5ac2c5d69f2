"""A one-word query typed with an Arabic clitic letter (وتعزيز, بطنجة) also
finds the word written without it, through whichever engine the suite runs
with; a protected word (وزير) is never read without its first letter; لل
before a word that begins with ل (للاجئين = ل + اللاجئين) is read both
ways; a stem written with آل (آلية, آلاف) is not read as the article ال; a
hamza after a clitic letter (بأبها) marks the letter as a clitic."""

import re

import pytest

from archive.services import article_create
from search.language.analysis import word_readings
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


class HamzaStemTests(IndexedTestCase):
    """آلية folded is إليه (a stop word) and آلام folded looks like ال + أم:
    the article is never written آل, so the madda says where the stem begins."""

    @classmethod
    def setUpTestData(cls):
        cls.mechanism = article_create(
            title="وآلية التنسيق", body="اتفق البلدان على آلية جديدة لتنظيم الهجرة.", language="ar"
        )
        cls.thousands = article_create(
            title="بآلاف المهاجرين", body="وصل الآلاف إلى الشواطئ.", language="ar"
        )
        cls.pains = article_create(
            title="آلام المهاجرين", body="شهادات عن آلام الرحلة.", language="ar"
        )
        cls.mother = article_create(title="عيد الأم", body="احتفال بالأم في الرباط.", language="ar")
        cls.abha = article_create(
            title="مهرجان أبها يجمعنا", body="افتتح أمير عسير المهرجان.", language="ar"
        )

    def test_a_stem_written_with_madda_is_searchable_in_every_writing(self):
        for query in ("آلية", "الآلية", "وآلية", "بآلية"):
            with self.subTest(query):
                self.assertEqual(self.found(query), {self.mechanism.pk})
        self.assertEqual(self.found("آلاف"), {self.thousands.pk})

    def test_typed_without_the_madda_it_still_finds_the_word(self):
        self.assertEqual(self.found("الاف"), {self.thousands.pk})

    def test_typed_with_the_madda_it_is_not_another_word(self):
        self.assertEqual(self.found("آلام"), {self.pains.pk})
        # Folded, الأم is الام, which is also آلام typed without its madda.
        self.assertEqual(self.found("الأم"), {self.mother.pk, self.pains.pk})

    def test_a_hamza_after_a_clitic_letter_reads_the_letter_apart(self):
        self.assertEqual(self.found("بأبها"), {self.abha.pk})
        self.assertEqual(self.found("يجمعنا بأبها"), {self.abha.pk})
        # باب stays protected when written without the hamza.
        self.assertEqual(word_readings("بابها"), ("باب",))
