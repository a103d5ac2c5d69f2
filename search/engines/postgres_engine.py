"""The PostgreSQL full-text engine: a haystack backend whose documents live in
the archive's own database (`search.models.SearchDocument`).

Chosen with `ARCHIVE_SEARCH_ENGINE=postgres` (it needs `DATABASE_URL` on
PostgreSQL). Documents hold the archive analyzer's terms
(`search.engines.postgres_documents`), so this engine searches exactly the
terms the Whoosh engine does; queries are compiled from the same query tree
(`search.engines.postgres_query`).

Documents are written in the transaction that changes the article
(`transactional`), so the database and the index cannot drift: a rolled-back
save leaves no document, a committed one is searchable at once, and a deleted
article's document goes with it (a cascading foreign key).
"""

from __future__ import annotations

import datetime
import logging
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.utils import OperationalError
from haystack.backends import BaseEngine, BaseSearchBackend, BaseSearchQuery
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier

from search.engines.base import NEWEST, Loader, SearchEngine, SearchPage, Sort
from search.engines.index_state import IndexUnavailable
from search.engines.postgres_documents import (
    AUTHOR_MARK,
    DOCUMENT_FORMAT,
    KEYWORD_MARK,
    SAMPLE_BUCKETS,
    TITLE_MARK,
    keyword_lexeme,
    quote,
    sample_keyword,
    tsvector,
)
from search.engines.postgres_query import Condition, compile_tree
from search.query_tree import And, Keyword, Node, Term, in_titles

log = logging.getLogger(__name__)

TABLE = "search_searchdocument"
STATE_NAME = "postgres"
# ts_rank weights for D, C, B, A lexemes (body words are D, title words A) and
# normalisation 1 (divide by 1 + the log of the document's length), the
# closest to the length normalisation of Whoosh's BM25F.
RANK = "ts_rank('{0.2, 0.2, 0.4, 1.0}', document, %s::tsquery, 1)"
# Date orders. With words to search, "+ 0" keeps the planner from walking the
# date index and testing each document against the query (reading its
# tsvector) until it has a page: 228 ms for "sécurité" oldest first at 100,000
# articles, against 13 ms from the full-text index and a top-N sort of the
# matches. Filters alone (a language, a source) match a large share of the
# archive, where walking the date index finds a page at once.
ORDERS = {
    ("newest_key", True): "newest_key DESC, article_id DESC",
    ("oldest_key", False): "oldest_key ASC, article_id ASC",
}
ORDERS_OF_MATCHES = {
    ("newest_key", True): "(newest_key + 0) DESC, article_id DESC",
    ("oldest_key", False): "(oldest_key + 0) ASC, article_id ASC",
}
# Keyword columns search_page can rank within (search.order.interleave).
RANKED_WITHIN = ("language",)
# Date-ordered pages of more matches than this sort only the years they need
# (PostgresBackend._dated_page).
DATE_NARROWING_MIN = 5_000
KEYWORD_FIELDS = ("language", "source", "entities", "year")
# Document columns, in the order `_row` gives them.
COLUMNS = (
    "article_id",
    "document",
    "language",
    "source",
    "entities",
    "year",
    "day",
    "newest_key",
    "oldest_key",
    "version",
    "added",
)


def reads():
    """The connection searches read from: `ARCHIVE_SEARCH_READ_DATABASE`, e.g.
    a streaming replica (docs/SCALING.md); writes always go to "default"."""
    return connections[settings.ARCHIVE_SEARCH_READ_DATABASE]


def _first(values) -> str:
    return values[0] if values else ""


