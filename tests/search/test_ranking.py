"""Among articles whose titles all hold the query's words, the title the
query names best comes first: the one with no word rarer than those typed
(search.order.ranking), through whichever engine the suite runs with."""

from unittest.mock import patch

import pytest
from django.test import SimpleTestCase

from archive.services import article_create
from search.order import ranking
from search.order.ranking import best_named_first, forms_apart, query_words, rarer_words
from search.queries.query import parse_query
from search.query_tree import And, Or, Phrase, Word
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search

FREQUENCY = {"estel": 13, "mouzin": 13, "fouill": 40, "fourniret": 5, "avou": 60, "michel": 900}


def frequencies(terms):
    return {term: FREQUENCY.get(term, 1000) for term in terms}


COUNTS = frequencies(["reprennent", "enquet", "continu", *FREQUENCY])


class RarerWordsTests(SimpleTestCase):
    def test_counts_the_title_words_rarer_than_those_typed(self):
        required = query_words(parse_query("estelle mouzin").tree)
        self.assertEqual(
            rarer_words(required, "Estelle Mouzin : les fouilles reprennent", COUNTS), 0
        )
        self.assertEqual(rarer_words(required, "Estelle Mouzin : Fourniret avoue", COUNTS), 1)

    def test_a_word_with_several_readings_counts_as_the_reading_held(self):
        # A clitic letter typed or an entity's aliases: the title's own form.
        required = query_words(Or((Word("العادلة"), Word("العدلة"))))
        counts = {"عادل": 50, "عدل": 2, "محكم": 20}
        self.assertEqual(rarer_words(required, "محكمة العادلة", counts), 1)
        self.assertEqual(rarer_words(required, "محكمة العدلة", counts), 0)

    def test_the_margin_is_read_when_counting(self):
        # The bench tries margins by setting ranking.MARGIN on a live module.
        required = query_words(parse_query("estelle mouzin").tree)
        with patch.object(ranking, "MARGIN", 0):
            self.assertEqual(rarer_words(required, "Estelle Mouzin : Fourniret avoue", COUNTS), 0)

    def test_a_title_without_a_query_word_is_not_counted(self):
        required = query_words(parse_query("estelle mouzin").tree)
        self.assertIsNone(rarer_words(required, "Les aveux de Michel Fourniret", COUNTS))

    def test_only_plain_words_are_reordered(self):
        self.assertEqual(query_words(Phrase(("estelle", "mouzin"))), [])
        self.assertEqual(query_words(And((Word("mouzin"), Word("estelle", field="author")))), [])
        self.assertEqual(len(query_words(parse_query("Estelle Mouzin lang:fr").tree)), 2)


class BestNamedFirstTests(SimpleTestCase):
    HITS = [
        (1, "Estelle Mouzin : Michel Fourniret avoue"),
        (2, "Fourniret et Mouzin, l'enquête continue"),  # no "Estelle": keeps its place
        (3, "Estelle Mouzin : les fouilles reprennent"),
        (4, "Estelle Mouzin : les fouilles"),
    ]

    def test_titles_holding_every_word_first_the_best_named_leading(self):
        # 2 lacks "Estelle": after the titles that hold both words.
        tree = parse_query("Estelle Mouzin").tree
        self.assertEqual(best_named_first(tree, self.HITS, frequencies), [3, 4, 1, 2])

    def test_a_query_naming_one_title_puts_it_first_without_counting(self):
        tree = parse_query("Estelle fouilles reprennent").tree

        def no_counts(terms):
            raise AssertionError("frequencies read for a single title")

        self.assertEqual(best_named_first(tree, self.HITS, no_counts), [3, 1, 2, 4])

    def test_no_title_holding_every_word_keeps_the_engines_order(self):
        tree = parse_query("Estelle enquête").tree
        self.assertEqual(best_named_first(tree, self.HITS, frequencies), [1, 2, 3, 4])

    def test_a_phrase_keeps_the_engines_order(self):
        tree = parse_query('"Estelle Mouzin"').tree
        self.assertEqual(best_named_first(tree, self.HITS, frequencies), [1, 2, 3, 4])

    def test_equal_counts_put_words_nearly_as_rare_last(self):
        # Neither title has a word rarer than 0.75 x 13; "Ardennes" (15) is
        # nearly as rare as those typed: the reader could have typed it.
        counts = {**FREQUENCY, "arden": 15, "gendarm": 400}
        hits = [
            (1, "Estelle Mouzin : les Ardennes fouillées"),
            (2, "Estelle Mouzin : les gendarmes fouillent"),
        ]
        tree = parse_query("Estelle Mouzin").tree
        self.assertEqual(best_named_first(tree, hits, lambda terms: counts), [2, 1])
        with patch.object(ranking, "NEAR", 0):  # off: the engine's order
            self.assertEqual(best_named_first(tree, hits, lambda terms: counts), [1, 2])

    def test_then_the_title_writing_the_words_closest_to_as_typed(self):
        # Same stems, same counts: الهجرة typed, the title holding الهجرة
        # comes before the one holding والهجرة; hamza and ة/ه forms, case
        # and accents do not count as other forms.
        counts = {"هجر": 10, "سري": 10, "مغرب": 900}
        hits = [(1, "المغرب والهجرة السرية"), (2, "المغرب: الهجرة السرية")]
        by_counts = lambda terms: counts  # noqa: E731
        self.assertEqual(
            best_named_first(parse_query("الهجره السرية").tree, hits, by_counts), [2, 1]
        )
        self.assertEqual(
            best_named_first(parse_query("والهجرة السرية").tree, hits, by_counts), [1, 2]
        )

    def test_a_closer_form_before_a_farther_one(self):
        # والملتقى typed: الملتقى is one letter away, ملتقى three.
        counts = {"ملتق": 10, "سلام": 10, "اول": 900}
        hits = [(1, "أول ملتقى لسلامة الآثار"), (2, "الملتقى الأول لسلامة الآثار")]
        tree = parse_query("والملتقى وسلامة").tree
        self.assertEqual(best_named_first(tree, hits, lambda terms: counts), [2, 1])

    def test_forms_before_near_rare_words(self):
        # The title writing the typed forms wins even with a word nearly as
        # rare as those typed (the forms say more of the title meant).
        counts = {**FREQUENCY, "arden": 15, "gendarm": 400}
        hits = [
            (1, "Estelle Mouzins : les gendarmes fouillent"),
            (2, "Estelle Mouzin : les Ardennes fouillées"),
        ]
        tree = parse_query("Estelle Mouzin").tree
        self.assertEqual(best_named_first(tree, hits, lambda terms: counts), [2, 1])


