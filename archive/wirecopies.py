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
import zlib
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from archive.textnorm import fold_text

if TYPE_CHECKING:
    import numpy
    from datasketch import MinHash

# datasketch (and the numpy and scipy it loads, ~55 MB) is imported when a
# signature is first made, not when the web workers import the services.

SHINGLE_WORDS = 4
# 128 permutations: an estimate's error at the threshold is ~0.03 (0.045
# with 64, which flipped judged pairs near 0.3 from one hash seed to the
# next); the extra permutations cost little (numpy), and LSH bands use only
# the first 64 (LAYOUT), so the rows stored per article do not grow.
PERMUTATIONS = 128
# Jaccard similarity of shingle sets at or above which two texts are copies
# of one dispatch (estimated by the signatures; exact near it, MARGIN).
# Chosen on judged pairs of *real* republished articles
# (bench/wirecopy_real_pairs.py: at 0.3 precision 0.97, recall 0.94; at 0.5
# recall was 0.53: outlets rewrite leads and cut agency releases far more
# than the synthetic rewrites of bench/wirecopy_bench.py suggested).
THRESHOLD = 0.3
# LSH layout: 32 bands of 2 rows. datasketch's own layout for 0.3 (21 bands
# of 3) proposes a pair at 0.3 less than half the time, and grouped 0.75 of
# the judged real copies; 32 of 2 propose 0.95 of pairs at 0.3 and grouped
# 0.86, for about twice the (few) candidates to compare (bench/
# wirecopy_real_pairs.py, bench/wirecopy_ingest_bench.py).
LAYOUT = (32, 2)
SEED = 1
# datasketch's permutation scheme and the hash of a shingle, fixed: stored
# signatures are compared with new ones, so all must come from the same
# scheme (`stored_layout_is_stale` notices a change). CRC-32 instead of
# datasketch's default SHA-1 costs a third less a signature; datasketch mixes
# every hash with the MurmurHash3 finaliser before permuting, so a plain
# checksum is safe there.
SCHEME = "affine32"
HASH = zlib.crc32
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


@lru_cache(maxsize=1)
def _permutations() -> tuple:
    """The seed's permutations, made once: datasketch draws them again for
    every MinHash otherwise (a tenth of a signature's cost)."""
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME).permutations


def signature(text: str | set[bytes]) -> MinHash:
    """The MinHash of a text's shingles (or of shingles already made), with
    the same seed everywhere, so signatures made in different processes
    compare."""
    from datasketch import MinHash

    minhash = MinHash(
        num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME, hashfunc=HASH, permutations=_permutations()
    )
    minhash.update_batch(list(shingles(text) if isinstance(text, str) else text))
    return minhash


def similarity(a: MinHash, b: MinHash) -> float:
    """The estimated Jaccard similarity of two texts' shingle sets."""
    return a.jaccard(b)


def _agreement(a: numpy.ndarray, b: numpy.ndarray) -> float:
    """`similarity` of two signatures' hash values: the share of permutations
    whose minimums agree (what MinHash.jaccard computes, without building
    MinHash objects for the archived signatures)."""
    return int((a == b).sum()) / PERMUTATIONS


# Near the threshold an estimate decides by chance (its standard error at
# 0.3 is 0.04 with 128 permutations): within this margin the shingle sets
# themselves are compared. Few candidates fall there, so few texts are read.
MARGIN = 0.08


def resemblance(
    estimate: float, a: set[bytes], b: set[bytes] | None, threshold: float = THRESHOLD
) -> float:
    """What grouping decides on: the signatures' estimate, or near the
    threshold the exact Jaccard similarity of the shingle sets (b is None
    when not read: only candidates near the threshold are)."""
    if b is not None and abs(estimate - threshold) < MARGIN:
        return jaccard(a, b)
    return estimate


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    """The Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a or b else 0.0


class CopyFinder:
    """Texts indexed by LSH; `copies_of` returns the indexed keys whose
    similarity to a text reaches the threshold (LSH proposes candidates, the
    signatures confirm them, and near the threshold the shingles do), as
    the archive's grouping decides (`group_articles`)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS, params=LAYOUT)
        self.signatures: dict[str, MinHash] = {}
        self.shingles: dict[str, set[bytes]] = {}

    def add(self, key: str, text: str) -> None:
        self.shingles[key] = shingles(text)
        self.signatures[key] = signature(self.shingles[key])
        self.lsh.insert(key, self.signatures[key])

    def copies_of(self, text: str, *, exclude: Iterable[str] = ()) -> list[str]:
        own = shingles(text)
        minhash = signature(own)
        excluded = set(exclude)
        return sorted(
            key
            for key in self.lsh.query(minhash)
            if key not in excluded
            and resemblance(
                similarity(minhash, self.signatures[key]), own, self.shingles[key], self.threshold
            )
            >= self.threshold
        )


# -- the archive's groups (stored: WireCopy, WireBand) --------------------------


def bands_and_rows() -> tuple[int, int]:
    """The LSH layout (LAYOUT: 32 bands of 2 rows, over the first 64 of the
    signature's permutations)."""
    return LAYOUT


def band_keys(signed: MinHash | numpy.ndarray) -> list[tuple[int, int]]:
    """(band, key) of each LSH band of a signature (or its hash values): texts
    sharing one are candidate copies."""
    bands, rows = bands_and_rows()
    values = getattr(signed, "hashvalues", signed)
    keys = []
    for band in range(bands):
        digest = hashlib.blake2b(values[band * rows : (band + 1) * rows].tobytes(), digest_size=8)
        keys.append((band, int.from_bytes(digest.digest(), "big", signed=True)))
    return keys