def _row(document: dict) -> tuple:
    """A SearchDocument row from haystack's prepared document of an article."""
    article_id = int(document["django_id"])
    keywords = [(name, str(value)) for name in KEYWORD_FIELDS for value in document.get(name) or ()]
    keywords.append(sample_keyword(article_id))
    return (
        article_id,
        tsvector(
            document.get("title") or "",
            document.get("text") or "",
            keywords,
            document.get("author") or "",
        ),
        _first(document.get("language")),
        _first(document.get("source")),
        " ".join(document.get("entities") or ()),
        _first(document.get("year")),
        document.get("day"),
        document["newest_key"],
        document["oldest_key"],
        document.get("version") or "",
        document.get("added"),
    )


class PostgresOrderedHits:
    """Every hit's article id and score, in order, in packed arrays (12 bytes
    a hit): an export of 1,000,000 rows holds 12 MB of ids, never the rows."""

    def __init__(self, rows: Iterable[tuple[int, float | None]], hits: int, notes=()):
        self.pks = array("q")
        self.scores = array("d")
        for pk, score in rows:
            self.pks.append(pk)
            self.scores.append(float("nan") if score is None else score)
        self.hits = hits
        self.notes = tuple(notes)
        self._updated = datetime.datetime.now(tz=datetime.UTC).timestamp()

    def __len__(self) -> int:
        return len(self.pks)

    def ids(self, start: int, stop: int) -> list[tuple[int, float | None]]:
        return [
            (pk, None if score != score else score)
            for pk, score in zip(self.pks[start:stop], self.scores[start:stop], strict=True)
        ]

    def updated_at(self) -> float | None:
        # Documents change with their articles, in the same transaction: the
        # index is as of the moment the hits were read.
        return self._updated


