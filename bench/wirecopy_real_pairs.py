"""Wire-copy grouping on *real* republished articles of the corpus: pairs
of corpus articles whose texts overlap, judged by reading, and how the
archive's rule (archive/wirecopies.py) classes them.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/wirecopy_real_pairs.py ../shared/corpus            # the figures
        (read from tests/data/wire_real_pairs.json: the corpus is not needed)
    .venv/bin/python bench/wirecopy_real_pairs.py ../shared/corpus --propose  # pairs to judge

--propose reads the first --articles corpus articles (over 400 characters),
finds the pairs whose 4-word shingle sets overlap (exact Jaccard ≥ 0.2,
candidates from datasketch LSH at 0.2) and prints a sample per similarity
band, for a person to judge: the same dispatch republished (a copy, with the
outlet's own title, lead, cuts or boilerplate), or two articles sharing
passages only (a round-up quoting a dispatch, two dispatches of one series).
The judged pairs are kept, with their texts, in
tests/data/wire_real_pairs.json (the suite checks them loosely); without
--propose, the script reads them and prints precision and recall of the
archive's threshold (estimated Jaccard of the stored MinHash signatures) on
them, and of a few other thresholds.

Takes about a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import read_corpus  # noqa: E402

LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "wire_real_pairs.json"
BANDS = [(0.2, 0.35), (0.35, 0.5), (0.5, 0.7), (0.7, 1.01)]


def text_of(record: dict) -> str:
    return record["title"] + "\n" + record["body"]


def propose(records: list[dict], per_band: int, seed: int) -> None:
    from archive.wirecopies import CopyFinder, shingles

    finder = CopyFinder(threshold=0.2)
    sets = {}
    for record in records:
        sets[record["id"]] = shingles(text_of(record))
        finder.add(record["id"], text_of(record))
    pairs = set()
    for record in records:
        for other in finder.copies_of(text_of(record), exclude=[record["id"]]):
            pairs.add(tuple(sorted((record["id"], other))))
    by_id = {r["id"]: r for r in records}
    scored = []
    for a, b in pairs:
        exact = len(sets[a] & sets[b]) / max(1, len(sets[a] | sets[b]))
        if exact >= 0.2:
            scored.append((exact, a, b))
    print(f"{len(scored)} overlapping pairs among {len(records):,} articles")
    rng = random.Random(seed)
    for low, high in BANDS:
        band = sorted(item for item in scored if low <= item[0] < high)
        print(f"\n## Jaccard {low}–{high}: {len(band)} pairs")
        for exact, a, b in rng.sample(band, min(per_band, len(band))):
            print(f"\n{a} | {b} | {exact:.2f}")
            for key in (a, b):
                record = by_id[key]
                print(f"  [{record['source']} {record['date']}] {record['title'][:90]}")
                print(f"     {record['body'][:220]!r}")
                print(f"     ...{record['body'][-160:]!r}")


def measure() -> None:
    from archive.wirecopies import THRESHOLD, signature, similarity

    data = json.loads(LABELS.read_text(encoding="utf-8"))
    labelled, by_id = data["pairs"], data["articles"]
    rows = [
        (similarity(signature(text_of(by_id[p["a"]])), signature(text_of(by_id[p["b"]]))), p)
        for p in labelled
    ]
    copies = sum(p["copy"] for _s, p in rows)
    print(f"{len(rows)} judged real pairs: {copies} copies, {len(rows) - copies} not copies")
    print("threshold  precision  recall")
    for threshold in sorted({0.3, 0.4, 0.45, 0.5, THRESHOLD, 0.55, 0.6, 0.7}):
        found = [p for s, p in rows if s >= threshold]
        right = sum(p["copy"] for p in found)
        precision = right / len(found) if found else 1.0
        recall = right / copies if copies else 1.0
        mark = "  (the archive's)" if threshold == THRESHOLD else ""
        print(f"  {threshold:4.2f}     {precision:6.3f}   {recall:6.3f}{mark}")
    # As at ingest: LSH must first propose the pair (a shared band), then the
    # signatures must reach the threshold.
    from archive.wirecopies import CopyFinder

    proposed = []
    for _s, p in rows:
        finder = CopyFinder()
        finder.add("a", text_of(by_id[p["a"]]))
        proposed.append((bool(finder.copies_of(text_of(by_id[p["b"]]))), p))
    found = [p for hit, p in proposed if hit]
    right = sum(p["copy"] for p in found)
    print(
        f"  as at ingest (LSH candidates, then {THRESHOLD}): precision "
        f"{right / len(found) if found else 1.0:.3f}, recall {right / copies:.3f}"
    )
    from archive.wirecopies import jaccard, shingles

    for (s, p), (hit, _p) in zip(rows, proposed, strict=True):
        if hit != p["copy"]:
            exact = jaccard(shingles(text_of(by_id[p["a"]])), shingles(text_of(by_id[p["b"]])))
            print(
                f"    missed or wrong: {p['a']} {p['b']} estimated {s:.2f}, exact {exact:.2f}: "
                f"{p['why']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--propose", action="store_true")
    parser.add_argument("--per-band", type=int, default=12)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if args.propose:
        records = [r for r in read_corpus(args.corpus, args.articles) if len(r["body"]) > 400]
        propose(records, args.per_band, args.seed)
    else:
        measure()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    main()
