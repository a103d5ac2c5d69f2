"""French inflections Snowball stems apart (search/language/data/french_inflections.tsv):
a singular finds its plural and feminine forms and back, at indexing and
query time, through whichever engine the suite runs with; the words the
review left out, and words Snowball merely stems alike, stay apart."""

import pytest
from django.test import SimpleTestCase

from archive.services import article_create
from search.language.analysis import FRENCH_STEMS
from tests.search.helpers import IndexedTestCase, assert_pairs

# (query, written): must meet both ways.
MERGED = [
    ("euro", "euros"),
    ("loi", "les lois"),
    ("emploi", "emplois"),
    ("photo", "photos"),
    ("vidéo", "vidéos"),
    ("détenu", "détenues"),
    ("détenus", "détenue"),
    ("étranger", "étrangères"),
    ("étrangers", "étranger"),
    ("danger", "dangers"),
    ("conflit", "conflits"),
    ("passager", "passagers"),
    ("lieu", "lieux"),
    ("enjeu", "enjeux"),
    ("leader", "leaders"),
    ("petit", "petites"),
    ("élu", "élues"),
    ("annexion", "annexions"),
]

# (query, written, why): never meet.
APART = [
    ("Paris", "pari", "the capital is not a bet"),
    ("fois", "foi", "times are not faith"),
    ("abus", "Abu", "abuse is not Abu (Dhabi)"),
    ("crois", "croix", "believe is not a cross"),
    ("revue", "revus", "a magazine is not 'seen again'"),
    ("étrangers", "étrange", "foreigners are not strange"),
    ("passagers", "passage", "passengers are not a passage"),
    ("conseillers", "conseil", "advisers are not a council"),
]


class TableTests(SimpleTestCase):
    def test_forms_meet_both_ways_and_look_alikes_stay_apart(self):
        assert_pairs(self, MERGED, APART)

    def test_every_stem_keeps_at_least_three_letters(self):
        for form, stem in FRENCH_STEMS.items():
            with self.subTest(form=form):
                self.assertGreaterEqual(len(stem), 3)


@pytest.mark.search
class FrenchInflectionSearchTests(IndexedTestCase):
    """Through the configured engine (the CI runs Whoosh and PostgreSQL)."""

    @classmethod
    def setUpTestData(cls):
        cls.detainees = article_create(
            title="Grève de la faim des détenues étrangères",
            body="Les détenues réclament des visites. Coût: 300 euros par mois.",
            language="fr",
        )
        cls.detainee = article_create(
            title="Un détenu libéré",
            body="Le détenu, un étranger, a payé une caution d'un euro symbolique.",
            language="fr",
        )
        cls.strange = article_create(
            title="Une étrange affaire à Paris",
            body="Un pari étrange sur le match.",
            language="fr",
        )

    def test_one_form_finds_the_others(self):
        both = {self.detainees.pk, self.detainee.pk}
        self.assertEqual(self.found("détenus"), both)
        self.assertEqual(self.found("detenue"), both)
        self.assertEqual(self.found("euros"), both)
        self.assertEqual(self.found("étrangers"), both)

    def test_look_alikes_are_not_found(self):
        self.assertEqual(self.found("étrange"), {self.strange.pk})
        self.assertEqual(self.found("Paris"), {self.strange.pk})
        self.assertEqual(self.found("pari"), {self.strange.pk})
