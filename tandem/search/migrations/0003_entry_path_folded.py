"""The entry carries its jurisdiction's path (the place filter tests it directly), and on
PostgreSQL the vector folds accents (``tandem.core.fulltext.fold_sql``: "reseau" finds "réseau", no
extension needed). SQLite's FTS5 table already folds them (``remove_diacritics 2``)."""

import importlib

from django.db import migrations, models

from tandem.core.fulltext import vector_sql


def _vector(config, fold):
    return vector_sql(config, fold=fold)


def _rebuild_vector(fold):
    return [
        "DROP INDEX IF EXISTS search_searchentry_vector",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
        "ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
        f"{_vector('english', fold)} || {_vector('french', fold)}) STORED",
        "CREATE INDEX search_searchentry_vector ON search_searchentry USING GIN (vector)",
    ]


def _sqlite_fts():
    """SQLite rebuilt the table to add the column, which dropped the FTS triggers: set the FTS
    table and its triggers up again and fill it from the entries."""
    fulltext = importlib.import_module("tandem.search.migrations.0002_fulltext")
    return [
        *fulltext.SQLITE_REVERSE,
        *fulltext.SQLITE,
        "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
    ]


def _run(fold):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = _rebuild_vector(fold) if vendor == "postgresql" else _sqlite_fts() if vendor == "sqlite" else []
        for sql in statements:
            schema_editor.execute(sql)

    return run


FILL_PATHS = (
    "UPDATE search_searchentry SET jurisdiction_path = coalesce("
    "(SELECT path FROM core_jurisdiction WHERE core_jurisdiction.id = search_searchentry.jurisdiction_id), '')"
)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="jurisdiction_path",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["jurisdiction_path"], name="search_entry_path", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.RunSQL(FILL_PATHS, migrations.RunSQL.noop),
        migrations.RunPython(_run(fold=True), _run(fold=False)),
    ]