class FormsApartTests(SimpleTestCase):
    def forms(self, typed, title):
        from search.order.ranking import _query

        return forms_apart(_query(parse_query(typed).tree), title)

    def test_counts_the_letters_between_typed_and_written_forms(self):
        self.assertEqual(self.forms("والملتقى", "الملتقى الأول"), 1)
        self.assertEqual(self.forms("والملتقى", "ملتقى أول"), 3)
        self.assertEqual(self.forms("migrant", "Les migrants"), 1)

    def test_folded_letters_and_marks_are_not_differences(self):
        self.assertEqual(self.forms("الهجره", "الهِجرة السرية"), 0)
        self.assertEqual(self.forms("AVEUX fourniret", "Les aveux de Fourniret"), 0)
        self.assertEqual(self.forms("elysee", "L'Élysée répond"), 0)

    def test_sums_over_the_query_words_taking_the_closest_form(self):
        self.assertEqual(self.forms("والهجرة السريه", "الهجرة والهجرة السرية"), 0)
        self.assertEqual(self.forms("والهجرة بالسرية", "الهجرة السرية"), 2)


class SearchPageOrderTests(IndexedTestCase):
    """Three articles on one story: the query names the one whose title has
    no rarer word first, whatever the engine's scores."""

    @classmethod
    def setUpTestData(cls):
        cls.confession = article_create(
            title="Estelle Mouzin : Fourniret avoue",
            body="Estelle Mouzin. Michel Fourniret a avoué le meurtre.",
            language="fr",
        )
        cls.search = article_create(
            title="Estelle Mouzin : les fouilles reprennent dans les Ardennes",
            body="Les fouilles reprennent pour retrouver Estelle Mouzin dans les Ardennes. "
            "Les enquêteurs fouillent la forêt.",
            language="fr",
        )
        for place in ("Charleville", "Sedan", "Givet"):  # searches are common in the Ardennes
            article_create(
                title=f"Fouilles à {place}",
                body=f"Les fouilles reprennent dans les Ardennes, près de {place}.",
                language="fr",
            )

    def test_the_title_the_query_names_best_comes_first(self):
        response = self.client.get("/search/", {"q": "estelle mouzin"})
        order = [hit["article"].pk for hit in response.context["hits"]]
        self.assertEqual(order, [self.search.pk, self.confession.pk])
        # The order is the page's: exports list the same.
        export = self.client.get("/search/export.csv", {"q": "estelle mouzin"})
        self.assertEqual(export.status_code, 200)
        body = b"".join(export.streaming_content).decode()
        self.assertLess(body.index("les fouilles reprennent"), body.index("Fourniret avoue"))

    def test_pages_follow_one_order(self):
        from search.selectors import SearchCriteria, article_search

        criteria = SearchCriteria(query=parse_query("fouilles"))
        whole = [a.pk for a in article_search(criteria, per_page=20).results]
        paged = [
            a.pk for page in (1, 2) for a in article_search(criteria, page=page, per_page=2).results
        ]
        self.assertEqual(len(whole), 4)
        self.assertEqual(paged, whole)


class ArabiziOrderTests(IndexedTestCase):
    """An Arabizi word is searched with spellings the reader did not type:
    their rarity says nothing about the title meant, so the engine's order
    stays."""

    @classmethod
    def setUpTestData(cls):
        article_create(
            title="العدالة الانتقالية", body="ندوة حول العدالة في الرباط.", language="ar"
        )

    def test_only_words_typed_in_their_script_are_reordered(self):
        from search.forms import SearchForm
        from search.selectors import ResultOrder

        def ordering(**data):
            return SearchForm(data).criteria().result_order()

        arabizi = SearchForm({"q": "l3adala"}).criteria()
        self.assertTrue(arabizi.query.transliterations)
        self.assertIs(arabizi.result_order(), ResultOrder.ENGINE)
        self.assertIs(ordering(q="العدالة"), ResultOrder.BEST_NAMED)
        self.assertIs(ordering(q="العدالة", sort="newest"), ResultOrder.ENGINE)
