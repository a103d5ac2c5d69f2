"""Widenings of a query: expanders over the query tree.

The parser (`search.queries.query`) builds the tree of what was typed; each expander
then rewrites it, replacing what it widens by a `Widened` node (an Or whose
first item is what was typed). Everything that shows or reuses a widening
(the page's "Also searched", highlighting, saved searches, feeds, exports)
reads it from those nodes, through `ParsedQuery.widened(kind)`; adding a
widening is one expander here and its place in `standard`.

Which words each expander considers, in the order they run:

1. `ConceptRuns`: two to five plain words side by side that are one
   thesaurus term together ("migration irrégulière"), longest first;
2. `EntityNames`: a plain word or a quoted phrase that names an entity, and
   the whole query when it is only plain words ("Abdelouafi Laftit");
3. `ConceptWords`: a plain word that is a thesaurus term (on top of its
   entity, if it names one too);
4. `Arabizi`: a plain word widened by nothing else, read as Arabizi (l7rig).

The fallback (`CliticReadings`) runs on the widened tree only when the query
finds nothing as typed. Excluded words, field queries (`title:`, `author:`)
and prefixes are never widened: a widening adds matches, and "not X" or
"exactly X in titles" asked for fewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from search.language.analysis import analyze, clitic_rest
from search.queries.arabizi import arabizi_lookup
from search.queries.concepts import concept_lookup
from search.queries.entities import entity_expander
from search.queries.query import phrase_node, valid_keyword
from search.query_tree import (
    ARABIZI,
    CLITIC,
    CONCEPT,
    ENTITY,
    TEXT,
    And,
    Keyword,
    Node,
    Not,
    Or,
    Phrase,
    Widened,
    Word,
    all_of,
)

# Maps words as typed to the slug of the entity they name, or None.
EntityLookup = Callable[[str], "str | None"]
# Maps words as typed to (the slug of the thesaurus concept they are a term
# of, every term of that concept), or None (search.queries.concepts).
ConceptLookup = Callable[[str], "tuple[str, tuple[str, ...]] | None"]
# Maps an Arabizi word (l7rig) to the Arabic spellings of it to search too,
# or () (search.queries.arabizi).
Transliterator = Callable[[str], "tuple[str, ...]"]

# Unquoted words looked up together as one concept term, at most.
MAX_CONCEPT_WORDS = 5


class Expander(Protocol):
    """Rewrites a query tree, widening some of its parts (never narrowing)."""

    def __call__(self, tree: Node) -> Node: ...


def _plain(node: Node) -> bool:
    """A word typed as itself: not a prefix, not in a field, not yet widened."""
    return type(node) is Word and node.field == TEXT


def _rewrite(node: Node, leaf: Callable[[Node], Node]) -> Node:
    """`leaf` applied to every node outside exclusions and earlier widenings."""
    if isinstance(node, Widened) or isinstance(node, Not):
        return leaf(node)
    if isinstance(node, And | Or):
        return type(node)(tuple(_rewrite(item, leaf) for item in node.items))
    return leaf(node)


class _Concepts:
    def __init__(self, lookup: ConceptLookup) -> None:
        self.lookup = lookup

    def widened(self, typed: str, node: Node, found=None) -> Node:
        """`node` (the words `typed`) or'ed with the concept's other terms,
        each searched as a phrase; unchanged when the words are no term."""
        found = found if found is not None else self.lookup(typed)
        if found is None:
            return node
        slug, terms = found
        as_typed = tuple(analyze(typed))
        others: dict[tuple[str, ...], Node] = {}
        for term in terms:
            key = tuple(analyze(term))
            other = phrase_node(term)
            if key and key != as_typed and other is not None:
                others.setdefault(key, other)
        if not others:
            return node
        return Widened((node, *others.values()), kind=CONCEPT, typed=typed, value=(slug,))


class ConceptRuns(_Concepts):
    """Plain words side by side that together are a thesaurus term."""

    def __call__(self, tree: Node) -> Node:
        if isinstance(tree, Widened) or isinstance(tree, Not):
            return tree
        if isinstance(tree, Or):
            return Or(tuple(self(item) for item in tree.items))
        if not isinstance(tree, And):
            return tree
        items = [self(item) for item in tree.items]
        out: list[Node] = []
        position = 0
        while position < len(items):
            run: list[Word] = []
            for item in items[position : position + MAX_CONCEPT_WORDS]:
                if not (_plain(item) and isinstance(item, Word)):
                    break
                run.append(item)
            for size in range(len(run), 1, -1):
                typed = " ".join(word.text for word in run[:size])
                found = self.lookup(typed)
                if found is None:
                    continue
                out.append(self.widened(typed, And(tuple(run[:size])), found))
                position += size
                break
            else:
                out.append(items[position])
                position += 1
        return all_of(out) or tree


class EntityNames:
    """A word or phrase that names an entity also finds every article that
    mentions it (in any script); so does the whole query of plain words."""

    def __init__(self, lookup: EntityLookup) -> None:
        self.lookup = lookup

    def widened(self, typed: str, node: Node) -> Node:
        slug = self.lookup(typed)
        if not slug or not valid_keyword(slug):
            return node
        return Widened((node, Keyword("entities", slug)), kind=ENTITY, typed=typed, value=(slug,))

    def __call__(self, tree: Node) -> Node:
        whole = None
        if isinstance(tree, And) and all(_plain(item) for item in tree.items):
            whole = " ".join(item.text for item in tree.items if isinstance(item, Word))

        def leaf(node: Node) -> Node:
            if _plain(node) and isinstance(node, Word):
                return self.widened(node.text, node)
            if type(node) is Phrase and node.field == TEXT:
                return self.widened(" ".join(node.words), node)
            return node

        widened = _rewrite(tree, leaf)
        return self.widened(whole, widened) if whole else widened


class ConceptWords(_Concepts):
    """A plain word that is a thesaurus term also finds the concept's other terms."""

    def __call__(self, tree: Node) -> Node:
        def leaf(node: Node) -> Node:
            if _plain(node) and isinstance(node, Word):
                return self.widened(node.text, node)
            if isinstance(node, Widened) and node.kind == ENTITY and _plain(node.items[0]):
                return self.widened(node.typed, node)
            return node

        return _rewrite(tree, leaf)


