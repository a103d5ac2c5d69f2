import pickle

from django.test import SimpleTestCase

from search.engines.whoosh_analysis import bilingual_analyzer
from search.language.analysis import analyze


def finds(query: str, document: str) -> bool:
    """Does searching `query` match a document containing `document`?"""
    wanted = analyze(query, mode="query")
    return bool(wanted) and set(wanted) <= set(analyze(document, mode="index"))


# (query word, written form in an article) — real words from the seed articles
# and the shared corpus, one rule each.
ARABIC_MATCHES = [
    ("Darija gaf", "الحريك", "للحريگ"),
    ("Darija gaf with three dots", "أكادير", "أڭادير"),
    ("Maghrebi qaf", "قايد", "ڨايد"),
    ("definite article", "هجرة", "الهجرة"),
    ("li + article", "الهجرة", "للهجرة"),
    ("wa + article", "الهجرة", "والهجرة"),
    ("bi + article", "المغرب", "بالمغرب"),
    ("fa + article", "الحكومة", "فالحكومة"),
    ("ka + article", "العادة", "كالعادة"),
    ("diacritics", "هجرة", "الهِجْرَةُ"),
    ("tatweel", "الهجرة", "الهجـــرة"),
    ("hamza below", "الاعلان", "الإعلان"),
    ("hamza above", "اكد", "أكد"),
    ("madda", "اليات", "آليات"),
    ("ta marbuta", "الداخليه", "الداخلية"),
    ("alef maqsura", "مستوي", "مستوى"),
    ("conjunction wa", "أكد", "وأكد"),
    ("preposition li", "تعزيز", "لتعزيز"),
    ("preposition bi", "مشاركة", "بمشاركة"),
    ("wa + bi", "حضور", "وبحضور"),
    ("masculine plural -in", "المهاجر", "المهاجرين"),
    ("masculine plural -un", "مهاجرين", "المهاجرون"),
    ("feminine plural -at", "مبادرة", "مبادرات"),
    ("dual -an", "الوزير", "الوزيران"),
    ("nisba -iya", "المغرب", "المغربية"),
    ("possessive -ha", "الحكومة", "حكومتها"),
    ("possessive -i on ta marbuta", "وزارة", "وزارتي"),
    ("stem initial waw kept with article", "وزير", "الوزير"),
    ("stem initial waw with conjunction", "وزير", "والوزير"),
    ("wilaya with article", "ولاية", "الولاية"),
    ("wilaya plural", "ولاية", "ولايات"),
    ("watiqa with article", "وثيقة", "الوثيقة"),
    ("arabic-indic digits", "2025", "٢٠٢٥"),
    ("persian digits", "2025", "۲۰۲۵"),
    ("name with digits", "النهار24", "النهار24"),
    ("li before lam, article unwritten", "اللاجئين", "للاجئين"),
    ("li before lam: asylum", "اللجوء", "للجوء"),
    ("li before lam: committee", "اللجنة", "للجنة"),
    ("li before a name with lam", "لبنان", "للبنان"),
    ("broken plural beginning with alef-lam, after wa", "لغم", "وألغام"),
    ("the same typed without hamza", "ألغام", "والغام"),
    ("a stem written with madda is not the article", "آلية", "الآلية"),
    ("madda stem after wa", "آلية", "وآلية"),
    ("madda stem after bi", "آلاف", "بآلاف"),
    ("madda stem typed without the madda", "الاف", "آلاف"),
    ("hamza after a clitic letter", "أبها", "بأبها"),
]

ARABIC_DIFFERENT = [
    ("wilaya is not wa + laya", "ولاية", "لاية"),
    ("wazir is not wa + zir", "وزير", "زير"),
    ("watiqa is not wa + tiqa", "وثيقة", "ثيقة"),
    ("migration is not attack", "الهجرة", "الهجوم"),
    ("declaration is not highest", "إعلان", "أعلى"),
    ("cooperation keeps -un", "تعاون", "تعا"),
    ("law keeps -un", "قانون", "قان"),
    ("population keeps -an", "سكان", "سك"),
    ("country is not boy", "بلد", "ولد"),
    ("france is not its tail", "فرنسا", "رنسا"),
    ("a search for zir does not find wazir", "زير", "وزير"),
    ("nor does ransa find faransa", "رنسا", "فرنسا"),
    ("nor lad find balad", "لد", "بلد"),
    ("security is not nations", "الأمن", "الأمم"),
    ("pains are not the mother", "آلام", "الأم"),
    ("mechanism is not 'to him'", "آلية", "إليه"),
]

