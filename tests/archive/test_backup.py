"""A database backup plus the index commands restore a working archive."""

import subprocess
import tempfile
import textwrap
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from archive.ingest.files import iter_records
from archive.ingest.pipeline import ingest
from search.index import indexing
from tests.search.helpers import IndexedTransactionTestCase
from tests.support.processes import database_url, manage

pytestmark = pytest.mark.search

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "corpus_sample.jsonl"

SEARCH = textwrap.dedent(
    """
    from django.test import Client
    page = Client().get("/search/", {"q": "naufrage Tunisie"})
    print(page.status_code, page.content.decode().count('class="article-row'))
    """
)


class BackupRestoreTests(IndexedTransactionTestCase):
    def restored_database(self, backup: Path) -> str:
        """A new database made from the backup; its URL."""
        if connection.vendor == "sqlite":
            return f"sqlite:///{backup}"
        name = f"archive_restore_{uuid.uuid4().hex[:8]}"
        db = connection.settings_dict
        options = [f"--host={db['HOST'] or 'localhost'}", f"--username={db['USER']}"]
        if db["PORT"]:
            options.append(f"--port={db['PORT']}")
        subprocess.run(["createdb", *options, name], check=True)  # noqa: S607
        self.addCleanup(subprocess.run, ["dropdb", "--force", *options, name])  # noqa: S607
        subprocess.run(
            ["pg_restore", "--no-owner", *options, f"--dbname={name}", str(backup)],  # noqa: S607
            check=True,
        )
        return database_url().rsplit("/", 1)[0] + f"/{name}"

    def test_backup_then_restore_elsewhere_with_a_rebuilt_index(self):
        ingest(iter_records([SAMPLE]))
        backup = Path(tempfile.mkdtemp(prefix="archive-backup-")) / "archive.backup"
        out = StringIO()
        call_command("backup_archive", str(backup), stdout=out)
        self.assertIn("Backed up", out.getvalue())
        self.assertGreater(backup.stat().st_size, 10_000)

        # Another machine: the restored database and no index at all.
        url = self.restored_database(backup)
        index = tempfile.mkdtemp(prefix="archive-restored-index-") + "/index"
        env = {"DATABASE_URL": url, "ARCHIVE_INDEX_DIR": index, "ARCHIVE_TEST_INDEX_DIR": index}
        if not indexing.backend().transactional:
            missing = manage("check_index", check=False, **env)
            self.assertEqual(missing.returncode, 1)
            self.assertIn("index missing", missing.stdout)
        # (The PostgreSQL engine's documents are in the backup, with their articles.)
        manage("check_index", "--repair", **env)
        clean = manage("check_index", **env)
        self.assertIn("20 articles, 20 documents: 0 missing, 0 extra, 0 stale", clean.stdout)
        search = manage(
            "shell",
            "--verbosity",
            "0",
            "-c",
            SEARCH,
            DJANGO_SETTINGS_MODULE="tests.settings",
            DJANGO_ALLOWED_HOSTS="testserver",
            **env,
        )
        self.assertEqual(search.stdout.split(), ["200", "1"])
