"""A RUM index for ranked pages, where the server has the extension.

RUM (Debian's postgresql-15-rum) returns documents in rank order from the
index; with GIN every match's tsvector is read to rank it, which grows with
the number of matches: at 100,000 articles, top 20 by ts_rank p50/p95
18.5/89.2 ms, by RUM 4.2/10.9 ms (bench/postgres_ranking_bench.py). A server without the
extension (e.g. a managed database) keeps GIN alone: the engine checks which
index exists (search.engines.postgres_engine.ranks_from_index).
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)


def create_rum(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            log.warning("the rum extension is not installed: ranked pages use GIN and ts_rank")
            return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError as error:  # e.g. not allowed to create extensions
        log.warning("could not create the rum extension (%s): ranked pages use GIN", error)
        return
    schema_editor.execute(
        "CREATE INDEX searchdoc_rank ON search_searchdocument USING rum (document rum_tsvector_ops)"
    )
    # RUM answers the matching (facets, totals) as fast as GIN did, measured at
    # 100,000 articles: GIN would only cost every write a second index.
    schema_editor.execute("DROP INDEX IF EXISTS searchdoc_document")


def drop_rum(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS searchdoc_document ON search_searchdocument "
            "USING gin (document) WITH (fastupdate = off)"
        )
        schema_editor.execute("DROP INDEX IF EXISTS searchdoc_rank")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgres_documents")]

    operations = [migrations.RunPython(create_rum, drop_rum)]
