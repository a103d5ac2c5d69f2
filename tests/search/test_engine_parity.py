"""Both engines give the same answers: the same hits for the same queries,
and strongly overlapping top tens.

The same articles (the seeds and 20 corpus articles) are written to a Whoosh
index in a temporary directory and to the PostgreSQL engine's table, through
each engine's own write path, then searched through the engine interface.
"""

import tempfile
import unittest

import pytest
from django.db import connection

from archive.models import Article
from search.engines.base import NEWEST, OLDEST
from search.engines.postgres_engine import PostgresBackend
from search.engines.whoosh_engine import ArchiveWhooshBackend
from search.index import indexing
from search.queries.query import parse_query
from search.queries.widenings import standard
from search.query_tree import Keyword
from search.selectors import FACET_FIELDS
from tests.factories import EntityFactory, MentionFactory
from tests.search.helpers import IndexedTestCase, load_corpus_sample

pytestmark = pytest.mark.search

QUERIES = [
    "migration",
    "migrants",
    "الهجرة",
    "المغرب",
    "cannabis Maroc",
    '"résine de cannabis"',
    '"الهجرة غير النظامية"',
    "migr*",
    "مهاجر*",
    "Maroc -Espagne",
    "police OR الشرطة",
    "(Rabat OR Tanger) lang:fr",
    "title:Maroc",
    'author:"حميد الكمالي"',
    "الفيلالي",
    'title:"sept tonnes"',
    "lang:ar",
    "date:2023",
    "date:2016..2019",
    "date:2017-03-01..2018-06-30 Maroc",
    "NOT Maroc",
    "l'Intérieur",
    "Rabat-Paris",
    "de la le",  # only stop words: nothing to search
]


@unittest.skipUnless(
    connection.vendor == "postgresql", "the PostgreSQL engine needs DATABASE_URL on PostgreSQL"
)
class EngineParityTests(IndexedTestCase):
    fixtures = ["seed_articles"]

    @classmethod
    def setUpTestData(cls):
        load_corpus_sample()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.whoosh = ArchiveWhooshBackend("default", PATH=tempfile.mkdtemp(prefix="parity-"))
        cls.postgres = PostgresBackend("default")
        pks = list(Article.objects.values_list("pk", flat=True))
        for engine in (cls.whoosh, cls.postgres):
            engine.sync(indexing.article_index(), pks, indexing._load)
        cls.postgres.refresh_vocabulary()

    def both(self, tree, **options):
        return [
            engine.search_page(tree, facet_fields=FACET_FIELDS, **options)
            for engine in (self.whoosh, self.postgres)
        ]

    def test_the_same_hits_and_facets_for_every_query(self):
        for raw in QUERIES:
            tree = parse_query(raw).tree
            with self.subTest(query=raw):
                whoosh, postgres = self.both(tree, limit=100)
                self.assertEqual(whoosh.hits, postgres.hits)
                self.assertEqual(
                    sorted(pk for pk, _ in whoosh.results), sorted(pk for pk, _ in postgres.results)
                )
                self.assertEqual(whoosh.facets, postgres.facets)

    def test_entity_filters_and_expansions_find_the_same_articles(self):
        entity = EntityFactory(name="Frontière sud", slug="frontiere-sud")
        mentioned = Article.objects.filter(language="ar")[:2]
        for article in mentioned:
            MentionFactory(article=article, entity=entity)
        # A Whoosh index of its own: the shared one would outlive the rollback.
        own = ArchiveWhooshBackend("default", PATH=tempfile.mkdtemp(prefix="parity-"))
        everything = list(Article.objects.values_list("pk", flat=True))
        own.sync(indexing.article_index(), everything, indexing._load)
        self.postgres.sync(indexing.article_index(), [a.pk for a in mentioned], indexing._load)
        pks = [article.pk for article in mentioned]
        for tree in (
            parse_query(
                "cannabis", expanders=standard(entities=lambda words: "frontiere-sud")
            ).tree,
            Keyword("entities", "frontiere-sud"),
        ):
            with self.subTest(tree=str(tree)):
                postgres = self.postgres.search_page(tree, facet_fields=FACET_FIELDS, limit=100)
                whoosh = own.search_page(tree, facet_fields=FACET_FIELDS, limit=100)
                self.assertTrue(set(pks) <= {pk for pk, _ in whoosh.results})
                self.assertEqual(
                    {pk for pk, _ in whoosh.results}, {pk for pk, _ in postgres.results}
                )
                self.assertEqual(whoosh.facets, postgres.facets)

    def test_date_sorts_give_the_same_order(self):
        for sort in (NEWEST, OLDEST):
            with self.subTest(sort=sort):
                whoosh, postgres = self.both(parse_query("lang:fr OR lang:ar").tree, sort=sort)
                self.assertEqual(
                    [pk for pk, _ in whoosh.results], [pk for pk, _ in postgres.results]
                )

    def test_top_ten_overlap_strongly(self):
        overlaps = []
        for raw in ("Maroc", "المغرب", "police", "الهجرة", "migration OR الهجرة", "cannabis"):
            whoosh, postgres = self.both(parse_query(raw).tree, limit=10)
            if not whoosh.hits:
                continue
            top = {pk for pk, _ in whoosh.results}
            overlaps.append(len(top & {pk for pk, _ in postgres.results}) / len(top))
        self.assertGreaterEqual(len(overlaps), 4)
        self.assertGreaterEqual(sum(overlaps) / len(overlaps), 0.8, overlaps)

    def test_exports_see_the_same_hits_in_the_same_date_order(self):
        tree = parse_query("Maroc OR المغرب").tree
        hits = [
            engine.ordered_hits(tree, sort=NEWEST, limit=1000)
            for engine in (self.whoosh, self.postgres)
        ]
        self.assertEqual(hits[0].hits, hits[1].hits)
        self.assertEqual(hits[0].ids(0, len(hits[0])), hits[1].ids(0, len(hits[1])))

    def test_the_vocabulary_answers_alike(self):
        for term in ("migrat", "هجر", "maroc"):
            with self.subTest(term=term):
                self.assertEqual(
                    self.whoosh.term_frequency(term), self.postgres.term_frequency(term)
                )
                # The terms (Whoosh's counts include replaced documents until a merge).
                self.assertEqual(
                    sorted(word for word, _ in self.whoosh.similar_terms(term, 1)),
                    sorted(word for word, _ in self.postgres.similar_terms(term, 1)),
                )

    def test_related_articles_are_the_same(self):
        terms = ("migrat", "هجر", "maroc", "cannabi", "مغرب", "absent-term")
        self.assertEqual(self.whoosh.term_frequencies(terms), self.postgres.term_frequencies(terms))
        weights = {"migrat": 2.0, "هجر": 1.5, "cannabi": 3.0, "absent-term": 9.0}
        found = [engine.more_like(weights, limit=10) for engine in (self.whoosh, self.postgres)]
        self.assertTrue(found[0])
        self.assertEqual(found[0], found[1])
