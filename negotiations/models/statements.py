from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from .base import TimeStamped, choices_check
from .proposals import not_in_future


class Channel(models.TextChoices):
    CALL_READOUT = "call_readout", "Call readout"
    SOCIAL_MEDIA = "social_media", "Social media post"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    INTERVIEW = "interview", "Interview"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    SPEECH = "speech", "Speech"
    REPORTED = "reported", "Reported by the press"


class SourceFields(models.Model):
    """Where a claim comes from: a stored article, or a URL with outlet and title."""

    article = models.ForeignKey(
        "Article", null=True, blank=True, on_delete=models.PROTECT, related_name="%(class)ss"
    )
    source_url = models.URLField(max_length=2000, blank=True)
    source_outlet = models.CharField(max_length=200, blank=True)
    source_title = models.CharField(max_length=1000, blank=True)

    class Meta:
        abstract = True

    @property
    def source_link(self) -> str:
        return self.article.url if self.article_id else self.source_url

    def clean(self) -> None:
        super().clean()
        if not self.article_id and not self.source_url:
            raise ValidationError(
                {"source_url": "Give a source: choose an article, or enter a source URL."}
            )


def has_source(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(article__isnull=False) | ~models.Q(source_url=""),
        name=f"{prefix}_has_source",
        violation_error_message="Give a source: an article, or a source URL.",
    )


def span_ordered(prefix: str) -> models.CheckConstraint:
    """Both ends of a character span or neither, and the end after the start."""
    return models.CheckConstraint(
        condition=(models.Q(span_start__isnull=True) & models.Q(span_end__isnull=True))
        | models.Q(span_start__lt=models.F("span_end")),
        name=f"{prefix}_span_ordered",
    )


class StatementStatus(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"


class Statement(SourceFields, TimeStamped):
    """What a party said, tied to its source."""

    Status = StatementStatus

    conflict = models.ForeignKey(
        "Conflict",
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="The conflict this statement is about.",
    )
    speaker = models.ForeignKey(
        "Party",
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="Who said it: the person, or the body whose statement or readout it is.",
    )
    on_behalf_of = models.ForeignKey(
        "Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements_on_behalf",
        help_text="Whose stance it states, when the speaker speaks for someone: usually the "
        "speaker's state or bloc (Zelensky → Ukraine, the Kremlin → Russia). Its positions "
        "are recorded for this party.",
    )
    occurred_at = models.DateTimeField("when", validators=[not_in_future])
    channel = models.CharField(max_length=30, choices=Channel.choices)
    text = models.TextField()
    is_verbatim = models.BooleanField(
        "verbatim quote", default=False, help_text="Unticked: reported speech."
    )
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    conditions = models.ManyToManyField(
        "Condition", blank=True, related_name="statements", help_text="Conditions it states."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    confidence = models.FloatField(default=1.0)
    extractor = models.CharField(max_length=50, default="manual")
    extraction = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the extractor proposed (proposals with stances, conditions); "
        "applied as positions and conditions when the candidate is published.",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    claim = models.ForeignKey(
        "Claim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        help_text="The claim this candidate states, with the other outlets' candidates.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    first_published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set by the database when the statement is first published; never cleared. "
        "Only statements that were once published are reported to API clients as deleted.",
    )
    # Kept current by database triggers (migrations 0002_timeline and
    # 0010_search_what_was_said) so that every writer, the admin, the scenario loader,
    # ingestion or raw SQL, leaves them right. What was said: the text, who said it, the
    # proposals it takes a stance on and the conditions it states.
    search_vector = SearchVectorField(null=True, editable=False)
    # The source's headline, searched only when a reader asks for it.
    source_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            choices_check("statement_channel_valid", "channel", Channel),
            choices_check("statement_status_valid", "status", StatementStatus),
            has_source("statement"),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0, confidence__lte=1),
                name="statement_confidence_unit",
            ),
            span_ordered("statement"),
            # Ingestion may run an article twice: one candidate per article span.
            models.UniqueConstraint(
                fields=["article", "conflict", "span_start", "span_end", "speaker"],
                name="statement_unique_span",
            ),
        ]
        indexes = [
            models.Index(
                fields=["occurred_at", "id"],
                name="statement_timeline",
                condition=models.Q(status="published"),
            ),
            GinIndex(fields=["search_vector"], name="statement_search"),
            GinIndex(fields=["source_vector"], name="statement_source_search"),
        ]

    def __str__(self) -> str:
        words = self.text.split()
        return f"{self.speaker}: {' '.join(words[:12])}{'…' if len(words) > 12 else ''}"

    def get_absolute_url(self) -> str:
        return reverse("negotiations:statement_detail", kwargs={"pk": self.pk})

    @property
    def stance_party(self):
        """The party whose stance this statement expresses."""
        return self.on_behalf_of or self.speaker

    def clean(self) -> None:
        super().clean()
        if (self.span_start is None) != (self.span_end is None):
            raise ValidationError({"span_end": "Give both ends of the span, or neither."})
        if self.span_start is not None and self.span_start >= self.span_end:
            raise ValidationError({"span_end": "The span must end after it starts."})


class EventKind(models.TextChoices):
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    TALKS = "talks", "Round of talks"
    STRIKE = "strike", "Strike on covered infrastructure"
    VIOLATION_CLAIM = "violation_claim", "Claimed violation"
    AGREEMENT = "agreement", "Agreement signed"
    OTHER = "other", "Other"


class Event(SourceFields, TimeStamped):
    """Something that happened rather than was said."""

    Kind = EventKind

    conflict = models.ForeignKey("Conflict", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    occurred_at = models.DateTimeField(validators=[not_in_future])
    parties = models.ManyToManyField("Party", blank=True, related_name="events")
    proposals = models.ManyToManyField("Proposal", blank=True, related_name="events")
    # Filled by database triggers, like Statement.search_vector and source_vector.
    search_vector = SearchVectorField(null=True, editable=False)
    source_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [choices_check("event_kind_valid", "kind", EventKind), has_source("event")]
        indexes = [
            models.Index(fields=["occurred_at", "id"], name="event_timeline"),
            GinIndex(fields=["search_vector"], name="event_search"),
            GinIndex(fields=["source_vector"], name="event_source_search"),
        ]

    def __str__(self) -> str:
        return self.title
