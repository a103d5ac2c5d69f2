"""Known-item relevance: is an article found, and how high, when searched by
2–3 rare words of its title written as another paper or a user would write
them? MRR@10 and recall@10 per language, for the archive (through
`search.forms.SearchForm` and `search.selectors.article_search_with_fallback`,
the search page's own path) and, in the
same run over the same articles and queries, raw Whoosh with its default
analyzer and a Lucene-style light stemmer (Lucene's Arabic normaliser and
light stemmer; Snowball on folded French).

Usage (from the project root, after `make install`):

    .venv/bin/python bench/relevance.py ../shared/corpus [--sizes 2000,20000]
        [--engine whoosh|postgres] [--database postgres://…] [--queries 300]
        [--split test|dev] [--seed 1] [--no-beat]

After the known-item figures, each size reports the beat checks of
bench/beat_checks.py on the same archive: cross-language concept queries,
broken-plural recall and false merges, Arabizi queries (the Darija set is
imported for them last, so the known-item figures are unaffected).

Half the articles of each size are Arabic (SaudiNewsNet), half French
(OrangeSum), imported with `import_articles`. An article belongs to the dev
split when the hash of its corpus id says so (one in four), else to the
test split: tune on `--split dev`, report `--split test` (never tune on it).

Queries: the 2 or 3 title words whose stems are rarest in the sample
(stop words, digits and words under 3 letters left out), each perturbed once
as a writer would: Arabic clitics added or removed, hamza forms, ة/ه, ى/ي,
a diacritic, tatweel; French accents dropped, case, elision, number.

Takes about 10 minutes for both sizes on one engine (the 20,000 import is most of it).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import beat_checks  # noqa: E402
from common import lucene_arabic, read, throwaway_archive  # noqa: E402

TOP = 10


def split_of(record: dict) -> str:
    digest = hashlib.blake2b(record["id"].encode(), digest_size=2).digest()
    return "dev" if digest[0] % 4 == 0 else "test"


# -- queries as other writers would type them ---------------------------------

_DIACRITICS = "\u064e\u064f\u0650"


def perturb_arabic(word: str, rng: random.Random, written: set[str]) -> str:
    choices = []
    clitic = next(
        (
            c
            for c in ("وال", "بال", "فال", "كال", "لل")
            if word.startswith(c) and len(word) - len(c) >= 3  # not والد (father) → د
        ),
        None,
    )
    if clitic:  # another paper writes the noun without the particle, or without both
        choices += [lambda w: "ال" + w[len(clitic) :], lambda w: w[len(clitic) :]]
    elif word.startswith("ال"):
        choices += [lambda w: w[2:], lambda w: "و" + w, lambda w: "ب" + w, lambda w: "لل" + w[2:]]
    else:  # a bare word (noun or verb): a conjunction or preposition before it
        choices += [lambda w: "و" + w, lambda w: "ب" + w]
    if word[0] in "أإآ":
        choices.append(lambda w: "ا" + w[1:])
    elif word[0] == "ا" and not word.startswith("ال"):
        choices.append(lambda w: "أ" + w[1:])
    if word.endswith("ة"):
        choices.append(lambda w: w[:-1] + "ه")
    if word.endswith("ى"):
        choices.append(lambda w: w[:-1] + "ي")
    if word.endswith("ي"):
        choices.append(lambda w: w[:-1] + "ى")
    choices.append(lambda w: w[0] + rng.choice(_DIACRITICS) + w[1:])
    if len(word) > 3:
        choices.append(lambda w: w[:2] + "ـ" + w[2:])
    return rng.choice(choices)(word)


def _unaccented(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def perturb_french(word: str, rng: random.Random, written: set[str]) -> str:
    """`written`: the sample's words, lower-cased: the other number of a word
    is only typed when the sample has it (not "investits" from "investit")."""
    choices = [lambda w: w.upper(), lambda w: w.lower(), lambda w: w.capitalize()]
    if _unaccented(word) != word:
        choices += [_unaccented, _unaccented]
    if word[0].lower() in "aeiouéèh" and "'" not in word:
        choices.append(lambda w: "l'" + w)
    # Number, as another paper might write the noun: only for lower-case
    # words that plainly take or drop a plural -s (not names, acronyms, verbs).
    if word.islower() and word.endswith("s") and len(word) > 4 and word[:-1] in written:
        choices.append(lambda w: w[:-1])
    elif (
        word.islower()
        and word.endswith(("e", "é", "t", "n", "l"))
        and len(word) > 3
        and word + "s" in written
    ):
        choices.append(lambda w: w + "s")
    return rng.choice(choices)(word)


def pool_frequencies(records: list[dict]) -> Counter[str]:
    """How many of `records` (titles and bodies) hold each analysed term:
    the rarity the query generator reads."""
    from search.language.analysis import WORD, index_terms

    df: Counter[str] = Counter()
    for record in records:
        found = WORD.findall(record["title"] + " " + record["body"])
        df.update({t for w in found for t in index_terms(w)})
    return df


def eligible_words(title: str, df: Counter[str]) -> list[tuple[int, str, str]]:
    """(pool frequency, word, term) of each title word the generator may
    pick: one term, three letters or more, not a number."""
    from search.language.analysis import WORD, index_terms

    out = []
    for word in dict.fromkeys(WORD.findall(title)):
        terms = index_terms(word, False)
        if len(terms) == 1 and len(word) >= 3 and not terms[0].isdigit():
            out.append((df[terms[0]], word, terms[0]))
    return out


def make_queries(
    records: list[dict], size: int, rng: random.Random
) -> tuple[list[tuple[str, int, frozenset[str]]], Counter[str]]:
    """(query, index of the record sought, the terms picked) for `size`
    records of the split, and the pool frequencies the words were picked by."""
    from search.language.analysis import WORD, is_arabic

    df = pool_frequencies(records)
    written = {w.lower() for r in records for w in WORD.findall(r["title"] + " " + r["body"])}
    chosen = rng.sample(range(len(records)), min(size, len(records)))
    queries = []
    for n in chosen:
        words = [(count, word) for count, word, _term in eligible_words(records[n]["title"], df)]
        if len(words) < 2:
            continue
        picked = [w for _df, w in sorted(words)[: rng.choice((2, 3))]]
        terms = frozenset(t for _c, w, t in eligible_words(" ".join(picked), df))
        # By the word's script: a Latin name in an Arabic title gets no diacritic.
        queries.append(
            (
                " ".join(
                    (perturb_arabic if is_arabic(w) else perturb_french)(w, rng, written)
                    for w in picked
                ),
                n,
                terms,
            )
        )
    return queries, df


def rarity_ties(
    titles: dict[int, str],
    ties: list[set[int]],
    picked: list[frozenset[str]],
    df: list[Counter[str]],
) -> list[int]:
    """For each query, how many of its tied articles the generator could
    have drawn it from by its own rule: titles none of whose other words is
    rarer in the pool than the commonest word picked (a word the pool lacks
    counts as rarer: such a title is not in the pool). Ordering those at
    random and every other query perfectly is the best a ranking can do that
    reads titles by rarity (knowing the pool's own counts) and not how the
    words were written."""
    counts = []
    for tied, terms, frequency in zip(ties, picked, df, strict=True):
        most = max(frequency[t] for t in terms)
        counts.append(
            sum(
                all(
                    count >= most or term in terms
                    for count, _w, term in eligible_words(titles.get(pk, ""), frequency)
                )
                for pk in tied
            )
        )
    return [max(1, k) for k in counts]


def generator_odds(title: str, terms: frozenset[str], frequency: Counter[str]) -> float:
    """The odds that `make_queries` draws exactly these terms from a title:
    its k rarest eligible words by the pool's counts, k 2 or 3 at even odds
    (a title with two eligible words gives them for either k)."""
    words = sorted(eligible_words(title, frequency))
    if len(words) < 2:
        return 0.0
    odds = 0.0
    for k in (2, 3):
        picked = " ".join(word for _count, word, _term in words[:k])
        if frozenset(term for _c, _w, term in eligible_words(picked, frequency)) == terms:
            odds += 0.5
    return odds


def generator_ceiling(
    titles: dict[int, str],
    ties: list[set[int]],
    picked: list[frozenset[str]],
    df: list[Counter[str]],
    sought: list[int],
    pool: set[int],
) -> tuple[list[float], list[float]]:
    """For each query, the expected reciprocal rank of the sought article
    under the best ranking that knows the generator exactly: its tied
    titles ordered by the odds that each gave the query's words (with the
    pool's counts, which no ranking has), equal odds at random. First not
    knowing which articles the pool holds (the queries' split), then
    knowing it too. Term level: how the words were typed is not read."""

    def expected(odds: dict[int, float], wanted: int) -> float:
        mine = odds[wanted] or 0.5  # the title as imported may read otherwise
        above = sum(value > mine for value in odds.values())
        equal = sum(value == mine for value in odds.values()) or 1
        return sum(1 / rank for rank in range(above + 1, above + equal + 1) if rank <= TOP) / equal

    blind, knowing = [], []
    for tied, terms, frequency, wanted in zip(ties, picked, df, sought, strict=True):
        odds = {pk: generator_odds(titles.get(pk, ""), terms, frequency) for pk in tied}
        blind.append(expected(odds, wanted))
        knowing.append(
            expected({pk: value if pk in pool else 0.0 for pk, value in odds.items()}, wanted)
        )
    return blind, knowing


def reciprocal_rank(found: list, wanted) -> float:
    return 1 / (found.index(wanted) + 1) if wanted in found[:TOP] else 0.0


def summary(ranks: list[float]) -> str:
    if not ranks:
        return "no queries"
    mrr = statistics.mean(ranks)
    recall = sum(r > 0 for r in ranks) / len(ranks)
    # 95 % interval of the mean over this many queries (normal approximation):
    # how far another sample of queries could land.
    spread = 1.96 * statistics.stdev(ranks) / len(ranks) ** 0.5 if len(ranks) > 1 else 0.0
    # Four places: a target (0.95) is read on the unrounded figure.
    return f"MRR@10 {mrr:.4f} ±{spread:.3f}  recall@10 {recall:.3f}  ({len(ranks)} queries)"


# -- what a title-word query can tell apart ------------------------------------


def title_ties(titles: dict[int, str], queries: list[tuple[str, int]]) -> list[set[int]]:
    """For each (query, sought article's id), the archive's articles
    (`titles`: id → title) that hold every query word in their title
    (analysed as the archive does, a word typed with a clitic letter
    matching either reading), the sought one included.

    The queries come from the sought article's title, so when k articles
    share those title words nothing in the query tells them apart: a story
    followed over days, a dispatch in several papers, an announcement and
    its results under one title. A ranking that orders such ties at random
    scores `tie_reciprocal_rank(k)` on the query; only the titles' other
    words (search.order.ranking), body and length signals can do better.
    """
    from search.language.analysis import WORD, index_terms

    postings: dict[str, set[int]] = {}
    for pk, title in titles.items():
        for word in WORD.findall(title):
            for term in index_terms(word):
                postings.setdefault(term, set()).add(pk)
    ties = []
    for query, n in queries:
        holding: set[int] | None = None
        for word in WORD.findall(query):
            readings = index_terms(word)
            if not readings:
                continue
            with_word = set().union(*(postings.get(term, set()) for term in readings))
            holding = with_word if holding is None else holding & with_word
        ties.append((holding or set()) | {n})
    return ties


def same_titles(titles: dict[int, str], ties: list[set[int]], sought: list[int]) -> list[int]:
    """For each query, how many of its tied articles have the sought
    article's title word for word (as analysed): no ranking that reads
    titles can tell those apart, so ordering them at random, and everything
    else perfectly, gives the best MRR a title-reading ranking can reach."""
    from search.language.analysis import analyze

    def words_of(pk: int) -> frozenset[str]:
        return frozenset(analyze(titles.get(pk, ""), mode="index"))

    return [
        sum(words_of(pk) == words_of(n) for pk in tied)
        for tied, n in zip(ties, sought, strict=True)
    ]


def tie_reciprocal_rank(k: int) -> float:
    """Expected reciprocal rank (cut at TOP) of one of k articles ranked in
    any order."""
    return sum(1 / rank for rank in range(1, min(k, TOP) + 1)) / k


# -- anchors: raw Whoosh over the same articles --------------------------------

_french_stemmer = None


def light_stem(text: str) -> str:
    """Lucene's Arabic light stemmer, or Snowball on folded French."""
    global _french_stemmer
    if re.search("[\u0600-\u06ff]", text):
        return lucene_arabic(text)
    if _french_stemmer is None:
        import Stemmer

        _french_stemmer = Stemmer.Stemmer("french")
    text = re.sub(r"^(?:qu|[ldjmnstc])['’]", "", text)
    return _french_stemmer.stemWord(_unaccented(text))


def light_analyzer():
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter

    return (
        RegexTokenizer(r"\w+(?:['’]\w+)*")
        | LowercaseFilter()
        | StemFilter(stemfn=light_stem, cachesize=100_000)
    )


def anchor(name: str, analyzer, records: list[dict], queries: list[tuple[str, int]], work: Path):
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import QueryParser

    path = work / name.replace(" ", "-")
    path.mkdir()
    schema = Schema(id=ID(stored=True), text=TEXT(analyzer=analyzer))
    ix = index.create_in(str(path), schema)
    writer = ix.writer(limitmb=256)
    for n, record in enumerate(records):
        writer.add_document(id=str(n), text=record["title"] + "\n" + record["body"])
    writer.commit()
    parser = QueryParser("text", schema=ix.schema)
    ranks = {"ar": [], "fr": []}
    with ix.searcher() as searcher:
        for query, n in queries:
            hits = [int(hit["id"]) for hit in searcher.search(parser.parse(query), limit=TOP)]
            ranks[records[n]["language"]].append(reciprocal_rank(hits, n))
    return ranks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--engine", default="whoosh", choices=("whoosh", "postgres"))
    parser.add_argument("--database", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--queries", type=int, default=300, help="per language")
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-anchors", action="store_true")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses")
    parser.add_argument(
        "--no-beat",
        action="store_true",
        help="skip the beat checks (broken plurals, Arabizi, cross-language: bench/beat_checks.py)",
    )
    parser.add_argument(
        "--try",
        dest="tries",
        action="append",
        help="NAME=v1,v2 (repeatable: every combination is tried): values of a setting "
        "of search.engines.whoosh_query (or, with "
        "--engine postgres, search.engines.postgres_engine; ranking.NAME: of "
        "search.order.ranking) to try on one index; "
        "separate values with ; when they hold commas",
    )
    parser.add_argument(
        "--title-boosts",
        help="comma-separated values of the Whoosh engine's TITLE_BOOST to try on the same index",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if len(sizes) > 1:  # one process a size: Django is set up once a process
        argv, skip = [], False
        for arg in sys.argv[1:]:
            if skip or arg.startswith("--sizes"):
                skip = arg == "--sizes"  # its value follows
                continue
            argv.append(arg)
        for size in sizes:
            subprocess.run([sys.executable, __file__, *argv, f"--sizes={size}"], check=True)
        return

    with throwaway_archive(args.engine, args.database, "archive-relevance-") as work:
        run_size(args, sizes[0], work)


def _values(text: str) -> list:
    """Values to try: numbers, or strings (separated by ";" when they hold commas)."""
    values = []
    for value in text.split(";" if ";" in text else ","):
        try:
            number = float(value)
            values.append(int(number) if number.is_integer() and "." not in value else number)
        except ValueError:
            values.append(value)
    return values


def imported_articles(records: list[dict]) -> dict[int, int]:
    """The article each record became (record index → pk), read through the
    import's own cleaning (`extract_record`): a body whose furniture lines,
    spaces or repeated headline the import removed still finds its article.
    Records the import refused as duplicates have none."""
    from archive.ingest.text import extract_record
    from archive.models import Article, Source

    known = list(Source.objects.values_list("name", flat=True))

    def key(title: str, body: str) -> tuple[str, str]:
        return " ".join(title.split()), " ".join(body.split())[:300]

    by_text: dict[tuple[str, str], int] = {}
    for n, record in enumerate(records):
        found = extract_record(record["title"], record["body"], known_sources=known)
        by_text.setdefault(key(found.title, found.body), n)
    article_of: dict[int, int] = {}
    for pk, title, body in Article.objects.values_list("pk", "title", "body").iterator():
        n = by_text.get(key(title, body))
        if n is not None:
            article_of[n] = pk
    return article_of


def run_size(args, size: int, work: Path) -> None:
    from django.core.management import call_command

    from archive.models import Article
    from search.engines.base import engine
    from search.forms import SearchForm
    from search.selectors import article_search_with_fallback, group_wire_copies

    records = read(args.corpus, "ar", size // 2) + read(args.corpus, "fr", size // 2)
    path = work / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    call_command("migrate", verbosity=0)
    call_command("loaddata", "seed_concepts", verbosity=0)  # the thesaurus, as make run
    started = time.perf_counter()
    call_command("import_articles", str(path), verbosity=0)
    imported = Article.objects.count()
    print(
        f"== {size:,} articles ({imported:,} imported in {time.perf_counter() - started:.0f} s, "
        f"engine {args.engine}, split {args.split})",
        flush=True,
    )
    article_of = imported_articles(records)
    print(f"  {len(article_of):,} of {len(records):,} records found in the archive", flush=True)
    rng = random.Random(args.seed)
    candidates = [n for n, r in enumerate(records) if split_of(r) == args.split and n in article_of]
    queries: list[tuple[str, int]] = []
    picked: list[frozenset[str]] = []
    pool_df: list[Counter[str]] = []
    for language in ("ar", "fr"):
        pool = [records[n] for n in candidates if records[n]["language"] == language]
        index_of = [n for n in candidates if records[n]["language"] == language]
        made, frequency = make_queries(pool, args.queries, rng)
        for query, i, terms in made:
            queries.append((query, index_of[i]))
            picked.append(terms)
            pool_df.append(frequency)

    # Title ties: what ranking tied articles at random would score, and the
    # best a ranking reading titles can do (same titles at random).
    titles = dict(Article.objects.values_list("pk", "title"))
    sought = [article_of[n] for _query, n in queries]
    tied_sets = title_ties(titles, [(query, article_of[n]) for query, n in queries])
    tie_of_query = [len(tied) for tied in tied_sets]
    same_of_query = same_titles(titles, tied_sets, sought)
    rarity_of_query = rarity_ties(titles, tied_sets, picked, pool_df)
    pool = {article_of[n] for n in candidates}
    ceiling_blind, ceiling_knowing = generator_ceiling(
        titles, tied_sets, picked, pool_df, sought, pool
    )
    ties: dict[str, list[int]] = {"ar": [], "fr": []}
    same: dict[str, list[int]] = {"ar": [], "fr": []}
    rarity: dict[str, list[int]] = {"ar": [], "fr": []}
    generator: dict[str, tuple[list[float], list[float]]] = {"ar": ([], []), "fr": ([], [])}
    for (_query, n), k, k_same, k_rarity, blind, knowing in zip(
        queries,
        tie_of_query,
        same_of_query,
        rarity_of_query,
        ceiling_blind,
        ceiling_knowing,
        strict=True,
    ):
        ties[records[n]["language"]].append(k)
        same[records[n]["language"]].append(k_same)
        rarity[records[n]["language"]].append(k_rarity)
        generator[records[n]["language"]][0].append(blind)
        generator[records[n]["language"]][1].append(knowing)
    for language in ("ar", "fr"):
        counts = ties[language]
        at_random = statistics.mean(tie_reciprocal_rank(k) for k in counts) if counts else 0.0
        ceiling = statistics.mean(tie_reciprocal_rank(k) for k in same[language]) if counts else 0
        print(
            f"  title ties     {language}  MRR@10 {at_random:.3f} with ties in random order: "
            f"{sum(k > 1 for k in counts)} of {len(counts)} queries' words are in other "
            f"titles too; {sum(k > 1 for k in same[language])} in another title word for word "
            f"(best a title-reading ranking can do: MRR@10 {ceiling:.3f})",
            flush=True,
        )
        by_rarity = statistics.mean(tie_reciprocal_rank(k) for k in rarity[language] or [1])
        print(
            f"  rarity ties    {language}  {sum(k > 1 for k in rarity[language])} queries name "
            "several titles the generator could have drawn them from by its own rarity rule "
            f"(those at random, the rest first: MRR@10 {by_rarity:.3f})",
            flush=True,
        )
        blind, knowing = generator[language]
        print(
            f"  generator      {language}  MRR@10 {statistics.mean(blind or [1]):.3f} ordering "
            "each query's tied titles by the odds that the generator drew the query from them "
            f"(its own rule and counts); {statistics.mean(knowing or [1]):.3f} knowing also "
            "which articles the queries were drawn from",
            flush=True,
        )

    from search.engines import postgres_engine, whoosh_query
    from search.order import ranking

    engine_settings = whoosh_query if args.engine == "whoosh" else postgres_engine
    tries = list(args.tries or [])
    if args.title_boosts:
        tries.append(f"TITLE_BOOST={args.title_boosts}")
    settings = []  # (module, name, values to try)
    for one in tries:
        setting, _, values = one.partition("=")
        module = engine_settings
        if setting.startswith("ranking."):
            module, setting = ranking, setting.removeprefix("ranking.")
        settings.append((module, setting, _values(values)))
    # Every combination of the values tried (one pass when none is).
    for combination in itertools.product(*(values for _m, _s, values in settings)):
        named = [(module, setting) for module, setting, _values_tried in settings]
        for (module, setting), value in zip(named, combination, strict=True):
            setattr(module, setting, value)
        if settings:
            engine().forget()  # a searcher is opened with the scoring settings
            shown = zip(named, combination, strict=True)
            print("  " + ", ".join(f"{setting} {value}" for (_m, setting), value in shown))
        ranks: dict[str, list[float]] = {"ar": [], "fr": []}
        # As the page shows them: a wire copy listed under the copy ranked first.
        rows_ranks: dict[str, list[float]] = {"ar": [], "fr": []}
        started = time.perf_counter()
        for (query, n), tie, by_rarity in zip(queries, tie_of_query, rarity_of_query, strict=True):
            # As the search page reads the box, and searches it (with the
            # fallback when the words as typed find nothing).
            criteria, outcome = article_search_with_fallback(
                SearchForm({"q": query}).criteria(), page=1, per_page=TOP
            )
            found = [article.pk for article in outcome.results]
            rank = reciprocal_rank(found, article_of[n])
            ranks[records[n]["language"]].append(rank)
            rows = group_wire_copies(criteria, outcome)
            row_of = {o.pk: i for i, (a, others) in enumerate(rows) for o in (a, *others)}
            rows_ranks[records[n]["language"]].append(
                1 / (row_of[article_of[n]] + 1) if article_of[n] in row_of else 0.0
            )
            if rank < 1 and args.misses > 0:
                args.misses -= 1
                print(
                    f"    miss ({rank:.2f}, {outcome.hits} hits, {tie} titles, {by_rarity} by "
                    f"rarity): {query!r} "
                    f"for {records[n]['title']!r}"
                )
                for article in outcome.results[:3]:  # what ranked above it
                    if article.pk != article_of[n]:
                        print(f"      above: {article.title!r}")
        elapsed = (time.perf_counter() - started) * 1000 / max(1, len(queries))
        for language in ("ar", "fr"):
            print(f"  archive        {language}  {summary(ranks[language])}")
        for language in ("ar", "fr"):
            print(f"  archive, rows  {language}  {summary(rows_ranks[language])}")
        for language in ("ar", "fr"):
            tied = [r for r, k in zip(ranks[language], ties[language], strict=True) if k > 1]
            print(f"  archive, title ties  {language}  {summary(tied)}")
        for language in ("ar", "fr"):
            alone = [r for r, k in zip(ranks[language], ties[language], strict=True) if k == 1]
            print(f"  archive, title unique  {language}  {summary(alone)}")
        print(f"  ({elapsed:.1f} ms a query through article_search)", flush=True)
    if not args.no_anchors:
        from whoosh.analysis import StandardAnalyzer

        for name, analyzer in (
            ("raw whoosh", StandardAnalyzer()),
            ("lucene light", light_analyzer()),
        ):
            anchor_ranks = anchor(name, analyzer, records, queries, work)
            for language in ("ar", "fr"):
                print(f"  {name:14} {language}  {summary(anchor_ranks[language])}")
    examples = rng.sample(queries, min(6, len(queries)))
    print("  examples: " + " | ".join(q for q, _n in examples), flush=True)
    if not args.no_beat:
        beat_checks.cross_language(records)
        texts = beat_checks.arabic_words(
            Article.objects.filter(language="ar").values_list("pk", "title", "body")
        )
        beat_checks.broken_plurals(texts)
        beat_checks.false_merges()
        beat_checks.arabizi(args.corpus, work)  # imports the Darija set: last


if __name__ == "__main__":
    main()
