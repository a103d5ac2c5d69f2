"""The bilingual Arabic/French analyzer (pure Python: no Django, no engine).

One analyzer indexes and parses queries for text that mixes Arabic and Latin
script, so that a journalist's word finds the other written forms of it:

>>> analyze("Les migrations de l'Espagne", mode="index")
['migrat', 'espagn']
>>> analyze("للهجرة", mode="query")
['هجر']

Every engine indexes and searches the terms this module gives: the Whoosh
engine wraps ``words`` in a Whoosh analyzer
(``search.engines.whoosh_analysis``), the PostgreSQL engine writes them into
a ``tsvector`` with their positions (``search.engines.postgres_documents``).

Pipeline, token by token:

1. **Tokenizer** (``TOKEN_PATTERN``): a word is a run of letters/digits that
   may carry Arabic diacritics, tatweel or Latin combining accents, and may
   contain an apostrophe (``l'Intérieur``, ``aujourd'hui``). Every other
   character splits: Arabic ، ؛ ؟, quotes « » “ ”, hyphens, slashes.
2. **Normalisation** (``normalize_word``). Arabic-script words: diacritics and
   tatweel removed, أ إ آ ٱ → ا, ى → ي, ة → ه, Arabic-Indic and Persian digits
   → ASCII, the Darija letters ڭ گ → ك, ڨ → ق, ڤ → ف, پ → ب. Latin-script
   words: lower-cased, French elision removed (l' d' j' m' n' s' t' c' qu'
   jusqu' lorsqu' puisqu', straight or typographic
   apostrophe), œ → oe, æ → ae, accents folded.
3. **Stop words** (``STOP_WORDS``): particles and pronouns of both languages,
   compared after normalisation. They give no term but keep their position
   (every word counts), so a phrase matches only its words in order at
   their distances: "ministre de l'Intérieur" finds "ministre de
   l'Intérieur" (any stop word in the gap), and "migration irrégulière" no
   longer finds "la migration et l'irrégulière" (``phrase``). Negations that
   change meaning (غير, non, pas) are kept.
4. **Stemming** (``arabic_stems``, ``french_stem``; skipped for digits):
   - Arabic, a light stemmer after Larkey's light10 and Lucene's
     ``ArabicStemmer``, with guards:
     * definite-article prefixes (وبال وكال فبال وال فال بال كال ولل فلل لل ال)
       are always removed when at least two letters remain;
     * a lone clitic letter (conjunctions و ف, prepositions ب ل ك) is
       ambiguous: وزير, ولاية, وثيقة, بلد, كتاب begin with a letter of their
       stem. So the query form keeps the letter, and the index holds the word
       both with and without it (two tokens at one position) when three or
       more letters remain. ``وزير`` therefore finds وزير/الوزير/والوزير, and
       ``تعزيز`` finds لتعزيز/وتعزيز, but ``ولاية`` never becomes ``لاية``.
       Likewise لل is ل + the article (للهجرة) or ل before a word that
       begins with ل, whose article is not written (للاجئين = ل +
       اللاجئين, للبنان, للجنة): the index holds both readings, so
       ``اللاجئين`` and ``لبنان`` find للاجئين and للبنان.
       Frequent words whose first letter is radical (``STEM_INITIAL_WORDS``:
       وزير, وزارة, بلد, فرنسا, كتاب…) get no second reading at all, so a
       search for زير or رنسا does not find them;
     * a stem written with آل (آلية, آلاف, آلام) is read from its آ, after
       any clitic letters (وآلية, بآلاف): folded, it would look like the
       article ال + a stem (آلية folded is إليه, a stop word; آلام would
       meet الأم), and the article is never written آل. The index also
       holds the folded reading, so a search typed without the madda
       (الاف) finds the word; one typed with it finds only that word. A
       hamza on the alef after a clitic letter (بأبها) marks the letter as
       a clitic, even before a protected stem (باب is never written بأب);
     * suffixes (ها هم هما كم ان ات ون ين يه ه ي) are removed in one pass, in
       that order, each only when the stem left is long enough (``SUFFIXES``):
       plurals and duals need four letters left, so تعاون, قانون, سكان and
       مكان keep their endings; after a possessive, the ت of a feminine noun
       goes too (وزارتها, وزارتي → وزار, like وزارة).
     * broken plurals of a reviewed table (``data/broken_plurals.tsv``: the
       beat's vocabulary and frequent nouns, أطفال → طفل, قوارب → قارب,
       وزراء → وزير) become their singular's stem, at indexing and query
       time alike; a plural is matched as a whole word after its article or
       clitic letter (with a possessive ending too), never inside another
       word, so مدني (civil) stays apart from مدن (cities).
     Limits: no infixes; broken plurals outside the table stay apart
     (المغاربة/مغربي); duals of three-letter nouns keep
     their ending (البلدين ≠ بلد); inside a phrase, a word typed with a
     clitic (لتعزيز) finds only that form (a one-word query searches both
     readings: ``word_readings``); light stemming merges an adjective with its noun
     (المغربية → مغرب), which suits news search.
   - French: Snowball (PyStemmer's C implementation) on the folded word, so
     accented and unaccented spellings stem alike; except the forms of a
     reviewed table (``data/french_inflections.tsv``) that Snowball stems
     apart from their singular: it keeps a final s after a vowel (euros,
     lois, emplois, détenus), keeps x plurals (lieux, enjeux) and reads -er
     as an infinitive (danger → dang, dangers → danger). A row's forms all
     get one stem, the longest Snowball gives any of them (étranger,
     étrangers, étrangères → etranger, apart from étrange → etrang).
   Normal forms and stems are cached per word (``functools.lru_cache``), so
   a token costs two dictionary look-ups after its first occurrence;
   ``index_terms`` gives the whole pipeline for one word (highlighting uses it).

The PyStemmer object is created lazily: Whoosh pickles its analyzer (which
calls this module) into the index.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

# Arabic harakat, Quranic marks, superscript alef; Latin combining accents.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0300-\u036f"
TOKEN_PATTERN = rf"[\w{_MARKS}]+(?:['’ʼ][\w{_MARKS}]+)*"

_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ـ": None,  # tatweel
        "ی": "ي",  # Persian ya
        "ک": "ك",  # Persian kaf
        # Moroccan and Maghrebi letters for sounds MSA spells otherwise:
        # الحريگ / الحريڭ is الحريك, أڭادير is أكادير.
        "ڭ": "ك",
        "گ": "ك",
        "ڨ": "ق",
        "ڤ": "ف",
        "پ": "ب",
        **{d: str(i) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩")},
        **{d: str(i) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹")},
    }
)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
_ELISION = re.compile(r"^(?:qu|jusqu|lorsqu|puisqu|quoiqu|[ldjmnstc])'(?=\w)")

DEFINITE_PREFIXES = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")
CONJUNCTIONS = "وف"
PREPOSITIONS = "بلك"
# (suffix, letters that must remain), applied once each in this order.
SUFFIXES = (
    ("هما", 3),
    ("ها", 3),
    ("هم", 3),
    ("كم", 3),
    ("ان", 4),
    ("ات", 3),
    ("ون", 4),
    ("ين", 4),
    ("يه", 4),
    ("ه", 3),
    ("ي", 3),
)

_ARABIC_STOP = """
في من الي علي عن مع هذا هذه هذان هاتان ذلك تلك هؤلاء اولئك التي الذي الذين اللذين اللتين اللواتي
ان او ام ثم قد لقد كما لا لم لن ما ماذا هل هو هي هم هن هما انا نحن انت انتم كان كانت كانوا يكون تكون
بين حتي عند عندما بعد قبل كل بعض اي اذا اذ لكن بل الا ايضا حيث منذ خلال لدي لدى وقد وهو وهي وفي ومن
فيه فيها منه منها عليه عليها اليه اليها عنه عنها به بها له لها لهم ذات يا و ف ب ل ك
""".split()
_FRENCH_STOP = """
le la les l un une des du de d et ou a au aux en dans par pour sur avec sans sous ce ces cet cette
ci ca qui que qu quoi dont il elle ils elles on nous vous je tu me te se sa son ses leur leurs
mon ma mes ton ta tes notre nos votre vos est sont ete etre etait y lui eux
""".split()
_ENGLISH_STOP = "the of and to in is are was were for on at by an with from as that this it".split()
STOP_WORDS = frozenset(_ARABIC_STOP + _FRENCH_STOP + _ENGLISH_STOP)


def is_arabic(word: str) -> bool:
    return _ARABIC_LETTER.search(word) is not None


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


# Fast paths: most words need only str.translate, no Unicode decomposition.
_ARABIC_MARKS = str.maketrans(
    dict.fromkeys(
        map(
            chr,
            [
                *range(0x610, 0x61B),
                *range(0x64B, 0x660),
                0x670,
                *range(0x6D6, 0x6DD),
                *range(0x6DF, 0x6E9),
                *range(0x6EA, 0x6EE),
            ],
        )
    )
)
_PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_ACCENTS = str.maketrans(
    {
        **dict.fromkeys("àáâãäåā", "a"),
        "ç": "c",
        **dict.fromkeys("èéêëē", "e"),
        **dict.fromkeys("ìíîïī", "i"),
        "ñ": "n",
        **dict.fromkeys("òóôõöøō", "o"),
        **dict.fromkeys("ùúûüū", "u"),
        **dict.fromkeys("ýÿ", "y"),
    }
)


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """The comparison form of one token.

    >>> normalize_word("إِعْلَانُ"), normalize_word("L’Œuvre"), normalize_word("٢٠٢٥")
    ('اعلان', 'oeuvre', '2025')
    """
    if is_arabic(word):
        if _PRESENTATION_FORMS.search(word):
            word = unicodedata.normalize("NFKC", word)
        # Fold letter variants (أ إ آ → ا) before removing marks, which could
        # otherwise be a decomposed hamza (ا + U+0654).
        word = word.translate(_ARABIC_FOLD).translate(_ARABIC_MARKS)
        if any(unicodedata.combining(ch) for ch in word):
            word = _strip_marks(word).translate(_ARABIC_FOLD)
        return word
    word = word.casefold().translate(_APOSTROPHES).translate(_LIGATURES)
    if "'" in word:
        word = _ELISION.sub("", word)
    word = word.translate(_LATIN_ACCENTS)
    if not word.isascii():
        word = _strip_marks(word).translate(_ARABIC_FOLD)
    return word


_POSSESSIVE = frozenset({"هما", "ها", "هم", "كم", "ه", "ي"})

# Frequent news words whose first letter is a root letter that looks like a
# clitic: the index gives them no "without the letter" reading, so searching
# زير does not find وزير. (Words not listed still get both readings.)
STEM_INITIAL_WORDS = """
وزير وزارة ولاية وثيقة وطن وقت وضع وفد وصول وحدة واقع وجود وسط وكالة وسيلة وعد وفاة وقف ورقة
وظيفة وادي والي واجب وارد وافق وصف وجه ولد وفق وقع ورد وزن وعي ودي وكيل
فرنسا فريق فترة فكرة فرصة فصل فضل فلسطين فندق فقر فرع فئة فوز فعل فتح فيلم فاس فرض فيضان
بلد بيان برنامج بحث بحر باب بنك بناء بيت بريطانيا بلاغ برلمان بطولة بطالة بعثة بلدية بورصة
لجنة لقاء لغة لحظة لبنان ليبيا لاعب لائحة لباس
كتاب كلمة كأس كبير كورونا كندا كلية كمية كهرباء
""".split()


def _strip_suffixes(word: str) -> str:
    possessed = False
    for suffix, keep in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
            possessed = possessed or suffix in _POSSESSIVE
    # A feminine noun before a possessive is written with ت (وزارتها, حكومته):
    # drop it so it meets its bare form (وزارة → وزار).
    if possessed and word.endswith("ت") and len(word) >= 4:
        word = word[:-1]
    return word


_PROTECTED_STEMS: frozenset[str] = frozenset()
BROKEN_PLURALS: dict[str, str] = {}


@lru_cache(maxsize=200_000)
def arabic_stems(word: str, index: bool, hamza_after_clitic: bool = False) -> tuple[str, ...]:
    """Light stems of a normalised Arabic word: one for a query, and for the
    index also the stem without an ambiguous clitic letter. A broken plural
    of the table (`BROKEN_PLURALS`) becomes its singular's stem.

    >>> arabic_stems("والمهاجرين", False), arabic_stems("ولايه", False)
    (('مهاجر',), ('ولا',))
    >>> arabic_stems("لتعزيز", True), arabic_stems("للاطفال", False)
    (('لتعزيز', 'تعزيز'), ('طفل',))
    >>> arabic_stems("للاجئين", True), arabic_stems("للبنان", True)
    (('اجئين', 'لاجئ'), ('بنان', 'لبنان'))

    `hamza_after_clitic`: the word was written with أ or إ after its first
    letter (بأبها): that letter is a clitic even before a protected stem
    (باب is never written بأب), so the index holds the reading without it.
    """
    if len(word) < 3:
        return (word,)
    if word in BROKEN_PLURALS:
        return (BROKEN_PLURALS[word],)
    for prefix in DEFINITE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            if prefix.endswith("ال") and word[len(prefix) - 2 :] in BROKEN_PLURALS:
                # A plural that begins with أل (ألغام), hamza folded, after a
                # clitic letter: وألغام is و + ألغام, not و + ال + غام.
                return (BROKEN_PLURALS[word[len(prefix) - 2 :]],)
            stems = [_stem(word[len(prefix) :])]
            if index and prefix.endswith("لل"):
                # ل before a word that begins with ل drops the article's
                # letters: ل + اللاجئين is written للاجئين, ل + لبنان
                # للبنان. So the index also holds the word after one ل.
                stems.append(_stem(word[len(prefix) - 1 :]))
            return tuple(dict.fromkeys(stems))
    stems = [_strip_suffixes(word)]
    if stems[0] in _PROTECTED_STEMS and not hamza_after_clitic:
        return (stems[0],)
    if index and word[0] in CONJUNCTIONS + PREPOSITIONS and len(word) > 3:
        rest = word[1:]
        stems.append(_stem(rest))
        if word[0] in CONJUNCTIONS and rest[0] in PREPOSITIONS and len(rest) > 3:
            stems.append(_stem(rest[1:]))
    return tuple(dict.fromkeys(stems))


def _stem(word: str) -> str:
    """A word without its article or clitic letter: the singular's stem of a
    broken plural, else its light stem."""
    return BROKEN_PLURALS.get(word) or _strip_suffixes(word)


_PROTECTED_STEMS = frozenset(_strip_suffixes(normalize_word(w)) for w in STEM_INITIAL_WORDS)

# A plural is recognised with a possessive ending too (أطفالهم), but not
# with ي: دولي is "international", not "my countries".
_PLURAL_ENDINGS = ("", "ها", "هم", "هما", "كم", "ه")
BROKEN_PLURALS_FILE = Path(__file__).resolve().parent / "data" / "broken_plurals.tsv"


def _read_broken_plurals(text: str) -> dict[str, str]:
    """{normalised plural, with each possessive ending: the singular's stem},
    from the reviewed table (singular, plural, gloss; # comments)."""
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        singular, plural, _gloss = line.split("\t")
        singular_stem = arabic_stems(normalize_word(singular), False)[0]
        for ending in _PLURAL_ENDINGS:
            table.setdefault(normalize_word(plural) + ending, singular_stem)
    return table


_BROKEN_PLURALS_TEXT = BROKEN_PLURALS_FILE.read_text(encoding="utf-8")
BROKEN_PLURALS.update(_read_broken_plurals(_BROKEN_PLURALS_TEXT))
arabic_stems.cache_clear()  # singulars were stemmed before the table was filled


@contextmanager
def without_tables() -> Iterator[None]:
    """The analyzer as it is without its reviewed tables (Arabic broken
    plurals, French inflections), inside the block: for the checks that the
    tables merge no two names that were apart before them
    (tests/search/test_broken_plurals.py, bench/beat_checks.py)."""
    saved_plurals, saved_french = dict(BROKEN_PLURALS), dict(FRENCH_STEMS)
    BROKEN_PLURALS.clear()
    FRENCH_STEMS.clear()
    FRENCH_STEMS.update(FRENCH_KEPT)
    _clear_caches()
    try:
        yield
    finally:
        BROKEN_PLURALS.update(saved_plurals)
        FRENCH_STEMS.update(saved_french)
        _clear_caches()


def _clear_caches() -> None:
    for cached in (arabic_stems, french_stem, index_terms):
        cached.cache_clear()


FRENCH_INFLECTIONS_FILE = Path(__file__).resolve().parent / "data" / "french_inflections.tsv"
_FRENCH_INFLECTIONS_TEXT = FRENCH_INFLECTIONS_FILE.read_text(encoding="utf-8")

# Part of every search document's version (search.index.indexing.document_version):
# when the terms this module gives change, `check_index --repair` (run by
# `make run`) finds every document stale and indexes it again. Raise the
# number with any change to the pipeline; the tables' own edits count by hash.
ANALYZER_VERSION = (
    "8."
    + hashlib.blake2b(
        (_BROKEN_PLURALS_TEXT + _FRENCH_INFLECTIONS_TEXT).encode(), digest_size=4
    ).hexdigest()
)

_french_stemmer = None


def _snowball(word: str) -> str:
    global _french_stemmer
    if _french_stemmer is None:
        import Stemmer  # PyStemmer, C Snowball stemmers

        _french_stemmer = Stemmer.Stemmer("french")
    return _french_stemmer.stemWord(word)


def _read_french_inflections(text: str) -> dict[str, str]:
    """{each form of a row, its singular included: the row's stem}, from the
    reviewed table (singular, forms; # comments). The row's stem is the
    longest Snowball gives any of its forms: it keeps the most of the word,
    so merges least with other words (petit → pet, as pet; petits → petit)."""
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        singular, forms = line.split("\t")[:2]
        row = [singular, *forms.split()]
        stem = max((_snowball(form) for form in row), key=len)
        table.update(dict.fromkeys(row, stem))
    return table


# Beat words Snowball merges with frequent other words, kept apart: it stems
# visa to "vis", the stem of visant, vise, visé, viser and vis-à-vis (3,400
# occurrences in OrangeSum against 132 of visa and visas), so a search for
# visas found every article that "aims" at something.
FRENCH_KEPT = {"visa": "visa", "visas": "visa"}
FRENCH_STEMS = {**_read_french_inflections(_FRENCH_INFLECTIONS_TEXT), **FRENCH_KEPT}


@lru_cache(maxsize=200_000)
def french_stem(word: str) -> str:
    """Snowball French stem of a folded Latin-script word (the inflection
    table and FRENCH_KEPT first).

    >>> french_stem("migrations"), french_stem("marocaines"), french_stem("visas")
    ('migrat', 'marocain', 'visa')
    >>> french_stem("euro"), french_stem("euros"), french_stem("detenue"), french_stem("etrange")
    ('euros', 'euros', 'detenus', 'etrang')
    """
    return FRENCH_STEMS.get(word) or _snowball(word)


# Clitic letters, then a hamza on an alef, as written (before folding): the
# hamza says where the stem begins.
_HAMZA_STEM = re.compile("^([\u0648\u0641]?[\u0628\u0643\u0644]?)([\u0622\u0623\u0625])")


def _hamza_stem(word: str) -> tuple[int, str] | None:
    """(clitic letters before it, the letter) when the written word's stem
    begins with آ أ or إ after at most a conjunction and a preposition."""
    if "\u0622" not in word and "\u0623" not in word and "\u0625" not in word:
        return None
    found = _HAMZA_STEM.match(word.translate(_ARABIC_MARKS))
    return (len(found.group(1)), found.group(2)) if found else None


def _madda_stem(hamza: tuple[int, str] | None, text: str) -> str | None:
    """The stem of a word whose stem begins with آل as written (آلية, بآلاف),
    read from its آ; None for any other word. Folding آ to ا makes such a
    stem look like the article ال + a stem (آلية folded is إليه, a stop
    word; آلام would meet الأم), and the article is never written آل."""
    if hamza and hamza[1] == "\u0622" and text[hamza[0] : hamza[0] + 2] == "\u0627\u0644":
        return _stem(text[hamza[0] :])
    return None


@lru_cache(maxsize=200_000)
def index_terms(word: str, index: bool = True) -> tuple[str, ...]:
    """Every term a raw token becomes: normalised, () for a stop word, stemmed.

    A stem written with آل is read from its آ (`_madda_stem`); the index also
    holds the folded reading, so a search typed without the madda (الاف)
    finds it, while one typed with it (آلام) finds only that word.

    >>> index_terms("للهجرة", False), index_terms("Les"), index_terms("لتعزيز")
    (('هجر',), (), ('لتعزيز', 'تعزيز'))
    >>> index_terms("آلية"), index_terms("وآلية", False), index_terms("آلاف")
    (('الي',), ('الي',), ('الاف', 'اف'))
    """
    text = normalize_word(word)
    if not text:
        return ()
    hamza = _hamza_stem(word) if is_arabic(text) else None
    from_madda = _madda_stem(hamza, text)
    if from_madda:
        if not index or text in STOP_WORDS:
            return (from_madda,)
        return tuple(dict.fromkeys((from_madda, *arabic_stems(text, index))))
    if text in STOP_WORDS:
        return ()
    if text.isdigit():
        return (text,)
    if is_arabic(text):
        # A hamza after the first letter makes it a clitic (بأبها).
        return arabic_stems(text, index, bool(hamza and hamza[0]))
    return (french_stem(text),)


class Word(NamedTuple):
    """One word of a text and the terms it becomes.

    pos: its position among all the words, stop words included (a stop word
    keeps its place, so phrases keep their gaps); start/end: character offsets;
    terms: () for a stop word, else one term (two when an ambiguous clitic
    letter gets its second reading in index mode).
    """

    pos: int
    start: int
    end: int
    text: str
    terms: tuple[str, ...]


WORD = re.compile(TOKEN_PATTERN)


def words(value: str, *, index: bool = False, start_pos: int = 0) -> Iterator[Word]:
    """The analysed words of a text, in order, stop words included (terms=()).

    >>> [(w.pos, w.terms) for w in words("la migration des mineurs")]
    [(0, ()), (1, ('migrat',)), (2, ()), (3, ('mineur',))]
    """
    for pos, match in enumerate(WORD.finditer(value), start_pos):
        text = match.group()
        yield Word(pos, match.start(), match.end(), text, index_terms(text, index))


def phrase(text: str) -> list[tuple[int, str]]:
    """A phrase's query terms with their positions from the first term: a
    stop word inside keeps its place, so engines ask for these exact gaps.

    >>> phrase("le ministre de l'Intérieur")
    [(0, 'ministr'), (2, 'interieur')]
    """
    placed = [(word.pos, word.terms[0]) for word in words(text) if word.terms]
    return [(pos - placed[0][0], term) for pos, term in placed]


def word_readings(text: str) -> tuple[str, ...]:
    """Every term a one-word query searches: its index terms, so an Arabic
    word typed with a clitic letter (وتعزيز, بمدينة, لطنجة) also finds the
    word written without it, as the index holds both readings of such words.
    () when the text is not exactly one word with terms.

    >>> word_readings("لتعزيز"), word_readings("الهجرة"), word_readings("Maroc")
    (('لتعزيز', 'تعزيز'), ('هجر',), ('maroc',))
    >>> word_readings("آلام"), word_readings("الام")
    (('الام',), ('ام',))
    """
    found = [word for word in words(text, index=True) if word.terms]
    if len(found) != 1:
        return ()
    # Typed with its madda (آلام), a word means itself, not the folded
    # reading the index keeps for searches typed without it (الام: الأم too).
    typed = found[0].text
    if _madda_stem(_hamza_stem(typed), normalize_word(typed)):
        return index_terms(typed, False)
    return found[0].terms


def analyze(text: str, *, mode: str = "query") -> list[str]:
    """The terms of a text, in order (mode "index" adds second readings).

    >>> analyze("Les réunions")
    ['reunion']
    """
    return [term for word in words(text, index=mode == "index") for term in word.terms]


def clitic_rest(word: str) -> str | None:
    """An Arabic word without its first letter, when that letter may be a
    conjunction or preposition (و ف ب ل ك) the analyzer does not read as
    one: بسر (سر is too short for the index to hold both readings), وزار
    (زار, read only as the stem of وزارة), وصفيان (the name صفيان). None
    when the word has no such letter or a reading of it is the rest
    already (وتعزيز). For a search that found nothing as typed
    (`search.queries.query.ParsedQuery.fallback`), never for the index: these
    readings are refused on purpose, and most such words mean themselves.

    >>> clitic_rest("بسر"), clitic_rest("وتعزيز"), clitic_rest("Maroc")
    ('سر', None, None)
    """
    text = normalize_word(word)
    if not is_arabic(text) or len(text) < 3 or text[0] not in CONJUNCTIONS + PREPOSITIONS:
        return None
    rest = text[1:]
    terms = index_terms(rest, False)
    if not terms or set(terms) <= set(word_readings(word) or index_terms(word, False)):
        return None
    return rest
