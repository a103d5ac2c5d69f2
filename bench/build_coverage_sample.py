"""Write tests/data/coverage_french.json: the French side of the
cross-language coverage sample, taken from the shared corpus.

tests/data/coverage_arabic.json holds Arabic articles written for the
sample, each naming the real French articles (OrangeSum) that report the same
event. This script copies from the corpus, with their first EXCERPT
characters (the facts the Arabic articles were written from):

- every French article named in `covers` or `also`;
- distractors: French articles published within WINDOW days of an Arabic
  article that mention one of its register entities (the articles a pairing
  could confuse with the right one), at most PER_ARTICLE per Arabic article,
  those sharing the most entities first.

Usage: .venv/bin/python bench/build_coverage_sample.py ../shared/corpus

Takes a few seconds (writes the sample; run only to change it).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.entities.linking import AliasLinker  # noqa: E402

EXCERPT = 1500
WINDOW = 3
PER_ARTICLE = 10


def register_linker() -> AliasLinker:
    fixture = json.loads((ROOT / "fixtures" / "seed_entities.json").read_text())
    aliases = {
        row["fields"]["alias"]: row["fields"]["entity"]
        for row in fixture
        if row["model"] == "archive.entityalias"
    }
    return AliasLinker(aliases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args()
    arabic = json.loads((ROOT / "tests/data/coverage_arabic.json").read_text())["articles"]
    named = {pk for article in arabic for pk in article["covers"] + article["also"]}
    linker = register_linker()
    wanted = [
        (
            article,
            datetime.date.fromisoformat(article["date"]),
            set(linker.count(f"{article['title']}\n{article['body']}")),
        )
        for article in arabic
    ]
    chosen: dict[str, dict] = {}
    near: dict[str, list[tuple[int, str]]] = {article["id"]: [] for article in arabic}
    records: dict[str, dict] = {}
    with gzip.open(args.corpus / "fr_orangesum.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if not record["date"]:
                continue
            date = datetime.date.fromisoformat(record["date"])
            excerpt = {
                "id": record["id"],
                "date": record["date"],
                "title": record["title"],
                "body": record["body"][:EXCERPT],
            }
            if record["id"] in named:
                chosen[record["id"]] = excerpt
                continue
            for article, day, entities in wanted:
                if abs((date - day).days) <= WINDOW and entities:
                    shared = entities & set(linker.count(f"{excerpt['title']}\n{excerpt['body']}"))
                    if shared:
                        near[article["id"]].append((len(shared), record["id"]))
                        records[record["id"]] = excerpt
    for candidates in near.values():
        for _shared, pk in sorted(candidates, key=lambda item: (-item[0], item[1]))[:PER_ARTICLE]:
            chosen.setdefault(pk, records[pk])
    missing = named - chosen.keys()
    if missing:
        sys.exit(f"not in the corpus: {sorted(missing)}")
    out = ROOT / "tests/data/coverage_french.json"
    articles = sorted(chosen.values(), key=lambda a: a["id"])
    out.write_text(json.dumps({"articles": articles}, ensure_ascii=False, indent=0) + "\n")
    print(f"{len(articles)} French articles ({len(named)} named) -> {out}")


if __name__ == "__main__":
    main()
