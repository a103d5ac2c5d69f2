from django.test import SimpleTestCase

from archive.entities.linking import AliasLinker

LINKER = AliasLinker(
    {
        "عبد الوافي لفتيت": 1,
        "لفتيت": 1,
        "Laftit": 1,
        "المغرب": 2,
        "Maroc": 2,
        "ولاية": 3,
        "لاية": 4,
        "Mohammed VI": 5,
        "Mohammed V": 6,
        "مؤسسة محمد الخامس للتضامن": 7,
        "محمد السادس": 5,
        "Espagne": 8,
        "Ministère de l'Intérieur": 9,
    }
)


class LinkingTests(SimpleTestCase):
    def test_arabic_clitics_and_article(self):
        text = "أكد لفتيت ولفتيت بالمغرب والمغرب للمغرب وفي المغرب"
        self.assertEqual(LINKER.count(text), {1: 2, 2: 4})

    def test_full_name_and_surname_count_once_each(self):
        self.assertEqual(LINKER.count("عبد الوافي لفتيت ثم السيد لفتيت"), {1: 2})

    def test_french_case_accents_and_elision(self):
        text = "Le MINISTÈRE de l’intérieur, d'Espagne et du maroc; l'Espagne."
        self.assertEqual(LINKER.count(text), {9: 1, 8: 2, 2: 1})

    def test_never_inside_a_longer_word(self):
        self.assertEqual(LINKER.count("Les Marocains et la marocanité; المغربية والمغاربة"), {})

    def test_a_stem_initial_letter_is_not_a_clitic(self):
        self.assertEqual(LINKER.count("الولاية وولاية بالولاية ولاية"), {3: 4})

    def test_longest_alias_wins(self):
        self.assertEqual(LINKER.count("Mohammed VI et Mohammed V"), {5: 1, 6: 1})
        self.assertEqual(LINKER.count("مؤسسة محمد الخامس للتضامن والملك محمد السادس"), {7: 1, 5: 1})

    def test_no_aliases_no_mentions(self):
        self.assertEqual(AliasLinker({}).count("المغرب"), {})
