"""Receipts get a uuid (their download URL): added empty, filled row by row, then made unique."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Receipt = apps.get_model("funding", "Receipt")
    for receipt in Receipt.objects.filter(uuid__isnull=True).only("pk").iterator():
        Receipt.objects.filter(pk=receipt.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0002_offers"),
    ]

    operations = [
        migrations.AddField(
            model_name="receipt",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="receipt",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
