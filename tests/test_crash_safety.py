"""SIGKILL of an import or a rebuild midway leaves an archive that serves,
says what it lacks, and is made whole by running the same command again."""

import json
import signal
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

from archive.ingest.files import iter_records
from archive.ingest.pipeline import ingest
from archive.models import Article
from search.index import index_check, indexing
from tests.search.helpers import IndexedTransactionTestCase, whoosh_only
from tests.support.processes import manage, start_manage

pytestmark = pytest.mark.search

DATA = Path(__file__).resolve().parent / "data"
INDEX = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]


def synthetic_corpus(count: int) -> Path:
    """`count` distinct articles made from the 20 of the corpus sample."""
    records = [json.loads(line) for line in (DATA / "corpus_sample.jsonl").read_text().splitlines()]
    path = Path(tempfile.mkdtemp(prefix="archive-crash-")) / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = dict(records[n % len(records)])
            record["title"] = f"{record.get('title') or ''} ({n})"
            record["body"] = f"{record['body']}\nDépêche numéro {n}."
            record["url"] = ""
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def wait_for(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def searchable(client) -> int:
    return client.get("/search/", {"q": "Dépêche"}).context["page_obj"].hits


class KilledImportTests(IndexedTransactionTestCase):
    def test_rerunning_a_killed_import_indexes_what_was_saved_but_not_indexed(self):
        corpus = synthetic_corpus(600)
        importer = start_manage("import_articles", str(corpus), "--batch-size", "25", capture=False)
        wait_for(lambda: Article.objects.count() >= 100)
        importer.send_signal(signal.SIGKILL)
        importer.communicate()
        self.assertEqual(importer.returncode, -signal.SIGKILL)

        saved = Article.objects.count()
        self.assertLess(saved, 600, "the import finished before it was killed")
        drift = index_check.check()
        # At most the batch between its database commit and its index write.
        self.assertLessEqual(len(drift.missing), 25, drift.summary())
        self.assertEqual(self.client.get("/search/", {"q": "Dépêche"}).status_code, 200)

        result = manage("import_articles", str(corpus), "--batch-size", "25")
        self.assertIn(f"{600 - saved} created, {saved} duplicates, 0 refused", result.stdout)
        self.assertTrue(index_check.check().clean, index_check.check().summary())
        self.assertEqual(searchable(self.client), 600)


class KilledRebuildTests(IndexedTransactionTestCase):
    def test_a_killed_rebuild_is_reported_on_the_page_and_repaired(self):
        ingest(iter_records([synthetic_corpus(400)]))
        self.assertEqual(searchable(self.client), 400)

        # One article a commit, killed once the rebuild has begun writing
        # (the index was emptied first): ~0.3 s for the whole rebuild in
        # batches of 5 was shorter than a fixed wait.
        rebuild = start_manage("rebuild_index", "--noinput", "--batch-size", "1", capture=False)
        wait_for(lambda: indexing.backend().incomplete_reason() == "rebuilding")
        wait_for(lambda: searchable(self.client) < 400, timeout=30)
        rebuild.send_signal(signal.SIGKILL)
        rebuild.communicate()
        self.assertEqual(rebuild.returncode, -signal.SIGKILL)

        response = self.client.get("/search/", {"q": "Dépêche"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["page_obj"].incomplete)
        self.assertLess(response.context["page_obj"].hits, 400)
        self.assertContains(response, "incomplets")  # the note, in French
        self.assertEqual(manage("check_index", check=False).returncode, 1)

        manage("check_index", "--repair")
        response = self.client.get("/search/", {"q": "Dépêche"})
        self.assertFalse(response.context["page_obj"].incomplete)
        self.assertEqual(response.context["page_obj"].hits, 400)


@whoosh_only
class ImportSegmentTests(IndexedTransactionTestCase):
    def test_an_import_writes_one_segment_per_batch(self):
        # Not segments of indexing.BATCH_SIZE (500), which the end of an
        # import then merged: a third of the import's time.
        ingest(iter_records([synthetic_corpus(1100)]), batch_size=550)
        segments = indexing.backend().index._segments()
        self.assertEqual(sorted(s.doc_count_all() for s in segments), [550, 550])
