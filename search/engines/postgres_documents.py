"""Search documents for the PostgreSQL engine: the analyzer's terms as a
`tsvector` literal.

PostgreSQL's own text search configurations are not used: the document holds
exactly the terms `search.language.analysis` gives (index mode, with their positions),
so PostgreSQL searches the same terms as Whoosh. Title words (the first words
of the text) carry weight A, which ranking counts above body words and
`title:` queries require. Keyword values (language, source, entities, year)
are lexemes `#field=value`, which no analysed word can be (the analyzer's
terms are made of letters and digits), so filters join the same `tsquery`.

Title words are also written a second time as `^term` lexemes (same
positions): `title:` queries and the ranking of very broad queries
(postgres_engine) find title matches from the GIN index alone, where weight-A
lexemes make PostgreSQL recheck every candidate document. Each document also
holds one `#sample=k` lexeme (k = article id mod SAMPLE_BUCKETS), so facet
counts of a huge result set can be estimated from one bucket found in the
index, without reading every match. The author's words are `@term` lexemes
(with their own positions) for `author:` queries; they are also in the text.
"""

from __future__ import annotations

from collections.abc import Iterable

from search.language.analysis import WORD, index_terms, words

# PostgreSQL keeps positions up to 16,383 and 256 positions per lexeme.
MAX_POSITION = 16_383
MAX_POSITIONS_PER_LEXEME = 256
KEYWORD_MARK = "#"
TITLE_MARK = "^"
AUTHOR_MARK = "@"
SAMPLE_BUCKETS = 16
# Written in the table's comment; a table of another format is rebuilt by
# `check_index --repair` (the format joins the engine's schema names).
DOCUMENT_FORMAT = "document format 4: title and author lexemes, sample buckets, added"


def quote(lexeme: str) -> str:
    """A lexeme as tsvector/tsquery input: quoted, quotes and backslashes doubled."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def keyword_lexeme(field: str, value: str) -> str:
    return f"{KEYWORD_MARK}{field}={value}"


def title_lexeme(term: str) -> str:
    return TITLE_MARK + term


def author_lexeme(term: str) -> str:
    return AUTHOR_MARK + term


def sample_keyword(article_id: int) -> tuple[str, str]:
    return ("sample", str(article_id % SAMPLE_BUCKETS))


def tsvector(title: str, text: str, keywords: Iterable[tuple[str, str]], author: str = "") -> str:
    """The tsvector literal of a document.

    `text` is the whole searchable text, beginning with the title (the
    haystack template `article_text.txt`); its first words up to the title's
    word count are weighted A.

    >>> tsvector("Migration", "Migration\\nLes migrants d'Espagne", [("language", "fr")])
    "'#language=fr' 'migrat':1A '^migrat':1 'migr':3 'espagn':4"
    """
    # The analyzer's words (search.language.analysis.words) inlined: this loop is most
    # of an import's indexing time, and a tuple per word cost a third of it.
    # Every word has its own position, stop words included
    # (search.language.analysis.words): phrases keep their gaps.
    title_positions = sum(1 for _match in WORD.finditer(title))
    positions: dict[str, list[str]] = {}
    for pos, match in enumerate(WORD.finditer(text), 1):
        if pos > MAX_POSITION:
            break
        terms = index_terms(match.group(), True)
        if not terms:
            continue
        in_title = pos <= title_positions
        position = f"{pos}A" if in_title else str(pos)
        for term in terms:
            found = positions.get(term)
            if found is None:
                positions[term] = [position]
            elif len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append(position)
            if in_title:
                positions.setdefault(TITLE_MARK + term, []).append(str(pos))
    author_positions: dict[str, list[str]] = {}
    for word in words(author, index=True, start_pos=1):
        for term in word.terms:
            found = author_positions.setdefault(author_lexeme(term), [])
            if len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append(str(word.pos))
    positions.update(author_positions)
    parts = [quote(keyword_lexeme(field, value)) for field, value in keywords]
    parts.extend(f"{quote(term)}:{','.join(found)}" for term, found in positions.items())
    return " ".join(parts)
