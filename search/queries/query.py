"""The search box's query language, parsed into the engine-neutral query tree
(`search.query_tree`; pure Python, no engine).

Supported, in either script::

    migration Espagne          all words must match (ranked by relevance)
    "migration irrégulière"    exact phrase (after analysis: any inflection)
    Tanger OR Tétouan          either
    NOT Espagne, -Espagne      exclude
    (Rabat OR Paris) migration grouping
    title:frontières           in the title; title:"mineurs non accompagnés"
    lang:ar  source:hespress  entity:abdelouafi-laftit
    date:2023  date:2020..2023  date:2023-01-01..2023-06-30
    migr*                      words starting with "migr"

A query that cannot be parsed (unbalanced quote or parenthesis, a lone
operator, an unknown field) is searched as its plain words, with a note;
a very long query is cut, with a note. No input raises.

>>> str(parse_query('"الهجرة غير النظامية" OR -Espagne').tree)
'OR(text:"الهجرة غير النظامية", NOT(text:Espagne))'
>>> str(parse_query('police -Paris').tree)
'AND(text:police, NOT(text:Paris))'
>>> parse_query('(Rabat OR').notes
('syntax',)
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from search.language.analysis import (
    DEFINITE_PREFIXES,
    TOKEN_PATTERN,
    index_terms,
    normalize_word,
)
from search.query_tree import (
    ARABIZI,
    CLITIC,
    CONCEPT,
    ENTITY,
    DateRange,
    Keyword,
    Node,
    Not,
    Phrase,
    Prefix,
    Widened,
    Word,
    all_of,
    any_of,
    widenings,
)

# A widening of the tree (search.queries.widenings): what the parser's tree becomes.
Expander = Callable[[Node], Node]

MAX_QUERY_LENGTH = 500
EARLIEST_YEAR = 1900  # an open "until" date starts here
MAX_CLAUSES = 40
# A prefix shorter than this (after normalisation) matches a large part of
# the vocabulary: it is searched as a whole word instead, with a note.
MIN_PREFIX_LENGTH = 2

# Query field name -> (index field, kind).
FIELDS = {
    "lang": ("language", "keyword"),
    "language": ("language", "keyword"),
    "source": ("source", "keyword"),
    "entity": ("entities", "keyword"),
    "title": ("title", "text"),
    "author": ("author", "text"),
    "date": ("day", "date"),
}
OPERATORS = {"AND", "OR", "NOT"}

_WORD = re.compile(TOKEN_PATTERN)
_KEYWORD_VALUE = re.compile(r"^[\w-]+$")
_DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?$")
_LEXER = re.compile(
    r"""
    (?P<phrase>"[^"]*")
  | (?P<open>\()
  | (?P<close>\))
  | (?P<field>[A-Za-z]+):(?=\S)
  | (?P<minus>-(?=[^\s-]))
  | (?P<quote>")
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


class QuerySyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed search box entry.

    tree: the query tree (None when nothing searchable is left), widened
      by the expanders it was parsed with (search.queries.widenings);
    terms: the positive words and phrases, for highlighting and suggestions;
    notes: what the page should tell the user: "syntax" (searched as plain
      words), "truncated", "unknown_field", "bad_value";
    raw: the (possibly truncated) text as typed;
    fallback: the same query with the fallback's widenings (an Arabic word's
      first letter also read as a clitic the analyzer refuses: بسر, وزار),
      what the page searches when the query finds nothing as typed; None
      when the fallback would change nothing.

    What was widened is read from the tree's `Widened` nodes, one place for
    the page, highlighting, saved searches, feeds and exports.
    """

    tree: Node | None
    terms: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    raw: str = ""
    fallback: ParsedQuery | None = None

    def __bool__(self) -> bool:
        return self.tree is not None

    def widened(self, kind: str) -> list[Widened]:
        """The tree's widenings of this kind, in the order they were typed."""
        return [node for node in widenings(self.tree) if node.kind == kind]

    @property
    def expansions(self) -> tuple[tuple[str, str], ...]:
        """(words as typed, entity slug): widened to every article mentioning it."""
        return tuple((node.typed, node.value[0]) for node in self.widened(ENTITY))

    @property
    def concepts(self) -> tuple[tuple[str, str], ...]:
        """(words as typed, concept slug): widened to the concept's other terms."""
        return tuple((node.typed, node.value[0]) for node in self.widened(CONCEPT))

    @property
    def transliterations(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(word as typed, Arabic spellings) of the Arabizi words."""
        return tuple((node.typed, node.value) for node in self.widened(ARABIZI))

    @property
    def clitics(self) -> tuple[tuple[str, str], ...]:
        """(word as typed, the word without its first letter), in a fallback."""
        return tuple((node.typed, node.value[0]) for node in self.widened(CLITIC))


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _LEXER.finditer(text):
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "quote":
            raise QuerySyntaxError("unbalanced quote")
        if kind == "word" and value in OPERATORS:
            kind = "op"
        tokens.append((kind, value))
    return tokens


def _words(text: str) -> list[str]:
    """The searchable words of a fragment (punctuation dropped)."""
    return _WORD.findall(text)


def valid_keyword(value: str) -> bool:
    """A keyword field's value as the index holds them (a slug, a code)."""
    return bool(_KEYWORD_VALUE.match(value))


def _word_node(text: str, field: str = "text") -> Node | None:
    """One user 'word' (which may hold punctuation, e.g. Rabat-Paris): a word,
    a prefix (migr*), or the phrase of its parts."""
    prefix = text.endswith("*") and len(text) > 1
    words = _words(text)
    if not words:
        return None
    if prefix and len(words) == 1 and "'" not in words[0]:
        return _prefix_node(words[0], field) or Word(words[0], field)
    if len(words) == 1:
        return Word(words[0], field)
    return Phrase(tuple(words), field)


def _prefix_node(word: str, field: str) -> Prefix | None:
    """A prefix search on stems: normalised, without a leading Arabic article."""
    stem = normalize_word(word)
    for article in DEFINITE_PREFIXES:
        if stem.startswith(article) and len(stem) - len(article) >= 2:
            stem = stem[len(article) :]
            break
    # Stemmed like a whole word, so that a full word followed by * finds it
    # ("zorbaa*" finds zorbaa, indexed as the stem zorba).
    stem = next(iter(index_terms(stem, False)), stem)
    if len(stem) < MIN_PREFIX_LENGTH:
        return None
    return Prefix(stem, field)


def phrase_node(text: str, field: str = "text") -> Node | None:
    words = _words(text.strip('"'))
    if not words:
        return None
    return Phrase(tuple(words), field) if len(words) > 1 else Word(words[0], field)


class _Parser:
    """The tree of what was typed (widenings come after: search.queries.widenings)."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.position = 0
        self.terms: list[str] = []
        self.notes: set[str] = set()
        self.clauses = 0

    def _words_noting_prefixes(self, value: str, field: str = "text") -> Node | None:
        node = _word_node(value, field)
        if value.endswith("*") and node is not None and not isinstance(node, Prefix):
            self.notes.add("short_prefix")
        return node

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node | None:
        result = self.or_expr()
        extra = self.peek()
        if extra is not None:
            raise QuerySyntaxError("unexpected " + extra[1])
        return result

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while self.peek() == ("op", "OR"):
            self.take()
            parts.append(self.and_expr())
        present = [part for part in parts if part is not None]
        if len(present) < len(parts):
            if len(parts) > 1:
                raise QuerySyntaxError("OR needs something on both sides")
            return None
        return any_of(present)

    def and_expr(self) -> Node | None:
        positive: list[Node] = []
        negative: list[Node] = []
        while True:
            token = self.peek()
            if token is None or token[0] == "close" or token == ("op", "OR"):
                break
            if token == ("op", "AND"):
                self.take()
                after = self.peek()
                if not (positive or negative) or after is None or after[0] == "close":
                    raise QuerySyntaxError("AND needs something on both sides")
                continue
            negated, part = self.unary()
            if part is not None:
                (negative if negated else positive).append(part)
        if negative:
            excluded = any_of(negative)
            return all_of([*positive, Not(excluded)] if excluded is not None else positive)
        return all_of(positive)

    def unary(self) -> tuple[bool, Node | None]:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError("a term is missing")
        if token[0] == "minus" or token == ("op", "NOT"):
            self.take()
            after = self.peek()
            if after is None or after[0] in ("close", "op"):
                raise QuerySyntaxError("NOT needs a term")
            return True, self.primary(negated=True)
        return False, self.primary()

    def primary(self, negated: bool = False) -> Node | None:
        kind, value = self.take()
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            self.notes.add("truncated")
            return None
        if kind == "open":
            inner = self.or_expr()
            after = self.peek()
            if after is None or after[0] != "close":
                raise QuerySyntaxError("unbalanced parenthesis")
            self.take()
            return inner
        if kind == "close":
            raise QuerySyntaxError("unbalanced parenthesis")
        if kind == "phrase":
            rendered = phrase_node(value)
            if rendered and not negated:
                self.terms.append(value.strip('"'))
            return rendered
        if kind == "field":
            return self.field(value.lower(), negated)
        if kind == "op":
            raise QuerySyntaxError(f"lone {value}")
        rendered = self._words_noting_prefixes(value)
        if rendered and not negated:
            self.terms.append(value)
        return rendered

    def field(self, name: str, negated: bool) -> Node | None:
        if self.peek() is None:
            raise QuerySyntaxError("field without value")
        kind, value = self.take()
        if name not in FIELDS:
            # title-like words the user meant literally, e.g. "COVID:19" or "Paris:".
            self.notes.add("unknown_field")
            rendered = _word_node(f"{name} {value.strip(chr(34))}")
            if rendered and not negated:
                self.terms.append(f"{name} {value}")
            return rendered
        index_field, field_kind = FIELDS[name]
        if kind not in ("word", "phrase"):
            raise QuerySyntaxError(f"{name}: needs a value")
        if field_kind == "text":
            rendered = (
                phrase_node(value, index_field)
                if kind == "phrase"
                else self._words_noting_prefixes(value, index_field)
            )
            if rendered is None:
                return None
            if not negated:
                self.terms.append(value.strip('"'))
            return rendered
        if field_kind == "keyword":
            slug = value.strip('"').lower()
            if not _KEYWORD_VALUE.match(slug):
                self.notes.add("bad_value")
                return None
            return Keyword(index_field, slug)
        return self.date_range(value.strip('"'))

    def date_range(self, value: str) -> Node | None:
        start_text, _, end_text = value.partition("..")
        start = _parse_date(start_text, end=False)
        end = _parse_date(end_text or start_text, end=True)
        if start is None or end is None or start > end:
            self.notes.add("bad_value")
            return None
        return DateRange(start, end)


def date_range(start: datetime.date | None, end: datetime.date | None) -> DateRange:
    """Publication dates from start to end, either open."""
    return DateRange(
        start or datetime.date(EARLIEST_YEAR, 1, 1),
        end or datetime.date(datetime.datetime.now(tz=datetime.UTC).year + 1, 12, 31),
    )


def _parse_date(text: str, *, end: bool) -> datetime.date | None:
    match = _DATE_VALUE.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if month is None:
            return datetime.date(int(year), 12, 31) if end else datetime.date(int(year), 1, 1)
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_query(
    raw: str | None,
    *,
    expanders: Sequence[Expander] = (),
    fallback: Sequence[Expander] = (),
) -> ParsedQuery:
    """Parse what was typed in the search box; never raises.

    The tree is widened by `expanders` (search.queries.widenings: entity names, the
    thesaurus, Arabizi), in order. With `fallback` expanders (the clitic
    readings), the result carries the query to search when it finds nothing
    as typed (`ParsedQuery.fallback`), if they change anything.

    >>> str(parse_query("lang:fr migrants").tree)
    "AND(language='fr', text:migrants)"
    """
    text = " ".join((raw or "").split())
    notes: list[str] = []
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        notes.append("truncated")
    if not text:
        return ParsedQuery(tree=None, raw=text, notes=tuple(notes))
    try:
        tokens = _tokens(text)
        parser = _Parser(tokens)
        tree = parser.parse()
        notes.extend(sorted(parser.notes))
        terms = tuple(parser.terms)
    except QuerySyntaxError:
        words = [w for w in _words(text) if w not in OPERATORS][:MAX_CLAUSES]
        tree = all_of([Word(w) for w in words])
        terms = tuple(words)
        notes.append("syntax")
    for expander in expanders:
        tree = expander(tree) if tree is not None else None
    parsed = ParsedQuery(tree=tree, terms=terms, notes=tuple(notes), raw=text)
    if fallback and tree is not None:
        wider = tree
        for expander in fallback:
            wider = expander(wider)
        if wider != tree:
            parsed = replace(parsed, fallback=replace(parsed, tree=wider))
    return parsed
