"""Wire copies: the same dispatch republished by other outlets, found by
MinHash with locality-sensitive hashing (datasketch) over word shingles of
the folded text, so the archive's folding and Arabic normalisation apply
(archive.textnorm.fold_text: hamza forms, ة/ه, ى/ي, diacritics, accents, case).

A copy may carry the outlet's own title or lead paragraph, drop the last
paragraph or add boilerplate ("Lire aussi…", "المصدر…"): shingles of a few
words keep most of the text in common, and the Jaccard similarity of the
shingle sets stays high. The threshold was chosen by measurement on rewrites
of corpus articles (bench/wirecopy_bench.py; docs/PERFORMANCE.md).

Not wired into ingest yet (issue 13): this module measures and decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

from archive.textnorm import fold_text

SHINGLE_WORDS = 4
PERMUTATIONS = 128
# Estimated Jaccard similarity of shingle sets at or above which two texts are
# copies of one dispatch (bench/wirecopy_bench.py).
THRESHOLD = 0.5
SEED = 1
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Runs of `size` words of the folded text.

    >>> sorted(shingles("Le Maroc et l'Espagne", size=3))
    [b'et l espagne', b'le maroc et', b'maroc et l']
    """
    words = _WORD.findall(fold_text(text))
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    """The MinHash of a text's shingles (the same seed everywhere, so
    signatures made in different processes compare)."""
    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED)
    minhash.update_batch(list(shingles(text)))
    return minhash


def similarity(a: MinHash, b: MinHash) -> float:
    """The estimated Jaccard similarity of two texts' shingle sets."""
    return a.jaccard(b)


class CopyFinder:
    """Texts indexed by LSH; `copies_of` returns the indexed keys whose
    estimated similarity to a text reaches the threshold (LSH proposes
    candidates, the signatures confirm them)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
        self.signatures: dict[str, MinHash] = {}

    def add(self, key: str, text: str | MinHash) -> None:
        minhash = text if isinstance(text, MinHash) else signature(text)
        self.signatures[key] = minhash
        self.lsh.insert(key, minhash)

    def copies_of(self, text: str | MinHash, *, exclude: Iterable[str] = ()) -> list[str]:
        minhash = text if isinstance(text, MinHash) else signature(text)
        excluded = set(exclude)
        return sorted(
            key
            for key in self.lsh.query(minhash)
            if key not in excluded and similarity(minhash, self.signatures[key]) >= self.threshold
        )
