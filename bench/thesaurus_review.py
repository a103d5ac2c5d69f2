"""Review the seed thesaurus (fixtures/seed_concepts.json) against real news:
in how many corpus articles each term occurs (as the search would find it:
its analysed words in order), per language set, and one line of context.
Terms found nowhere are flagged: a query-only form (Arabizi typed by users)
may stay, a typo must go.

Usage (from the project root):

    .venv/bin/python bench/thesaurus_review.py ../shared/corpus [--articles 20000]

Reads every set of the corpus (SaudiNewsNet, Goud.ma, OrangeSum), up to
--articles from each. Nothing is written.

Takes about a minute (15,000 articles read, nothing imported).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.language.analysis import analyze  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "seed_concepts.json"
SETS = ("ar_saudinewsnet.jsonl.gz", "ar_marsum_goud_test.jsonl.gz", "fr_orangesum.jsonl.gz")


def articles(path: Path, count: int):
    if not path.exists():
        return
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in itertools.islice(handle, count):
            record = json.loads(line)
            yield f"{record.get('title', '')}\n{record.get('body', '')}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()

    register = json.loads(FIXTURE.read_text(encoding="utf-8"))
    names = {i["pk"]: i["fields"]["slug"] for i in register if i["model"] == "archive.concept"}
    terms = [
        (names[i["fields"]["concept"]], i["fields"]["term"], i["fields"]["language"])
        for i in register
        if i["model"] == "archive.conceptterm"
    ]
    keys = {term: " " + " ".join(analyze(term)) + " " for _c, term, _l in terms}
    counts = {(term, name): 0 for _c, term, _l in terms for name in SETS}
    example: dict[str, str] = {}
    for name in SETS:
        for text in articles(args.corpus / name, args.articles):
            analysed = " " + " ".join(analyze(text)) + " "
            for term, key in keys.items():
                if key.strip() and key in analysed:
                    counts[(term, name)] += 1
                    if term not in example:
                        first = analyze(term)[0]
                        match = next(
                            (m for m in re.finditer(r"\w+", text) if analyze(m.group()) == [first]),
                            None,
                        )
                        if match:
                            snippet = text[max(0, match.start() - 40) : match.end() + 60]
                            example[term] = re.sub(r"\s+", " ", snippet)
    unseen = 0
    concept = None
    for slug, term, language in terms:
        if slug != concept:
            print(f"\n## {slug}")
            concept = slug
        found = [counts[(term, name)] for name in SETS]
        flag = "" if any(found) else "   UNSEEN"
        unseen += not any(found)
        print(
            f"  [{language:4}] {term}: SaudiNewsNet {found[0]}, Goud {found[1]}, "
            f"OrangeSum {found[2]}{flag}"
        )
        if term in example:
            print(f"         … {example[term]} …")
    print(f"\n{len(terms)} terms, {unseen} found in no article")


if __name__ == "__main__":
    main()
