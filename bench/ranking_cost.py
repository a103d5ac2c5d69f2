"""What ordering title ties (search.order.ranking) costs a search: the search
page's own path (`article_search`) timed with the ordering and without it
(`search.order.ranking.WINDOW` 0), alternating query by query on one archive so
that the machine's drift hits both alike.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/ranking_cost.py ../shared/corpus [--articles 30000]
        [--engine whoosh|postgres] [--database postgres://…] [--rounds 5]

The queries are those of bench/engines_bench.py (Arabic and French, phrases,
prefixes, fields, sorts, filters); only the plain-word ones are reordered.

Takes about 5 minutes at 30,000 articles (import, then 5 paired rounds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentile, throwaway_archive  # noqa: E402
from engines_bench import ENGINE_QUERIES, records_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=30000)
    parser.add_argument("--engine", default="whoosh", choices=("whoosh", "postgres"))
    parser.add_argument("--database", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    with throwaway_archive(args.engine, args.database, "archive-ranking-cost-") as work:
        from django.core.management import call_command

        from archive.models import Article
        from search.forms import SearchForm
        from search.order import ranking
        from search.selectors import ResultOrder, article_search

        path = work / "records.jsonl"
        records = records_for(args.corpus, args.articles)
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("import_articles", str(path), verbosity=0)
        print(
            f"== {Article.objects.count():,} articles imported in "
            f"{time.perf_counter() - started:.0f} s, engine {args.engine}",
            flush=True,
        )
        window = ranking.WINDOW
        with_ms: list[float] = []
        without_ms: list[float] = []
        reordered = []
        for query in ENGINE_QUERIES:
            criteria = SearchForm({"q": query}).criteria()
            tree = criteria.tree()
            if tree is not None and criteria.result_order() is ResultOrder.BEST_NAMED:
                reordered.append(query)
        for round_ in range(args.rounds + 1):
            for query in ENGINE_QUERIES:
                criteria = SearchForm({"q": query}).criteria()
                for setting, timings in ((window, with_ms), (0, without_ms)):
                    ranking.WINDOW = setting
                    start = time.perf_counter()
                    article_search(criteria)
                    if round_:  # the first round warms caches
                        timings.append((time.perf_counter() - start) * 1000)
        ranking.WINDOW = window
        for name, timings in (("with the ordering", with_ms), ("without", without_ms)):
            print(
                f"   {name:18} p50 {percentile(timings, 50):7.2f} ms  "
                f"p95 {percentile(timings, 95):7.2f} ms  mean {statistics.mean(timings):7.2f} ms"
            )
        pairs = [a - b for a, b in zip(with_ms, without_ms, strict=True)]
        print(
            f"   difference         median {statistics.median(pairs):+.2f} ms a search "
            f"({len(reordered)} of {len(ENGINE_QUERIES)} queries reordered: "
            f"{', '.join(reordered)})"
        )


if __name__ == "__main__":
    main()
