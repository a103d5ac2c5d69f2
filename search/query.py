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
from collections.abc import Callable
from dataclasses import dataclass, replace

from search.analysis import (
    DEFINITE_PREFIXES,
    TOKEN_PATTERN,
    analyze,
    clitic_rest,
    index_terms,
    normalize_word,
)
from search.query_tree import (
    And,
    DateRange,
    Keyword,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Word,
    all_of,
    any_of,
)

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


# Maps words as typed to the slug of the entity they name, or None.
Expander = Callable[[str], "str | None"]
# Maps words as typed to (the slug of the thesaurus concept they are a term
# of, every term of that concept), or None (search.concepts).
ConceptLookup = Callable[[str], "tuple[str, tuple[str, ...]] | None"]
# Maps an Arabizi word (l7rig) to the Arabic spellings of it to search too,
# or () (search.arabizi).
Transliterator = Callable[[str], "tuple[str, ...]"]
# Unquoted words looked up together as one concept term, at most.
MAX_CONCEPT_WORDS = 5


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed search box entry.

    tree: the query tree (None when nothing searchable is left);
    terms: the positive words and phrases, for highlighting and suggestions;
    notes: what the page should tell the user: "syntax" (searched as plain
      words), "truncated", "unknown_field", "bad_value";
    raw: the (possibly truncated) text as typed.
    """

    tree: Node | None
    terms: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    raw: str = ""
    # (words as typed, entity slug) for terms that name an entity and were
    # widened to every article mentioning it, in any script.
    expansions: tuple[tuple[str, str], ...] = ()
    # (words as typed, concept slug) for unquoted words that are a term of a
    # thesaurus concept and were widened to its other terms, in any language.
    concepts: tuple[tuple[str, str], ...] = ()
    # (word as typed, Arabic spellings) for Arabizi words also searched in
    # Arabic letters.
    transliterations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The same query with each Arabic word whose first letter may be a
    # clitic the analyzer refuses (بسر, وزار) also searched without it: what
    # the page searches when the query finds nothing as typed.
    fallback: ParsedQuery | None = None
    # (word as typed, word without its first letter), in a fallback.
    clitics: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return self.tree is not None


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


def _phrase_node(text: str, field: str = "text") -> Node | None:
    words = _words(text.strip('"'))
    if not words:
        return None
    return Phrase(tuple(words), field) if len(words) > 1 else Word(words[0], field)


class _Parser:
    def __init__(
        self,
        tokens: list[tuple[str, str]],
        expand: Expander | None = None,
        concepts: ConceptLookup | None = None,
        transliterate: Transliterator | None = None,
    ):
        self.tokens = tokens
        self.expand = expand
        self.concepts = concepts
        self.transliterate = transliterate
        self.transliterations: list[tuple[str, tuple[str, ...]]] = []
        self.expansions: list[tuple[str, str]] = []
        self.concept_expansions: list[tuple[str, str]] = []
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
            concept_words = self.concept_words()
            if concept_words is not None:
                positive.append(concept_words)
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
            rendered = _phrase_node(value)
            if rendered and not negated:
                self.terms.append(value.strip('"'))
                rendered = self.widen(value.strip('"'), rendered)
            return rendered
        if kind == "field":
            return self.field(value.lower(), negated)
        if kind == "op":
            raise QuerySyntaxError(f"lone {value}")
        rendered = self._words_noting_prefixes(value)
        if rendered and not negated:
            self.terms.append(value)
            if not value.endswith("*"):
                widened = self.widen_to_concept(value, self.widen(value, rendered))
                if widened is rendered:
                    widened = self.widen_to_arabic(value, rendered)
                rendered = widened
        return rendered

    def widen_to_arabic(self, word: str, rendered: Node) -> Node:
        """An Arabizi word (l7rig) also finds its Arabic spellings (الحريك)."""
        spellings = self.transliterate(word) if self.transliterate else ()
        if not spellings:
            return rendered
        self.transliterations.append((word, spellings))
        return Or((rendered, *(Word(spelling) for spelling in spellings)))

    def concept_words(self) -> Node | None:
        """Two or more unquoted words ahead that together are a thesaurus
        term ("migration irrégulière"), longest first: taken as one clause
        (all the words, as typed) widened to the concept's other terms.
        Single words are widened where they are parsed (`primary`)."""
        if self.concepts is None:
            return None
        run: list[str] = []
        for kind, value in self.tokens[self.position : self.position + MAX_CONCEPT_WORDS]:
            if kind != "word" or value in OPERATORS or value.endswith("*"):
                break
            run.append(value)
        for size in range(len(run), 1, -1):
            words = " ".join(run[:size])
            found = self.concepts(words)
            if found is None:
                continue
            typed = all_of([node for w in run[:size] if (node := _word_node(w)) is not None])
            if typed is None:
                return None
            self.position += size
            self.clauses += 1
            self.terms.append(words)
            return self.widen_to_concept(words, typed, found)
        return None

    def widen_to_concept(
        self, words: str, rendered: Node, found: tuple[str, tuple[str, ...]] | None = None
    ) -> Node:
        """Words that are a thesaurus term also find the concept's other
        terms, each searched as a phrase (any inflection)."""
        if found is None and self.concepts is not None:
            found = self.concepts(words)
        if found is None:
            return rendered
        slug, terms = found
        typed = tuple(analyze(words))
        others: dict[tuple[str, ...], Node] = {}
        for term in terms:
            key = tuple(analyze(term))
            node = _phrase_node(term)
            if key and key != typed and node is not None:
                others.setdefault(key, node)
        if not others:
            return rendered
        self.concept_expansions.append((words, slug))
        return Or((rendered, *others.values()))

    def widen(self, words: str, rendered: Node) -> Node:
        """Words that name an entity also find every article that mentions it."""
        slug = self.expand(words) if self.expand else None
        if not slug or not _KEYWORD_VALUE.match(slug):
            return rendered
        self.expansions.append((words, slug))
        return Or((rendered, Keyword("entities", slug)))

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
                _phrase_node(value, index_field)
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


def _with_clitics_read(tree: Node) -> tuple[Node, list[tuple[str, str]]]:
    """The tree with each plain word that has a refused clitic reading
    (`clitic_rest`) widened to the word without its first letter; phrases,
    field queries and exclusions stay as typed."""
    read: list[tuple[str, str]] = []

    def walk(node: Node) -> Node:
        if isinstance(node, Word) and node.field == "text":
            rest = clitic_rest(node.text)
            if rest is None:
                return node
            read.append((node.text, rest))
            return Or((node, Word(rest)))
        if isinstance(node, And | Or):
            return type(node)(tuple(walk(item) for item in node.items))
        return node

    return walk(tree), read


def _with_fallback(parsed: ParsedQuery) -> ParsedQuery:
    if parsed.tree is None:
        return parsed
    tree, read = _with_clitics_read(parsed.tree)
    if not read:
        return parsed
    return replace(parsed, fallback=replace(parsed, tree=tree, clitics=tuple(read)))


def parse_query(
    raw: str | None,
    *,
    expand: Expander | None = None,
    concepts: ConceptLookup | None = None,
    transliterate: Transliterator | None = None,
    fallback: bool = False,
) -> ParsedQuery:
    """Parse what was typed in the search box; never raises.

    With `expand`, a word or phrase that names an entity (or the whole query,
    when it is only words) is widened to the articles that mention it. With
    `concepts`, unquoted words that are a thesaurus term are widened to the
    concept's other terms (never a quoted phrase or a field's value). With
    `transliterate`, an Arabizi word is widened to its Arabic spellings.
    With `fallback`, the result carries the query to search when it finds
    nothing as typed (`ParsedQuery.fallback`).

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
        parsed = _parse(text, notes, expand, concepts, transliterate)
    except QuerySyntaxError:
        words = [w for w in _words(text) if w not in OPERATORS][:MAX_CLAUSES]
        parsed = ParsedQuery(
            tree=all_of([Word(w) for w in words]),
            terms=tuple(words),
            notes=(*notes, "syntax"),
            raw=text,
        )
    return _with_fallback(parsed) if fallback else parsed


def _parse(
    text: str,
    notes: list[str],
    expand: Expander | None,
    concepts: ConceptLookup | None,
    transliterate: Transliterator | None,
) -> ParsedQuery:
    """The query tree of `text` and what the parser noted (raises
    QuerySyntaxError on unbalanced quotes, parentheses or operators)."""
    tokens = _tokens(text)
    parser = _Parser(tokens, expand, concepts, transliterate)
    tree = parser.parse()
    notes.extend(sorted(parser.notes))
    # "Abdelouafi Laftit" typed without quotes: the words together name an entity.
    if expand and tree is not None and len(tokens) > 1:
        if all(kind == "word" for kind, _ in tokens):
            tree = parser.widen(text, tree)
    return ParsedQuery(
        tree=tree,
        terms=tuple(parser.terms),
        notes=tuple(notes),
        raw=text,
        expansions=tuple(parser.expansions),
        concepts=tuple(parser.concept_expansions),
        transliterations=tuple(parser.transliterations),
    )
