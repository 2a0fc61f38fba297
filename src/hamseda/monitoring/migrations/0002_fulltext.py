"""Full-text search over ``Article.search_tokens`` (see ``monitoring.search``).

SQLite: an FTS5 table over the article table's column (external content), kept in
step by triggers. PostgreSQL: a stored generated column ``search_vector`` =
``to_tsvector('simple', search_tokens)`` with a GIN index; the tokens are already
normalised, so no stemming configuration is wanted. The column is not a model
field: only ``monitoring.search`` names it.

On SQLite a later migration that alters ``monitoring_article`` rebuilds the table
and with it drops these triggers: such a migration must run ``SQLITE_TRIGGERS``
again (and ``'rebuild'`` the FTS table).
"""

from django.db import migrations

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE monitoring_article_fts USING fts5("
    "search_tokens, content='monitoring_article', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')"
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER monitoring_article_fts_ai AFTER INSERT ON monitoring_article BEGIN "
    "INSERT INTO monitoring_article_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); "
    "END",
    "CREATE TRIGGER monitoring_article_fts_ad AFTER DELETE ON monitoring_article BEGIN "
    "INSERT INTO monitoring_article_fts(monitoring_article_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); "
    "END",
    "CREATE TRIGGER monitoring_article_fts_au AFTER UPDATE OF search_tokens ON monitoring_article "
    "BEGIN "
    "INSERT INTO monitoring_article_fts(monitoring_article_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); "
    "INSERT INTO monitoring_article_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); "
    "END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS monitoring_article_fts_au",
    "DROP TRIGGER IF EXISTS monitoring_article_fts_ad",
    "DROP TRIGGER IF EXISTS monitoring_article_fts_ai",
    "DROP TABLE IF EXISTS monitoring_article_fts",
)
# A stored column, not an expression index: a query that checks rows (a filter the
# planner starts from, a recheck of a lossy bitmap) would otherwise run to_tsvector
# on every row it reads, ~0.1 ms each.
POSTGRES_COLUMN = (
    "ALTER TABLE monitoring_article ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_tokens)) STORED"
)
POSTGRES_INDEX = (
    "CREATE INDEX monitoring_article_fts ON monitoring_article USING gin (search_vector)"
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS monitoring_article_fts",
    "ALTER TABLE monitoring_article DROP COLUMN IF EXISTS search_vector",
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in (SQLITE_TABLE, *SQLITE_TRIGGERS):
            schema_editor.execute(statement)
        schema_editor.execute(
            "INSERT INTO monitoring_article_fts(monitoring_article_fts) VALUES ('rebuild')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_COLUMN)
        schema_editor.execute(POSTGRES_INDEX)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
