"""Wire-copy grouping at ingest as the archive grows: milliseconds an
article spent in archive.wirecopies.group_articles (signatures, the band
look-up, the rows written), batch by batch, up to N articles.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/wirecopy_ingest_bench.py ../shared/corpus --articles 100000 \
        [--database postgres://postgres@127.0.0.1:5432/postgres]

A throw-away database (SQLite by default; PostgreSQL with --database) is
filled with N articles (the corpus, then perturbed copies beyond it: rotated
paragraphs, so copies share most shingles and many candidates are checked)
in batches of --batch, the size of an import's batch. Each batch is saved
with bulk_create and then grouped, as `articles_create_bulk` does; only the
grouping is timed. The search index is not involved. Target (issue 13):
≤ 5 ms an article at 100,000 articles.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--database", help="PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="archive-wire-ingest-"))
    from common import drop_postgres_database, postgres_database
    from engines_bench import records_for

    database = postgres_database(args.database) if args.database else f"sqlite:///{work}/a.sqlite3"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "archive.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database,
            "ARCHIVE_INDEX_DIR": str(work / "index"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from archive.models import Article, WireCopy
    from archive.wirecopies import group_articles

    try:
        call_command("migrate", verbosity=0)
        records = records_for(args.corpus, args.articles)
        print(f"{len(records):,} articles, batches of {args.batch:,}, {connection.vendor}")
        print(f"{'archived':>10} {'ms/article':>11} {'batch s':>8}")
        marks = []
        seen: set[str] = set()  # exact duplicates are refused at import: left out here
        for start in range(0, len(records), args.batch):
            articles = []
            for record in records[start : start + args.batch]:
                article = Article(
                    title=record["title"], body=record["body"], language=record["language"]
                )
                article.set_fingerprints()
                if article.content_hash not in seen and article.text_hash not in seen:
                    seen.update((article.content_hash, article.text_hash))
                    articles.append(article)
            created = Article.objects.bulk_create(articles)
            began = time.perf_counter()
            group_articles(created)
            elapsed = time.perf_counter() - began
            per_article = elapsed * 1000 / len(created)
            marks.append((start, per_article))
            if connection.vendor == "postgresql" and start == 0:
                with connection.cursor() as cursor:  # as autovacuum would, early on
                    cursor.execute("ANALYZE archive_wireband; ANALYZE archive_wirecopy")
            print(f"{start:>10,} {per_article:>11.2f} {elapsed:>8.1f}", flush=True)
        last = [ms for start, ms in marks if start >= len(records) * 0.9]
        groups = WireCopy.objects.values("group_id").distinct().count()
        print(
            f"last 10% of the archive: {statistics.median(last):.2f} ms an article (median of "
            f"{len(last)} batches); {len(records):,} articles in {groups:,} groups"
        )
    finally:
        connection.close()
        if args.database:
            drop_postgres_database(args.database, database)


if __name__ == "__main__":
    main()
