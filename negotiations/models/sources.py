from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ..ingest.dedupe import SIGNATURE_BANDS
from .base import TimeStamped, choices_check


class Leased(models.Model):
    """A row a worker claims for a while: who, and until when. A claim that outlives its
    lease (the worker died, the message was lost) is taken over by the next one, and the
    periodic sweep enqueues that next one."""

    leased_by = models.CharField(max_length=200, blank=True, editable=False)
    leased_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def leased_at(self, moment) -> bool:
        return self.leased_until is not None and self.leased_until > moment


class Feed(Leased, TimeStamped):
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
    skipped_entries = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Entries of the last poll that were not recorded as new articles, and why.",
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


def _band(index: int):
    offset, width = SIGNATURE_BANDS[index]
    return models.GeneratedField(
        expression=F("near_duplicate_signature").bitrightshift(offset).bitand((1 << width) - 1),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )


ORIGINAL = Q(fetch_status="fetched", duplicate_of__isnull=True)


class Article(Leased, TimeStamped):
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
    # The signature's bands (ingest.dedupe.SIGNATURE_BANDS), indexed for near-duplicate lookup.
    signature_band_0 = _band(0)
    signature_band_1 = _band(1)
    signature_band_2 = _band(2)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    fetch_status = models.CharField(
        max_length=20, choices=FetchStatus.choices, default=FetchStatus.PENDING, db_index=True
    )
    fetch_error = models.TextField(blank=True)
    fetch_attempts = models.PositiveIntegerField(default=0)
    task_due_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a task to process it was last enqueued, or its retry is due; the "
        "sweep enqueues a pending article again when this is long past and no lease is held.",
    )
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
            # Two workers saving one text at once: the second meets this and becomes a copy.
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=ORIGINAL & ~Q(content_hash=""),
                name="article_one_original_per_text",
            ),
        ]
        indexes = [
            *(
                # Covering: the lookup reads the signature and id from the index alone.
                models.Index(
                    fields=[f"signature_band_{band}"],
                    include=["near_duplicate_signature", "id"],
                    condition=ORIGINAL,
                    name=f"article_signature_band_{band}",
                )
                for band in range(len(SIGNATURE_BANDS))
            ),
            models.Index(
                fields=["task_due_at"],
                condition=Q(fetch_status="pending"),
                name="article_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url
