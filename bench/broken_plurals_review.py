"""Review the broken-plural table (search/language/data/broken_plurals.tsv) against
real Arabic news: how often each plural and singular occur, which rows light
stemming already merges (redundant), which plurals never occur, and a few
lines of context for each plural, to read for homographs (a plural spelled
like another word would merge that word with the singular).

Usage (from the project root):

    .venv/bin/python bench/broken_plurals_review.py ../shared/corpus [--articles 20000]
        [--contexts 2] [--only WORD]

Reads the Arabic sets of the corpus (SaudiNewsNet, Goud.ma's Darija/MSA
test set); prints one block a row. Nothing is written.

Takes about a minute (30,000 articles read, nothing imported).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.language.analysis import (  # noqa: E402
    BROKEN_PLURALS_FILE,
    DEFINITE_PREFIXES,
    WORD,
    _strip_suffixes,
    arabic_stems,
    is_arabic,
    normalize_word,
)

ARABIC_SETS = ("ar_saudinewsnet.jsonl.gz", "ar_marsum_goud_test.jsonl.gz")


def bare(word: str) -> str:
    """A normalised word without its article (as the table matches it)."""
    for prefix in DEFINITE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def texts(corpus: Path, count: int):
    def each(name: str):
        path = corpus / name
        if not path.exists():
            return
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                yield f"{record.get('title', '')}\n{record.get('body', '')}"

    return itertools.islice(itertools.chain(*(each(name) for name in ARABIC_SETS)), count)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--contexts", type=int, default=2)
    parser.add_argument("--only", help="review this plural only")
    args = parser.parse_args()

    rows = []
    for line in BROKEN_PLURALS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            singular, plural, gloss = line.split("\t")
            if args.only in (None, plural):
                rows.append((singular, plural, gloss))
    wanted = {normalize_word(p) for _s, p, _g in rows} | {normalize_word(s) for s, _p, _g in rows}
    counts: Counter[str] = Counter()
    contexts: dict[str, list[str]] = defaultdict(list)
    read = 0
    for text in texts(args.corpus, args.articles):
        read += 1
        for match in WORD.finditer(text):
            if not is_arabic(match.group()):
                continue
            word = bare(normalize_word(match.group()))
            if word in wanted:
                counts[word] += 1
                if len(contexts[word]) < args.contexts:
                    snippet = text[max(0, match.start() - 50) : match.end() + 50]
                    contexts[word].append(re.sub(r"\s+", " ", snippet))
    print(f"{len(rows)} rows, {read:,} Arabic articles read\n")
    redundant = unseen = 0
    for singular, plural, gloss in rows:
        single, many = normalize_word(singular), normalize_word(plural)
        light_plural = _strip_suffixes(many)
        light_singular = arabic_stems(single, False)[0]
        notes = []
        if light_plural == light_singular:
            notes.append("REDUNDANT: light stemming already merges them")
            redundant += 1
        if not counts[many]:
            notes.append("UNSEEN in this corpus sample")
            unseen += 1
        print(
            f"{plural} -> {singular} ({gloss}): plural {counts[many]}, singular "
            f"{counts[single]}; terms {arabic_stems(many, False)} / {arabic_stems(single, False)}"
            + "".join(f"\n   {note}" for note in notes)
        )
        for context in contexts[many]:
            print(f"   … {context} …")
    print(f"\n{redundant} redundant, {unseen} unseen")


if __name__ == "__main__":
    main()
