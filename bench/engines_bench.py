"""Both search engines at one archive size, beside raw Whoosh and tantivy.

Usage (from the project root, after `make install`; loopback only, bounded):

    .venv/bin/python bench/engines_bench.py ../shared/corpus --articles 10000 \\
        --database postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/engines_bench.py ../shared/corpus --articles 1000000 \\
        --database postgres://postgres@127.0.0.1:5432/postgres --engines postgres --bulk

At 30,000 articles with `--seconds 30` each engine takes about 15 minutes
(most of it the import); at 100,000 about an hour each.

For each engine (`whoosh`: SQLite + on-disk Whoosh, the embedded default;
`postgres`: a new PostgreSQL database with the PostgreSQL engine) it builds a
throw-away archive of N articles (half Arabic, half French; beyond the
corpus's ~64,000, perturbed copies with new ids), then prints:

- import + index articles/s through `manage.py import_articles` (the real
  pipeline: cleaning, duplicates, entity linking, indexing); with --bulk the
  archive is copied in SQL from the first `--import-articles` imported ones and
  only those are timed;
- index size on disk;
- engine-only latency (one process, the engine interface, with facets);
- the whole search page through gunicorn with `--clients` concurrent clients
  for `--seconds`, twice: the fixed mix below (Arabic/French queries, facets,
  sorts, phrases, prefixes, filters), repeated, comparable with the engine-only
  and anchor figures; then a pool of `--pool` distinct queries drawn from the
  archive's own titles, each asked once, which no cache flatters:
  p50/p95/p99 and failures;
- an export of a large result set through gunicorn: rows/s and the worker's
  peak memory.

Anchors measured in the same run on the same texts and queries: raw Whoosh with
its default analyzer (index and search; skipped above --anchor-max articles,
where it takes hours) and tantivy (the Rust engine, `pip install tantivy`).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    drop_postgres_database,
    manage,
    percentile,
    postgres_database,
    query_pool,
    read_corpus,
)

# The whole-page mix: (query parameters). Arabic and French, facets on every
# page, sorts, phrases, prefixes, fields, filters, dates.
PAGES = [
    {"q": "الهجرة"},
    {"q": "المملكة"},
    {"q": "وزير الداخلية"},
    {"q": '"مكافحة الإرهاب"'},
    {"q": "السعودية OR الإمارات", "sort": "newest"},
    {"q": "المملكة -النفط"},
    {"q": "title:الرياض"},
    {"q": "اقتصاد*"},
    {"q": "migrants"},
    {"q": "France"},
    {"q": "sécurité", "sort": "oldest"},
    {"q": '"ministre de l\'Intérieur"'},
    {"q": "Macron OR Merkel"},
    {"q": "police -Paris"},
    {"q": "élections", "lang": "fr"},
    {"q": "grève date:2019"},
    {"q": "migr*"},
    {"q": "gouvernement", "sort": "newest"},
    {"q": "environnement climat"},
    {"q": "date:2015..2016", "lang": "ar"},
]
ENGINE_QUERIES = [page["q"] for page in PAGES]
# A large result set for the export measurement.
EXPORT_QUERY = {"q": "المملكة OR France", "sort": "newest"}


def records_for(corpus: Path, count: int) -> list[dict]:
    """N records: the corpus first, then perturbed copies (paragraphs rotated,
    a copy number in the title, dates shifted) so that no copy is a duplicate."""
    base = read_corpus(corpus, min(count, 200_000))
    out = list(base[:count])
    copy = 1
    while len(out) < count:
        for record in base:
            if len(out) >= count:
                break
            paragraphs = record["body"].split("\n")
            shift = copy % max(1, len(paragraphs))
            date = record["date"]
            if date:
                day = datetime.date.fromisoformat(date) + datetime.timedelta(days=copy)
                date = day.isoformat()
            out.append(
                {
                    **record,
                    "title": f"{record['title']} ({copy})",
                    "body": "\n".join(paragraphs[shift:] + paragraphs[:shift]) + f"\n[{copy}]",
                    "date": date,
                    "url": "",
                }
            )
        copy += 1
    return out


def environment(
    work: Path, engine: str, database: str, port: int, workers: int, export_max: int
) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "ARCHIVE_SEARCH_ENGINE": engine,
        "ARCHIVE_INDEX_DIR": str(work / "index"),
        "ARCHIVE_UPLOAD_DIR": str(work / "uploads"),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "ARCHIVE_EXPORT_MAX_ROWS": str(export_max),
        # Jobs (the vocabulary refresh after an import) run in the importing process.
        "ARCHIVE_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
    }


def run(env: dict, *args: str) -> str:
    result = manage(env, *args)
    if result.returncode:
        sys.exit(f"{args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


BULK_COPY = """
import time
from django.db import connection, transaction
from archive.models import Article
from search.engines.postgres_documents import SAMPLE_BUCKETS as BUCKETS, keyword_lexeme
SAMPLES = [keyword_lexeme("sample", str(k)) for k in range(BUCKETS)]
target = {target}
start = time.perf_counter()
with connection.cursor() as cursor:
    cursor.execute("SELECT max(id) FROM archive_article")
    top = cursor.fetchone()[0]
    base = Article.objects.count()
    # A bulk load: the GIN index is built once at the end (per-row updates of
    # a GIN without pending list would take hours), as a DBA would.
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE indexname IN ('searchdoc_document', 'searchdoc_rank')"
    )
    full_text = cursor.fetchall()
    for name, _definition in full_text:
        cursor.execute(f"DROP INDEX {{name}}")
    copy = 1
    while Article.objects.count() < target:
        missing = target - Article.objects.count()
        with transaction.atomic():
            cursor.execute(
                "INSERT INTO archive_article (id, title, body, language, source_id, author, "
                "published_at, url, content_hash, text_hash, created_at, updated_at) "
                "SELECT id + %s, title || ' (' || %s || ')', body || ' [' || %s || ']', language, "
                "source_id, author, published_at, '', md5(content_hash || %s), "
                "md5(text_hash || %s), created_at, updated_at "
                "FROM archive_article WHERE id <= %s ORDER BY id LIMIT %s",
                [copy * top, copy, copy, str(copy), str(copy), top, missing],
            )
            # The copy's own sample bucket (postgres_documents.sample_keyword).
            cursor.execute(
                "INSERT INTO search_searchdocument SELECT article_id + %s, "
                "ts_delete(document, %s::text[]) || %s::tsvector "
                "|| (chr(39) || '#sample=' || ((article_id + %s) %% %s) || chr(39))::tsvector, "
                "language, source, entities, year, day, "
                "newest_key, oldest_key, version FROM search_searchdocument "
                "WHERE article_id <= %s AND article_id + %s IN "
                "(SELECT id FROM archive_article WHERE id > %s)",
                [copy * top, SAMPLES, str(copy), copy * top, BUCKETS, top, copy * top, copy * top],
            )
        copy += 1
    cursor.execute("SELECT setval('archive_article_id_seq', (SELECT max(id) FROM archive_article))")
    cursor.execute("SET maintenance_work_mem = '1GB'")
    indexing = time.perf_counter()
    for name, definition in full_text:
        cursor.execute(definition)
    built = ", ".join(name for name, _ in full_text)
    print(f"{{built}} built in {{time.perf_counter() - indexing:.0f}} s; ", end="")
    cursor.execute("ANALYZE")
