"""Publication dates as the Moroccan and French press write them (pure Python).

>>> parse_date_text("الرباط، 14 أبريل 2025")
datetime.date(2025, 4, 14)
>>> parse_date_text("Publié dans Maroc Diplomatique le 02 - 06 - 2023")
datetime.date(2023, 6, 2)
>>> parse_date_text("le mercredi 24 juin 2020 à 20h17")
datetime.date(2020, 6, 24)
"""

from __future__ import annotations

import datetime
import re

# Month names: Moroccan/Maghrebi (from French), Levantine (Syriac), Egyptian/Gulf
# (from English) forms, and French; each maps to its month number.
MONTHS: dict[str, int] = {}
for number, names in enumerate(
    [
        "يناير جانفي كانون_الثاني janvier janv",
        "فبراير فيفري شباط février fevrier févr fevr",
        "مارس آذار اذار mars",
        "أبريل ابريل إبريل افريل أفريل نيسان avril avr",
        "ماي مايو أيار ايار mai",
        "يونيو يونيه جوان حزيران juin",
        "يوليوز يوليو يوليه جويلية تموز juillet juil",
        "غشت أغسطس اغسطس أوت اوت آب اب août aout",
        "شتنبر سبتمبر أيلول ايلول septembre sept",
        "أكتوبر اكتوبر تشرين_الأول تشرين_الاول octobre oct",
        "نونبر نوفمبر تشرين_الثاني novembre nov",
        "دجنبر ديسمبر دسمبر كانون_الأول كانون_الاول décembre decembre déc dec",
    ],
    start=1,
):
    for name in names.split():
        MONTHS[name.replace("_", " ")] = number

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_NAMED = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er)?\s+({_MONTH_NAMES})\.?,?\s+(\d{{4}})", re.IGNORECASE
)
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})")


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        found = datetime.date(year, month, day)
    except ValueError:
        return None
    # News in this archive: anything outside these years is a misreading.
    this_year = datetime.datetime.now(tz=datetime.UTC).year
    return found if 1990 <= found.year <= this_year + 1 else None


def parse_date_text(text: str) -> datetime.date | None:
    """The first date written in `text` (day month year, dd-mm-yyyy, ISO)."""
    text = text.translate(_DIGITS)
    match = _ISO.search(text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    match = _NAMED.search(text)
    if match:
        return _date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    match = _NUMERIC.search(text)
    if match:
        return _date(int(match[3]), int(match[2]), int(match[1]))
    return None


def parse_iso_datetime(value: str) -> datetime.date | None:
    """A date from a machine-readable value (meta tags, JSON-LD, <time datetime>)."""
    match = _ISO.search(value or "")
    return _date(int(match[1]), int(match[2]), int(match[3])) if match else None
