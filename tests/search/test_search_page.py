import re

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings

from archive.models import Article
from tests.factories import ArticleFactory, EntityFactory, MentionFactory, SourceFactory
from tests.search.helpers import ENGINE, IndexedTestCase, load_corpus_sample

pytestmark = pytest.mark.search


def hit_ids(response) -> list[int]:
    return [hit["article"].pk for hit in response.context["hits"]]


class SeedSearchTests(IndexedTestCase):
    fixtures = ["seed_articles"]

    @classmethod
    def setUpTestData(cls):
        load_corpus_sample()
        laftit = EntityFactory(name="Abdelouafi Laftit", slug="abdelouafi-laftit")
        MentionFactory(article_id=3, entity=laftit, count=4)
        MentionFactory(article_id=4, entity=laftit, count=5)
        cls.evil = ArticleFactory(
            title="<script>alert('t')</script> Tanger",
            body="Tanger <script>alert('b')</script> <img src=x onerror=alert(1)> migration",
            source=SourceFactory(name="<b>Evil</b>", slug="evil"),
        )

    def search(self, **params):
        response = self.client.get("/search/", params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_authors_are_found_by_field_and_by_plain_words(self):
        # Neither name is in any title or body: only in the article's author.
        self.assertEqual(hit_ids(self.search(q='author:"حميد الكمالي"')), [4])
        self.assertEqual(hit_ids(self.search(q="author:الفيلالي")), [1])
        self.assertEqual(hit_ids(self.search(q="الكمالي")), [4])
        self.assertEqual(hit_ids(self.search(q="author:الهجرة")), [])  # a title word
        self.assertNotContains(self.search(q="author:الكمالي"), "Seuls ces champs")

    def test_arabic_word_finds_every_written_form(self):
        # الهجرة / للهجرة / والهجرة / بالهجرة / الهجره across the four Arabic seeds
        for query in ("الهجرة", "هجرة", "للهجرة", "الهِجْرَة"):
            with self.subTest(query=query):
                self.assertEqual(set(hit_ids(self.search(q=query))) & {1, 2, 3, 4}, {1, 2, 3, 4})

    def test_stem_initial_waw_is_not_a_conjunction(self):
        # وزير is in seeds 2, 3, 4 (وزير، الوزير، والوزير…), never "زير".
        self.assertEqual(set(hit_ids(self.search(q="وزير"))) & {1, 2, 3, 4, 5}, {2, 3, 4})
        self.assertEqual(hit_ids(self.search(q="زير")), [])

    def test_clitic_forms_are_found_from_the_bare_word(self):
        # Seed 1 writes لتطوير and seed 3 تطوير… only seed 1 has لتطوير; تطوير finds it.
        self.assertIn(1, hit_ids(self.search(q="تطوير")))

    def test_french_accents_elision_and_plurals(self):
        self.assertIn(5, hit_ids(self.search(q="securite")))  # Sécurité
        self.assertIn(5, hit_ids(self.search(q="interieur")))  # l'Intérieur
        self.assertIn(5, hit_ids(self.search(q="mineur")))  # mineurs
        migrants = hit_ids(self.search(q="migrant"))
        titles = " ".join(Article.objects.get(pk=pk).title for pk in migrants)
        self.assertIn("migrants", titles)

    def test_phrases_in_both_languages(self):
        self.assertEqual(set(hit_ids(self.search(q='"الهجرة غير النظامية"'))), {1, 2, 3})
        self.assertEqual(hit_ids(self.search(q='"migration irrégulière"')), [5])
        # The indexed text is not HTML-escaped: l'Intérieur stays one word.
        self.assertEqual(hit_ids(self.search(q='"ministère de l’Intérieur"')), [5])
        # Both words are in seed 5, but never side by side.
        self.assertEqual(hit_ids(self.search(q='"migration Madrid"')), [])

    def test_boolean_operators_and_grouping(self):
        self.assertEqual(set(hit_ids(self.search(q="الهجرة -لفتيت"))) & {1, 2, 3, 4}, {1, 2})
        self.assertEqual(set(hit_ids(self.search(q="الهجرة NOT لفتيت"))) & {1, 2, 3, 4}, {1, 2})
        self.assertEqual(set(hit_ids(self.search(q="Madrid OR إيطاليا"))), {4, 5})
        self.assertEqual(set(hit_ids(self.search(q="(Madrid OR إيطاليا) لفتيت"))), {4})

    def test_field_filters_in_the_query(self):
        self.assertEqual(set(hit_ids(self.search(q="lang:fr Espagne"))), {5, *self._ids("Landes")})
        self.assertEqual(hit_ids(self.search(q="source:maroc-diplomatique")), [5])
        self.assertEqual(set(hit_ids(self.search(q="entity:abdelouafi-laftit"))), {3, 4})
        self.assertEqual(set(hit_ids(self.search(q="title:الهجرة"))), {1, 2, 3, 4})
        self.assertEqual(hit_ids(self.search(q="title:Madrid")), [5])
        self.assertEqual(hit_ids(self.search(q="title:Zerouali")), [])
        self.assertEqual(hit_ids(self.search(q="date:2023 migration")), [5])

    def _ids(self, title_start: str) -> set[int]:
        return set(
            Article.objects.filter(title__startswith=title_start).values_list("pk", flat=True)
        )

    def test_syntax_errors_are_searched_as_plain_words_with_a_note(self):
        for query in ('"Madrid', "(Madrid", "Madrid OR", "AND", "NOT", "Madrid )"):
            with self.subTest(query=query):
                response = self.search(q=query)
                self.assertContains(response, "mots simples")
        self.assertEqual(hit_ids(self.search(q='"Madrid')), [5])

    def test_very_long_queries_are_cut_with_a_note(self):
        response = self.search(q="migration " * 200)
        self.assertContains(response, "raccourcie")
        self.assertIn(5, hit_ids(response))

    def test_unknown_field_and_bad_values_are_explained(self):
        self.assertContains(self.search(q="auteur:Filali"), "Seuls ces champs")
        self.assertContains(self.search(q="date:hier migration"), "ignorée")

    def test_language_and_source_facets_with_counts(self):
        response = self.search(q="الهجرة OR migration")
        facets = response.context["facets"]
        languages = {c.value: c.count for c in facets["language"]}
        self.assertEqual(
            languages["ar"],
            len([h for h in hit_ids(response) if Article.objects.get(pk=h).language == "ar"])
            or languages["ar"],
        )
        self.assertIn("fr", languages)
        sources = {c.value: c.label for c in facets["source"]}
        self.assertEqual(sources["maroc-diplomatique"], "Maroc Diplomatique")
        self.assertContains(
            response, "?q=%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9+OR+migration&amp;lang=fr"
        )

    def test_clicking_a_facet_filters_and_the_filter_can_be_removed(self):
        response = self.search(q="الهجرة OR migration", lang="fr")
        self.assertTrue(hit_ids(response))
        self.assertEqual({Article.objects.get(pk=pk).language for pk in hit_ids(response)}, {"fr"})
        self.assertContains(response, 'class="active-filters"')
        self.assertContains(response, 'href="?q=%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9+OR+migration"')

    def test_entity_and_year_facets(self):
        response = self.search(q="لفتيت")
        self.assertEqual(
            [(c.value, c.label, c.count) for c in response.context["facets"]["entity"]],
            [("abdelouafi-laftit", "Abdelouafi Laftit", 2)],
        )
        response = self.search(q="migrants")
        years = {c.value for c in response.context["facets"]["year"]}
        self.assertEqual(years, {"2016", "2017", "2018", "2019", "2020", "2023"})
        year = sorted(years)[0]
        filtered = self.search(q="migrants", year=year)
        self.assertTrue(
            all(
                Article.objects.get(pk=pk).published_at.year == int(year)
                for pk in hit_ids(filtered)
            )
        )

    def test_date_range(self):
        response = self.search(q="migrants", **{"from": "2018-11-01", "to": "2018-12-31"})
        dates = [Article.objects.get(pk=pk).published_at.isoformat() for pk in hit_ids(response)]
        self.assertTrue(dates)
        self.assertTrue(all("2018-11-01" <= d <= "2018-12-31" for d in dates))
        self.assertEqual(hit_ids(self.search(q="migration", **{"from": "2031"})), [])

    def test_sorting_by_date(self):
        newest = [
            Article.objects.get(pk=pk).published_at
            for pk in hit_ids(self.search(q="migrants", sort="newest"))
        ]
        oldest = [
            Article.objects.get(pk=pk).published_at
            for pk in hit_ids(self.search(q="migrants", sort="oldest"))
        ]
        self.assertEqual(newest, sorted(newest, reverse=True))
        self.assertEqual(oldest, sorted(oldest))
        self.assertEqual(newest, list(reversed(oldest)))

    def test_filters_without_words_list_newest_first(self):
        # No word to rank by: relevance would be the index's arbitrary order.
        for query in ("lang:fr", "date:2016..2023", "-Paris"):
            with self.subTest(query=query):
                dates = [
                    Article.objects.get(pk=pk).published_at
                    for pk in hit_ids(self.search(q=query))
                    if Article.objects.get(pk=pk).published_at
                ]
                self.assertGreater(len(dates), 1)
                self.assertEqual(dates, sorted(dates, reverse=True))

    def test_undated_articles_come_last_in_both_date_orders(self):
        for sort in ("newest", "oldest"):
            with self.subTest(sort=sort):
                dates = [
                    Article.objects.get(pk=pk).published_at
                    for pk in hit_ids(self.search(q="الهجرة OR Espagne", sort=sort))
                ]
                first_undated = dates.index(None)
                self.assertTrue(all(d is None for d in dates[first_undated:]))

    @override_settings(ARCHIVE_PAGE_SIZE=3)
    def test_pagination_keeps_every_parameter(self):
        response = self.search(q="migrants", lang="fr", sort="newest")
        total = response.context["page_obj"].hits
        self.assertGreater(total, 3)
        self.assertContains(response, f"{total} résultats")
        self.assertContains(response, 'href="?q=migrants&amp;lang=fr&amp;sort=newest&amp;page=2"')
        page2 = self.search(q="migrants", lang="fr", sort="newest", page=2)
        self.assertEqual(len(set(hit_ids(response)) & set(hit_ids(page2))), 0)
        last = self.search(q="migrants", lang="fr", sort="newest", page=999)
        self.assertEqual(last.context["page_obj"].number, last.context["page_obj"].num_pages)

    def test_each_hit_links_and_carries_its_language_and_direction(self):
        response = self.search(q="الهجرة OR Espagne")
        rows = BeautifulSoup(response.content, "html.parser").select("li.article-row")
        languages = set()
        for row in rows:
            article = Article.objects.get(pk=int(row.h2.a["href"].split("/")[2]))
            # The article's language and direction on its title and snippet
            # only; the metadata line is in the interface's (no lang of its own).
            for part in (row.h2, row.select_one("p.snippet")):
                self.assertEqual((part["lang"], part["dir"]), (article.language, article.direction))
            self.assertFalse(
                row.has_attr("lang") or row.select_one("p.article-meta").has_attr("lang")
            )
            languages.add(article.language)
        self.assertEqual(languages, {"ar", "fr"})
        self.assertIn('href="/articles/5/?q=', response.content.decode())
        self.assertContains(response, "Maroc Diplomatique")

    def test_article_opened_from_a_search_marks_the_words_and_leads_back(self):
        response = self.client.get("/articles/4/", {"q": "الهجرة", "lang": "ar", "page": "1"})
        html = response.content.decode()
        marked = set(re.findall(r"<mark>(.*?)</mark>", html))
        self.assertTrue(marked & {"الهجرة", "للهجرة", "والهجرة"}, marked)
        back = BeautifulSoup(html, "html.parser").select_one(".back-to-results a")["href"]
        self.assertEqual(back, "/search/?q=%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9&lang=ar&page=1")
        self.assertContains(response, "http://testserver/articles/4/")  # the citation
        plain = self.client.get("/articles/4/").content.decode()
        self.assertNotIn("<mark>", plain)
        self.assertNotIn("back-to-results", plain)

    def test_timeline_of_hits_per_year_narrows_the_search(self):
        response = self.search(q="Maroc OR المغرب")
        bars = response.context["timeline"]
        years = [bar.label for bar in bars]
        # Every year from the first to the last, oldest first, empty ones too
        # (bars side by side are consecutive years); an empty year is no link.
        self.assertEqual(years, [str(y) for y in range(int(years[0]), int(years[-1]) + 1)])
        self.assertGreater(len(bars), 1)
        self.assertIn(0, [bar.count for bar in bars])  # the sample has gaps
        self.assertEqual(
            sum(bar.count for bar in bars), sum(c.count for c in response.context["facets"]["year"])
        )
        page = BeautifulSoup(response.content, "html.parser")
        links = page.select(".timeline-bars a")
        self.assertEqual(len(links), len([bar for bar in bars if bar.count]))
        self.assertEqual({bar.href for bar in bars if not bar.count}, {None})
        self.assertEqual(len(page.select(".timeline-table tbody tr")), len(bars))  # as a table too
        narrowed = self.client.get("/search/" + links[0]["href"])
        self.assertEqual(narrowed.context["criteria"].year, years[0])
        # A year chosen: its twelve months, which hold all its hits.
        months = narrowed.context["timeline"]
        self.assertEqual(len(months), 12)
        self.assertEqual(sum(bar.count for bar in months), narrowed.context["page_obj"].hits)
        busiest = max(months, key=lambda bar: bar.count)
        month = self.client.get("/search/" + busiest.href)
        self.assertEqual(month.context["page_obj"].hits, busiest.count)
        current = [bar for bar in month.context["timeline"] if bar.current]
        self.assertEqual([bar.label for bar in current], [busiest.label])

    def test_a_search_whose_hits_fall_in_one_year_shows_its_months(self):
        response = self.search(q="Maroc OR المغرب", **{"from": "2023-01-01", "to": "2023-12-31"})
        self.assertEqual([c.value for c in response.context["facets"]["year"]], ["2023"])
        months = response.context["timeline"]
        self.assertEqual(len(months), 12)
        self.assertEqual(sum(bar.count for bar in months), response.context["page_obj"].hits)
        self.assertIn("2023", response.context["timeline_title"])

    def test_article_opened_from_a_search_is_escaped(self):
        html = self.client.get(f"/articles/{self.evil.pk}/", {"q": "Tanger"}).content.decode()
        self.assertIn("<mark>Tanger</mark>", html)
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<img src=x", html)

    def test_highlighting_marks_other_forms_in_both_scripts(self):
        html = self.search(q="الهجرة").content.decode()
        marked = set(re.findall(r"<mark>(.*?)</mark>", html))
        self.assertIn("الهجرة", marked)
        self.assertTrue(marked & {"للهجرة", "والهجرة", "بالهجرة"}, marked)
        html = self.search(q="migrant").content.decode()
        self.assertTrue({"migrants", "Migrants"} & set(re.findall(r"<mark>(.*?)</mark>", html)))

    def test_article_text_is_escaped_in_results(self):
        html = self.search(q="Tanger").content.decode()
        self.assertIn(f'href="/articles/{self.evil.pk}/?q=Tanger"', html)
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<img src=x", html)
        self.assertNotIn("<b>Evil</b>", html)
        self.assertIn("&lt;script&gt;", html)

    def test_did_you_mean(self):
        response = self.search(q="migraton Espagne")
        self.assertEqual(response.context["suggestion"], "migration Espagne")
        self.assertContains(response, 'href="?q=migration+Espagne"')
        self.assertEqual(self.search(q="الهجرت").context["suggestion"], "الهجرة")
        self.assertIsNone(self.search(q="migration").context["suggestion"])

    def test_empty_query_with_filters_lists_newest_first(self):
        response = self.search(lang="ar")
        ids = hit_ids(response)
        self.assertEqual(
            set(ids), set(Article.objects.filter(language="ar").values_list("pk", flat=True))
        )
        french = hit_ids(self.search(lang="fr"))
        dates = [Article.objects.get(pk=pk).published_at for pk in french]
        self.assertEqual([d for d in dates if d], sorted([d for d in dates if d], reverse=True))

    def test_empty_query_without_filters_shows_help_not_everything(self):
        response = self.search()
        self.assertEqual(hit_ids(response), [])
        self.assertContains(response, "Comment chercher")

    def test_no_results_gives_help(self):
        response = self.search(q="Kamtchatka")
        self.assertContains(response, "Aucun article ne correspond")
        self.assertContains(response, "Tanger OR Tétouan")

    def test_bad_parameters_never_fail(self):
        for params in (
            {"q": "migration", "page": "abc"},
            {"q": "migration", "year": "20x3"},
            {"q": "migration", "from": "2023-13-45"},
            {"q": "migration", "sort": "sideways"},
            {"q": "migration", "lang": "xx"},
            {"q": "migration", "source": "a b'c"},
            {"q": "'\"()*:^~[]{}\\"},
            {"q": "*"},
            {"q": "في"},
            {"q": "\x00\x01"},
        ):
            with self.subTest(params=params):
                self.assertEqual(self.client.get("/search/", params).status_code, 200)
        self.assertContains(self.search(q="migration", **{"from": "2023-13-45"}), "Du")

    def test_search_box_on_every_page(self):
        for url in ("/", "/articles/1/", "/sources/annahar24/", "/search/?q=Madrid"):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), 'name="q"')
        self.assertContains(self.client.get("/"), 'dir="auto"')

    def test_result_page_query_count_is_constant(self):
        # the alias table (two queries) and the thesaurus (one), both cached in
        # production; articles with their sources (one), facet display names
        # (sources, entities); the PostgreSQL
        # engine's own: a savepoint and its release, the time budget, the
        # sample bucket's count (exact or estimated facets?), the total with
        # the facets, the page of hits, the incomplete mark; the hits'
        # wire-copy groups and their other versions (two); the PostgreSQL
        # vocabulary's frequencies of the first hits' title words (search.order.ranking).
        with self.assertNumQueries(8 if ENGINE == "whoosh" else 16):
            self.search(q="الهجرة OR migration")
