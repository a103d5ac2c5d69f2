"""Bulk import benchmark: import + index of N corpus articles, in articles/s.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/import_bench.py ../shared/corpus --articles 10000

Runs `archive.ingest.pipeline.ingest` (the code behind `manage.py import_articles`) on N
articles (half Arabic, half French) into a throw-away SQLite database and
Whoosh index, then indexes the same articles with raw Whoosh and its default
analyzer, and prints both rates.

Takes about 2 minutes at 10,000 articles.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import read_corpus  # noqa: E402
from search_bench import bench_default_whoosh, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument(
        "--articles", type=int, default=10_000, help="how many articles (default 10000)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=500, help="articles per batch (default 500)"
    )
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="archive-import-bench-")
    setup_django(workdir)
    records = read_corpus(args.corpus, args.articles)

    from haystack import connections

    from archive.ingest.files import Record
    from archive.ingest.pipeline import ingest
    from archive.models import Article

    connections["default"].get_backend().clear()
    start = time.perf_counter()
    results = ingest((Record(r["id"], fields=r) for r in records), batch_size=args.batch_size)
    elapsed = time.perf_counter() - start
    created = sum(r.status == "created" for r in results)
    indexed = connections["default"].get_backend().shared_searcher().doc_count()
    stored = Article.objects.count()
    print(f"articles: {len(records)}; created {created}, in index {indexed}, in database {stored}")
    rate = len(records) / elapsed
    print(f"import+index  archive          {rate:>8,.0f} articles/s  ({elapsed:.1f} s)")
    default_rate, _ = bench_default_whoosh(records, workdir, [])
    print(f"index only    whoosh default   {default_rate:>8,.0f} articles/s")


if __name__ == "__main__":
    main()
