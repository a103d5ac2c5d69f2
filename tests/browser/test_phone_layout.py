"""What a journalist on a phone judges first, in headless Chromium: no page is
wider than the screen (320, 390 and 414 px, both interfaces, after a
timeline tap too), the first hit is on the first screen, timelines show
every year, a search's feed keeps its search, and sign-up says what it does.

Screenshots of each page go to var/screenshots/ (git-ignored).
"""

import urllib.request
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from django.core import mail
from django.test import override_settings

from tests.browser.test_interface import DESKTOP, PHONE, InterfaceTestCase

PAGES = {
    "home": "/",
    "search": "/search/%3Fq%3D%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9",  # الهجرة
    "search-fr": "/search/%3Fq%3Dmigration%2BOR%2BMaroc",
    "article": "/articles/2/",
    "article-from-search": "/articles/1/%3Fq%3D%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9",
    "entity": "/entities/khalid-zerouali/",
    "source": "/sources/maroc-diplomatique/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
}


class PhoneTestCase(InterfaceTestCase):
    def page_width(self) -> tuple[int, int]:
        """(the document's scroll width, the viewport's width) in CSS px."""
        return tuple(
            self.browser.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]"
            )
        )

    def assert_fits(self, name: str) -> None:
        content, screen = self.page_width()
        self.assertLessEqual(content, screen, f"{name}: {content} px wide on a {screen} px screen")

    def bottom_of(self, element) -> float:
        return self.browser.execute_script(
            "return arguments[0].getBoundingClientRect().bottom + window.scrollY", element
        )


@pytest.mark.browser
@pytest.mark.search
class NoPageWiderThanThePhoneTests(PhoneTestCase):
    def test_every_page_fits_at_390_px_in_both_interfaces(self):
        for language in ("ar", "fr"):
            for name, path in PAGES.items():
                with self.subTest(language=language, page=name):
                    self.open(path, language=language, size=PHONE)
                    self.screenshot(f"fit-{name}-{language}")
                    self.assert_fits(name)

    def test_the_timelines_fit_after_a_tap_at_every_phone_width(self):
        for width in (320, 390, 414):
            for language in ("ar", "fr"):
                with self.subTest(language=language, width=width):
                    self.open(
                        "/search/%3Fq%3Dmigration%2BOR%2BMaroc%2BOR%2B%D8%A7%D9%84%D9%87%D8%AC%D8%B1%D8%A9",
                        language=language,
                        size=(width, 844),
                    )
                    self.assert_fits("years")
                    # Tap the busiest year: its twelve months replace the years.
                    bars = self.css(".timeline-bars a")
                    self.follow(bars[-1])
                    self.assertIn("year=", self.browser.current_url)
                    self.assertEqual(len(self.css(".timeline-bars li")), 12)
                    self.screenshot(f"fit-months-{language}-{width}")
                    self.assert_fits("months")
                    # Every month's label is whole (a number on phones), none cut.
                    for label in self.css(".timeline-bars .bar-tiny"):
                        self.assertTrue(label.is_displayed())
                        self.assertLessEqual(
                            self.browser.execute_script(
                                "return arguments[0].scrollWidth - arguments[0].parentNode.clientWidth",
                                label,
                            ),
                            0,
                        )
                    # Tap a month: the page still fits.
                    self.follow(self.css(".timeline-bars a")[0])
                    self.assertIn("from=", self.browser.current_url)
                    self.assert_fits("a month")


@pytest.mark.browser
@pytest.mark.search
class FirstHitOnTheFirstScreenTests(PhoneTestCase):
    fixtures = ["seed_articles", "seed_entities", "seed_concepts"]  # the thesaurus widens

    def test_the_first_hit_is_on_the_first_screen_in_both_interfaces(self):
        # الهجرة is widened to a thesaurus concept (a note and "Also searched"),
        # has exports, a timeline and the sign-in prompt: all folded below.
        for language, path in (
            ("ar", PAGES["search"]),
            ("fr", "/search/%3Fq%3Dmigration"),
        ):
            with self.subTest(language=language):
                self.open(path, language=language, size=PHONE)
                self.screenshot(f"first-hit-{language}")
                first_title = self.css("li.article-row h2")[0]
                screen = self.browser.execute_script("return window.innerHeight")
                self.assertLessEqual(self.bottom_of(first_title), screen)
                # What was folded is one tap away.
                notes = self.css("details.search-notes")[0]
                self.assertIsNone(notes.get_attribute("open"))
                self.css("details.search-notes > summary")[0].click()
                self.assertTrue(self.css(".also-searched")[0].is_displayed())
                tools = self.css("details.result-tools")[0]
                self.assertIsNone(tools.get_attribute("open"))
                self.css("details.result-tools > summary")[0].click()
                self.assertTrue(self.css(".exports a")[0].is_displayed())

    def test_on_a_desktop_nothing_is_folded(self):
        self.open(PAGES["search"], language="fr", size=DESKTOP)
        for panel in self.css("details.fold-on-phone"):
            self.assertEqual(panel.get_attribute("open"), "true")


