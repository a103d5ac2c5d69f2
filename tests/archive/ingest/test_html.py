import datetime
import json
from pathlib import Path

from django.test import SimpleTestCase

from archive.ingest.html import extract_html
from archive.ingest.language import detect_language

PAGES = Path(__file__).resolve().parents[2] / "data" / "html"


def page(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


class RealPageTests(SimpleTestCase):
    def test_cnn_arabic_page_gives_the_expected_text_and_metadata(self):
        found = extract_html(page("ar-arabic.cnn.com-syria-newspaper4k"))
        expected = (PAGES / "ar-arabic.cnn.com-syria-newspaper4k.txt").read_text(encoding="utf-8")
        self.assertEqual(lines(found.body), lines(expected))
        self.assertEqual(found.title, "معارضون يسيطرون على مخازن للصواريخ بريف دمشق")
        self.assertEqual(
            found.url, "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"
        )
        self.assertIsNone(found.published_at)
        self.assertEqual(found.source, "CNNArabic")
        self.assertEqual(detect_language(found.body), "ar")

    def test_orange_page_starts_and_ends_where_the_article_does(self):
        expected = json.loads(
            (PAGES / "fr-orange.fr-orangesum-663.json").read_text(encoding="utf-8")
        )
        found = extract_html(page("fr-orange.fr-orangesum-663"))
        self.assertEqual(found.title, expected["title"])
        self.assertEqual(found.published_at, datetime.date.fromisoformat(expected["date"]))
        self.assertEqual(found.source, "Orange Actualités")
        self.assertEqual(found.author, "AFP")
        self.assertTrue(found.body.startswith(expected["lead"][:80]))
        self.assertTrue(found.body.endswith(expected["article"][-60:]))
        self.assertEqual(detect_language(found.body), "fr")

    def test_le_monde_metadata(self):
        found = extract_html(page("fr-lemonde.fr-readability-lemonde-1"))
        self.assertEqual(
            found.title, "Le projet de loi sur le renseignement massivement approuvé à l'Assemblée"
        )
        self.assertEqual(found.source, "Le Monde.fr")
        self.assertTrue(found.author.startswith("Martin Untersinger"))
        self.assertEqual(found.published_at, datetime.date(2015, 5, 4))

    def test_assabah_keeps_the_interview_and_drops_the_page_around_it(self):
        found = extract_html(page("ar-assabah.com.tn-article"))
        for wanted in ("منذ بدء", "كل المجالات", "وماذا عن حقيقة"):
            self.assertIn(wanted, found.body)
        for unwanted in ("كورونا يقتل", "غائم جزئيا", "إضافة تعليق جديد"):
            self.assertNotIn(unwanted, found.body)


class HostileMarkupTests(SimpleTestCase):
    def test_scripts_and_event_handlers_never_reach_the_text(self):
        html = """<html><head><title>Titre – Site</title><script>alert('head')</script></head>
        <body onload="steal()"><article><h1>Titre</h1>
        <p onclick="alert(1)">Premier paragraphe de l'article, assez long pour être retenu par l'extracteur.</p>
        <script>document.write('<p>injecté</p>')</script><style>p{}</style>
        <p>Deuxième paragraphe <a href="javascript:alert(2)">avec un lien</a>, lui aussi assez long pour compter.</p>
        <img src=x onerror="alert(3)"><iframe src="https://evil.example"></iframe>
        </article></body></html>"""
        found = extract_html(html)
        self.assertIn("Premier paragraphe", found.body)
        self.assertIn("Deuxième paragraphe", found.body)
        for bad in ("alert", "<", "javascript", "injecté", "onerror", "steal"):
            self.assertNotIn(bad, found.body + found.title)

    def test_title_loses_the_site_suffix_and_dates_come_from_json_ld(self):
        html = """<html><head><title>Réunion à Madrid | Maroc Diplomatique</title>
        <meta property="og:site_name" content="Maroc Diplomatique">
        <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-06-02T10:00:00+01:00",
        "author": {"@type": "Person", "name": "Sara Benali"}}</script></head>
        <body><p>Le Groupe migratoire mixte permanent s'est réuni vendredi à Madrid pour la 21e fois.</p></body></html>"""
        found = extract_html(html)
        self.assertEqual(found.title, "Réunion à Madrid")
        self.assertEqual(found.published_at, datetime.date(2023, 6, 2))
        self.assertEqual(found.author, "Sara Benali")
        self.assertEqual(found.source, "Maroc Diplomatique")

    def test_arabic_month_names_in_the_page(self):
        html = """<html><head><title>اجتماع</title></head><body><h1>اجتماع</h1>
        <span class="post-date">الأربعاء 14 دجنبر 2022</span>
        <p>عقدت المجموعة المشتركة الدائمة المغربية الإسبانية حول الهجرة اجتماعها الحادي والعشرين.</p></body></html>"""
        self.assertEqual(extract_html(html).published_at, datetime.date(2022, 12, 14))

    def test_malformed_html_still_gives_its_text(self):
        html = (
            "<html><body><div><p>Un paragraphe jamais fermé <b>gras <i>italique</div></p>"
            + "<p>Suite du texte de l'article." * 3
        )
        self.assertIn("Un paragraphe jamais fermé", extract_html(html).body)
