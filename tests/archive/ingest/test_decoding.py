from django.test import SimpleTestCase
from django.utils import translation

from archive.ingest.decoding import UndecodableInput, decode_bytes

ARABIC = "أكد وزير الداخلية عبد الوافي لفتيت على أهمية التعاون في مجال الهجرة."
LISBON = "Réunion à Lisbonne\nLe ministre portugais a reçu son homologue marocain à Lisbonne."
FRENCH = "Le ministère de l'Intérieur a indiqué que la coopération était « exemplaire »."


class DecodingTests(SimpleTestCase):
    def test_common_encodings_of_this_press(self):
        cases = [
            ("utf-8", ARABIC.encode("utf-8"), ARABIC),
            ("utf-8 with BOM", b"\xef\xbb\xbf" + ARABIC.encode("utf-8"), ARABIC),
            ("windows-1256", ARABIC.encode("windows-1256"), ARABIC),
            (
                "iso-8859-6",
                "وزير الداخلية والهجرة في الرباط".encode("iso-8859-6"),
                "وزير الداخلية والهجرة في الرباط",
            ),
            ("windows-1252", FRENCH.encode("windows-1252"), FRENCH),
            ("windows-1252 short", LISBON.encode("windows-1252"), LISBON),
        ]
        for label, data, text in cases:
            with self.subTest(label):
                self.assertEqual(decode_bytes(data).text, text)

    def test_wrong_declared_charset_is_overruled(self):
        page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{ARABIC}</p></body></html>'
        decoded = decode_bytes(page.encode("windows-1256"), is_html=True)
        self.assertIn(ARABIC, decoded.text)
        self.assertEqual(decoded.encoding, "cp1256")

    def test_missing_charset_on_a_windows_1256_page(self):
        page = f"<html><body><p>{ARABIC}</p><p>{ARABIC}</p></body></html>"
        self.assertIn(ARABIC, decode_bytes(page.encode("windows-1256"), is_html=True).text)

    def test_binary_and_empty_files_are_refused(self):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
        for label, data, message in (("png", png, "binary"), ("empty", b"  \n", "empty")):
            with (
                self.subTest(label),
                translation.override("en"),
                self.assertRaisesMessage(UndecodableInput, message),
            ):
                decode_bytes(data)
