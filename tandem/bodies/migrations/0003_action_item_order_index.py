"""The index action item lists read their order from (``bodies.models.action_item_order``).

PostgreSQL only: at demo size SQLite sorts in no time. Not in
the model's Meta for the same reason (Django would create it on every database).
"""

from django.db import migrations

INDEX = "bodies_action_open_due"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "bodies_actionitem" '
            "((CASE WHEN \"status\" IN ('open', 'in_progress') THEN 0 ELSE 1 END), "
            '(COALESCE("due_date", \'9999-12-31\'::date)), "id")'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("bodies", "0002_meetings")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
