"""Several processes writing to one index at once lose nothing."""

import multiprocessing
import tempfile

import pytest
from django.test import SimpleTestCase
from whoosh import index
from whoosh.fields import ID, TEXT, Schema

from search.engines.whoosh_analysis import bilingual_analyzer
from search.engines.whoosh_writer import index_write_lock, opened_despite_commits, write_documents

pytestmark = pytest.mark.search

WRITERS = 4
DOCUMENTS_EACH = 20


def _write_one_by_one(path: str, writer_number: int) -> None:
    """Like a gunicorn worker saving articles: one commit per document."""
    ix = opened_despite_commits(lambda: index.open_dir(path))
    for n in range(DOCUMENTS_EACH):
        doc_id = f"archive.article.{writer_number}-{n}"
        write_documents(ix, path, [{"id": doc_id, "text": f"الهجرة migration {writer_number} {n}"}])


class ConcurrentWriteTests(SimpleTestCase):
    def test_parallel_processes_lose_no_document(self):
        path = tempfile.mkdtemp(prefix="archive-concurrency-")
        schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=bilingual_analyzer()))
        index.create_in(path, schema)
        context = multiprocessing.get_context("spawn")
        workers = [
            context.Process(target=_write_one_by_one, args=(path, w)) for w in range(WRITERS)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        self.assertEqual([w.exitcode for w in workers], [0] * WRITERS)
        ix = index.open_dir(path)
        self.assertEqual(ix.doc_count(), WRITERS * DOCUMENTS_EACH)
        with ix.searcher() as searcher:
            ids = {fields["id"] for fields in searcher.all_stored_fields()}
        self.assertEqual(len(ids), WRITERS * DOCUMENTS_EACH)

    def test_updating_a_document_replaces_it(self):
        path = tempfile.mkdtemp(prefix="archive-update-")
        ix = index.create_in(path, Schema(id=ID(stored=True, unique=True), text=TEXT(stored=True)))
        write_documents(ix, path, [{"id": "a", "text": "old"}])
        write_documents(ix, path, [{"id": "a", "text": "new"}])
        ix = index.open_dir(path)
        with ix.searcher() as searcher:
            self.assertEqual([f["text"] for f in searcher.all_stored_fields()], ["new"])

    def test_lock_times_out_with_a_clear_error(self):
        path = tempfile.mkdtemp(prefix="archive-lock-")
        context = multiprocessing.get_context("spawn")
        ready = context.Event()
        holder = context.Process(target=_hold_lock, args=(path, ready))
        holder.start()
        try:
            self.assertTrue(ready.wait(30))
            with self.assertRaisesMessage(RuntimeError, "stayed locked"):
                with index_write_lock(path, timeout=0.3):
                    pass
        finally:
            holder.terminate()
            holder.join()
        # The kernel released the dead holder's lock.
        with index_write_lock(path, timeout=5):
            pass


def _hold_lock(path: str, ready) -> None:
    import time

    with index_write_lock(path):
        ready.set()
        time.sleep(60)


class TieredMergeTests(SimpleTestCase):
    """Saves merge only small segments of similar size; imports merge the rest."""

    def test_one_document_commits_merge_by_tiers_and_big_segments_are_left_alone(self):
        from search.engines.whoosh_writer import SEGMENTS_PER_TIER, merge_segments

        path = tempfile.mkdtemp(prefix="archive-tiers-")
        ix = index.create_in(path, Schema(id=ID(stored=True, unique=True), text=TEXT))
        # An import's batches: unmerged segments of 120 documents.
        for batch in range(3):
            documents = [{"id": f"b{batch}-{n}", "text": "migration"} for n in range(120)]
            write_documents(ix, path, documents, merge=False)
        for n in range(40):  # then forty saves, one article each
            write_documents(ix, path, [{"id": f"s{n}", "text": "frontière"}])
        sizes = sorted((s.doc_count_all() for s in ix._segments()), reverse=True)
        self.assertEqual(sizes[:3], [120, 120, 120])  # the import's segments untouched
        self.assertLess(len(sizes), 3 + 2 * SEGMENTS_PER_TIER)
        self.assertEqual(sum(sizes), 400)
        # Many more unmerged batches (a long import): merged tier by tier.
        for batch in range(3, 20):
            documents = [{"id": f"b{batch}-{n}", "text": "migration"} for n in range(120)]
            write_documents(ix, path, documents, merge=False)
        merge_segments(ix, path)
        sizes = [s.doc_count_all() for s in ix._segments()]
        tiers = [len(str(size)) for size in sizes]
        self.assertTrue(all(tiers.count(t) < SEGMENTS_PER_TIER for t in tiers), sizes)
        self.assertEqual(sum(sizes), 400 + 17 * 120)
        with ix.searcher() as searcher:
            self.assertEqual(searcher.doc_count(), 400 + 17 * 120)
