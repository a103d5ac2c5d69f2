"""Searchers read the index files in place from the memory map."""

import io
import mmap
import pickle
import tempfile

import pytest
from django.test import SimpleTestCase
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Term

import search.engines.whoosh_engine  # noqa: F401  (installs the mapped files, as in the app)
from search.engines.whoosh_analysis import bilingual_analyzer
from search.engines.whoosh_files import MappedFile, MemoryViewReader

pytestmark = pytest.mark.search

DATA = b"first line\nsecond line\n" + pickle.dumps(
    {"terms": ["\u0627\u0644\u0647\u062c\u0631\u0629"]}
)


class MemoryViewReaderTests(SimpleTestCase):
    """Reads exactly like io.BytesIO over the same bytes."""

    def test_reads_like_bytesio(self):
        ours, theirs = MemoryViewReader(memoryview(DATA)), io.BytesIO(DATA)
        for operation in (
            lambda f: f.read(5),
            lambda f: f.readline(),
            lambda f: f.tell(),
            lambda f: f.readline(3),
            lambda f: f.seek(-4, io.SEEK_END),
            lambda f: f.read(),
            lambda f: f.read(10),
            lambda f: f.seek(2),
            lambda f: f.seek(3, io.SEEK_CUR),
            lambda f: f.read(-1),
            lambda f: f.seek(0),
            lambda f: list(f),
        ):
            self.assertEqual(operation(ours), operation(theirs))

    def test_unpickles_from_the_middle(self):
        reader = MemoryViewReader(memoryview(DATA))
        reader.readline(), reader.readline()
        # Whoosh reads its own pickles (the table of contents) this way.
        self.assertEqual(pickle.load(reader), {"terms": ["الهجرة"]})  # noqa: S301

    def test_readinto_and_bounds(self):
        reader = MemoryViewReader(memoryview(b"abc"))
        buffer = bytearray(5)
        self.assertEqual(reader.readinto(buffer), 3)
        self.assertEqual(bytes(buffer[:3]), b"abc")
        self.assertEqual(reader.read(1), b"")
        with self.assertRaises(ValueError):
            reader.seek(-1)


class SearcherMemoryTests(SimpleTestCase):
    def test_searcher_files_are_views_of_the_map_and_search_correctly(self):
        path = tempfile.mkdtemp(prefix="archive-mapped-")
        schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=bilingual_analyzer()))
        ix = index.create_in(path, schema)
        with ix.writer() as writer:
            for n in range(200):
                writer.add_document(id=str(n), text=f"الهجرة غير النظامية migration {n}")
        with ix.searcher() as searcher:
            searcher.stored_fields(0)
            opened, _offset, _length = searcher.reader()._perdoc._colfiles["_stored"]
            self.assertIsInstance(opened, MappedFile)
            # The bytes belong to the mmap: nothing was copied into the process.
            self.assertIsInstance(opened.file._view.obj, mmap.mmap)
            found = searcher.search(Term("text", "هجر"), limit=None)
            self.assertEqual(len(found), 200)
            self.assertEqual({hit["id"] for hit in found}, {str(n) for n in range(200)})
