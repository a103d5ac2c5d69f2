"""Following a story: accounts, saved searches, Atom feeds and e-mail alerts,
with the configured engine (both engines in CI)."""

import datetime
import time
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from archive.models import Concept, ConceptTerm, Entity, EntityAlias
from archive.services import article_create
from search.following.alerts import send_digest
from search.following.saved import expansion_changed, new_matches
from search.models import SavedSearch
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search


class FailingBackend:
    """An e-mail backend whose server refuses every message (as SMTP can)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused the connection")


@override_settings(ARCHIVE_ALERT_LAG_SECONDS=0)
class FollowAStoryTests(IndexedTestCase):
    fixtures = ["seed_articles"]
    reindex_each_test = True

    @classmethod
    def setUpTestData(cls):
        cls.journalist = get_user_model().objects.create_user(
            "samira", "samira@example.org", "pw-samira-1234"
        )

    def setUp(self):
        super().setUp()
        self.client.force_login(self.journalist)

    def save(self, **params) -> SavedSearch:
        response = self.client.post("/search/saved/new", {"name": "Suivi", **params})
        self.assertRedirects(response, "/search/saved/")
        # Saved a minute ago (the index knows when articles came to the second).
        minute_ago = timezone.now() - datetime.timedelta(minutes=1)
        SavedSearch.objects.filter(name="Suivi").update(seen_at=minute_ago, digest_until=minute_ago)
        return SavedSearch.objects.get(user=self.journalist, name="Suivi")

    def add_article(self, title: str, body: str, language: str = "fr"):
        with self.captureOnCommitCallbacks(execute=True):  # the index write after commit
            return article_create(title=title, body=body, language=language)

    def test_signing_in_and_resetting_a_password(self):
        self.client.logout()
        self.assertContains(self.client.get("/search/", {"q": "migration"}), "Connectez-vous")
        response = self.client.post(
            "/accounts/login/", {"username": "samira", "password": "pw-samira-1234"}
        )
        self.assertRedirects(response, "/search/saved/")
        self.client.post("/accounts/logout/")
        self.client.post("/accounts/password_reset/", {"email": "samira@example.org"})
        self.assertEqual(len(mail.outbox), 1)
        link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
        path = link[link.index("/accounts/reset/") :].strip()
        form = self.client.get(path, follow=True)
        self.assertContains(form, "id_new_password1")

    def test_a_saved_search_counts_what_was_added_since_it_was_opened(self):
        saved = self.save(q="Dakhla", lang="fr")
        self.assertEqual(saved.params, {"q": "Dakhla", "lang": "fr"})
        self.assertEqual(new_matches(saved), 0)
        self.add_article("Dakhla et la pêche", "Le port de Dakhla accueille la flotte de pêche.")
        self.add_article("الداخلة والصيد", "ميناء الداخلة يستقبل أسطول الصيد.", "ar")  # lang:ar
        self.add_article("Agadir", "Le port d'Agadir.")  # another story
        page = self.client.get("/search/saved/")
        self.assertContains(page, "1 nouvel article")
        response = self.client.get(f"/search/saved/{saved.pk}/")
        self.assertRedirects(response, "/search/?q=Dakhla&lang=fr", fetch_redirect_response=False)
        saved.refresh_from_db()
        self.assertEqual(new_matches(saved), 0)

    def test_only_the_owner_sees_a_saved_search(self):
        saved = self.save(q="Dakhla")
        other = get_user_model().objects.create_user("karim", "k@example.org", "pw-karim-1234")
        self.client.force_login(other)
        self.assertEqual(self.client.get(f"/search/saved/{saved.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/search/saved/"), "Suivi")
        self.client.logout()
        self.assertRedirects(
            self.client.get("/search/saved/"), "/accounts/login/?next=/search/saved/"
        )

    def test_the_page_says_when_the_register_widens_the_search_otherwise(self):
        saved = self.save(q="Frontex")
        self.assertFalse(expansion_changed(saved))
        frontex = Entity.objects.create(name="Frontex", slug="frontex", kind="organization")
        EntityAlias.objects.create(entity=frontex, alias="فرونتكس", language="ar")
        self.assertTrue(expansion_changed(saved))
        self.assertContains(
            self.client.get("/search/saved/"), "registre des entités ou le thésaurus"
        )

    def test_the_page_says_when_the_thesaurus_widens_the_search_otherwise(self):
        concept = Concept.objects.create(name="Passeurs · تهريب المهاجرين", slug="smuggling")
        ConceptTerm.objects.create(concept=concept, term="passeurs", language="fr")
        ConceptTerm.objects.create(concept=concept, term="تهريب المهاجرين", language="ar")
        saved = self.save(q="passeurs")
        self.assertFalse(expansion_changed(saved))
        ConceptTerm.objects.create(concept=concept, term="مهربي المهاجرين", language="ar")
        self.assertTrue(expansion_changed(saved))
        self.assertContains(
            self.client.get("/search/saved/"), "registre des entités ou le thésaurus"
        )

    def test_atom_feeds_of_a_search_an_entity_and_a_source(self):
        search_page = self.client.get("/search/", {"q": "الهجرة OR migration"})
        self.assertContains(search_page, 'rel="alternate" type="application/atom+xml"')
        feed = feedparser.parse(
            self.client.get("/search/feed.atom", {"q": "الهجرة OR migration"}).content
        )
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        self.assertEqual(len(feed.entries), 5)
        languages = {entry.title_detail.language for entry in feed.entries}
        self.assertEqual(languages, {"ar", "fr"})
        entry = next(e for e in feed.entries if e.title_detail.language == "ar")
        self.assertIn('dir="rtl"', entry.summary)
        self.assertTrue(entry.link.startswith("http://testserver/articles/"))
        for path in ("/sources/maroc-diplomatique/feed.atom",):
            feed = feedparser.parse(self.client.get(path).content)
            self.assertFalse(feed.bozo)
            self.assertEqual(len(feed.entries), 1)

    def test_a_feeds_self_link_keeps_the_search_and_its_language(self):
        # The page links its feed with the reader's interface language.
        page = self.client.get("/search/", {"q": "Macron", "lang": "fr"}, HTTP_ACCEPT_LANGUAGE="ar")
        link = BeautifulSoup(page.content, "html.parser").select_one(
            'link[rel=alternate][type="application/atom+xml"]'
        )["href"]
        self.assertIn("q=Macron", link)
        self.assertIn("hl=ar", link)
        # A feed reader sends no cookie and no language: the feed keeps both.
        self.client.logout()
        response = self.client.get(link, HTTP_ACCEPT_LANGUAGE="")
        feed = feedparser.parse(response.content)
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        self_link = next(item.href for item in feed.feed.links if item.rel == "self")
        self.assertEqual(
            parse_qs(urlsplit(self_link).query), {"q": ["Macron"], "lang": ["fr"], "hl": ["ar"]}
        )
        self.assertEqual(urlsplit(self_link).path, "/search/feed.atom")
        self.assertEqual(response["Content-Language"], "ar")
        self.assertTrue(feed.feed.title.startswith("بحث"), feed.feed.title)
        # Followed, the self link gives the same feed.
        again = feedparser.parse(self.client.get(self_link).content)
        self.assertEqual([e.link for e in again.entries], [e.link for e in feed.entries])
        self.assertEqual(again.feed.title, feed.feed.title)

    def test_a_feed_without_a_language_speaks_the_language_of_its_words(self):
        self.client.logout()
        arabic = self.client.get("/search/feed.atom", {"q": "الهجرة"}, HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(arabic["Content-Language"], "ar")
        french = self.client.get("/search/feed.atom", {"q": "Macron"}, HTTP_ACCEPT_LANGUAGE="ar")
        self.assertEqual(french["Content-Language"], "fr")
        entity = self.client.get("/sources/maroc-diplomatique/feed.atom", {"hl": "en"})
        self.assertIn("Articles from", feedparser.parse(entity.content).feed.title)
        self.assertIn(
            "hl=en",
            next(
                item.href
                for item in feedparser.parse(entity.content).feed.links
                if item.rel == "self"
            ),
        )

    def test_a_saved_search_speaks_its_owners_language(self):
        self.client.cookies["django_language"] = "ar"
        saved = self.save(q="Dakhla")
        self.assertEqual(saved.language, "ar")
        page = self.client.get("/search/saved/")
        feed_link = BeautifulSoup(page.content, "html.parser").select_one(".saved-links a")["href"]
        self.assertIn("hl=ar", feed_link)
        self.add_article("Dakhla et la pêche", "Le port de Dakhla accueille la flotte.")
        self.assertEqual(send_digest(saved), 1)
        self.assertIn("مقال", mail.outbox[0].subject)  # the subject in Arabic

    def test_a_digest_lists_each_new_matching_article_exactly_once(self):
        saved = self.save(q="Dakhla")
        saved.alert = "immediate"
        saved.save()
        # A new article (here typed in the admin: archive.services) is a
        # write that alerts by itself: the immediate digest is sent at once.
        first = self.add_article("Dakhla et la pêche", "Le port de Dakhla accueille la flotte.")
        self.add_article("Agadir", "Le port d'Agadir.")
        saved.refresh_from_db()
        self.assertEqual(send_digest(saved), 0)  # already sent, never twice
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["samira@example.org"])
        self.assertIn(first.get_absolute_url(), mail.outbox[0].body)
        self.assertNotIn("Agadir", mail.outbox[0].body)
        saved.refresh_from_db()
        # Nothing new: no e-mail; a new article: only it.
        self.assertEqual(send_digest(saved), 0)
        time.sleep(1.1)  # the index knows when articles came to the second
        second = self.add_article("Dakhla, nouvelle usine", "Une usine ouvre à Dakhla.")
        time.sleep(1.1)
        saved.refresh_from_db()
        # Sent at once, or (in the same second as the save) now: once either way.
        send_digest(saved)
        saved.refresh_from_db()
        self.assertEqual(send_digest(saved), 0)
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn(second.get_absolute_url(), mail.outbox[1].body)
        self.assertNotIn(first.get_absolute_url(), mail.outbox[1].body)

    def test_feed_count_and_digest_follow_the_page_when_it_reads_a_letter_apart(self):
        # بسر finds nothing as typed: the page reads it as ب + سر (the
        # fallback), and so do the search's feed, new-match count and digest.
        saved = self.save(q="بسر")
        saved.alert = "immediate"
        saved.save()
        secret = self.add_article("سر شباب الحاضر", "فيلم عن امرأة لا تكبر، وسر شبابها.", "ar")
        self.add_article("الحاضر والماضي", "معرض في الرباط.", "ar")
        page = self.client.get("/search/", {"q": "بسر"})
        self.assertEqual([hit["article"].pk for hit in page.context["hits"]], [secret.pk])
        feed = feedparser.parse(self.client.get("/search/feed.atom", {"q": "بسر"}).content)
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        self.assertEqual(
            [entry.link for entry in feed.entries],
            [f"http://testserver{secret.get_absolute_url()}"],
        )
        self.assertEqual(new_matches(saved), 1)
        self.assertEqual(send_digest(saved), 1)
        self.assertIn(secret.get_absolute_url(), mail.outbox[0].body)
        # The literal search stays literal everywhere.
        literal = feedparser.parse(
            self.client.get("/search/feed.atom", {"q": "بسر", "literal": "1"}).content
        )
        self.assertEqual(literal.entries, [])

    def test_a_failed_send_is_retried_without_losing_or_repeating(self):
        saved = self.save(q="Dakhla")
        article = self.add_article("Dakhla et la pêche", "Le port de Dakhla accueille la flotte.")
        with override_settings(EMAIL_BACKEND=f"{__name__}.FailingBackend"):
            with self.assertRaises(ConnectionRefusedError):
                send_digest(saved)
        saved.refresh_from_db()
        self.assertEqual(send_digest(saved), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(article.get_absolute_url(), mail.outbox[0].body)
