"""PostgreSQL: the search document's vector skips the accent folding of a field that is all ASCII
(the same vector, built faster; see ``tandem.core.fulltext.vector_sql``)."""

import importlib

from django.db import migrations


def run(apps, schema_editor):
    folded = importlib.import_module("tandem.library.migrations.0004_search_folded")
    folded._run(fold=True)(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0005_event_report_kind")]

    operations = [migrations.RunPython(run, migrations.RunPython.noop)]
