"""GIN against RUM for the PostgreSQL engine's ranked pages, on a built archive.

Usage (an archive built by `engines_bench.py --engines postgres --keep`):

    .venv/bin/python bench/postgres_ranking_bench.py postgres://postgres@127.0.0.1:5432/archive_load_xxxx

For the whole-page query mix of `engines_bench.py` it times, on the same
database: the facet statement (total + facet counts over every match, GIN),
the top 20 by `ts_rank` (GIN finds the matches, every match's tsvector is read
to rank it), and the top 20 by RUM's `<=>` (the index returns documents in rank
order). Debian's `postgresql-15-rum` must be installed on the server; the RUM
index is built (timed) and dropped at the end.

Takes about 2 minutes on a kept 100,000-article archive.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentile  # noqa: E402
from engines_bench import ENGINE_QUERIES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", help="postgres:// URL of an archive using the postgres engine")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=args.database,
        ARCHIVE_SEARCH_ENGINE="postgres",
    )
    import django

    django.setup()
    from django.db import connection

    from search.engines.postgres_engine import RANK, TABLE, PostgresBackend
    from search.engines.postgres_query import compile_tree
    from search.queries.query import parse_query
    from search.selectors import FACET_FIELDS

    backend = PostgresBackend("default")
    conditions = [c for q in ENGINE_QUERIES if (c := compile_tree(parse_query(q).tree)) and c.rank]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        print(f"documents: {cursor.fetchone()[0]:,}")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        start = time.perf_counter()
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS bench_rum ON {TABLE} USING rum (document rum_tsvector_ops)"
        )
        print(f"RUM index built in {time.perf_counter() - start:.0f} s")
        cursor.execute("ANALYZE " + TABLE)
        cursor.execute(
            "SELECT pg_relation_size('searchdoc_document'), pg_relation_size('bench_rum')"
        )
        gin, rum = cursor.fetchone()
        print(f"index size: GIN {gin / 1e6:.0f} MB, RUM {rum / 1e6:.0f} MB")

        timings: dict[str, list[float]] = {
            "facets + total": [],
            "top 20 ts_rank": [],
            "top 20 RUM": [],
        }
        matches = []
        for round_number in range(args.rounds + 1):
            for condition in conditions:
                start = time.perf_counter()
                hits, _ = backend._facets(cursor, condition, FACET_FIELDS)
                facets = (time.perf_counter() - start) * 1000
                if round_number == 0:
                    matches.append(hits)
                rank_query = condition.rank
                start = time.perf_counter()
                cursor.execute(
                    f"SELECT article_id, {RANK} AS score FROM {TABLE} WHERE {condition.where} "
                    "ORDER BY score DESC, article_id LIMIT 20",
                    (rank_query, *condition.params),
                )
                cursor.fetchall()
                ranked = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                cursor.execute(
                    f"SELECT article_id FROM {TABLE} WHERE {condition.where} "
                    "ORDER BY document <=> %s::tsquery LIMIT 20",
                    (*condition.params, rank_query),
                )
                cursor.fetchall()
                rum_ranked = (time.perf_counter() - start) * 1000
                if round_number:  # the first round warms the caches
                    timings["facets + total"].append(facets)
                    timings["top 20 ts_rank"].append(ranked)
                    timings["top 20 RUM"].append(rum_ranked)
        print(
            f"queries: {len(conditions)} x {args.rounds}; matches per query "
            f"min {min(matches):,} median {sorted(matches)[len(matches) // 2]:,} max {max(matches):,}"
        )
        for label, values in timings.items():
            print(
                f"{label:16s} p50 {percentile(values, 50):7.1f} ms  p95 {percentile(values, 95):7.1f} ms"
                f"  max {max(values):7.1f} ms"
            )
        cursor.execute("DROP INDEX bench_rum")


if __name__ == "__main__":
    main()
