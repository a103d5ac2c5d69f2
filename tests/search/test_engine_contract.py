"""The engine contract's conformance suite: every member that
`search.engines.base.SearchEngine` declares, exercised on the configured
engine and held to what its docstring promises.

CI runs it once per engine (Whoosh on SQLite and on PostgreSQL, the
PostgreSQL engine): a new engine is done when it implements the contract
(mypy checks the members exist) and passes this suite (it checks they keep
their promises). Expected answers come from the database, never from the
engine under test.
"""

from __future__ import annotations

import datetime
import math

import pytest

from archive.models import Article
from search.engines.base import NEWEST, OLDEST, SearchEngine, engine
from search.index import indexing
from search.language.analysis import index_terms
from search.query_tree import And, Keyword, Not, Or, Term, Word
from search.selectors import FACET_FIELDS
from tests.search.helpers import IndexedTestCase, load_corpus_sample

pytestmark = pytest.mark.search

BIG = 10_000  # a limit above every result count here


def load(pks):
    return indexing.article_index().index_queryset().filter(pk__in=list(pks))


def term(word: str) -> str:
    """The index term the analyzer writes for a word."""
    return index_terms(word)[0]


def holding(search: SearchEngine, index_term: str) -> set[int]:
    page = search.search_page(Term(index_term), sort=None, offset=0, limit=BIG, facet_fields=())
    return {pk for pk, _ in page.results}


class ContractTestCase(IndexedTestCase):
    fixtures = ["seed_articles"]

    @classmethod
    def setUpTestData(cls):
        load_corpus_sample()

    def setUp(self):
        super().setUp()
        self.search = engine()
        self.search.refresh_vocabulary()

    def page(self, tree, sort=None, offset=0, limit=BIG, **options):
        return self.search.search_page(
            tree, sort=sort, offset=offset, limit=limit, facet_fields=FACET_FIELDS, **options
        )

    def ids(self, tree, sort=None) -> list[int]:
        return [pk for pk, _ in self.page(tree, sort=sort).results]


