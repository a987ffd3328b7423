"""On PostgreSQL, a covering index for the visibility rule and the facets: the search's count and
its kind / language / year grouping read it without touching the table (index-only scans)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX library_item_visible ON library_item (status, visibility, jurisdiction_id) "
            "INCLUDE (id, kind, language, publication_date)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS library_item_visible")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search")]

    operations = [migrations.RunPython(forwards, backwards)]
