"""Entity linking benchmark: one long article against many aliases.

Usage (from the project root, after `make install`):

    .venv/bin/python bench/linking_bench.py ../shared/corpus --aliases 10000

Builds an AliasLinker with N aliases (the seed register's real aliases plus
synthetic names in both scripts) and prints the build time and the time to
link the longest articles of the corpus (p50/p95 per article, milliseconds).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.entities.linking import AliasLinker  # noqa: E402

SYLLABLES_AR = [
    "عبد",
    "الوافي",
    "لفتيت",
    "محمد",
    "الزروالي",
    "بن",
    "علي",
    "حسن",
    "يوسف",
    "كريم",
    "سعيد",
]
SYLLABLES_FR = [
    "Abdel",
    "Karim",
    "Ben",
    "Ali",
    "Youssef",
    "Said",
    "Martin",
    "Durand",
    "Lefebvre",
    "Moreau",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument(
        "--aliases", type=int, default=10_000, help="number of aliases (default 10000)"
    )
    parser.add_argument(
        "--articles", type=int, default=200, help="longest articles linked (default 200)"
    )
    args = parser.parse_args()

    seed = json.loads((ROOT / "fixtures" / "seed_entities.json").read_text(encoding="utf-8"))
    aliases = {
        o["fields"]["alias"]: o["fields"]["entity"]
        for o in seed
        if o["model"] == "archive.entityalias"
    }
    rng = random.Random(42)
    while len(aliases) < args.aliases:
        pool = SYLLABLES_AR if rng.random() < 0.5 else SYLLABLES_FR
        name = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 3))) + f" {len(aliases)}"
        aliases[name] = len(aliases)

    texts = []
    for name in ("ar_saudinewsnet.jsonl.gz", "fr_orangesum.jsonl.gz"):
        with gzip.open(args.corpus / name, "rt", encoding="utf-8") as handle:
            for line, _ in zip(handle, range(5000), strict=False):
                record = json.loads(line)
                texts.append(record["title"] + "\n" + record["body"])
    texts = sorted(texts, key=len, reverse=True)[: args.articles]

    start = time.perf_counter()
    linker = AliasLinker(aliases)
    build = time.perf_counter() - start
    timings = []
    for text in texts:
        start = time.perf_counter()
        linker.count(text)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(f"aliases: {len(aliases)}; automaton built in {build * 1000:.0f} ms")
    mean_chars = statistics.mean(map(len, texts))
    p50, p95 = timings[len(timings) // 2], timings[int(len(timings) * 0.95)]
    print(f"linking {len(texts)} longest articles (mean {mean_chars:,.0f} chars):")
    print(f"  p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
