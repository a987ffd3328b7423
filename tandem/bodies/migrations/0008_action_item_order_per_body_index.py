"""The action item lists' order per body (``bodies.models.action_item_order``, after the body).

A reader of one region's bodies gets the first page of each of those bodies from this index and
merges them (``tandem.bodies.selectors.filter_action_items``), instead of walking the whole list's
order (``bodies_action_open_due``, migration 0003) past every other region's items.

PostgreSQL only, like 0003: at demo size SQLite sorts in no time, and the per-body reading is
PostgreSQL's alone.
"""

from django.db import migrations

INDEX = "bodies_action_body_open_due"
CREATE = (
    f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "bodies_actionitem" ("body_id", '
    "(CASE WHEN \"status\" IN ('open', 'in_progress') THEN 0 ELSE 1 END), "
    '(COALESCE("due_date", \'9999-12-31\'::date)), "id")'
)
DROP = f'DROP INDEX IF EXISTS "{INDEX}"'


def on_postgresql(sql):
    """A step that runs ``sql`` on PostgreSQL and does nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("bodies", "0007_action_item_overdue_per_body")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False)]
