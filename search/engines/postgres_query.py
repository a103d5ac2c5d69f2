"""The query tree compiled to a SQL condition on `search_searchdocument`.

Text leaves and keywords become one `tsquery` wherever the tree allows
(`document @@ query`, answered by the GIN index); date ranges become
conditions on the `day` column. Leaves are analysed with `search.language.analysis`
in query mode, as the Whoosh engine does, and empty leaves (only stop words)
drop out the way Whoosh normalises its queries, so both engines find the
same documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search import query_tree as qt
from search.engines.postgres_documents import (
    author_lexeme,
    keyword_lexeme,
    quote,
    title_lexeme,
)
from search.language.analysis import phrase, word_readings


@dataclass(frozen=True)
class TsQuery:
    """A tsquery text."""

    text: str


@dataclass(frozen=True)
class Sql:
    """A SQL condition with its parameters."""

    sql: str
    params: tuple = field(default=())


Compiled = TsQuery | Sql


@dataclass(frozen=True)
class Condition:
    """What the engine runs: a WHERE clause, and the tsquery to rank by."""

    where: str
    params: tuple
    rank: str | None  # tsquery of the positive text leaves (None: nothing to rank)


def compile_tree(node: qt.Node | None) -> Condition | None:
    """The condition for a tree, or None when nothing searchable is left.

    >>> from search.queries.query import parse_query
    >>> compile_tree(parse_query('title:migration lang:fr -Espagne').tree).params
    ("'^migrat' & '#language=fr' & !'espagn'",)
    """
    compiled = _compile(node) if node is not None else None
    if compiled is None:
        return None
    where, params = _as_sql(compiled)
    ranked = [c for leaf in qt.positive_leaves(node) if isinstance(c := _compile(leaf), TsQuery)]
    rank = " | ".join(f"({c.text})" for c in ranked) if ranked else None
    return Condition(where, params, rank)


def _as_sql(compiled: Compiled) -> tuple[str, tuple]:
    if isinstance(compiled, TsQuery):
        return "document @@ %s::tsquery", (compiled.text,)
    return compiled.sql, compiled.params


def _lexeme(term: str, node_field: str, prefix: bool = False) -> str:
    """A term of the text, or its title copy (`^term`: found from the GIN
    index alone, where a weight-A lexeme makes PostgreSQL recheck every
    candidate document)."""
    if node_field == qt.TITLE:
        term = title_lexeme(term)
    elif node_field == qt.AUTHOR:
        term = author_lexeme(term)
    lexeme = quote(term)
    return lexeme + (":*" if prefix else "")


def _text(words: str, node_field: str) -> TsQuery | None:
    placed = phrase(words)
    if not placed:
        return None  # only stop words
    readings = word_readings(words) if len(placed) == 1 else ()
    if len(readings) > 1:  # a clitic letter typed: with and without it
        return TsQuery("(" + " | ".join(_lexeme(r, node_field) for r in readings) + ")")
    # <N>: exactly N positions on (a stop word inside keeps its place).
    text = _lexeme(placed[0][1], node_field)
    for (before, _), (pos, term) in zip(placed, placed[1:], strict=False):
        text += f" <{pos - before}> {_lexeme(term, node_field)}"
    return TsQuery(text)


def _combine(parts: list[Compiled], operator: str) -> Compiled:
    if len(parts) == 1:
        return parts[0]
    texts = [part.text for part in parts if isinstance(part, TsQuery)]
    if len(texts) == len(parts):
        return TsQuery(f" {operator} ".join(f"({text})" if " " in text else text for text in texts))
    sql_operator = "AND" if operator == "&" else "OR"
    pieces = [_as_sql(part) for part in parts]
    return Sql(
        "(" + f" {sql_operator} ".join(sql for sql, _ in pieces) + ")",
        tuple(param for _, params in pieces for param in params),
    )


def _negate(compiled: Compiled) -> Compiled:
    if isinstance(compiled, TsQuery):
        return TsQuery(f"!({compiled.text})" if " " in compiled.text else f"!{compiled.text}")
    return Sql(f"NOT {compiled.sql}", compiled.params)


def _compile(node: qt.Node) -> Compiled | None:
    if isinstance(node, qt.Word):
        return _text(node.text, node.field)
    if isinstance(node, qt.Phrase):
        return _text(" ".join(node.words), node.field)
    if isinstance(node, qt.Prefix):
        return TsQuery(_lexeme(node.stem, node.field, prefix=True))
    if isinstance(node, qt.Term):
        return TsQuery(_lexeme(node.term, node.field))
    if isinstance(node, qt.Keyword):
        return TsQuery(quote(keyword_lexeme(node.field, node.value)))
    if isinstance(node, qt.AddedAfter):
        return Sql("(added > %s)", (node.timestamp,))
    if isinstance(node, qt.DateRange):
        return Sql(
            "(day BETWEEN %s AND %s)",
            (int(f"{node.start:%Y%m%d}"), int(f"{node.end:%Y%m%d}")),
        )
    if isinstance(node, qt.Or):
        parts = [c for item in node.items if (c := _compile(item)) is not None]
        return _combine(parts, "|") if parts else None
    if isinstance(node, qt.Not):
        inner = _compile(node.item)
        return _negate(inner) if inner is not None else None
    if isinstance(node, qt.And):
        included, excluded = qt.split_and(node)
        kept = [c for item in included if (c := _compile(item)) is not None]
        if included and not kept:
            return None  # Whoosh: an And of empty queries matches nothing
        dropped = [c for item in excluded if (c := _compile(item)) is not None]
        if dropped:
            kept.append(_negate(_combine(dropped, "|")))
        return _combine(kept, "&") if kept else None
    raise TypeError(f"not a query node: {node!r}")
