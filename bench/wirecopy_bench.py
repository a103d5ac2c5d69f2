"""Wire-copy detection (archive/wirecopies.py): precision and recall on
rewritten corpus articles, per threshold, and the time per article.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/wirecopy_bench.py ../shared/corpus --articles 20000 --rewrites 1000

N corpus articles (half Arabic, half French) are indexed. For M of them a
rewrite is made the way outlets republish a dispatch: a new title, and one to
three of: the outlet's own lead paragraph (the first paragraph replaced by
another article's), the last paragraph dropped, boilerplate added ("Lire
aussi…", "(MAP) -", "المصدر…"). Each rewrite is looked up among the N
originals: its original is the one right answer. Another original found is a
false positive unless its text is itself a near-copy of the right one (the
corpus holds some republished articles: counted apart).

Takes about 3 minutes at 20,000 articles.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import read_corpus  # noqa: E402

BOILERPLATE = {
    "fr": [
        "Lire aussi : {title}",
        "(MAP) -",
        "Suivez-nous sur les réseaux sociaux.",
        "Source : MAP",
    ],
    "ar": [
        "اقرأ أيضا: {title}",
        "(و م ع) -",
        "المصدر: وكالة المغرب العربي للأنباء",
        "تابعونا على مواقع التواصل",
    ],
}


def rewrite(record: dict, others: list[dict], rng: random.Random) -> str:
    paragraphs = [p for p in record["body"].split("\n") if p.strip()]
    same_language = [o for o in others if o["language"] == record["language"]]
    donor = rng.choice(same_language)
    title = rng.choice(same_language)["title"]  # the outlet's own title
    edits = rng.sample(["lead", "drop_last", "boilerplate"], rng.randint(1, 3))
    if "lead" in edits and len(paragraphs) > 2:
        donor_lead = [p for p in donor["body"].split("\n") if p.strip()][:1]
        paragraphs = donor_lead + paragraphs[1:]
    if "drop_last" in edits and len(paragraphs) > 2:
        paragraphs = paragraphs[:-1]
    if "boilerplate" in edits:
        lines = BOILERPLATE["ar" if record["language"] == "ar" else "fr"]
        paragraphs = [lines[1], *paragraphs, lines[0].format(title=donor["title"]), lines[2]]
    return title + "\n" + "\n".join(paragraphs)


def text_of(record: dict) -> str:
    return record["title"] + "\n" + record["body"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--rewrites", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from archive.wirecopies import CopyFinder, signature, similarity

    rng = random.Random(args.seed)
    records = [r for r in read_corpus(args.corpus, args.articles) if len(r["body"]) > 400]
    print(f"== {len(records):,} originals, {args.rewrites:,} rewrites", flush=True)

    start = time.perf_counter()
    signatures = [signature(text_of(r)) for r in records]
    per_signature = (time.perf_counter() - start) / len(records) * 1000
    finder = CopyFinder(threshold=0.2)  # LSH proposes generously; thresholds below filter
    start = time.perf_counter()
    for n, record in enumerate(records):
        finder.add(str(n), text_of(record))
    per_insert = (time.perf_counter() - start) / len(records) * 1000 - per_signature

    chosen = rng.sample(range(len(records)), args.rewrites)
    queries = []
    query_times = []
    for n in chosen:
        text = rewrite(records[n], records, rng)
        start = time.perf_counter()
        minhash = signature(text)
        candidates = finder.lsh.query(minhash)
        query_times.append((time.perf_counter() - start) * 1000)
        scored = {int(key): similarity(minhash, finder.signatures[key]) for key in candidates}
        queries.append((n, minhash, scored))

    print(
        f"time per article: signature {per_signature:.2f} ms, LSH insert {per_insert:.3f} ms, "
        f"rewrite signature + LSH query p50 {statistics.median(query_times):.2f} ms "
        f"(pool {len(records):,})"
    )
    print("threshold  precision  recall  (other originals found that are copies of the right one)")
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        true_positive = false_positive = corpus_copies = 0
        for n, _minhash, scored in queries:
            found = {key for key, value in scored.items() if value >= threshold}
            if n in found:
                true_positive += 1
            for other in found - {n}:
                if similarity(signatures[other], signatures[n]) >= threshold:
                    corpus_copies += 1
                else:
                    false_positive += 1
        predicted = true_positive + false_positive
        precision = true_positive / predicted if predicted else 1.0
        recall = true_positive / len(queries)
        print(f"  {threshold:4.2f}      {precision:6.3f}   {recall:6.3f}   ({corpus_copies})")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    main()
