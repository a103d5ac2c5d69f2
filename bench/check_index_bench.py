"""How long the daily drift check takes, and the repair of a small drift.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/check_index_bench.py ../shared/corpus --articles 60000

Imports N corpus articles (half Arabic, half French) into a throw-away SQLite
database and Whoosh index with `manage.py import_articles`, then times, each
as its own process as cron would run it: `check_index` on the clean archive;
`check_index` after 100 articles were changed behind the index's back (raw
SQL updates), 50 deleted the same way and 50 documents removed from the
index; `check_index --repair`; and `check_index` again. Reading the index's
stored versions is timed apart, as the anchor (the raw Whoosh cost).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import read_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(env: dict, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=60_000)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="archive-check-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{work}/archive.sqlite3",
        "ARCHIVE_INDEX_DIR": str(work / "index"),
    }
    corpus = work / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for record in read_corpus(args.corpus, args.articles):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    timed(env, "migrate", "--noinput")
    seconds, result = timed(env, "import_articles", str(corpus), "--verbosity", "0")
    summary = result.stdout.strip().splitlines()[0]
    print(f"import of {args.articles:,} articles: {seconds:.0f} s ({summary})")

    seconds, result = timed(env, "check_index")
    print(f"check_index, clean:           {seconds:6.1f} s  {result.stdout.splitlines()[0]}")

    code = (
        "from archive.models import Article; from search.index import indexing;"
        "pks = list(Article.objects.order_by('pk').values_list('pk', flat=True));"
        "Article.objects.filter(pk__in=pks[100:200]).update(title='Changé en douce');"
        "from django.db import connection; gone = ','.join(map(str, pks[300:350]));"
        "c = connection.cursor();"
        "c.execute(f'DELETE FROM archive_mention WHERE article_id IN ({gone})');"
        "c.execute(f'UPDATE archive_entitycandidate SET example_id = NULL"
        " WHERE example_id IN ({gone})');"
        "c.execute(f'DELETE FROM archive_article WHERE id IN ({gone})');"
        "[indexing.backend().remove(f'archive.article.{pk}') for pk in pks[500:550]];"
        "import time; s = indexing.backend(); t = time.perf_counter();"
        "n = len(s.indexed_versions()); print(n, time.perf_counter() - t)"
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    documents, read_seconds = result.stdout.split()
    print(
        f"anchor: reading {int(documents):,} stored versions from Whoosh: "
        f"{float(read_seconds):.1f} s"
    )
    seconds, result = timed(env, "check_index")
    print(
        f"check_index, drift:           {seconds:6.1f} s  {result.stdout.splitlines()[0]}"
        f"  (exit {result.returncode})"
    )
    seconds, result = timed(env, "check_index", "--repair", "--verbosity", "0")
    print(f"check_index --repair:         {seconds:6.1f} s  {result.stdout.splitlines()[-1]}")
    seconds, result = timed(env, "check_index")
    print(f"check_index, after repair:    {seconds:6.1f} s  {result.stdout.splitlines()[0]}")


if __name__ == "__main__":
    main()
