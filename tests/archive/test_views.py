import datetime
import html as htmllib
import re

from django.test import TestCase

from archive.models import Article
from tests.factories import ArticleFactory, EntityAliasFactory, MentionFactory, SourceFactory


def row_attributes(html: str) -> list[tuple[str, str]]:
    """(lang, dir) of each article row's title on a list page (the row's
    metadata line is in the interface's language)."""
    return re.findall(r'<h2 class="article-title" lang="(\w+)" dir="(\w+)">', html)


class SeedPagesTests(TestCase):
    fixtures = ["seed_articles"]

    def test_browse_lists_every_seed_with_its_language_and_direction(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertEqual(
            sorted(row_attributes(html)), sorted([("ar", "rtl")] * 4 + [("fr", "ltr")])
        )
        for article in Article.objects.all():
            self.assertContains(response, article.title)
            self.assertContains(response, article.get_absolute_url())

    def test_browse_shows_the_dated_article_first(self):
        response = self.client.get("/")
        titles = [a.title for a in response.context["page_obj"].object_list]
        self.assertEqual(titles[0][:20], "Le Groupe migratoire")

    def test_every_article_page_shows_title_source_language_and_paragraphs(self):
        for article in Article.objects.all():
            with self.subTest(article=article.pk):
                response = self.client.get(article.get_absolute_url())
                self.assertEqual(response.status_code, 200)
                attributes = f'lang="{article.language}" dir="{article.direction}"'
                self.assertContains(response, f'<div class="article-body" {attributes}>')
                self.assertContains(response, f"<h1 {attributes}>{article.title}</h1>", html=True)
                text = htmllib.unescape(response.content.decode())
                for paragraph in article.paragraphs:
                    self.assertIn(paragraph.split("\n")[0], text)
                if article.source:
                    self.assertContains(response, article.source.name)
                else:
                    self.assertContains(response, "non indiquée par la page")

    def test_article_page_shows_author_and_date(self):
        response = self.client.get("/articles/1/")
        self.assertContains(response, "مصطفى الفيلالي")
        response = self.client.get("/articles/5/")
        self.assertContains(response, '<time datetime="2023-06-02">')

    def test_unknown_article_is_404_with_a_helpful_page(self):
        response = self.client.get("/articles/999/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page introuvable", status_code=404)

    def test_source_page_lists_its_articles(self):
        response = self.client.get("/sources/maroc-diplomatique/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([a.pk for a in response.context["page_obj"].object_list], [5])
        response = self.client.get("/sources/annahar24/")
        self.assertContains(response, "المغرب وإيطاليا يطلقان شراكة ذكية لإدارة الهجرة")
        self.assertEqual(self.client.get("/sources/nope/").status_code, 404)


class InterfaceLanguageTests(TestCase):
    fixtures = ["seed_articles"]

    def test_default_interface_is_french_left_to_right(self):
        response = self.client.get("/")
        self.assertContains(response, '<html lang="fr" dir="ltr">')
        self.assertContains(response, "Parcourir les archives")

    def test_language_switcher_is_plain_links_that_keep_the_page_and_query(self):
        page = self.client.get("/search/", {"q": "الهجرة", "page": "1"}).content.decode()
        link = re.search(r'<a href="(/language/ar/[^"]+)" lang="ar" hreflang="ar">', page)
        response = self.client.get(htmllib.unescape(link.group(1)))
        self.assertRedirects(
            response,
            "/search/?q=%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9&page=1",
            fetch_redirect_response=False,
        )
        self.assertContains(self.client.get("/"), '<html lang="ar" dir="rtl">')
        # Elsewhere than this site: home instead; an unknown language: 404.
        self.assertRedirects(
            self.client.get("/language/fr/", {"next": "https://evil.example/"}),
            "/",
            fetch_redirect_response=False,
        )
        self.assertEqual(self.client.get("/language/xx/").status_code, 404)

    def test_arabic_interface_is_right_to_left_and_french_article_stays_ltr(self):
        self.client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
        response = self.client.get("/articles/5/")
        self.assertContains(response, '<html lang="ar" dir="rtl">')
        self.assertContains(response, '<div class="article-body" lang="fr" dir="ltr">')
        # The facts about the article are in the interface's language and direction.
        self.assertContains(response, '<dl class="article-facts">')

    def test_french_interface_keeps_arabic_article_rtl(self):
        response = self.client.get("/articles/1/", headers={"accept-language": "fr"})
        self.assertContains(response, '<html lang="fr" dir="ltr">')
        self.assertContains(response, '<div class="article-body" lang="ar" dir="rtl">')

    def test_english_interface_from_browser_preference(self):
        response = self.client.get("/", headers={"accept-language": "en"})
        self.assertContains(response, '<html lang="en" dir="ltr">')
        self.assertContains(response, "Browse the archive")

    def test_language_switcher_offers_three_languages(self):
        response = self.client.get("/")
        for code in ("ar", "fr", "en"):
            self.assertContains(response, f'lang="{code}" hreflang="{code}"')
        self.assertContains(response, 'hreflang="fr" aria-current="true"')


class BrowseFilterAndPaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hespress = SourceFactory(name="Hespress", slug="hespress", language="ar")
        cls.lematin = SourceFactory(name="Le Matin", slug="le-matin", language="fr")
        start = datetime.date(2024, 1, 1)
        for n in range(25):
            ArticleFactory(
                source=cls.hespress,
                language="ar",
                title=f"مقال {n}",
                body=f"نص المقال رقم {n}",
                published_at=start + datetime.timedelta(days=n),
            )
        for n in range(3):
            ArticleFactory(
                source=cls.lematin, language="fr", title=f"Article {n}", published_at=start
            )

    def test_twenty_per_page(self):
        response = self.client.get("/")
        self.assertEqual(len(response.context["page_obj"].object_list), 20)
        self.assertEqual(response.context["page_obj"].paginator.count, 28)

    def test_language_filter(self):
        response = self.client.get("/", {"language": "fr"})
        self.assertEqual({a.language for a in response.context["page_obj"].object_list}, {"fr"})
        self.assertEqual(response.context["page_obj"].paginator.count, 3)

    def test_source_filter(self):
        response = self.client.get("/", {"source": "le-matin"})
        self.assertEqual(response.context["page_obj"].paginator.count, 3)

    def test_filters_combine(self):
        response = self.client.get("/", {"source": "hespress", "language": "fr"})
        self.assertEqual(response.context["page_obj"].paginator.count, 0)
        self.assertContains(response, "Aucun article ne correspond à ces filtres.")

    def test_pagination_links_keep_the_filters(self):
        response = self.client.get("/", {"language": "ar", "source": "hespress"})
        self.assertContains(response, 'href="?language=ar&amp;source=hespress&amp;page=2"')
        page2 = self.client.get("/", {"language": "ar", "source": "hespress", "page": 2})
        self.assertEqual(
            [a.title for a in page2.context["page_obj"].object_list],
            [f"مقال {n}" for n in range(4, -1, -1)],
        )
        self.assertContains(page2, 'href="?language=ar&amp;source=hespress&amp;page=1"')

    def test_facet_links_keep_the_other_filter_and_reset_the_page(self):
        response = self.client.get("/", {"language": "ar", "page": 2})
        self.assertContains(response, 'href="?language=ar&amp;source=hespress"')

    def test_bad_filters_and_pages_do_not_fail(self):
        for params in ({"language": "xx"}, {"source": "nope"}, {"page": "abc"}, {"page": 999}):
            with self.subTest(params=params):
                self.assertEqual(self.client.get("/", params).status_code, 200)
        self.assertEqual(self.client.get("/", {"page": 999}).context["page_obj"].number, 2)

    def test_browse_page_query_count_does_not_grow_with_rows(self):
        # count, page of articles with sources, language counts, sources (the
        # filters are links: no form choices)
        with self.assertNumQueries(4):
            self.client.get("/")


class EscapingTests(TestCase):
    def test_article_text_is_escaped_everywhere(self):
        source = SourceFactory(name="<b>Evil</b> source", slug="evil")
        article = ArticleFactory(
            source=source,
            title="<script>alert('t')</script>",
            body="<img src=x onerror=alert(1)>\n\n<script>alert('b')</script>",
            author="<i>me</i>",
        )
        for url in ("/", article.get_absolute_url(), "/sources/evil/"):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertNotIn("<script>alert", html)
                self.assertNotIn("<img src=x", html)
                self.assertNotIn("<b>Evil</b>", html)
                self.assertIn("&lt;script&gt;alert(", html)


class EntityPageTests(TestCase):
    def test_entity_page_lists_its_articles_and_aliases(self):
        mention = MentionFactory(entity__name="Abdelouafi Laftit", entity__slug="laftit")
        EntityAliasFactory(entity=mention.entity, alias="عبد الوافي لفتيت", language="ar")
        ArticleFactory(title="Sans rapport")
        response = self.client.get("/entities/laftit/")
        self.assertContains(response, "عبد الوافي لفتيت")
        self.assertEqual(
            [a.pk for a in response.context["page_obj"].object_list], [mention.article.pk]
        )
        article_page = self.client.get(mention.article.get_absolute_url())
        self.assertContains(article_page, 'href="/entities/laftit/"')
