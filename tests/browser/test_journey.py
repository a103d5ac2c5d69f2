"""A journalist's first visit, in a real headless Chromium (Debian's package)."""

import pytest

from tests.browser.chromium import ChromiumTestCase


@pytest.mark.browser
class BrowseJourneyTests(ChromiumTestCase):
    def test_browse_read_filter_and_switch_to_arabic(self):
        from selenium.webdriver.common.by import By

        self.browser.get(self.live_server_url + "/")
        titles = self.css("li.article-row h2")
        self.assertEqual(len(titles), 5)
        self.assertEqual(sorted(self.direction_of(t) for t in titles), ["ltr"] + ["rtl"] * 4)

        # Read the Italian-Moroccan article from its title link.
        self.follow(self.browser.find_element(By.PARTIAL_LINK_TEXT, "المغرب وإيطاليا"))
        article = self.css("article.article")[0]
        self.assertEqual(self.direction_of(self.css(".article-body")[0]), "rtl")
        self.assertIn("حميد الكمالي", article.text)
        self.assertIn("النهار24", article.text)

        # Back to the list, keep only French articles via the language facet.
        self.back()
        self.follow(self.css('.facet a[href*="language=fr"]')[0])
        rows = self.css("li.article-row")
        self.assertEqual(len(rows), 1)
        self.assertEqual(self.direction_of(self.css("li.article-row h2")[0]), "ltr")
        self.assertIn("language=fr", self.browser.current_url)

        # Switch the interface to Arabic: the page turns RTL, the French row stays LTR.
        self.follow(self.css('.language-switcher a[hreflang="ar"]')[0])
        html = self.css("html")[0]
        self.assertEqual(html.get_attribute("lang"), "ar")
        self.assertEqual(self.direction_of(html), "rtl")
        self.assertEqual(self.direction_of(self.css("li.article-row h2")[0]), "ltr")
        # Its metadata line is the interface's: right to left.
        self.assertEqual(self.direction_of(self.css("li.article-row .article-meta")[0]), "rtl")
        self.assertIn("language=fr", self.browser.current_url)


@pytest.mark.browser
@pytest.mark.search
class SearchJourneyTests(ChromiumTestCase):
    """Search from the header box, narrow with a facet, open a highlighted hit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from io import StringIO

        from django.core.management import call_command

        call_command("rebuild_index", interactive=False, verbosity=0, stdout=StringIO())

    def test_search_facet_and_open_a_hit(self):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        self.browser.get(self.live_server_url + "/")
        box = self.browser.find_element(By.ID, "search-box-q")
        self.assertEqual(box.get_attribute("dir"), "auto")
        page = self.css("html")[0]
        box.send_keys("الهجرة OR migration", Keys.ENTER)

        self.wait_for_next_page(page)

        rows = self.css("li.article-row")
        self.assertEqual(len(rows), 5)
        marks = [m.text for m in self.css("li.article-row mark")]
        self.assertIn("للهجرة", marks)  # another form of the word, highlighted

        # Only Arabic hits, via the language facet; the filter shows as active.
        self.follow(self.css('.facet-language a[href*="lang=ar"]')[0])
        self.assertEqual(len(self.css("li.article-row")), 4)
        self.assertTrue(all(self.direction_of(t) == "rtl" for t in self.css("li.article-row h2")))
        self.assertEqual(len(self.css(".active-filters a")), 1)

        # Open the first hit.
        self.follow(self.css("li.article-row h2 a")[0])
        self.assertIn("/articles/", self.browser.current_url)
        self.assertEqual(self.direction_of(self.css(".article-body")[0]), "rtl")
        # Opened from the search: its words marked, and a way back to the results.
        self.assertTrue(self.css(".article-body mark"))
        self.follow(self.css(".back-to-results a")[0])
        self.assertEqual(len(self.css(".active-filters a")), 1)


@pytest.mark.browser
@pytest.mark.search
class ContentSecurityPolicyTests(ChromiumTestCase):
    """The site and the admin work under the Content-Security-Policy: Chromium
    reports no refused script, style or image on any page."""

    fixtures = ["seed_articles", "seed_entities"]

    def test_no_page_breaks_the_policy(self):
        from io import StringIO

        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from selenium.webdriver.common.by import By

        call_command("rebuild_index", interactive=False, verbosity=0, stdout=StringIO())
        get_user_model().objects.create_superuser("editor", "e@example.org", "pw-editor-1234")
        self.browser.get(self.live_server_url + "/admin/login/")
        self.browser.find_element(By.ID, "id_username").send_keys("editor")
        self.browser.find_element(By.ID, "id_password").send_keys("pw-editor-1234")
        self.follow(self.css('input[type="submit"]')[0])
        pages = [
            "/",
            "/search/?q=الهجرة",
            "/articles/1/",
            "/entities/abdelouafi-laftit/",
            "/admin/",
            "/admin/archive/article/",
            "/admin/archive/article/1/change/",
            "/admin/archive/article/add/",
            "/admin/archive/article/upload/",
            "/admin/archive/entity/1/change/",
            "/admin/archive/job/",
            "/admin/search/indexbacklog/",
        ]
        self.browser.get_log("browser")  # start from an empty console
        for page in pages:
            with self.subTest(page):
                self.browser.get(self.live_server_url + page)
                self.assertTrue(self.css("body"))
                refused = [
                    entry["message"]
                    for entry in self.browser.get_log("browser")
                    if "Content Security Policy" in entry["message"]
                ]
                self.assertEqual(refused, [])
        # The date widgets of the admin (JavaScript of its own files) still work.
        self.browser.get(self.live_server_url + "/admin/archive/article/add/")
        self.assertTrue(self.css(".datetimeshortcuts"))
