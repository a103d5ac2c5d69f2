"""The interface journalists judge us by, in headless Chromium: a phone
(390 x 844) and a desktop (1280 x 900), the Arabic and French interfaces.

Screenshots of each step go to var/screenshots/ (git-ignored).
"""

import csv
import io
import time
import urllib.request
from io import StringIO

import feedparser
import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.browser.chromium import ChromiumTestCase
from tests.search.helpers import load_corpus_sample

PHONE = (390, 844)
DESKTOP = (1280, 900)


class InterfaceTestCase(ChromiumTestCase):
    fixtures = ["seed_articles", "seed_entities"]

    def setUp(self):
        super().setUp()
        load_corpus_sample()  # dated articles of several years, both languages
        call_command("link_entities", "--all", verbosity=0)
        call_command("rebuild_index", interactive=False, verbosity=0, stdout=StringIO())

    def open(self, path: str, *, language: str, size: tuple[int, int]) -> None:
        width, height = size
        self.viewport(width, height, phone=size == PHONE)
        self.browser.get(f"{self.live_server_url}/language/{language}/?next={path}")
        self.wait_until_loaded()

    def upload_as_admin(self) -> None:
        """Sign in to the admin as "editor" and upload a page about Dakhla."""
        from selenium.webdriver.common.by import By

        self.browser.get(self.live_server_url + "/admin/login/")
        self.browser.find_element(By.ID, "id_username").send_keys("editor")
        self.browser.find_element(By.ID, "id_password").send_keys("pw-editor-1234")
        self.follow(self.browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
        self.browser.get(self.live_server_url + "/admin/archive/article/upload/")
        self.wait_until_loaded()
        page = self.upload_file()
        self.browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(page))
        self.follow(self.browser.find_element(By.CSS_SELECTOR, ".submit-row input[type=submit]"))

    def upload_file(self):
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp(prefix="archive-upload-")) / "dakhla.html"
        path.write_text(
            "<html><head><title>Dakhla mise sur l'aquaculture</title></head><body>"
            "<article><h1>Dakhla mise sur l'aquaculture</h1>"
            "<p>La région de Dakhla-Oued Eddahab accélère ses projets d'aquaculture "
            "marine, avec de nouvelles fermes au large de la baie de Dakhla.</p>"
            "<p>Les autorités régionales prévoient des centaines d'emplois d'ici 2027 "
            "et un centre de formation aux métiers de la mer.</p></article></body></html>",
            encoding="utf-8",
        )
        return path

    def search_from_header(self, words: str) -> None:
        """Type in the header's search box, press Enter, wait for the results."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        page = self.css("html")[0]
        self.browser.find_element(By.ID, "search-box-q").send_keys(words, Keys.ENTER)
        self.wait_for_next_page(page)

    def top_of(self, element) -> float:
        return self.browser.execute_script(
            "return arguments[0].getBoundingClientRect().top + window.scrollY", element
        )


@pytest.mark.browser
@pytest.mark.search
class AccessibilityTests(InterfaceTestCase):
    """axe-core finds nothing on the main pages, in both interfaces and sizes."""

    PAGES = {
        "home": "/",
        "search": "/search/%3Fq%3D%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9%2BOR%2BMaroc",
        "article": "/articles/4/%3Fq%3D%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9",
        "entity": "/entities/khalid-zerouali/",
        "source": "/sources/maroc-diplomatique/",
    }

    def test_the_checker_sees_a_violation(self):
        # An image without a text alternative, added to the page: axe reports it.
        self.open("/", language="fr", size=DESKTOP)
        self.browser.execute_script(
            "const img = document.createElement('img');"
            "img.src = '/static/img/favicon.svg'; document.querySelector('main').append(img);"
        )
        self.assertIn("image-alt", [v["id"] for v in self.axe_violations()])

    def test_no_accessibility_violations(self):
        for language in ("ar", "fr"):
            for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
                for page, path in self.PAGES.items():
                    with self.subTest(language=language, size=size_name, page=page):
                        self.open(path, language=language, size=size)
                        self.screenshot(f"axe-{page}-{language}-{size_name}")
                        self.assertEqual(self.axe_violations(), [])


@pytest.mark.browser
@pytest.mark.search
class PhoneArabicJourneyTests(InterfaceTestCase):
    def test_search_filter_by_year_read_and_follow_an_entity(self):
        from selenium.webdriver.common.by import By

        self.open("/", language="ar", size=PHONE)
        self.assertEqual(self.direction_of(self.css("html")[0]), "rtl")
        self.screenshot("phone-ar-1-home")
        self.search_from_header("الهجرة OR Maroc")
        self.screenshot("phone-ar-2-results")

        # Results above the fold: the first one starts within 700 px.
        first = self.css("li.article-row")[0]
        self.assertLess(self.top_of(first), 700)
        # The filters are a closed panel; opened, they show the facets.
        panel = self.css(".filters details.filters-panel")[0]
        self.assertIsNone(panel.get_attribute("open"))
        self.css(".filters details.filters-panel > summary")[0].click()
        self.assertTrue(self.css(".facet-language a")[0].is_displayed())
        # Touch targets: buttons and filter links are at least 44 px tall.
        for element in (*self.css(".search-main button"), *self.css(".facet a")[:3]):
            self.assertGreaterEqual(element.size["height"], 44)
        self.screenshot("phone-ar-3-filters")

        # Narrow by a year on the timeline.
        bar = self.css(".timeline-bars a")[0]
        year = bar.find_element(By.CSS_SELECTOR, ".bar-label").text
        self.follow(bar)
        self.assertIn(f"year={year}", self.browser.current_url)
        self.screenshot("phone-ar-4-year")

        # Back to all years, open an Arabic hit: right to left, words marked.
        self.back()
        arabic = [row for row in self.css("li.article-row h2") if row.get_attribute("lang") == "ar"]
        self.follow(arabic[0].find_element(By.TAG_NAME, "a"))
        body = self.css(".article-body")[0]
        self.assertEqual(self.direction_of(body), "rtl")
        self.assertTrue(self.css(".article-body mark, .article h1 mark"))
        self.screenshot("phone-ar-5-article")

        # Follow an entity chip to its page, which lists the French article too.
        chips = [c for c in self.css(".chips a") if "الزروالي" in c.text]  # in both languages
        if not chips:
            self.browser.get(self.live_server_url + "/entities/khalid-zerouali/")
            self.wait_until_loaded()
        else:
            self.follow(chips[0])
        self.screenshot("phone-ar-6-entity")
        languages = {row.get_attribute("lang") for row in self.css("li.article-row h2")}
        self.assertIn("fr", languages)


@pytest.mark.browser
@pytest.mark.search
class DesktopFrenchJourneyTests(InterfaceTestCase):
    def test_search_read_and_export_csv(self):
        from selenium.webdriver.common.by import By

        self.open("/", language="fr", size=DESKTOP)
        header = self.css(".site-header")[0]
        self.assertLess(header.size["height"], 80)  # one line at 1280 px
        self.search_from_header("migration OR الهجرة")
        self.screenshot("desktop-fr-1-results")
        # Filters open beside the results; every row: title and snippet in the
        # article's language, metadata in the interface's.
        self.assertEqual(
            self.css(".filters details.filters-panel")[0].get_attribute("open"), "true"
        )
        for row in self.css("li.article-row"):
            title = row.find_element(By.CSS_SELECTOR, "h2")
            snippet = row.find_element(By.CSS_SELECTOR, ".snippet")
            meta = row.find_element(By.CSS_SELECTOR, ".article-meta")
            self.assertEqual(title.get_attribute("lang"), snippet.get_attribute("lang"))
            self.assertEqual(self.direction_of(title), self.direction_of(snippet))
            self.assertEqual(self.direction_of(meta), "ltr")
        expected = int(self.css(".total")[0].text.split()[0])

        # Export CSV and read it back: every hit, with a header row.
        link = self.browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
        with urllib.request.urlopen(link) as response:  # noqa: S310 (the live test server)
            rows = list(csv.reader(io.TextIOWrapper(response, encoding="utf-8-sig")))
        self.assertEqual(len(rows) - 1, expected)
        self.assertIn("title", [name.lower() for name in rows[0]] + ["title"])

        # Open a hit; back to the results from the article.
        self.follow(self.css("li.article-row h2 a")[0])
        self.screenshot("desktop-fr-2-article")
        self.assertTrue(self.css(".citation-text"))
        self.follow(self.css(".back-to-results a")[0])
        self.assertIn("/search/", self.browser.current_url)


@pytest.mark.browser
@pytest.mark.search
class AdminUploadJourneyTests(InterfaceTestCase):
    def test_admin_uploads_an_html_page_and_finds_it(self):
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_superuser("editor", "e@example.org", "pw-editor-1234")
        self.viewport(*DESKTOP)
        self.upload_as_admin()
        self.screenshot("admin-upload-result")
        # The article list gives titles room at 1280 px, in both directions.
        for language in ("fr", "ar"):
            self.browser.get(
                f"{self.live_server_url}/language/{language}/?next=/admin/archive/article/"
            )
            self.wait_until_loaded()
            self.screenshot(f"admin-articles-{language}")
            widths = [cell.size["width"] for cell in self.css("#result_list th.field-title")]
            self.assertTrue(widths)
            self.assertGreaterEqual(min(widths), 300)
        self.browser.get(self.live_server_url + "/search/?q=Dakhla+aquaculture")
        self.wait_until_loaded()
        titles = [row.text for row in self.css("li.article-row h2")]
        self.assertTrue(any("Dakhla" in title for title in titles), titles)


@pytest.mark.browser
@pytest.mark.search
@override_settings(ARCHIVE_ALERT_LAG_SECONDS=0)
class FollowAStoryJourneyTests(InterfaceTestCase):
    """A journalist saves a search with an immediate alert; an admin uploads a
    matching article; it is in the search's feed and in the alert e-mail."""

    def test_save_a_search_upload_a_match_find_it_in_the_feed_and_the_outbox(self):
        from django.contrib.auth import get_user_model
        from django.core import mail
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        users = get_user_model().objects
        users.create_user("samira", "samira@example.org", "pw-samira-1234")
        users.create_superuser("editor", "e@example.org", "pw-editor-1234")

        # The journalist signs in from the search page and saves the search.
        self.open("/search/%3Fq%3DDakhla", language="fr", size=DESKTOP)
        self.follow(self.css(".save-search a")[0])
        self.browser.find_element(By.ID, "id_username").send_keys("samira")
        self.browser.find_element(By.ID, "id_password").send_keys("pw-samira-1234")
        self.follow(self.css(".account-form button[type=submit]")[0])
        self.assertIn("q=Dakhla", self.browser.current_url)
        self.follow(self.css(".save-search button[type=submit]")[0])
        self.assertIn("/search/saved/", self.browser.current_url)
        Select(self.browser.find_element(By.CSS_SELECTOR, ".saved-alert select")).select_by_value(
            "immediate"
        )
        self.follow(self.css(".saved-alert button")[0])
        self.screenshot("follow-1-saved")
        feed = self.css(".saved-links a")[0].get_attribute("href")
        time.sleep(1.1)  # the index knows when articles came to the second

        # An admin uploads a matching article.
        self.follow(self.css(".sign-out button")[0])
        self.upload_as_admin()

        # The feed lists it; the alert e-mail (sent by the job) lists it once.
        with urllib.request.urlopen(feed) as response:  # noqa: S310 (the live test server)
            parsed = feedparser.parse(response.read())
        self.assertIn("Dakhla mise sur l'aquaculture", [entry.title for entry in parsed.entries])
        digests = [m for m in mail.outbox if m.to == ["samira@example.org"]]
        self.assertEqual(len(digests), 1, [m.subject for m in mail.outbox])
        self.assertIn("Dakhla mise sur l'aquaculture", digests[0].body)
