"""Several processes saving at once (like gunicorn workers and an import)
all succeed, on SQLite as on PostgreSQL, and the index ends with the last text."""

import subprocess
import textwrap

import pytest

from archive.models import Article
from archive.services import article_create
from search.index import index_check
from tests.search.helpers import IndexedTransactionTestCase, rebuild_index
from tests.support.processes import start_manage

pytestmark = pytest.mark.search

WRITERS = 4
SAVES_EACH = 12

WRITER = textwrap.dedent(
    """
    from archive.models import Article
    from archive.services import article_create, article_save

    for n in range({saves}):
        article = Article.objects.get(pk={pk})
        article.title = "Édition {writer}-%d" % n
        article.body = "Le texte de l'article, version {writer}-%d, sur la migration." % n
        article_save(article)
        article_create(
            title="Nouveau {writer}-%d" % n,
            body="Un article neuf numéro {writer}-%d sur la frontière." % n,
            language="fr",
        )
    print("done")
    """
)


class ConcurrentSaveTests(IndexedTransactionTestCase):
    def test_concurrent_edits_and_creations_all_succeed_and_the_last_text_wins(self):
        shared = article_create(title="Original", body="Le texte original.", language="fr")
        rebuild_index()
        writers = [
            start_manage(
                "shell",
                "--verbosity",
                "0",
                "-c",
                WRITER.format(saves=SAVES_EACH, pk=shared.pk, writer=w),
            )
            for w in range(WRITERS)
        ]
        outcomes = []
        for writer in writers:
            try:
                stdout, stderr = writer.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                writer.kill()
                raise
            outcomes.append((writer.returncode, stdout.strip(), stderr[-1500:]))
        self.assertEqual([o[:2] for o in outcomes], [(0, "done")] * WRITERS, outcomes)

        self.assertEqual(Article.objects.count(), 1 + WRITERS * SAVES_EACH)
        drift = index_check.check()
        self.assertTrue(drift.clean, drift.summary())
        final = Article.objects.get(pk=shared.pk)
        hits = self.client.get("/search/", {"q": f'title:"{final.title}"'}).context["hits"]
        self.assertEqual([hit["article"].pk for hit in hits], [shared.pk])
