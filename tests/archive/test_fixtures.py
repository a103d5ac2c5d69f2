import datetime
from operator import attrgetter

from django.core.management import call_command
from django.test import TestCase

from archive.models import Article, Source
from archive.textnorm import content_fingerprint

# Page furniture of the scraped seed pages that must not reach an article body.
BOILERPLATE = [
    "Loading",
    "إضافة تعليق",
    "اترك تعليقاً",
    "لن يتم نشر عنوان بريدك الإلكتروني",
    "Thank you for reading this post",
    "subscribe",
    "إعلان يمكن النقر عليه",
    "IMG 1292",
    "فيواجهة",
    "شاهد أيضاً",
    "نبيل بنعبد الله",
    "Lire aussi",
    "Cliquez ici pour lire l'article depuis sa source",
    "Merci d'avoir signalé",
    "Cette image sera automatiquement bloquée",
    "Publié dans Maroc Diplomatique",
    "Honda et Nissan",
    "GOOGLE NEWS",
    "تابعوا جديد أخبار",
]


class SeedFixtureTests(TestCase):
    fixtures = ["seed_articles"]

    def test_loads_five_articles_four_arabic_one_french(self):
        self.assertEqual(Article.objects.count(), 5)
        self.assertEqual(Article.objects.in_language("ar").count(), 4)
        self.assertEqual(Article.objects.in_language("fr").count(), 1)

    def test_titles_sources_authors_and_dates_are_the_pages_own(self):
        rows = Article.objects.order_by("pk")
        self.assertQuerySetEqual(
            rows,
            [
                (
                    "اجتماع مغربي-فرنسي بباريس لتطوير التعاون في ملف الهجرة وتنقل الأشخاص",
                    "Express TV",
                    "مصطفى الفيلالي",
                    None,
                ),
                ("مباحثات مغربية فرنسية لتعزيز التعاون الأمني والهجرة", None, "", None),
                (
                    "أكد وزير الداخلية عبد الوافي لفتيت، اليوم الثلاثاء بالرباط، على الأسس القوية التي يمثلها "
                    "التعاون بين المغرب وفرنسا في مجالات الأمن والهجرة…",
                    None,
                    "",
                    None,
                ),
                (
                    "المغرب وإيطاليا يطلقان شراكة ذكية لإدارة الهجرة",
                    "النهار24",
                    "حميد الكمالي",
                    None,
                ),
                (
                    "Le Groupe migratoire mixte permanent maroco-espagnol tient sa 21ème réunion à Madrid",
                    "Maroc Diplomatique",
                    "",
                    datetime.date(2023, 6, 2),
                ),
            ],
            transform=lambda a: (a.title, a.source and a.source.name, a.author, a.published_at),
        )

    def test_bodies_are_free_of_page_boilerplate(self):
        for article in Article.objects.all():
            for furniture in BOILERPLATE:
                with self.subTest(article=article.pk, furniture=furniture):
                    self.assertNotIn(furniture, article.body)

    def test_bodies_keep_the_first_and_last_real_paragraphs(self):
        expected = {
            1: ("في سياق تعزيز الشراكة المغربية الفرنسية", "على العمل المشترك لمواجهتها بفعالية."),
            2: ("الرباط – المغرب", "مثل الإرهاب والهجرة."),
            3: ("أكد وزير الداخلية عبد الوافي لفتيت", "على تفكيك شبكات الاتجار بالمخدرات."),
            4: ("في خطوة نوعية تهدف إلى تعزيز التعاون", "ذات الصلة باختصاصات قطاعيهما."),
            5: (
                "Le Groupe migratoire mixte permanent maroco-espagnol a tenu",
                "Permanent maroco-espagnol.",
            ),
        }
        for pk, (start, end) in expected.items():
            body = Article.objects.get(pk=pk).body
            with self.subTest(pk=pk):
                self.assertTrue(body.startswith(start), body[:80])
                self.assertTrue(body.endswith(end), body[-80:])

    def test_glued_subscribe_notice_is_split_into_paragraphs(self):
        paragraphs = Article.objects.get(pk=3).paragraphs
        self.assertTrue(paragraphs[1].startswith("وأوضح السيد لفتيت"))
        self.assertEqual(len(paragraphs), 6)

    def test_fingerprints_match_the_bodies(self):
        for article in Article.objects.all():
            with self.subTest(article=article.pk):
                self.assertEqual(article.content_hash, content_fingerprint(article.body))

    def test_sources_have_slugs_and_languages(self):
        self.assertQuerySetEqual(
            Source.objects.all(),
            [("Express TV", "ar"), ("Maroc Diplomatique", "fr"), ("النهار24", "ar")],
            transform=attrgetter("name", "language"),
        )

    def test_loading_twice_changes_nothing(self):
        call_command("loaddata", "seed_articles", verbosity=0)
        self.assertEqual(Article.objects.count(), 5)
        self.assertEqual(Source.objects.count(), 3)
