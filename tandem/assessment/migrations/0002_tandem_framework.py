"""Load Tandem's own framework (written by the Tandem team; not an official text)."""

from django.db import migrations


def load(apps, schema_editor):
    from tandem.assessment import framework_data

    framework_data.load(
        apps.get_model("assessment", "Framework"),
        apps.get_model("assessment", "Competency"),
        apps.get_model("assessment", "Item"),
        apps.get_model("assessment", "ScaleLevel"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