class Arabizi:
    """A plain word that nothing else widened, read as Arabizi (l7rig), also
    finds its Arabic spellings (الحريك)."""

    def __init__(self, transliterate: Transliterator) -> None:
        self.transliterate = transliterate

    def __call__(self, tree: Node) -> Node:
        def leaf(node: Node) -> Node:
            if not (_plain(node) and isinstance(node, Word)):
                return node
            spellings = self.transliterate(node.text)
            if not spellings:
                return node
            return Widened(
                (node, *(Word(spelling) for spelling in spellings)),
                kind=ARABIZI,
                typed=node.text,
                value=tuple(spellings),
            )

        return _rewrite(tree, leaf)


class CliticReadings:
    """The fallback: each Arabic word whose first letter may be a clitic the
    analyzer refuses (بسر, وزار) also searched without it, inside earlier
    widenings too (never in exclusions)."""

    def __call__(self, tree: Node) -> Node:
        if isinstance(tree, Not):
            return tree
        if isinstance(tree, Word) and tree.field == TEXT:
            rest = clitic_rest(tree.text)
            if rest is None:
                return tree
            return Widened((tree, Word(rest)), kind=CLITIC, typed=tree.text, value=(rest,))
        if isinstance(tree, Widened):
            return replace(tree, items=tuple(self(item) for item in tree.items))
        if isinstance(tree, And | Or):
            return type(tree)(tuple(self(item) for item in tree.items))
        return tree


def standard(
    *,
    entities: EntityLookup | None = None,
    concepts: ConceptLookup | None = None,
    transliterate: Transliterator | None = None,
) -> list[Expander]:
    """The archive's widenings in their order, for the lookups given."""
    expanders: list[Expander] = []
    if concepts is not None:
        expanders.append(ConceptRuns(concepts))
    if entities is not None:
        expanders.append(EntityNames(entities))
    if concepts is not None:
        expanders.append(ConceptWords(concepts))
    if transliterate is not None:
        expanders.append(Arabizi(transliterate))
    return expanders


def of_the_archive() -> list[Expander]:
    """The standard widenings with the archive's registers (entities,
    thesaurus, the Arabizi table and vocabulary): what the search form uses."""
    return standard(
        entities=entity_expander(), concepts=concept_lookup(), transliterate=arabizi_lookup()
    )


FALLBACK: list[Expander] = [CliticReadings()]
