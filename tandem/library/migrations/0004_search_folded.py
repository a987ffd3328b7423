"""PostgreSQL: the library's vector folds accents (``tandem.core.fulltext.fold_sql``), as the
query does, so "reseau" finds "réseau" without the ``unaccent`` extension. SQLite's FTS5 tokenizer
already folds them."""

from django.db import migrations

from tandem.core.fulltext import vector_sql


def _vector(config, fold):
    return vector_sql(config, fold=fold)


def _run(fold):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in (
            "DROP INDEX IF EXISTS library_searchdocument_vector",
            "ALTER TABLE library_searchdocument DROP COLUMN IF EXISTS vector",
            "ALTER TABLE library_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
            f"CASE WHEN config = 'french' THEN {_vector('french', fold)} ELSE {_vector('english', fold)} END) STORED",
            "CREATE INDEX library_searchdocument_vector ON library_searchdocument USING GIN (vector)",
        ):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0003_visible_index")]

    operations = [migrations.RunPython(_run(fold=True), _run(fold=False))]
