"""A search that finds nothing as typed also reads an Arabic word's first
letter as a clitic the analyzer refuses on purpose (بسر as ب + سر, وزار as
و + زار), says so, and offers the literal search. Through the configured
engine (CI runs both)."""

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.test import SimpleTestCase

from archive.services import article_create
from search.language.analysis import clitic_rest
from search.queries.query import parse_query
from search.queries.widenings import FALLBACK
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


class CliticRestTests(SimpleTestCase):
    def test_a_first_letter_the_analyzer_does_not_read_as_a_clitic(self):
        for word, rest in [("بسر", "سر"), ("بسِرّ", "سر"), ("وزار", "زار"), ("وصفيان", "صفيان")]:
            with self.subTest(word):
                self.assertEqual(clitic_rest(word), rest)

    def test_none_when_a_reading_is_the_rest_already_or_no_such_letter(self):
        for word in ("وتعزيز", "والهجرة", "بالرباط", "لندن", "سر", "Maroc", "في"):
            with self.subTest(word):
                self.assertIsNone(clitic_rest(word))


class FallbackQueryTests(SimpleTestCase):
    def test_plain_words_are_widened_in_the_fallback_only(self):
        parsed = parse_query("بسر الحاضر", fallback=FALLBACK)
        self.assertEqual(str(parsed.tree), "AND(text:بسر, text:الحاضر)")
        self.assertEqual(parsed.fallback.clitics, (("بسر", "سر"),))
        self.assertEqual(str(parsed.fallback.tree), "AND(OR(text:بسر, text:سر), text:الحاضر)")
        self.assertIsNone(parsed.fallback.fallback)

    def test_phrases_fields_and_exclusions_stay_as_typed(self):
        for query in ('"بسر الحاضر"', "title:بسر", "الحاضر -بسر"):
            with self.subTest(query):
                self.assertIsNone(parse_query(query, fallback=FALLBACK).fallback)

    def test_no_fallback_unless_asked_or_needed(self):
        self.assertIsNone(parse_query("بسر").fallback)
        self.assertIsNone(parse_query("والهجرة السرية", fallback=FALLBACK).fallback)


class FallbackSearchTests(IndexedTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.secret = article_create(
            title="«عصر أدالين» .. سِرّ شباب الحاضر يكشفه الماضي",
            body="فيلم عن امرأة لا تكبر، وسر شبابها.",
            language="ar",
        )
        cls.other = article_create(
            title="الحاضر والماضي في الرباط", body="معرض في الرباط.", language="ar"
        )

    def test_nothing_found_as_typed_reads_the_letter_apart_and_says_so(self):
        response = self.client.get("/search/", {"q": "بسر الحاضر"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual([hit["article"].pk for hit in response.context["hits"]], [self.secret.pk])
        page = BeautifulSoup(response.content, "html.parser")
        self.assertIsNotNone(page.select_one("ul.notes li.read-apart"))
        also = page.select_one(".also-searched")
        self.assertIn("سر", also.select_one(".clitic").get_text())
        self.assertIn("بسر", also.select_one(".clitic").get_text())
        self.assertIn("literal=1", also.select("a")[-1]["href"])
        self.assertIn("سِرّ", {mark.get_text() for mark in page.select("mark")})

    def test_the_literal_search_finds_nothing(self):
        response = self.client.get("/search/", {"q": "بسر الحاضر", "literal": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["hits"]), [])
        self.assertNotIn('class="read-apart"', response.content.decode())

    def test_a_search_finding_something_as_typed_is_not_widened(self):
        response = self.client.get("/search/", {"q": "الحاضر"})
        self.assertEqual(len(response.context["hits"]), 2)
        self.assertNotIn('class="read-apart"', response.content.decode())
        self.assertEqual(response.context["criteria"].query.clitics, ())

    def test_a_phrase_is_never_widened(self):
        response = self.client.get("/search/", {"q": '"بسر الحاضر"'})
        self.assertEqual(list(response.context["hits"]), [])

    def test_the_export_lists_what_the_page_lists(self):
        response = self.client.get("/search/export.csv", {"q": "بسر الحاضر"})
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
        rows = list(csv.DictReader(io.StringIO(content)))
        self.assertEqual([int(row["id"]) for row in rows], [self.secret.pk])

    def test_the_json_manifest_says_which_words_were_read_apart(self):
        response = self.client.get("/search/export.json", {"q": "بسر الحاضر"})
        self.assertEqual(response.status_code, 200)
        export = json.loads(b"".join(response.streaming_content))
        self.assertEqual(export["manifest"]["read_apart"], [["بسر", "سر"]])
        self.assertEqual([row["id"] for row in export["rows"]], [self.secret.pk])

    def test_the_article_page_reached_from_the_search_marks_the_words(self):
        response = self.client.get(f"/articles/{self.secret.pk}/", {"q": "بسر الحاضر"})
        self.assertEqual(response.status_code, 200)
        page = BeautifulSoup(response.content, "html.parser")
        self.assertIn("سِرّ", {mark.get_text() for mark in page.select("mark")})
