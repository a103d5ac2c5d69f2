"""The beat checks of bench/relevance.py, on the archive it has imported:
broken-plural recall and false merges, Arabizi queries, cross-language
concept queries. Each searches through the search form and
`search.selectors`, as the search page does.

- **Broken plurals**: for every row of the reviewed table
  (search/language/data/broken_plurals.tsv) whose forms occur in the sample, the
  articles that hold only the singular (as a word, with or without a clitic
  or the article, hamza forms folded) must be found by searching the
  plural, and those holding only the plural by searching the singular.
  Recall over all such articles, beside a Lucene-style light stemmer's (it
  finds an article when both forms have the same light stem). False merges:
  look-alike pairs (tests/data/broken_plural_pairs.json "apart") and the
  seed entity register's names that the analyzer gives the same terms
  through its tables (Arabic broken plurals, French inflections).
- **Arabizi** (bench/data/arabizi_queries.json: words as Moroccan readers
  type them, with the Arabic forms they mean): the Darija set (MArSum,
  Goud.ma) is imported beside the sample; a query counts as found when one
  of its top 10 hits holds one of the Arabic forms (raw Whoosh and the light
  stemmer find none: they search the Latin word).
- **Cross-language** (bench/cross_language.py's judged queries).

Runs inside relevance.py, about a minute at 20,000 articles.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from pathlib import Path

from common import lucene_arabic
from cross_language import QUERIES, corpus_ids, judge

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "data" / "broken_plural_pairs.json"
ARABIZI = Path(__file__).resolve().parent / "data" / "arabizi_queries.json"
DARIJA = "ar_marsum_goud_test.jsonl.gz"

_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652\u067e\u0686\u06a4\u06a8\u06af]+")
_MARKS = re.compile("[\u064b-\u0652\u0640]")
_HAMZA = str.maketrans("أإآ", "ااا")
# What may come before a word in running text: a conjunction, a preposition,
# the article, or both (للأطفال is ل + الأطفال with the alef dropped).
_PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل")


def _fold(word: str) -> str:
    return _MARKS.sub("", word).translate(_HAMZA)


def surface_forms(word: str) -> set[str]:
    """The ways `word` is written before another word: with a proclitic, with
    or without the article (hamza forms folded)."""
    bare = _fold(word)
    bare = bare[2:] if bare.startswith("ال") and len(bare) > 3 else bare
    forms = set()
    for proclitic in _PROCLITICS:
        forms.add(proclitic + bare)
        forms.add(proclitic + "ال" + bare)
    forms.add("لل" + bare)
    forms.add("ولل" + bare)
    return forms


def holders(texts: dict[int, set[str]], forms: set[str]) -> set[int]:
    return {pk for pk, words in texts.items() if words & forms}


def arabic_words(articles: Iterable[tuple[int, str, str]]) -> dict[int, set[str]]:
    """{article id: its folded Arabic words} for (id, title, body) rows."""
    return {
        pk: {_fold(word) for word in _ARABIC_WORD.findall(f"{title} {body}")}
        for pk, title, body in articles
    }


def all_hits(query: str) -> set[int]:
    """Every article the search form finds for `query` (any order)."""
    from search.forms import SearchForm
    from search.selectors import article_hits

    hits = article_hits(SearchForm({"q": query}).criteria(), limit=1_000_000)
    return {pk for pk, _score in hits.ids(0, len(hits))} if hits is not None else set()


def top_hits(query: str, count: int = 10) -> list[int]:
    from search.forms import SearchForm
    from search.selectors import article_search

    outcome = article_search(SearchForm({"q": query}).criteria(), page=1, per_page=count)
    return [article.pk for article in outcome.results]


def broken_plurals(texts: dict[int, set[str]]) -> None:
    from search.language.analysis import BROKEN_PLURALS_FILE

    rows = [
        line.split("\t")[:2]
        for line in BROKEN_PLURALS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    wanted = found = light = evaluated = 0
    for singular, plural in rows:
        singular_forms, plural_forms = surface_forms(singular), surface_forms(plural)
        with_singular = holders(texts, singular_forms)
        with_plural = holders(texts, plural_forms)
        only_singular, only_plural = with_singular - with_plural, with_plural - with_singular
        if not only_singular and not only_plural:
            continue
        evaluated += 1
        same_light_stem = lucene_arabic(singular) == lucene_arabic(plural)
        for query, expected in ((plural, only_singular), (singular, only_plural)):
            if expected:
                wanted += len(expected)
                found += len(expected & all_hits(query))
                light += len(expected) if same_light_stem else 0
    print(
        f"  broken plurals: {evaluated} of {len(rows)} table rows occur; articles holding "
        f"only the other form found: archive {found / max(1, wanted):.3f}, "
        f"light stemmer {light / max(1, wanted):.3f} ({wanted:,} article-queries)"
    )


def false_merges() -> None:
    from search.language import analysis

    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))
    apart = pairs["apart"]
    merged_look_alikes = sum(
        bool(set(analysis.analyze(a)) & set(analysis.analyze(b, mode="index")))
        or bool(set(analysis.analyze(b)) & set(analysis.analyze(a, mode="index")))
        for a, b, _why in apart
    )
    register = json.loads((ROOT / "fixtures" / "seed_entities.json").read_text("utf-8"))
    names = [(o["pk"], o["fields"]["name"]) for o in register if o["model"] == "archive.entity"]
    names += [
        (o["fields"]["entity"], o["fields"]["alias"])
        for o in register
        if o["model"] == "archive.entityalias"
    ]

    def sharing() -> set[frozenset]:
        owners: dict[tuple[str, ...], set] = {}
        for owner, name in names:
            owners.setdefault(tuple(analysis.analyze(name)), set()).add(owner)
        return {frozenset(o) for o in owners.values() if len(o) > 1}

    with_table = sharing()
    with analysis.without_tables():
        without_table = sharing()
    print(
        f"  false merges: {merged_look_alikes} of {len(apart)} look-alike pairs, "
        f"{len(with_table - without_table)} entity pairs among {len(names)} register names "
        f"(merged by the tables and not before)"
    )


def import_darija(corpus: Path, work: Path) -> list[int]:
    """Import the Darija set beside the sample; the ids of its articles."""
    from django.core.management import call_command

    from archive.models import Article

    records = []
    with gzip.open(corpus / DARIJA, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["title"].strip() and record["body"].strip():
                records.append({**record, "language": "ar", "url": ""})
    before = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    path = work / "darija.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    call_command("import_articles", str(path), verbosity=0)
    return list(Article.objects.filter(pk__gt=before).values_list("pk", flat=True))


def arabizi(corpus: Path, work: Path) -> None:
    """The Arabizi queries with the reviewed table, then with the letter rule
    alone (the table emptied), so that what the table brings is read apart
    (it lists some of these words)."""
    from search.queries import arabizi as module

    added = import_darija(corpus, work)
    arabizi_queries(f"arabizi ({len(added):,} Darija articles added)")
    table = module.table
    module.table = lambda: {}  # type: ignore[assignment]
    try:
        arabizi_queries("arabizi, the letter rule alone")
    finally:
        module.table = table  # type: ignore[assignment]


def arabizi_queries(label: str) -> None:
    from archive.models import Article
    from search.forms import SearchForm

    texts = arabic_words(Article.objects.filter(language="ar").values_list("pk", "title", "body"))
    queries = json.loads(ARABIZI.read_text(encoding="utf-8"))
    found = transliterated = 0
    for item in queries:
        forms = {_fold(form) for form in item["arabic"]}
        criteria = SearchForm({"q": item["query"]}).criteria()
        spelled = {
            _fold(spelling)
            for _typed, spellings in criteria.query.transliterations
            for spelling in spellings
        }
        concept = bool(criteria.query.concepts)
        transliterated += bool(spelled & forms) or concept
        written = surface_forms_of(forms)
        hit = any(texts.get(pk, set()) & written for pk in top_hits(item["query"]))
        found += hit
        if not hit:
            print(f"    arabizi miss: {item['query']} -> {sorted(spelled) or '(nothing)'}")
    print(
        f"  {label}: {len(queries)} queries: "
        f"{transliterated} written as the word meant, {found} with a top-10 hit holding it"
    )


def surface_forms_of(forms: set[str]) -> set[str]:
    return set().union(*(surface_forms(form) for form in forms))


def cross_language(records: list[dict]) -> None:
    corpus_id = corpus_ids(records)
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    served = sum(judge(item, corpus_id) for item in queries)
    print(
        f"  cross-language: {served} of {len(queries)} judged beat queries "
        f"({served / len(queries):.0%}) find a relevant article of the other language "
        f"in the top 10"
    )
