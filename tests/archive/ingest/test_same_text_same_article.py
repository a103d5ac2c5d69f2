"""The same text gives the same article whichever way it comes in."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import TestCase

from archive.ingest.documents import IngestDefaults
from archive.ingest.files import iter_records
from archive.ingest.pipeline import ingest, ingest_document
from archive.ingest.results import CREATED, DUPLICATE
from archive.models import Article

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLE = DATA / "corpus_sample.jsonl"


def records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


class PastedCopiesOfImportedArticlesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        results = ingest(iter_records([SAMPLE]))
        assert [r.status for r in results] == [CREATED] * 20

    def test_a_pasted_copy_with_or_without_its_headline_is_a_duplicate(self):
        for record in records():
            title = record.get("title") or ""
            for label, text in (
                ("title + body", f"{title}\n\n{record['body']}"),
                ("body only", record["body"]),
            ):
                with self.subTest(record["id"], pasted=label):
                    result = ingest_document(text, name="paste", defaults=IngestDefaults())
                    self.assertEqual(result.status, DUPLICATE, result.reason)
        self.assertEqual(Article.objects.count(), 20)

    def test_the_admin_form_refuses_a_pasted_copy(self):
        staff = get_user_model().objects.create_superuser("ed", "e@example.org", "pw-ed-12345")
        self.client.force_login(staff)
        record = records()[-1]  # Darija: a sentence-long headline
        response = self.client.post(
            "/admin/archive/article/add/",
            {
                "title": "Copie",
                "body": f"{record['title']}\n\n{record['body']}",
                "language": record["language"],
                "author": "",
                "url": "",
                "mentions-TOTAL_FORMS": "0",
                "mentions-INITIAL_FORMS": "0",
                "mentions-MIN_NUM_FORMS": "0",
                "mentions-MAX_NUM_FORMS": "1000",
            },
        )
        self.assertEqual(response.status_code, 200)  # the form again, with the error
        original = Article.objects.get(title=record["title"])
        self.assertContains(response, original.title)
        [error] = response.context["adminform"].form.errors["__all__"]
        self.assertIn(str(original.pk), error)
        self.assertEqual(Article.objects.count(), 20)

    def test_importing_a_pasted_article_finds_it(self):
        article = Article.objects.get(title=records()[0]["title"])
        line = json.dumps({"title": "", "body": f"{article.title}\n{article.body}"})
        path = Path(self.enterContext(self._tmp())) / "copy.jsonl"
        path.write_text(line, encoding="utf-8")
        [result] = ingest(iter_records([path]))
        self.assertEqual(result.status, DUPLICATE)

    @staticmethod
    def _tmp():
        import tempfile

        return tempfile.TemporaryDirectory()