FRENCH_MATCHES = [
    ("plural", "migration", "migrations"),
    ("case", "Migrations", "migration"),
    ("accents", "securite", "sécurité"),
    ("accents and plural", "sécurité", "Sécurités"),
    ("upper case", "réunion", "RÉUNIONS"),
    ("elision d'", "Espagne", "d'Espagne"),
    ("typographic elision", "Espagne", "d’Espagne"),
    ("elision l'", "intérieur", "l'Intérieur"),
    ("elision qu'", "Israël", "qu'Israël"),
    ("elision lorsqu'", "Ankara", "lorsqu’Ankara"),
    ("feminine plural", "marocain", "Marocaines"),
    ("ligature", "œuvre", "main-d'oeuvre"),
    ("accent-free typing", "cooperation", "coopération"),
    ("participle", "accompagnés", "accompagné"),
    ("year", "2023", "2023"),
    ("visa plural", "visa", "Visas"),
]

FRENCH_DIFFERENT = [
    ("migration is not migratory", "migration", "migratoire"),
    ("minister is not ministry", "ministre", "ministère"),
    ("police is not politics", "police", "politique"),
    ("Maroc is not Marrakech", "Maroc", "Marrakech"),
    ("security is not rescue", "sécurité", "secours"),
    ("visa is not vise (Snowball: vis)", "visa", "vise"),
    ("visas are not aimed at", "visas", "visant"),
    ("visa is not vis-à-vis", "visa", "vis-à-vis"),
]


class MatchingTests(SimpleTestCase):
    def test_arabic_forms_of_a_word_match(self):
        for rule, query, document in ARABIC_MATCHES:
            with self.subTest(rule, query=query, document=document):
                self.assertTrue(
                    finds(query, document), (analyze(query), analyze(document, mode="index"))
                )

    def test_unrelated_arabic_words_stay_apart(self):
        for rule, query, document in ARABIC_DIFFERENT:
            with self.subTest(rule, query=query, document=document):
                self.assertFalse(
                    finds(query, document), (analyze(query), analyze(document, mode="index"))
                )

    def test_french_forms_of_a_word_match(self):
        for rule, query, document in FRENCH_MATCHES:
            with self.subTest(rule, query=query, document=document):
                self.assertTrue(finds(query, document))

    def test_unrelated_french_words_stay_apart(self):
        for rule, query, document in FRENCH_DIFFERENT:
            with self.subTest(rule, query=query, document=document):
                self.assertFalse(finds(query, document))


class TokenizerTests(SimpleTestCase):
    def test_words_with_diacritics_and_tatweel_stay_whole(self):
        self.assertEqual(analyze("الهِجْرَةُ غَيْرُ النظامية"), ["هجر", "غير", "نظام"])
        self.assertEqual(analyze("الهجـــرة"), ["هجر"])

    def test_arabic_punctuation_and_quotes_split(self):
        self.assertEqual(analyze("المغرب،فرنسا؛إسبانيا؟"), ["مغرب", "فرنسا", "اسبانيا"])
        self.assertEqual(analyze("«Maroc»“Espagne”"), ["maroc", "espagn"])

    def test_numbers_and_dates_are_kept(self):
        self.assertEqual(analyze("28 أكتوبر 2024"), ["28", "اكتوبر", "2024"])
        self.assertEqual(analyze("le 02 - 06 - 2023"), ["02", "06", "2023"])

    def test_stop_words_are_dropped_but_negations_kept(self):
        self.assertEqual(analyze("في ملف الهجرة غير النظامية"), ["ملف", "هجر", "غير", "نظام"])
        self.assertEqual(analyze("les mineurs non accompagnés"), ["mineur", "non", "accompagn"])

    def test_stop_words_keep_their_positions(self):
        # في gives no term but keeps its place: phrases keep their gaps.
        positions = [t.pos for t in bilingual_analyzer()("مكافحة الهجرة في المغرب", positions=True)]
        self.assertEqual(positions, [0, 1, 3])

    def test_index_keeps_both_readings_of_a_clitic_at_one_position(self):
        tokens = [
            (t.text, t.pos)
            for t in bilingual_analyzer()("لتعزيز التعاون", positions=True, mode="index")
        ]
        self.assertEqual(tokens, [("لتعزيز", 0), ("تعزيز", 0), ("تعاون", 1)])

    def test_character_offsets_point_into_the_original_text(self):
        text = "Le ministre de l'Intérieur, السيد لفتيت"
        spans = [text[t.startchar : t.endchar] for t in bilingual_analyzer()(text, chars=True)]
        self.assertEqual(spans, ["ministre", "l'Intérieur", "السيد", "لفتيت"])


class AnalyzerPlumbingTests(SimpleTestCase):
    def test_analyzer_pickles_after_use(self):
        # Whoosh pickles the schema, analyzer included, into the index.
        analyzer = bilingual_analyzer()
        analyze("migrations")  # the lazy PyStemmer object now exists
        restored = pickle.loads(pickle.dumps(analyzer))  # noqa: S301 (our own bytes)
        self.assertEqual([t.text for t in restored("réunions")], ["reunion"])

    def test_unstemmed_words_for_spelling(self):
        words = [t.text for t in bilingual_analyzer()("Les réunions للهجرة", no_morph=True)]
        self.assertEqual(words, ["reunions", "للهجره"])
