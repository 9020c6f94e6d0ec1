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
