import io
import zipfile

from django.test import TestCase, override_settings
from django.utils import translation

from archive.ingest.documents import IngestDefaults
from archive.ingest.files import Upload, upload_records
from archive.ingest.pipeline import ingest, ingest_document
from archive.ingest.results import CREATED, DUPLICATE, REFUSED
from archive.models import Article, Source
from tests.factories import SourceFactory

ARABIC_PAGE = """<html lang="ar"><head><meta charset="windows-1256"><title>اجتماع الرباط</title>
<meta property="og:site_name" content="هسبريس"></head><body><article><h1>اجتماع الرباط</h1>
<p>عقد وزير الداخلية اجتماعا مع نظيره الإسباني بالرباط لبحث التعاون في مجال الهجرة ومكافحة الشبكات الإجرامية.</p>
<p>وأكد الطرفان على أهمية تعزيز التنسيق الأمني بين البلدين في مواجهة التحديات المشتركة.</p>
</article></body></html>"""

FRENCH_TEXT = "Réunion à Madrid\n\nLe Groupe migratoire mixte s'est réuni vendredi à Madrid pour faire le point sur la coopération."


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload_ingest(uploads, defaults):
    return ingest(upload_records(uploads), defaults=defaults)


class IngestDocumentTests(TestCase):
    def test_a_windows_1256_page_becomes_a_described_article(self):
        result = ingest_document(ARABIC_PAGE.encode("windows-1256"), name="page.html")
        self.assertEqual(result.status, CREATED, result.reason)
        article = result.article
        self.assertEqual(
            (article.title, article.language, article.source.name),
            ("اجتماع الرباط", "ar", "هسبريس"),
        )
        self.assertTrue(article.body.startswith("عقد وزير الداخلية"))

    def test_pasted_text_with_defaults(self):
        source = SourceFactory(name="Le Matin", slug="le-matin")
        result = ingest_document(
            FRENCH_TEXT, name="pasted", defaults=IngestDefaults(source=source, author="R. Alami")
        )
        self.assertEqual(result.status, CREATED, result.reason)
        self.assertEqual(
            (result.article.title, result.article.language), ("Réunion à Madrid", "fr")
        )
        self.assertEqual((result.article.source, result.article.author), (source, "R. Alami"))

    def test_language_override(self):
        result = ingest_document(FRENCH_TEXT, name="x.txt", defaults=IngestDefaults(language="en"))
        self.assertEqual(result.article.language, "en")

    def test_duplicates_are_refused_naming_the_existing_article(self):
        first = ingest_document(FRENCH_TEXT, name="a.txt")
        again = ingest_document(FRENCH_TEXT.replace("Madrid", "MADRID"), name="b.txt")
        self.assertEqual(again.status, DUPLICATE)
        self.assertEqual(again.article, first.article)
        self.assertIn(f"#{first.article.pk}", again.reason.replace("n° ", "#"))
        self.assertEqual(Article.objects.count(), 1)

    def test_bad_input_is_refused_with_a_reason_and_saves_nothing(self):
        cases = {
            "binary": (b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8, "binary"),
            "empty": (b"", "empty"),
            "no text": (b"<html><body><nav>Menu</nav></body></html>", "text"),
        }
        for label, (data, reason) in cases.items():
            with self.subTest(label), translation.override("en"):
                result = ingest_document(data, name=f"{label}.html")
                self.assertEqual(result.status, REFUSED)
                self.assertIn(reason, result.reason)
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Source.objects.exists())

    @override_settings(ARCHIVE_MAX_FILE_BYTES=1000)
    def test_oversized_file_is_refused(self):
        with translation.override("en"):
            result = ingest_document(b"x" * 2000, name="big.txt")
        self.assertEqual(result.status, REFUSED)
        self.assertEqual(result.reason, "the file is larger than 1000\xa0bytes")


class UploadBatchTests(TestCase):
    def test_one_bad_file_does_not_stop_the_others(self):
        results = upload_ingest(
            [
                Upload("good.txt", FRENCH_TEXT.encode("windows-1252")),
                Upload("bad.html", b"\x00\x01\x02" * 100),
                Upload("page.html", ARABIC_PAGE.encode("windows-1256")),
            ],
            IngestDefaults(),
        )
        self.assertEqual([r.status for r in results], [CREATED, REFUSED, CREATED])
        self.assertEqual(Article.objects.count(), 2)

    def test_zip_with_path_tricks_and_bombs(self):
        data = zipped(
            {
                "ok/article.txt": FRENCH_TEXT.encode(),
                "../outside.txt": b"Titre\nTexte hors du dossier.",
                "/etc/passwd.txt": b"root",
                "bomb.txt": b"a" * 1_000_000,
                "image.png": b"\x89PNG",
            }
        )
        with translation.override("en"):
            results = {
                r.name: r for r in upload_ingest([Upload("pages.zip", data)], IngestDefaults())
            }
        self.assertEqual(results["pages.zip/ok/article.txt"].status, CREATED)
        self.assertEqual(results["pages.zip/../outside.txt"].status, REFUSED)
        self.assertEqual(results["pages.zip//etc/passwd.txt"].status, REFUSED)
        self.assertIn("zip bomb", results["pages.zip/bomb.txt"].reason)
        self.assertEqual(results["pages.zip/image.png"].status, REFUSED)
        self.assertEqual(Article.objects.count(), 1)

    def test_broken_zip_is_refused(self):
        results = upload_ingest([Upload("broken.zip", b"PK\x03\x04 not really")], IngestDefaults())
        self.assertEqual([r.status for r in results], [REFUSED])

    def test_reimporting_the_same_files_changes_nothing(self):
        uploads = [
            Upload("a.txt", FRENCH_TEXT.encode()),
            Upload("b.html", ARABIC_PAGE.encode("windows-1256")),
        ]
        upload_ingest(uploads, IngestDefaults())
        count = Article.objects.count()
        again = upload_ingest(uploads, IngestDefaults())
        self.assertEqual([r.status for r in again], [DUPLICATE, DUPLICATE])
        self.assertEqual(Article.objects.count(), count)
        self.assertEqual(Source.objects.count(), 1)
