"""Cross-language beat queries: does a query typed in one language find
articles of the other language in the top 10 (through the thesaurus)?

Usage (from the project root, after `make install`):

    .venv/bin/python bench/cross_language.py ../shared/corpus [--articles 20000] [--show]
        [--engine postgres --database postgres://…]

Judged on a 20,000-article run (`--show`), by reading title and lead:
relevant means about the concept searched (refugees, asylum, smuggling…),
not merely sharing a word. Imports half Arabic (SaudiNewsNet), half French (OrangeSum) articles with
the seed thesaurus, runs each query of bench/data/cross_language_queries.json
through `article_search`, and counts the queries with at least one judged
relevant article of the *other* language among the first 10 hits. Judgments
(`relevant`: corpus ids judged by reading title and lead) were made on the
--show listing of a 20,000-article run; a hit not judged counts as not
relevant, so a new run can only be pessimistic.

Takes about 5 minutes at 20,000 articles (the import is most of it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import read, throwaway_archive  # noqa: E402

QUERIES = Path(__file__).resolve().parent / "data" / "cross_language_queries.json"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--show", action="store_true", help="list the hits, for judging")
    parser.add_argument("--engine", default="whoosh", choices=("whoosh", "postgres"))
    parser.add_argument("--database", help="PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()

    with throwaway_archive(args.engine, args.database, "archive-crosslang-") as work:
        run(args, work)


def run(args, work: Path) -> None:
    from django.core.management import call_command

    records = read(args.corpus, "ar", args.articles // 2) + read(
        args.corpus, "fr", args.articles // 2
    )
    path = work / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    call_command("migrate", verbosity=0)
    call_command("loaddata", "seed_concepts", verbosity=0)
    call_command("import_articles", str(path), verbosity=0)
    corpus_id = corpus_ids(records)
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    served = sum(judge(item, corpus_id, line=True, show=args.show) for item in queries)
    print(
        f"{served} of {len(queries)} queries ({served / max(1, len(queries)):.0%}) find a judged "
        f"relevant article of the other language in the top 10 ({len(records):,} articles)"
    )


def corpus_ids(records: list[dict]) -> dict[int, str | None]:
    """{article id: corpus id} by title and lead (the import cleans bodies),
    else by a title no other record has."""
    from archive.models import Article

    by_text = {(r["title"].strip(), r["body"][:200].strip()): r["id"] for r in records}
    titles: dict[str, list[str]] = {}
    for record in records:
        titles.setdefault(record["title"].strip(), []).append(record["id"])
    unique_title = {title: ids[0] for title, ids in titles.items() if len(ids) == 1}
    return {
        pk: by_text.get((title.strip(), body[:200].strip())) or unique_title.get(title.strip())
        for pk, title, body in Article.objects.values_list("pk", "title", "body").iterator()
    }


def judge(
    item: dict, corpus_id: dict[int, str | None], *, line: bool = False, show: bool = False
) -> bool:
    """Whether a judged relevant article of the other language is among the
    query's first 10 hits (searched through the search form, as typed);
    `line` prints the query's counts, `show` its other-language hits."""
    from search.forms import SearchForm
    from search.selectors import article_search

    criteria = SearchForm({"q": item["query"]}).criteria()
    outcome = article_search(criteria, page=1, per_page=10)
    other = [a for a in outcome.results if a.language != item["language"]]
    relevant = [a for a in other if corpus_id.get(a.pk) in set(item.get("relevant", []))]
    if line or show:
        print(
            f"{item['query']!r} ({item['language']}): {outcome.hits} hits, "
            f"{len(other)} of the other language in the top 10, {len(relevant)} judged relevant"
        )
    if show:
        for article in other:
            print(f"    {corpus_id.get(article.pk)}  {article.title[:100]}")
    return bool(relevant)


if __name__ == "__main__":
    main()
