"""What extraction finds in a document, before it becomes an Article."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class Extracted:
    """Title, text and metadata found in one page or text.

    Empty strings and None mean "not stated"; the upload form's defaults and
    the language detector fill them in later.
    """

    title: str = ""
    body: str = ""
    source: str = ""
    author: str = ""
    published_at: datetime.date | None = None
    url: str = ""
    language: str = ""
    notes: list[str] = field(default_factory=list)
