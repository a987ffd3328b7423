"""The full-text index of the global search, in the database in use (see tandem.core.fulltext).

PostgreSQL: a generated tsvector column holding the text in both the English and the French
configuration (title weight A, summary B, body C), so either language's stems match, and a GIN index.
SQLite: an FTS5 table over the entries (external content) with their English and French stems in a
column of their own, kept in step by triggers.
"""

from django.db import migrations


def _vector(config):
    return (
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(summary, '')), 'B') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(body, '')), 'C')"
    )


POSTGRES = [
    "ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    f"{_vector('english')} || {_vector('french')}) STORED",
    "CREATE INDEX search_searchentry_vector ON search_searchentry USING GIN (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_searchentry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]

_COLUMNS = "title, summary, body, stems"
_NEW = "new.title, new.summary, new.body, new.stems"
_OLD = "old.title, old.summary, old.body, old.stems"
SQLITE = [
    f"CREATE VIRTUAL TABLE search_entry_fts USING fts5({_COLUMNS}, content='search_searchentry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_searchentry_ai AFTER INSERT ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
    "CREATE TRIGGER search_searchentry_ad AFTER DELETE ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD}); END",
    "CREATE TRIGGER search_searchentry_au AFTER UPDATE ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO search_entry_fts(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_searchentry_au",
    "DROP TRIGGER IF EXISTS search_searchentry_ad",
    "DROP TRIGGER IF EXISTS search_searchentry_ai",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
