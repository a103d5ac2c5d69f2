"""Review the Arabizi table (search/queries/data/arabizi_words.tsv) against real news:
for each row, how many Darija (Goud.ma) and MSA (SaudiNewsNet) articles hold
its Arabic spelling (as the analyzer reads them: with or without the article
and clitics), what the letter-by-letter reading alone would have searched
with those articles as the index, and, for a row without a digit, how many
French articles hold the Latin word (such a row would widen a French search).

Usage (from the project root; about a minute):

    .venv/bin/python bench/arabizi_review.py ../shared/corpus [--msa 10000] [--all]

Prints the rows that need a reader's eye (held by no article, read otherwise
by the letter rule, or found in French text), then the figures. Nothing is
written.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from search.language.analysis import analyze  # noqa: E402
from search.queries import arabizi  # noqa: E402

SETS = {
    "darija": "ar_marsum_goud_test.jsonl.gz",
    "msa": "ar_saudinewsnet.jsonl.gz",
    "french": "fr_orangesum.jsonl.gz",
}
LATIN_WORD = re.compile(r"[a-z0-9]+")


def records(corpus: Path, name: str, limit: int | None):
    with gzip.open(corpus / SETS[name], "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, limit):
            record = json.loads(line)
            yield f"{record.get('title') or ''}\n{record.get('body') or ''}"


def stem_frequencies(texts) -> Counter:
    """In how many texts each analyzer term stands."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(set(analyze(text)))
    return counts


def latin_frequencies(texts) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        counts.update(set(LATIN_WORD.findall(text.lower())))
    return counts


def letter_rule(word: str, frequencies: Counter) -> tuple[str, ...]:
    """What the search would read without the table, on this index."""
    table = arabizi.table
    arabizi.table = lambda: {}  # type: ignore[assignment]
    try:
        lookup = arabizi.arabizi_lookup(lambda stems: {s: frequencies.get(s, 0) for s in stems})
        return lookup(word)
    finally:
        arabizi.table = table  # type: ignore[assignment]


def stem(spelling: str) -> str:
    terms = analyze(spelling)
    return terms[0] if len(terms) == 1 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--msa", type=int, default=10_000, help="SaudiNewsNet articles read")
    parser.add_argument("--all", action="store_true", help="print every row")
    options = parser.parse_args()

    darija = stem_frequencies(records(options.corpus, "darija", None))
    msa = stem_frequencies(records(options.corpus, "msa", options.msa))
    french = latin_frequencies(records(options.corpus, "french", None))
    both = darija + msa

    rows = arabizi.table()
    held_darija = held_any = agrees = digitless = in_french = 0
    for latin, forms in rows.items():
        stems = {stem(form) for form in forms} - {""}
        n_darija = max((darija[s] for s in stems), default=0)
        n_msa = max((msa[s] for s in stems), default=0)
        alone = letter_rule(latin, both)
        same = bool({stem(form) for form in alone} & stems)
        held_darija += n_darija > 0
        held_any += n_darija + n_msa > 0
        agrees += same
        french_count = 0
        if not any(ch.isdigit() for ch in latin):
            digitless += 1
            french_count = french[latin]
            in_french += french_count > 0
        flags = []
        if not n_darija + n_msa:
            flags.append("held by no article")
        if not same:
            flags.append(f"letter rule reads {'/'.join(alone) or 'nothing'}")
        if french_count:
            flags.append(f"in {french_count} French articles")
        if flags or options.all:
            print(
                f"{latin:14} {'|'.join(forms):22} darija {n_darija:5}  msa {n_msa:5}  "
                + "; ".join(flags)
            )
    print()
    print(f"rows: {len(rows)} ({digitless} without a digit)")
    print(f"  spelling held by Darija articles: {held_darija} (by any article: {held_any})")
    print(f"  the letter rule alone reads the word meant: {agrees} of {len(rows)}")
    print(f"  rows without a digit found in French articles: {in_french}")


if __name__ == "__main__":
    main()
