"""Finer statistics on the audit log's ``jurisdiction_path`` (PostgreSQL only).

The activity feed and the audit page read the newest events under the reader's paths (``path LIKE
'/1/2/5/25/425/%'``, newest first). With the default statistics (100 histogram buckets, about 15,000
events each at the national-scale dataset's 1.5 million) PostgreSQL estimated any one city's events at
a bucket's share (11,656 where there were 549), so it walked the whole log backwards by time and
filtered: 361,458 rows read for a local coordinator's home page (691 ms, EXPLAIN ANALYZE, x1). With
1,000 buckets it estimates 643, reads the city's 549 events by the path index and sorts them (2.6 ms).
The regional and national feeds keep the walk by time (18 and 1.2 ms): their paths hold enough events.

Takes effect at the table's next ANALYZE (autovacuum's, or ``generate_scale``'s).
"""

from django.db import migrations


def on_postgresql(sql):
    """A step that runs ``sql`` on PostgreSQL and does nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


SET = 'ALTER TABLE "core_auditevent" ALTER COLUMN "jurisdiction_path" SET STATISTICS 1000'
RESET = 'ALTER TABLE "core_auditevent" ALTER COLUMN "jurisdiction_path" SET STATISTICS -1'


class Migration(migrations.Migration):
    dependencies = [("core", "0005_auditevent_window_index")]

    operations = [migrations.RunPython(on_postgresql(SET), on_postgresql(RESET), elidable=False)]
