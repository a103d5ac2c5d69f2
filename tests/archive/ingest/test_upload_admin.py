import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from archive.models import Article
from tests.archive.ingest.test_service import ARABIC_PAGE, FRENCH_TEXT
from tests.search.helpers import IndexedTestCase

pytestmark = pytest.mark.search

URL = "/admin/archive/article/upload/"


class UploadPageTests(IndexedTestCase):
    reindex_each_test = True
    fixtures = ["seed_articles"]

    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "e@example.org", "pw-editor-1234"
        )

    def setUp(self):
        super().setUp()
        self.client.force_login(self.staff)

    def post(self, **data):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(URL, data)

    def test_page_requires_staff_login(self):
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)
        reader = get_user_model().objects.create_user("reader", password="pw-reader-1234")
        self.client.force_login(reader)
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_article_list_links_to_the_upload_page(self):
        self.assertContains(self.client.get("/admin/archive/article/"), f'href="{URL}"')

    def test_pasted_text_is_created_and_found_by_search_at_once(self):
        response = self.post(text=FRENCH_TEXT, title="", language="")
        self.assertContains(response, "1 créé")
        article = Article.objects.get(title="Réunion à Madrid")
        self.assertContains(response, f'href="/admin/archive/article/{article.pk}/change/"')
        hits = self.client.get("/search/", {"q": '"Groupe migratoire mixte" vendredi'}).context[
            "hits"
        ]
        self.assertIn(article.pk, [hit["article"].pk for hit in hits])

    def test_many_files_and_a_zip_with_per_file_results(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("pages/one.html", ARABIC_PAGE.encode("windows-1256"))
            archive.writestr("../evil.txt", b"Titre\nTexte malveillant assez long pour un article.")
        files = [
            SimpleUploadedFile(
                "note.txt",
                "Autre titre\nUn autre texte sur la frontière de Ceuta et les migrants.".encode(
                    "windows-1252"
                ),
            ),
            SimpleUploadedFile("seed.txt", (Article.objects.get(pk=5).body).encode()),
            SimpleUploadedFile("bundle.zip", buffer.getvalue()),
        ]
        response = self.post(files=files, language="")
        results = {r["name"]: r["status"] for r in response.context["results"]}
        self.assertEqual(
            results,
            {
                "note.txt": "created",
                "seed.txt": "duplicate",
                "bundle.zip/pages/one.html": "created",
                "bundle.zip/../evil.txt": "refused",
            },
        )
        self.assertContains(
            response, 'href="/admin/archive/article/5/change/"'
        )  # the existing article
        hits = self.client.get("/search/", {"q": "Ceuta"}).context["hits"]
        self.assertEqual([hit["article"].title for hit in hits], ["Autre titre"])

    def test_bad_input_gets_clear_errors_and_costs_the_good_files_nothing(self):
        response = self.client.post(URL, {"text": "   "})
        self.assertContains(response, "Collez un article ou choisissez des fichiers")
        files = [
            SimpleUploadedFile("virus.exe", b"MZ"),
            SimpleUploadedFile("empty.txt", b""),
            SimpleUploadedFile("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(300)),
            SimpleUploadedFile(
                "good.txt", "Titre valable\nUn texte valable sur la migration à Tanger.".encode()
            ),
        ]
        response = self.post(files=files, language="")
        reasons = {r["name"]: (r["status"], r["reason"]) for r in response.context["results"]}
        self.assertEqual(reasons["virus.exe"][0], "refused")
        self.assertIn("vide", reasons["empty.txt"][1])
        self.assertIn("binaire", reasons["photo.html"][1])
        self.assertEqual(reasons["good.txt"][0], "created")
        self.assertContains(response, "seuls les fichiers .html, .htm et .txt sont importés")

    @override_settings(ARCHIVE_MAX_UPLOAD_BYTES=100)
    def test_an_upload_over_the_total_limit_is_refused_whole(self):
        response = self.client.post(URL, {"files": [SimpleUploadedFile("a.txt", b"x" * 200)]})
        self.assertContains(response, "L’import dépasse 100")
        self.assertFalse(Article.objects.exclude(pk__in=[1, 2, 3, 4, 5]).exists())

    def test_uploaded_html_is_stored_as_escaped_text(self):
        page = "<html><body><article><p>Texte de l'article avec <script>alert('x')</script> un script, assez long pour être retenu.</p><p onclick='alert(1)'>Deuxième paragraphe du texte de l'article.</p></article></body></html>"
        response = self.post(files=[SimpleUploadedFile("x.html", page.encode())], language="fr")
        article = Article.objects.get(pk=response.context["results"][0]["article"])
        self.assertNotIn("<script", article.body)
        self.assertNotIn("alert", article.body)
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertNotIn("<script>alert", html)
