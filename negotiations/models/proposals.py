import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .base import ALIAS_HELP, TimeStamped, choices_check, parent_chain_returns


def not_in_future(value) -> None:
    """Refuse a moment more than a day ahead: a typo, not a forecast."""
    limit = timezone.now() + datetime.timedelta(days=1)
    if isinstance(value, datetime.datetime):
        too_late = value > limit
    else:
        too_late = value is not None and value > limit.date()
    if too_late:
        raise ValidationError("This date is more than a day in the future.")


class ProposalKind(models.TextChoices):
    FULL_CEASEFIRE = "full_ceasefire", "Full ceasefire"
    PARTIAL_CEASEFIRE = "partial_ceasefire", "Partial ceasefire"
    HUMANITARIAN_PAUSE = "humanitarian_pause", "Humanitarian pause"
    PRISONER_EXCHANGE = "prisoner_exchange", "Prisoner exchange"
    PEACE_FRAMEWORK = "peace_framework", "Peace framework"
    NEGOTIATIONS = "negotiations", "Talks or negotiation format"
    OTHER = "other", "Other"


class Proposal(TimeStamped):
    """A ceasefire, truce or framework on the table."""

    Kind = ProposalKind

    conflict = models.ForeignKey("Conflict", on_delete=models.PROTECT, related_name="proposals")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    scope = models.CharField(
        max_length=200, blank=True, help_text="e.g. energy infrastructure, Black Sea."
    )
    duration_days = models.PositiveIntegerField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        "Party", null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    proposed_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="The broader proposal this one is part of (in the same conflict).",
    )
    aliases = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="Phrases that find this proposal in text, comma-separated. " + ALIAS_HELP,
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_on", "name"]
        constraints = [
            choices_check("proposal_kind_valid", "kind", ProposalKind),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="proposal_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__isnull=True) | models.Q(duration_days__gt=0),
                name="proposal_duration_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("negotiations:proposal_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if parent_chain_returns(self):
            raise ValidationError({"parent": "A proposal cannot be part of itself."})
        if self.parent_id and self.conflict_id and self.parent.conflict_id != self.conflict_id:
            raise ValidationError({"parent": "The broader proposal belongs to another conflict."})

    @property
    def conflict_slug(self) -> str:
        return self.conflict.slug


class Stance(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SUPPORTS = "supports", "Supports"
    ACCEPTS = "accepts", "Accepts"
    ACCEPTS_WITH_CONDITIONS = "accepts_with_conditions", "Accepts with conditions"
    REJECTS = "rejects", "Rejects"
    NONCOMMITTAL = "noncommittal", "Noncommittal"
    WITHDRAWS = "withdraws", "Withdraws"


class Position(models.Model):
    """One party's stance on one proposal as of a moment.

    Append-only: a change of stance is a new row; the current stance is the latest. A
    mistake is corrected by a new position that supersedes the wrong one, with a note; a
    database trigger (migration 0008) refuses to rewrite a stance, its party, proposal or
    moment in place. Deleting a proposal or a statement never takes its positions along.
    """

    proposal = models.ForeignKey("Proposal", on_delete=models.PROTECT, related_name="positions")
    party = models.ForeignKey("Party", on_delete=models.PROTECT, related_name="positions")
    stance = models.CharField(max_length=30, choices=Stance.choices)
    as_of = models.DateTimeField(validators=[not_in_future])
    statement = models.ForeignKey(
        "Statement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        help_text="The statement that evidences this stance.",
    )
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        editable=False,
        help_text="The position this one corrects.",
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["proposal", "party", "-as_of"]
        constraints = [
            choices_check("position_stance_valid", "stance", Stance),
            # A correction may restate the moment of the position it supersedes.
            models.UniqueConstraint(
                fields=["proposal", "party", "as_of"],
                condition=models.Q(supersedes__isnull=True),
                name="position_one_stance_per_moment",
                violation_error_message="This party already has a stance on this "
                "proposal at that moment.",
            ),
        ]
        indexes = [models.Index(fields=["proposal", "party", "-as_of"], name="position_latest")]

    def __str__(self) -> str:
        return f"{self.party} {self.get_stance_display().lower()} {self.proposal}"

    def validate_constraints(self, exclude=None):
        # `supersedes` is in no form, yet it decides which rows the one-stance-per-moment
        # constraint compares: without it, forms would skip that check.
        super().validate_constraints(exclude=set(exclude or ()) - {"supersedes"})


class ConditionCategory(models.TextChoices):
    HALT_MILITARY_AID = "halt_military_aid", "Halt to military aid"
    HALT_INTELLIGENCE_SHARING = "halt_intelligence_sharing", "Halt to intelligence sharing"
    MONITORING = "monitoring", "Monitoring and verification"
    MOBILISATION = "mobilisation", "Halt to mobilisation or rearmament"
    TERRITORY = "territory", "Territory"
    SANCTIONS = "sanctions", "Sanctions relief"
    SECURITY_GUARANTEES = "security_guarantees", "Security guarantees"
    PRISONERS = "prisoners", "Prisoners and detainees"
    HUMANITARIAN_ACCESS = "humanitarian_access", "Humanitarian access"
    OTHER = "other", "Other"


class ConditionStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    DROPPED = "dropped", "Dropped"
    REFUSED = "refused", "Refused"


class Condition(TimeStamped):
    """A demand that a party attaches to a proposal."""

    Category = ConditionCategory

    Status = ConditionStatus

    proposal = models.ForeignKey("Proposal", on_delete=models.CASCADE, related_name="conditions")
    set_by = models.ForeignKey("Party", on_delete=models.PROTECT, related_name="conditions_set")
    demanded_of = models.ForeignKey(
        "Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conditions_demanded",
    )
    category = models.CharField(max_length=40, choices=Category.choices)
    summary = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    first_stated_in = models.ForeignKey(
        "Statement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conditions_first_stated",
    )

    class Meta:
        ordering = ["proposal", "set_by", "category"]
        constraints = [
            choices_check("condition_category_valid", "category", ConditionCategory),
            choices_check("condition_status_valid", "status", ConditionStatus),
            models.UniqueConstraint(
                fields=["proposal", "set_by", "category", "summary"],
                name="condition_unique_per_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.set_by}: {self.summary}"
