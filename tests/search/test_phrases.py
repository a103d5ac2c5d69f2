"""Phrases keep the positions of removed stop words: a phrase matches only
its words in order at their distances, through whichever engine the suite
runs with (CI runs Whoosh and PostgreSQL)."""

import pytest

from archive.services import article_create
from search.language.analysis import phrase
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


class PhraseTests(IndexedTestCase):
    @classmethod
    def setUpTestData(cls):
        def save(title, body, language="fr"):
            return article_create(title=title, body=body, language=language)

        cls.irregular = save(
            "Bilan annuel", "La lutte contre la migration irrégulière se poursuit."
        )
        cls.apart = save("Deux sujets", "Il parla de la migration et de l'irrégulière affluence.")
        cls.council = save("New York", "Le Conseil de sécurité de l'ONU a voté la résolution.")
        cls.without = save("Séance", "Le conseil sécurité routière de la ville s'est réuni.")
        cls.europe = save("عبور", "تتواصل الهجرة إلى أوروبا عبر المتوسط.", "ar")
        cls.reversed = save("تقرير", "أوروبا تشدد سياستها إزاء الهجرة من الجنوب.", "ar")

    def test_stop_words_between_the_words_of_a_text_break_a_phrase(self):
        self.assertEqual(self.found('"migration irrégulière"'), {self.irregular.pk})
        self.assertEqual(self.found("migration irrégulière"), {self.irregular.pk, self.apart.pk})

    def test_a_stop_word_inside_a_phrase_keeps_its_gap(self):
        self.assertEqual(self.found('"Conseil de sécurité"'), {self.council.pk})
        self.assertEqual(self.found('"conseil sécurité"'), {self.without.pk})
        self.assertEqual(self.found('"الهجرة إلى أوروبا"'), {self.europe.pk})

    def test_phrases_in_a_field_keep_their_gaps_too(self):
        self.assertEqual(self.found('title:"Bilan annuel"'), {self.irregular.pk})
        self.assertEqual(self.found('"Conseil de sécurité" lang:fr'), {self.council.pk})

    def test_the_gaps_asked_for(self):
        self.assertEqual(phrase("le Conseil de sécurité"), [(0, "conseil"), (2, "securit")])
        self.assertEqual(phrase("الهجرة إلى أوروبا"), [(0, "هجر"), (2, "اوروبا")])
