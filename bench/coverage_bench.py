"""Cross-language coverage pairing (search/similar/coverage.py) on the labelled
sample, among real French articles of the same weeks, for both engines.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/coverage_bench.py ../shared/corpus [--days 10] \
        [--database postgres://postgres@127.0.0.1:5432/postgres]

The sample (tests/data/coverage_arabic.json, coverage_french.json; see
bench/build_coverage_sample.py) is saved through the write path into a
throw-away archive with the seed entity register, together with every French
corpus article published within --days of a sample article (full text: the
distractors a pairing meets in a real archive). Printed, from the Arabic
side where the labels are: proposed pairs, precision (pairs of "another step
of the same story" left out), recall (Arabic articles with labelled coverage
that get at least one right pair), wrong pairs, and the time per article
page's pairing.

Takes about 3 minutes per engine on this 2-core machine (≈9,000 articles imported).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import drop_postgres_database, postgres_database  # noqa: E402
from engines_bench import environment, run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """
import json, time, statistics
from django.core.management import call_command
from search.similar.coverage import coverage_scores, PAIR_SCORE
from search.similar.coverage_sample import judge, load_sample
from archive.models import Article
call_command("loaddata", "seed_entities", verbosity=0)
start = time.perf_counter()
saved, arabic = load_sample()
call_command("import_articles", {extra!r}, verbosity=0)
loaded = time.perf_counter() - start
timings = []
def pairs(article):
    start = time.perf_counter()
    found = [pk for pk, *_ in coverage_scores(article)[:3]]
    timings.append((time.perf_counter() - start) * 1000)
    return found
result = judge(saved, arabic, pairs)
for article in Article.objects.filter(language="fr").order_by("?")[:200]:
    pairs(article)
timings.sort()
print(json.dumps({{
    "articles": Article.objects.count(), "load_s": loaded, "threshold": PAIR_SCORE,
    "proposed": result.proposed, "correct": result.correct, "acceptable": result.acceptable,
    "precision": result.precision, "recall": result.recall, "expected": result.expected,
    "wrong": [
        (a, k if k in saved else Article.objects.get(pk=int(k)).title) for a, k in result.wrong
    ],
    "p50_ms": statistics.median(timings), "p95_ms": timings[int(len(timings) * 0.95)],
}}))
"""


def distractors(corpus: Path, days: int) -> list[dict]:
    """Corpus records (its JSONL format, for import_articles) of the French
    articles within `days` of a sample article, less the sample's own."""
    arabic = json.loads((ROOT / "tests/data/coverage_arabic.json").read_text())["articles"]
    french = json.loads((ROOT / "tests/data/coverage_french.json").read_text())["articles"]
    sample = {a["id"] for a in french}
    dates = [datetime.date.fromisoformat(a["date"]) for a in arabic]
    found = []
    with gzip.open(corpus / "fr_orangesum.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if not record["date"] or record["id"] in sample:
                continue
            date = datetime.date.fromisoformat(record["date"])
            if any(abs((date - day).days) <= days for day in dates):
                found.append(record)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--database", help="PostgreSQL server URL: also run the postgres engine")
    args = parser.parse_args()
    extra = distractors(args.corpus, args.days)
    print(
        f"{len(extra)} French corpus articles within {args.days} days of the sample's", flush=True
    )
    with tempfile.TemporaryDirectory(prefix="archive-coverage-") as work:
        extra_path = Path(work) / "distractors.jsonl"
        extra_path.write_text(
            "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in extra)
        )
        runs = [("whoosh", f"sqlite:///{work}/archive.sqlite3")]
        if args.database:
            runs.append(("postgres", postgres_database(args.database)))
        for engine, database in runs:
            env = environment(Path(work) / engine, engine, database, 0, 1, 1000)
            try:
                run(env, "migrate", "--noinput")
                out = json.loads(
                    run(env, "shell", "--no-imports", "-c", MEASURE.format(extra=str(extra_path)))
                    .strip()
                    .splitlines()[-1]
                )
            finally:
                if engine == "postgres":
                    drop_postgres_database(args.database, database)
            print(
                f"{engine:8} {out['articles']:,} articles  threshold {out['threshold']}: "
                f"proposed {out['proposed']}, right {out['correct']}, "
                f"another step of the story {out['acceptable']}, "
                f"precision {out['precision']:.3f}, recall {out['recall']:.3f} "
                f"(of {out['expected']})  "
                f"pairing p50 {out['p50_ms']:.1f} ms p95 {out['p95_ms']:.1f} ms"
            )
            for arabic, french in out["wrong"]:
                print(f"    wrong: {arabic} -> {french}")


if __name__ == "__main__":
    main()