@pytest.mark.browser
@pytest.mark.search
class TimelineTests(PhoneTestCase):
    def test_the_year_timeline_shows_empty_years(self):
        self.open("/search/%3Fq%3Dmigration%2BOR%2BMaroc", language="fr", size=DESKTOP)
        labels = [
            int(bar.get_attribute("textContent").strip())
            for bar in self.css(".timeline-bars .bar-short")
        ]
        self.assertEqual(labels, list(range(labels[0], labels[-1] + 1)))  # no gap
        self.assertIn(2021, labels)  # the sample has nothing from 2021 or 2022
        empty = [
            row.text
            for row in self.css(".timeline-table tbody tr")
            if row.get_attribute("textContent").strip().endswith("0")
        ]
        self.assertTrue(empty)

    def test_changing_the_sort_applies_it_at_once(self):
        from selenium.webdriver.support.ui import Select

        self.open("/search/%3Fq%3Dmigration", language="fr", size=DESKTOP)
        page = self.css("html")[0]
        Select(self.css("select[name=sort]")[0]).select_by_value("newest")
        self.wait_for_next_page(page)
        self.assertIn("sort=newest", self.browser.current_url)


@pytest.mark.browser
@pytest.mark.search
class FeedTests(PhoneTestCase):
    def test_the_search_feed_link_keeps_the_search_and_its_language(self):
        self.open("/search/%3Fq%3DMacron", language="ar", size=DESKTOP)
        link = self.css(".feed-link a")[0].get_attribute("href")
        # A feed reader: no cookie, no Accept-Language.
        request = urllib.request.Request(link, headers={"Accept-Language": ""})  # noqa: S310
        with urllib.request.urlopen(request) as response:  # noqa: S310 (the live test server)
            feed = feedparser.parse(response.read())
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        self_link = next(item.href for item in feed.feed.links if item.rel == "self")
        self.assertEqual(parse_qs(urlsplit(self_link).query), {"q": ["Macron"], "hl": ["ar"]})
        self.assertTrue(feed.feed.title.startswith("بحث"), feed.feed.title)
        self.assertEqual(urlsplit(self_link).path, "/search/feed.atom")

    def test_the_favicon_is_served(self):
        with urllib.request.urlopen(self.live_server_url + "/favicon.ico") as response:  # noqa: S310
            self.assertEqual(response.status, 200)
            self.assertEqual(response.read(4), b"\x00\x00\x01\x00")  # an ICO file


@pytest.mark.browser
class SignupTests(PhoneTestCase):
    def test_closed_sign_up_says_whom_to_ask(self):
        self.open("/accounts/login/", language="fr", size=PHONE)
        self.assertIn("administrateurs", self.css(".no-account")[0].text)
        self.open("/accounts/signup/", language="ar", size=PHONE)
        self.assertIn("مسؤولو الأرشيف", self.css(".accounts-closed")[0].text)
        self.assertFalse(self.css("input[name=password1]"))

    @override_settings(ARCHIVE_SIGNUP_OPEN=True, ARCHIVE_SITE_URL="")
    def test_open_sign_up_with_e_mail_confirmation(self):
        from selenium.webdriver.common.by import By

        self.open("/accounts/login/", language="fr", size=PHONE)
        self.follow(self.css(".no-account a")[0])
        self.assertIn("/accounts/signup/", self.browser.current_url)
        for name, value in (
            ("username", "karima"),
            ("email", "karima@example.org"),
            ("password1", "Souss-Massa-2026!"),
            ("password2", "Souss-Massa-2026!"),
        ):
            self.browser.find_element(By.NAME, name).send_keys(value)
        self.follow(self.css(".account-form button[type=submit]")[0])
        self.screenshot("signup-sent")
        self.assertIn("karima@example.org", self.css("main")[0].text)
        self.assertEqual(len(mail.outbox), 1)
        link = next(word for word in mail.outbox[0].body.split() if "/accounts/signup/" in word)
        self.browser.get(self.live_server_url + link)
        self.wait_until_loaded()
        self.assertIn("/search/saved/", self.browser.current_url)
        self.assertTrue(self.css(".sign-out button"))
