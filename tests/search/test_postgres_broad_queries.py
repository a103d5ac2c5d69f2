"""The PostgreSQL engine on result sets too large to rank and count in full:
estimated facet counts, relevance among title matches, and documents of an
older format rebuilt. Thresholds are lowered so a few articles are "broad"."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings

from archive.services import article_create
from search.engines.base import engine
from search.engines.postgres_documents import SAMPLE_BUCKETS
from search.index import index_check
from search.queries.query import parse_query
from tests.search.helpers import IndexedTestCase, postgres_engine_only

pytestmark = pytest.mark.search

ARTICLES = 48


@postgres_engine_only
class BroadQueryTests(IndexedTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.titled = []  # "frontière" in the title
        cls.others = []
        for n in range(ARTICLES):
            in_title = n % 4 == 0
            title = f"Réunion numéro {n}" + (" sur la frontière" if in_title else "")
            body = f"Séance {n} : les ministres ont parlé de la frontière. " + "Autre sujet. " * (
                n % 5
            )
            article = article_create(
                title=title,
                body=body,
                language="fr" if n % 3 else "ar",
                published_at=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            )
            (cls.titled if in_title else cls.others).append(article.pk)

    def page(self, **settings):
        with override_settings(**settings):
            return engine().search_page(
                parse_query("frontière").tree,
                sort=None,
                offset=0,
                limit=ARTICLES,
                facet_fields=("language", "year"),
            )

    def test_small_result_sets_are_counted_and_ranked_in_full(self):
        found = self.page()
        self.assertEqual(found.hits, ARTICLES)
        self.assertEqual(found.notes, ())
        self.assertEqual(dict(found.facets["language"]), {"fr": 32, "ar": 16})

    def test_counts_of_a_huge_result_set_are_estimated_and_said_so(self):
        found = self.page(ARCHIVE_SEARCH_EXACT_FACETS_MAX=10)
        self.assertIn("estimated", found.notes)
        self.assertEqual(found.hits % SAMPLE_BUCKETS, 0)
        self.assertLess(abs(found.hits - ARTICLES), ARTICLES)
        counts = [count for values in found.facets.values() for _, count in values]
        self.assertTrue(counts)
        self.assertTrue(all(count % SAMPLE_BUCKETS == 0 for count in counts))
        # An estimate, from the articles of one bucket: the same order of size.
        self.assertLess(abs(sum(dict(found.facets["language"]).values()) - ARTICLES), ARTICLES)

    def test_broad_queries_rank_title_matches_first_then_the_newest(self):
        found = self.page(ARCHIVE_SEARCH_RANK_ALL_MAX=20)
        self.assertIn("ranked_by_title", found.notes)
        ids = [pk for pk, _ in found.results]
        self.assertEqual(sorted(ids[: len(self.titled)]), sorted(self.titled))
        self.assertEqual(ids[len(self.titled) :], sorted(self.others, reverse=True))

    def test_pages_of_a_broad_query_hold_every_hit_once(self):
        with override_settings(ARCHIVE_SEARCH_RANK_ALL_MAX=20):
            tree = parse_query("frontière").tree
            seen = []
            for offset in range(0, ARTICLES, 5):  # pages straddling the two parts
                page = engine().search_page(
                    tree, sort=None, offset=offset, limit=5, facet_fields=()
                )
                seen += [pk for pk, _ in page.results]
        self.assertEqual(len(seen), ARTICLES)
        self.assertEqual(set(seen), {*self.titled, *self.others})

    def test_too_many_title_matches_come_newest_first(self):
        found = self.page(ARCHIVE_SEARCH_RANK_ALL_MAX=5)
        self.assertIn("ranked_newest", found.notes)
        ids = [pk for pk, _ in found.results]
        self.assertEqual(ids, sorted(self.titled, reverse=True) + sorted(self.others, reverse=True))

    def test_the_page_says_how_it_counted_and_ranked(self):
        with override_settings(ARCHIVE_SEARCH_EXACT_FACETS_MAX=10, ARCHIVE_SEARCH_RANK_ALL_MAX=20):
            response = self.client.get("/search/", {"q": "frontière"})
        self.assertContains(response, "estimations faites sur un échantillon")
        self.assertContains(response, '<p class="total">≈ ')
        self.assertContains(response, '<span class="count">≈')
        self.assertContains(response, "ceux dont le titre contient les mots")

    def test_title_queries_find_title_words_only(self):
        found = engine().search_page(
            parse_query("title:frontière").tree, sort=None, offset=0, limit=100, facet_fields=()
        )
        self.assertEqual(sorted(pk for pk, _ in found.results), sorted(self.titled))

    def test_documents_of_an_older_format_are_rebuilt(self):
        with connection.cursor() as cursor:
            cursor.execute("COMMENT ON TABLE search_searchdocument IS NULL")
        drift = index_check.check()
        self.assertEqual(drift.state, "schema")
        index_check.repair(drift)
        self.assertTrue(index_check.check().clean)
