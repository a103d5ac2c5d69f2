"""The OpenSearch route of docs/SCALING.md: the mapping, documents and queries
it would send keep our analysis (tested without a cluster: there is none here)."""

import datetime

from django.test import SimpleTestCase

from search.engines import opensearch
from search.engines.base import NEWEST
from search.language.analysis import analyze, words
from search.queries.query import parse_query


class OpenSearchDesignTests(SimpleTestCase):
    def test_text_fields_take_pre_analysed_terms_with_readings_at_one_position(self):
        body = opensearch.mapping()
        analyzer = body["settings"]["analysis"]["analyzer"]["archive_terms"]
        self.assertEqual(analyzer["tokenizer"], "whitespace")
        readings = body["settings"]["analysis"]["filter"][analyzer["filter"][0]]
        self.assertEqual(readings["type"], "pattern_capture")
        self.assertFalse(readings["preserve_original"])
        for field in ("text", "title"):
            self.assertEqual(body["mappings"]["properties"][field]["search_analyzer"], "whitespace")
        self.assertEqual(body["mappings"]["dynamic"], "strict")

    def test_a_document_holds_exactly_our_analyzer_terms(self):
        text = "وزير الداخلية لتعزيز التعاون\nLes migrants d'Espagne"
        document = opensearch.document(
            {
                "django_id": "7",
                "text": text,
                "title": "وزير الداخلية",
                "language": ["ar"],
                "source": ["hespress"],
                "entities": ["maroc", "espagne"],
                "year": ["2023"],
                "day": 20230602,
                "newest_key": datetime.date(2023, 6, 2),
                "oldest_key": datetime.date(2023, 6, 2),
                "version": "abc",
            }
        )
        # One space-separated group per position, readings joined by "|".
        groups = document["text"].split(" ")
        self.assertEqual(len(groups), sum(1 for word in words(text, index=True) if word.terms))
        self.assertEqual(
            sorted(term for group in groups for term in group.split("|")),
            sorted(analyze(text, mode="index")),
        )
        self.assertIn("لتعزيز|تعزيز", groups)
        self.assertEqual(document["newest_key"], "2023-06-02")
        self.assertEqual(
            set(document) - {"article_id"},
            set(opensearch.mapping()["mappings"]["properties"]) - {"article_id"},
        )

    def test_queries_are_compiled_from_the_same_tree(self):
        compile_query = opensearch.compile_query
        self.assertEqual(
            compile_query(parse_query('"الهجرة غير النظامية"').tree),
            {"match_phrase": {"text": {"query": "هجر غير نظام", "analyzer": "whitespace"}}},
        )
        self.assertEqual(compile_query(parse_query("migr*").tree), {"prefix": {"text": "migr"}})
        self.assertEqual(
            compile_query(parse_query("Tanger OR lang:fr").tree),
            {
                "bool": {
                    "should": [{"term": {"text": "tang"}}, {"term": {"language": "fr"}}],
                    "minimum_should_match": 1,
                }
            },
        )
        self.assertEqual(
            compile_query(parse_query("date:2023-01-01..2023-06-30").tree),
            {"range": {"day": {"gte": 20230101, "lte": 20230630}}},
        )
        self.assertEqual(
            compile_query(parse_query("NOT Espagne").tree),
            {"bool": {"must": [{"match_all": {}}], "must_not": [{"term": {"text": "espagn"}}]}},
        )
        # Only stop words: nothing to search, as in the other engines.
        self.assertEqual(compile_query(parse_query("de la").tree), opensearch.NOTHING)

    def test_a_search_request_sorts_with_the_id_tie_break_and_counts_exactly(self):
        body = opensearch.search_body(
            parse_query("Maroc").tree,
            sort=NEWEST,
            offset=20,
            limit=20,
            facet_fields=("language", "entities"),
        )
        self.assertEqual(body["sort"], [{"newest_key": "desc"}, {"article_id": "desc"}])
        self.assertIs(body["track_total_hits"], True)
        self.assertEqual(body["aggs"]["entities"], {"terms": {"field": "entities", "size": 100}})
        self.assertEqual((body["from"], body["size"]), (20, 20))
