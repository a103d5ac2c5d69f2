from django.test import SimpleTestCase

from archive.textnorm import content_fingerprint, fold_text, title_from_body


class FoldTextTests(SimpleTestCase):
    def test_variants_fold_to_the_same_text(self):
        cases = [
            ("diacritics", "الهِجْرَةُ", "الهجره"),
            ("tatweel", "الهجـــرة", "الهجره"),
            ("hamza on alef", "إعلان أمني آمن", "اعلان امني امن"),
            ("alef maqsura and ta marbuta", "على مدرسة", "علي مدرسه"),
            ("arabic-indic digits", "٢٠٢٣", "2023"),
            ("french accents and case", "Réunion À Madrid", "reunion a madrid"),
            ("punctuation and spacing", "« Bonjour »,   le  monde !", "bonjour le monde"),
        ]
        for label, given, expected in cases:
            with self.subTest(label):
                self.assertEqual(fold_text(given), expected)

    def test_different_words_stay_different(self):
        self.assertNotEqual(fold_text("الهجرة"), fold_text("الهجوم"))
        self.assertNotEqual(fold_text("migration"), fold_text("migrations"))


class ContentFingerprintTests(SimpleTestCase):
    def test_copies_differing_only_in_form_share_a_fingerprint(self):
        original = "أكد وزير الداخلية، اليوم، على أهمية التعاون.\n\nفقرة ثانية."
        reformatted = "أكّد وزير الداخليـة اليوم على أهمية التعاون\nفقرة ثانية"
        self.assertEqual(content_fingerprint(original), content_fingerprint(reformatted))

    def test_different_texts_have_different_fingerprints(self):
        self.assertNotEqual(
            content_fingerprint("Le ministre a parlé."), content_fingerprint("Le ministre a menti.")
        )

    def test_fingerprint_is_sha256_hex(self):
        self.assertRegex(content_fingerprint("texte"), r"^[0-9a-f]{64}$")


class TitleFromBodyTests(SimpleTestCase):
    def test_short_first_sentence_is_the_title(self):
        self.assertEqual(title_from_body("Le Maroc signe. La suite."), "Le Maroc signe.")

    def test_long_sentence_is_cut_at_a_clause_boundary(self):
        body = "أكد وزير الداخلية عبد الوافي لفتيت، اليوم الثلاثاء بالرباط، على الأسس القوية التي يمثلها التعاون"
        self.assertEqual(
            title_from_body(body, max_length=70),
            "أكد وزير الداخلية عبد الوافي لفتيت، اليوم الثلاثاء بالرباط…",
        )

    def test_long_sentence_without_clauses_is_cut_at_a_word(self):
        title = title_from_body("un deux trois quatre cinq six sept huit neuf dix", max_length=20)
        self.assertEqual(title, "un deux trois quatre…")
