"""The OpenSearch/Elasticsearch route through the seam: index mapping,
documents and queries (a design, tested, without a client or a server).

Analysis stays identical to the other engines because documents are sent
pre-analysed: each text field holds the archive analyzer's terms
(`search.language.analysis`, index mode) separated by spaces, in order, stop words
removed, so positions are the ones our analyzer gives; where a word has two
readings (an ambiguous Arabic clitic) they are written `a|b` and the index's
`archive_terms` analyzer (whitespace tokenizer + `pattern_capture`) puts both
at the same position. Queries are compiled from the same tree, with terms
analysed in query mode here and searched with the `whitespace` analyzer, so
the cluster never analyses a word itself. See docs/SCALING.md.
"""

from __future__ import annotations

import datetime
from typing import Any

from search import query_tree as qt
from search.language.analysis import analyze, words

TEXT_FIELDS = {"text": "text", qt.TITLE: "title", qt.AUTHOR: "author"}
FACET_SIZE = 100


def mapping() -> dict[str, Any]:
    """Settings and mappings of the articles index."""
    terms = {"type": "text", "analyzer": "archive_terms", "search_analyzer": "whitespace"}
    return {
        "settings": {
            "analysis": {
                "filter": {
                    "archive_readings": {
                        "type": "pattern_capture",
                        "preserve_original": False,
                        "patterns": ["([^|]+)"],
                    }
                },
                "analyzer": {
                    "archive_terms": {
                        "type": "custom",
                        "tokenizer": "whitespace",
                        "filter": ["archive_readings"],
                    }
                },
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "article_id": {"type": "long"},
                "text": terms,
                "title": terms,
                "author": terms,
                "language": {"type": "keyword"},
                "source": {"type": "keyword"},
                "entities": {"type": "keyword"},
                "year": {"type": "keyword"},
                "day": {"type": "integer"},
                "added": {"type": "long"},
                "newest_key": {"type": "date"},
                "oldest_key": {"type": "date"},
                "version": {"type": "keyword", "index": False},
            },
        },
    }


def pre_analysed(text: str) -> str:
    """A text as the `archive_terms` analyzer expects it.

    >>> pre_analysed("Les migrants et لتعزيز التعاون")
    'migr لتعزيز|تعزيز تعاون'
    """
    return " ".join("|".join(word.terms) for word in words(text, index=True) if word.terms)


def document(prepared: dict[str, Any]) -> dict[str, Any]:
    """The OpenSearch document of haystack's prepared document of an article."""
    return {
        "article_id": int(prepared["django_id"]),
        "text": pre_analysed(prepared.get("text") or ""),
        "title": pre_analysed(prepared.get("title") or ""),
        "author": pre_analysed(prepared.get("author") or ""),
        "language": list(prepared.get("language") or ()),
        "source": list(prepared.get("source") or ()),
        "entities": list(prepared.get("entities") or ()),
        "year": list(prepared.get("year") or ()),
        "day": prepared.get("day"),
        "added": prepared.get("added"),
        "newest_key": _iso(prepared["newest_key"]),
        "oldest_key": _iso(prepared["oldest_key"]),
        "version": prepared.get("version") or "",
    }


def _iso(value: datetime.date | datetime.datetime) -> str:
    return value.isoformat()[:10]


NOTHING: dict = {"bool": {"must_not": [{"match_all": {}}]}}


def compile_query(node: qt.Node | None) -> dict[str, Any]:
    """The query DSL of a tree (matching nothing when nothing is searchable).

    >>> from search.queries.query import parse_query
    >>> compile_query(parse_query('title:migration -Espagne').tree)
    {'bool': {'must': [{'term': {'title': 'migrat'}}], 'must_not': [{'term': {'text': 'espagn'}}]}}
    """
    compiled = _compile(node) if node is not None else None
    return compiled if compiled is not None else NOTHING


def _text(field: str, text: str) -> dict[str, Any] | None:
    terms = analyze(text, mode="query")
    if not terms:
        return None
    name = TEXT_FIELDS[field]
    if len(terms) == 1:
        return {"term": {name: terms[0]}}
    return {"match_phrase": {name: {"query": " ".join(terms), "analyzer": "whitespace"}}}


def _compile(node: qt.Node) -> dict[str, Any] | None:
    if isinstance(node, qt.Word):
        return _text(node.field, node.text)
    if isinstance(node, qt.Phrase):
        return _text(node.field, " ".join(node.words))
    if isinstance(node, qt.Prefix):
        return {"prefix": {TEXT_FIELDS[node.field]: node.stem}}
    if isinstance(node, qt.Term):
        return {"term": {TEXT_FIELDS[node.field]: node.term}}
    if isinstance(node, qt.Keyword):
        return {"term": {node.field: node.value}}
    if isinstance(node, qt.AddedAfter):
        return {"range": {"added": {"gt": node.timestamp}}}
    if isinstance(node, qt.DateRange):
        return {
            "range": {"day": {"gte": int(f"{node.start:%Y%m%d}"), "lte": int(f"{node.end:%Y%m%d}")}}
        }
    if isinstance(node, qt.Or):
        parts = [c for item in node.items if (c := _compile(item)) is not None]
        if not parts:
            return None
        return (
            parts[0] if len(parts) == 1 else {"bool": {"should": parts, "minimum_should_match": 1}}
        )
    if isinstance(node, qt.Not):
        inner = _compile(node.item)
        return (
            None if inner is None else {"bool": {"must": [{"match_all": {}}], "must_not": [inner]}}
        )
    if isinstance(node, qt.And):
        included, excluded = qt.split_and(node)
        kept = [c for item in included if (c := _compile(item)) is not None]
        if included and not kept:
            return None
        dropped = [c for item in excluded if (c := _compile(item)) is not None]
        if not dropped:
            return kept[0] if len(kept) == 1 else {"bool": {"must": kept}}
        return {"bool": {"must": kept or [{"match_all": {}}], "must_not": dropped}}
    raise TypeError(f"not a query node: {node!r}")


def search_body(
    node: qt.Node | None,
    *,
    sort: tuple[str, bool] | None,
    offset: int,
    limit: int,
    facet_fields: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A whole search request: the page, its sort, exact totals, facet counts."""
    body: dict[str, Any] = {
        "query": compile_query(node),
        "from": offset,
        "size": limit,
        "track_total_hits": True,
        "_source": ["article_id"],
        "aggs": {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in facet_fields},
    }
    if sort is not None:
        direction = "desc" if sort[1] else "asc"
        body["sort"] = [{sort[0]: direction}, {"article_id": direction}]
    else:
        body["sort"] = ["_score", {"article_id": "asc"}]
    return body