class PostgresBackend(BaseSearchBackend):
    transactional = True

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.path = connection_options.get("PATH", "")
        self.created = False
        self.setup_complete = True

    # -- haystack's backend interface ------------------------------------------

    def update(self, index, iterable, commit=True) -> None:
        self._write([self._prepare(index, obj) for obj in iterable])

    def remove(self, obj_or_string, commit=True) -> None:
        identifier = get_identifier(obj_or_string)
        pk = int(identifier.rsplit(".", 1)[-1])
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = %s", [pk])

    def clear(self, models=None, commit=True) -> None:
        """Every document goes; the table is then of the current format (the
        rebuild that follows writes documents of this code's format)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"COMMENT ON TABLE {TABLE} IS %s", [DOCUMENT_FORMAT])

    def search(self, query_string, **kwargs):
        raise NotImplementedError("search through search.selectors (the query tree)")

    # -- writes (search.index.indexing) -------------------------------------------

    def _prepare(self, index, obj) -> tuple | None:
        try:
            return _row(index.full_prepare(obj))
        except SkipDocument:
            return None

    def _write(self, rows: list) -> None:
        rows = [row for row in rows if row is not None]
        if not rows:
            return
        placeholders = ", ".join(["%s", "%s::tsvector"] + ["%s"] * (len(COLUMNS) - 2))
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in COLUMNS[1:])
        sql = (
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({placeholders}) "
            f"ON CONFLICT (article_id) DO UPDATE SET {updates}"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def sync(self, index, pks: Sequence[int], load: Loader, *, merge: bool = True) -> int:
        """Make the documents of these ids match the rows, in the caller's
        transaction (an atomic block of its own when there is none)."""
        with transaction.atomic():
            objects = list(load(pks))
            rows = [self._prepare(index, obj) for obj in objects]
            self._write(rows)
            present = {obj.pk for obj in objects}
            gone = [pk for pk in pks if pk not in present]
            if gone:
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [gone])
        return sum(1 for row in rows if row is not None)

    def merge_segments(self) -> None:
        """At the end of a rebuild or repair: refresh the vocabulary of "did
        you mean" (imports have the worker do it: search.index.indexing)."""
        self.refresh_vocabulary()

    def refresh_vocabulary(self) -> None:
        """Refill the vocabulary from every document, in one transaction
        (DELETE, not TRUNCATE: readers keep the old rows until it commits)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_vocabulary")
            cursor.execute(
                "INSERT INTO search_vocabulary (word, ndoc) SELECT word, ndoc "
                f"FROM ts_stat('SELECT document FROM {TABLE}') "
                "WHERE left(word, 1) <> ALL(%s)",
                [[KEYWORD_MARK, TITLE_MARK, AUTHOR_MARK]],
            )
        with connection.cursor() as cursor:
            # Fresh statistics after bulk writes: with none, the planner takes
            # a new table for a small one and reads every document instead of
            # the GIN index.
            cursor.execute(f"ANALYZE {TABLE}")

    def forget(self) -> None:
        """Nothing is cached between requests."""

    def missing_ids(self, pks: Sequence[int]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id FROM {TABLE} WHERE article_id = ANY(%s)", [list(pks)]
            )
            present = {pk for (pk,) in cursor.fetchall()}
        return [pk for pk in pks if pk not in present]

    def indexed_versions(self) -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT article_id, version FROM {TABLE}")
            return dict(cursor.fetchall())

    # -- the index's state (search.index.index_check) --------------------------------

    def stored_schema_names(self) -> list[str] | None:
        """The columns and the documents' format (the table's comment)."""
        if connection.vendor != "postgresql":
            raise IndexUnavailable("the PostgreSQL engine needs DATABASE_URL on PostgreSQL")
        with connection.cursor() as cursor:
            cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [TABLE])
            (comment,) = cursor.fetchone()
        return [*COLUMNS, comment or "document format 1"]

    def expected_schema_names(self) -> list[str]:
        return [*COLUMNS, DOCUMENT_FORMAT]

    def incomplete_reason(self) -> str | None:
        from search.models import EngineState

        try:
            return (
                EngineState.objects.filter(name=STATE_NAME).values_list("reason", flat=True).first()
            )
        except DatabaseError:
            return None

    def mark_incomplete(self, reason: str) -> None:
        from search.models import EngineState

        EngineState.objects.update_or_create(name=STATE_NAME, defaults={"reason": reason})

    def mark_complete(self) -> None:
        from search.models import EngineState

        EngineState.objects.filter(name=STATE_NAME).delete()

    def describe(self) -> str:
        return f"the PostgreSQL table {TABLE}"

    def prepare_rebuild(self) -> None:
        self.created = False

    # -- reads ------------------------------------------------------------------

    def _timed(self, run: Callable[[object], object], budget: float | None):
        """Run with a statement timeout; (result, notes). A query over the
        budget is cancelled and reported as "time_limit" with no hits."""
        try:
            with transaction.atomic(using=reads().alias), reads().cursor() as cursor:
                # Memory for this search's bitmaps and facet aggregation: with
                # the server's default (4 MB) a bitmap of a few hundred thousand
                # matches turns lossy, and every document of its pages is read
                # again to check the query.
                # (No budget: no timeout, "0".)
                # The planner does not count what `@@` costs on a document it
                # has to read (a TOASTed tsvector): above ~9 % of the archive
                # it scanned every document, in parallel, instead of the GIN
                # index ("gouvernement" newest first at 1,000,000 articles:
                # 1,202 ms, against 94 ms to count its matches from the
                # index). Searches always start from the index; no parallel
                # workers (four searches on two cores), no JIT compilation.
                cursor.execute(
                    "SELECT set_config('work_mem', %s, true), "
                    "set_config('statement_timeout', %s, true), "
                    "set_config('enable_seqscan', 'off', true), "
                    "set_config('max_parallel_workers_per_gather', '0', true), "
                    "set_config('jit', 'off', true)",
                    [
                        settings.ARCHIVE_SEARCH_WORK_MEM,
                        f"{max(1, int(budget * 1000))}ms" if budget else "0",
                    ],
                )
                return run(cursor), ()
        except OperationalError as error:
            if "statement timeout" not in str(error):
                raise
            log.warning("search over its time budget: %s", error)
            return None, ("time_limit",)

    def search_page(
        self,
        tree: Node,
        *,
        sort: Sort = None,
        offset: int = 0,
        limit: int = 20,
        facet_fields: Sequence[str] = (),
        rank_within: str | None = None,
    ) -> SearchPage:
        """With `rank_within`, each value of that field found is ranked by a
        search of its own (the page's plan, time budget and all)."""
        condition = compile_tree(tree)
        if condition is None:
            return SearchPage(0, [], {name: [] for name in facet_fields})
        counted = tuple(dict.fromkeys((*facet_fields, *([rank_within] if rank_within else []))))

        def run(cursor):
            notes: list[str] = []
            hits, facets = self._counts(cursor, condition, counted, notes)
            rankings = None
            if not hits:
                results = []
            elif sort is None and condition.rank and hits > settings.ARCHIVE_SEARCH_RANK_ALL_MAX:
                results = self._broad_page(cursor, tree, condition, offset, limit, notes, facets)
            else:
                results = self._dated_page(cursor, condition, sort, offset, limit, facets)
                if rank_within is not None and sort is None and condition.rank:
                    rankings = self._rankings(cursor, condition, rank_within, offset + limit)
            return hits, results, facets, tuple(notes), rankings

        found, notes = self._timed(run, settings.ARCHIVE_SEARCH_TIME_BUDGET)
        if found is None:
            return SearchPage(0, [], {name: [] for name in facet_fields}, notes)
        hits, results, facets, page_notes, rankings = found
        if rank_within is not None and rankings is None:  # broad: each value's own plan
            rankings = {
                value: self.search_page(
                    And((tree, Keyword(rank_within, value))), offset=0, limit=offset + limit
                ).results
                for value, count in facets[rank_within]
                if count
            }
        facets = {name: facets[name] for name in facet_fields}
        return SearchPage(hits, results, facets, page_notes, rankings)

    @staticmethod
    def _rankings(
        cursor, condition: Condition, fieldname: str, limit: int
    ) -> dict[str, list[tuple[int, float | None]]]:
        """The first `limit` matches of each value of a keyword column, ranked
        as the page ranks (score, then id), in one pass over the matches."""
        if fieldname not in RANKED_WITHIN:
            raise ValueError(f"not a column to rank within: {fieldname}")
        cursor.execute(
            f"SELECT article_id, score, {fieldname} FROM ("
            f"SELECT article_id, score, {fieldname}, row_number() OVER "
            f"(PARTITION BY {fieldname} ORDER BY score DESC, article_id) AS n FROM ("
            f"SELECT article_id, {fieldname}, {RANK} AS score FROM {TABLE} "
            f"WHERE {condition.where}) AS scored) AS numbered WHERE n <= %s "
            f"ORDER BY {fieldname}, n",
            (condition.rank, *condition.params, limit),
        )
        rankings: dict[str, list[tuple[int, float | None]]] = {}
        for article_id, score, value in cursor.fetchall():
            rankings.setdefault(value, []).append((article_id, score))
        return rankings

    @staticmethod
    def _sample(condition: Condition) -> Condition:
        """The condition restricted to one sample bucket (1/SAMPLE_BUCKETS of
        the archive, found in the GIN index with the rest of the query)."""
        return Condition(
            f"{condition.where} AND document @@ %s::tsquery",
            (*condition.params, quote(keyword_lexeme(*sample_keyword(0)))),
            condition.rank,
        )

    def _dated_page(
        self, cursor, condition: Condition, sort: Sort, offset: int, limit: int, facets: dict
    ) -> list[tuple[int, float | None]]:
        """A page in date order. For a large result set only the matches of the
        years the page can come from are sorted: the year counts (the facet)
        say how many recent (or old) years hold enough matches, and their
        `#year=` lexemes narrow the query in the GIN index. Sorting every
        match read each one's row ("gouvernement" newest first at 1,000,000
        articles: 93,629 rows, 190 ms); walking the date index instead tested
        every newer document, and a word of older articles took seconds."""
        years = facets.get("year") or []
        if sort is None or sum(count for _, count in years) <= DATE_NARROWING_MIN:
            return self._page(cursor, condition, sort, offset, limit)
        needed, found, chosen = (offset + limit) * 2, 0, []  # counts may be estimates
        for year, count in sorted(years, reverse=sort == NEWEST):
            chosen.append(year)
            found += count
            if found >= needed:
                break
        if len(chosen) < len(years):
            lexemes = " | ".join(quote(keyword_lexeme("year", year)) for year in chosen)
            narrowed = Condition(
                f"{condition.where} AND document @@ %s::tsquery",
                (*condition.params, lexemes),
                condition.rank,
            )
            page = self._page(cursor, narrowed, sort, offset, limit)
            if len(page) == limit:
                return page
        return self._page(cursor, condition, sort, offset, limit)

    def _counts(self, cursor, condition: Condition, facet_fields: Sequence[str], notes: list):
        """The total and facet counts: exact, or for a result set over
        ARCHIVE_SEARCH_EXACT_FACETS_MAX estimated from one sample bucket
        (note "estimated": the page says "about" and marks the counts).

        Counting reads every match's row (~1 us a match: 56 ms for 54,005
        matches at 100,000 articles; 217 ms only to count the 243,476
        matches of "France" at 1,000,000). The bucket's matches come from the
        GIN index with the query, 1/SAMPLE_BUCKETS of them (37 ms).
        """
        if not facet_fields:
            return self._facets(cursor, condition, ())
        sampled, sample_facets = self._facets(cursor, self._sample(condition), facet_fields)
        if sampled * SAMPLE_BUCKETS <= settings.ARCHIVE_SEARCH_EXACT_FACETS_MAX:
            return self._facets(cursor, condition, facet_fields)
        notes.append("estimated")
        return sampled * SAMPLE_BUCKETS, {
            name: [(value, count * SAMPLE_BUCKETS) for value, count in values]
            for name, values in sample_facets.items()
        }

    def _broad_page(
        self,
        cursor,
        tree: Node,
        condition: Condition,
        offset: int,
        limit: int,
        notes: list,
        facets: dict,
    ) -> list[tuple[int, float | None]]:
        """Relevance order for a query matching more than
        ARCHIVE_SEARCH_RANK_ALL_MAX articles: `ts_rank` reads each ranked
        document's vector (~3.7 us a match: 9,100 matches 35 ms at 100,000
        articles, a common word a second at 1,000,000), so only the matches
        holding the words in their title are ranked (found from the GIN index, note
        "ranked_by_title"), and the other matches follow, newest first. When
        even the title matches are too many, all come newest first, title
        matches before the others (note "ranked_newest")."""
        titled = compile_tree(in_titles(tree))
        if titled is None:
            return self._page(cursor, condition, NEWEST, offset, limit)
        # How many title matches: from the sample bucket when the matches are
        # counted from it too (see _counts), else exactly.
        estimate = "estimated" in notes
        counted = self._sample(titled) if estimate else titled
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {counted.where}", counted.params)
        title_estimate = cursor.fetchone()[0] * (SAMPLE_BUCKETS if estimate else 1)
        if title_estimate > settings.ARCHIVE_SEARCH_RANK_ALL_MAX:
            notes.append("ranked_newest")
            first = self._dated_page(cursor, titled, NEWEST, offset, limit, facets)
        else:
            notes.append("ranked_by_title")
            first = self._page(
                cursor, Condition(titled.where, titled.params, condition.rank), None, offset, limit
            )
        if len(first) == limit:
            return first
        # The page reaches past the title matches: where the others begin.
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {titled.where}", titled.params)
        (title_hits,) = cursor.fetchone()
        rest = Condition(
            f"{condition.where} AND article_id NOT IN "
            f"(SELECT article_id FROM {TABLE} WHERE {titled.where})",
            (*condition.params, *titled.params),
            None,
        )
        start = max(0, offset - title_hits)
        return first + self._dated_page(cursor, rest, NEWEST, start, limit - len(first), facets)

    def _order(self, condition: Condition, sort: Sort) -> tuple[str, str, tuple]:
        """(score expression, ORDER BY, parameters of the score)."""
        if sort is not None:
            orders = ORDERS if condition.rank is None else ORDERS_OF_MATCHES
            return "NULL::float", orders[sort], ()
        if condition.rank is None:
            return "NULL::float", "article_id", ()
        return RANK, "score DESC, article_id", (condition.rank,)

    def _page(self, cursor, condition: Condition, sort: Sort, offset: int, limit: int | None):
        return list(self._page_rows(cursor, condition, sort, offset, limit))

    def _page_rows(
        self, cursor, condition: Condition, sort: Sort, offset: int, limit: int | None
    ) -> Iterator[tuple[int, float | None]]:
        score, order, score_params = self._order(condition, sort)
        sql = (
            f"SELECT article_id, {score} AS score FROM {TABLE} "
            f"WHERE {condition.where} ORDER BY {order}"
        )
        params = (*score_params, *condition.params)
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params = (*params, limit, offset)
        cursor.execute(sql, params)
        return ((pk, score) for pk, score in cursor)

    def _facets(self, cursor, condition: Condition, facet_fields: Sequence[str]):
        """The total and facet counts of every match, in one statement.

        One pass over the matches groups by every single-valued field at once
        (grouping sets); entity slugs are split only for documents that have
        some. At 100,000 articles, "France" (24,172 matches): 44.9 -> 32.2 ms,
        the largest of the bench mix (54,005) 87.2 -> 56.2 ms.
        """
        if not facet_fields:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {condition.where}", condition.params
            )
            return cursor.fetchone()[0], {}
        single = [name for name in facet_fields if name != "entities"]
        columns = ", ".join([*single, "entities"])
        sets = ", ".join(["()", *(f"({name})" for name in single)])
        labels = " ".join(f"WHEN GROUPING({name}) = 0 THEN '{name}'" for name in single)
        values = f"COALESCE({', '.join(single)})" if single else "''"
        sql = (
            f"WITH matched AS MATERIALIZED (SELECT {columns} FROM {TABLE} "
            f"WHERE {condition.where}) "
            f"SELECT CASE {labels} ELSE '' END, {values}, count(*) FROM matched "
            f"GROUP BY GROUPING SETS ({sets})"
        )
        if "entities" in facet_fields:
            sql += (
                " UNION ALL SELECT 'entities', slug, count(*) FROM matched, "
                "unnest(string_to_array(entities, ' ')) AS slug "
                "WHERE entities <> '' GROUP BY slug"
            )
        cursor.execute(sql, condition.params)
        hits = 0
        facets: dict[str, list[tuple[str, int]]] = {name: [] for name in facet_fields}
        for name, value, count in cursor.fetchall():
            if name == "":
                hits = count
            elif value:
                facets[name].append((value, count))
        for values_of in facets.values():
            values_of.sort(key=lambda item: (-item[1], item[0]))
        return hits, facets

    def ordered_hits(self, tree: Node, *, sort: Sort, limit: int) -> PostgresOrderedHits:
        condition = compile_tree(tree)
        if condition is None:
            return PostgresOrderedHits([], 0)

        def run(cursor):
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {condition.where}", condition.params
            )
            (hits,) = cursor.fetchone()
            # The ids stream from a server-side cursor into packed arrays: neither
            # the client library nor Python holds a list of every row.
            with reads().chunked_cursor() as stream:
                rows = self._page_rows(stream, condition, sort, 0, limit)
                return PostgresOrderedHits(rows, hits)

        found, _notes = self._timed(run, None)  # an export has no time budget
        return found

    # -- the vocabulary ("did you mean") ---------------------------------------

    def term_frequency(self, term: str) -> int:
        condition = compile_tree_for_term(term)
        with reads().cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {condition.where}", condition.params
            )
            return cursor.fetchone()[0]

    def term_frequencies(self, terms: Sequence[str], *, exact: bool = True) -> dict[str, int]:
        """From the vocabulary table (refilled after imports); terms it does not
        know yet (articles saved since) are counted exactly, or left out
        with exact=False."""
        with reads().cursor() as cursor:
            cursor.execute(
                "SELECT word, ndoc FROM search_vocabulary WHERE word = ANY(%s)", [list(terms)]
            )
            counts = dict(cursor.fetchall())
        if not exact:
            return counts
        for term in terms:
            if term not in counts:
                counts[term] = self.term_frequency(term)
        return counts

    def document_count(self) -> int:
        """The planner's row estimate once the table has statistics (exact
        counting reads the whole table: seconds at 1,000,000 articles)."""
        with reads().cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [TABLE]
            )
            (estimate,) = cursor.fetchone()
            if estimate is None or estimate < 1000:
                cursor.execute(f"SELECT count(*) FROM {TABLE}")
                (estimate,) = cursor.fetchone()
        return int(estimate)

    def more_like(self, weights: Mapping[str, float], *, limit: int) -> list[tuple[int, float]]:
        """One full-text index lookup per term (no document is read: GIN
        answers plain lexemes without rechecking), summed per article."""
        if not weights:
            return []
        terms = list(weights)
        with reads().cursor() as cursor:
            cursor.execute(
                "SELECT d.article_id, sum(t.weight) AS score "
                "FROM unnest(%s::tsquery[], %s::float8[]) AS t(query, weight) "
                f"JOIN LATERAL (SELECT article_id FROM {TABLE} WHERE document @@ t.query) d "
                "ON true GROUP BY d.article_id ORDER BY score DESC, d.article_id DESC LIMIT %s",
                [
                    [compile_tree_for_term(term).params[0] for term in terms],
                    [weights[term] for term in terms],
                    limit,
                ],
            )
            return [(pk, float(score)) for pk, score in cursor.fetchall()]

    def similar_terms(self, term: str, distance: int) -> list[tuple[str, int]]:
        """Terms of the vocabulary view sharing the first two letters, within
        `distance` edits (compared here: a few thousand short words at most)."""
        if len(term) < 2:
            return []
        pattern = term[:2].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with reads().cursor() as cursor:
            cursor.execute(
                "SELECT word, ndoc FROM search_vocabulary WHERE word LIKE %s "
                "AND length(word) BETWEEN %s AND %s",
                [pattern, len(term) - distance, len(term) + distance],
            )
            rows = cursor.fetchall()
        return [
            (word, ndoc) for word, ndoc in rows if edit_distance(word, term, distance) <= distance
        ]

    def example_article(self, term: str) -> int | None:
        condition = compile_tree_for_term(term)
        with reads().cursor() as cursor:
            cursor.execute(
                f"SELECT article_id FROM {TABLE} WHERE {condition.where} LIMIT 1", condition.params
            )
            row = cursor.fetchone()
        return row[0] if row else None


def compile_tree_for_term(term: str) -> Condition:
    """The condition for one exact index term (a term always compiles)."""
    condition = compile_tree(Term(term))
    if condition is None:
        raise ValueError(f"no condition for the term {term!r}")
    return condition


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early once it exceeds `limit`.

    >>> edit_distance("migrant", "migrnat", 2), edit_distance("abc", "xyz", 1)
    (2, 2)
    """
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class PostgresEngine(BaseEngine):
    backend = PostgresBackend
    query = BaseSearchQuery


# The type checker proves this backend implements the whole declared contract.
_IMPLEMENTS: type[SearchEngine] = PostgresBackend
