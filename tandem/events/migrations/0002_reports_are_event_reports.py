"""Reports published before the library had the kind "event report" were filed as lessons learned."""

from django.db import migrations


def forwards(apps, schema_editor):
    EventReport = apps.get_model("events", "EventReport")
    LibraryItem = apps.get_model("library", "LibraryItem")
    published = EventReport.objects.filter(library_item__isnull=False).values("library_item_id")
    LibraryItem.objects.filter(pk__in=published, kind="lesson").update(kind="event_report")


def backwards(apps, schema_editor):
    EventReport = apps.get_model("events", "EventReport")
    LibraryItem = apps.get_model("library", "LibraryItem")
    published = EventReport.objects.filter(library_item__isnull=False).values("library_item_id")
    LibraryItem.objects.filter(pk__in=published, kind="event_report").update(kind="lesson")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("library", "0005_event_report_kind"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