# As the worker does after an import: "did you mean" and related articles
# read the vocabulary.
vocabulary = time.perf_counter()
from search.engines.base import engine
engine().refresh_vocabulary()
print(f"vocabulary in {{time.perf_counter() - vocabulary:.0f}} s; ", end="")
print(f"copied {{Article.objects.count() - base}} in {{time.perf_counter() - start:.0f}} s")
"""

ENGINE_TIMING = """
import json, time
from search.forms import SearchForm
from search.selectors import article_search
queries = {queries}
timings = []
for round in range(3):
    for query in queries:
        criteria = SearchForm({{"q": query}}).criteria()
        start = time.perf_counter()
        article_search(criteria)
        timings.append((time.perf_counter() - start) * 1000)
print(json.dumps(timings[len(queries):]))
"""

# Related articles (search.similar.related) of 40 articles spread over the archive,
# uncached: each is the article's terms looked up, then one more_like call.
RELATED_TIMING = """
import json, time
from archive.models import Article
from search.similar.related import distinctive_terms
from search.engines.base import engine
top = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
timings = []
for n in range(1, 41):
    article = Article.objects.filter(pk__gte=top * n // 41).order_by("pk").first()
    start = time.perf_counter()
    weights = distinctive_terms(article.title, article.body)
    engine().more_like(weights, limit=6)
    timings.append((time.perf_counter() - start) * 1000)
print(json.dumps(timings))
"""

INDEX_SIZE = """
from django.db import connection
from django.conf import settings
import os
if settings.ARCHIVE_SEARCH_ENGINE == "postgres":
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('search_searchdocument')")
        print(cursor.fetchone()[0])
else:
    path = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    print(sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path)))
