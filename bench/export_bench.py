"""Export benchmark: time and peak memory of exporting 1,000 and 10,000 rows.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/export_bench.py ../shared/corpus --articles 10000

Loads and indexes N corpus articles into a throw-away database and index,
then streams the CSV export of every article (capped at 1,000, then 10,000
rows) through Django's test client, and prints the time and the peak Python
memory allocated while streaming (tracemalloc): the peak must stay flat as
the rows grow.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import load_articles, read_corpus, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument("--articles", type=int, default=10_000, help="articles (default 10000)")
    args = parser.parse_args()

    setup_django(tempfile.mkdtemp(prefix="archive-export-bench-"))
    load_articles(read_corpus(args.corpus, args.articles))
    from django.test import Client, override_settings
    from haystack import connections

    from archive.models import Article

    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    backend.clear()
    queryset = index.index_queryset().order_by("pk")
    for start in range(0, queryset.count(), 1000):
        backend.update(index, list(queryset[start : start + 1000]))

    client = Client()
    params = {"q": "lang:ar OR lang:fr", "sort": "newest"}
    client.get("/search/", params)  # open the index first: its readers are not the export's memory
    for cap in (1_000, args.articles):
        with override_settings(ARCHIVE_EXPORT_MAX_ROWS=cap):
            tracemalloc.start()
            start = time.perf_counter()
            response = client.get("/search/export.csv", params)
            first = None
            size = 0
            lines = 0
            for chunk in response.streaming_content:
                if first is None:
                    first = time.perf_counter() - start
                size += len(chunk)
                lines += chunk.count(b"\n")
            elapsed = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(
            f"export {cap:>6,} rows: {elapsed:6.1f} s, first bytes after {first * 1000:.0f} ms, "
            f"{size / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
