"""The bilingual beat thesaurus (archive.models.Concept, search.queries.concepts):
unquoted words that are a concept's term also search its other terms in
every language and script; the page says so, highlights them, and offers the
literal search; phrases and fields are never widened; edits in the admin
apply at once (no re-indexing). Through the configured engine (CI runs
Whoosh and PostgreSQL)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import SimpleTestCase

from archive.models import Concept
from archive.services import article_create
from search.language.analysis import analyze
from search.queries.query import parse_query
from search.queries.widenings import standard
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


class ParserTests(SimpleTestCase):
    """The query tree, with a thesaurus given as a plain look-up."""

    TERMS = {
        "irregular-migration": ("migration irrégulière", "الهجرة غير النظامية", "الحريك"),
        "migration": ("migration", "الهجرة"),
    }

    def lookup(self, words):
        index = {
            tuple(analyze(term)): (slug, terms)
            for slug, terms in self.TERMS.items()
            for term in terms
        }
        return index.get(tuple(analyze(words)))

    def test_the_longest_run_of_words_names_the_concept(self):
        parsed = parse_query(
            "Tanger migration irrégulière", expanders=standard(concepts=self.lookup)
        )
        self.assertEqual(parsed.concepts, (("migration irrégulière", "irregular-migration"),))
        self.assertIn('text:"الهجرة غير النظامية"', str(parsed.tree))
        self.assertIn("text:الحريك", str(parsed.tree))
        self.assertIn("text:Tanger", str(parsed.tree))

    def test_an_inflection_names_the_concept_too(self):
        self.assertEqual(
            parse_query("للهجرة", expanders=standard(concepts=self.lookup)).concepts[0][1],
            "migration",
        )
        self.assertEqual(
            parse_query("migrations", expanders=standard(concepts=self.lookup)).concepts[0][1],
            "migration",
        )

    def test_phrases_fields_and_exclusions_are_never_widened(self):
        for query in ('"migration irrégulière"', "title:migration", "-migration", "migr*"):
            with self.subTest(query):
                parsed = parse_query(query, expanders=standard(concepts=self.lookup))
                self.assertEqual(parsed.concepts, ())
                self.assertNotIn("الهجرة", str(parsed.tree))


class ThesaurusSearchTests(IndexedTestCase):
    fixtures = ["seed_concepts"]

    @classmethod
    def setUpTestData(cls):
        def save(title, body, language):
            return article_create(title=title, body=body, language=language)

        cls.french = save(
            "Tanger", "La migration irrégulière vers l'Espagne reprend depuis Tanger.", "fr"
        )
        cls.arabic = save("طنجة", "عادت الهجرة غير النظامية نحو إسبانيا انطلاقا من طنجة.", "ar")
        cls.darija = save("الحريك", "الشباب ديال الشمال رجعو للحريگ فالبحر.", "ar")
        cls.other = save("Rabat", "Le Parlement a voté le budget de l'Intérieur.", "fr")

    def search(self, query: str, **params):
        response = self.client.get("/search/", {"q": query, **params})
        self.assertEqual(response.status_code, 200)
        ids = {hit["article"].pk for hit in response.context["hits"]}
        return ids, BeautifulSoup(response.content, "html.parser")

    def test_a_french_term_finds_arabic_and_darija_articles(self):
        ids, page = self.search("migration irrégulière")
        self.assertEqual(ids, {self.french.pk, self.arabic.pk, self.darija.pk})
        also = page.select_one(".also-searched")
        self.assertIsNotNone(also)
        self.assertIn("الهجرة غير النظامية", also.get_text())
        self.assertIn("harraga", also.get_text())
        # The expanded terms are marked in the Arabic snippet.
        marked = {m.get_text() for m in page.select("mark")}
        self.assertIn("الهجرة", marked)
        self.assertIn("النظامية", marked)

    def test_an_arabic_term_finds_the_french_article(self):
        ids, _page = self.search("الهجرة غير النظامية")
        self.assertIn(self.french.pk, ids)
        ids, _page = self.search("الحريك")
        self.assertEqual(ids, {self.french.pk, self.arabic.pk, self.darija.pk})

    def test_the_literal_search_is_one_click_away(self):
        _ids, page = self.search("migration irrégulière")
        link = page.select_one(".also-searched a[href*='literal=1']")
        self.assertIsNotNone(link)
        href = link["href"]
        response = self.client.get(("/search/" + href) if href.startswith("?") else href)
        self.assertEqual({hit["article"].pk for hit in response.context["hits"]}, {self.french.pk})
        self.assertIsNone(
            BeautifulSoup(response.content, "html.parser").select_one(".also-searched")
        )

    def test_a_quoted_phrase_is_searched_as_typed(self):
        ids, page = self.search('"migration irrégulière"')
        self.assertEqual(ids, {self.french.pk})
        self.assertIsNone(page.select_one(".also-searched"))

    def test_a_concept_added_in_the_admin_applies_at_once(self):
        staff = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw-ed-12345")
        self.client.force_login(staff)
        response = self.client.post(
            "/admin/archive/concept/add/",
            {
                "name": "Budget · الميزانية",
                "slug": "budget",
                "description": "",
                "terms-TOTAL_FORMS": "2",
                "terms-INITIAL_FORMS": "0",
                "terms-MIN_NUM_FORMS": "0",
                "terms-MAX_NUM_FORMS": "1000",
                "terms-0-term": "budget",
                "terms-0-language": "fr",
                "terms-1-term": "الميزانية",
                "terms-1-language": "ar",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertTrue(Concept.objects.filter(slug="budget").exists())
        self.client.logout()
        ids, _page = self.search("الميزانية")
        self.assertEqual(ids, {self.other.pk})


def _distinct(n: int) -> str:
    """Words no other article has (near-identical texts would be grouped as
    wire copies)."""
    return " ".join(f"{n * 1000 + k}" for k in range(40))


def interleaved(response) -> bool:
    """Whether the page says its languages were taken in turn."""
    note = BeautifulSoup(response.content, "html.parser").select_one("ul.notes li.interleaved")
    return note is not None and bool(note.get_text(strip=True))


class InterleavedLanguagesTests(IndexedTestCase):
    """A query widened to a concept takes the languages in turn: the typed
    language's articles, which score higher (more of the typed words), no
    longer fill the first page alone. Page, later pages and exports agree."""

    fixtures = ["seed_concepts"]

    @classmethod
    def setUpTestData(cls):
        cls.french = [
            article_create(
                title=f"Migration irrégulière : bilan {n}",
                body="La migration irrégulière, encore la migration irrégulière. " + _distinct(n),
                language="fr",
            )
            for n in range(25)
        ]
        cls.arabic = [
            article_create(
                title=f"تقرير {n}",
                body="أشار التقرير إلى الهجرة غير النظامية في الشمال. " + _distinct(100 + n),
                language="ar",
            )
            for n in range(3)
        ]

    def page(self, **params):
        response = self.client.get("/search/", {"q": "migration irrégulière", **params})
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_other_language_is_on_the_first_page(self):
        response = self.page()
        languages = [hit["article"].language for hit in response.context["hits"]]
        self.assertIn("ar", languages[:2])
        self.assertEqual(languages.count("ar"), 3)
        self.assertEqual(response.context["page_obj"].count, 28)
        self.assertTrue(interleaved(response))

    def test_pages_export_and_literal_search_agree(self):
        shown = [hit["article"].pk for hit in self.page().context["hits"]]
        shown += [hit["article"].pk for hit in self.page(page=2).context["hits"]]
        self.assertEqual(len(shown), 28)
        self.assertEqual(len(set(shown)), 28)
        exported = json.loads(
            b"".join(
                self.client.get(
                    "/search/export.json", {"q": "migration irrégulière"}
                ).streaming_content
            )
        )
        self.assertEqual([row["id"] for row in exported["rows"]], shown)
        literal = self.page(literal="1")
        self.assertEqual({hit["article"].language for hit in literal.context["hits"]}, {"fr"})
        self.assertFalse(interleaved(literal))

    def assert_rankings_are_each_languages_own_search(self):
        from search.engines.base import engine
        from search.forms import SearchForm
        from search.query_tree import And, Keyword

        tree = SearchForm({"q": "migration irrégulière"}).criteria().tree()
        page = engine().search_page(
            tree, sort=None, offset=0, limit=5, facet_fields=(), rank_within="language"
        )
        self.assertEqual(set(page.rankings), {"fr", "ar"})
        for language in ("fr", "ar"):
            alone = engine().search_page(
                And((tree, Keyword("language", language))),
                sort=None,
                offset=0,
                limit=5,
                facet_fields=(),
            )
            self.assertTrue(alone.results)
            self.assertEqual(
                [pk for pk, _ in page.rankings[language]], [pk for pk, _ in alone.results]
            )

    def test_each_language_ranking_is_that_languages_own_search(self):
        self.assert_rankings_are_each_languages_own_search()

    def test_broad_searches_rank_each_language_the_same_way(self):
        # Over Whoosh's one-pass estimate or PostgreSQL's rank-all limit, each
        # language is searched on its own, with the engine's plan for broad
        # searches.
        from unittest import mock

        from search.engines import whoosh_engine

        with (
            mock.patch.object(whoosh_engine, "ONE_PASS_MAX", 0),
            self.settings(ARCHIVE_SEARCH_RANK_ALL_MAX=1),
        ):
            self.assert_rankings_are_each_languages_own_search()
            self.assertTrue(interleaved(self.page()))

    def test_one_language_or_date_order_keeps_one_ranking(self):
        for params in ({"lang": "fr"}, {"sort": "newest"}):
            with self.subTest(params):
                self.assertFalse(interleaved(self.page(**params)))


class VisaConceptTests(IndexedTestCase):
    """The visas concept, back once the analyzer kept visa apart from vise."""

    fixtures = ["seed_concepts"]

    @classmethod
    def setUpTestData(cls):
        cls.visas = article_create(
            title="Visas de travail", body="Les demandes de visas ont doublé.", language="fr"
        )
        cls.arabic = article_create(
            title="التأشيرات", body="ارتفع عدد تأشيرات العمل الممنوحة هذا العام.", language="ar"
        )
        cls.aims = article_create(
            title="Réforme",
            body="Le ministre vise une réforme visant les retraites.",
            language="fr",
        )

    def test_visa_finds_both_languages_and_not_vise(self):
        self.assertEqual(self.found("visa"), {self.visas.pk, self.arabic.pk})
        self.assertEqual(self.found("تأشيرة"), {self.visas.pk, self.arabic.pk})
        self.assertEqual(self.found("vise"), {self.aims.pk})