"""


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class Server:
    """gunicorn serving the archive of `env` (the project's gunicorn.conf.py)."""

    def __init__(self, env: dict, work: Path, port: int):
        self.port = port
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=env,
            stderr=(work / "server.log").open("a"),
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                self.get("/", timeout=5)
                return
            except Exception:
                time.sleep(0.3)
        sys.exit("gunicorn did not answer")

    def get(self, path: str, timeout: float = 60) -> tuple[int, bytes]:
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def load(server: Server, clients: int, seconds: float, pages: list[dict], repeat: bool):
    """`clients` threads request search pages for `seconds`: drawn at random
    from `pages` (`repeat`), or each of `pages` at most once, in a shuffled
    order shared by the clients, so that no query is asked twice and no cache
    answers it. (latencies ms, failures)."""
    latencies: list[float] = []
    failures = [0]
    stop = time.time() + seconds
    lock = threading.Lock()
    shuffled = random.Random(11).sample(pages, len(pages))
    queue = iter(shuffled)

    def client(seed: int) -> None:
        order = random.Random(seed)
        while time.time() < stop:
            if repeat:
                page = order.choice(pages)
            else:
                with lock:
                    page = next(queue, None)
                if page is None:
                    return
            start = time.perf_counter()
            try:
                status, _ = server.get("/search/?" + urllib.parse.urlencode(page))
                ok = status == 200
            except Exception:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                failures[0] += not ok

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not repeat and len(latencies) == len(pages):
        print(f"   (the pool of {len(pages):,} queries ran out before {seconds:.0f} s)")
    return latencies, failures[0]


def export(server: Server) -> tuple[int, float, int, int]:
    """(rows, seconds, worker RSS before in kB, worker peak in kB) of one CSV export."""
    workers = children(server.process.pid)
    before = max(memory_kb(pid, "VmRSS") for pid in workers)
    start = time.perf_counter()
    rows = 0
    url = f"http://127.0.0.1:{server.port}/search/export.csv?" + urllib.parse.urlencode(
        EXPORT_QUERY
    )
    with urllib.request.urlopen(url, timeout=3600) as response:  # noqa: S310
        # Rows, not lines: article bodies hold line breaks inside quoted cells.
        for _row in csv.reader(io.TextIOWrapper(response, encoding="utf-8-sig", newline="")):
            rows += 1
    elapsed = time.perf_counter() - start
    peak = max(memory_kb(pid, "VmHWM") for pid in workers)
    return rows - 1, elapsed, before, peak


def measure_engine(
    engine: str, args, records_path: Path, count: int, port: int, pool: list[dict]
) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"archive-engines-{engine}-"))
    if args.reuse:
        database = args.reuse
    elif engine == "postgres":
        database = postgres_database(args.database)
    else:
        database = f"sqlite:///{work}/archive.sqlite3"
    env = environment(work, engine, database, port, args.workers, args.export_max)
    result: dict = {"engine": engine}
    try:
        run(env, "migrate", "--noinput")
        # The registers `make run` loads: entity aliases and thesaurus concepts
        # widen queries (concept searches take the languages in turn).
        run(env, "loaddata", "seed_entities", "seed_concepts")
        run(env, "collectstatic", "--noinput")
        start = time.perf_counter()
        if not args.reuse:
            run(env, "import_articles", str(records_path), "--verbosity", "0")
        imported = int(run(env, "shell", "--no-imports", "-c", COUNT).strip())
        result["import_rate"] = imported / (time.perf_counter() - start)
        result["imported"] = imported
        if args.bulk and imported < count:
            if engine != "postgres":
                sys.exit("--bulk copies are made in PostgreSQL: use --engines postgres")
            out = run(env, "shell", "--no-imports", "-c", BULK_COPY.format(target=count))
            result["bulk"] = out.strip()
        result["articles"] = int(run(env, "shell", "--no-imports", "-c", COUNT).strip())
        result["index_bytes"] = int(run(env, "shell", "--no-imports", "-c", INDEX_SIZE).strip())
        result["engine_ms"] = json.loads(
            run(
                env, "shell", "--no-imports", "-c", ENGINE_TIMING.format(queries=ENGINE_QUERIES)
            ).strip()
        )
        result["related_ms"] = json.loads(run(env, "shell", "--no-imports", "-c", RELATED_TIMING))
        server = Server(env, work, port)
        try:
            for page in PAGES:  # warm every worker's caches once
                server.get("/search/?" + urllib.parse.urlencode(page))
            result["page_ms"], result["failures"] = load(
                server, args.clients, args.seconds, PAGES, repeat=True
            )
            result["pool_ms"], result["pool_failures"] = load(
                server, args.clients, args.seconds, pool, repeat=False
            )
        finally:
            server.stop()
        # The export on a fresh single worker, so that its peak is the export's.
        server = Server({**env, "GUNICORN_WORKERS": "1"}, work, port)
        try:
            result["export"] = export(server)
        finally:
            server.stop()
    finally:
        if engine == "postgres" and not args.keep and not args.reuse:
            drop_postgres_database(args.database, database)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work} {database}")
    return result


