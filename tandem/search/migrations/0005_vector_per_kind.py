"""PostgreSQL: one partial GIN index of the entries' vectors per kind, so the search reads the
first matches of one kind without reading those of the others (``selectors._candidates``: a broad
word read every match, 306,000 entries for "network" at x1). A kind registered later is searched
through the index of every entry (``search_searchentry_vector``, kept) until a migration adds its own.
"""

from django.db import migrations

KINDS = (
    "action_item",
    "activity",
    "agreement",
    "assessment",
    "body",
    "course",
    "decision",
    "event",
    "exchange_item",
    "funding_call",
    "jurisdiction",
    "library_item",
    "meeting",
    "minutes",
    "network_membership",
    "objective",
    "organisation",
    "person",
    "plan",
    "training_session",
)


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_vector_{kind} ON search_searchentry USING gin (vector) "
            f"WHERE kind = '{kind}'"
        )


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_vector_{kind}")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_vector_ascii_fast")]

    operations = [migrations.RunPython(_forward, _backward)]
