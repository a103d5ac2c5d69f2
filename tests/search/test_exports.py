import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings

from search.exports import neutralise
from tests.factories import ArticleFactory, SourceFactory
from tests.search.helpers import IndexedTestCase, load_corpus_sample

pytestmark = pytest.mark.search


def read_csv(response) -> tuple[str, list[dict]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    return content, list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))


class NeutraliseTests(SimpleTestCase):
    def test_formula_cells_become_text(self):
        for value in ("=1+1", "+212600000000", "-2", "@SUM(A1)", "\tx", "\rx"):
            with self.subTest(value=value):
                self.assertEqual(neutralise(value), "'" + value)
        self.assertEqual(neutralise("Rabat"), "Rabat")


class ExportTests(IndexedTestCase):
    fixtures = ["seed_articles", "seed_entities"]

    @classmethod
    def setUpTestData(cls):
        load_corpus_sample()
        call_command("link_entities", "--all", verbosity=0)
        cls.formula = ArticleFactory(
            title='=HYPERLINK("http://evil.example","clic")',
            body='@SUM(1+1) migrants\nligne deux, avec "guillemets"',
            author="-auteur",
            source=SourceFactory(name="+Source", slug="plus-source"),
            language="fr",
        )

    def page_ids(self, params: dict) -> list[int]:
        ids, page = [], 1
        while True:
            response = self.client.get("/search/", {**params, "page": page})
            ids += [hit["article"].pk for hit in response.context["hits"]]
            if not response.context["page_obj"].has_next():
                return ids
            page += 1

    @override_settings(ARCHIVE_PAGE_SIZE=5)
    def test_rows_are_exactly_the_search_hits_in_order(self):
        for params in (
            {"q": "الهجرة"},
            {"q": "migrants"},
            {"q": "migrants", "sort": "newest"},
            {"q": "migrants OR الهجرة", "sort": "oldest"},
            {"q": "migrants", "lang": "fr", "year": "2018"},
            {"lang": "ar"},
            {"q": "Laftit"},
        ):
            with self.subTest(params=params):
                _, rows = read_csv(self.client.get("/search/export.csv", params))
                expected = self.page_ids(params)
                self.assertTrue(expected)
                self.assertEqual([int(r["id"]) for r in rows], expected)
                data = json.loads(
                    b"".join(self.client.get("/search/export.json", params).streaming_content)
                )
                self.assertEqual([r["id"] for r in data["rows"]], expected)

    def test_csv_has_bom_header_quoting_and_neutralised_formulas(self):
        response = self.client.get("/search/export.csv", {"q": "migrants"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("archive-migrants-", response["Content-Disposition"])
        content, rows = read_csv(response)
        self.assertTrue(
            content.startswith(
                "\ufeffid,title,language,source,author,published,url,permalink,group,entities,score,"
                "snippet"
            )
        )
        row = next(r for r in rows if r["id"] == str(self.formula.pk))
        self.assertEqual(row["title"], '\'=HYPERLINK("http://evil.example","clic")')
        self.assertEqual((row["author"], row["source"]), ("'-auteur", "'+Source"))
        self.assertTrue(row["permalink"].startswith("http://testserver/articles/"))
        self.assertNotEqual(row["score"], "")

    def test_full_body_on_request_keeps_newlines_inside_cells(self):
        _, rows = read_csv(self.client.get("/search/export.csv", {"q": "guillemets", "body": "1"}))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["body"], '\'@SUM(1+1) migrants\nligne deux, avec "guillemets"')

    def test_entities_in_both_scripts_and_no_score_when_sorted_by_date(self):
        _, rows = read_csv(self.client.get("/search/export.csv", {"q": "لفتيت", "sort": "newest"}))
        self.assertIn("Abdelouafi Laftit / عبد الوافي لفتيت", rows[0]["entities"])
        self.assertEqual({r["score"] for r in rows}, {""})

    def test_manifest_in_json_headers_and_side_file(self):
        params = {"q": "migrants", "lang": "fr", "sort": "newest"}
        data = json.loads(
            b"".join(self.client.get("/search/export.json", params).streaming_content)
        )
        manifest = data["manifest"]
        self.assertEqual(manifest["query"], "migrants")
        self.assertEqual(manifest["filters"]["lang"], "fr")
        self.assertEqual(manifest["sort"], "newest")
        self.assertEqual(manifest["rows"], len(data["rows"]))
        self.assertFalse(manifest["truncated"])
        for key in ("archive_version", "index_updated_at", "generated_at", "row_cap", "total_hits"):
            self.assertIn(key, manifest)
        header = json.loads(self.client.get("/search/export.csv", params)["X-Archive-Manifest"])
        self.assertEqual(header["rows"], manifest["rows"])
        side = self.client.get("/search/export.manifest.json", params).json()
        self.assertEqual(side["total_hits"], manifest["total_hits"])

    @override_settings(ARCHIVE_EXPORT_MAX_ROWS=3)
    def test_an_export_over_the_cap_says_so(self):
        data = json.loads(
            b"".join(self.client.get("/search/export.json", {"q": "migrants"}).streaming_content)
        )
        self.assertEqual(len(data["rows"]), 3)
        self.assertTrue(data["manifest"]["truncated"])
        self.assertGreater(data["manifest"]["total_hits"], 3)
        page = self.client.get("/search/", {"q": "migrants"})
        self.assertContains(page, "limite")

    def test_search_page_offers_the_export_with_its_row_count(self):
        page = self.client.get("/search/", {"q": "migrants", "lang": "fr"})
        hits = page.context["page_obj"].hits
        self.assertContains(page, 'href="/search/export.csv?q=migrants&amp;lang=fr"')
        self.assertContains(page, f"{hits} lignes")

    def test_empty_search_exports_nothing(self):
        content, rows = read_csv(self.client.get("/search/export.csv"))
        self.assertEqual(rows, [])
        self.assertTrue(content.startswith("\ufeffid,"))