class EngineReadsContract(ContractTestCase):
    def test_a_page_has_its_hits_total_and_facets(self):
        found = self.page(Word("Maroc"))
        ids = [pk for pk, _ in found.results]
        self.assertEqual(found.hits, len(ids))
        self.assertEqual(len(ids), len(set(ids)))
        self.assertGreaterEqual(len(ids), 3)
        literal = set(
            Article.objects.filter(body__icontains=" Maroc ").values_list("pk", flat=True)
        )
        self.assertLessEqual(literal, set(ids))  # every article with the word as written
        languages = dict(found.facets["language"])
        self.assertEqual(sum(languages.values()), found.hits)
        by_language = {
            code: Article.objects.filter(pk__in=ids, language=code).count() for code in languages
        }
        self.assertEqual(languages, by_language)
        counts = [count for _value, count in found.facets["language"]]
        self.assertEqual(counts, sorted(counts, reverse=True))  # most first
        for field in FACET_FIELDS:
            self.assertIn(field, found.facets)

    def test_relevance_scores_run_downwards(self):
        scores = [score for _, score in self.page(Word("Maroc")).results]
        self.assertTrue(all(score is not None for score in scores))
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_pages_are_slices_of_one_order(self):
        for sort in (None, NEWEST, OLDEST):
            with self.subTest(sort=sort):
                whole = self.ids(Word("Maroc"), sort=sort)
                pages = []
                for offset in range(0, len(whole), 3):
                    page = self.page(Word("Maroc"), sort=sort, offset=offset, limit=3)
                    self.assertEqual(page.hits, len(whole))
                    pages += [pk for pk, _ in page.results]
                self.assertEqual(pages, whole)

    def test_date_sorts_break_ties_by_id_and_put_undated_last(self):
        everything = Or((Keyword("language", "fr"), Keyword("language", "ar")))
        dates = dict(Article.objects.values_list("pk", "published_at"))
        for sort, backwards in ((NEWEST, True), (OLDEST, False)):
            with self.subTest(sort=sort):
                ids = self.ids(everything, sort=sort)
                self.assertEqual(set(ids), set(dates))
                dated = [pk for pk in ids if dates[pk] is not None]
                self.assertEqual(ids[: len(dated)], dated, "undated articles come last")
                keys = [(dates[pk], pk) for pk in dated]
                self.assertEqual(keys, sorted(keys, reverse=backwards))

    def test_filters_and_negation(self):
        french = set(self.ids(And((Word("Maroc"), Keyword("language", "fr")))))
        self.assertTrue(french)
        self.assertEqual(
            set(Article.objects.filter(pk__in=french).values_list("language", flat=True)), {"fr"}
        )
        without = set(self.ids(And((Word("Maroc"), Not(Keyword("language", "fr"))))))
        self.assertEqual(french & without, set())
        self.assertEqual(french | without, set(self.ids(Word("Maroc"))))

    def test_rankings_within_a_field(self):
        found = self.page(Word("Maroc"), limit=2, rank_within="language")
        self.assertIsNotNone(found.rankings)
        assert found.rankings is not None
        whole = self.ids(Word("Maroc"))
        for code, ranked in found.rankings.items():
            ids = [pk for pk, _ in ranked]
            self.assertLessEqual(len(ids), 2)
            same_language = [pk for pk in whole if Article.objects.get(pk=pk).language == code]
            self.assertEqual(set(ids), set(same_language[: len(ids)]) | set(ids))
            self.assertTrue(set(ids) <= set(same_language))

    def test_ordered_hits_are_the_pages_order(self):
        for sort in (None, NEWEST):
            with self.subTest(sort=sort):
                hits = self.search.ordered_hits(Word("Maroc"), sort=sort, limit=BIG)
                whole = self.page(Word("Maroc"), sort=sort)
                self.assertEqual(hits.hits, whole.hits)
                self.assertEqual(len(hits), whole.hits)
                self.assertEqual(
                    [pk for pk, _ in hits.ids(0, len(hits))], self.ids(Word("Maroc"), sort)
                )
                self.assertEqual(hits.ids(2, 4), hits.ids(0, len(hits))[2:4])
                updated = hits.updated_at()
                self.assertTrue(updated is None or isinstance(updated, float))
                if sort is not None:
                    self.assertTrue(all(score is None for _, score in hits.ids(0, len(hits))))
        capped = self.search.ordered_hits(Word("Maroc"), sort=None, limit=2)
        self.assertEqual(len(capped), 2)
        self.assertGreater(capped.hits, 2)  # the total counts every match

    def test_term_counts(self):
        maroc, cannabis = term("Maroc"), term("cannabis")
        self.assertEqual(self.search.term_frequency(maroc), len(holding(self.search, maroc)))
        self.assertEqual(self.search.term_frequency("zzqqxyzzy"), 0)
        frequencies = self.search.term_frequencies([maroc, cannabis, "zzqqxyzzy"])
        self.assertEqual(
            frequencies,
            {
                maroc: len(holding(self.search, maroc)),
                cannabis: len(holding(self.search, cannabis)),
                "zzqqxyzzy": 0,
            },
        )
        self.assertEqual(self.search.document_count(), Article.objects.count())

    def test_similar_terms_and_an_example_article(self):
        cannabis = term("cannabis")
        typo = cannabis[:-1] + ("x" if cannabis[-1] != "x" else "y")
        similar = dict(self.search.similar_terms(typo, 1))
        self.assertEqual(similar.get(cannabis), len(holding(self.search, cannabis)))
        self.assertTrue(all(word[:2] == typo[:2] for word in similar))
        self.assertIn(self.search.example_article(cannabis), holding(self.search, cannabis))
        self.assertIsNone(self.search.example_article("zzqqxyzzy"))

    def test_more_like_sums_the_weights_of_the_terms_held(self):
        weights = {term("cannabis"): 2.0, term("Maroc"): 1.0, term("police"): 0.5}
        held = {word: holding(self.search, word) for word in weights}
        found = self.search.more_like(weights, limit=5)
        self.assertEqual(len(found), 5)
        for pk, score in found:
            expected = sum(weight for word, weight in weights.items() if pk in held[word])
            self.assertTrue(math.isclose(score, expected), (pk, score, expected))
        keys = [(-score, -pk) for pk, score in found]
        self.assertEqual(keys, sorted(keys))  # best first; equal scores, newest id first
        best = max(
            sum(weight for word, weight in weights.items() if pk in held[word])
            for pk in set().union(*held.values())
        )
        self.assertTrue(math.isclose(found[0][1], best))


