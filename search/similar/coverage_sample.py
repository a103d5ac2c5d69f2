"""The labelled cross-language coverage sample (tests/data/coverage_*.json),
and how a pairing is judged on it: shared by the tests and
bench/coverage_bench.py so both count the same way."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from archive.models import Article, Source
from archive.services import article_create

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"


@dataclass
class Judgement:
    proposed: int = 0
    correct: int = 0
    acceptable: int = 0  # another step of the same story: neither right nor wrong
    expected: int = 0  # Arabic articles with coverage in the sample
    found: int = 0  # ... of which at least one right article was proposed
    wrong: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        judged = self.proposed - self.acceptable
        return self.correct / judged if judged else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def load_sample(extra_french: Sequence[dict] = ()) -> tuple[dict[str, Article], list[dict]]:
    """Save the sample's articles through the write path (entities linked,
    indexed); {sample id: article} and the labelled Arabic records."""
    arabic = json.loads((DATA / "coverage_arabic.json").read_text(encoding="utf-8"))["articles"]
    french = json.loads((DATA / "coverage_french.json").read_text(encoding="utf-8"))["articles"]
    sources = {
        language: Source.objects.get_or_create(
            slug=slug, defaults={"name": name, "language": language}
        )[0]
        for language, slug, name in (
            ("ar", "sample-ar", "Sample (ar)"),
            ("fr", "orange-actu", "Orange Actu"),
        )
    }
    saved: dict[str, Article] = {}
    seen = set()
    for language, records in (("fr", [*french, *extra_french]), ("ar", arabic)):
        for record in records:
            if record["id"] in seen:
                continue
            seen.add(record["id"])
            try:
                saved[record["id"]] = article_create(
                    title=record["title"],
                    body=record["body"],
                    language=language,
                    source=sources[language],
                    published_at=datetime.date.fromisoformat(record["date"]),
                )
            except ValidationError:  # the corpus holds some republished articles
                continue
    return saved, arabic


def judge(saved: dict[str, Article], arabic: list[dict], pairs) -> Judgement:
    """Score the pairing `pairs(article) -> [paired article ids]` from the
    Arabic side, where the labels are."""
    sample_id = {article.pk: key for key, article in saved.items()}
    result = Judgement()
    for record in arabic:
        proposed = [sample_id.get(pk, str(pk)) for pk in pairs(saved[record["id"]])]
        right = set(record["covers"])
        result.expected += bool(right)
        result.found += bool(right & set(proposed))
        for key in proposed:
            result.proposed += 1
            if key in right:
                result.correct += 1
            elif key in record["also"]:
                result.acceptable += 1
            else:
                result.wrong.append((record["id"], key))
    return result
