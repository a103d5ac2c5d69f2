"""The engine-neutral query tree: what the search box asked for.

`search.queries.query` parses the query language into these nodes; each engine
compiles them (`search.engines.whoosh_query`, `search.engines.postgres_query`,
`search.engines.opensearch`). Text leaves hold words as typed: every engine
analyses them with `search.language.analysis`, so all engines search the same terms.

Fields of text leaves: "text" (title, author and body), "title" or "author".
Keyword fields: "language", "source", "entities", "year".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

TEXT = "text"
TITLE = "title"
AUTHOR = "author"
TEXT_FIELDS = (TEXT, TITLE, AUTHOR)
KEYWORD_FIELDS = ("language", "source", "entities", "year")
# What a widening widened (search.queries.widenings): the kinds of `Widened` nodes.
ENTITY, CONCEPT, ARABIZI, CLITIC = "entity", "concept", "arabizi", "clitic"


@dataclass(frozen=True)
class Word:
    """One word as typed (a run of TOKEN_PATTERN), analysed by the engine."""

    text: str
    field: str = TEXT

    def __str__(self) -> str:
        return f"{self.field}:{self.text}"


@dataclass(frozen=True)
class Phrase:
    """Words in this order, next to each other once stop words are removed."""

    words: tuple[str, ...]
    field: str = TEXT

    def __str__(self) -> str:
        return f'{self.field}:"{" ".join(self.words)}"'


@dataclass(frozen=True)
class Prefix:
    """Index terms beginning with `stem` (already normalised, no article)."""

    stem: str
    field: str = TEXT

    def __str__(self) -> str:
        return f"{self.field}:{self.stem}*"


@dataclass(frozen=True)
class Term:
    """An index term as the analyzer wrote it (no further analysis)."""

    term: str
    field: str = TEXT

    def __str__(self) -> str:
        return f"{self.field}:={self.term}"


@dataclass(frozen=True)
class Keyword:
    """An exact value of a keyword field (a language code, a slug, a year)."""

    field: str
    value: str

    def __str__(self) -> str:
        return f"{self.field}='{self.value}'"


@dataclass(frozen=True)
class DateRange:
    """Publication dates from start to end, both included."""

    start: datetime.date
    end: datetime.date

    def __str__(self) -> str:
        return f"date:{self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"


@dataclass(frozen=True)
class AddedAfter:
    """Articles added to the archive after this moment (epoch seconds): what
    is new for a saved search or an alert, whatever its publication date."""

    timestamp: int

    def __str__(self) -> str:
        return f"added>{self.timestamp}"


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]

    def __str__(self) -> str:
        return "AND(" + ", ".join(map(str, self.items)) + ")"


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]

    def __str__(self) -> str:
        return "OR(" + ", ".join(map(str, self.items)) + ")"


@dataclass(frozen=True)
class Widened(Or):
    """An Or that a widening of the query made (search.queries.widenings): its first
    item is what was typed, the others what was also searched. Engines
    compile it as the Or it is; the page, highlighting, saved searches and
    exports read what was widened from these nodes (`widenings`).

    kind: "entity", "concept", "arabizi" or "clitic"; typed: the words as
    typed; value: the entity's or concept's slug, the Arabic spellings, or
    the word read without its first letter."""

    kind: str = ""
    typed: str = ""
    value: tuple[str, ...] = ()


@dataclass(frozen=True)
class Not:
    item: Node

    def __str__(self) -> str:
        return f"NOT({self.item})"


Node = Word | Phrase | Prefix | Term | Keyword | DateRange | AddedAfter | And | Or | Not
TextLeaf = Word | Phrase | Prefix | Term


def widenings(node: Node | None) -> Iterator[Widened]:
    """The widened nodes of a tree, innermost and leftmost first (the order
    in which they were typed; a widening of the whole query comes last)."""
    if isinstance(node, And | Or):
        for item in node.items:
            yield from widenings(item)
        if isinstance(node, Widened):
            yield node
    elif isinstance(node, Not):
        yield from widenings(node.item)


def all_of(items: Sequence[Node]) -> Node | None:
    """And of the items (the item itself when alone; None when there are none)."""
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def any_of(items: Sequence[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else Or(tuple(items))


def positive_leaves(node: Node | None) -> Iterator[TextLeaf]:
    """The text leaves that are not excluded (for ranking and highlighting)."""
    if node is None or isinstance(node, Not):
        return
    if isinstance(node, And | Or):
        for item in node.items:
            yield from positive_leaves(item)
    elif isinstance(node, Word | Phrase | Prefix | Term):
        yield node


def split_and(node: Node) -> tuple[list[Node], list[Node]]:
    """An And's included and excluded items (excluded: the insides of its Nots)."""
    items = node.items if isinstance(node, And) else (node,)
    included: list[Node] = [item for item in items if not isinstance(item, Not)]
    excluded = [item.item for item in items if isinstance(item, Not)]
    return included, excluded


def in_titles(node: Node) -> Node:
    """The same query with its words required in titles (exclusions unchanged):
    its matches are a subset of the query's. For ranking very broad queries.

    >>> str(in_titles(And((Word("migration"), Not(Word("Espagne")), Keyword("language", "fr")))))
    "AND(title:migration, NOT(text:Espagne), language='fr')"
    """
    if isinstance(node, Word | Phrase | Prefix | Term):
        return replace(node, field=TITLE)
    if isinstance(node, And | Or):
        return type(node)(tuple(in_titles(item) for item in node.items))
    return node  # keywords, dates, and the insides of Not
