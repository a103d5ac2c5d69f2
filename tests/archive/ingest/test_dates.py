import datetime

from django.test import SimpleTestCase

from archive.ingest.dates import parse_date_text, parse_iso_datetime


class DateTextTests(SimpleTestCase):
    def test_dates_as_the_press_writes_them(self):
        cases = [
            ("Moroccan month", "الرباط، 14 أبريل 2025", (2025, 4, 14)),
            ("Moroccan nonbr", "الخميس 3 نونبر 2023", (2023, 11, 3)),
            ("Moroccan ghusht", "12 غشت 2022", (2022, 8, 12)),
            ("Moroccan dujanbr", "في دجنبر 2020", None),
            ("Levantine month", "2 كانون الثاني 2024", (2024, 1, 2)),
            ("Egyptian month", "٥ يناير ٢٠٢٤", (2024, 1, 5)),
            ("Algerian month", "7 جويلية 2019", (2019, 7, 7)),
            ("French", "le 1er juillet 2021 à 10h", (2021, 7, 1)),
            ("French abbreviation", "9 févr. 2020", (2020, 2, 9)),
            ("numeric", "Publié dans Maroc Diplomatique le 02 - 06 - 2023", (2023, 6, 2)),
            ("ISO", "2023-06-02T10:00:00+01:00", (2023, 6, 2)),
            ("impossible day", "31 فبراير 2023", None),
            ("no date", "Rabat, mardi", None),
        ]
        for label, text, expected in cases:
            with self.subTest(label):
                self.assertEqual(parse_date_text(text), expected and datetime.date(*expected))

    def test_machine_dates(self):
        self.assertEqual(parse_iso_datetime("2015-05-04T12:00:00Z"), datetime.date(2015, 5, 4))
        self.assertIsNone(parse_iso_datetime("yesterday"))
