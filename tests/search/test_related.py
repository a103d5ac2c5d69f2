"""Related articles ("more like this") through the engine seam, on the
article page, with both engines."""

import pytest

from archive.services import article_create
from search.language.analysis import analyze
from search.similar.related import distinctive_terms, related_article_ids
from tests.search.helpers import IndexedTestCase, load_corpus_sample

pytestmark = pytest.mark.search

STORIES = {
    "boats_fr_1": (
        "Des embarcations de migrants interceptées au large de Tarfaya",
        "La Marine royale a intercepté trois embarcations pneumatiques au large de "
        "Tarfaya transportant des migrants vers les îles Canaries. Les garde-côtes "
        "ont conduit les passagers au port de Tarfaya.",
    ),
    "boats_fr_2": (
        "Canaries : nouvelle traversée depuis Tarfaya",
        "Une embarcation pneumatique partie de Tarfaya a atteint les Canaries. "
        "Les garde-côtes espagnols ont secouru les migrants.",
    ),
    "budget_fr": (
        "Le budget de l'agriculture adopté",
        "Les députés ont adopté le budget du ministère de l'Agriculture, consacré "
        "à l'irrigation et aux semences.",
    ),
    "boats_ar_1": (
        "إحباط محاولة للهجرة السرية قرب طرفاية",
        "أحبطت البحرية الملكية محاولة للهجرة السرية على متن قارب مطاطي قبالة "
        "سواحل طرفاية نحو جزر الكناري.",
    ),
    "boats_ar_2": (
        "قارب مطاطي يصل إلى جزر الكناري",
        "وصل قارب مطاطي انطلق من طرفاية إلى جزر الكناري وعلى متنه مهاجرون.",
    ),
    "football_ar": (
        "المنتخب يفوز في المباراة الودية",
        "فاز المنتخب الوطني لكرة القدم في مباراة ودية بهدفين نظيفين.",
    ),
}


class RelatedArticlesTests(IndexedTestCase):
    @classmethod
    def setUpTestData(cls):
        load_corpus_sample()  # unrelated articles in both languages around the stories
        cls.stories = {
            key: article_create(title=title, body=body, language="ar" if "_ar" in key else "fr")
            for key, (title, body) in STORIES.items()
        }

    def test_the_same_story_comes_near_the_top_and_never_the_article_itself(self):
        # The Arabic story shares "الهجرة السرية" with a Darija corpus article
        # on clandestine migration: related too, and may come first.
        for first, second in (("boats_fr_1", "boats_fr_2"), ("boats_ar_1", "boats_ar_2")):
            with self.subTest(first):
                ids = related_article_ids(self.stories[first])
                self.assertIn(self.stories[second].pk, ids[:2])
                self.assertNotIn(self.stories[first].pk, ids)

    def test_unrelated_articles_are_left_out(self):
        ids = related_article_ids(self.stories["boats_fr_1"])
        self.assertNotIn(self.stories["budget_fr"].pk, ids)
        self.assertNotIn(
            self.stories["football_ar"].pk, related_article_ids(self.stories["boats_ar_1"])
        )

    def test_distinctive_terms_are_the_story_words(self):
        article = self.stories["boats_fr_1"]
        terms = list(distinctive_terms(article.title, article.body))
        self.assertEqual(terms[0], analyze("Tarfaya")[0])  # in the title, twice in the body
        self.assertNotIn("de", terms)  # a stop word is never a term
        self.assertTrue(all(not term.isdigit() for term in terms))

    def test_article_page_lists_related_articles_escaped(self):
        response = self.client.get(self.stories["boats_ar_1"].get_absolute_url())
        self.assertContains(response, "Articles liés")
        self.assertContains(response, f'href="{self.stories["boats_ar_2"].get_absolute_url()}"')
        section = response.content.decode().split("Articles liés", 1)[1]
        self.assertNotIn(self.stories["football_ar"].get_absolute_url() + '"', section)

    def test_an_article_without_words_has_no_related_section(self):
        lonely = article_create(title="2024", body="12 34 56", language="fr")
        response = self.client.get(lonely.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Articles liés")
