import datetime
import json
from pathlib import Path

from django.test import SimpleTestCase

from archive.ingest.decoding import decode_bytes
from archive.ingest.text import extract_text

ROOT = Path(__file__).resolve().parents[3]


class SeedReproductionTests(SimpleTestCase):
    def test_pipeline_reproduces_the_seed_fixture_from_the_raw_files(self):
        fixture = json.loads((ROOT / "fixtures" / "seed_articles.json").read_text(encoding="utf-8"))
        sources = {o["pk"]: o["fields"]["name"] for o in fixture if o["model"] == "archive.source"}
        articles = [o["fields"] for o in fixture if o["model"] == "archive.article"]
        raw_files = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
        self.assertEqual(len(raw_files), len(articles))
        for path, expected in zip(raw_files, articles, strict=True):
            with self.subTest(seed=path.name):
                found = extract_text(decode_bytes(path.read_bytes()).text)
                self.assertEqual(found.title, expected["title"])
                self.assertEqual(found.body, expected["body"])
                self.assertEqual(found.source, sources.get(expected["source"], ""))
                self.assertEqual(found.author, expected["author"])
                published = expected["published_at"]
                self.assertEqual(
                    found.published_at, published and datetime.date.fromisoformat(published)
                )


class TextRulesTests(SimpleTestCase):
    def test_furniture_lines_are_dropped_and_paragraphs_kept(self):
        found = extract_text(
            "عنوان المقال\nIMG 1292\nإعلان يمكن النقر عليه\nفقرة أولى.\nLoading\nفقرة ثانية.\nإضافة تعليق\nتعليق قارئ"
        )
        self.assertEqual(found.title, "عنوان المقال")
        self.assertEqual(found.body, "فقرة أولى.\n\nفقرة ثانية.")

    def test_see_also_block_ends_the_article(self):
        found = extract_text(
            "Titre\nLe texte.\nLire aussi : Autre sujet\nSuite du texte.\nSur le même sujet\nTeaser"
        )
        self.assertEqual(found.body, "Le texte.\n\nSuite du texte.")

    def test_datelines_and_bylines_become_metadata(self):
        found = extract_text(
            "Un titre\nAFP, publié le mercredi 24 juin 2020 à 20h17\nLe texte de l'article."
        )
        self.assertEqual((found.author, found.published_at), ("AFP", datetime.date(2020, 6, 24)))
        self.assertEqual(found.body, "Le texte de l'article.")
        found = extract_text("عنوان\nبقلم: سعاد العلوي\nنص المقال هنا بالكامل.")
        self.assertEqual(found.author, "سعاد العلوي")

    def test_subheadings_with_a_colon_are_not_taken_for_bylines(self):
        found = extract_text("عنوان\nالهجرة: بين المقاربة الأمنية والبعد الإنساني\nنص.")
        self.assertEqual(found.source, "")
        self.assertIn("الهجرة: بين المقاربة الأمنية", found.body)

    def test_text_without_headline_gets_its_first_sentence_as_title(self):
        body = "Le ministre de l'Intérieur a reçu mardi son homologue espagnol à Rabat. La suite."
        self.assertEqual(
            extract_text(body).title,
            "Le ministre de l'Intérieur a reçu mardi son homologue espagnol à Rabat.",
        )


class ParagraphsJoinedBySpacesTests(SimpleTestCase):
    """SaudiNewsNet's bodies join paragraphs with runs of spaces on one line,
    like a headline ticker; they are articles, not furniture."""

    BODY = "   ".join(
        [
            "سبق- الرياض: توّج النجم السعودي الواعد للتنس سعود الحقباني ببطولة السوبر.",
            "وتعد هذه البطولة التي أقيمت منافساتها في مدينة وينستن من أبرز البطولات.",
            "وقال الحقباني إنه يهدي الفوز إلى وطنه وإلى كل من دعمه في مسيرته.",
            "وكان اللاعب قد تأهل إلى النهائي بعد فوزه على منافسه الأمريكي.",
            "ويستعد الحقباني للمشاركة في بطولات أخرى خلال الأشهر المقبلة.",
        ]
    )

    def test_the_body_is_kept_by_imports_and_pastes_alike(self):
        from archive.ingest.text import extract_record

        self.assertIn("الحقباني", extract_record("الحقباني يعايد وطنه", self.BODY).body)
        self.assertIn("وينستن", extract_text(f"الحقباني يعايد وطنه\n\n{self.BODY}").body)

    def test_a_line_of_headlines_is_still_dropped(self):
        ticker = "   ".join(
            f"Titre numéro {n} sur la frontière de Ceuta et Melilla" for n in range(8)
        )
        found = extract_text(f"Un titre\n\n{ticker}\n\nLe vrai texte de l'article, assez long.")
        self.assertNotIn("Titre numéro", found.body)
