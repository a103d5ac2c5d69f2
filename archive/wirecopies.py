"""Wire copies: the same dispatch republished by other outlets, found by
MinHash with locality-sensitive hashing (datasketch) over word shingles of
the folded text, so the archive's folding and Arabic normalisation apply
(archive.textnorm.fold_text: hamza forms, ة/ه, ى/ي, diacritics, accents, case).

A copy may carry the outlet's own title or lead paragraph, drop the last
paragraph or add boilerplate ("Lire aussi…", "المصدر…"): shingles of a few
words keep most of the text in common, and the Jaccard similarity of the
shingle sets stays high. The threshold was chosen by measurement on rewrites
of corpus articles (bench/wirecopy_bench.py; docs/PERFORMANCE.md).

New articles are grouped as they are saved (archive.services: one write
path); `manage.py group_wire_copies` groups an archive's older articles.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy
from datasketch import MinHash, MinHashLSH

from archive.textnorm import fold_text

SHINGLE_WORDS = 4
PERMUTATIONS = 128
# Estimated Jaccard similarity of shingle sets at or above which two texts are
# copies of one dispatch (bench/wirecopy_bench.py).
THRESHOLD = 0.5
SEED = 1
# datasketch's permutation scheme, fixed: stored signatures are compared with
# new ones, so all must come from the same scheme.
SCHEME = "affine32"
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
    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME)
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


# -- the archive's groups (stored: WireCopy, WireBand) --------------------------

_PARAMETERS = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
BANDS, ROWS = _PARAMETERS.b, _PARAMETERS.r


def band_keys(minhash: MinHash) -> list[tuple[int, int]]:
    """(band, key) of each LSH band: texts sharing one are candidate copies."""
    values = minhash.hashvalues
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8)
        keys.append((band, int.from_bytes(digest.digest(), "big", signed=True)))
    return keys


def _from_bytes(data: bytes) -> MinHash:
    return MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        scheme=SCHEME,
        hashvalues=numpy.frombuffer(bytes(data), dtype=numpy.uint32),  # affine32 values
    )


def group_articles(articles: Iterable) -> dict[int, int]:
    """Give each of these saved articles its group (the group of its most
    similar copy, archived or earlier in the same call, else a group of its
    own), in order. One band lookup per article (and one to read candidates'
    signatures when there are any); the rows are written in bulk at the end.
    {article id: group id}."""
    from django.db.models import Q

    from archive.models import WireBand, WireCopy

    groups: dict[int, int] = {}
    minhashes: dict[int, MinHash] = {}
    batch_bands: dict[tuple[int, int], list[int]] = {}
    copies, bands = [], []
    for article in articles:
        minhash = signature(f"{article.title}\n{article.body}")
        keys = band_keys(minhash)
        matches = Q()
        for band, key in keys:
            matches |= Q(band=band, key=key)
        archived = set(
            WireBand.objects.filter(matches)
            .exclude(article_id=article.pk)
            .values_list("article_id", flat=True)
        )
        scored = (
            [
                (similarity(minhash, _from_bytes(data)), group)
                for data, group in WireCopy.objects.filter(article_id__in=archived).values_list(
                    "signature", "group_id"
                )
            ]
            if archived
            else []
        )
        nearby = {pk for key in keys for pk in batch_bands.get(key, ())}
        scored += [(similarity(minhash, minhashes[pk]), groups[pk]) for pk in nearby]
        best = max((item for item in scored if item[0] >= THRESHOLD), default=None)
        group = best[1] if best is not None else article.pk
        groups[article.pk] = group
        minhashes[article.pk] = minhash
        for key in keys:
            batch_bands.setdefault(key, []).append(article.pk)
        copies.append(
            WireCopy(article_id=article.pk, signature=minhash.hashvalues.tobytes(), group_id=group)
        )
        bands.extend(WireBand(article_id=article.pk, band=band, key=key) for band, key in keys)
    WireCopy.objects.filter(article_id__in=groups).delete()
    WireBand.objects.filter(article_id__in=groups).delete()
    WireCopy.objects.bulk_create(copies)
    WireBand.objects.bulk_create(bands, batch_size=1000)
    return groups
