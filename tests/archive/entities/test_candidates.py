import pytest
from django.core.management import call_command
from django.test import SimpleTestCase

from archive.entities.candidates import find_candidates
from archive.entities.services import build_linker
from archive.models import Article, CandidateStatus, Entity, EntityCandidate
from archive.services import article_create, articles_create_bulk
from tests.archive.entities.helpers import LinkedSeedsStaffTestCase

pytestmark = pytest.mark.search


class FindCandidatesTests(SimpleTestCase):
    def test_french_capitalised_names_without_sentence_starters(self):
        found = find_candidates(
            "Le ministre Gérald Darmanin a reçu M. Nasser Bourita.\nLa Police a parlé."
        )
        self.assertEqual(found, {("Gérald Darmanin", "fr"), ("Nasser Bourita", "fr")})

    def test_arabic_names_after_titles(self):
        found = find_candidates(
            "وأكد وزير الداخلية الإسباني فرناندو غراندي مارلاسكا في مدريد والرئيس"
        )
        self.assertEqual(found, {("فرناندو غراندي مارلاسكا", "ar")})


class CandidateReviewTests(LinkedSeedsStaffTestCase):
    def new_article(self, body: str) -> Article:
        with self.captureOnCommitCallbacks(execute=True):
            return article_create(title="Réunion", body=body, language="fr")

    def test_unknown_names_are_proposed_known_ones_are_not(self):
        self.new_article("M. Laftit a reçu à Rabat Mme Amina Bouayach et Gérald Darmanin.")
        names = set(EntityCandidate.objects.values_list("name", flat=True))
        self.assertEqual(
            names, {"Amina Bouayach"}
        )  # Laftit, Rabat and Darmanin are in the register
        self.new_article("Amina Bouayach a présenté son rapport annuel devant la presse.")
        self.assertEqual(EntityCandidate.objects.get(name="Amina Bouayach").article_count, 2)

    def test_a_bulk_import_counts_each_article_once_per_name(self):
        self.new_article("Amina Bouayach a présenté son rapport annuel devant la presse.")
        texts = [
            "Amina Bouayach et Gérald Darmanin à Rabat. Amina Bouayach a conclu.",
            "Mme Amina Bouayach a reçu Karim Tazi.",
            "Karim Tazi a visité Tanger.",
        ]
        created = articles_create_bulk(
            [Article(title="Import", body=text, language="fr") for text in texts],
            linker=build_linker(),
        )
        self.assertEqual(EntityCandidate.objects.get(name="Amina Bouayach").article_count, 3)
        self.assertEqual(EntityCandidate.objects.get(name="Karim Tazi").article_count, 2)
        self.assertIn(EntityCandidate.objects.get(name="Karim Tazi").example, created)
        # Names of the register became mentions, in the same statement's batch.
        self.assertTrue(created[0].mentions.filter(entity__slug="rabat").exists())

    def test_accepting_creates_the_entity_and_relinking_finds_it(self):
        article = self.new_article("Mme Amina Bouayach a présenté son rapport annuel.")
        candidate = EntityCandidate.objects.get(name="Amina Bouayach")
        response = self.client.post(
            "/admin/archive/entitycandidate/",
            {"action": "accept_as_people", "_selected_action": [candidate.pk]},
        )
        self.assertEqual(response.status_code, 302)
        entity = Entity.objects.get(name="Amina Bouayach")
        self.assertEqual(entity.kind, "person")
        candidate.refresh_from_db()
        self.assertEqual(candidate.status, CandidateStatus.ACCEPTED)
        with self.captureOnCommitCallbacks(execute=True):
            call_command("link_entities", "--all", verbosity=0)
        self.assertTrue(article.mentions.filter(entity=entity).exists())

    def test_rejected_names_are_remembered(self):
        self.new_article("La Cour Suprême a statué hier.")
        candidate = EntityCandidate.objects.get(name="Cour Suprême")
        self.client.post(
            "/admin/archive/entitycandidate/",
            {"action": "reject", "_selected_action": [candidate.pk]},
        )
        self.new_article("La Cour Suprême a de nouveau statué aujourd'hui.")
        candidate.refresh_from_db()
        self.assertEqual(candidate.status, CandidateStatus.REJECTED)
        self.assertFalse(Entity.objects.filter(name="Cour Suprême").exists())
        self.assertEqual(EntityCandidate.objects.filter(name="Cour Suprême").count(), 1)
