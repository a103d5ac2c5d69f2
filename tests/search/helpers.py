"""Shared set-up for tests that need a real Whoosh index."""

import datetime
import json
import unittest
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase

from archive.models import Source
from archive.services import article_create

DATA = Path(__file__).resolve().parent.parent / "data"


def load_corpus_sample() -> None:
    """The 20 corpus articles of tests/data/corpus_sample.jsonl, saved through the service."""
    for line in (DATA / "corpus_sample.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        source, _ = Source.objects.get_or_create(
            slug=record["source"].replace(".", "-"),
            defaults={"name": record["source"], "language": record["language"]},
        )
        article_create(
            title=record["title"],
            body=record["body"],
            language=record["language"],
            source=source,
            published_at=datetime.date.fromisoformat(record["date"]) if record["date"] else None,
            url=record["url"] or "",
        )


def rebuild_index() -> None:
    call_command("rebuild_index", interactive=False, verbosity=0, stdout=StringIO())


class IndexedTestCase(TestCase):
    """A TestCase whose rows (fixtures + setUpTestData) are indexed for the class.

    `found(query)`: the ids of the articles the search page lists for it.

    Classes whose tests write to the index set `reindex_each_test`: the
    database rolls back after each test, the index does not, so it is rebuilt.
    """

    reindex_each_test = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rebuild_index()

    def setUp(self):
        super().setUp()
        if self.reindex_each_test:
            rebuild_index()

    @classmethod
    def tearDownClass(cls):
        call_command("clear_index", interactive=False, verbosity=0, stdout=StringIO())
        super().tearDownClass()

    def found(self, query: str) -> set[int]:
        response = self.client.get("/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return {hit["article"].pk for hit in response.context["hits"]}


class IndexedTransactionTestCase(TransactionTestCase):
    """Rows committed for real (other processes see them), with an index that
    starts empty and is emptied again after each test."""

    def setUp(self):
        super().setUp()
        rebuild_index()

    def tearDown(self):
        call_command("clear_index", interactive=False, verbosity=0, stdout=StringIO())
        super().tearDown()


ENGINE = settings.ARCHIVE_SEARCH_ENGINE
# Tests of the Whoosh engine's own files (segments, locks, memory maps).
whoosh_only = unittest.skipUnless(ENGINE == "whoosh", "tests the Whoosh engine's index files")
postgres_engine_only = unittest.skipUnless(
    ENGINE == "postgres", "tests the PostgreSQL engine (ARCHIVE_SEARCH_ENGINE=postgres)"
)


def meets(query: str, written: str) -> bool:
    """Whether a query's terms meet the terms `written` is indexed with."""
    from search.language.analysis import analyze

    return bool(set(analyze(query)) & set(analyze(written, mode="index")))


def assert_pairs(test, merged, apart) -> None:
    """Each (query, written) of `merged` meets both ways; each (query,
    written, why) of `apart` meets neither way."""
    from search.language.analysis import analyze

    for query, written in merged:
        with test.subTest(query=query, written=written):
            test.assertTrue(meets(query, written), (analyze(query), analyze(written)))
            test.assertTrue(meets(written, query), (analyze(written), analyze(query)))
    for query, written, why in apart:
        with test.subTest(why):
            test.assertFalse(meets(query, written), (analyze(query), analyze(written)))
            test.assertFalse(meets(written, query), (analyze(written), analyze(query)))
