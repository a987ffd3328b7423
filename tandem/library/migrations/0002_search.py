"""The full-text index of the library, in the database in use (see tandem.library.search).

PostgreSQL: a generated tsvector column (title weight A, summary B, body C; the 'french' or
'english' configuration by the row's ``config``) and a GIN index.
SQLite: an FTS5 table over the search documents (external content), kept in step by triggers.
"""

from django.db import migrations


def _vector(config):
    return (
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(summary, '')), 'B') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(body, '')), 'C')"
    )


POSTGRES = [
    "ALTER TABLE library_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    f"CASE WHEN config = 'french' THEN {_vector('french')} ELSE {_vector('english')} END) STORED",
    "CREATE INDEX library_searchdocument_vector ON library_searchdocument USING GIN (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS library_searchdocument_vector",
    "ALTER TABLE library_searchdocument DROP COLUMN IF EXISTS vector",
]

SQLITE = [
    "CREATE VIRTUAL TABLE library_item_fts USING fts5(title, summary, body, content='library_searchdocument', "
    "content_rowid='item_id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER library_searchdocument_ai AFTER INSERT ON library_searchdocument BEGIN "
    "INSERT INTO library_item_fts(rowid, title, summary, body) VALUES (new.item_id, new.title, new.summary, new.body); END",
    "CREATE TRIGGER library_searchdocument_ad AFTER DELETE ON library_searchdocument BEGIN "
    "INSERT INTO library_item_fts(library_item_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.item_id, old.title, old.summary, old.body); END",
    "CREATE TRIGGER library_searchdocument_au AFTER UPDATE ON library_searchdocument BEGIN "
    "INSERT INTO library_item_fts(library_item_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.item_id, old.title, old.summary, old.body); "
    "INSERT INTO library_item_fts(rowid, title, summary, body) VALUES (new.item_id, new.title, new.summary, new.body); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS library_searchdocument_au",
    "DROP TRIGGER IF EXISTS library_searchdocument_ad",
    "DROP TRIGGER IF EXISTS library_searchdocument_ai",
    "DROP TABLE IF EXISTS library_item_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
