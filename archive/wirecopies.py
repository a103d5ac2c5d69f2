"""Wire copies: the same dispatch republished by other outlets, found by
MinHash with locality-sensitive hashing (datasketch) over word shingles of
the folded text, so the archive's folding and Arabic normalisation apply
(archive.textnorm.fold_text: hamza forms, ة/ه, ى/ي, diacritics, accents, case).

A copy may carry the outlet's own title or lead paragraph, drop the last
paragraph or add boilerplate ("Lire aussi…", "المصدر…"): shingles of a few
words keep most of the text in common, and the Jaccard similarity of the
shingle sets stays high. The threshold was chosen on judged pairs of real
republished corpus articles (bench/wirecopy_real_pairs.py) beside synthetic
rewrites (bench/wirecopy_bench.py); figures in docs/PERFORMANCE.md.

New articles are grouped as they are saved (archive.services: one write
path); `manage.py group_wire_copies` groups an archive's older articles.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from archive.textnorm import fold_text

if TYPE_CHECKING:
    from datasketch import MinHash

# datasketch (and the numpy and scipy it loads, ~55 MB) is imported when a
# signature is first made, not when the web workers import the services.

SHINGLE_WORDS = 4
PERMUTATIONS = 64
# Estimated Jaccard similarity of shingle sets at or above which two texts are
# copies of one dispatch. Chosen on judged pairs of *real* republished
# articles (bench/wirecopy_real_pairs.py: at 0.3 precision 0.97, recall 0.86;
# at 0.5 recall was 0.53: outlets rewrite leads and cut agency releases far
# more than the synthetic rewrites of bench/wirecopy_bench.py suggested).
THRESHOLD = 0.3
# LSH layout: 32 bands of 2 rows. datasketch's own layout for 0.3 (21 bands
# of 3) proposes a pair at 0.3 less than half the time, and grouped 0.75 of
# the judged real copies; 32 of 2 propose 0.95 of pairs at 0.3 and grouped
# 0.86, for about twice the (few) candidates to compare (bench/
# wirecopy_real_pairs.py, bench/wirecopy_ingest_bench.py).
LAYOUT = (32, 2)
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
    from datasketch import MinHash

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
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS, params=LAYOUT)
        self.signatures: dict[str, MinHash] = {}

    def add(self, key: str, text: str | MinHash) -> None:
        minhash = signature(text) if isinstance(text, str) else text
        self.signatures[key] = minhash
        self.lsh.insert(key, minhash)

    def copies_of(self, text: str | MinHash, *, exclude: Iterable[str] = ()) -> list[str]:
        minhash = signature(text) if isinstance(text, str) else text
        excluded = set(exclude)
        return sorted(
            key
            for key in self.lsh.query(minhash)
            if key not in excluded and similarity(minhash, self.signatures[key]) >= self.threshold
        )


# -- the archive's groups (stored: WireCopy, WireBand) --------------------------


def bands_and_rows() -> tuple[int, int]:
    """The LSH layout (LAYOUT: 32 bands of 2 rows of the 64 permutations)."""
    return LAYOUT


def band_keys(minhash: MinHash) -> list[tuple[int, int]]:
    """(band, key) of each LSH band: texts sharing one are candidate copies."""
    bands, rows = bands_and_rows()
    values = minhash.hashvalues
    keys = []
    for band in range(bands):
        digest = hashlib.blake2b(values[band * rows : (band + 1) * rows].tobytes(), digest_size=8)
        keys.append((band, int.from_bytes(digest.digest(), "big", signed=True)))
    return keys


def stored_layout_is_stale() -> bool:
    """True when the archive's bands were made for another LSH layout (an
    earlier THRESHOLD): they must all be made again, or old and new articles
    would never share a band. One article's band count tells."""
    from archive.models import WireBand, WireCopy

    grouped = WireCopy.objects.order_by().values_list("article_id", flat=True).first()
    if grouped is None:
        return False
    return WireBand.objects.filter(article_id=grouped).count() != bands_and_rows()[0]


def _from_bytes(data: bytes) -> MinHash:
    import numpy
    from datasketch import MinHash

    return MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        scheme=SCHEME,
        hashvalues=numpy.frombuffer(bytes(data), dtype=numpy.uint32),  # affine32 values
    )


LOOKUP_CHUNK = 5000


def group_articles(articles: Iterable) -> dict[int, int]:
    """Give each of these saved articles its group (the group of its most
    similar copy, archived or earlier in the same call, else a group of its
    own), in order. Two queries for the whole call (the archived articles
    sharing a band with any of these, and their signatures), then the rows
    in bulk: a lookup per article cost 3.7 ms of a 30,000-article import.
    {article id: group id}."""
    from archive.models import WireBand, WireCopy

    articles = list(articles)
    if not articles:
        return {}
    minhashes = {a.pk: signature(f"{a.title}\n{a.body}") for a in articles}
    keys = {pk: band_keys(minhash) for pk, minhash in minhashes.items()}
    wanted = {key for article_keys in keys.values() for _band, key in article_keys}
    archived_bands: dict[tuple[int, int], list[int]] = {}
    wanted_keys = sorted(wanted)
    for start in range(0, len(wanted_keys), LOOKUP_CHUNK):  # under databases' parameter limits
        for article_id, band, key in (
            WireBand.objects.filter(key__in=wanted_keys[start : start + LOOKUP_CHUNK])
            .exclude(article_id__in=minhashes)
            .values_list("article_id", "band", "key")
        ):
            archived_bands.setdefault((band, key), []).append(article_id)
    archived_ids = {pk for ids in archived_bands.values() for pk in ids}
    archived = {
        pk: (_from_bytes(data), group)
        for pk, data, group in WireCopy.objects.filter(article_id__in=archived_ids).values_list(
            "article_id", "signature", "group_id"
        )
    }
    groups: dict[int, int] = {}
    batch_bands: dict[tuple[int, int], list[int]] = {}
    copies, bands = [], []
    for article in articles:
        minhash, article_keys = minhashes[article.pk], keys[article.pk]
        scored = [
            (similarity(minhash, archived[pk][0]), archived[pk][1])
            for pk in {pk for key in article_keys for pk in archived_bands.get(key, ())}
            if pk in archived
        ]
        nearby = {pk for key in article_keys for pk in batch_bands.get(key, ())}
        scored += [(similarity(minhash, minhashes[pk]), groups[pk]) for pk in nearby]
        best = max((item for item in scored if item[0] >= THRESHOLD), default=None)
        group = best[1] if best is not None else article.pk
        groups[article.pk] = group
        for key in article_keys:
            batch_bands.setdefault(key, []).append(article.pk)
        copies.append(
            WireCopy(article_id=article.pk, signature=minhash.hashvalues.tobytes(), group_id=group)
        )
        bands.extend(WireBand(article_id=article.pk, band=b, key=k) for b, k in article_keys)
    WireCopy.objects.filter(article_id__in=groups).delete()
    WireBand.objects.filter(article_id__in=groups).delete()
    WireCopy.objects.bulk_create(copies, batch_size=1000)
    WireBand.objects.bulk_create(bands, batch_size=1000)
    return groups
