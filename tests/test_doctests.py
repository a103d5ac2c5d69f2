"""The examples in the docstrings of the pure modules are true."""

import doctest
import importlib

from django.test import SimpleTestCase

MODULES = [
    "archive.textnorm",
    "archive.management.terminal",
    "archive.timeline",
    "archive.wirecopies",
    "archive.ingest.dates",
    "archive.ingest.decoding",
    "archive.ingest.language",
    "archive.ingest.text",
    "archive.entities.candidates",
    "archive.entities.linking",
    "search.language.analysis",
    "search.queries.arabizi",
    "search.queries.query",
    "search.similar.coverage",
    "search.engines.whoosh_query",
    "search.engines.postgres_documents",
    "search.engines.postgres_query",
    "search.engines.postgres_engine",
    "search.engines.opensearch",
]


class DocstringExampleTests(SimpleTestCase):
    def test_docstring_examples(self):
        for name in MODULES:
            with self.subTest(module=name):
                result = doctest.testmod(importlib.import_module(name))
                self.assertGreater(result.attempted, 0)
                self.assertEqual(result.failed, 0)