class EngineWritesContract(ContractTestCase):
    reindex_each_test = True

    def new_article(self, word: str) -> Article:
        return Article.objects.create(
            title=f"Essai {word}",
            body=f"Un article d'essai sur le {word} au Maroc.",
            language="fr",
            published_at=datetime.date(2024, 5, 1),
        )

    def test_the_declared_flags(self):
        self.assertIsInstance(self.search.transactional, bool)
        self.assertIsInstance(self.search.created, bool)

    def test_sync_writes_and_deletes_documents(self):
        article = self.new_article("xylophone")
        self.assertEqual(self.search.sync(indexing.article_index(), [article.pk], load), 1)
        self.assertEqual(self.ids(Word("xylophone")), [article.pk])
        self.assertEqual(self.search.missing_ids([article.pk, 10**9]), [10**9])
        article.title = "Essai du vibraphone"
        Article.objects.filter(pk=article.pk).update(title=article.title)
        self.search.sync(indexing.article_index(), [article.pk], load, merge=False)
        self.assertEqual(self.ids(Word("vibraphone")), [article.pk])
        Article.objects.filter(pk=article.pk).delete()
        self.assertEqual(self.search.sync(indexing.article_index(), [article.pk], load), 0)
        self.assertEqual(self.ids(Word("xylophone")), [])
        self.assertEqual(self.search.missing_ids([article.pk]), [article.pk])

    def test_merges_and_the_vocabulary_follow_bulk_writes(self):
        article = self.new_article("marimbaphone")
        self.search.sync(indexing.article_index(), [article.pk], load, merge=False)
        self.search.merge_segments()
        self.search.refresh_vocabulary()
        word = term("marimbaphone")
        self.assertEqual(self.search.term_frequency(word), 1)
        self.assertIn(word, dict(self.search.similar_terms(word[:-1] + "x", 1)))
        self.assertEqual(self.ids(Word("marimbaphone")), [article.pk])

    def test_ordered_hits_outlive_changes_of_the_index(self):
        """An export reads its rows from the index version that found them,
        however the index changes meanwhile (writes, merges, other reads)."""
        hits = self.search.ordered_hits(Word("Maroc"), sort=NEWEST, limit=BIG)
        before = hits.ids(0, 3)
        for n in range(3):
            article = self.new_article(f"tambour{n}")
            self.search.sync(indexing.article_index(), [article.pk], load, merge=False)
            self.page(Word("Maroc"))  # this thread reads the new version
        self.search.merge_segments()
        self.search.forget()
        self.page(Word("Maroc"))
        self.assertEqual(hits.ids(0, 3), before)
        self.assertEqual(len(hits.ids(0, len(hits))), len(hits))

    def test_clear_removes_every_document(self):
        self.search.clear()
        self.assertEqual(self.search.document_count(), 0)
        self.assertEqual(self.page(Word("Maroc")).hits, 0)
        self.assertEqual(self.search.indexed_versions(), {})


class EngineMaintenanceContract(ContractTestCase):
    reindex_each_test = True

    def test_describe_and_schema(self):
        self.assertTrue(self.search.describe())
        stored = self.search.stored_schema_names()
        self.assertIsNotNone(stored)
        self.assertEqual(set(stored or ()), set(self.search.expected_schema_names()))

    def test_every_article_has_its_version(self):
        versions = self.search.indexed_versions()
        self.assertEqual(set(versions), set(Article.objects.values_list("pk", flat=True)))
        self.assertTrue(all(isinstance(version, str) and version for version in versions.values()))

    def test_an_incomplete_index_says_why_until_marked_complete(self):
        self.assertIsNone(self.search.incomplete_reason())
        self.search.mark_incomplete("rebuilding")
        self.assertEqual(self.search.incomplete_reason(), "rebuilding")
        self.search.mark_complete()
        self.assertIsNone(self.search.incomplete_reason())

    def test_forget_and_prepare_rebuild_leave_a_readable_index(self):
        hits = self.page(Word("Maroc")).hits
        self.search.forget()
        self.assertEqual(self.page(Word("Maroc")).hits, hits)
        self.search.prepare_rebuild()
        self.assertFalse(self.search.created)
        self.assertEqual(self.page(Word("Maroc")).hits, hits)
