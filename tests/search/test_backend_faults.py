"""The index's own faults never take search down for good, nor kill a worker;
expensive queries are bounded."""

import itertools
import shutil
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from archive.services import article_create
from search.index import index_check
from tests.search.helpers import IndexedTestCase, IndexedTransactionTestCase, whoosh_only
from tests.support.processes import manage

pytestmark = pytest.mark.search

INDEX = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])


def found(client, query: str, **params) -> list[int]:
    response = client.get("/search/", {"q": query, **params})
    return [hit["article"].pk for hit in response.context["hits"]]


@whoosh_only
class IndexComesBackTests(IndexedTestCase):
    reindex_each_test = True
    fixtures = ["seed_articles"]

    def test_search_recovers_by_itself_when_the_index_directory_comes_back(self):
        self.assertEqual(found(self.client, "Madrid"), [5])
        away = INDEX.with_name(INDEX.name + ".away")
        INDEX.rename(away)
        try:
            response = self.client.get("/search/", {"q": "Madrid"})
            self.assertEqual(response.status_code, 503)
            self.assertContains(response, 'class="error"', status_code=503)
            export = self.client.get("/search/export.csv", {"q": "Madrid"})
            self.assertEqual(export.status_code, 503)  # the page's message, not a 500
            self.assertContains(export, 'class="error"', status_code=503)
            self.assertFalse(INDEX.exists(), "a search must not create an empty index")
        finally:
            shutil.rmtree(INDEX, ignore_errors=True)
            away.rename(INDEX)
        self.assertEqual(found(self.client, "Madrid"), [5])  # same process, no restart
        self.assertEqual(self.client.get("/search/export.csv", {"q": "Madrid"}).status_code, 200)


TRUNCATE = textwrap.dedent(
    """
    from pathlib import Path
    from django.conf import settings
    from django.test import Client

    index = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    client = Client()
    print("before", client.get("/search/", {"q": "Madrid"}).status_code)
    for segment in index.glob("*.seg"):
        with segment.open("r+b") as handle:
            handle.truncate(segment.stat().st_size // 3)
    for _ in range(3):
        print("after", client.get("/search/", {"q": "Madrid"}).status_code)
    print("export", client.get("/search/export.json", {"q": "Madrid"}).status_code)
    """
)


@whoosh_only
class DamagedIndexTests(IndexedTransactionTestCase):
    fixtures = ["seed_articles"]

    def test_a_truncated_segment_gives_a_clear_error_not_a_dead_worker(self):
        from tests.search.helpers import rebuild_index

        rebuild_index()
        # In another process: were the mapped file read past its new end, the
        # kernel would kill that process with SIGBUS.
        result = manage(
            "shell",
            "--verbosity",
            "0",
            "-c",
            TRUNCATE,
            check=False,
            DJANGO_SETTINGS_MODULE="tests.settings",
            DJANGO_ALLOWED_HOSTS="testserver",
        )
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertEqual(
            result.stdout.split(),
            ["before", "200", "after", "503", "after", "503", "after", "503", "export", "503"],
        )
        self.assertIn("damaged", result.stderr)
        self.assertIn(index_check.check().state, ("damaged",))
        manage("check_index", "--repair")
        self.assertEqual(found(self.client, "Madrid"), [5])


class BoundedQueryTests(IndexedTestCase):
    reindex_each_test = True

    @classmethod
    def setUpTestData(cls):
        letters = "abcdefghijklmnopqrstuvwxyz"
        words = ["zorb" + a + b for a, b in itertools.product(letters, letters)][:400]
        for n in range(0, len(words), 50):
            article_create(
                title=f"Lexique {n}", body=" ".join(words[n : n + 50]) + ".", language="fr"
            )

    @whoosh_only
    def test_a_prefix_matching_too_many_words_searches_the_most_frequent_with_a_note(self):
        response = self.client.get("/search/", {"q": "zorb*"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("prefix_capped", response.context["page_obj"].notes)
        self.assertTrue(response.context["page_obj"].hits)
        self.assertContains(response, "seuls les plus fréquents")  # the note, in French
        manifest = self.client.get("/search/export.manifest.json", {"q": "zorb*"}).json()
        self.assertEqual(manifest["notes"], ["prefix_capped"])

    def test_a_narrow_prefix_is_searched_whole(self):
        response = self.client.get("/search/", {"q": "zorbaa*"})
        self.assertEqual(response.context["page_obj"].notes, ())
        self.assertEqual(response.context["page_obj"].hits, 1)

    def test_a_one_letter_prefix_is_searched_as_a_word_with_a_note(self):
        for query in ("z*", "ا* OR م* OR ت* OR ب*"):
            with self.subTest(query):
                response = self.client.get("/search/", {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertIn("short_prefix", response.context["criteria"].query.notes)
                self.assertContains(response, "au moins deux lettres")
