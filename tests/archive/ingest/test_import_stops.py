"""An index that cannot be written stops an import after the batch it could
not follow: at most one batch is saved but unfindable (docs/RELIABILITY.md),
never every batch after it. Real processes: the import runs as
`manage.py import_articles`, with its index path made unusable."""

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TransactionTestCase

from archive.models import Article, Job, JobKind, JobState
from search.engines.base import engine
from tests.search.helpers import DATA, rebuild_index
from tests.support.processes import manage

pytestmark = pytest.mark.search


@pytest.mark.skipif(
    settings.ARCHIVE_SEARCH_ENGINE == "postgres",
    reason="the PostgreSQL engine writes documents in the article's own transaction",
)
class ImportStopsWhenTheIndexCannotFollowTests(TransactionTestCase):
    def setUp(self):
        rebuild_index()
        self.folder = Path(tempfile.mkdtemp(prefix="archive-import-stops-"))
        self.broken = self.folder / "index"
        self.broken.write_text("a file where the index should be\n", encoding="utf-8")

    def test_the_import_stops_after_the_batch_it_could_not_index(self):
        sample = DATA / "corpus_sample.jsonl"  # 20 articles: 4 batches of 5
        result = manage(
            "import_articles",
            str(sample),
            "--batch-size",
            "5",
            check=False,
            ARCHIVE_INDEX_DIR=str(self.broken),
            LANGUAGE="en",
        )
        self.assertEqual(result.returncode, 1, result.stderr[-2000:])
        self.assertIn("The search index could not be written, so the import stopped", result.stderr)
        self.assertIn("5 created, 0 duplicates, 0 refused", result.stdout)
        self.assertEqual(Article.objects.count(), 5)  # one batch, not four
        self.assertTrue(
            Job.objects.filter(kind=JobKind.INDEX_REPAIR, state=JobState.QUEUED).exists()
        )

        # The index back: the repair makes the saved batch findable, and the
        # import run again adds the rest.
        manage("check_index", "--repair")
        engine().forget()
        self.assertEqual(engine().document_count(), 5)
        again = manage("import_articles", str(sample), "--batch-size", "5", LANGUAGE="en")
        self.assertIn("15 created, 5 duplicates, 0 refused", again.stdout)
        engine().forget()
        self.assertEqual(engine().document_count(), 20)
