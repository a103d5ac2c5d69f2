"""Search documents for the PostgreSQL engine: the analyzer's terms as a
`tsvector` literal.

PostgreSQL's own text search configurations are not used: the document holds
exactly the terms `search.analysis` gives (index mode, with their positions),
so PostgreSQL searches the same terms as Whoosh. Title words (the first words
of the text) carry weight A, which ranking counts above body words and
`title:` queries require. Keyword values (language, source, entities, year)
are lexemes `#field=value`, which no analysed word can be (the analyzer's
terms are made of letters and digits), so filters join the same `tsquery`.
"""

from __future__ import annotations

from collections.abc import Iterable

from search.analysis import words

# PostgreSQL keeps positions up to 16,383 and 256 positions per lexeme.
MAX_POSITION = 16_383
MAX_POSITIONS_PER_LEXEME = 256
KEYWORD_MARK = "#"


def quote(lexeme: str) -> str:
    """A lexeme as tsvector/tsquery input: quoted, quotes and backslashes doubled."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def keyword_lexeme(field: str, value: str) -> str:
    return f"{KEYWORD_MARK}{field}={value}"


def tsvector(title: str, text: str, keywords: Iterable[tuple[str, str]]) -> str:
    """The tsvector literal of a document.

    `text` is the whole searchable text, beginning with the title (the
    haystack template `article_text.txt`); its first words up to the title's
    word count are weighted A.

    >>> tsvector("Migration", "Migration\\nLes migrants d'Espagne", [("language", "fr")])
    "'#language=fr' 'migrat':1A 'migr':2 'espagn':3"
    """
    title_positions = sum(1 for word in words(title) if word.terms)
    positions: dict[str, list[str]] = {}
    for word in words(text, index=True):
        if not word.terms or word.pos >= MAX_POSITION:
            continue
        position = str(word.pos + 1) + ("A" if word.pos < title_positions else "")
        for term in word.terms:
            found = positions.setdefault(term, [])
            if len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append(position)
    parts = [quote(keyword_lexeme(field, value)) for field, value in keywords]
    parts.extend(f"{quote(term)}:{','.join(found)}" for term, found in positions.items())
    return " ".join(parts)