COUNT = "from archive.models import Article; print(Article.objects.count())"


def tantivy_anchor(records: list[dict], queries: list[str]) -> tuple[float, list[float]]:
    """Index the texts with tantivy's default tokenizer; time the same queries."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=False)
    builder.add_text_field("body", stored=False)
    builder.add_integer_field("id", stored=True, indexed=True)
    schema = builder.build()
    path = tempfile.mkdtemp(prefix="tantivy-anchor-")
    index = tantivy.Index(schema, path=path)
    start = time.perf_counter()
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for n, record in enumerate(records):
        writer.add_document(
            tantivy.Document(
                id=n, title=record["title"], body=record["title"] + "\n" + record["body"]
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    rate = len(records) / (time.perf_counter() - start)
    index.reload()
    searcher = index.searcher()
    timings = []
    hits = 0
    for _ in range(3):
        for query in queries:
            text = query.replace("title:", "").replace("-", " ").replace("date:", "")
            start = time.perf_counter()
            parsed = index.parse_query(text, ["title", "body"])
            found = searcher.search(parsed, 20)
            hits += found.count
            found.hits  # noqa: B018
            timings.append((time.perf_counter() - start) * 1000)
    shutil.rmtree(path, ignore_errors=True)
    if not hits:
        sys.exit("tantivy found nothing: the anchor would be meaningless")
    return rate, timings[len(queries) :]


def whoosh_anchor(records: list[dict], queries: list[str]) -> tuple[float, list[float]]:
    from search_bench import bench_default_whoosh

    work = tempfile.mkdtemp(prefix="whoosh-anchor-")
    try:
        return bench_default_whoosh(records, work, queries)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def figures(timings: list[float]) -> str:
    return (
        f"p50 {percentile(timings, 50):7.2f} ms  p95 {percentile(timings, 95):7.2f} ms  "
        f"p99 {percentile(timings, 99):7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--engines", default="whoosh,postgres")
    parser.add_argument("--database", help="postgres:// URL of a server (for the postgres engine)")
    parser.add_argument(
        "--bulk",
        action="store_true",
        help="import --import-articles through the pipeline, copy the rest in SQL",
    )
    parser.add_argument("--import-articles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pool", type=int, default=5000, help="distinct queries of the page pool")
    parser.add_argument("--anchor-max", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="keep the archives built")
    parser.add_argument(
        "--export-max", type=int, default=100_000, help="rows of the export (the app's default cap)"
    )
    parser.add_argument(
        "--reuse",
        help="postgres:// URL of an archive kept by an earlier run: no import (its rate "
        "is then meaningless), bulk copies up to --articles with --bulk",
    )
    args = parser.parse_args()

    engines = args.engines.split(",")
    if "postgres" in engines and not (args.database or args.reuse):
        sys.exit("--database postgres://… is needed for the postgres engine")
    imported = min(args.articles, args.import_articles) if args.bulk else args.articles
    if args.reuse:
        imported = min(imported, 100_000)  # the anchors' texts
    records = records_for(args.corpus, imported)
    records_path = Path(tempfile.mkdtemp(prefix="engines-corpus-")) / "corpus.jsonl"
    with records_path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(
        f"== {args.articles:,} articles ({imported:,} through the import pipeline), "
        f"{args.clients} clients x {args.seconds:.0f} s through gunicorn ({args.workers} workers), "
        f"{os.cpu_count()} cores",
        flush=True,
    )

    anchor_records = (
        records_for(args.corpus, args.articles) if args.articles > imported else records
    )
    rate, timings = tantivy_anchor(anchor_records, ENGINE_QUERIES)
    print(f"anchor tantivy         index {rate:8,.0f} articles/s   engine {figures(timings)}")
    whoosh_rate = None
    if args.articles <= args.anchor_max:
        whoosh_rate, timings = whoosh_anchor(anchor_records, ENGINE_QUERIES)
        print(
            f"anchor whoosh default  index {whoosh_rate:8,.0f} articles/s   "
            f"engine {figures(timings)}"
        )
    else:
        print(f"anchor whoosh default  skipped above {args.anchor_max:,} articles (hours)")
    del anchor_records
    pool = query_pool(records, args.pool)
    print(f"page query pool        {len(pool):,} distinct requests from the titles", flush=True)

    for engine in engines:
        result = measure_engine(engine, args, records_path, args.articles, args.port, pool)
        ratio = f" ({result['import_rate'] / whoosh_rate:.2f}x raw Whoosh)" if whoosh_rate else ""
        print(f"-- engine {engine}: {result['articles']:,} articles", flush=True)
        print(
            f"   import+index  {result['import_rate']:8,.0f} articles/s over "
            f"{result['imported']:,}{ratio}"
        )
        if "bulk" in result:
            print(f"   bulk copy     {result['bulk']}")
        print(f"   index size    {result['index_bytes'] / 1e6:8,.0f} MB")
        print(f"   engine only   {figures(result['engine_ms'])}")
        print(f"   related       {figures(result['related_ms'])}")
        page = result["page_ms"]
        print(
            f"   whole page    {figures(page)}  ({len(page)} requests, "
            f"{result['failures']} failed, mean {statistics.mean(page):.1f} ms)"
        )
        pool_page = result["pool_ms"]
        print(
            f"   page, pool    {figures(pool_page)}  ({len(pool_page)} distinct queries, "
            f"{result['pool_failures']} failed, mean {statistics.mean(pool_page):.1f} ms)"
        )
        rows, seconds, before, peak = result["export"]
        print(
            f"   export        {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s, "
            f"worker RSS {before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
