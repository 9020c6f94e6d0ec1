from django.db import models
from django.utils import timezone

from .base import TimeStamped, choices_check


class Feed(TimeStamped):
    """An RSS, Atom or JSON feed that the worker polls."""

    url = models.URLField(max_length=2000, unique=True)
    name = models.CharField(max_length=200, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    enabled = models.BooleanField(default=True)
    poll_interval_minutes = models.PositiveIntegerField(default=30)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(
        "last HTTP status", null=True, blank=True, help_text="Of the last poll that got a response."
    )

    class Meta:
        ordering = ["name", "url"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poll_interval_minutes__gte=1), name="feed_interval_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.url


class FetchStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    FETCHED = "fetched", "Fetched"
    DUPLICATE = "duplicate", "Duplicate"
    FAILED = "failed", "Failed"


class Article(TimeStamped):
    """One fetched source document, kept as plain text."""

    FetchStatus = FetchStatus

    # Not a URLField: local files (file:) and seed reports (urn:) are articles too.
    url = models.CharField(max_length=2000)
    canonical_url = models.CharField(max_length=2000, unique=True)
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    feed_entry_id = models.CharField(max_length=1000, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    author = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    text = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    near_duplicate_signature = models.BigIntegerField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    fetch_status = models.CharField(
        max_length=20, choices=FetchStatus.choices, default=FetchStatus.PENDING, db_index=True
    )
    fetch_error = models.TextField(blank=True)
    fetch_attempts = models.PositiveIntegerField(default=0)
    fetched_at = models.DateTimeField(null=True, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    extractor = models.CharField(
        max_length=50, blank=True, help_text="The extractor version its candidates came from."
    )
    reextraction = models.ForeignKey(
        "ReextractionRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="Set while the article waits to be extracted again.",
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            choices_check("article_fetch_status_valid", "fetch_status", FetchStatus),
            models.UniqueConstraint(
                fields=["feed", "feed_entry_id"],
                condition=~models.Q(feed_entry_id=""),
                name="article_unique_entry_per_feed",
            ),
            models.CheckConstraint(
                condition=~models.Q(duplicate_of=models.F("pk")), name="article_not_own_duplicate"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url