def stored_layout_is_stale() -> bool:
    """True when the archive's signatures or bands were made another way (an
    earlier THRESHOLD and LSH layout, another shingle hash or folding): they
    must all be made again, or old and new articles would never share a band.
    One article, signed again and compared with what is stored, tells."""
    from archive.models import Article, WireBand, WireCopy

    grouped = WireCopy.objects.order_by("article_id").first()
    if grouped is None:
        return False
    article = Article.objects.only("title", "body").get(pk=grouped.article_id)
    minhash = signature(f"{article.title}\n{article.body}")
    stored_keys = set(
        WireBand.objects.filter(article_id=grouped.article_id).values_list("band", "key")
    )
    return bytes(grouped.signature) != minhash.hashvalues.tobytes() or stored_keys != set(
        band_keys(minhash)
    )


def _values(data: bytes) -> numpy.ndarray:
    """A stored signature's hash values (affine32: unsigned 32-bit)."""
    import numpy

    return numpy.frombuffer(bytes(data), dtype=numpy.uint32)


LOOKUP_CHUNK = 5000


def _chunks(values: Iterable) -> Iterable[list]:
    """Values in lists short enough for an IN (…) under databases' limits."""
    values = sorted(values)
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def group_articles(articles: Iterable) -> dict[int, int]:
    """Give each of these saved articles its group (the group of its most
    similar copy, archived or earlier in the same call, else a group of its
    own), in order. A few queries for the whole call (the archived articles
    sharing a band with any of these, their signatures, the texts of those
    near the threshold), then the rows in bulk: a lookup per article cost
    3.7 ms of a 30,000-article import. {article id: group id}."""
    from archive.models import Article, WireBand, WireCopy

    articles = list(articles)
    if not articles:
        return {}
    own = {a.pk: shingles(f"{a.title}\n{a.body}") for a in articles}
    signed = {pk: signature(article_shingles).hashvalues for pk, article_shingles in own.items()}
    keys = {pk: band_keys(values) for pk, values in signed.items()}
    archived_bands: dict[tuple[int, int], list[int]] = {}
    for chunk in _chunks({key for article_keys in keys.values() for _band, key in article_keys}):
        for article_id, band, key in (
            WireBand.objects.filter(key__in=chunk)
            .exclude(article_id__in=signed)
            .values_list("article_id", "band", "key")
        ):
            archived_bands.setdefault((band, key), []).append(article_id)
    archived = {
        pk: (_values(data), group)
        for chunk in _chunks({pk for ids in archived_bands.values() for pk in ids})
        for pk, data, group in WireCopy.objects.filter(article_id__in=chunk).values_list(
            "article_id", "signature", "group_id"
        )
    }
    # Estimates against archived candidates do not depend on the order; the
    # texts of candidates near the threshold are read once for all.
    estimates = {
        article.pk: [
            (pk, _agreement(signed[article.pk], archived[pk][0]))
            for pk in {pk for key in keys[article.pk] for pk in archived_bands.get(key, ())}
            if pk in archived
        ]
        for article in articles
    }
    near = {pk for pairs in estimates.values() for pk, e in pairs if abs(e - THRESHOLD) < MARGIN}
    archived_shingles = {
        pk: shingles(f"{title}\n{body}")
        for chunk in _chunks(near)
        for pk, title, body in Article.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "body"
        )
    }
    groups: dict[int, int] = {}
    batch_bands: dict[tuple[int, int], list[int]] = {}
    copies: list = []
    bands: list = []
    for article in articles:
        mine, values, article_keys = own[article.pk], signed[article.pk], keys[article.pk]
        scored = [
            (resemblance(e, mine, archived_shingles.get(pk)), archived[pk][1])
            for pk, e in estimates[article.pk]
        ]
        nearby = {pk for key in article_keys for pk in batch_bands.get(key, ())}
        scored += [
            (resemblance(_agreement(values, signed[pk]), mine, own[pk]), groups[pk])
            for pk in nearby
        ]
        best = max((item for item in scored if item[0] >= THRESHOLD), default=None)
        group = best[1] if best is not None else article.pk
        groups[article.pk] = group
        for key in article_keys:
            batch_bands.setdefault(key, []).append(article.pk)
        copies.append((article.pk, values.tobytes(), group))
        bands.extend((article.pk, band, key) for band, key in article_keys)
    _replace_rows(groups, copies, bands)
    return groups


def _replace_rows(groups: dict[int, int], copies: list[tuple], bands: list[tuple]) -> None:
    """Write the articles' signatures and bands in place of any they had.
    Plain executemany: building 32 WireBand objects an article for
    bulk_create cost a fifth of the grouping (bench/wirecopy_ingest_bench.py)."""
    from django.db import connection

    from archive.models import WireBand, WireCopy

    WireCopy.objects.filter(article_id__in=groups).delete()
    WireBand.objects.filter(article_id__in=groups).delete()
    with connection.cursor() as cursor:
        for model, columns, rows in (
            (WireCopy, ("article_id", "signature", "group_id"), copies),
            (WireBand, ("article_id", "band", "key"), bands),
        ):
            quoted = ", ".join(map(connection.ops.quote_name, columns))
            cursor.executemany(
                # Names from the models, values as parameters.
                f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) "  # noqa: S608
                "VALUES (%s, %s, %s)",
                rows,
            )
