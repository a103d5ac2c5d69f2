"""The other language's coverage: pairing on the labelled sample (both
engines), what the article page shows, and what is never paired."""

import datetime

import pytest

from archive.services import article_create
from search.similar.coverage import coverage_scores, numbers
from search.similar.coverage_sample import judge, load_sample
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


class CoverageSampleTests(IndexedTestCase):
    fixtures = ["seed_entities"]

    @classmethod
    def setUpTestData(cls):
        cls.saved, cls.arabic = load_sample()

    def pairs(self, article):
        return [pk for pk, *_rest in coverage_scores(article)[:3]]

    def test_pairing_on_the_labelled_sample(self):
        result = judge(self.saved, self.arabic, self.pairs)
        # bench/coverage_bench.py prints the figures; asserted loosely here.
        self.assertGreaterEqual(result.precision, 0.8, result.wrong)
        self.assertGreaterEqual(result.recall, 0.7)

    def test_pairing_works_from_the_french_side_too(self):
        french = self.saved["orangesum-00342"]
        self.assertIn(self.saved["ar-cannabis-laayoune"].pk, self.pairs(french))

    def test_article_page_shows_the_coverage_in_the_other_language(self):
        arabic = self.saved["ar-cannabis-laayoune"]
        french = self.saved["orangesum-00342"]
        response = self.client.get(arabic.get_absolute_url())
        self.assertContains(response, "Couverture en français")
        self.assertContains(response, f'href="{french.get_absolute_url()}"')
        self.assertContains(response, "Direction générale de la Sûreté nationale")  # why
        response = self.client.get(french.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar")
        self.client.get("/language/ar/")
        response = self.client.get(french.get_absolute_url())
        self.assertContains(response, "التغطية بالعربية")
        self.assertContains(
            response, "المديرية العامة للأمن الوطني"
        )  # named in the interface's script

    def test_a_hard_negative_gets_no_coverage(self):
        """The same day and entities as a French article, another event."""
        response = self.client.get(self.saved["ar-neg-tangier-cannabis"].get_absolute_url())
        self.assertNotContains(response, "Couverture en français")


class NeverPairedTests(IndexedTestCase):
    fixtures = ["seed_entities"]

    @classmethod
    def setUpTestData(cls):
        body = (
            "Le ministre Abdelouafi Laftit a reçu à Rabat son homologue Gérald Darmanin : "
            "1 250 migrants ont été secourus au large de Nador et 47 passeurs arrêtés."
        )
        cls.french = article_create(
            title="Laftit et Darmanin à Rabat",
            body=body,
            language="fr",
            published_at=datetime.date(2024, 3, 4),
        )
        arabic_body = (
            "استقبل عبد الوافي لفتيت بالرباط نظيره جيرالد دارمانان، وتم إنقاذ 1250 مهاجرا "
            "قبالة الناظور وتوقيف 47 مهربا."
        )
        cls.undated = article_create(
            title="لفتيت ودارمانان بالرباط", body=arabic_body, language="ar"
        )
        cls.late = article_create(
            title="لفتيت ودارمانان بالرباط مجددا",
            body=arabic_body + " اجتماع ثان.",
            language="ar",
            published_at=datetime.date(2024, 3, 20),
        )
        cls.same_day = article_create(
            title="لقاء لفتيت ودارمانان",
            body=arabic_body + " لقاء.",
            language="ar",
            published_at=datetime.date(2024, 3, 5),
        )

    def test_paired_within_the_window(self):
        self.assertEqual([pk for pk, *_ in coverage_scores(self.same_day)], [self.french.pk])

    def test_undated_and_far_apart_articles_are_never_paired(self):
        self.assertEqual(coverage_scores(self.undated), [])
        self.assertEqual(coverage_scores(self.late), [])
        paired = [pk for pk, *_ in coverage_scores(self.french)]
        self.assertEqual(paired, [self.same_day.pk])

    def test_numbers_are_read_alike_in_both_scripts(self):
        self.assertEqual(numbers("١٢٥٠ مهاجرا و47"), {"1250", "47"})
        self.assertEqual(numbers("1 250 migrants, 1.250 ou 1,250"), {"1250"})
        self.assertEqual(numbers("le 5 mai"), set())


class RelatedInBothLanguagesTests(IndexedTestCase):
    fixtures = ["seed_entities"]

    @classmethod
    def setUpTestData(cls):
        cls.arabic = article_create(
            title="بوريطة يستقبل نظيره الإسباني بالرباط",
            body="استقبل ناصر بوريطة بالرباط وزير الخارجية الإسباني لبحث ملف الهجرة ومليلية، "
            "بعد إنقاذ 1250 مهاجرا و47 قاصرا.",
            language="ar",
            published_at=datetime.date(2023, 1, 10),
        )
        cls.french_months_later = article_create(
            title="Nasser Bourita à Madrid",
            body="Nasser Bourita a évoqué à Madrid la coopération migratoire et Melilla.",
            language="fr",
            published_at=datetime.date(2023, 6, 1),
        )
        cls.french_numbers_only = article_create(
            title="Un festival de cinéma",
            body="Le festival a projeté 1250 films et reçu 47 invités.",
            language="fr",
            published_at=datetime.date(2023, 2, 1),
        )
        cls.french_unrelated = article_create(
            title="Festival à Marrakech",
            body="Marrakech accueille un festival de musique.",
            language="fr",
            published_at=datetime.date(2023, 1, 10),
        )

    def test_related_articles_include_the_other_language(self):
        response = self.client.get(self.arabic.get_absolute_url())
        related = response.content.decode().split('id="related-heading"')[1]
        self.assertIn(self.french_months_later.get_absolute_url(), related)
        self.assertNotIn(self.french_unrelated.get_absolute_url(), related)
        # Numbers alone do not relate stories published apart.
        self.assertNotIn(self.french_numbers_only.get_absolute_url(), related)
        # Months apart: related, not the same event.
        self.assertNotContains(response, "Couverture en français")
