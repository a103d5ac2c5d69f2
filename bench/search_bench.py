"""Search benchmark: analysis speed, index throughput, search latency.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/search_bench.py ../shared/corpus --articles 10000

Loads N articles (half Arabic from SaudiNewsNet, half French from OrangeSum)
into a throw-away SQLite database and Whoosh index, then prints, next to
Whoosh with its default StemmingAnalyzer on the same texts in the same run:
analysis speed per token, index throughput, and search latency p50/p95 over a
fixed set of queries, for the engine alone and for the whole search page.

Takes about 6 minutes at 30,000 articles.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentile, read_corpus  # noqa: E402

MISSPELLED = ["migrnts", "Macrom", "sécurté", "الهجره", "السعوديه", "وزارت", "الرياص", "elections"]

QUERIES = [
    "الهجرة",
    "وزير الداخلية",
    '"مكافحة الإرهاب"',
    "السعودية OR الإمارات",
    "المملكة -النفط",
    "اقتصاد",
    "title:الرياض",
    "migrants",
    "sécurité",
    '"ministre de l\'Intérieur"',
    "Macron OR Merkel",
    "police -Paris",
    "lang:fr élections",
    "date:2019 grève",
    "environnement climat",
    "migr*",
]


def setup_django(workdir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
        ARCHIVE_INDEX_DIR=f"{workdir}/index",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_STATIC_ROOT=f"{workdir}/static",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)


def load_articles(records: list[dict]) -> None:
    from archive.models import Article, Source
    from archive.textnorm import content_fingerprint

    sources = {}
    articles, seen = [], set()
    for record in records:
        name = record["source"]
        if name not in sources:
            sources[name], _ = Source.objects.get_or_create(
                slug=name.replace(".", "-"), defaults={"name": name, "language": record["language"]}
            )
        fingerprint = content_fingerprint(record["body"])
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        articles.append(
            Article(
                title=record["title"][:500],
                body=record["body"],
                language=record["language"],
                source=sources[name],
                published_at=datetime.date.fromisoformat(record["date"])
                if record["date"]
                else None,
                url=(record.get("url") or "")[:1000],
                content_hash=fingerprint,
            )
        )
    Article.objects.bulk_create(articles, batch_size=1000)


def bench_analysis(texts: list[str]) -> dict[str, float]:
    from whoosh.analysis import StemmingAnalyzer

    from search.engines.whoosh_analysis import bilingual_analyzer

    results = {}
    for name, analyzer in (
        ("bilingual", bilingual_analyzer()),
        ("whoosh default", StemmingAnalyzer()),
    ):
        start, tokens = time.perf_counter(), 0
        for text in texts:
            tokens += sum(1 for _ in analyzer(text, mode="index"))
        elapsed = time.perf_counter() - start
        results[name] = (tokens, elapsed)
    return results


def bench_default_whoosh(
    records: list[dict], workdir: str, queries: list[str]
) -> tuple[float, list[float]]:
    """Index the same articles with Whoosh's defaults, then time the same queries."""
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import QueryParser

    path = f"{workdir}/default-index"
    os.makedirs(path)
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=StemmingAnalyzer()),
        text=TEXT(stored=True, analyzer=StemmingAnalyzer()),
    )
    ix = index.create_in(path, schema)
    start = time.perf_counter()
    for batch_start in range(0, len(records), 1000):
        writer = ix.writer()
        for n, record in enumerate(records[batch_start : batch_start + 1000], batch_start):
            writer.add_document(
                id=str(n), title=record["title"], text=record["title"] + "\n" + record["body"]
            )
        writer.commit()
    rate = len(records) / (time.perf_counter() - start)
    parser = QueryParser("text", schema=ix.schema)
    timings = []
    with ix.searcher() as searcher:
        for _ in range(3):
            for query in queries:
                start = time.perf_counter()
                results = searcher.search_page(parser.parse(query), 1, pagelen=20)
                list(results)
                timings.append((time.perf_counter() - start) * 1000)
    return rate, timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument(
        "--articles", type=int, default=10_000, help="how many articles (default 10000)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="times each query is run (default 3)")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="archive-bench-")
    setup_django(workdir)
    records = read_corpus(args.corpus, args.articles)
    arabic = sum(r["language"] == "ar" for r in records)
    print(f"articles: {len(records)} ({arabic} ar), workdir {workdir}")

    sample = [r["title"] + "\n" + r["body"] for r in records[:2000]]
    for name, (tokens, elapsed) in bench_analysis(sample).items():
        rate = tokens / elapsed
        print(f"analysis  {name:15s} {rate:>10,.0f} tokens/s  ({tokens:,} tokens, {elapsed:.2f} s)")

    load_articles(records)
    from haystack import connections

    from archive.models import Article

    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    backend.clear()
    start = time.perf_counter()
    queryset = index.index_queryset().order_by("pk")
    for batch_start in range(0, queryset.count(), 1000):
        backend.update(index, list(queryset[batch_start : batch_start + 1000]), merge=False)
    backend.merge_segments()  # as rebuild_index and imports end
    ours_rate = Article.objects.count() / (time.perf_counter() - start)

    from django.test import Client

    from search.forms import SearchForm
    from search.selectors import article_search

    engine, page = [], []
    client = Client()
    for _ in range(args.rounds):
        for query in QUERIES:
            criteria = SearchForm({"q": query}).criteria()
            start = time.perf_counter()
            article_search(criteria)
            engine.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            response = client.get("/search/", {"q": query})
            page.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"search page failed for {query!r}: {response.status_code}")
    from search.queries.suggest import suggest

    suggestions = []
    for _ in range(args.rounds):
        for word in MISSPELLED:
            start = time.perf_counter()
            suggest([word])
            suggestions.append((time.perf_counter() - start) * 1000)
    default_rate, default_engine = bench_default_whoosh(records, workdir, QUERIES)

    print(f"index     bilingual        {ours_rate:>10,.0f} articles/s")
    print(f"index     whoosh default   {default_rate:>10,.0f} articles/s")
    for label, timings in (
        ("engine+load", engine),
        ("whole page", page),
        ("did you mean", suggestions),
    ):
        print(
            f"search    {label:16s} p50 {percentile(timings, 50):6.1f} ms  "
            f"p95 {percentile(timings, 95):6.1f} ms"
        )
    print(
        f"search    whoosh default   p50 {percentile(default_engine, 50):6.1f} ms  "
        f"p95 {percentile(default_engine, 95):6.1f} ms (engine alone, no facets)"
    )
    print(
        f"queries: {len(QUERIES)} × {args.rounds} rounds; mean page {statistics.mean(page):.1f} ms"
    )


if __name__ == "__main__":
    main()
