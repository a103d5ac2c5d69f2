"""Candidate rows for the French inflection table
(search/language/data/french_inflections.tsv): words whose singular and plural
Snowball stems apart, found in real French news, to review by hand.

Snowball's French stemmer keeps a final s after a, i, o, u (euros, photos,
emplois, lois, détenus stay apart from euro, photo, emploi, loi, détenu),
keeps x plurals (lieux, enjeux), and reads a final -er as an infinitive
(danger → dang, dangers → danger; étranger → etrang, étrangères →
etranger). So a search for one number missed articles with the other.

For each singular L that occurs with its plural (L+s or L+x) in the corpus
and stems apart from it, the row maps the plural and L's feminine forms (L+e,
L+es; for -er words -ère, -ères) that occur, to L; search.language.analysis then
stems L. Printed as TSV (singular, then the forms that map to it, then the
counts), most frequent first; the reviewed table keeps real pairs only
(names like Paris / pari, verb forms like crois / croix are left out).

Usage (from the project root):

    .venv/bin/python bench/french_plurals_build.py ../shared/corpus [--min 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.language.analysis import STOP_WORDS, WORD, is_arabic, normalize_word  # noqa: E402


def snowball(word: str) -> str:
    import Stemmer

    return Stemmer.Stemmer("french").stemWord(word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--min", type=int, default=5, help="least occurrences of each form")
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    with gzip.open(args.corpus / "fr_orangesum.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            for word in WORD.findall(record["title"] + " " + record["body"]):
                form = normalize_word(word)
                if form and not is_arabic(form) and form not in STOP_WORDS:
                    counts[form] += 1
    rows = []
    for singular, seen in counts.items():
        if seen < args.min or len(singular) < 3 or singular[-1] in "sx":
            continue
        plurals = [singular + "s"]
        if singular.endswith(("au", "eu", "ou")):  # bijou → bijoux, not paix, index
            plurals.append(singular + "x")
        plurals = [p for p in plurals if counts[p] >= args.min]
        if not plurals or all(snowball(p) == snowball(singular) for p in plurals):
            continue
        stem = singular[:-2] + "ere" if singular.endswith("er") else singular + "e"
        forms = [*plurals, *(f for f in (stem, stem + "s") if counts[f] >= args.min)]
        total = seen + sum(counts[f] for f in forms)
        rows.append((total, singular, forms))
    for total, singular, forms in sorted(rows, reverse=True):
        print(f"{singular}\t{' '.join(forms)}\t# {total}")


if __name__ == "__main__":
    main()
