"""Wire copies on the pages: one row per group in search results, the other
versions on the article page, the group in exports (both engines)."""

import csv
import datetime
import io

import pytest
from django.test import override_settings

from archive.services import article_create
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search

DISPATCH = (
    "Rabat, 12 mai (MAP) – Les autorités ont intercepté au large de Tarfaya une embarcation "
    "transportant cinquante-deux migrants qui tentaient de rejoindre les îles Canaries.\n"
    "Les passagers ont été conduits au port de Tarfaya où ils ont reçu les premiers soins, "
    "selon une source de la Marine royale.\n"
    "Une enquête a été ouverte pour identifier le réseau de passeurs impliqué dans "
    "l'organisation de cette traversée, a précisé la même source."
)


class WireGroupPagesTests(IndexedTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first = article_create(
            title="Tarfaya : 52 migrants interceptés", body=DISPATCH, language="fr"
        )
        cls.copy = article_create(
            title="Canaries : une embarcation arrêtée au large de Tarfaya",
            body="Lire aussi : la route atlantique\n" + DISPATCH + "\nSuivez-nous.",
            language="fr",
        )
        cls.other = article_create(
            title="Tarfaya accueille un festival",
            body="La ville de Tarfaya accueille ce week-end un festival de musique et de poésie "
            "dans le vieux port, avec des artistes venus de tout le pays.",
            language="fr",
        )

    def test_search_shows_one_row_per_dispatch_with_its_other_versions(self):
        response = self.client.get("/search/", {"q": "Tarfaya"})
        self.assertEqual(response.context["page_obj"].hits, 3)  # totals count articles
        rows = response.context["hits"]
        self.assertEqual(len(rows), 2)
        grouped = next(row for row in rows if row["versions"])
        self.assertEqual(
            {grouped["article"].pk, grouped["versions"][0].pk}, {self.first.pk, self.copy.pk}
        )
        self.assertContains(response, "et 1 autre version")

    def test_article_page_lists_the_other_versions(self):
        response = self.client.get(self.first.get_absolute_url())
        self.assertContains(response, "Autres versions de cette dépêche")
        self.assertContains(response, f'href="{self.copy.get_absolute_url()}"')
        self.assertNotContains(
            self.client.get(self.other.get_absolute_url()), "Autres versions de cette dépêche"
        )

    def test_exports_keep_every_article_with_its_group(self):
        response = self.client.get("/search/export.csv", {"q": "Tarfaya"})
        rows = list(
            csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )
        self.assertEqual(len(rows), 3)
        groups = {int(row["id"]): row["group"] for row in rows}
        self.assertEqual(groups[self.first.pk], groups[self.copy.pk])
        self.assertNotEqual(groups[self.other.pk], groups[self.first.pk])


@override_settings(ARCHIVE_PAGE_SIZE=2)
class WireGroupsAcrossPagesTests(IndexedTestCase):
    """A copy ranked on page 2 of a dispatch shown on page 1 is not shown again."""

    @classmethod
    def setUpTestData(cls):
        # Oldest first: the dispatch, two other articles, then the copy.
        cls.first = article_create(
            title="Tarfaya : 52 migrants interceptés",
            body=DISPATCH,
            language="fr",
            published_at=datetime.date(2024, 5, 1),
        )
        texts = [
            "La saison de pêche s'ouvre à Tarfaya : les chalutiers du port reprennent la mer "
            "après deux mois d'arrêt biologique, et les mareyeurs attendent de bons prix.",
            "Tarfaya inaugure un musée consacré à l'Aéropostale et à Antoine de Saint-Exupéry, "
            "qui dirigea l'escale de Cap Juby à la fin des années 1920.",
        ]
        cls.others = [
            article_create(
                title=f"Tarfaya, chronique {n}",
                body=text,
                language="fr",
                published_at=datetime.date(2024, 5, 1 + n),
            )
            for n, text in enumerate(texts, start=1)
        ]
        cls.copy = article_create(
            title="Canaries : une embarcation arrêtée au large de Tarfaya",
            body="Lire aussi : la route atlantique\n" + DISPATCH,
            language="fr",
            published_at=datetime.date(2024, 5, 9),
        )

    def test_a_group_shown_on_an_earlier_page_is_not_shown_again(self):
        first_page = self.client.get("/search/", {"q": "Tarfaya", "sort": "oldest"})
        self.assertEqual(
            [row["article"].pk for row in first_page.context["hits"]],
            [self.first.pk, self.others[0].pk],
        )
        self.assertEqual(first_page.context["hits"][0]["versions"], [self.copy])
        second_page = self.client.get("/search/", {"q": "Tarfaya", "sort": "oldest", "page": 2})
        self.assertEqual(
            [row["article"].pk for row in second_page.context["hits"]], [self.others[1].pk]
        )
        self.assertEqual(second_page.context["page_obj"].hits, 4)  # totals count articles
