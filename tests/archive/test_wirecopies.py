"""Wire copies found by MinHash/LSH over folded shingles (archive.wirecopies),
on rewrites of the corpus sample made the way outlets republish a dispatch."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Q
from django.test import SimpleTestCase, TestCase

from archive.ingest.files import iter_records
from archive.ingest.pipeline import ingest
from archive.models import Article, WireBand, WireCopy
from archive.services import article_create
from archive.wirecopies import (
    THRESHOLD,
    CopyFinder,
    jaccard,
    resemblance,
    shingles,
    stored_layout_is_stale,
)

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "corpus_sample.jsonl"


def sample() -> list[dict]:
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return [r for r in records if len(r["body"]) > 400]


def iter_records_of(records: list[dict]):
    path = Path(tempfile.mkdtemp(prefix="archive-wire-")) / "copies.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return iter_records([path])


def text_of(record: dict) -> str:
    return record["title"] + "\n" + record["body"]


class WireCopyTests(SimpleTestCase):
    def setUp(self):
        self.records = sample()
        self.finder = CopyFinder()
        for n, record in enumerate(self.records):
            self.finder.add(str(n), text_of(record))

    def test_republished_copies_are_found_and_nothing_else(self):
        # Loosely, on this small set: no wrong article ever; most copies found
        # (bench/wirecopy_bench.py measures 20,000 articles: P 0.96, R 0.87;
        # the copies missed are short articles losing a large last paragraph).
        found = 0
        for n, record in enumerate(self.records):
            paragraphs = [p for p in record["body"].split("\n") if p.strip()]
            # Another title, the last paragraph dropped, the agency's boilerplate.
            if record["language"] == "ar":
                copy = "عنوان آخر للخبر\n(و م ع) -\n" + "\n".join(paragraphs[:-1] or paragraphs)
                copy += "\nالمصدر: وكالة المغرب العربي للأنباء"
            else:
                copy = "Un autre titre\n(MAP) -\n" + "\n".join(paragraphs[:-1] or paragraphs)
                copy += "\nLire aussi : la suite de l'affaire"
            copies = self.finder.copies_of(copy)
            self.assertLessEqual(set(copies), {str(n)})
            found += bool(copies)
        self.assertGreaterEqual(found / len(self.records), 0.8)

    def test_spelling_variants_of_arabic_still_match(self):
        arabic = next(n for n, r in enumerate(self.records) if r["language"] == "ar")
        text = text_of(self.records[arabic])
        variant = text.replace("أ", "ا").replace("ة ", "ه ").replace("ى ", "ي ")
        self.assertEqual(self.finder.copies_of(variant), [str(arabic)])

    def test_shingles_fold_case_accents_and_arabic_letters(self):
        self.assertEqual(shingles("Réunion à RABAT demain"), shingles("reunion a rabat demain"))
        self.assertEqual(
            shingles("المملكة المغربية تؤكد اليوم"), shingles("المملكه المغربيه تؤكد اليوم")
        )

    def test_near_the_threshold_the_shingles_decide(self):
        """An estimate from 128 permutations errs by ~0.04 at 0.3: close to
        the threshold the exact similarity of the shingle sets decides; far
        from it, or when the other text was not read, the estimate does."""
        a = {f"s{n}".encode() for n in range(100)}
        b = {f"s{n}".encode() for n in range(64, 164)}  # 36 shared of 164: 0.22
        self.assertAlmostEqual(jaccard(a, b), 36 / 164)
        self.assertLess(resemblance(THRESHOLD + 0.02, a, b), THRESHOLD)
        self.assertEqual(resemblance(0.9, a, b), 0.9)
        self.assertEqual(resemblance(THRESHOLD + 0.02, a, None), THRESHOLD + 0.02)


class ArchiveGroupsTests(TestCase):
    """Articles are grouped with their copies as they are saved (one write
    path), in single saves and imports alike."""

    def copy_of(self, record: dict) -> str:
        paragraphs = [p for p in record["body"].split("\n") if p.strip()]
        return "\n".join(["(MAP) -", *paragraphs, "Source : MAP"])

    def test_copies_share_a_group_and_other_articles_do_not(self):
        records = sample()
        original = article_create(
            title=records[0]["title"], body=records[0]["body"], language=records[0]["language"]
        )
        copy = article_create(
            title="Autre titre", body=self.copy_of(records[0]), language=records[0]["language"]
        )
        other = article_create(
            title=records[2]["title"], body=records[2]["body"], language=records[2]["language"]
        )
        self.assertEqual(copy.wire.group_id, original.pk)
        self.assertEqual(original.wire.group_id, original.pk)
        self.assertEqual(other.wire.group_id, other.pk)

    def test_an_import_groups_copies_within_itself_and_old_articles_on_demand(self):
        records = sample()
        ingest(
            iter_records_of(
                [
                    {**records[3], "url": ""},
                    {**records[3], "title": "Repris", "body": self.copy_of(records[3]), "url": ""},
                ]
            )
        )
        groups = list(WireCopy.objects.order_by("article_id").values_list("group_id", flat=True))
        self.assertEqual(len(set(groups)), 1)
        # Articles saved before grouping existed: the command groups them.
        WireCopy.objects.all().delete()
        call_command("group_wire_copies", verbosity=0)
        self.assertEqual(WireCopy.objects.count(), 2)
        self.assertEqual(len(set(WireCopy.objects.values_list("group_id", flat=True))), 1)

    def test_bands_of_an_earlier_threshold_are_made_again(self):
        """After a change of threshold (another LSH layout), old articles
        would never meet new ones in a band: the command groups all again."""
        records = sample()
        first = article_create(title=records[3]["title"], body=records[3]["body"], language="fr")
        # As an archive grouped with the earlier layout (14 bands) left it.
        WireBand.objects.filter(article=first, band__gte=14).delete()
        self.assertTrue(stored_layout_is_stale())
        out = StringIO()
        call_command("group_wire_copies", stdout=out)
        self.assertIn("grouping every article again", out.getvalue())
        self.assertFalse(stored_layout_is_stale())
        copy = article_create(title="Repris", body=self.copy_of(records[3]), language="fr")
        self.assertEqual(
            WireCopy.objects.get(article=copy).group_id,
            WireCopy.objects.get(article=first).group_id,
        )

    def test_signatures_made_another_way_are_made_again(self):
        """Stored signatures made by another shingle hash or folding would
        never meet new ones: the command notices and groups all again."""
        records = sample()
        first = article_create(title=records[3]["title"], body=records[3]["body"], language="fr")
        self.assertFalse(stored_layout_is_stale())
        stored = WireCopy.objects.get(article=first)
        stored.signature = bytes(reversed(bytes(stored.signature)))
        stored.save()
        self.assertTrue(stored_layout_is_stale())
        call_command("group_wire_copies", verbosity=0)
        self.assertFalse(stored_layout_is_stale())


class RealRepublishedPairsTests(TestCase):
    """Judged pairs of real corpus articles (tests/data/wire_real_pairs.json;
    bench/wirecopy_real_pairs.py prints the figures): saved through the write
    path, copies share a group and the other pairs do not, loosely."""

    def test_groups_on_judged_real_pairs(self):
        data = json.loads((SAMPLE.parent / "wire_real_pairs.json").read_text(encoding="utf-8"))
        saved = {}
        for key, record in data["articles"].items():
            fields = {
                "title": record["title"],
                "body": record["body"],
                "language": "fr" if key.startswith("orangesum") else "ar",
            }
            try:
                saved[key] = article_create(**fields)
            except ValidationError:  # an exact copy once folded: refused, the archived one stands
                probe = Article(**fields)
                probe.set_fingerprints()
                saved[key] = Article.objects.get(
                    Q(content_hash=probe.content_hash) | Q(text_hash=probe.text_hash)
                )
        group = dict(WireCopy.objects.values_list("article_id", "group_id"))
        same = [
            (pair["copy"], group[saved[pair["a"]].pk] == group[saved[pair["b"]].pk])
            for pair in data["pairs"]
        ]
        grouped = [copy for copy, together in same if together]
        copies = sum(copy for copy, _ in same)
        precision = sum(grouped) / len(grouped)
        recall = sum(grouped) / copies
        # Measured 0.971 / 0.944 (bench/wirecopy_real_pairs.py, "as at ingest"):
        # near the threshold the shingle sets decide, so these no longer move
        # with the hash seed, and the targets are asserted.
        self.assertGreaterEqual(precision, 0.95)
        self.assertGreaterEqual(recall, 0.85)
