from django.db import models


class Tombstone(models.Model):
    """A record that something was deleted, so API clients can sync incrementally."""

    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["deleted_at", "id"]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} deleted {self.deleted_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last time a named process proved it was alive (the worker, via beat)."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ContentVersion(models.Model):
    """How far what readers see has changed: a counter and a moment per scope, moved by
    database triggers on every write that changes it (migration 0011_content_versions),
    whoever writes. Cached listings, rendered items and validators (ETag, Last-Modified)
    carry these, so a change makes them stale at once.

    Scopes: "content", the published statements and events themselves; "catalog",
    everything an item shows that is not its own row (parties, proposals, positions,
    conditions, conflicts, articles' titles).
    """

    name = models.CharField(max_length=20, primary_key=True)
    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.counter} at {self.changed_at:%Y-%m-%d %H:%M:%S}"
