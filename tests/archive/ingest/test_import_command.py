import os
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from archive.models import Article, Source
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search

DATA = Path(__file__).resolve().parents[2] / "data"
SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_articles", *args, stdout=out, stderr=StringIO(), verbosity=1)
    return out.getvalue()


class ImportCommandTests(IndexedTestCase):
    reindex_each_test = True

    def test_jsonl_import_saves_indexes_and_reimport_changes_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            output = run(str(DATA / "corpus_sample.jsonl"), "--batch-size", "7")
        self.assertIn("20 created, 0 duplicates, 0 refused", output)
        self.assertEqual(Article.objects.count(), 20)
        self.assertEqual(Article.objects.filter(language="ar").count(), 8)
        article = Article.objects.get(title="Naufrage de migrants au large de la Tunisie: 52 morts")
        self.assertEqual(
            (article.source.name, str(article.published_at)), ("actu.orange.fr", "2020-06-11")
        )
        self.assertIn("\n\n", article.body)  # corpus lines became paragraphs
        hits = self.client.get("/search/", {"q": "naufrage Tunisie"}).context["hits"]
        self.assertEqual([hit["article"].pk for hit in hits], [article.pk])
        with self.captureOnCommitCallbacks(execute=True):
            again = run(str(DATA / "corpus_sample.jsonl"))
        self.assertIn("0 created, 20 duplicates, 0 refused", again)
        self.assertEqual(Article.objects.count(), 20)

    def test_seed_files_import_like_the_fixture(self):
        with self.captureOnCommitCallbacks(execute=True):
            output = run(str(SEEDS), "--format", "txt")
        self.assertIn("5 created", output)
        self.assertEqual(
            sorted(Source.objects.values_list("name", flat=True)),
            ["Express TV", "Maroc Diplomatique", "النهار24"],
        )
        self.assertEqual(Article.objects.get(source__name="النهار24").author, "حميد الكمالي")

    def test_folder_with_bad_files_reports_them_and_imports_the_rest(self):
        folder = Path(tempfile.mkdtemp())
        shutil.copy(DATA / "html" / "fr-orange.fr-orangesum-663.html", folder / "good.html")
        (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
        (folder / "binary.txt").write_bytes(b"\x00" * 50)
        (folder / "broken.jsonl").write_text('{"title": "x"\n[1, 2]\n', encoding="utf-8")
        with self.captureOnCommitCallbacks(execute=True):
            output = run(str(folder))
        self.assertIn("1 created, 0 duplicates, 4 refused", output)
        self.assertIn("photo.jpg", output)

    def test_everything_it_prints_is_in_the_terminals_language(self):
        folder = Path(tempfile.mkdtemp())
        (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
        (folder / "empty.txt").write_text("\n\n", encoding="utf-8")
        with mock.patch.dict(os.environ, {"LANGUAGE": "fr_FR:en", "LANG": "fr_FR.UTF-8"}):
            french = run(str(folder))
        self.assertIn("0 créé, 0 doublon, 2 refusés", french)
        self.assertIn("refusé", french)
        self.assertNotIn("refused", french)
        self.assertIn("le fichier est vide", french)
        with mock.patch.dict(os.environ, {"LANGUAGE": "", "LC_ALL": "", "LANG": "C.UTF-8"}):
            english = run(str(folder))
        self.assertIn("0 created, 0 duplicates, 2 refused", english)
        self.assertIn("the file is empty", english)
        self.assertNotIn("refusé", english)

    def test_dry_run_saves_nothing(self):
        output = run(str(DATA / "corpus_sample.jsonl"), "--dry-run")
        self.assertIn("20 would be created", output)
        self.assertFalse(Article.objects.exists())

    def test_source_and_language_options(self):
        with self.captureOnCommitCallbacks(execute=True):
            run(str(SEEDS / "002_748be558718c96bc.txt"), "--source", "Le360", "--language", "ar")
        article = Article.objects.get()
        self.assertEqual((article.source.name, article.language), ("Le360", "ar"))

    def test_bad_batch_size(self):
        with self.assertRaises(CommandError):
            run(str(SEEDS), "--batch-size", "0")
