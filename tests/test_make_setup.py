"""`make run` on an existing archive changes no data (its `setup` step, run for real)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from archive.models import Article, Source
from tests.search.helpers import IndexedTransactionTestCase
from tests.support.processes import ROOT, environment

pytestmark = pytest.mark.search

INDEX = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])


def make_setup() -> str:
    env = environment(DJANGO_STATIC_ROOT=tempfile.mkdtemp(prefix="archive-test-static-"))
    env.pop("DJANGO_SECRET_KEY")  # the Makefile's own (var/secret_key)
    result = subprocess.run(
        [shutil.which("make") or "make", "--no-print-directory", "setup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


def generation() -> list[str]:
    return sorted(path.name for path in INDEX.glob("*.toc"))


class MakeSetupTests(IndexedTransactionTestCase):
    def test_a_restart_keeps_edits_loads_no_seed_twice_and_keeps_the_index(self):
        make_setup()
        self.assertEqual(Article.objects.count(), 5)
        sources = Source.objects.count()
        article = Article.objects.get(pk=5)
        article.title = "Titre corrigé par la rédaction"
        article.save()  # outside a transaction: the index follows at once
        before = generation()

        output = make_setup()

        self.assertIn("no seeds loaded", output)
        self.assertIn("The index matches the database", output)
        self.assertEqual(Article.objects.get(pk=5).title, "Titre corrigé par la rédaction")
        self.assertEqual((Article.objects.count(), Source.objects.count()), (5, sources))
        self.assertEqual(generation(), before)  # not rebuilt: nothing to do
        hits = self.client.get("/search/", {"q": "title:corrigé"}).context["hits"]
        self.assertEqual([hit["article"].pk for hit in hits], [5])

    def test_a_restart_after_a_raw_database_change_repairs_only_that(self):
        make_setup()
        Article.objects.filter(pk=3).update(title="Modifié hors de l'application")
        output = make_setup()
        self.assertIn("0 missing, 0 extra, 1 stale", output)
        self.assertIn("Repaired", output)
        hits = self.client.get("/search/", {"q": "title:application"}).context["hits"]
        self.assertEqual([hit["article"].pk for hit in hits], [3])
