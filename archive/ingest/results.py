"""What became of each document: created, duplicate or refused, with the
article (created, or the one it copies) and a reason a reader can act on."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.models import Article

CREATED, DUPLICATE, REFUSED = "created", "duplicate", "refused"
STATUSES = (CREATED, DUPLICATE, REFUSED)


@dataclass
class IngestResult:
    name: str
    status: str
    article: Article | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    def as_row(self) -> dict:
        """As the results table and a job's stored results show it."""
        return {
            "name": self.name,
            "status": self.status,
            "reason": self.reason,
            "article": self.article.pk if self.article else None,
            "title": self.article.title if self.article else "",
        }


class IngestStopped(RuntimeError):
    """An ingest stopped after a committed batch that search could not follow
    (`archive.signals.FollowerFailed`): `results` are those of every document
    settled so far (saved and kept); the documents after them were not read."""

    def __init__(self, results: list[IngestResult], reason: str) -> None:
        super().__init__(reason)
        self.results = results
        self.reason = reason


def counts(results) -> dict[str, int]:
    return {status: sum(r.status == status for r in results) for status in STATUSES}
