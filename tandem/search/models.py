"""The global search index: one row per record of every kind the apps register (``search_source``).

A row holds only text every reader of the record may see (each source's ``document``), and who may
find it is decided at query time by the source's own visibility rule (``tandem.search.access``), so
a change of role, audience or label takes effect at once, without re-indexing.

On PostgreSQL the migration ``0002_fulltext`` adds a generated ``tsvector`` column (English and
French configurations, GIN index; accents folded since ``0003``); on SQLite an FTS5 table kept in step by triggers, searching the
``stems`` column for the English and French stems (see :mod:`tandem.core.fulltext`).
"""

from django.db import models

from tandem.core.models import Jurisdiction


class SearchEntry(models.Model):
    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    url_uuid = models.UUIDField()
    config = models.CharField(max_length=20, default="english")  # the language of the text (ts_headline)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    stems = models.TextField(blank=True)  # SQLite only: the English and French stems of the words
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A copy of the jurisdiction's path: the place filter is one indexed prefix test on the entry.
    jurisdiction_path = models.CharField(max_length=255, blank=True, default="")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_record")]
        indexes = [
            models.Index(fields=["year"], name="search_entry_year"),
            models.Index(fields=["jurisdiction_path"], name="search_entry_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
